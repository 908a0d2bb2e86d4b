"""Stage 2: compute over everything — resolve references, check vocabularies, build back-links.

Every link between records is stored once in a record but shown on both pages, so the
linker turns the one-way references of the YAML into two-way relations.
"""

from __future__ import annotations

from collections import defaultdict
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterator

from .loader import Corpus, Record, format_loc
from .model import STATUS_NAMES
from .problems import ContentError, Problem, allowed_values, short, slugged

# Field name (anywhere in a record) → vocabulary it takes its values from.
VOCAB_FIELDS = {
    "municipalities": "municipalities",
    "municipality": "municipalities",
    "regions": "regions",
    "themes": "themes",
    "target_groups": "target_groups",
    "age_groups": "age_groups",
    "funders": "funders",
    "funder": "funders",
    "stage": "stages",
}

ANY_KIND = frozenset({"project", "practice", "collection", "organisation"})

# Field name → record kinds it may refer to.
REF_FIELDS: dict[str, frozenset[str]] = {
    "implementers": frozenset({"organisation"}),
    "organisation": frozenset({"organisation"}),
    "organisations": frozenset({"organisation"}),
    "actors": frozenset({"organisation"}),
    "practices": frozenset({"practice"}),
    "projects": frozenset({"project"}),
    "collections": frozenset({"collection"}),
    "members": frozenset({"project", "practice"}),
    "record": ANY_KIND,
    "related": frozenset({"practice", "project"}),
    "not_related": frozenset({"practice", "project"}),
}

KIND_LABELS = {"project": "hanke", "practice": "toimintamalli", "collection": "kokonaisuus", "organisation": "organisaatio"}
KIND_PARTITIVES = {"project": "hanketta", "practice": "toimintamallia", "collection": "kokonaisuutta", "organisation": "organisaatiota"}


def kind_count(kind: str, n: int) -> str:
    """``1 hanke``, ``16 hanketta``: a count of records in Finnish."""
    return f"{n} {KIND_LABELS[kind] if n == 1 else KIND_PARTITIVES[kind]}"


def status_warnings(site: "Site", today: "dt.date | None" = None) -> list[Problem]:
    """Projects whose status contradicts their period: said running (or planned, applied) when
    the period ended before today, or ended when it ends in the future. Warnings, not errors:
    the record may be right and the period only approximate."""
    today = today or dt.date.today()
    out = []
    for record in site.of_kind("project"):
        data = record.data
        end = data.period.end if data.period else None
        if end is None:
            continue
        if data.status in {"planned", "applied", "running"} and end < today:
            said = STATUS_NAMES[data.status]
            out.append(Problem(record.path, record.line(("status",)), "status",
                               f"tila on {data.status} ({said}), mutta hankkeen ajanjakso päättyi {end.isoformat()}; "
                               "onko hanke päättynyt (status: ended)? Korjaa tila tai ajanjakso"))
        elif data.status == "ended" and end > today:
            out.append(Problem(record.path, record.line(("status",)), "status",
                               f"tila on ended (päättynyt), mutta hankkeen ajanjakso päättyy vasta {end.isoformat()}; "
                               "korjaa tila tai ajanjakso"))
    return out


@dataclass
class Site:
    """Everything the renderer needs: records, vocabularies and the two-way relations."""

    corpus: Corpus
    relations: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    connections: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    regions: dict[str, list[str]] = field(default_factory=dict)
    counties: dict[str, list[str]] = field(default_factory=dict)
    similar: dict[str, tuple] = field(default_factory=dict)
    changed: dict[str, Any] = field(default_factory=dict)  # id → date last changed (generator/history.py)

    @property
    def records(self) -> dict[str, Record]:
        return self.corpus.records

    def of_kind(self, kind: str) -> list[Record]:
        """Records of one kind, sorted by title (Finnish-aware enough: case-folded)."""
        return sorted((r for r in self.records.values() if r.kind == kind), key=lambda r: (r.data.title.casefold(), r.id))

    def related(self, record_id: str, relation: str) -> list[Record]:
        ids = self.relations.get(record_id, {}).get(relation, [])
        return sorted((self.records[i] for i in ids), key=lambda r: (r.data.title.casefold(), r.id))

    def label(self, vocabulary: str, value: str) -> str:
        term = self.corpus.vocabularies.get(vocabulary, {}).get(value)
        return term.label if term else value


def link(corpus: Corpus) -> Site:
    """Check every reference and vocabulary value, then build the two-way relations."""
    problems: list[Problem] = list(corpus.problems)
    _check_vocabularies(corpus, problems)
    for record in corpus.records.values():
        _check_record(record, corpus, problems)
    if problems:
        raise ContentError(problems)
    site = Site(corpus=corpus)
    _build_relations(site)
    _derive_places(site)
    return site


