"""Printing a record page (the browser's print, A4) gives a card of the record's own text.

Headless Chromium with print media: the site's header, navigation, search, footer and the
screen-only tools (Innokylä export, similar records) are not printed, the record's title,
Perustiedot and sources are, and the PDF is A4. How many pages a record fills depends on the
record, so it is looked at by hand (see the print stylesheet), not asserted here.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from .browser_support import (  # noqa: F401 - fixtures are used by name
    DESKTOP,
    BuiltSite,
    browser,
    built_site,
    close_tab,
    open_tab,
    pages_of_every_kind,
    server,
)

pytestmark = pytest.mark.browser

HIDDEN_IN_PRINT = [".md-header", ".md-tabs", ".md-sidebar", ".md-footer", ".md-search", ".md-skip",
                   ".hk-export", ".hk-similar"]
A4_POINTS = (595, 842)


@pytest.mark.parametrize("kind", ["toimintamallit/…", "hankkeet/…"])
def test_record_page_prints_as_a_card(built_site: BuiltSite, server: str, browser: Any, kind: str) -> None:  # noqa: F811
    url = pages_of_every_kind(built_site.root)[kind]
    tab = open_tab(browser, server, **DESKTOP)
    page = tab.page
    try:
        page.goto(url, wait_until="load")
        page.emulate_media(media="print")
        for selector in HIDDEN_IN_PRINT:
            shown = page.locator(selector).evaluate_all(
                "els => els.filter(e => e.getClientRects().length > 0).map(e => e.className)")
            assert shown == [], f"{url}: printed although screen-only: {selector} {shown}"
        assert page.locator("article h1").is_visible()
        assert page.locator("article .hk-facts").is_visible()
        sources = page.locator("article h2#lahteet")
        assert sources.is_visible(), f"{url}: the sources are not printed"
        assert page.locator("article h2#lahteet + ul li").first.is_visible()
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        boxes = {tuple(round(float(v)) for v in m.groups())
                 for m in re.finditer(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)}
        assert boxes == {A4_POINTS}, boxes
    finally:
        close_tab(tab)
