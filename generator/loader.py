"""Stage 1: read every file under content/ into validated records.

Reads all files, validates each against the record model and collects every problem of
every file before giving up, so an editor fixes everything in one round.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import reprlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ValidationError

from . import editorial, images as images_mod, yamlio
from .parallel import in_parts
from .model import FOLDERS, KINDS, QUALIFIER_NAMES, SLUG_RE, STATUS_NAMES, VOCABULARIES, RecordBase, Term, character_name, refused_character
from .problems import ContentError, Problem

RECORD_SUFFIXES = (".yml", ".yaml", ".md")
VOCAB_FOLDER = "vocabularies"
PAGES_FOLDER = "sivut"
IMAGES_FOLDER = f"{PAGES_FOLDER}/{images_mod.FOLDER}"  # the editorial pages' images (generator/images.py)
IGNORED_NAMES = {"README.md", ".DS_Store"}
# Vocabularies whose values have no page of their own (facets.FACETS): a description there
# would be shown nowhere, so it is refused rather than silently dropped.
VOCABULARIES_WITHOUT_PAGES = frozenset({"age_groups", "counties"})


@dataclass
class Record:
    """One validated record and where it came from."""

    kind: str
    id: str
    path: str
    data: Any  # an instance of the kind's model
    text: str = field(repr=False, default="")  # the YAML text, for line numbers in later stages
    line_offset: int = 0

    def memo(self, name: str, compute: Callable[[], Any]) -> Any:
        """``compute()``'s value, kept on the record. Under `mkdocs serve` an unchanged record is
        the same object in the next build (LoadCache), so work kept here is not done again.
        Callers must not modify the value."""
        found = self.__dict__.get(f"_memo_{name}")
        if found is None:
            found = self.__dict__[f"_memo_{name}"] = compute()
        return found

    def line(self, path: tuple[str | int, ...]) -> int | None:
        found = yamlio.line_of(self.text, path)
        return found + self.line_offset if found else None


@dataclass
class Page:
    """An editorial page (Markdown with front matter) under content/sivut/."""

    id: str
    path: str
    title: str
    body: str
    meta: dict[str, Any]
    body_line: int = 1  # the line of the file the body starts on


@dataclass
class Corpus:
    records: dict[str, Record]
    vocabularies: dict[str, dict[str, Term]]
    pages: dict[str, Page]
    problems: list[Problem] = field(default_factory=list)
    broken: dict[str, str] = field(default_factory=dict)  # id → kind of records that failed to load
    # Vocabulary name → its file (path and text), for the line of a problem found later.
    vocabulary_files: dict[str, Record] = field(default_factory=dict)
    images: dict[str, images_mod.Image] = field(default_factory=dict)  # name in sivut/kuvat/ → image


@dataclass
class LoadCache:
    """What earlier loads read, by file, so that `mkdocs serve` re-reads only edited files.

    A file counts as unchanged while its size and modification time (ns) are the same; its
    cached result is then the very same object as before, which later stages use to see what
    an edit changed. Vocabularies are cached as one unit: any change to one reloads them all.
    """

    files: dict[str, tuple[tuple[int, int], Any, list[Problem]]] = field(default_factory=dict)

    def read(self, path: Path, rel: str, problems: list[Problem], reader: Callable[[list[Problem]], Any]) -> Any:
        stamp = _stamp(path)
        if stamp is None:
            return reader(problems)  # the reader reports the error
        cached = self.files.get(rel)
        if cached is None or cached[0] != stamp:
            found: list[Problem] = []
            cached = (stamp, reader(found), found)
            self.files[rel] = cached
        problems.extend(cached[2])
        return cached[1]

    def stale(self, path: Path, rel: str) -> tuple[int, int] | None:
        """The file's stamp when :meth:`read` would read it again; None when it would not (or
        cannot, and leaves the error to its reader)."""
        stamp = _stamp(path)
        cached = self.files.get(rel)
        return stamp if stamp is not None and (cached is None or cached[0] != stamp) else None

    def forget_except(self, seen: set[str]) -> None:
        for rel in set(self.files) - seen:
            del self.files[rel]


def _stamp(path: Path) -> tuple[int, int] | None:
    """Modification time (ns) and size: a file counts as unchanged while both are the same."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


