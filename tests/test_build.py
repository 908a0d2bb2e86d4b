"""End to end: a real `mkdocs build --strict`, asserting on the HTML a reader gets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .browser_support import mkdocs_build

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("built")
    result = mkdocs_build(ROOT / "tests" / "fixtures" / "site", site)
    assert result.returncode == 0, result.stderr
    return site


def headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html, re.S)]


def test_practice_page_sections_in_order(fixture_site: Path) -> None:
    html = (fixture_site / "toimintamallit" / "malli" / "index.html").read_text(encoding="utf-8")
    found = [h for h in headings(html) if h]
    expected = ["Perustiedot", "Ratkaisun perusidea", "Toimintaympäristö", "Kehittämisen polku",
                "Kehitystyön lähtökohtana olevat tarpeet", "Tavoiteltu muutos", "Toiminnan kuvaus", "Lähteet"]
    assert [h for h in found if h in expected] == expected
    # Empty sections are left out, not shown empty.
    for absent in ("Toimivuuden ja käyttöönoton ehdot", "Muutoksen mittaaminen", "Palaute", "Opit ja haasteet"):
        assert absent not in found


def test_links_between_kinds_resolve_both_ways(fixture_site: Path) -> None:
    practice = (fixture_site / "toimintamallit" / "malli" / "index.html").read_text(encoding="utf-8")
    project = (fixture_site / "hankkeet" / "malli-hanke" / "index.html").read_text(encoding="utf-8")
    org = (fixture_site / "organisaatiot" / "esimerkki-ry" / "index.html").read_text(encoding="utf-8")
    collection = (fixture_site / "kokonaisuudet" / "esimerkkikokonaisuus" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../hankkeet/malli-hanke/"' in practice
    assert 'href="../../kokonaisuudet/esimerkkikokonaisuus/"' in practice
    assert 'href="../../toimintamallit/malli/"' in project
    assert 'href="../../hankkeet/malli-hanke/"' in org and 'href="../../toimintamallit/malli/"' in org
    assert 'href="../../toimintamallit/malli/"' in collection


def test_indicator_table_has_bar(fixture_site: Path) -> None:
    html = (fixture_site / "hankkeet" / "malli-hanke" / "index.html").read_text(encoding="utf-8")
    assert '<span class="hk-bar" aria-hidden="true"><span style="width: 50%"></span></span> 50 % tavoitteesta' in html


def test_record_sources_are_not_published(fixture_site: Path) -> None:
    # The only YAML published is the form editor's generated config (generator/cms.py).
    assert [p for p in fixture_site.rglob("*.yml") if p.relative_to(fixture_site).as_posix() != "admin/config.yml"] == []


def test_broken_record_fails_cleanly_and_keeps_previous_site(site_copy: Path, tmp_path: Path) -> None:
    site = tmp_path / "out"
    assert mkdocs_build(site_copy, site).returncode == 0
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    (site_copy / "content" / "hankkeet" / "rikki.yml").write_text("title: [\n", encoding="utf-8")
    result = mkdocs_build(site_copy, site)
    assert result.returncode == 1
    assert "content/hankkeet/rikki.yml:2: YAML-syntaksivirhe" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


def test_real_site_builds_strict(tmp_path: Path) -> None:
    result = mkdocs_build(ROOT, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "toimintamallit" / "index.html").exists()


def test_external_links_keep_their_url(fixture_site: Path) -> None:
    html = (fixture_site / "toimintamallit" / "malli" / "index.html").read_text(encoding="utf-8")
    assert '<a href="https://innokyla.fi/fi/toimintamalli/esimerkki?a=1&amp;b=2">Kuvaus Innokylässä</a>' in html
