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
        # ...and the page says so, with links to the facet pages that filter without scripts.
        note = page.locator("#hk-browse-nojs")
        assert note.is_visible() and "JavaScript" in note.inner_text()
        assert note.get_by_role("link", name="Kunnat").get_attribute("href").endswith("kunnat/")
    finally:
        close_tab(tab)


def test_former_municipalities_count_under_todays(browser, server) -> None:  # type: ignore[no-untyped-def]
    """?kunta=X sets the municipality filter; a record in a former municipality (part_of X) is
    found under X, on Selaa and on X's facet page."""
    site = check(ROOT / "content")
    terms = site.corpus.vocabularies["municipalities"]
    merged = sorted((r.id, m, terms[m].part_of) for r in site.records.values()
                    for m in getattr(r.data, "municipalities", []) if terms[m].part_of)
    if not merged:
        pytest.skip("no record works in a former municipality")
    record_id, _, today = merged[0]
    index = {f.key: f for f in facets.compute(site)}
    assert record_id in index["kunta"].values[today]
    expected = expected_titles({"kunta": today})
    tab = open_tab(browser, server)
    try:
        page = tab.page
        page.goto(f"/selaa/?kunta={today}")
        wait_for_filters(page)
        assert page.locator(f'input[name="kunta"][value="{today}"]').is_checked()
        assert visible_titles(page) == expected and site.records[record_id].data.title in expected
        page.goto(f"/kunnat/{today}/")
        assert page.get_by_role("link", name=site.records[record_id].data.title, exact=True).count() >= 1
    finally:
        close_tab(tab)


def test_selaa_keyboard_path_and_phone_targets(browser, server) -> None:  # type: ignore[no-untyped-def]
    """The skip link takes the keyboard past the filters to the results and their count; on a
    phone every filter option is at least 24 px high, one per line."""
    tab = open_tab(browser, server, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    try:
        page = tab.page
        page.goto("/selaa/")
        wait_for_filters(page)
        skip = page.get_by_role("link", name="Siirry tuloksiin")
        skip.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "hk-browse-results"
        assert page.locator("#hk-browse-status").get_attribute("aria-live") == "polite"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('#hk-browse-list') !== null")
        boxes = page.evaluate("""() => Array.from(document.querySelectorAll('#hk-browse details[open] label'))
            .map(l => { const r = l.getBoundingClientRect(); const b = l.querySelector('input').getBoundingClientRect();
                        return [r.left, r.top, r.height, b.width, b.height]; })""")
        assert boxes
        assert all(h >= 24 and bw >= 24 and bh >= 24 for _, _, h, bw, bh in boxes), boxes[:5]
        lefts = {round(left) for left, *_ in boxes}
        assert len(lefts) == 1, f"options side by side on a phone: {sorted(lefts)}"
    finally:
        close_tab(tab)
