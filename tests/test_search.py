"""Site search (Pagefind): what gets indexed, with which filters, and searching as a reader would.

The unit tests build the small fixture site with MkDocs (the plugin runs Pagefind after the
build) and read Pagefind's own output: its fragments are gzipped JSON with each page's URL,
indexed text and filters. The browser tests type into /haku/ on the built real site (the
fixture content while the real content does not build).
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator import search
from generator.pipeline import check
from generator.render import KIND_FOLDERS

from .browser_support import BuiltSite, browser, built_site, close_tab, open_tab, server  # noqa: F401 - fixtures by name

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "site"
KIND_LABELS = {"project": "Hanke", "practice": "Toimintamalli", "collection": "Kokonaisuus", "organisation": "Organisaatio"}
# Pagefind's UI shows filter values as HTML, so the markup characters become look-alikes.
AS_TEXT = str.maketrans({"&": "＆", "<": "‹", ">": "›"})


def mkdocs_build(config_dir: Path, site_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """A non-strict build: these tests are about search, not about the fixture's links."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--no-strict", "-d", str(site_dir)],
        cwd=config_dir, capture_output=True, text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", **env},
    )


def fragments(bundle: Path) -> dict[str, dict[str, Any]]:
    """Every indexed page as Pagefind stored it: URL → {content, filters, meta, ...}."""
    pages = {}
    for file in bundle.glob("fragment/*.pf_fragment"):
        raw = gzip.decompress(file.read_bytes())
        assert raw.startswith(b"pagefind_dcd"), file
        page = json.loads(raw[len(b"pagefind_dcd"):])
        pages[page["url"]] = page
    return pages


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("search-site")
    result = mkdocs_build(FIXTURE, site)
    assert result.returncode == 0, result.stderr
    return site


# --------------------------------------------------------------------------- unit tests


def test_page_glob_keeps_records_and_single_pages(tmp_path: Path) -> None:
    for rel in ["index.html", "404.html", "hankkeet/index.html", "hankkeet/a/index.html",
                "toimintamallit/b/index.html", "tietoa/index.html", "haku/index.html", "selaa/index.html",
                "teemat/index.html", "teemat/nuoret/index.html", "vuodet/2024/index.html", "assets/x.css"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("<html></html>", encoding="utf-8")
    assert search.page_glob(tmp_path) == "{hankkeet/*/index.html,tietoa/index.html,toimintamallit/*/index.html}"
    assert search.page_glob(tmp_path / "assets") is None


def test_build_writes_pagefind_bundle(fixture_site: Path) -> None:
    bundle = fixture_site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["fi"]
    # The default UI is served from the site itself: no CDN.
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "wasm.fi.pagefind"):
        assert (bundle / name).is_file(), name
    assert (fixture_site / "haku" / "index.html").is_file()


def test_indexes_records_and_editorial_pages_only(fixture_site: Path) -> None:
    indexed = set(fragments(fixture_site / "pagefind"))
    site = check(FIXTURE / "content")
    records = {f"/{KIND_FOLDERS[r.kind]}/{r.id}/" for r in site.records.values()}
    assert records <= indexed
    for url in indexed - records:  # anything else is a single top-level page such as /tietoa/
        assert re.fullmatch(r"/[a-z0-9-]+/", url), url
    for url in ("/", "/haku/", "/selaa/", "/aikajana/", "/hakijalle/", "/toimintamallit/", "/hankkeet/", "/404.html"):
        assert url not in indexed, url


def test_indexed_text_is_article_content_only(fixture_site: Path) -> None:
    pages = fragments(fixture_site / "pagefind")
    practice = pages["/toimintamallit/malli/"]
    assert practice["meta"]["title"] == "Tuettu malli"
    assert practice["content"].startswith("Tuettu malli.")
    for page in pages.values():
        # Header (site name, search box), tabs, sidebar and footer are not in the index.
        for outside in ("Testisivusto", "Hae sivustolta", "Made with", "Material for MkDocs"):
            assert outside not in page["content"], (page["url"], outside)


