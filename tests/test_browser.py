"""Tested as a reader would: headless Chromium on the built site served from localhost.

A reader's journey by clicking real links, a phone-size viewport without horizontal scrolling,
axe-core on one page of every kind, and the keyboard alone on a practice page.
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path
from typing import Any

import pytest

from .browser_support import (  # noqa: F401 - fixtures are used by name
    DESKTOP,
    FACET_FOLDERS,
    PHONE,
    BuiltSite,
    browser,
    built_site,
    close_tab,
    h1_of,
    open_tab,
    pages_of_every_kind,
    plan_journey,
    server,
    url_of,
)

pytestmark = pytest.mark.browser

RECORD_FOLDERS = ("/toimintamallit/", "/hankkeet/", "/kokonaisuudet/", "/organisaatiot/")


def _region(page: Any, region: str) -> Any:
    """The part of the page a step's link is in: the article, one Perustiedot value, or one section."""
    if region.startswith("fact:"):
        label = region.removeprefix("fact:")
        dt = page.locator(".hk-facts dt").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
        return dt.locator("xpath=following-sibling::dd[1]")
    if region.startswith("section:"):
        heading = region.removeprefix("section:")
        h2 = page.locator("article h2").filter(has_text=re.compile(rf"^\s*{re.escape(heading)}\s*$"))
        return h2.locator("xpath=following-sibling::*[1]")
    return page.locator("article")


def _goto(page: Any, url: str) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: HTTP {response.status if response else '?'}"


def test_reader_journey(built_site: BuiltSite, server: str, browser: Any) -> None:  # noqa: F811
    """Home → a facet page → a practice → a similar practice → its project → its organisation."""
    from playwright.sync_api import expect

    steps = plan_journey(built_site.root)
    if not any(step.url.startswith(tuple(f"/{f}/" for f in FACET_FOLDERS)) for step in steps):
        warnings.warn("the home page links to no facet page yet: the journey goes through /toimintamallit/")
    tab = open_tab(browser, server, **DESKTOP)
    page = tab.page
    try:
        _goto(page, "/")
        expect(page.locator("article h1")).to_have_text(h1_of(built_site.root, "/"))
        for step in steps:
            link = _region(page, step.region).get_by_role("link", name=step.text, exact=True).first
            expect(link).to_be_visible()
            link.click()
            page.wait_for_url(server + step.url)
            heading = page.locator("article h1")
            expect(heading).to_have_text(h1_of(built_site.root, step.url))
            if step.url.startswith(RECORD_FOLDERS) and step.url not in RECORD_FOLDERS:
                expect(heading).to_have_text(step.text)  # a record's link text is its title
        assert [s.url.split("/")[1] for s in steps[-4:]] == ["toimintamallit", "toimintamallit", "hankkeet", "organisaatiot"]
        assert tab.external == [], f"pages tried to load from elsewhere: {tab.external}"
    finally:
        close_tab(tab)


OVERFLOW_JS = """(width) => {
  // Measured against the phone's own width: a mobile browser widens the layout viewport
  // (and zooms out) to fit an overflowing page, so window.innerWidth would grow with it.
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > width + 1) {
      let scrolls = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if ((o === 'auto' || o === 'scroll' || o === 'hidden') && p.getBoundingClientRect().right <= width + 1) { scrolls = true; break; }
      }
      if (!scrolls) wide.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' right=' + Math.round(r.right));
    }
  }
  return {scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth, width, wide: wide.slice(0, 8)};
}"""


def _screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("HK_SCREENSHOT_DIR")
    if chosen:
        Path(chosen).mkdir(parents=True, exist_ok=True)
        return Path(chosen)
    return tmp_path_factory.mktemp("screenshots")


@pytest.mark.parametrize("width", [375, 320])
def test_phone_viewport_has_no_horizontal_scrolling(
    built_site: BuiltSite, server: str, browser: Any, tmp_path_factory: pytest.TempPathFactory, width: int,  # noqa: F811
) -> None:
    """375 and 320 px phones: no page of any kind is wider than the screen."""
    shots = _screenshot_dir(tmp_path_factory)
    tab = open_tab(browser, server, **{**PHONE, "viewport": {"width": width, "height": 740}})
    problems: list[str] = []
    try:
        for kind, url in pages_of_every_kind(built_site.root).items():
            _goto(tab.page, url)
            found = tab.page.evaluate(OVERFLOW_JS, width)
            if max(found["scrollWidth"], found["innerWidth"]) > found["width"]:
                problems.append(f"{kind} {url}: page is {found['scrollWidth']} px wide on a {found['width']} px screen; "
                                f"too wide: {found['wide']}")
            if kind == "toimintamallit/…":
                tab.page.screenshot(path=str(shots / f"practice-phone-{width}.png"), full_page=False)
    finally:
        close_tab(tab)
    assert not problems, "\n".join(problems)


