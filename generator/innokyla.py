"""Practices as plain text in Innokylä's order and headings, ready to copy into its form.

Innokylä (innokyla.fi) is the national service where the same practices must also be
described. Its toimintamalli form has a Perustiedot block (name, short description, place,
municipality/region/county, funder, collection, author), then Ratkaisun perusidea,
Toimintaympäristö and Toimivuuden ja käyttöönoton ehdot (the three sections Innokylä requires),
then the Kehittämisen polku sub-sections. Each practice becomes one text file,
``data/innokyla/<id>.txt``, with those headings in that order and the record's text under
them, and ``data/innokyla.txt`` holds every practice. The top of each file lists what
Innokylä asks for that the record does not have, so the coordinator knows what to add.

The files are text for people: record text is written as typed (plain paragraphs and lists,
nothing escaped; a ``.txt`` file is never parsed as HTML), without the characters no output
may hold (:func:`generator.opendata.clean`). Editors' notes and the sources' working file
names are never written (as in the open data). The output depends only on the records and
vocabularies, never on the clock.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable, Iterator

from . import opendata, textfmt
from .model import QUALIFIER_LABELS

if TYPE_CHECKING:  # pragma: no cover
    from .linker import Site
    from .loader import Record

FOLDER = "data/innokyla"
COMBINED = "data/innokyla.txt"
RULE = "=" * 72
# A server that sends text/plain without a charset (python -m http.server, mkdocs serve)
# leaves the browser guessing, and it guesses Windows-1252: the byte order mark says UTF-8.
BOM = "\ufeff"

# Innokylä's Perustiedot labels, in its order.
NAME = "Toimintamallin nimi"
SUMMARY = "Toimintamallin lyhyt kuvaus"
PLACE = "Toteutuspaikka"
AREA = "Paikkakunta, maakunta tai hyvinvointialue"
FUNDER = "Toimintamallin rahoittaja"
COLLECTION = "Toimintamallin kokonaisuus"
AUTHOR = "Tekijä"
# The sections Innokylä marks as required.
REQUIRED = ("Ratkaisun perusidea", "Toimintaympäristö", "Toimivuuden ja käyttöönoton ehdot")
PATH = "Kehittämisen polku"

_BLANK_RUNS = re.compile(r"\n{3,}")
Fields = list[tuple[str, str]]


def path_of(practice_id: str) -> str:
    """The site path of one practice's export."""
    return f"{FOLDER}/{practice_id}.txt"


def files(site: Site) -> dict[str, str]:
    """``data/innokyla/<id>.txt`` for every practice, and all of them in ``data/innokyla.txt``."""
    return {path: "".join(pieces) for path, pieces in file_pieces(site)}


def file_pieces(site: Site) -> Iterator[tuple[str, Iterable[str]]]:
    """:func:`files` one file at a time, each as the pieces of its text, made as they are read:
    written out piece by piece, no file's whole text (``innokyla.txt`` is about 80 MB as Python
    text at 10,000 records) needs to be in memory."""
    practices = site.of_kind("practice")
    for record in practices:
        yield path_of(record.id), (BOM, _kept_text(record, site))
    count = len(practices)
    head = [
        "Hankekirjaston toimintamallit Innokylään vietäviksi",
        "",
        f"Tiedostossa on {count} {'toimintamalli' if count == 1 else 'toimintamallia'} Innokylän "
        "toimintamallilomakkeen järjestyksessä ja otsikoin. Kunkin mallin alussa luetellaan tiedot, "
        "jotka Innokylässä pitää vielä täyttää.",
    ]

    def combined() -> Iterator[str]:
        yield BOM + "\n".join(head)
        for record in practices:
            yield "\n\n" + RULE + "\n\n"
            yield _kept_text(record, site).rstrip("\n")
        yield "\n"
    yield COMBINED, combined()


def _kept_text(record: Record, site: Site) -> str:
    """:func:`practice_text`, kept on the record while nothing it shows changed: under `mkdocs
    serve` an unchanged record is the same object in the next build, and only the titles of the
    records it names, its derived places and the vocabularies can change the text besides it."""
    shown = (site.corpus.vocabularies, site.regions.get(record.id), site.counties.get(record.id),
             *(tuple(r.data.title for r in site.related(record.id, relation))
               for relation in ("collections", "organisations", "projects")),
             tuple(site.records[c.organisation].data.title if c.organisation in site.records else None
                   for c in record.data.contacts))
    kept = record.memo("innokyla", lambda: {})  # this module's own slot: what it was made from, and the text
    if kept.get("shown") != shown:
        kept["shown"], kept["text"] = shown, practice_text(record, site)
    return kept["text"]


