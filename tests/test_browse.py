"""Selaa: a reader filters by two facets at once in a real browser and finds the expected records."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from generator import facets
from generator.pipeline import check

from .browser_support import browser, built_site, close_tab, open_tab, server  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.browser


def expected_titles(chosen: dict[str, str]) -> set[str]:
    """Titles of the records that carry every chosen facet value, computed from the records."""
    site = check(ROOT / "content")
    index = {f.key: f for f in facets.compute(site)}
    ids = set.intersection(*(set(index[key].values.get(value, [])) for key, value in chosen.items()))
    return {site.records[i].data.title for i in ids}


def wait_for_filters(page) -> None:  # type: ignore[no-untyped-def]
    """The script shows the form once it has loaded data/selaa.json and applied the URL's filter."""
    page.wait_for_function("document.getElementById('hk-browse').hidden === false")


def visible_titles(page) -> set[str]:  # type: ignore[no-untyped-def]
    return set(page.locator("#hk-browse-list li:visible a").all_inner_texts())


def test_two_facets_find_the_expected_records(browser, server) -> None:  # type: ignore[no-untyped-def]
    chosen = {"kohderyhma": "vaikeasti-tyollistyvat", "alue": "pohjois-savo"}
    expected = expected_titles(chosen)
    assert 0 < len(expected) < len(expected_titles({"alue": "pohjois-savo"})), "the pair must narrow the listing"
    tab = open_tab(browser, server)
    try:
        page = tab.page
        page.goto("/selaa/")
        wait_for_filters(page)
        everything = page.locator("#hk-browse-list li").count()
        for key, value in chosen.items():
            page.locator(f'input[name="{key}"][value="{value}"]').check()
        assert visible_titles(page) == expected
        assert page.locator("#hk-browse-status").inner_text() == f"{len(expected)} kuvausta"
        # The other options' counts follow the choices made in the other groups.
        count = page.locator('[data-count-for="kohderyhma=vaikeasti-tyollistyvat"]').inner_text()
        assert count == f"({len(expected)})"
        # The view is in the URL: opening it again restores the same filter.
        query = parse_qs(urlparse(page.url).query)
        assert query == {key: [value] for key, value in chosen.items()}
        page.goto(page.url)
        # Never the unfiltered list on the way: hidden until the data has come, then filtered.
        assert len(visible_titles(page)) in (0, len(expected))
        wait_for_filters(page)
        assert visible_titles(page) == expected
        page.get_by_role("button", name="Tyhjennä valinnat").click()
        assert page.locator("#hk-browse-list li:visible").count() == everything
        assert tab.external == []
    finally:
        close_tab(tab)


def test_without_javascript_the_page_is_a_complete_listing(browser, server) -> None:  # type: ignore[no-untyped-def]
    tab = open_tab(browser, server, java_script_enabled=False)
    try:
        page = tab.page
        page.goto("/selaa/?kohderyhma=vaikeasti-tyollistyvat")
        site = check(ROOT / "content")
        browsable = sum(len(site.of_kind(kind)) for kind in facets.BROWSABLE_KINDS)
        assert page.locator("#hk-browse-list li:visible").count() == browsable
        assert not page.locator("#hk-browse").is_visible()  # the form needs the script
    finally:
        close_tab(tab)