# Records to read before the reading is shared with a forked process: below this, the fork
# and sending the records back cost more than they save.
PARALLEL_LOAD_FROM = 200


def load(content_dir: Path, cache: LoadCache | None = None, processes: int = 1) -> Corpus:
    """Read and validate everything under ``content_dir``.

    Problems are collected in ``Corpus.problems`` rather than raised, so that the linker can
    still check the references of the valid records and every problem is reported in one run.
    With a ``cache`` (kept between the rebuilds of `mkdocs serve`), files not changed since the
    previous load are not read again. With ``processes`` > 1, many records to read are read and
    validated in that many processes (forked: only where no other threads run); the result is
    the same.
    """
    cache = cache if cache is not None else LoadCache()
    problems: list[Problem] = []
    files = _content_files(content_dir, problems)
    vocab_files = [p for p in files if p.parent == content_dir / VOCAB_FOLDER]
    vocabularies, vocabulary_files = _cached_vocabularies(content_dir, vocab_files, cache, problems)
    records: dict[str, Record] = {}
    pages: dict[str, Page] = {}
    images: dict[str, images_mod.Image] = {}
    broken: dict[str, str] = {}
    seen = {_VOCAB_KEY}
    entries = [(path, path.relative_to(content_dir.parent).as_posix(), path.parent.relative_to(content_dir).as_posix())
               for path in files]
    _read_ahead(entries, cache, processes)
    for path, rel, folder in entries:
        if folder == VOCAB_FOLDER:
            continue
        seen.add(rel)
        if folder == PAGES_FOLDER:
            page = cache.read(path, rel, problems, lambda found, path=path, rel=rel: _read_page(path, rel, found))
            _add(pages, page, rel, problems)
        elif folder == IMAGES_FOLDER:
            image = cache.read(path, rel, problems, lambda found, path=path, rel=rel: images_mod.read(path, rel, found))
            if image is not None:
                images[image.name] = image
        elif folder in FOLDERS:
            kind = FOLDERS[folder]
            record = cache.read(path, rel, problems, lambda found, path=path, rel=rel, kind=kind: _read_record(path, rel, kind, found))
            if record is None:
                broken[path.stem] = kind
            _add(records, record, rel, problems)
        else:
            known = ", ".join(sorted([*FOLDERS, PAGES_FOLDER, VOCAB_FOLDER]))
            problems.append(Problem(rel, None, "", f'tuntematon tietuelaji: kansio "{folder}" ei ole mikään näistä: {known}'))
    cache.forget_except(seen)
    home = f"{content_dir.name}/{PAGES_FOLDER}/index.md"
    if "index" not in pages and not any(p.path == home for p in problems):  # a broken home page says why itself
        problems.append(Problem(home, None, "", "etusivu puuttuu: lisää tiedosto sivut/index.md, jonka front matterissa on title"))
    return Corpus(records=records, vocabularies=vocabularies, pages=pages, problems=problems, broken=broken,
                  vocabulary_files=vocabulary_files, images=images)


