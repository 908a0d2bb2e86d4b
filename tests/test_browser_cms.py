"""The form editor at /admin/ of the built site: Sveltia CMS loads in Finnish from the site itself."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from .browser_support import BuiltSite, browser, built_site, server  # noqa: F401 - fixtures are used by name

pytestmark = pytest.mark.browser


def test_admin_loads_in_finnish_without_leaving_the_site(built_site: BuiltSite, server: str, browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    index = (built_site.root / "admin" / "index.html").read_text(encoding="utf-8")
    if "sveltia-cms.js" not in index:
        assert "make install" in index  # no node_modules: the page says how to install
        pytest.skip("Sveltia CMS not installed (npm ci)")
    context = browser.new_context(base_url=server, locale="fi-FI")
    origin = urlsplit(server).netloc
    elsewhere: list[str] = []
    context.route("**/*", lambda route: (elsewhere.append(route.request.url), route.abort())
                  if urlsplit(route.request.url).netloc not in (origin, "") and not route.request.url.startswith(("data:", "blob:"))
                  else route.continue_())
    page = context.new_page()
    try:
        page.goto("/admin/", wait_until="load")
        expect(page.get_by_role("button", name="Työskentele paikallisen repositorion kanssa")).to_be_visible(timeout=20000)
        expect(page.get_by_role("button", name="Kirjaudu sisään access tokenilla")).to_be_visible()
    finally:
        context.close()
    assert elsewhere == []
