"""Facts from sources: every number in a record must occur in one of the documents it cites.

An invented figure (a sum, a rounded percentage, a typo) fails this test. Numbers are
compared by value after normalising thin and no-break spaces between digit groups and
decimal commas, so "3 200", "3200" and "3\u202f200" are the same number.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from generator.linker import REF_FIELDS, VOCAB_FIELDS
from generator.pipeline import check

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:[,.]\d+)?")
SKIPPED_FIELDS = {"sources", "links", "attachments", "url", "innokyla_url", "website", "email", "added", *REF_FIELDS, *VOCAB_FIELDS}


# The facts a public project page (EURA 2014) gives, when the record also cites such a page.
WEB_FIELDS = {"period", "project_code", "business_id", "priority_axis", "specific_objective", "programme", "funding"}


def numbers_in(text: str) -> set[float]:
    """Every number written in ``text``, as values."""
    found = set()
    for token in NUMBER.findall(text):
        plain = re.sub(r"[ \u00a0\u202f]", "", token).replace(",", ".")
        found.add(float(plain))
    return found


def record_numbers(value: Any, field: str = "") -> Iterator[tuple[str, float]]:
    """(field path, number) for every number in a record's text, indicators and dates."""
    if field.split(".")[-1].split("[")[0] in SKIPPED_FIELDS:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from record_numbers(item, f"{field}.{key}" if field else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from record_numbers(item, f"{field}[{index}]")
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, (int, float)):
        yield field, float(value)
    elif isinstance(value, dt.date):
        yield field, float(value.year)
    elif isinstance(value, str):
        for number in numbers_in(value):
            yield field, number


def test_number_extraction_normalises_spaces_and_commas() -> None:
    assert numbers_in("yli 3 200 kävijää, 1,55 käyntiä, 3\u202f333,35 €") == {3200.0, 1.55, 3333.35}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="source documents (../shared/seeds) are not beside the repository")
def test_every_number_in_records_occurs_in_a_cited_source() -> None:
    site = check(ROOT / "content")
    missing = []
    for record in site.records.values():
        files = [s.file for s in record.data.sources if s.file]
        on_the_web = any(s.url for s in record.data.sources)
        if not files:
            assert on_the_web, f"{record.path}: no source cited"
            continue  # facts from a public web page (e.g. EURA 2014): no local copy to compare with
        source_numbers: set[float] = set()
        for name in files:
            path = SEEDS / name
            assert path.is_file(), f"{record.path}: cited source {name} does not exist"
            source_numbers |= numbers_in(path.read_text(encoding="utf-8"))
        for field, number in record_numbers(record.data.model_dump(mode="python", exclude_none=True)):
            if number not in source_numbers and not (on_the_web and field.split(".")[0].split("[")[0] in WEB_FIELDS):
                missing.append(f"{record.path}: {field}: {number:g} is in none of {', '.join(files)}")
    assert not missing, "\n".join(missing)