def _content_files(content_dir: Path, problems: list[Problem]) -> list[Path]:
    """Every file to read under ``content_dir``. Nothing outside it is read or published: a
    symbolic link that leads out of it (or nowhere) is a problem, and links are never followed
    into folders. A folder named like a file (themes.yml/) is a problem too."""
    if not content_dir.is_dir():
        raise ContentError([Problem(str(content_dir), None, "", "sisältökansiota ei löydy")])
    root = content_dir.resolve()
    found = []
    for folder, dirs, names in os.walk(content_dir):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in [*dirs, *names]:
            path = here / name
            if name in IGNORED_NAMES or name.startswith("."):
                continue
            rel = path.relative_to(content_dir.parent).as_posix()
            if path.is_symlink() and not _inside(path, root):
                problems.append(Problem(rel, None, "", "symbolinen linkki osoittaa sisältökansion ulkopuolelle tai tiedostoon, "
                                        "jota ei ole; sivustolle ei julkaista mitään content-kansion ulkopuolelta: "
                                        "kopioi tiedosto kansioon tai poista linkki"))
            elif path.is_symlink() and name in dirs:
                # MkDocs follows folder links (a link to a parent folder never ends), the loader
                # does not: refused, so that both read the same files.
                problems.append(Problem(rel, None, "", "symbolinen linkki kansioon; kansiolinkkejä ei seurata: "
                                        "poista linkki tai kopioi kansio tähän"))
            elif name in dirs and Path(name).suffix in RECORD_SUFFIXES:
                problems.append(Problem(rel, None, "", "tämä on kansio, vaikka nimi on tiedoston nimi; tietueet ja sanastot ovat tiedostoja"))
            elif name in dirs and here == content_dir / VOCAB_FOLDER:
                problems.append(Problem(rel, None, "", "sanastokansiossa saa olla vain sanastotiedostoja (esim. themes.yml), ei kansioita"))
            elif name in names and path.is_file():
                found.append(path)
    return sorted(found)


def _inside(path: Path, root: Path) -> bool:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return target == root or root in target.parents


def _add(store: dict, item: Record | Page | None, rel: str, problems: list[Problem]) -> None:
    if item is None:
        return
    if item.id in store:
        other = store[item.id].path
        problems.append(Problem(rel, None, "", f'tunniste "{item.id}" on jo käytössä tiedostossa {other}; tunnisteen pitää olla yksilöllinen'))
        return
    store[item.id] = item


def _read_text(path: Path, rel: str, problems: list[Problem]) -> str | None:
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(Problem(rel, None, "", f"tiedostoa ei voi lukea: {error.strerror or error}"))
        return None
    if len(raw) > yamlio.MAX_BYTES:
        problems.append(Problem(rel, None, "", f"tiedosto on liian suuri ({len(raw) // 1000} kt, enintään {yamlio.MAX_BYTES // 1000} kt)"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(Problem(rel, line, "", "tiedosto ei ole UTF-8-muodossa; tallenna se UTF-8-merkistöllä"))
        return None
    if not text.strip():
        problems.append(Problem(rel, None, "", "tiedosto on tyhjä"))
        return None
    if _check_characters(text, rel, problems):
        return None
    return text


# Characters YAML refuses (libyaml would say so in English, without a line), and line breaks
# that YAML counts but editors do not show (NEL, U+2028, U+2029: every line after one would be
# reported one too far down).
_UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_MAX_CHARACTER_PROBLEMS = 20


def _check_characters(text: str, rel: str, problems: list[Problem]) -> bool:
    """Report every line with a character no file may hold (line and field, counted as editors
    count lines); True when there was one."""
    if not _UNREADABLE.search(text):
        return False
    found = [(number, match.group()) for number, line in enumerate(text.split("\n"), start=1)
             if (match := _UNREADABLE.search(line))]
    readable_text = _UNREADABLE.sub(" ", text)  # so that splitting lines counts as editors do
    yaml_text, _, offset = split_front_matter(readable_text) if rel.endswith(".md") else (readable_text, "", 0)
    for number, char in found[:_MAX_CHARACTER_PROBLEMS]:
        in_body = rel.endswith(".md") and (offset == 0 or number > yaml_text.count("\n") + 2)
        loc = yamlio.field_at(yaml_text, number - offset) if not in_body and number > offset else ()
        where = format_loc(loc) if loc else ("description" if in_body and f"/{PAGES_FOLDER}/" not in rel else "")
        problems.append(Problem(rel, number, where, f"tiedostossa on näkymätön merkki {character_name(char)}, "
                                "joka ei kuulu tekstiin (usein kopioitu toisesta ohjelmasta); poista se"))
    return True


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split Markdown with YAML front matter into (yaml, body, line offset of the yaml)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return "", text, 0
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1:]), 1
    return "".join(lines[1:]), "", 1


