"""Stage 1: read every file under content/ into validated records.

Reads all files, validates each against the record model and collects every problem of
every file before giving up, so an editor fixes everything in one round.
"""

from __future__ import annotations

import datetime as dt
import difflib
import reprlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ValidationError

from . import yamlio
from .parallel import in_parts
from .model import FOLDERS, KINDS, SLUG_RE, VOCABULARIES, RecordBase, Term
from .problems import ContentError, Problem

RECORD_SUFFIXES = (".yml", ".yaml", ".md")
VOCAB_FOLDER = "vocabularies"
PAGES_FOLDER = "sivut"
IGNORED_NAMES = {"README.md", ".DS_Store"}


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


@dataclass
class Corpus:
    records: dict[str, Record]
    vocabularies: dict[str, dict[str, Term]]
    pages: dict[str, Page]
    problems: list[Problem] = field(default_factory=list)
    broken: dict[str, str] = field(default_factory=dict)  # id → kind of records that failed to load


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
    files = _content_files(content_dir)
    vocab_files = [p for p in files if p.parent == content_dir / VOCAB_FOLDER]
    vocabularies = _cached_vocabularies(content_dir, vocab_files, cache, problems)
    records: dict[str, Record] = {}
    pages: dict[str, Page] = {}
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
    return Corpus(records=records, vocabularies=vocabularies, pages=pages, problems=problems, broken=broken)


def _content_files(content_dir: Path) -> list[Path]:
    if not content_dir.is_dir():
        raise ContentError([Problem(str(content_dir), None, "", "sisältökansiota ei löydy")])
    return sorted(
        p for p in content_dir.rglob("*")
        if p.is_file() and p.name not in IGNORED_NAMES and not p.name.startswith(".")
    )


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
    return text


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
        problems.append(Problem(rel, problem.line + offset if problem.line else None, "", problem.message))
        return None
    if not isinstance(data, dict):
        got = "lista" if isinstance(data, list) else "tyhjä" if data is None else f"arvo {data!r}"
        problems.append(Problem(rel, 1 + offset, "", f"tiedoston pitää olla YAML-sanakirja (avain: arvo), nyt se on {got}"))
        return None
    return data


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
            problems.append(Problem(record.path, record.line(loc), format_loc(loc), message(item, model)))
        return None


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
    if kind == "extra_forbidden":
        return _unknown_field(error, model)
    if kind in {"float_parsing", "float_type", "int_parsing", "int_type"}:
        return f"odotettiin numeroa, saatiin {_shown(value)}"
    if kind == "finite_number":
        return f"odotettiin tavallista numeroa, saatiin {_shown(value)}"
    if kind == "invalid_key":
        return f"avain {_shown(error['loc'][-1])} ei kelpaa kentän nimeksi; kentän nimi on tekstiä, esim. title"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"odotettiin päivämäärää muodossa VVVV-KK-PP, saatiin {_shown(value)}"
    if kind == "literal_error":
        allowed = str(error.get("ctx", {}).get("expected", "")).replace(" or ", " tai ")
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


def _unknown_field(error: dict, model: type[BaseModel]) -> str:
    name = str(error["loc"][-1])
    owner = _model_at(model, error["loc"][:-1])
    allowed = sorted(owner.model_fields) if owner else []
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    hint = f' Tarkoititko "{close[0]}"?' if close else ""
    return f'tuntematon kenttä "{name}".{hint} Sallitut kentät: {", ".join(allowed)}.'


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
        problems.append(Problem(rel, None, "", "sivut-kansiossa saa olla vain .md-sivuja"))
        return None
    text = _read_text(path, rel, problems)
    if text is None:
        return None
    yaml_text, body, offset = split_front_matter(text)
    meta = _parse_mapping(yaml_text, rel, offset, problems) if yaml_text.strip() else {}
    if meta is None:
        return None
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem(rel, 1, "title", "sivulta puuttuu otsikko (title) front matterista"))
        return None
    return Page(id=path.stem, path=rel, title=title.strip(), body=body, meta=meta)


_VOCAB_KEY = "\0vocabularies"  # the cache entry of all vocabularies together


def _cached_vocabularies(content_dir: Path, paths: list[Path], cache: LoadCache, problems: list[Problem]) -> dict[str, dict[str, Term]]:
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


def _load_vocabularies(content_dir: Path, paths: list[Path], problems: list[Problem]) -> dict[str, dict[str, Term]]:
    vocabularies: dict[str, dict[str, Term]] = {name: {} for name in VOCABULARIES}
    for path in paths:
        rel = path.relative_to(content_dir.parent).as_posix()
        name = path.stem
        if name not in VOCABULARIES or path.suffix not in (".yml", ".yaml"):
            problems.append(Problem(rel, None, "", f"tuntematon sanasto; sallitut: {', '.join(sorted(VOCABULARIES))} (.yml)"))
            continue
        text = _read_text(path, rel, problems)
        data = _parse_mapping(text, rel, 0, problems) if text is not None else None
        if data is None:
            continue
        holder = Record(kind="vocabulary", id=name, path=rel, data=None, text=text)
        for key, entry in data.items():
            if not isinstance(key, str) or not SLUG_RE.match(key):
                problems.append(Problem(rel, holder.line((key,)), str(key), "sanaston tunnisteessa saa olla vain pieniä kirjaimia a–z, numeroita ja väliviivoja"))
                continue
            term = _validate_term(VOCABULARIES[name], key, entry, holder, problems)
            if term is not None:
                vocabularies[name][key] = term
    return vocabularies


def _validate_term(model: type[Term], key: str, entry: Any, holder: Record, problems: list[Problem]) -> Term | None:
    try:
        return model.model_validate(entry)
    except ValidationError as error:
        for item in error.errors(include_url=False):
            loc = (key, *item["loc"])
            problems.append(Problem(holder.path, holder.line(loc), format_loc(loc), message(item, model)))
        return None


__all__ = ["Corpus", "Page", "Record", "RecordBase", "load", "split_front_matter"]
