"""Listings that stay readable as the registry grows: paginated pages and Selaa's "Näytä lisää".

The real content fits on one page of every listing, so these tests build a synthetic site of
300 records (bench/synth.py: real vocabularies, Finnish-like text) once per module.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest

from generator import render

from .browser_support import mkdocs_build, browser, close_tab, open_tab, start_server  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
RECORDS = 300
PAGE_LIMIT = 60_000  # bytes of HTML per page, Material's frame included


# --------------------------------------------------------------------------- pure functions


def test_paginate_splits_rows_and_names_pages() -> None:
    pages = render.paginate("toimintamallit/index.md", "toimintamallit/sivu", list(range(120)), size=50)
    assert [path for path, _, _ in pages] == ["toimintamallit/index.md", "toimintamallit/sivu/2.md", "toimintamallit/sivu/3.md"]
    assert [len(rows) for _, rows, _ in pages] == [50, 50, 20]
    last = pages[-1][2]
    assert (last.number, last.count, last.total, last.first, last.last) == (3, 3, 120, 101, 120)
    assert last.title("Toimintamallit") == "Toimintamallit (sivu 3/3)"
    assert pages[0][2].title("Toimintamallit") == "Toimintamallit"


def test_an_empty_listing_is_one_empty_page() -> None:
    [(path, rows, pager)] = render.paginate("hankkeet/index.md", "hankkeet/sivu", [])
    assert (path, rows, pager.count, pager.total) == ("hankkeet/index.md", [], 1, 0)


@pytest.mark.parametrize(
    ("number", "count", "expected"),
    [
        (1, 1, [1]),
        (1, 4, [1, 2, 3, 4]),
        (1, 13, [1, 2, 3, None, 13]),
        (7, 13, [1, None, 5, 6, 7, 8, 9, None, 13]),
        (13, 13, [1, None, 11, 12, 13]),
        (4, 13, [1, 2, 3, 4, 5, 6, None, 13]),
    ],
)
def test_pager_offers_first_last_and_neighbours(number: int, count: int, expected: list[int | None]) -> None:
    pager = render.Pager(number, tuple(f"p{n}.md" for n in range(1, count + 1)), count * 50, 1, 50)
    assert pager.window() == expected


# --------------------------------------------------------------------------- a built site


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = importlib.util.spec_from_file_location("synth", ROOT / "bench" / "synth.py")
    assert spec and spec.loader
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    workdir = tmp_path_factory.mktemp("large-site")
    synth.make_site(workdir, RECORDS)
    result = mkdocs_build(workdir / "mkdocs.yml", workdir / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir / "site"


@pytest.fixture(scope="module")
def large_server(large_site: Path) -> str:
    return start_server(large_site)


def test_no_page_is_over_the_size_limit(large_site: Path) -> None:
    sizes = {p.relative_to(large_site).as_posix(): p.stat().st_size for p in large_site.rglob("*.html")}
    assert len(sizes) > RECORDS
    assert {page: size for page, size in sizes.items() if size > PAGE_LIMIT} == {}


def listed_links(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<a href="([^"]+)"', body)


def test_every_practice_is_on_exactly_one_listing_page(large_site: Path) -> None:
    pages = [large_site / "toimintamallit" / "index.html", *sorted((large_site / "toimintamallit" / "sivu").glob("*/index.html"))]
    assert len(pages) > 1
    listed = [link for page in pages for link in listed_links(page.read_text(encoding="utf-8"))]
    practices = {p.parent.name for p in (large_site / "toimintamallit").glob("*/index.html") if p.parent.name != "sivu"}
    names = [link.rstrip("/").rsplit("/", 1)[-1] for link in listed if "/hankkeet/" not in link and "/organisaatiot/" not in link]
    assert sorted(names) == sorted(practices)


@pytest.mark.browser
def test_pager_links_walk_the_listing(browser: Any, large_server: str) -> None:  # noqa: F811
    tab = open_tab(browser, large_server)
    try:
        page = tab.page
        page.goto("/toimintamallit/")
        pager = page.get_by_role("navigation", name="Listan sivut").first
        assert pager.locator('[aria-current="page"]').inner_text().strip().endswith("1")
        pager.get_by_role("link", name="Seuraava sivu").click()
        page.wait_for_url("**/toimintamallit/sivu/2/")
        assert "(sivu 2/" in page.locator("h1").inner_text()
        assert page.locator("tbody tr").count() == render.PAGE_SIZE
        page.get_by_role("navigation", name="Listan sivut").first.get_by_role("link", name="Edellinen sivu").click()
        page.wait_for_url("**/toimintamallit/")
        assert tab.external == []
    finally:
        close_tab(tab)


@pytest.mark.browser
def test_selaa_shows_more_on_request_and_keeps_focus_in_place(browser: Any, large_server: str) -> None:  # noqa: F811
    tab = open_tab(browser, large_server)
    try:
        page = tab.page
        page.goto("/selaa/")
        items = page.locator("#hk-browse-list li")
        page.wait_for_function("document.getElementById('hk-browse').hidden === false")
        total = int(page.locator("#hk-browse-status").inner_text().split()[0])
        assert total > render.BROWSE_SHOWN
        assert items.count() == render.BROWSE_SHOWN
        page.get_by_role("button", name=re.compile("Näytä lisää")).click()
        assert items.count() == min(total, 2 * render.BROWSE_SHOWN)
        focused = page.evaluate("document.activeElement.textContent")
        assert focused == items.nth(render.BROWSE_SHOWN).locator("a").inner_text()
        # A filter starts again from the first results; its count is the status.
        page.locator('input[name="alue"]').first.check()
        shown = int(page.locator("#hk-browse-status").inner_text().split()[0])
        assert 0 < shown < total
        assert items.count() == min(shown, render.BROWSE_SHOWN)
        assert tab.external == []
    finally:
        close_tab(tab)


@pytest.mark.browser
def test_selaa_long_group_lists_its_most_used_values_and_the_rest_on_request(browser: Any, large_server: str, large_site: Path) -> None:  # noqa: F811
    """A group with more values than the page lists (the municipalities of a country-wide
    registry) shows its most used ones; 'Näytä kaikki' adds the rest as the same checkboxes, and
    a shared link to an unlisted value still filters by it."""
    html = (large_site / "selaa" / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<input type="checkbox" name="kunta" value="([^"]+)"', html)
    assert len(listed) == render.BROWSE_GROUP_SHOWN
    tab = open_tab(browser, large_server)
    try:
        page = tab.page
        page.goto("/selaa/")
        page.wait_for_function("document.getElementById('hk-browse').hidden === false")
        boxes = page.locator('input[name="kunta"]')
        assert boxes.count() == len(listed)
        page.locator('details:has([data-options-for="kunta"]) > summary').click()  # open the group
        button = page.locator('[data-options-for="kunta"]')
        total = int(re.search(r"\d+", button.inner_text()).group())
        assert total > len(listed)
        button.click()
        assert boxes.count() == total
        assert page.evaluate("document.activeElement.value") not in listed  # focus on the first added
        added = page.evaluate("document.activeElement.value")
        # Every added option has its count, and choosing one filters.
        counts = page.locator('[data-count-for^="kunta="]').all_inner_texts()
        assert len(counts) == total and all(re.fullmatch(r"\(\d+\)", c) for c in counts)
        page.goto(f"/selaa/?kunta={added}")
        page.wait_for_function("document.getElementById('hk-browse').hidden === false")
        assert page.locator(f'input[name="kunta"][value="{added}"]').is_checked()
        shown = int(page.locator("#hk-browse-status").inner_text().split()[0])
        expected = re.search(r"\((\d+)\)", page.locator(f'[data-count-for="kunta={added}"]').inner_text()).group(1)
        assert shown == int(expected) > 0
        assert tab.external == []
    finally:
        close_tab(tab)


@pytest.mark.browser
def test_selaa_without_javascript_points_to_the_full_listings(browser: Any, large_server: str) -> None:  # noqa: F811
    tab = open_tab(browser, large_server, java_script_enabled=False)
    try:
        page = tab.page
        page.goto("/selaa/")
        assert page.locator("#hk-browse-list li").count() == render.BROWSE_SHOWN
        note = page.locator("#hk-browse-partial")
        assert note.is_visible()
        href = note.get_by_role("link", name="toimintamallit").get_attribute("href")
        assert href and page.evaluate("h => new URL(h, location.href).pathname", href) == "/toimintamallit/"
    finally:
        close_tab(tab)


@pytest.mark.browser
def test_listing_pages_pass_axe(browser: Any, large_server: str, large_site: Path) -> None:  # noqa: F811
    """The page kinds only a large registry has: a later listing page, a facet value's later
    page, the indicators of a theme, all lessons, and Selaa with more results shown."""
    from axe_playwright_python.sync_playwright import Axe

    from .test_browser import IMPACTS, _axe_report

    facet_page = next(p for p in sorted(large_site.glob("*/*/sivu/2/index.html"))
                      if p.parts[-5] not in ("toimintamallit", "hankkeet", "kokonaisuudet", "organisaatiot"))
    theme_page = next(p for p in sorted((large_site / "hakijalle" / "mittarit").glob("*/index.html")))
    urls = ["/toimintamallit/sivu/2/", "/" + facet_page.parent.relative_to(large_site).as_posix() + "/",
            "/" + theme_page.parent.relative_to(large_site).as_posix() + "/", "/hakijalle/opit/", "/selaa/"]
    axe = Axe()
    tab = open_tab(browser, large_server)
    reports = []
    try:
        for url in urls:
            tab.page.goto(url)
            if url == "/selaa/":
                tab.page.wait_for_function("document.getElementById('hk-browse').hidden === false")
                tab.page.get_by_role("button", name=re.compile("Näytä lisää")).click()
                # Focus moved down the page, so Material fades its tabs out: let that finish,
                # or axe measures the tab links' colours halfway through the fade.
                tab.page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))")
            bad = [v for v in axe.run(tab.page).response["violations"] if v.get("impact") in IMPACTS]
            if bad:
                reports.append(_axe_report("listing", url, bad))
    finally:
        close_tab(tab)
    assert not reports, "\n".join(reports)
