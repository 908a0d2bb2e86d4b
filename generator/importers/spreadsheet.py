"""Spreadsheets (CSV, XLSX): one row per record, columns by the field's Finnish label or key.

Only fields that fit in a cell are columns: one-line and text fields, dates, the status,
vocabulary values and references (several separated by ';'), the period's start and end, one
source per row and the funders. Everything else (indicators, actions, partners …) is written
into the YAML afterwards. Every bad cell is reported at once as ``file:row:column: field:
message``; while any row is bad, nothing is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..linker import REF_FIELDS, VOCAB_FIELDS
from ..loader import message
from ..model import KINDS, STATUS_LABELS, Period, Source
from ..problems import Problem, allowed_values
from . import Draft, ImportResult, finnish_date, normalise, slugify, vocabulary_index

SEPARATOR = ";"
SKIPPED = {"sources", "period", "funding", "editor_notes", "added", "modified"}
ID_COLUMN = ("id", "Tunniste", "Tunniste (tiedostonimi ilman päätettä). Jos puuttuu, se tehdään nimestä.")


@dataclass(frozen=True)
class Column:
    key: str  # "title", "period.start", "sources.title"
    label: str  # Finnish heading
    help: str
    kind: str  # "text", "list", "date", "literal"
    required: bool = False
    vocabulary: str | None = None
    refs: frozenset[str] | None = None
    allowed: tuple[str, ...] = ()


def _inner(annotation: Any) -> Any:
    args = [a for a in get_args(annotation) if a is not type(None)]
    return args[0] if get_origin(annotation) in (typing.Union, getattr(__import__("types"), "UnionType", None)) and args else annotation


def columns(kind: str) -> list[Column]:
    """The spreadsheet's columns for a record kind, in the model's order."""
    model = KINDS[kind]
    out = [Column(*ID_COLUMN, kind="text")]
    fields = sorted(model.model_fields.items(), key=lambda item: (not item[1].is_required(), item[0] not in ("title", "summary")))
    for name, info in fields:
        annotation = _inner(info.annotation)
        origin = get_origin(annotation)
        common = dict(key=name, label=info.title or name, help=info.description or "", required=info.is_required(),
                      vocabulary=VOCAB_FIELDS.get(name), refs=REF_FIELDS.get(name))
        if name in SKIPPED:
            continue
        if origin is list:
            item = get_args(annotation)[0]
            if isinstance(item, type) and issubclass(item, BaseModel):
                continue
            out.append(Column(kind="list", **common))
        elif origin is Literal:
            out.append(Column(kind="literal", allowed=get_args(annotation), **common))
        elif annotation is dt.date:
            out.append(Column(kind="date", **common))
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            continue
        else:
            out.append(Column(kind="text", **common))
    if "period" in model.model_fields:
        title = model.model_fields["period"].title
        for sub in ("start", "end", "note"):
            info = Period.model_fields[sub]
            out.append(Column(f"period.{sub}", f"{title}: {info.title}", info.description or "", "date" if sub != "note" else "text"))
    if "funding" in model.model_fields or "funders" in model.model_fields:
        key = "funding.funder" if "funding" in model.model_fields else "funders"
        out.append(Column(key, "Rahoittajat", "Rahoittajat sanastosta funders; useampi puolipisteellä erotettuna.", "list", vocabulary="funders"))
    for sub in ("title", "publisher", "url", "date", "pages"):
        info = Source.model_fields[sub]
        out.append(Column(f"sources.{sub}", f"Lähde: {info.title}", info.description or "", "date" if sub == "date" else "text"))
    out.append(Column("editor_notes", model.model_fields["editor_notes"].title or "", model.model_fields["editor_notes"].description or "", "text"))
    return out


def letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


# --- reading -----------------------------------------------------------------------------------


def _rows(path: Path) -> list[list[Any]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    text = path.read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, dt.date) else str(value).strip()


def read(path: Path, shown: str, *, kind: str, corpus: Any, default_source: dict[str, Any]) -> ImportResult:
    result = ImportResult()
    try:
        rows = _rows(path)
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError) as error:
        result.problems.append(Problem(shown, None, "", f"taulukkoa ei voi lukea: {type(error).__name__}"))
        return result
    rows = [row for row in rows if any(_cell(v) != "" for v in row)]
    if not rows:
        result.problems.append(Problem(shown, None, "", "taulukko on tyhjä: ensimmäisellä rivillä pitää olla sarakkeiden otsikot"))
        return result
    spec = columns(kind)
    by_name = {normalise(c.label): c for c in spec} | {normalise(c.key): c for c in spec}
    header: dict[int, Column] = {}
    for index, heading in enumerate(rows[0]):
        heading = str(_cell(heading))
        if not heading:
            continue
        column = by_name.get(normalise(heading))
        if column is None:
            hint = allowed_values(heading, [c.label for c in spec], limit=60)
            result.problems.append(Problem(shown, 1, heading, f"tuntematon sarake.{hint}", letter(index)))
        elif column in header.values():
            result.problems.append(Problem(shown, 1, column.key, f'sarake "{heading}" on kahdesti', letter(index)))
        else:
            header[index] = column
    present = {c.key for c in header.values()}
    for column in spec:
        if column.required and column.key not in present:
            result.problems.append(Problem(shown, 1, column.key, f'pakollinen sarake "{column.label}" puuttuu'))
    if result.problems:
        return result
    vocab = corpus.vocabularies if corpus else {}
    titles = {}
    if corpus:
        for record in corpus.records.values():
            titles[(record.kind, normalise(record.id))] = record.id
            titles.setdefault((record.kind, normalise(record.data.title)), record.id)
    seen: dict[str, int] = {}
    where = {c.key: letter(i) for i, c in header.items()}
    for number, row in enumerate(rows[1:], start=2):
        data: dict[str, Any] = {}
        bad = False
        reported: set[str] = set()
        for index, column in header.items():
            value = _cell(row[index]) if index < len(row) else ""
            if value == "":
                continue
            converted, problem = _convert(column, value, vocab, titles)
            if problem:
                result.problems.append(Problem(shown, number, column.key, problem, letter(index)))
                bad = True
                reported.add(column.key)
            else:
                _put(data, column.key, converted)
        record_id = data.pop("id", None) or slugify(str(data.get("title", "")))
        if "sources" in data:
            data["sources"] = [data["sources"]]
        elif default_source:
            data["sources"] = [dict(default_source)]
        if "funding" in data:
            data["funding"] = [{"funder": f} for f in data["funding"]["funder"]]
        errors = _validate(KINDS[kind], data)
        for loc, text in errors:
            key = ".".join(str(p) for p in loc if not isinstance(p, int))
            if key in reported or key.split(".")[0] in {k.split(".")[0] for k in reported}:
                continue
            column = where.get(key) or where.get(key.split(".")[0])
            result.problems.append(Problem(shown, number, key, text, column))
        if errors or bad:
            continue
        if not record_id:
            result.problems.append(Problem(shown, number, "id", "rivillä ei ole tunnistetta eikä nimeä", where.get("id")))
            continue
        if record_id in seen:
            result.problems.append(Problem(shown, number, "id", f'tunniste "{record_id}" on jo rivillä {seen[record_id]}', where.get("id")))
            continue
        seen[record_id] = number
        result.drafts.append(Draft(kind, record_id, data))
    return result


def _put(data: dict, key: str, value: Any) -> None:
    if "." in key:
        head, tail = key.split(".", 1)
        data.setdefault(head, {})[tail] = value
    else:
        data[key] = value


def _validate(model: type[BaseModel], data: dict) -> list[tuple[tuple, str]]:
    try:
        model.model_validate(data)
    except ValidationError as error:
        return [(tuple(e["loc"]), message(e, model)) for e in error.errors(include_url=False)]
    return []


def _convert(column: Column, value: Any, vocab: dict, titles: dict) -> tuple[Any, str | None]:
    if column.kind == "date":
        if isinstance(value, dt.date):
            return value, None
        date = finnish_date(str(value))
        return (date, None) if date else (None, f'päivämäärä "{value}" ei kelpaa: kirjoita 31.12.2025 tai 2025-12-31')
    text = str(value) if not isinstance(value, dt.date) else value.isoformat()
    if column.kind == "literal":
        labels = {normalise(v): v for v in column.allowed} | {normalise(STATUS_LABELS.get(v, v)): v for v in column.allowed}
        found = labels.get(normalise(text))
        if found:
            return found, None
        shown = ", ".join(f"{STATUS_LABELS.get(v, v)} ({v})" for v in column.allowed)
        return None, f'tuntematon arvo "{text}"; sallitut: {shown}'
    values = [v.strip() for v in text.split(SEPARATOR) if v.strip()] if column.kind == "list" else [text]
    out = []
    for item in values:
        if column.vocabulary:
            terms = vocab.get(column.vocabulary, {})
            found = vocabulary_index(terms).get(normalise(item))
            if not found:
                hint = allowed_values(item, terms, limit=12)
                return None, f'tuntematon arvo "{item}" sanastossa {column.vocabulary}.{hint}'
            item = found
        elif column.refs:
            found = next((titles[(k, normalise(item))] for k in column.refs if (k, normalise(item)) in titles), None)
            if not found:
                return None, f'tietuetta "{item}" ei löydy: anna tunniste tai nimi'
            item = found
        out.append(item)
    return (out if column.kind == "list" else out[0]), None


# --- the template ------------------------------------------------------------------------------


def template(path: Path, kind: str) -> None:
    """A spreadsheet with the columns of ``kind``: headings, and (XLSX) a sheet explaining each."""
    spec = columns(kind)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.comments import Comment
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        sheet.title = "Tietueet"
        for index, column in enumerate(spec, start=1):
            cell = sheet.cell(row=1, column=index, value=column.label)
            cell.font = Font(bold=True)
            cell.comment = Comment(_help(column), "Hankekirjasto")
            sheet.column_dimensions[letter(index - 1)].width = max(14, min(40, len(column.label) + 4))
        sheet.freeze_panes = "A2"
        guide = book.create_sheet("Ohje")
        guide.append(["Sarake", "Kenttä", "Pakollinen", "Ohje"])
        for cell in guide[1]:
            cell.font = Font(bold=True)
        for column in spec:
            guide.append([column.label, column.key, "kyllä" if column.required else "", _help(column)])
        book.save(path)
        return
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([c.label for c in spec])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _help(column: Column) -> str:
    text = column.help
    if column.vocabulary:
        text += f" Arvot sanastosta {column.vocabulary} nimenä tai tunnisteena."
    if column.refs:
        text += " Toisen tietueen tunniste tai nimi."
    if column.kind == "list":
        text += " Useampi arvo puolipisteellä (;) erotettuna."
    if column.kind == "date":
        text += " Päivämäärä, esim. 31.12.2025."
    if column.allowed:
        text += " Sallitut: " + ", ".join(f"{STATUS_LABELS.get(v, v)} ({v})" for v in column.allowed) + "."
    return text.strip()