def practice_text(record: Record, site: Site) -> str:
    """One practice in Innokylä's order and headings, what it lacks listed first."""
    data = record.data
    basics, main, path = _form(record, site)
    lines = [f"Innokylään vietävä kuvaus: {_line(data.title)}", "",
             f"Hankekirjaston toimintamalli ”{record.id}”. Kopioi kunkin otsikon alla oleva teksti "
             "Innokylän toimintamallilomakkeen samannimiseen kenttään."]
    if data.innokyla_url:
        lines += ["", f"Malli on jo kuvattu Innokylässä: {data.innokyla_url}"]
    lines += ["", *_missing(basics, main, path)]
    lines += ["", "", "# Perustiedot"]
    for label, value in basics:
        if value:
            lines += ["", f"## {label}", "", value]
    for label, value in main:
        if value:
            lines += ["", "", f"# {label}", "", value]
    if any(value for _, value in path):
        lines += ["", "", f"# {PATH}"]
        for label, value in path:
            if value:
                lines += ["", f"## {label}", "", value]
    extra = _extra(record, site)
    if extra:
        lines += ["", "", "# Muut tiedot (Innokylän lomakkeessa ei omaa kenttää)"]
        for label, value in extra:
            lines += ["", f"## {label}", "", value]
    lines += ["", "", "# Lähteet", "", _bullets(_source(s) for s in data.sources)]
    text = _BLANK_RUNS.sub("\n\n\n", "\n".join(lines))
    return text.rstrip("\n") + "\n"


def missing_fields(record: Record, site: Site) -> list[str]:
    """What Innokylä asks for that the record lacks: Perustiedot fields and required sections."""
    basics, main, _ = _form(record, site)
    return _needed(basics, main)


def _form(record: Record, site: Site) -> tuple[Fields, Fields, Fields]:
    """Innokylä's form as (label, text) pairs: Perustiedot, the three main sections, Kehittämisen polku."""
    data = record.data
    area = [*(site.label("municipalities", m) for m in data.municipalities),
            *(site.label("regions", r) for r in site.regions.get(record.id, [])),
            *(site.label("counties", c) for c in site.counties.get(record.id, []))]
    basics = [
        (NAME, _line(data.title)),
        (SUMMARY, _text(data.summary)),
        (PLACE, _line(data.place)),
        (AREA, ", ".join(_line(a) for a in area)),
        (FUNDER, ", ".join(_line(site.label("funders", f)) for f in data.funders)),
        (COLLECTION, _titles(site.related(record.id, "collections"))),
        (AUTHOR, _titles(site.related(record.id, "organisations"))),
    ]
    main = [
        ("Ratkaisun perusidea", _text(data.core_idea)),
        ("Toimintaympäristö", _text(data.environment)),
        ("Toimivuuden ja käyttöönoton ehdot", _text(data.conditions)),
    ]
    path = [
        ("Lähtötilanne", _text(data.starting_point)),
        ("Kehitystyön lähtökohtana olevat tarpeet", _text(data.need)),
        ("Kehittäjäjoukon kokoaminen ja yhteiskehittäminen", _text(data.co_development)),
        ("Kohderyhmä ja asiakasymmärrys", _text(data.target_group_description)),
        ("Tavoiteltu muutos", _bullets(_text(g) for g in data.goals)),
        ("Toiminnan kuvaus", _steps(data.actions)),
        ("Muutoksen mittaaminen", _text(data.measurement)),
        ("Arviointitietoa tiivistetysti", _text(data.evaluation)),
        ("Liitteet", _bullets(f"{_line(a.title)}: {a.url}" for a in data.attachments)),
    ]
    return basics, main, path


def _needed(basics: Fields, main: Fields) -> list[str]:
    # The collection and the author are optional in Innokylä (it names its own user as author).
    needed = [label for label, value in basics if not value and label not in (COLLECTION, AUTHOR)]
    return needed + [f"{label} (pakollinen kenttä)" for label, value in main if not value]


def _missing(basics: Fields, main: Fields, path: Fields) -> list[str]:
    needed = _needed(basics, main)
    optional = [label for label, value in path if not value and label != "Liitteet"]
    if needed:
        lines = ["Täydennä Innokylässä (kuvauksesta puuttuu):", "", *(f"- {label}" for label in needed)]
    else:
        lines = ["Kuvauksessa on kaikki Innokylän perustiedot ja pakolliset kentät."]
    if optional:
        lines += ["", f"{PATH}: kentät, joita kuvauksessa ei ole (täydennä, jos tiedät):", "",
                  *(f"- {label}" for label in optional)]
    return lines