def _parse_mapping(text: str, rel: str, offset: int, problems: list[Problem]) -> dict | None:
    try:
        data = yamlio.parse(text)
    except yamlio.YamlProblem as problem:
        where = format_loc(yamlio.field_at(text, problem.line, problem.column)) if problem.line else ""
        problems.append(Problem(rel, problem.line + offset if problem.line else None, where, problem.message))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(rel, 1 + offset, "", f"tiedoston pitää olla YAML-sanakirja (avain: arvo), nyt se on {_kind_of(data, text)}"))
        return None
    return data


def _kind_of(data: Any, text: str) -> str:
    """What a file that is not a mapping holds, without echoing it (it may be a secret, or huge)."""
    if isinstance(data, list):
        return "lista"
    if data is None:
        return "tyhjä"
    start = text.strip()[:20]
    return f'pelkkä arvo, joka alkaa "{start}{"…" if len(text.strip()) > 20 else ""}"'


def _read_ahead(entries: list[tuple[Path, str, str]], cache: LoadCache, processes: int) -> None:
    """Puts the record files ``cache`` would read into it, read in ``processes`` processes when
    there are many; :meth:`LoadCache.read` then finds them there. ``entries``: (path, path
    relative to the content folder's parent, folder)."""
    if processes < 2 or len(entries) < PARALLEL_LOAD_FROM:
        return  # checked first: one process (mkdocs serve) stats nothing here
    todo = []
    for path, rel, folder in entries:
        if folder in FOLDERS and (stamp := cache.stale(path, rel)) is not None:
            todo.append((path, rel, FOLDERS[folder], stamp))
    if len(todo) < PARALLEL_LOAD_FROM:
        return

    def read(part: range) -> list[tuple[Record | None, list[Problem]]]:
        out = []
        for path, rel, kind, _ in (todo[k] for k in part):
            found: list[Problem] = []
            out.append((_read_record(path, rel, kind, found), found))
        return out

    done = [result for part in in_parts(read, len(todo), processes) for result in part]
    for (_, rel, _, stamp), (record, found) in zip(todo, done):
        cache.files[rel] = (stamp, record, found)


def _read_record(path: Path, rel: str, kind: str, problems: list[Problem]) -> Record | None:
    if path.suffix not in RECORD_SUFFIXES:
        problems.append(Problem(rel, None, "", "tuntematon tiedostotyyppi; tietueet ovat .yml- tai .md-tiedostoja"))
        return None
    if not SLUG_RE.match(path.stem):
        problems.append(Problem(rel, None, "", "tiedostonimessä saa olla vain pieniä kirjaimia a–z, numeroita ja väliviivoja (esim. touko-hanke.yml)"))
        return None
    text = _read_text(path, rel, problems)
    if text is None:
        return None
    yaml_text, body, offset = split_front_matter(text) if path.suffix == ".md" else (text, "", 0)
    data = _parse_mapping(yaml_text, rel, offset, problems)
    if data is None:
        return None
    if body.strip():
        if "description" in data:
            problems.append(Problem(rel, None, "description", "kuvaus on sekä front matterissa että tekstiosassa; käytä vain toista"))
            return None
        data["description"] = body.strip()
    record = Record(kind=kind, id=path.stem, path=rel, data=None, text=yaml_text, line_offset=offset)
    record.data = validate(KINDS[kind], data, record, problems)
    return record if record.data is not None else None