def _walk(value: Any, loc: tuple = ()) -> Iterator[tuple[tuple, str, Any]]:
    """Yield (location, field name, value) for every field of a dumped record, depth first."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield loc + (key,), key, item
            yield from _walk(item, loc + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, loc + (index,))


def _values(value: Any) -> list[tuple[int | None, str]]:
    if isinstance(value, str):
        return [(None, value)]
    if isinstance(value, list):
        return [(i, v) for i, v in enumerate(value) if isinstance(v, str)]
    return []


def _check_record(record: Record, corpus: Corpus, problems: list[Problem]) -> None:
    first: dict[tuple, tuple] = {}
    for where, name, item in _references(record):
        if name in VOCAB_FIELDS:
            _check_vocab(record, where, VOCAB_FIELDS[name], item, corpus, problems)
        else:
            _check_ref(record, where, REF_FIELDS[name], item, corpus, problems)
        if where and isinstance(where[-1], int):
            seen = first.setdefault((where[:-1], item), where)
            if seen != where:
                problems.append(Problem(record.path, record.line(where), format_loc(where),
                                        f'"{short(item)}" on listassa jo kohdassa {format_loc(seen)}; poista toinen'))
    if record.kind in ("practice", "project"):
        for index, other in enumerate(record.data.not_related):
            if other in record.data.related:
                loc = ("not_related", index)
                problems.append(Problem(record.path, record.line(loc), format_loc(loc),
                                        f'"{other}" on sekä related- että not_related-listassa; poista toisesta'))


def _references(record: Record) -> list[tuple[tuple, str, str]]:
    """Every vocabulary value and record reference in a record: (location, field, value)."""
    return record.memo("references", lambda: [
        (loc + ((index,) if index is not None else ()), name, item)
        for loc, name, value in _walk(record.data.model_dump(mode="python", exclude_none=True))
        if name in VOCAB_FIELDS or name in REF_FIELDS
        for index, item in _values(value)
    ])


def _check_vocab(record: Record, loc: tuple, vocabulary: str, value: str, corpus: Corpus, problems: list[Problem]) -> None:
    terms = corpus.vocabularies.get(vocabulary, {})
    if value in terms:
        return
    meant = named(value, terms)
    if len(meant) == 1:
        _replace(record.data, loc, meant[0])  # a label or a name written as the id it names: understood
        return
    where = format_loc(loc)
    if meant:
        options = ", ".join(f'"{key}" ({terms[key].label})' for key in meant)
        problems.append(Problem(record.path, record.line(loc), where,
                                f'"{short(value)}" sopii usealle sanaston {vocabulary} arvolle: {options}; kirjoita niistä oikean tunniste'))
        return
    hint = allowed_values(value, terms, labels={key: term.label for key, term in terms.items()},
                          where=f"content/vocabularies/{vocabulary}.yml")
    problems.append(Problem(record.path, record.line(loc), where, f'tuntematon arvo "{short(value)}" sanastossa {vocabulary}.{hint}'))


def named(value: str, terms: dict[str, Any]) -> list[str]:
    """The ids whose label (Finnish or Swedish) or id ``value`` names, written as a person
    would ("Jyväskylä", "jyväskylä", "Päättynyt"): one when ``value`` is unambiguous."""
    wanted = slugged(value)
    if not wanted:
        return []
    if wanted in terms:
        return [wanted]
    return sorted(key for key, term in terms.items()
                  if wanted in {slugged(term.label), slugged(getattr(term, "label_sv", None) or "")})


def _replace(data: Any, loc: tuple, value: str) -> None:
    """Put ``value`` at ``loc`` (as in the record's dump) in the validated record."""
    target = data
    for part in loc[:-1]:
        target = target[part] if isinstance(part, int) else getattr(target, part)
    if isinstance(loc[-1], int):
        target[loc[-1]] = value
    else:
        setattr(target, loc[-1], value)


def _check_ref(record: Record, loc: tuple, kinds: frozenset[str], value: str, corpus: Corpus, problems: list[Problem]) -> None:
    target = corpus.records.get(value)
    if target is None and corpus.broken.get(value) in kinds:
        return  # the referenced file exists but has its own problems, reported there
    wanted = " tai ".join(sorted(KIND_LABELS[k] for k in kinds))
    if target is None:
        candidates = [r.id for r in corpus.records.values() if r.kind in kinds]
        hint = allowed_values(value, candidates)
        missing = " tai ".join(sorted(KIND_PARTITIVES[k] for k in kinds))
        problems.append(Problem(record.path, record.line(loc), format_loc(loc), f'tuntematon viite "{short(value)}": sellaista {missing} ei ole.{hint}'))
    elif target.kind not in kinds:
        problems.append(Problem(record.path, record.line(loc), format_loc(loc), f'"{value}" on {KIND_LABELS[target.kind]}, tähän kuuluu {wanted}'))
    elif value == record.id:
        problems.append(Problem(record.path, record.line(loc), format_loc(loc), "tietue ei voi viitata itseensä"))


def _check_vocabularies(corpus: Corpus, problems: list[Problem]) -> None:
    vocab = corpus.vocabularies
    for key, municipality in vocab.get("municipalities", {}).items():
        for name, target in (("region", "regions"), ("county", "counties"), ("part_of", "municipalities")):
            value = getattr(municipality, name)
            if value is not None and value not in vocab.get(target, {}):
                hint = allowed_values(value, vocab.get(target, {}))
                problems.append(_vocabulary_problem(corpus, "municipalities", (key, name), f'tuntematon arvo "{value}" sanastossa {target}.{hint}'))
    for key, funder in vocab.get("funders", {}).items():
        if funder.parent is not None and funder.parent not in vocab.get("funders", {}):
            hint = allowed_values(funder.parent, vocab.get("funders", {}))
            problems.append(_vocabulary_problem(corpus, "funders", (key, "parent"), f'tuntematon rahoittaja "{funder.parent}".{hint}'))
    for name, link in (("funders", "parent"), ("municipalities", "part_of")):
        for cycle in _cycles({key: getattr(term, link) for key, term in vocab.get(name, {}).items()}):
            chain = " → ".join([*cycle, cycle[0]])
            problems.append(_vocabulary_problem(corpus, name, (cycle[0], link), f"kehä: {chain}; jonkin arvon {link}-kentän pitää johtaa ulos kehästä"))


def _vocabulary_problem(corpus: Corpus, name: str, loc: tuple[str, ...], message: str) -> Problem:
    """A problem in a vocabulary file, at the line of ``loc`` in it."""
    holder = corpus.vocabulary_files.get(name)
    if holder is None:
        return Problem(f"content/vocabularies/{name}.yml", None, format_loc(loc), message)
    return Problem(holder.path, holder.line(loc), format_loc(loc), message)


def _cycles(parents: dict[str, str | None]) -> list[list[str]]:
    """Every cycle of the parent links, each once, starting at its smallest key."""
    found: list[list[str]] = []
    done: set[str] = set()
    for start in sorted(parents):
        chain: list[str] = []
        key: str | None = start
        while key is not None and key in parents and key not in done and key not in chain:
            chain.append(key)
            key = parents[key]
        if key in chain:
            cycle = chain[chain.index(key):]
            first = cycle.index(min(cycle))
            found.append(cycle[first:] + cycle[:first])
        done.update(chain)
    return found


def _pairs(site: Site) -> Iterator[tuple[str, str, str, str]]:
    """Yield every stated link as (from id, relation on from, to id, relation on to)."""
    for record in site.records.values():
        data, rid = record.data, record.id
        if record.kind == "project":
            for org in data.implementers:
                yield rid, "implementers", org, "projects"
            for partner in data.partners:
                if partner.organisation:
                    yield rid, "partner_organisations", partner.organisation, "partner_projects"
            for practice in data.practices:
                yield rid, "practices", practice, "projects"
        if record.kind == "practice":
            for project in data.projects:
                yield rid, "projects", project, "practices"
            for org in data.organisations:
                yield rid, "organisations", org, "practices"
        if record.kind in ("project", "practice"):
            for collection in data.collections:
                yield rid, "collections", collection, "members"
        if record.kind == "collection":
            for member in data.members:
                yield rid, "members", member, "collections"
            for org in data.actors:
                yield rid, "actors", org, "collections"


def _build_relations(site: Site) -> None:
    relations: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for source, forward, target, backward in _pairs(site):
        relations[source][forward].add(target)
        relations[target][backward].add(source)
    site.relations = {rid: {rel: sorted(ids) for rel, ids in rels.items()} for rid, rels in relations.items()}
    connections: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for record in site.records.values():
        for connection in getattr(record.data, "connections", []):
            connections[record.id].add((connection.record, connection.description))
            connections[connection.record].add((record.id, connection.description))
    site.connections = {rid: sorted(items) for rid, items in connections.items()}


def _derive_places(site: Site) -> None:
    """Regions and wellbeing services counties follow from municipalities (plus explicit regions)."""
    municipalities = site.corpus.vocabularies.get("municipalities", {})
    for record in site.records.values():
        names = list(getattr(record.data, "municipalities", []))
        if getattr(record.data, "municipality", None):
            names.append(record.data.municipality)
        regions = set(getattr(record.data, "regions", []))
        counties: set[str] = set()
        for name in names:
            term = municipalities[name]
            regions.add(term.region)
            if term.county:
                counties.add(term.county)
        site.regions[record.id] = sorted(regions)
        site.counties[record.id] = sorted(counties)
