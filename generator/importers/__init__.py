"""`hankekirjasto import`: draft records from what coordinators already have.

Three readers (``spreadsheet``, ``reportform``, ``eura``) turn a source into an
``ImportResult``: draft records as plain data, what the reader could not place, and the
problems of the input. This module plans what would be written (new file, existing file left
alone, or replaced with a diff shown), checks the drafts together with the existing content
exactly as `hankekirjasto check` does, and writes only on request.

Readers never invent a value: a field the source does not give stays absent.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..model import KIND_FOLDERS
from ..problems import ContentError, Problem, slugged


@dataclass
class Draft:
    """One record to write: its kind, id (= file name) and fields as plain YAML data."""

    kind: str
    id: str
    data: dict[str, Any]


@dataclass
class ImportResult:
    drafts: list[Draft] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)  # what the source said that no field holds
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Planned:
    draft: Draft
    path: Path
    text: str
    action: str  # "new", "keep" (exists, not overwritten) or "replace"
    diff: str = ""


# --- matching values from sources ---------------------------------------------------------

_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-"})


def normalise(text: str) -> str:
    """A label as compared: NFKC, dashes as '-', accents off (ä → a), case and spaces folded."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip()


def slugify(text: str) -> str:
    """A record id from a name: "Työpajatoiminta Lieksassa" → "tyopajatoiminta-lieksassa"."""
    return slugged(text)[:80].strip("-")


def vocabulary_index(vocabulary: dict[str, Any]) -> dict[str, str]:
    """Normalised id and label → id, for matching a source's words to a vocabulary."""
    index: dict[str, str] = {}
    for key, term in vocabulary.items():
        index.setdefault(normalise(key), key)
        index.setdefault(normalise(term.label), key)
    return index


def finnish_date(text: str) -> dt.date | None:
    """1.7.2025, 01.07.2025 or 2025-07-01 → a date; anything else None."""
    text = text.strip()
    found = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    try:
        if found:
            return dt.date(int(found[3]), int(found[2]), int(found[1]))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        return None
    return None


def first_sentence(text: str) -> tuple[str, str]:
    """A paragraph split after its first sentence: (sentence, the rest)."""
    found = re.search(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9])", text)
    if not found:
        return text.strip(), ""
    return text[: found.start()].strip(), text[found.end():].strip()


# --- YAML out -------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _number(dumper: yaml.SafeDumper, value: float) -> yaml.Node:
    return dumper.represent_int(int(value)) if value.is_integer() else dumper.represent_float(value)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(float, _number)


def to_yaml(draft: Draft) -> str:
    body = yaml.dump(draft.data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    return f"# yaml-language-server: $schema=../../schema/{draft.kind}.schema.json\n{body}"


# --- planning, checking and writing ---------------------------------------------------------


def plan(content_dir: Path, result: ImportResult, overwrite: bool = False) -> list[Planned]:
    """What writing ``result`` would do to ``content_dir``, file by file."""
    planned = []
    for draft in result.drafts:
        path = content_dir / KIND_FOLDERS[draft.kind] / f"{draft.id}.yml"
        text = to_yaml(draft)
        if not path.exists():
            planned.append(Planned(draft, path, text, "new"))
            continue
        old = path.read_text(encoding="utf-8")
        diff = "".join(difflib.unified_diff(old.splitlines(keepends=True), text.splitlines(keepends=True),
                                            fromfile=f"{path} (nyt)", tofile=f"{path} (tuonti)"))
        planned.append(Planned(draft, path, text, "replace" if overwrite else "keep", diff))
    return planned


def check_drafts(content_dir: Path, planned: list[Planned]) -> list[Problem]:
    """The problems `hankekirjasto check` would report in the drafts once written.

    Runs the real check on a copy of the content with the drafts in place, so a draft passes
    only if the whole content still passes with it; only the drafts' own problems are returned.
    """
    from ..pipeline import check

    written = [p for p in planned if p.action != "keep"]
    if not written:
        return []
    with tempfile.TemporaryDirectory(prefix="hankekirjasto-import-") as tmp:
        copy = Path(tmp) / content_dir.name
        shutil.copytree(content_dir, copy, symlinks=True)
        rels = set()
        for item in written:
            rel = item.path.relative_to(content_dir)
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            (copy / rel).write_text(item.text, encoding="utf-8")
            rels.add(f"{content_dir.name}/{rel.as_posix()}")
        try:
            check(copy)
        except ContentError as error:
            shown = content_dir.as_posix()
            return [Problem(p.path.replace(f"{content_dir.name}/", f"{shown}/", 1), p.line, p.field, p.message)
                    for p in error.problems if p.path in rels]
    return []


def write(planned: list[Planned]) -> list[Path]:
    done = []
    for item in planned:
        if item.action == "keep":
            continue
        item.path.parent.mkdir(parents=True, exist_ok=True)
        item.path.write_text(item.text, encoding="utf-8")
        done.append(item.path)
    return done


def report(planned: list[Planned], result: ImportResult) -> str:
    """The dry run as the coordinator reads it: every file, its text or diff, and what was left out."""
    lines: list[str] = []
    for item in planned:
        if item.action == "new":
            lines.append(f"Uusi tietue: {item.path}")
            lines += [f"    {line}" if line else "" for line in item.text.splitlines()]
        elif item.action == "keep":
            lines.append(f"On jo olemassa, ei korvata: {item.path} (korvaa: --overwrite; ero alla)")
            lines += [f"    {line}" for line in item.diff.splitlines()] or ["    (ei eroja)"]
        else:
            lines.append(f"Korvataan: {item.path}")
            lines += [f"    {line}" for line in item.diff.splitlines()] or ["    (ei eroja)"]
        lines.append("")
    if result.unplaced:
        lines.append("Lähteessä oli myös tietoja, joita ei tuotu (ei vastaavaa kenttää tai jätetty pois tarkoituksella):")
        lines += [f"  - {item}" for item in result.unplaced]
    return "\n".join(lines)