def validate(model: type[BaseModel], data: dict, record: Record, problems: list[Problem]) -> Any:
    """Validate ``data`` against ``model``; add one Problem per error to ``problems``."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for item in error.errors(include_url=False):
            loc = tuple(item["loc"])
            if item["type"] == "invalid_key":  # the location ends in the bad key itself
                loc = loc[:-1]
            text = message(item, model)
            if item["type"] in _READ_AS_OTHER and not isinstance(item.get("input"), str):
                text = _read_as_other(item, yamlio.source_of(record.text, loc)) or text
            problems.append(Problem(record.path, record.line(loc), format_loc(loc), text))
        return None


_READ_AS_OTHER = {"string_type", "float_type", "float_parsing"}


def _read_as_other(error: dict, written: str | None) -> str | None:
    """YAML reads some unquoted values as another type than the editor meant: 0401234567 as a
    number (an octal one), yes/no/on/off as true/false, 2025-01-01 as a date. Says how to write it."""
    value = error.get("input")
    if written is None or isinstance(value, (list, dict)):
        return None
    read_as = ("totuusarvona (yes, no, on, off, true ja false ovat YAMLissa totuusarvoja)" if isinstance(value, bool)
               else "päivämääränä" if isinstance(value, (dt.date, dt.datetime)) else "numerona" if isinstance(value, (int, float))
               else None)
    if read_as is None:
        return None
    shown = written if len(written) <= 40 else written[:37] + "…"
    if error["type"] == "string_type":
        return f'odotettiin tekstiä, mutta YAML lukee arvon {shown} {read_as}; kirjoita se lainausmerkkeihin: "{shown}"'
    return f"odotettiin numeroa, mutta YAML lukee arvon {shown} {read_as}; kirjoita numero, esim. 150"


def format_loc(loc: tuple[str | int, ...]) -> str:
    """``("results", "indicators", 1, "target")`` → ``results.indicators[1].target``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 3, 60, 60


def _shown(value: Any) -> str:
    """A value as the editor wrote it, short (and safe for huge or deeply nested values)."""
    if isinstance(value, (dt.date, dt.datetime)):
        text = value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    elif isinstance(value, str):
        text = f'"{value}"'
    else:
        text = _REPR.repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def message(error: dict, model: type[BaseModel]) -> str:
    """A Finnish message for one pydantic error, in words an editor understands."""
    kind, value = error["type"], error.get("input")
    if kind == "missing":
        return "pakollinen kenttä puuttuu"
    if (value is None or (isinstance(value, str) and not value.strip())) and kind != "invalid_key":
        return _empty(error, model)
    if kind == "extra_forbidden":
        return _unknown_field(error, model)
    if kind in {"float_parsing", "float_type", "int_parsing", "int_type"}:
        if isinstance(value, str) and _is_number(value):
            return f"odotettiin numeroa, saatiin teksti {_shown(value)}; kirjoita numero ilman lainausmerkkejä"
        return f"odotettiin numeroa, saatiin {_shown(value)}"
    if kind == "finite_number":
        return f"odotettiin tavallista numeroa, saatiin {_shown(value)}"
    if kind == "invalid_key":
        return f"avain {_shown(error['loc'][-1])} ei kelpaa kentän nimeksi; kentän nimi on tekstiä, esim. title"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"odotettiin päivämäärää muodossa VVVV-KK-PP, saatiin {_shown(value)}"
    if kind == "literal_error":
        allowed = _literal_choices(str(error.get("ctx", {}).get("expected", "")), tuple(error["loc"]))
        return f"tuntematon arvo {_shown(value)}; sallitut: {allowed}"
    if kind in {"string_type"}:
        return f"odotettiin tekstiä, saatiin {_shown(value)}"
    if kind in {"list_type"}:
        return f"odotettiin listaa (rivit alkavat '- '), saatiin {_shown(value)}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"odotettiin sanakirjaa (avain: arvo), saatiin {_shown(value)}"
    if kind == "too_short":
        return "lista on tyhjä tai teksti puuttuu; vähintään yksi tarvitaan"
    if kind == "string_too_short":
        return "teksti puuttuu"
    if kind == "string_pattern_mismatch":
        return f"{_shown(value)} ei kelpaa tunnisteeksi: vain pieniä kirjaimia a–z, numeroita ja väliviivoja"
    if kind == "bool_type" or kind == "bool_parsing":
        return f"odotettiin arvoa true tai false, saatiin {_shown(value)}"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return error["msg"]