STACK_JS = """() => Array.from(document.querySelectorAll('table.hk-stack tbody tr')).map(row => {
  const cells = Array.from(row.children).filter(c => c.getBoundingClientRect().height > 0);
  const boxes = cells.map(c => c.getBoundingClientRect());
  const stacked = boxes.every((b, i) => i === 0 || b.top >= boxes[i - 1].bottom - 1);
  return {stacked, right: Math.max(...boxes.map(b => b.right)), text: row.innerText.slice(0, 60)};
})"""


def test_indicator_rows_are_one_block_each_on_a_phone(built_site: BuiltSite, server: str, browser: Any) -> None:  # noqa: F811
    """At 375 px every row of an indicator (or timeline) table is one block: its cells one under
    another, all on the screen; at 1280 px the same rows are table rows, cells side by side."""
    pages = [url_of(built_site.root, f) for f in sorted(built_site.root.rglob("index.html"))
             if "hk-stack" in f.read_text(encoding="utf-8")][:12]
    if not pages:
        pytest.skip("no page of this site has an indicator or timeline table")
    problems: list[str] = []
    for options, want_stacked in ((PHONE, True), (DESKTOP, False)):
        tab = open_tab(browser, server, **options)
        try:
            for url in pages:
                _goto(tab.page, url)
                for row in tab.page.evaluate(STACK_JS):
                    if row["stacked"] != want_stacked or row["right"] > options["viewport"]["width"] + 1:
                        problems.append(f"{url} at {options['viewport']['width']} px: {row}")
        finally:
            close_tab(tab)
    assert not problems, "\n".join(problems[:10])


IMPACTS = ("serious", "critical")  # what the listing tests (test_listings.py) refuse