def test_filters_follow_record_fields(fixture_site: Path) -> None:
    pages = fragments(fixture_site / "pagefind")
    site = check(FIXTURE / "content")
    for record in site.records.values():
        data = record.data
        funders = [f.funder for f in data.funding] if hasattr(data, "funding") else getattr(data, "funders", [])
        expected = {
            "Tyyppi": [KIND_LABELS[record.kind]],
            "Teema": [site.label("themes", v) for v in getattr(data, "themes", [])],
            "Kohderyhmä": [site.label("target_groups", v) for v in getattr(data, "target_groups", [])],
            "Maakunta": [site.label("regions", v) for v in site.regions[record.id]],
            "Rahoittaja": [site.label("funders", v) for v in funders],
            "Kehitysvaihe": [site.label("stages", data.stage)] if getattr(data, "stage", None) else [],
        }
        got = pages[f"/{KIND_FOLDERS[record.kind]}/{record.id}/"]["filters"]
        expected = {k: sorted({label.translate(AS_TEXT) for label in v}) for k, v in expected.items() if v}
        assert {k: sorted(v) for k, v in got.items()} == expected, record.id


def test_build_index_directly(fixture_site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(fixture_site, copy)
    shutil.rmtree(copy / "pagefind")
    result = search.build_index(copy)
    assert (copy / "pagefind" / "pagefind-entry.json").is_file()
    assert result.pages == len(fragments(copy / "pagefind")) == len(fragments(fixture_site / "pagefind"))
    assert result.bundle == copy / "pagefind"


def test_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(search.PagefindMissing, match="pagefind\\[bin\\]"):
        search.build_index(tmp_path, binary=tmp_path / "no-such-pagefind")
    with pytest.raises(search.SearchError, match="ei ole indeksoitavia sivuja"):
        search.build_index(tmp_path)
    (tmp_path / "tietoa").mkdir()
    (tmp_path / "tietoa" / "index.html").write_text("<html></html>", encoding="utf-8")
    with pytest.raises(search.SearchError, match="Pagefind epäonnistui"):
        search.build_index(tmp_path, binary=Path("/bin/false"))


def test_failed_run_keeps_previous_index(fixture_site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(fixture_site, copy)
    before = (copy / "pagefind" / "pagefind-entry.json").read_bytes()
    with pytest.raises(search.SearchError):
        search.build_index(copy, binary=Path("/bin/false"))
    assert (copy / "pagefind" / "pagefind-entry.json").read_bytes() == before
    assert sorted(p.name for p in copy.iterdir() if p.name.startswith(".")) == []


def test_background_indexer_merges_requests(fixture_site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(fixture_site, copy)
    shutil.rmtree(copy / "pagefind")
    reports: list[tuple[Any, Any]] = []
    indexer = search.BackgroundIndexer(lambda result, error: reports.append((result, error)))
    for _ in range(5):  # five quick rebuilds while the first run is going
        indexer.request(copy)
    indexer.wait(timeout=60)
    assert 1 <= len(reports) <= 2, reports
    assert all(error is None and result.pages > 0 for result, error in reports)
    assert (copy / "pagefind" / "pagefind-entry.json").is_file()
    indexer.request(copy)  # a later request starts a new run
    indexer.wait(timeout=60)
    assert len(reports) >= 2


def test_missing_pagefind_is_a_warning_not_a_traceback(tmp_path: Path) -> None:
    result = mkdocs_build(FIXTURE, tmp_path / "site", PAGEFIND_BINARY_PATH=str(tmp_path / "missing"))
    assert result.returncode == 0, result.stderr
    assert "Pagefind-ohjelmaa ei löytynyt" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site" / "pagefind").exists()


# --------------------------------------------------------------------------- in the browser

QUERY = "työllistymistä"
STEM_RELATIVES = re.compile(r"\btyöllistymi(?:nen|sen)\b", re.I)
COUNT = re.compile(r"(\d+) tulos")


def _article_text(html: str) -> str:
    article = html.split("<article", 1)[-1].split("</article>", 1)[0]
    article = re.sub(r'<div class="hk-pagefind".*?</div>', " ", article, flags=re.S)
    return re.sub(r"<[^>]+>", " ", article)


def _search(page: Any, query: str) -> int:
    """Type a query into /haku/ as a reader would; the number of results it reports."""
    from playwright.sync_api import expect

    box = page.get_by_label("Hakusanat")
    box.click()
    box.press_sequentially(query, delay=20)
    message = page.locator(".pagefind-ui__message")
    expect(message).to_contain_text(f"haulle {query}", timeout=10_000)
    match = COUNT.search(message.inner_text())
    return int(match.group(1)) if match else 0


def _result_urls(page: Any) -> list[str]:
    """Every result page's URL, pressing "Näytä lisää tuloksia" until all are shown."""
    more = page.get_by_role("button", name="Näytä lisää tuloksia")
    for _ in range(50):
        if not more.count():
            break
        more.click()
        page.wait_for_timeout(200)
    return [a.get_attribute("href") for a in page.locator(".pagefind-ui__result-inner > .pagefind-ui__result-title a").all()]


@pytest.mark.browser
def test_inflected_query_finds_other_forms(built_site: BuiltSite, server: str, browser: Any) -> None:  # noqa: F811
    """"työllistymistä" finds a page whose text only has "työllistyminen"/"työllistymisen"."""
    site = built_site.root
    wanted = set()
    for folder in KIND_FOLDERS.values():
        for file in site.glob(f"{folder}/*/index.html"):
            text = _article_text(file.read_text(encoding="utf-8"))
            if STEM_RELATIVES.search(text) and QUERY not in text.lower():
                wanted.add(f"/{folder}/{file.parent.name}/")
    if not wanted:
        pytest.skip(f"no page has another form of {QUERY} without the form itself ({built_site.source} site)")
    tab = open_tab(browser, server)
    try:
        tab.page.goto("/haku/")
        assert _search(tab.page, QUERY) > 0
        found = set(_result_urls(tab.page))
        assert wanted & found, f"none of {sorted(wanted)} in the results {sorted(found)}"
        assert tab.page.url.endswith("/haku/?q=ty%C3%B6llistymist%C3%A4"), tab.page.url
        assert tab.external == []
    finally:
        close_tab(tab)


@pytest.mark.browser
def test_filter_narrows_results(built_site: BuiltSite, server: str, browser: Any) -> None:  # noqa: F811
    """Choosing a Kohderyhmä (or Maakunta) value shows only the pages that have it, and fewer."""
    from playwright.sync_api import expect

    pages = fragments(built_site.root / "pagefind")
    tab = open_tab(browser, server)
    try:
        tab.page.goto("/haku/")
        total = _search(tab.page, QUERY)
        chosen = None
        for name in ("Kohderyhmä", "Maakunta"):
            group = tab.page.locator(".pagefind-ui__filter-block").filter(has=tab.page.locator("summary", has_text=name))
            group.locator("summary").click()
            for label in group.locator("label").all():
                match = re.fullmatch(r"(.+) \((\d+)\)", label.inner_text().strip())
                if match and 0 < int(match.group(2)) < total:
                    chosen = (name, match.group(1), int(match.group(2)))
                    label.click()
                    break
            if chosen:
                break
        assert chosen, f"no Kohderyhmä or Maakunta value narrows the {total} results"
        name, value, count = chosen
        expect(tab.page.locator(".pagefind-ui__message")).to_contain_text(f"{count} tulos", timeout=10_000)
        urls = _result_urls(tab.page)
        assert len(urls) == count < total
        for url in urls:
            assert value in pages[url]["filters"].get(name, []), (url, name, value)
    finally:
        close_tab(tab)


@pytest.mark.browser
def test_header_search_box_opens_search_page(built_site: BuiltSite, server: str, browser: Any) -> None:  # noqa: F811
    """Every page has a labelled search box; Enter goes to /haku/?q=… which shows the results."""
    from playwright.sync_api import expect

    record = next(built_site.root.glob("toimintamallit/*/index.html")).parent.name
    tab = open_tab(browser, server)
    try:
        tab.page.goto(f"/toimintamallit/{record}/")
        for _ in range(40):  # reachable with the keyboard alone
            tab.page.keyboard.press("Tab")
            if tab.page.evaluate("document.activeElement && document.activeElement.id") == "hk-search-q":
                break
        else:
            pytest.fail("Tab never reached the header search box")
        tab.page.keyboard.type(QUERY)
        tab.page.keyboard.press("Enter")
        tab.page.wait_for_url("**/haku/?q=*")
        expect(tab.page.locator(".pagefind-ui__message")).to_contain_text(f"haulle {QUERY}", timeout=10_000)
        expect(tab.page.get_by_label("Hakusanat")).to_have_value(QUERY)
        assert tab.page.locator(".pagefind-ui__result").count() > 0
        assert tab.external == []
    finally:
        close_tab(tab)