def _empty(error: dict, model: type[BaseModel]) -> str:
    """An empty value ("" or nothing after the colon), as a skeleton from `hankekirjasto new`
    leaves it: fill it in or, when the field is optional, delete the line."""
    loc = tuple(error["loc"])
    if loc and isinstance(loc[-1], int):
        return "listan kohta on tyhjä: kirjoita arvo tai poista rivi"
    owner = _model_at(model, loc[:-1]) if loc else None
    info = owner.model_fields.get(str(loc[-1])) if owner is not None and loc else None
    if info is not None and not info.is_required():
        return "kenttä on tyhjä: täytä se tai poista rivi (kenttä ei ole pakollinen)"
    allowed = error.get("ctx", {}).get("expected") if error["type"] == "literal_error" else None
    return "pakollinen kenttä on tyhjä: täytä se" + (f"; sallitut: {_literal_choices(str(allowed), loc)}" if allowed else "")


def _literal_choices(expected: str, loc: tuple) -> str:
    """Allowed values of a choice field, each with its Finnish name where it has one."""
    names = {**STATUS_NAMES, **QUALIFIER_NAMES}
    keys = re.findall(r"'([^']*)'", expected)
    return ", ".join(f"{key} ({names[key].lower()})" if key in names else key for key in keys) if keys else expected


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _unknown_field(error: dict, model: type[BaseModel]) -> str:
    name = str(error["loc"][-1])
    owner = _model_at(model, error["loc"][:-1])
    allowed = sorted(owner.model_fields) if owner else []
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    hint = f' Tarkoititko "{close[0]}"?' if close else ""
    return f'tuntematon kenttä "{name if len(name) <= 40 else name[:39] + "…"}".{hint} Sallitut kentät: {", ".join(allowed)}.'


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The nested model class a location points into (for listing its allowed fields)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field_info = current.model_fields.get(part) if isinstance(current, type) and issubclass(current, BaseModel) else None
        if field_info is None:
            return None
        current = _inner_model(field_info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _read_page(path: Path, rel: str, problems: list[Problem]) -> Page | None:
    if path.suffix != ".md":
        where = f"; kuvat kansioon {PAGES_FOLDER}/{images_mod.FOLDER}/" if path.suffix.lower() in images_mod.SUFFIXES else ""
        problems.append(Problem(rel, None, "", f"sivut-kansiossa saa olla vain .md-sivuja{where}"))
        return None
    if not SLUG_RE.match(path.stem):
        # The name is the page's URL (and what the search index is told): the same rule as records.
        problems.append(Problem(rel, None, "", "tiedostonimessä saa olla vain pieniä kirjaimia a–z, numeroita ja väliviivoja (esim. tietoa.md)"))
        return None
    text = _read_text(path, rel, problems)
    if text is None:
        return None
    yaml_text, body, offset = split_front_matter(text)
    meta = _parse_mapping(yaml_text, rel, offset, problems) if yaml_text.strip() else {}
    if meta is None:
        return None
    for key in meta:
        if key != "title":
            # The page templates use only the title: anything else would be dropped unseen.
            line = yamlio.line_of(yaml_text, (key,))
            problems.append(Problem(rel, line + offset if line else None, str(key),
                                    f'tuntematon kenttä "{key}"; sivun front matterissa on vain title'))
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem(rel, 1, "title", "sivulta puuttuu otsikko (title) front matterista"))
        return None
    line = yamlio.line_of(yaml_text, ("title",))
    body_line = text[: len(text) - len(body)].count("\n") + 1
    unsafe = editorial.check(body, rel, body_line)
    if (message := refused_character(title)) or "\n" in title.strip():
        unsafe.append(Problem(rel, line + offset if line else 1, "title", message or "kentän pitää olla yksi rivi"))
    if unsafe:
        problems.extend(unsafe)
        return None
    return Page(id=path.stem, path=rel, title=title.strip(), body=body, meta=meta, body_line=body_line)