def _extra(record: Record, site: Site) -> list[tuple[str, str]]:
    """What the record holds that Innokylä's form has no field for."""
    data = record.data
    out = [
        ("Kuvaus", _text(data.description)),
        ("Hanke", _titles(site.related(record.id, "projects"))),
        ("Kehitysvaihe", _line(site.label("stages", data.stage)) if data.stage else ""),
        ("Kohderyhmät", ", ".join(_line(site.label("target_groups", t)) for t in data.target_groups)),
        ("Ikäryhmät", ", ".join(_line(site.label("age_groups", a)) for a in data.age_groups)),
        ("Teemat", ", ".join(_line(site.label("themes", t)) for t in data.themes)),
        ("Tulokset", _results(data.results)),
        ("Palaute", _bullets(f"”{_line(q.text)}”" + (f" ({_line(q.who)})" if q.who else "") for q in data.feedback)),
        ("Opit ja haasteet", "\n\n".join(
            (f"{_line(l.title)}: " if l.title else "") + _text(l.text) for l in data.lessons)),
        ("Käyttöönottopäätökset", _bullets(
            _line(d.body) + (f", {textfmt.date(d.date)}" if d.date else "") + f": {_line(d.decision)}"
            for d in data.adoption)),
        ("Yhteystiedot", _bullets(_contact(c, site) for c in data.contacts)),
        ("Linkit", _bullets(f"{_line(l.title)}: {l.url}" for l in data.links)),
    ]
    return [(label, value) for label, value in out if value]


def _results(results: object) -> str:
    if results is None:
        return ""
    parts = [_text(results.summary)] if results.summary else []  # type: ignore[attr-defined]
    rows = []
    for i in results.indicators:  # type: ignore[attr-defined]
        values = []
        for label, value in (("tavoite", i.target), ("toteutunut", i.achieved)):
            if value is not None:
                qualifier = QUALIFIER_LABELS.get(i.qualifier, "") if i.qualifier and label == "toteutunut" else ""
                amount = " ".join(p for p in (qualifier, textfmt.number(value), _line(i.unit) if i.unit else "") if p)
                values.append(f"{label} {amount}")
        row = _line(i.name) + (f" ({textfmt.date(i.date)})" if i.date else "")
        row += (": " + ", ".join(values)) if values else ""
        row += f" ({_line(i.note)})" if i.note else ""
        rows.append(row)
    if rows:
        parts.append("Mittarit:\n\n" + _bullets(rows))
    return "\n\n".join(p for p in parts if p)


def _contact(contact: object, site: Site) -> str:
    c = contact
    organisation = site.records.get(c.organisation) if c.organisation else None  # type: ignore[attr-defined]
    parts = [_line(c.name)]  # type: ignore[attr-defined]
    parts += [_line(v) for v in (c.role, organisation.data.title if organisation else None, c.email, c.phone) if v]  # type: ignore[attr-defined]
    parts += [c.url] if c.url else []  # type: ignore[attr-defined]
    return ", ".join(parts)


def _source(source: object) -> str:
    """A source as the pages show it: "title. publisher, date. Kohta: pages", and its address."""
    s = source
    text = _line(s.title)  # type: ignore[attr-defined]
    text += f". {_line(s.publisher)}" if s.publisher else ""  # type: ignore[attr-defined]
    text += f", {textfmt.date(s.date)}" if s.date else (f", {s.year}" if s.year else "")  # type: ignore[attr-defined]
    text += f". Kohta: {_line(s.pages)}" if s.pages else ""  # type: ignore[attr-defined]
    text += f". {s.url}" if s.url else ""  # type: ignore[attr-defined]
    return text


def _steps(steps: list) -> str:
    blocks = []
    for step in steps:
        block = [f"### {_line(step.title)}"]
        if step.description:
            block += ["", _text(step.description)]
        if step.steps:
            block += ["", "\n".join(f"{n}. {_line(s)}" for n, s in enumerate(step.steps, 1))]
        blocks.append("\n".join(block))
    return "\n\n".join(blocks)


def _titles(records: list[Record]) -> str:
    return ", ".join(_line(r.data.title) for r in records)


def _bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items if item)


def _line(value: object) -> str:
    """One line of text as typed, without characters no output may hold."""
    return " ".join(opendata.clean(str(value)).split()) if value else ""


def _text(value: object) -> str:
    """Paragraphs and lists as typed: trailing spaces and runs of blank lines removed."""
    if not value:
        return ""
    lines = [line.rstrip() for line in opendata.clean(str(value)).replace("\r\n", "\n").split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")
