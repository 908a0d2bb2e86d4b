"""Open data and feeds: every record as JSON and CSV, the JSON Schema, and an Atom feed.

All output is deterministic: sorted keys, sorted records, and the feed's time stamps come
from the records' own dates (`added`, else their last change), never from the clock.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from typing import Any, Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

from pydantic import BaseModel

from . import innokyla
from .facets import Facet
from .linker import Site
from .loader import Record
from .model import EDITOR_ONLY, KIND_FOLDERS, KINDS
from .schema import schemas

DATA_DIR = "data"
CSV_LIST_SEPARATOR = "; "


# What XML 1.0 cannot hold (C0 controls but tab and newline, U+FFFE/U+FFFF, lone surrogates),
# and the bidirectional controls: the validator refuses them in every field, and output drops
# them again so that feed.xml, the JSON and the CSV stay well-formed whatever a field holds.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A cell starting with one of these runs as a formula in a spreadsheet (CSV injection);
# full-width and small forms (＝, ﹦, ＋ …) count, as NFKC reads them as the same.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def clean(text: str) -> str:
    """``text`` without the characters that no output file may hold."""
    return _UNWRITABLE.sub("", text) if _UNWRITABLE.search(text) else text


def record_json(record: Record, site: Site) -> dict[str, Any]:
    """One record as open data: its fields plus kind, id, page URL and derived places."""
    return {
        "id": record.id,
        "kind": record.kind,
        "url": f"{KIND_FOLDERS[record.kind]}/{record.id}/",
        **_dumped(record, exclude_none=True),
        "derived": {"regions": site.regions.get(record.id, []), "counties": site.counties.get(record.id, [])},
    }


def _dumped(record: Record, exclude_none: bool) -> dict[str, Any]:
    """The record's fields as JSON values, kept on the record (callers must not modify them).
    Editors' notes and the sources' working file names are left out (model.EDITOR_ONLY)."""
    return record.memo(f"json_{exclude_none}", lambda: _cleaned(
        record.data.model_dump(mode="json", exclude_none=exclude_none, exclude=EDITOR_ONLY)))


def _cleaned(value: Any) -> Any:
    """``value`` with :func:`clean` applied to every text in it."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {key: _cleaned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    return value


def files(site: Site, facets: list[Facet]) -> dict[str, str]:
    """data/hankekirjasto.json, one CSV per kind, the schemas, feed.xml and the Innokylä texts."""
    return {path: text if isinstance(text, str) else "".join(text) for path, text in file_pieces(site, facets)}


def file_pieces(site: Site, facets: list[Facet]) -> Iterator[tuple[str, str | Iterable[str]]]:
    """:func:`files` one file at a time, the large ones as the pieces of their text, made as
    they are read: written out piece by piece, the open data never has to be in memory whole
    (at 10,000 records the JSON alone is about 110 MB as Python text, and was as much again
    as Python objects while it was dumped)."""
    yield f"{DATA_DIR}/hankekirjasto.json", _json_pieces(site)
    for kind in KINDS:
        yield f"{DATA_DIR}/{KIND_FOLDERS[kind]}.csv", _csv_pieces(site.of_kind(kind), KINDS[kind], site)
    yield from ((f"{DATA_DIR}/schema/{name}", text) for name, text in schemas().items())
    yield "feed.xml", atom_feed(site)
    yield from innokyla.file_pieces(site)


def _dumps(value: Any) -> str:
    # Compact: a program reads it, and without indentation json uses its C encoder (about
    # 5x faster at 1,000 records, which matters on every rebuild of `mkdocs serve`).
    return clean(json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True))