_VOCAB_KEY = "\0vocabularies"  # the cache entry of all vocabularies together


Vocabularies = tuple[dict[str, dict[str, Term]], dict[str, Record]]


def _cached_vocabularies(content_dir: Path, paths: list[Path], cache: LoadCache, problems: list[Problem]) -> Vocabularies:
    stamp = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            stat = None
        stamp.append((path.name, stat.st_mtime_ns if stat else 0, stat.st_size if stat else -1))
    cached = cache.files.get(_VOCAB_KEY)
    if cached is None or cached[0] != tuple(stamp):
        found: list[Problem] = []
        cached = (tuple(stamp), _load_vocabularies(content_dir, paths, found), found)
        cache.files[_VOCAB_KEY] = cached
    problems.extend(cached[2])
    return cached[1]


def _load_vocabularies(content_dir: Path, paths: list[Path], problems: list[Problem]) -> Vocabularies:
    vocabularies: dict[str, dict[str, Term]] = {name: {} for name in VOCABULARIES}
    files: dict[str, Record] = {}
    seen: dict[str, str] = {}
    for path in sorted(paths, key=lambda p: (p.stem, p.suffix != ".yml")):  # of two files, .yml is the one read
        rel = path.relative_to(content_dir.parent).as_posix()
        name = path.stem
        if name not in VOCABULARIES or path.suffix not in (".yml", ".yaml"):
            problems.append(Problem(rel, None, "", f"tuntematon sanasto; sallitut: {', '.join(sorted(VOCABULARIES))} (.yml)"))
            continue
        if name in seen:
            problems.append(Problem(rel, None, "", f"sanasto {name} on jo tiedostossa {seen[name]}; yhdellä sanastolla on yksi tiedosto, poista toinen"))
            continue
        seen[name] = rel
        text = _read_text(path, rel, problems)
        data = _parse_mapping(text, rel, 0, problems) if text is not None else None
        if data is None:
            continue
        holder = files[name] = Record(kind="vocabulary", id=name, path=rel, data=None, text=text)
        for key, entry in data.items():
            if not isinstance(key, str) or not SLUG_RE.match(key):
                problems.append(Problem(rel, holder.line((key,)), str(key)[:40], "sanaston tunnisteessa saa olla vain pieniä kirjaimia a–z, numeroita ja väliviivoja"))
                continue
            term = _validate_term(VOCABULARIES[name], key, entry, holder, problems)
            if term is not None and term.description and name in VOCABULARIES_WITHOUT_PAGES:
                problems.append(Problem(rel, holder.line((key, "description")), f"{key}.description",
                                        f"sanaston {name} arvoilla ei ole omaa sivua, joten kuvausta ei näytettäisi missään; poista description"))
            elif term is not None:
                vocabularies[name][key] = term
    return vocabularies, files


def _validate_term(model: type[Term], key: str, entry: Any, holder: Record, problems: list[Problem]) -> Term | None:
    try:
        return model.model_validate(entry)
    except ValidationError as error:
        for item in error.errors(include_url=False):
            loc = (key, *item["loc"])
            problems.append(Problem(holder.path, holder.line(loc), format_loc(loc), message(item, model)))
        return None


__all__ = ["Corpus", "Page", "Record", "RecordBase", "load", "split_front_matter"]
