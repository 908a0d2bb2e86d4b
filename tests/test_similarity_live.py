"""What must hold for the similar-record lists of any content: run over the live ``content/``.

Nothing here names a record, so adding or changing records never breaks these tests; quality
is judged on the fixed corpus of tests/test_similarity_quality.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import related
from generator.pipeline import check, generate

ROOT = Path(__file__).resolve().parent.parent
LISTS = {"practice": ("Samankaltaiset toimintamallit", "toimintamalleja"), "project": ("Samankaltaiset hankkeet", "hankkeita")}
FOLDERS = {"practice": "toimintamallit", "project": "hankkeet"}


@pytest.fixture(scope="module")
def site():
    return check(ROOT / "content")


@pytest.fixture(scope="module")
def ranked(site):
    return related.compute(site, {})


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return generate(ROOT / "content")


def _section(page: str, title: str) -> str:
    assert page.count(f"\n## {title}\n") == 1, title
    return page.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_every_project_and_practice_page_has_both_lists_or_says_nothing_is_similar(site, ranked, files) -> None:
    for record in site.of_kind("practice") + site.of_kind("project"):
        page = files[f"{FOLDERS[record.kind]}/{record.id}.md"]
        for kind, (title, partitive) in LISTS.items():
            section = _section(page, title)
            fallback = f"Kirjastossa ei vielä ole {partitive}, jotka olisivat tälle riittävän samankaltaisia."
            expected = [n.id for n in ranked[record.id] if site.records[n.id].kind == kind]
            same_folder = kind == record.kind
            pattern = r'<li><a href="\.\./([a-z0-9-]+)/"' if same_folder else rf'<li><a href="\.\./\.\./{FOLDERS[kind]}/([a-z0-9-]+)/"'
            linked = re.findall(pattern, section)
            assert linked == expected, (record.id, kind)
            assert (fallback in section) == (not expected), (record.id, kind)


def test_no_self_links_at_most_limit_unpinned_and_each_list_of_one_kind(site, ranked) -> None:
    limit = related.settings_config({}).limit
    for rid, neighbours in ranked.items():
        assert rid not in {n.id for n in neighbours}
        for kind in related.KINDS:
            of_kind = [n for n in neighbours if site.records[n.id].kind == kind]
            assert len([n for n in of_kind if not n.pinned]) <= limit
            assert len({n.id for n in of_kind}) == len(of_kind)
            assert all(n.reasons for n in of_kind)


def test_pins_come_first_and_exclusions_and_own_records_never_show(site, ranked) -> None:
    for record in site.of_kind("practice") + site.of_kind("project"):
        shown = ranked[record.id]
        own = site.relations.get(record.id, {}).get("practices" if record.kind == "project" else "projects", [])
        assert not ({n.id for n in shown} & (set(record.data.not_related) | set(own))), record.id
        for kind in related.KINDS:
            of_kind = [n.id for n in shown if site.records[n.id].kind == kind]
            pinned = [p for p in record.data.related if site.records[p].kind == kind and p not in own]
            assert of_kind[: len(pinned)] == pinned, record.id


def test_pins_and_exclusions_work_across_kinds(site_copy: Path) -> None:
    """A practice pins a project and excludes another; a project pins a practice."""
    content = site_copy / "content"
    practice = content / "toimintamallit" / "toinen-malli.yml"
    practice.write_text(practice.read_text(encoding="utf-8") + "related:\n  - malli-hanke\n", encoding="utf-8")
    site = check(content)
    ranked = related.compute(site, {})
    assert [n.id for n in ranked["toinen-malli"] if n.pinned] == ["malli-hanke"]
    project = content / "hankkeet" / "malli-hanke.yml"
    project.write_text(project.read_text(encoding="utf-8") + "not_related:\n  - toinen-malli\n", encoding="utf-8")
    practice.write_text(practice.read_text(encoding="utf-8").replace("related:\n  - malli-hanke\n", ""), encoding="utf-8")
    ranked = related.compute(check(content), {"min_score": 0.0})
    assert "toinen-malli" not in [n.id for n in ranked["malli-hanke"]]