def _json_pieces(site: Site) -> Iterator[str]:
    """data/hankekirjasto.json, one record at a time: the same text as dumping
    ``{"records": [...], "vocabularies": {...}}`` in one go (keys sorted, so records first)."""
    yield '{"records":['
    for n, record in enumerate(r for kind in KINDS for r in site.of_kind(kind)):
        yield ("," if n else "") + _dumps(record_json(record, site))
    yield '],"vocabularies":'
    yield _dumps({name: {key: _cleaned(term.model_dump(mode="json", exclude_none=True)) for key, term in sorted(terms.items())}
                  for name, terms in sorted(site.corpus.vocabularies.items())})
    yield "}\n"


def csv_columns(model: type[BaseModel]) -> list[str]:
    """Scalar and list-of-text fields become CSV columns; nested structures stay in the JSON."""
    columns = ["id"]
    for name, info in model.model_fields.items():
        if EDITOR_ONLY.get(name) is True:
            continue
        text = str(info.annotation)
        if "Step" in text or "Quote" in text or "Lesson" in text or "Decision" in text or "Contact" in text:
            continue
        if any(t in text for t in ("Source", "Link", "Partner", "Funding", "Connection", "Results", "Indicator")):
            continue
        columns.append(name)
    return columns


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return CSV_LIST_SEPARATOR.join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = clean(str(value))
    # A cell that starts like a formula would run as one in a spreadsheet (CSV injection).
    return "'" + text if unicodedata.normalize("NFKC", text[:1]) in _FORMULA_STARTS or text[:1] in _FORMULA_STARTS else text


def to_csv(records: list[Record], model: type[BaseModel], site: Site) -> str:
    """One row per record; lists joined with "; ", periods as JSON."""
    return "".join(_csv_pieces(records, model, site))


_CSV_PIECE = 1 << 16  # characters


def _csv_pieces(records: list[Record], model: type[BaseModel], site: Site) -> Iterator[str]:
    """:func:`to_csv` in pieces of about 64 K characters."""
    columns = csv_columns(model)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        dumped = _dumped(record, exclude_none=False)
        writer.writerow([record.id if c == "id" else _cell(dumped.get(c)) for c in columns])
        if buffer.tell() >= _CSV_PIECE:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def atom_feed(site: Site, limit: int = 50) -> str:
    """Atom feed of practices and projects, newest first; links are relative to the feed.

    An entry's date is the record's `added`, else when it last changed (`modified` or its last
    commit); a record with neither cannot say when it was new and is left out.
    """
    dated = [(r.data.added or site.changed.get(r.id), r) for r in site.of_kind("practice") + site.of_kind("project")]
    dated = sorted(((when, r) for when, r in dated if when), key=lambda pair: (pair[0].isoformat(), pair[1].id), reverse=True)[:limit]
    stamp = f"{dated[0][0].isoformat()}T00:00:00Z" if dated else "2000-01-01T00:00:00Z"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fi">',
        "  <title>Hankekirjasto: uudet toimintamallit ja hankkeet</title>",
        "  <id>tag:hankekirjasto,2026:feed</id>",
        f"  <updated>{stamp}</updated>",
        '  <link rel="self" href="feed.xml"/>',
        '  <link rel="alternate" type="text/html" href="./"/>',
    ]
    for when, record in dated:
        kind = "Toimintamalli" if record.kind == "practice" else "Hanke"
        added = f"{when.isoformat()}T00:00:00Z"
        lines += [
            "  <entry>",
            f"    <title>{escape(clean(record.data.title))}</title>",
            f"    <id>tag:hankekirjasto,2026:{record.kind}:{record.id}</id>",
            f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(f'{KIND_FOLDERS[record.kind]}/{record.id}/')}/>",
            f"    <updated>{added}</updated>",
            f"    <category term={quoteattr(kind)}/>",
            f"    <summary>{escape(clean(record.data.summary))}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def field_docs() -> dict[str, list[tuple[str, str, str]]]:
    """Kind → (field, Finnish title, Finnish description) for the open data page."""
    return {
        kind: [(name, info.title or name, info.description or "") for name, info in model.model_fields.items()
               if EDITOR_ONLY.get(name) is not True]
        for kind, model in KINDS.items()
    }