def _axe_report(kind: str, url: str, violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{kind} {url}: [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {' '.join(node['html'].split())[:160]}")
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_axe_finds_no_violations(built_site: BuiltSite, server: str, browser: Any, viewport: str) -> None:  # noqa: F811
    """axe-core on one page of every kind, at 1280 and at 375 px: no violations of any impact
    (scrollable-region-focusable included, which a table scrolling on a phone would cause)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    tab = open_tab(browser, server, **(DESKTOP if viewport == "desktop" else PHONE))
    reports: list[str] = []
    try:
        for kind, url in pages_of_every_kind(built_site.root).items():
            _goto(tab.page, url)
            results = axe.run(tab.page)
            bad = results.response["violations"]
            if bad:
                reports.append(_axe_report(kind, url, bad))
    finally:
        close_tab(tab)
    assert not reports, "\n".join(reports)


FOCUS_JS = """async () => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // Let focus transitions (the skip link fades in) finish before measuring.
  await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  // Seen at all: no ancestor fades it out, and at its centre it is the topmost thing (not
  // clipped away by a closed panel or covered by a sticky header or an overlay).
  let opacity = 1;
  for (let n = el; n; n = n.parentElement) opacity *= parseFloat(getComputedStyle(n).opacity);
  const x = Math.min(Math.max(r.left + r.width / 2, 0), window.innerWidth - 1);
  const y = Math.min(Math.max(r.top + r.height / 2, 0), window.innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  const onTop = !!hit && (el.contains(hit) || hit.contains(el) || (el.labels && Array.from(el.labels).some(l => l.contains(hit))));
  return {
    key: el.dataset.hkTab || null,
    first: el === window.hkFirstStop,
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.getAttribute('aria-label') || el.getAttribute('placeholder') || '').trim().slice(0, 50),
    html: el.outerHTML.slice(0, 120),
    width: r.width, height: r.height, top: r.top, left: r.left, bottom: r.bottom, right: r.right,
    vw: window.innerWidth, vh: window.innerHeight,
    outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0,
    boxShadow: s.boxShadow,
    visibility: s.visibility, opacity, onTop, hit: hit ? hit.outerHTML.slice(0, 80) : null,
    inDrawer: !!el.closest('.md-sidebar--primary'),
  };
}"""

REACHABLE_JS = """() => {
  const all = document.querySelectorAll('article a[href], article button, article input, article select, article textarea');
  return Array.from(all).filter(el => {
    const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && el.tabIndex >= 0;
  }).map((el, i) => { el.dataset.hkTab = String(i); return [String(i), el.outerHTML.slice(0, 120)]; });
}"""


def _focus_problem(f: dict[str, Any]) -> str | None:
    """Why the focused element is not visibly focused, or None."""
    if f["width"] <= 0 or f["height"] <= 0 or f["visibility"] == "hidden" or f["opacity"] == 0:
        return "is invisible"
    if f["bottom"] <= 0 or f["top"] >= f["vh"] or f["right"] <= 0 or f["left"] >= f["vw"]:
        return "is outside the viewport"
    if not f["onTop"]:
        return f"is hidden under {f['hit']}"
    if not ((f["outlineStyle"] != "none" and f["outlineWidth"] > 0) or f["boxShadow"] not in ("", "none")):
        return "has no focus indicator (outline or box-shadow)"
    return None


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_keyboard_reaches_everything_visibly(built_site: BuiltSite, server: str, browser: Any, viewport: str) -> None:  # noqa: F811
    """Tab through a whole practice page: the skip link comes first, every stop is visible and marked."""
    url = pages_of_every_kind(built_site.root)["toimintamallit/…"]
    tab = open_tab(browser, server, **(DESKTOP if viewport == "desktop" else PHONE))
    page = tab.page
    problems: list[str] = []
    reached: set[str] = set()
    try:
        _goto(page, url)
        expected = dict(page.evaluate(REACHABLE_JS))
        page.keyboard.press("Tab")
        first = page.evaluate(FOCUS_JS)
        assert first is not None and "md-skip" in first["html"], f"the first Tab stop is not the skip link: {first}"
        page.evaluate("() => { window.hkFirstStop = document.activeElement; }")
        focused = first
        for _ in range(400):
            if focused["key"] is not None:
                reached.add(focused["key"])
            why = _focus_problem(focused)
            if why:
                problems.append(f"<{focused['tag']}> {focused['text']!r} {why}: {focused}")
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUS_JS)
            if focused is None or focused["first"]:
                break  # focus left the page or wrapped around
    finally:
        close_tab(tab)
    assert not problems, f"{url} ({viewport}):\n" + "\n".join(problems)
    missing = [html for key, html in expected.items() if key not in reached]
    assert not missing, f"{url} ({viewport}): links and controls in the article that Tab never reaches:\n" + "\n".join(missing)


def test_phone_menu_works_from_keyboard(built_site: BuiltSite, server: str, browser: Any) -> None:  # noqa: F811
    """On a phone (or a desktop zoomed to 400 %) the menu opens from the keyboard and its links show when focused."""
    url = pages_of_every_kind(built_site.root)["toimintamallit/…"]
    tab = open_tab(browser, server, **PHONE)
    page = tab.page
    problems: list[str] = []
    try:
        _goto(page, url)
        menu = page.locator(".md-header .hk-menu")
        for _ in range(5):
            page.keyboard.press("Tab")
            if menu.evaluate("el => el === document.activeElement"):
                break
        else:
            pytest.fail("the menu button is not among the first five Tab stops")
        page.keyboard.press("Enter")
        assert page.locator("#__drawer").is_checked(), "Enter on the menu button does not open the menu"
        stops = 0
        for _ in range(60):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUS_JS)
            if focused is None or (stops and not focused["inDrawer"]):
                break
            stops += focused["inDrawer"]
            why = _focus_problem(focused)
            if why:
                problems.append(f"<{focused['tag']}> {focused['text']!r} {why}")
        assert stops >= 4, f"only {stops} links in the open menu were reached"
        # A sub-menu opens with Enter; its links are then the next visible Tab stops.
        section = page.locator(".md-nav--primary label.md-nav__link[tabindex='0']").first
        if section.count():
            section.focus()
            page.keyboard.press("Enter")
            page.wait_for_timeout(300)
            for _ in range(3):
                page.keyboard.press("Tab")
                focused = page.evaluate(FOCUS_JS)
                why = _focus_problem(focused) if focused else "focus left the page"
                if why:
                    problems.append(f"sub-menu: <{focused and focused['tag']}> {focused and focused['text']!r} {why}")
            page.keyboard.press("Escape")
            assert not page.locator("#__drawer").is_checked(), "Escape does not close the menu"
    finally:
        close_tab(tab)
    assert not problems, f"{url} (phone, menu open):\n" + "\n".join(problems)


CONTRAST_JS = """(selector) => {
  const el = document.querySelector(selector);
  el.focus();
  const lum = (c) => {
    const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ring = getComputedStyle(el);
  const header = getComputedStyle(document.querySelector('.md-header'));
  const [a, b] = [lum(ring.outlineColor), lum(header.backgroundColor)].sort((x, y) => y - x);
  return {ratio: (a + 0.05) / (b + 0.05), width: parseFloat(ring.outlineWidth), style: ring.outlineStyle,
          ring: ring.outlineColor, header: header.backgroundColor};
}"""


def test_header_search_focus_ring_stands_out_from_the_header(built_site: BuiltSite, server: str, browser: Any) -> None:  # noqa: F811
    """The header's search field and button show a focus ring of at least 3:1 against the header (WCAG 1.4.11)."""
    tab = open_tab(browser, server, **DESKTOP)
    try:
        _goto(tab.page, "/")
        tab.page.keyboard.press("Tab")  # keyboard modality, so :focus-visible applies to what is focused next
        for selector in (".md-header .hk-search__input", ".md-header .hk-search__button"):
            found = tab.page.evaluate(CONTRAST_JS, selector)
            assert found["style"] != "none" and found["width"] >= 2, (selector, found)
            assert found["ratio"] >= 3, (selector, found)
    finally:
        close_tab(tab)
