"""Open data: the JSON, CSV and Atom files hold every record, parse, and cannot run as formulas."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from generator import render
from generator.pipeline import check, generate

ROOT = Path(__file__).resolve().parent.parent
ATOM = "{http://www.w3.org/2005/Atom}"


def test_json_holds_every_record_and_vocabulary() -> None:
    files = generate(ROOT / "content")
    site = check(ROOT / "content")
    data = json.loads(files["data/hankekirjasto.json"])
    assert sorted(r["id"] for r in data["records"]) == sorted(site.records)
    touko = next(r for r in data["records"] if r["id"] == "touko")
    assert touko["kind"] == "project" and touko["url"] == "hankkeet/touko/"
    assert touko["title"] == site.records["touko"].data.title
    assert "pohjois-savo" in touko["derived"]["regions"]
    assert set(data["vocabularies"]) >= {"themes", "target_groups", "municipalities", "funders"}


def test_csv_has_a_row_per_record_and_guards_formulas(content: Path) -> None:
    practice = content / "toimintamallit" / "malli.yml"
    text = practice.read_text(encoding="utf-8")
    assert "\nplace:" not in text
    practice.write_text(text.replace("\nsummary:", '\nplace: "=HYPERLINK(1)"\nsummary:', 1), encoding="utf-8")
    files = generate(content)
    site = check(content)
    for kind, folder in render.KIND_FOLDERS.items():
        rows = list(csv.DictReader(io.StringIO(files[f"data/{folder}.csv"])))
        assert sorted(row["id"] for row in rows) == sorted(r.id for r in site.of_kind(kind))
    cells = [cell for row in csv.reader(io.StringIO(files["data/toimintamallit.csv"])) for cell in row]
    assert "'=HYPERLINK(1)" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_feed_is_atom_with_the_newest_records_first() -> None:
    files = generate(ROOT / "content")
    feed = ET.fromstring(files["feed.xml"])
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    titles = {e.findtext(f"{ATOM}title") for e in entries}
    site = check(ROOT / "content")
    assert titles <= {r.data.title for r in site.records.values()}


def test_editor_only_fields_stay_out_of_open_data() -> None:
    """Editors' notes and sources' working file names are in the fixture record, not in its data."""
    files = generate(ROOT / "tests" / "fixtures" / "site" / "content")
    data = json.loads(files["data/hankekirjasto.json"])
    record = next(r for r in data["records"] if r["id"] == "malli-hanke")
    assert "editor_notes" not in record
    assert record["sources"][0] == {"title": "Testiaineisto", "publisher": "Esimerkki ry", "date": "2026-02-24", "pages": "luku 2"}
    assert "testi.txt" not in files["data/hankkeet.csv"] and "editor_notes" not in files["data/hankkeet.csv"]
    assert "joka ei näy lukijalle" not in "".join(files.values())


def test_feed_dates_each_entry_as_it_sorts_it_and_leaves_out_undated_records(content: Path) -> None:
    """An entry without `added` is dated by its last change, in its place among the others; a
    record with no date at all is not given the newest one (it used to end the feed so dated)."""
    path = content / "toimintamallit" / "toinen-malli.yml"
    path.write_text(path.read_text(encoding="utf-8") + "modified: 2026-02-01\n", encoding="utf-8")
    feed = ET.fromstring(generate(content)["feed.xml"])
    entries = [(e.findtext(f"{ATOM}id").rsplit(":", 1)[1], e.findtext(f"{ATOM}updated")) for e in feed.findall(f"{ATOM}entry")]
    assert entries == [("toinen-malli", "2026-02-01T00:00:00Z"), ("malli", "2026-01-15T00:00:00Z")]  # malli-hanke: no date
    assert feed.findtext(f"{ATOM}updated") == "2026-02-01T00:00:00Z"
