"""Site search (Pagefind): what gets indexed, with which filters, and searching as a reader would.

The unit tests build the small fixture site with MkDocs (the plugin runs Pagefind after the
build) and read Pagefind's own output: its fragments are gzipped JSON with each page's URL,
indexed text and filters. The browser tests type into /haku/ (our own UI, assets/haku.js, on
Pagefind's JS API) on the built real site (the fixture content while the real content does not
build), and search the hostile records of tests/payloads in a build of their own.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from generator import search
from generator.pipeline import check
from generator.render import KIND_FOLDERS

from .browser_support import PHONE, mkdocs_build, BuiltSite, start_server, browser, built_site, close_tab, open_tab, server  # noqa: F401 - fixtures by name
from .payloads import install

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "site"
KIND_LABELS = {"project": "Hanke", "practice": "Toimintamalli", "collection": "Kokonaisuus", "organisation": "Organisaatio"}
# The filter template (_pagefind.md.j2) turns markup characters in filter values into look-alikes.
AS_TEXT = str.maketrans({"&": "＆", "<": "‹", ">": "›"})


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
    result = mkdocs_build(FIXTURE, site, strict=False, quiet=False)
    assert result.returncode == 0, result.stderr
    return site


# --------------------------------------------------------------------------- unit tests


def test_page_glob_keeps_records_and_single_pages(tmp_path: Path) -> None:
    site = ["index.html", "404.html", "hankkeet/index.html", "hankkeet/a/index.html", "hankkeet/a/b/index.html",
            "toimintamallit/b/index.html", "tietoa/index.html", "haku/index.html", "selaa/index.html",
            "teemat/index.html", "teemat/nuoret/index.html", "vuodet/2024/index.html", "assets/x.css",
            ".hk-search-pages/tietoa/index.html"]
    for rel in site:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("<html></html>", encoding="utf-8")
    assert search.page_glob(tmp_path) == "{hankkeet/*/index.html,tietoa/index.html,toimintamallit/*/index.html}"
    assert search.page_glob(tmp_path / "assets") is None
    # The same rule from the paths alone (what the build indexes before the pages are written).
    assert search.indexed_pages(site) == {"hankkeet/a/index.html", "toimintamallit/b/index.html", "tietoa/index.html"}


def test_build_writes_pagefind_bundle(fixture_site: Path) -> None:
    bundle = fixture_site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["fi"]
    # Served from the site itself: no CDN. The search page uses pagefind.js (and its worker).
    for name in ("pagefind.js", "pagefind-worker.js", "wasm.fi.pagefind"):
        assert (bundle / name).is_file(), name
    page = (fixture_site / "haku" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../assets/haku.js" defer></script>' in page
    assert (fixture_site / "assets" / "haku.js").is_file()
    assert "pagefind-ui" not in page


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
        # Nor are the similar-records lists and Perustiedot, headings included: no page matches
        # "samankaltaiset" for its section titles (the site's own about page does explain the
        # lists in words).
        for heading in ("Samankaltaiset toimintamallit.", "Samankaltaiset hankkeet.", "Perustiedot."):
            assert heading not in page["content"], (page["url"], heading)
    shown = (fixture_site / "toimintamallit" / "malli" / "index.html").read_text(encoding="utf-8")
    for heading in ("samankaltaiset-toimintamallit", "samankaltaiset-hankkeet", "perustiedot"):
        assert f'<h2 id="{heading}">' in shown  # on the page, not in the index


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


@pytest.mark.parametrize("which", ["fixture", "real"])
def test_index_made_during_the_build_equals_one_of_the_finished_site(which: str, fixture_site: Path, tmp_path: Path,
                                                                      request: pytest.FixtureRequest) -> None:
    """`mkdocs build` indexes copies of the page contents while the theme is rendered
    (search.ConcurrentIndex); the result must be what indexing the written site gives.

    Fragments (each page's text, filters, headings) and word index chunks are named by a hash of
    their content, so equal names are equal files. The filter chunks and the meta file that names
    them are not compared: Pagefind writes filter values in hash-map order, which differs between
    two runs over the same site.
    """
    built = fixture_site if which == "fixture" else request.getfixturevalue("built_site").root
    assert not any(p.name.startswith(".") for p in built.iterdir()), "copies left behind"
    copy = tmp_path / "site"
    shutil.copytree(built, copy)
    shutil.rmtree(copy / "pagefind")
    search.build_index(copy)

    def chunks(bundle: Path) -> list[str]:
        return sorted(str(p.relative_to(bundle)) for p in [*bundle.glob("fragment/*"), *bundle.glob("index/*")])

    assert chunks(built / "pagefind") == chunks(copy / "pagefind")
    assert len(chunks(copy / "pagefind")) > len(fragments(copy / "pagefind")) > 3
    entry = [json.loads((site / "pagefind" / "pagefind-entry.json").read_text()) for site in (built, copy)]
    assert [e["languages"]["fi"]["page_count"] for e in entry] == [len(fragments(copy / "pagefind"))] * 2


def test_concurrent_index_can_be_discarded(fixture_site: Path, tmp_path: Path) -> None:
    """A build that fails after the index was started stops Pagefind and leaves nothing behind."""
    site = tmp_path / "site"
    site.mkdir()
    index = search.ConcurrentIndex(site)
    index.start([("tietoa/index.html", "Tietoa", "<h1 id='t'>Tietoa</h1><p>Sisältöä</p>")])
    index.discard()
    assert list(site.iterdir()) == []
    with pytest.raises(search.SearchError):
        index.finish()


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
    result = mkdocs_build(FIXTURE, tmp_path / "site", strict=False, quiet=False, PAGEFIND_BINARY_PATH=str(tmp_path / "missing"))
    assert result.returncode == 0, result.stderr
    assert "Pagefind-ohjelmaa ei löytynyt" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site" / "pagefind").exists()


def test_parts_are_balanced_stable_and_cover_every_page() -> None:
    pages = [f"toimintamallit/malli-{n}/index.html" for n in range(1000)] + ["tietoa/index.html"]
    assert search.parts_of(pages, 5000) == [sorted(pages)]
    parts = search.parts_of(pages, 300)
    assert len(parts) == 4 and sorted(p for part in parts for p in part) == sorted(pages)
    assert all(150 < len(part) < 350 for part in parts), [len(part) for part in parts]
    # A page's part follows from its path: adding pages moves no other page (same part count).
    grown = search.parts_of([*pages, "toimintamallit/uusi/index.html"], 300)
    assert [set(part) - {"toimintamallit/uusi/index.html"} for part in grown] == [set(part) for part in parts]
    assert search.parts_of([], 10) == [[]]
    assert search.parts_of(["a/index.html", "b/index.html"], 1) in ([["a/index.html"], ["b/index.html"]],
                                                                    [["a/index.html", "b/index.html"]])


def _part_pages(bundle: Path) -> dict[str, dict[str, Any]]:
    """Every page of a bundle and its parts (pagefind/hk-osat.json), URL → fragment."""
    listed = json.loads((bundle / search.PARTS_FILE).read_text(encoding="utf-8"))["osat"]
    pages: dict[str, dict[str, Any]] = {}
    for part in [bundle, *(bundle / name for name in listed)]:
        found = fragments(part)
        assert found and not set(found) & set(pages), part
        pages.update(found)
    return pages


def test_large_site_is_indexed_in_parts(fixture_site: Path, tmp_path: Path) -> None:
    """Over ``pages_per_index`` pages: one Pagefind run per part, one after another, each part a
    bundle of its own under pagefind/osa-N/, listed for the search page; every page is in one."""
    whole = fragments(fixture_site / "pagefind")
    assert json.loads((fixture_site / "pagefind" / search.PARTS_FILE).read_text()) == {"osat": []}
    copy = tmp_path / "site"
    shutil.copytree(fixture_site, copy)
    result = search.build_index(copy, pages_per_index=max(2, len(whole) // 3))
    listed = json.loads((copy / "pagefind" / search.PARTS_FILE).read_text(encoding="utf-8"))["osat"]
    assert result.parts == len(listed) + 1 >= 3
    assert listed == [f"osa-{n}/" for n in range(2, result.parts + 1)]
    pages = _part_pages(copy / "pagefind")
    assert set(pages) == set(whole) and result.pages == len(whole)
    assert {url: page["content"] for url, page in pages.items()} == {url: page["content"] for url, page in whole.items()}
    for name in listed:  # each part is a whole bundle; the wasm is loaded from the main one only
        assert (copy / "pagefind" / name / "pagefind-entry.json").is_file()
    assert not any(p.name.startswith(".") for p in copy.iterdir()), "copies left behind"
    # Back to one part: the list is emptied and the old parts are gone with the old bundle.
    search.build_index(copy)
    assert json.loads((copy / "pagefind" / search.PARTS_FILE).read_text()) == {"osat": []}
    assert not list((copy / "pagefind").glob("osa-*"))


def test_index_in_parts_during_the_build_equals_one_of_the_finished_site(fixture_site: Path, tmp_path: Path) -> None:
    """ConcurrentIndex splits the pages into the same parts as build_index does."""
    whole = fragments(fixture_site / "pagefind")
    limit = max(2, len(whole) // 3)
    copy = tmp_path / "site"
    shutil.copytree(fixture_site, copy)
    search.build_index(copy, pages_per_index=limit)
    pages = []
    for path in sorted(search.indexed_pages(str(p.relative_to(fixture_site)) for p in fixture_site.rglob("*.html"))):
        html = (fixture_site / path).read_text(encoding="utf-8")
        found = re.split(r"<article[^>]*md-content__inner[^>]*>", html, maxsplit=1)
        if len(found) == 2:  # (the CMS page has no article: Pagefind leaves it out too)
            pages.append((path, "", found[1].rsplit("</article>", 1)[0]))
    during = tmp_path / "during"
    during.mkdir()
    index = search.ConcurrentIndex(during, pages_per_index=limit)
    index.start(pages)
    result = index.finish()
    assert result.parts > 1
    assert (json.loads((during / "pagefind" / search.PARTS_FILE).read_text())
            == json.loads((copy / "pagefind" / search.PARTS_FILE).read_text()))
    for name in ["", *json.loads((copy / "pagefind" / search.PARTS_FILE).read_text())["osat"]]:
        assert set(fragments(during / "pagefind" / name)) == set(fragments(copy / "pagefind" / name)), name
    assert not any(p.name.startswith(".") for p in during.iterdir()), "copies left behind"


# --------------------------------------------------------------------------- in the browser

QUERY = "työllistymistä"
STEM_RELATIVES = re.compile(r"\btyöllistymi(?:nen|sen)\b", re.I)
COUNT = re.compile(r"^(\d[\d\s\u00a0\u202f]*) tulos(?:ta)?$")
FILTER_FILES = "/pagefind/filter/"


def _article_text(html: str) -> str:
    article = html.split("<article", 1)[-1].split("</article>", 1)[0]
    article = re.sub(r'<div class="hk-pagefind".*?</div>', " ", article, flags=re.S)
    return re.sub(r"<[^>]+>", " ", article)


def _count(status: str) -> int:
    """The number in the live region's text: "12 tulosta", "1 tulos", "7 043 tulosta", "Ei tuloksia"."""
    status = status.strip()
    if status == "Ei tuloksia":
        return 0
    match = COUNT.match(status)
    assert match, f"unexpected status text {status!r}"
    return int(re.sub(r"\D", "", match.group(1)))


def _done(page: Any, query: str) -> int:
    """Wait until the search for ``query`` has shown its results; the count it announced."""
    page.locator(f"#hk-haku[data-searched={json.dumps(query, ensure_ascii=False)}]").wait_for(timeout=15_000)
    status = page.locator("#hk-haku-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    return _count(status.inner_text())


def _search(page: Any, query: str) -> int:
    """Type a query into /haku/ as a reader would; the number of results it reports."""
    box = page.get_by_label("Hakusanat")
    box.click()
    box.press_sequentially(query, delay=20)
    return _done(page, query)


def _result_urls(page: Any) -> list[str]:
    """Every result page's URL, pressing "Näytä lisää" until all are shown."""
    more = page.get_by_role("button", name="Näytä lisää")
    items = page.locator("#hk-haku-results > li")
    for _ in range(200):
        if not more.is_visible():
            break
        before = items.count()
        more.click()
        page.wait_for_function("n => document.querySelectorAll('#hk-haku-results > li').length > n", arg=before)
    return [a.get_attribute("href") for a in page.locator("#hk-haku-results .hk-haku__result-title a").all()]


def _open_filters(page: Any) -> None:
    page.get_by_text("Rajaa tuloksia", exact=True).click()
    page.locator("#hk-haku-groups fieldset").first.wait_for(timeout=15_000)


def _option(label: Any) -> tuple[str, int]:
    """A filter checkbox label's value and count: "Nuoret (12)" → ("Nuoret", 12)."""
    match = re.fullmatch(r"(.+) \((\d+)\)", " ".join(label.inner_text().split()))
    assert match, label.inner_text()
    return match.group(1), int(match.group(2))


def _a_title_word(site: Path) -> str:
    """A word of the first practice's title: a query that certainly has results."""
    title = _article_text(sorted(site.glob("toimintamallit/*/index.html"))[0].read_text(encoding="utf-8"))
    title = title.split("</h1>", 1)[0]
    return max(re.findall(r"\w{4,}", title.split("\n\n", 1)[0]) or ["hanke"], key=len)


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
        total = _search(tab.page, QUERY)
        assert total > 0
        found = _result_urls(tab.page)
        assert len(found) == total
        assert wanted & set(found), f"none of {sorted(wanted)} in the results {sorted(found)}"
        # Shareable: the address has the query as the reader typed it.
        assert tab.page.url.endswith("/haku/?q=ty%C3%B6llistymist%C3%A4"), tab.page.url
        assert tab.external == []
    finally:
        close_tab(tab)


@pytest.mark.browser
def test_query_in_url_runs_on_load(built_site: BuiltSite, server: str, browser: Any) -> None:  # noqa: F811
    """/haku/?q=… searches at once: the box has the query, the results and their count are shown."""
    query = _a_title_word(built_site.root)
    tab = open_tab(browser, server)
    try:
        tab.page.goto(f"/haku/?q={quote(query)}")
        total = _done(tab.page, query)
        assert total > 0
        assert tab.page.get_by_label("Hakusanat").input_value() == query
        results = tab.page.locator("#hk-haku-results > li")
        assert results.count() == min(total, 5)
        first = results.first
        assert first.locator("h2 a").inner_text().strip()
        assert first.locator(".hk-haku__excerpt mark").count() > 0  # the matched words are highlighted
        assert tab.external == []
    finally:
        close_tab(tab)


@pytest.mark.browser
def test_filter_narrows_results(built_site: BuiltSite, server: str, browser: Any) -> None:  # noqa: F811
    """Choosing a Kohderyhmä (or Maakunta) value shows only the pages that have it, and fewer;
    the filter index is fetched only when the panel opens; the filtered view is in the URL."""
    pages = fragments(built_site.root / "pagefind")
    tab = open_tab(browser, server)
    fetched: list[str] = []
    tab.page.on("request", lambda request: fetched.append(request.url))
    try:
        tab.page.goto("/haku/")
        total = _search(tab.page, QUERY)
        if total < 2:
            pytest.skip(f"{QUERY} has {total} results on the {built_site.source} site: nothing to narrow")
        assert not [url for url in fetched if FILTER_FILES in url], "a plain query loaded the filter index"
        _open_filters(tab.page)
        assert [url for url in fetched if FILTER_FILES in url], "opening the panel did not load the filters"
        chosen = None
        # Read before clicking: the filtered search can announce its result before the click returns.
        unfiltered = tab.page.locator("#hk-haku-status").inner_text()
        for name in ("Kohderyhmä", "Maakunta"):
            group = tab.page.locator("#hk-haku-groups fieldset").filter(has=tab.page.locator("legend", has_text=name))
            for label in group.locator("label").all():
                value, count = _option(label)
                if 0 < count < total:
                    chosen = (name, value, count)
                    label.click()
                    break
            if chosen:
                break
        assert chosen, f"no Kohderyhmä or Maakunta value narrows the {total} results"
        name, value, count = chosen
        tab.page.wait_for_function("n => /^\\S+ tulos/.test(document.getElementById('hk-haku-status').textContent) "
                                   "&& document.getElementById('hk-haku-status').textContent !== n", arg=unfiltered)
        assert _done(tab.page, QUERY) == count < total
        urls = _result_urls(tab.page)
        assert len(urls) == count
        for url in urls:
            assert value in pages[url]["filters"].get(name, []), (url, name, value)
        # The filtered view can be shared: the same address shows the same results, filter ticked.
        shared = tab.page.url
        assert "q=" in shared and "=" in shared.split("&", 1)[-1], shared
        tab.page.goto(shared)
        assert _done(tab.page, QUERY) == count
        assert tab.page.get_by_label(value, exact=False).first.is_checked()
    finally:
        close_tab(tab)


@pytest.mark.browser
def test_keyboard_alone_searches_and_filters(built_site: BuiltSite, server: str, browser: Any) -> None:  # noqa: F811
    """Type, Enter, Tab to "Rajaa tuloksia", Enter opens it, Tab to a value, Space ticks it."""
    query = _a_title_word(built_site.root)
    tab = open_tab(browser, server)
    page = tab.page
    try:
        page.goto("/haku/")
        assert page.evaluate("document.activeElement.id") == "hk-haku-q"  # the box has focus on arrival
        page.keyboard.type(query)
        page.keyboard.press("Enter")
        total = _done(page, query)
        assert total > 0
        for _ in range(5):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.tagName") == "SUMMARY":
                break
        else:
            pytest.fail("Tab did not reach the filter panel")
        page.keyboard.press("Enter")
        page.locator("#hk-haku-groups input[type=checkbox]").first.wait_for(timeout=15_000)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.type") == "checkbox"
        page.keyboard.press("Space")
        assert page.evaluate("document.activeElement.checked") is True
        page.wait_for_function("() => /[?&]tyyppi=/.test(location.search)")
        assert _done(page, query) <= total
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
        _done(tab.page, QUERY)
        expect(tab.page.get_by_label("Hakusanat")).to_have_value(QUERY)
        assert tab.external == []
    finally:
        close_tab(tab)


@pytest.mark.browser
def test_without_javascript_points_to_browsing(built_site: BuiltSite, server: str, browser: Any) -> None:  # noqa: F811
    """No script: the page says search needs JavaScript and links to the plain listing /selaa/."""
    tab = open_tab(browser, server, java_script_enabled=False)
    try:
        tab.page.goto("/haku/?q=nuoret")
        article = tab.page.locator("article")
        assert "Haku tarvitsee toimiakseen JavaScriptin" in article.inner_text()
        link = article.get_by_role("link", name="selata kaikkia kuvauksia")
        href = link.get_attribute("href")
        assert href is not None and tab.page.evaluate("h => new URL(h, location.href).pathname", href) == "/selaa/"
        assert (built_site.root / "selaa" / "index.html").is_file()
        assert not tab.page.get_by_label("Hakusanat").is_visible()  # no box that would do nothing
    finally:
        close_tab(tab)


@pytest.mark.browser
def test_excerpt_insertion_keeps_record_text_as_text(server: str, browser: Any) -> None:  # noqa: F811
    """The excerpt function on a crafted excerpt: only <mark> becomes an element, nothing runs."""
    tab = open_tab(browser, server)
    page = tab.page
    try:
        page.goto("/haku/")
        page.wait_for_function("() => window.hkHaku")
        crafted = ('<img src=x onerror=window.__pwned=1> &lt;img src=x onerror=window.__pwned=1&gt; '
                   '<mark>työllistyminen</mark> <script>window.__pwned=1</script> <mark><b>x</b></mark> &amp;amp;')
        shown = page.evaluate("""(excerpt) => {
            const p = document.createElement('p');
            p.id = 'hk-probe';
            p.appendChild(window.hkHaku.excerptNodes(excerpt));
            document.getElementById('hk-haku-results').appendChild(p);
            return {tags: [...p.querySelectorAll('*')].map(e => e.tagName.toLowerCase()),
                    marks: [...p.querySelectorAll('mark')].map(m => m.textContent), text: p.textContent};
        }""", crafted)
        page.wait_for_timeout(300)  # an onerror handler would have fired by now
        assert page.evaluate("window.__pwned") is None
        assert shown["tags"] == ["mark", "mark"]
        assert shown["marks"] == ["työllistyminen", "<b>x</b>"]
        assert shown["text"] == ('<img src=x onerror=window.__pwned=1> <img src=x onerror=window.__pwned=1> '
                                 'työllistyminen <script>window.__pwned=1</script> <b>x</b> &amp;amp;')
        assert page.evaluate("window.hkHaku.countText(0)") == "Ei tuloksia"
        assert page.evaluate("window.hkHaku.countText(1)") == "1 tulos"
        assert page.evaluate("window.hkHaku.countText(12)") == "12 tulosta"
    finally:
        close_tab(tab)


@pytest.fixture(scope="module")
def payload_server(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The fixture site plus the hostile records of tests/payloads, built and served."""
    work = tmp_path_factory.mktemp("search-payloads")
    shutil.copytree(FIXTURE, work / "src")
    install(work / "src" / "content")
    result = mkdocs_build(work / "src", work / "site", strict=False, quiet=False)
    assert result.returncode == 0, result.stderr
    return start_server(work / "site")


@pytest.mark.browser
def test_hostile_record_text_in_results_stays_text(payload_server: str, browser: Any) -> None:  # noqa: F811
    """Records whose text has "<img src=x onerror=…>": their titles and excerpts show it as text."""
    tab = open_tab(browser, payload_server)
    page = tab.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto("/haku/?q=onerror")
        assert _done(page, "onerror") > 0
        _result_urls(page)
        _open_filters(page)  # filter values carry a hostile vocabulary label
        page.wait_for_timeout(500)
        results = page.locator("#hk-haku-results")
        assert page.evaluate("window.__pwned") is None and dialogs == []
        assert page.locator("#hk-haku img, #hk-haku script, #hk-haku svg, #hk-haku iframe, #hk-haku [onerror]").count() == 0
        assert set(results.locator("*").evaluate_all("els => els.map(e => e.tagName.toLowerCase())")) <= {"li", "h2", "a", "p", "mark"}
        excerpts = " ".join(results.locator(".hk-haku__excerpt").all_inner_texts())
        titles = " ".join(results.locator("h2").all_inner_texts())
        assert "<img src=x onerror=" in excerpts
        assert 'Hanke <img src=x onerror="window.__pwned=1;alert(1)">' in titles
        assert "onerror" in page.locator("#hk-haku-groups").inner_text()
    finally:
        close_tab(tab)


@pytest.mark.browser
def test_axe_on_search_page_with_results_and_filters(built_site: BuiltSite, server: str, browser: Any) -> None:  # noqa: F811
    """axe-core on /haku/ showing results with the filter panel open: no serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    query = _a_title_word(built_site.root)
    tab = open_tab(browser, server, viewport={"width": 1280, "height": 800})
    try:
        tab.page.goto(f"/haku/?q={quote(query)}")
        assert _done(tab.page, query) > 0
        _open_filters(tab.page)
        tab.page.locator("#hk-haku-groups input[type=checkbox]").first.check()
        tab.page.wait_for_function("() => /[?&]tyyppi=/.test(location.search)")
        _done(tab.page, query)
        violations = Axe().run(tab.page).response["violations"]
        bad = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
               for v in violations if v.get("impact") in ("serious", "critical")]
        assert not bad, "\n".join(bad)
    finally:
        close_tab(tab)


@pytest.mark.browser
def test_phone_width_with_results_and_filters(built_site: BuiltSite, server: str, browser: Any) -> None:  # noqa: F811
    """375 px wide with results and the filter panel open: nothing scrolls sideways."""
    query = _a_title_word(built_site.root)
    tab = open_tab(browser, server, **PHONE)
    try:
        tab.page.goto(f"/haku/?q={quote(query)}")
        _done(tab.page, query)
        _open_filters(tab.page)
        width = tab.page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        assert width <= PHONE["viewport"]["width"], f"/haku/ is {width} px wide on a 375 px screen"
    finally:
        close_tab(tab)


@pytest.mark.browser
def test_search_over_an_index_in_parts(fixture_site: Path, tmp_path: Path, browser: Any) -> None:  # noqa: F811
    """A site indexed in parts answers as the whole index does: the same pages found, the same
    filter counts; the wasm is fetched once and nothing from outside the site."""
    parted = tmp_path / "site"
    shutil.copytree(fixture_site, parted)
    result = search.build_index(parted, pages_per_index=max(2, len(fragments(fixture_site / "pagefind")) // 3))
    assert result.parts >= 3
    query = _a_title_word(fixture_site)
    seen: dict[str, tuple[int, list[str], list[tuple[str, int]], list[str]]] = {}
    for name, root in (("whole", fixture_site), ("parts", parted)):
        tab = open_tab(browser, start_server(root))
        fetched: list[str] = []
        tab.page.on("request", lambda request, fetched=fetched: fetched.append(request.url))
        try:
            tab.page.goto(f"/haku/?q={quote(query)}")
            total = _done(tab.page, query)
            urls = sorted(_result_urls(tab.page))
            _open_filters(tab.page)
            options = sorted(_option(label) for label in tab.page.locator("#hk-haku-groups label").all())
            assert tab.external == []
        finally:
            close_tab(tab)
        seen[name] = (total, urls, options, [url for url in fetched if "wasm" in url])
        parts_read = {url.split("/pagefind/", 1)[1].split("/", 1)[0] for url in fetched if "/pagefind/osa-" in url}
        assert len(parts_read) == (result.parts - 1 if name == "parts" else 0), parts_read
    assert seen["parts"][0] == seen["whole"][0] > 0
    assert seen["parts"][1] == seen["whole"][1]
    assert seen["parts"][2] == seen["whole"][2]
    assert len(seen["parts"][3]) == 1 and "/osa-" not in seen["parts"][3][0]
