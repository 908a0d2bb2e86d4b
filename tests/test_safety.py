"""Record text never runs in a reader's browser: it is shown as text, everywhere.

Three levels: (a) ``textfmt.inline``/``block`` in every Markdown context our templates use,
rendered by Python-Markdown with the site's extensions; (b) a full ``mkdocs build --strict``
of the fixture site plus the hostile records in tests/payloads, every built page parsed;
(c) the hostile pages opened in Chromium, watching for dialogs and ``window.__pwned``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator import textfmt
from generator.pipeline import check

from .browser_support import browser, start_server  # noqa: F401 - fixture by name
from .payloads import BLOCK_PAYLOADS, LINE_PAYLOADS, PWNED, install, record_files

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = ROOT / "tests" / "fixtures" / "site"
EXTENSIONS = ["attr_list", "md_in_html", "def_list", "tables"]

# Tags our record templates produce inside <article>. No img, svg, script, style, iframe,
# form, em or code: if one of those shows up, record text became markup.
ARTICLE_TAGS = {
    "a", "p", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
    "dl", "dt", "dd", "div", "span", "small", "strong", "br", "blockquote", "figure", "figcaption", "section", "nav",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset", "data"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
NEVER = {"script", "style", "iframe", "frame", "object", "embed", "img", "svg", "math", "form", "input", "button",
         "textarea", "select", "details", "link", "meta", "base", "video", "audio", "template", "em", "code", "pre"}


def normal(text: str) -> str:
    """Text as a reader sees it: whitespace collapsed, control characters dropped."""
    return " ".join(" ".join(text.split()).translate(textfmt._CONTROLS).split())


def is_bad_url(value: str) -> bool:
    squeezed = "".join(c for c in value if not c.isspace() and ord(c) >= 0x20).lower()
    return squeezed.startswith(BAD_SCHEMES)


# ============================================================ (a) textfmt through Markdown


class Fragment(HTMLParser):
    """The elements, text and comments of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.texts: list[str] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    @property
    def text(self) -> str:
        return normal(" ".join(self.texts))


def parse(html: str) -> Fragment:
    fragment = Fragment()
    fragment.feed(html)
    fragment.close()
    return fragment


def to_html(source: str) -> str:
    return markdown.markdown(source, extensions=EXTENSIONS)


MARK = "XYZZYMARK"
# Where templates put one line of record text (``{x}``), with the tags each context may produce.
INLINE_CONTEXTS: dict[str, tuple[str, set[str]]] = {
    "paragraph": ("{x}", {"p"}),
    "heading": ("# {x}", {"h1"}),
    "step heading": ("### {x}", {"h3"}),
    "list item": ("- {x}", {"ul", "li"}),
    "numbered step": ("1. {x}", {"ol", "li"}),
    "bold name": ("- **{x}**, rooli", {"ul", "li", "strong"}),
    "link text": ("- [{x}](../hankkeet/malli.md)", {"ul", "li", "a"}),
    "table cell": ("| A | B |\n|:--|--:|\n| {x}<br><small>{x}</small> | {x} |\n{: .hk-indicators }",
                   {"table", "thead", "tbody", "tr", "th", "td", "br", "small"}),
    "fact": ('<div class="hk-facts" markdown>\n\nNimi\n:   {x}\n\n</div>', {"div", "dl", "dt", "dd"}),
    "quote": ("> {x}\n> — {x}", {"blockquote", "p"}),
    "lead": ("{x}\n{: .hk-lead }", {"p"}),
    "after colon": ("- [Malli](../malli.md): {x}", {"ul", "li", "a"}),
}
BLOCK_CONTEXTS: dict[str, tuple[str, set[str]]] = {
    "section": ("## Kuvaus\n\n{x}\n\n## Lähteet", {"h2", "p", "ul", "ol", "li"}),
    "lead": ("{x}\n{: .hk-lead }", {"p", "ul", "ol", "li"}),
    "in facts div": ('<div markdown>\n\n{x}\n\n</div>', {"div", "p", "ul", "ol", "li"}),
}
ALLOWED_ATTRIBUTES = {("a", "href"), ("p", "class"), ("li", "class"), ("div", "class"), ("table", "class"), ("th", "style"),
                      ("td", "style"), ("th", "align"), ("td", "align"), ("div", "markdown")}
ONE_LINE = LINE_PAYLOADS + [normal(p) for p in BLOCK_PAYLOADS]


def assert_inert(html: str, allowed_tags: set[str], source: str) -> Fragment:
    fragment = parse(html)
    for tag, attrs in fragment.elements:
        assert tag in allowed_tags, f"<{tag}> from {source!r}:\n{html}"
        for name, value in attrs.items():
            assert (tag, name) in ALLOWED_ATTRIBUTES, f"<{tag} {name}={value!r}> from {source!r}:\n{html}"
            assert not is_bad_url(value), f"<{tag} {name}={value!r}> from {source!r}"
        if tag == "a":
            assert attrs.get("href") == "../hankkeet/malli.md" or attrs.get("href") == "../malli.md", html
    assert not fragment.comments, f"comment from {source!r}:\n{html}"
    return fragment


def expected_text(context: str, value: str) -> str:
    """The reader's text of the context with ``value`` in it: the context's own words + the value."""
    return normal(parse(to_html(context.replace("{x}", MARK))).text.replace(MARK, normal(value)))


@pytest.mark.parametrize("context", sorted(INLINE_CONTEXTS))
@pytest.mark.parametrize("payload", ONE_LINE)
def test_inline_is_text_in_every_context(context: str, payload: str) -> None:
    template, tags = INLINE_CONTEXTS[context]
    html = to_html(template.replace("{x}", str(textfmt.inline(payload))))
    fragment = assert_inert(html, tags, payload)
    assert fragment.text == expected_text(template, payload)


_MARKER = re.compile(r"^(?:[-*•]|\d+[.)])$")


def without_markers(text: str) -> str:
    """Text without list-marker words: "- a" and "1. a" read the same as a list item "a"."""
    return " ".join(word for word in normal(text).split(" ") if not _MARKER.match(word))


@pytest.mark.parametrize("context", sorted(BLOCK_CONTEXTS))
@pytest.mark.parametrize("payload", [*BLOCK_PAYLOADS, "\n".join(LINE_PAYLOADS), "\n\n".join(BLOCK_PAYLOADS)])
def test_block_is_text_in_every_context(context: str, payload: str) -> None:
    template, tags = BLOCK_CONTEXTS[context]
    html = to_html(template.replace("{x}", str(textfmt.block(payload))))
    fragment = assert_inert(html, tags, payload)
    assert without_markers(fragment.text) == without_markers(expected_text(template, payload))


def test_block_keeps_paragraphs_and_lists() -> None:
    html = to_html(str(textfmt.block("Eka kappale\njatkuu.\n\nToinen <b>kappale</b>.\n\n- yksi\n- kaksi\n\nVälissä.\n\n1. vaihe\n2) vaihe")))
    assert [tag for tag, _ in parse(html).elements] == ["p", "p", "ul", "li", "li", "p", "ol", "li", "li"]
    assert "Toinen &#60;b&#62;kappale&#60;/b&#62;." in html


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.sampled_from(sorted(INLINE_CONTEXTS)))
def test_any_text_stays_text_inline(text: str, context: str) -> None:
    assume(normal(text))  # fields are never empty; an empty "**{x}**" would print "****"
    template, tags = INLINE_CONTEXTS[context]
    html = to_html(template.replace("{x}", str(textfmt.inline(text))))
    fragment = assert_inert(html, tags, text)
    assert fragment.text == expected_text(template, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=["Cs"]), max_size=40), min_size=1, max_size=6))
def test_any_text_stays_text_as_a_block(lines: list[str]) -> None:
    text = "\n".join(lines)
    html = to_html(str(textfmt.block(text)))
    fragment = assert_inert(html, {"p", "ul", "ol", "li"}, text)
    assert without_markers(fragment.text) == without_markers(text)


@pytest.mark.parametrize("value", [*ONE_LINE, 'lainaus " ja \\ kenoviiva', "C1\x85\x9f merkit \u2028 ja \ufeff", "😀 emoji"])
def test_front_matter_is_html_escaped_yaml_that_parses_back(value: str) -> None:
    import yaml
    from markupsafe import escape

    text = str(textfmt.front_matter(value))
    assert "\n" not in text
    parsed = yaml.load(f"title: {text}\n", Loader=yaml.SafeLoader)["title"]  # MkDocs' own loader
    assert parsed == str(escape(normal(value)))
    assert "<" not in parsed and '"' not in parsed


# ============================================================ (b) a full strict build


class PageAudit(HTMLParser):
    """Everything a page could do with injected markup, plus the article's tags and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.article_tags: set[str] = set()
        self.article_text: list[str] = []
        self.title = ""
        self.description: str | None = None
        self.h2_in_article: list[str] = []
        self.footer = False
        self._stack: list[str] = []
        self._article = 0
        self._script_type = ""
        self._h2: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value[:60]!r}>")
            if name in URL_ATTRIBUTES and is_bad_url(value):
                self.problems.append(f"<{tag} {name}={value[:60]!r}>")
        if tag == "article":
            self._article += 1
        elif self._article:
            self.article_tags.add(tag)
        if tag == "meta" and values.get("name") == "description":
            self.description = values.get("content", "")
        if tag == "script":
            self._script_type = values.get("type", "")
        if tag == "footer":
            self.footer = True
        if tag == "h2" and self._article:
            self._h2 = []
        if tag not in {"br", "img", "meta", "link", "input", "hr", "source", "wbr", "area", "base", "col", "embed"}:
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._article -= 1
        if tag == "h2" and self._h2 is not None:
            self.h2_in_article.append(normal("".join(self._h2)))
            self._h2 = None
        if tag in self._stack:
            while self._stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        current = self._stack[-1] if self._stack else ""
        if current == "title":
            self.title += data
        if current == "script" and self._script_type in ("application/json", "application/ld+json"):
            json.loads(data)  # data in a script element must stay data
        elif current in ("script", "style") and (PWNED in data or "alert(" in data):
            self.problems.append(f"<{current}> runs record text: {data[:80]!r}")
        if self._article:
            self.article_text.append(data)
        if self._h2 is not None:
            self._h2.append(data)

    def handle_comment(self, data: str) -> None:
        if PWNED in data or "nielisi" in data:
            self.problems.append(f"record text became a comment: {data[:60]!r}")


def audit(path: Path) -> PageAudit:
    page = PageAudit()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def build_env() -> dict[str, str]:
    """A clean environment for MkDocs (PYTHONPATH passes through, to test a patched copy)."""
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return env


def mkdocs_build(config_dir: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
        cwd=config_dir, capture_output=True, text=True,
        env=build_env(),
    )


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site plus every hostile record, built with ``mkdocs build --strict``."""
    work = tmp_path_factory.mktemp("payload-site")
    shutil.copytree(FIXTURE_SITE, work / "src")
    install(work / "src" / "content")
    result = mkdocs_build(work / "src", work / "site")
    assert result.returncode == 0, result.stderr
    return work / "site"


PAYLOAD_PAGES = ["hankkeet/xss-hanke", "toimintamallit/xss-malli", "toimintamallit/xss-proosa",
                 "organisaatiot/xss-ry", "kokonaisuudet/xss-kokonaisuus"]


def payload_records() -> dict[str, Any]:
    """The hostile records as the loader reads them (the source of what pages must show)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(FIXTURE_SITE / "content", content)
        install(content)
        site = check(content)
        return {r.id: r.data for r in site.records.values() if r.id.startswith("xss-")}


def test_payload_records_are_valid_and_carry_every_payload() -> None:
    records = payload_records()
    assert sorted(records) == ["xss-hanke", "xss-kokonaisuus", "xss-malli", "xss-proosa", "xss-ry"]
    dumped = json.dumps([r.model_dump(mode="json") for r in records.values()], ensure_ascii=False)
    for payload in [*LINE_PAYLOADS, *BLOCK_PAYLOADS]:
        assert json.dumps(payload, ensure_ascii=False)[1:-1] in dumped, payload
    assert len(record_files()) == 5


def test_no_page_runs_record_text(payload_site: Path) -> None:
    problems = {}
    for page in sorted(payload_site.rglob("*.html")):
        found = audit(page).problems
        if found:
            problems[page.relative_to(payload_site).as_posix()] = found
    assert not problems


@pytest.mark.parametrize("page", PAYLOAD_PAGES)
def test_record_pages_show_the_payload_as_text(payload_site: Path, page: str) -> None:
    record = payload_records()[page.split("/")[1]]
    built = audit(payload_site / page / "index.html")
    assert not built.problems
    assert built.article_tags <= ARTICLE_TAGS, built.article_tags - ARTICLE_TAGS
    text = normal(" ".join(built.article_text))
    # The page is whole: nothing swallowed it ("<!--") or closed it early ("</article>").
    assert built.h2_in_article[-1] == "Lähteet" and built.footer
    assert normal(record.title) in text
    assert built.title == f"{normal(record.title)} - Testisivusto"
    assert built.description == normal(record.summary)
    assert "{{ config }}" in text and "{% include 'x' %}" in text
    if page == "hankkeet/xss-hanke":
        for payload in LINE_PAYLOADS:  # every goal is one payload as a list item
            assert normal(payload) in text, payload


def test_lists_and_facet_pages_show_payload_titles_as_text(payload_site: Path) -> None:
    pages = [payload_site / folder / "index.html" for folder in ("hankkeet", "toimintamallit", "kokonaisuudet", "organisaatiot")]
    pages += [p for p in payload_site.rglob("index.html") if "xss-teema" in p.as_posix()]
    for page in pages:
        built = audit(page)
        assert not built.problems, page
        assert built.article_tags <= ARTICLE_TAGS, (page, built.article_tags - ARTICLE_TAGS)
    listing = normal(" ".join(audit(payload_site / "hankkeet" / "index.html").article_text))
    assert normal(payload_records()["xss-hanke"].title) in listing


def test_search_index_holds_no_markup_from_records(payload_site: Path) -> None:
    """MkDocs' search index (when the site uses it) keeps record text escaped."""
    index_file = payload_site / "search" / "search_index.json"
    if not index_file.exists():
        pytest.skip("this site searches with Pagefind; see test_search_results_show_payload_titles_as_text")
    index = json.loads(index_file.read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for key in ("title", "text"):
            fragment = parse(doc[key])
            tags = {tag for tag, _ in fragment.elements}
            assert tags <= {"p", "ul", "ol", "li", "code", "strong", "em", "br", "table", "thead", "tbody", "tr", "th", "td"}, (doc["location"], tags)
            assert not [a for _, attrs in fragment.elements for a in attrs], doc["location"]


def test_search_filters_hold_no_markup(payload_site: Path) -> None:
    """Pagefind's search page inserts filter values (vocabulary labels) as HTML."""
    import gzip

    filters = sorted((payload_site / "pagefind").glob("filter/*.pf_filter"))
    if not filters:
        pytest.skip("no Pagefind index in this build")
    values = b"".join(gzip.decompress(f.read_bytes()) for f in filters)
    assert "Teema ‹img src=x".encode() in values  # the hostile label is there, as text
    assert b"<" not in values and b"&" not in values


def test_feed_shows_record_text_as_text(payload_site: Path) -> None:
    feed = payload_site / "feed.xml"
    if not feed.exists():
        pytest.skip("no feed.xml in this build")
    tree = ET.parse(feed)  # well-formed: record text did not break the XML
    atom = "{http://www.w3.org/2005/Atom}"
    for element in tree.iter():
        if element.tag in (f"{atom}title", f"{atom}summary", f"{atom}content", "title", "description"):
            assert element.get("type", "text") == "text", "a feed reader would render this element as HTML"
        assert not [child for child in element if element.tag in (f"{atom}title", f"{atom}summary")]


# ============================================================ (c) in a browser

INJECTED = "[onerror],[onload],[onclick],[onmouseover],[ontoggle],[onfocus],[onanimationstart]"
PROBE = """() => ({
  pwned: window.__pwned === 1,
  handlers: document.querySelectorAll(%r).length,
  scripts: [...document.scripts].filter(s => /alert\\(|__pwned/.test(s.textContent)).length,
  jsLinks: [...document.querySelectorAll('a[href], iframe[src], img[src]')]
     .filter(e => /^\\s*(javascript|data|vbscript):/i.test(e.getAttribute('href') || e.getAttribute('src'))).length,
  articleExtras: document.querySelectorAll('article img, article svg, article iframe, article script, article style, article details').length,
})""" % INJECTED


@pytest.fixture(scope="module")
def payload_server(payload_site: Path) -> str:
    return start_server(payload_site)


@pytest.fixture(scope="module")
def chromium(browser: Any) -> Any:
    """The shared Chromium of tests/browser_support.py (one Playwright instance per module)."""
    return browser


def open_page(chromium: Any, base: str) -> tuple[Any, list[str]]:
    context = chromium.new_context(base_url=base)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return page, dialogs


def browser_pages(site: Path) -> list[str]:
    pages = [f"/{p}/" for p in PAYLOAD_PAGES] + ["/", "/hankkeet/", "/toimintamallit/"]
    pages += ["/" + p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html") if "xss-teema" in p.as_posix()]
    if (site / "selaa" / "index.html").exists():
        pages.append("/selaa/")
    return pages


@pytest.mark.browser
def test_no_payload_runs_in_chromium(payload_site: Path, payload_server: str, chromium: Any) -> None:
    page, dialogs = open_page(chromium, payload_server)
    try:
        for url in browser_pages(payload_site):
            response = page.goto(url, wait_until="load")
            assert response is not None and response.ok, url
            page.mouse.move(200, 300)
            page.mouse.move(400, 500)
            page.wait_for_timeout(300)  # let onerror/onload/ontoggle handlers fire if any exist
            found = page.evaluate(PROBE)
            if not any(url.startswith(f"/{p}") for p in (*PAYLOAD_PAGES, "hankkeet/", "toimintamallit/")):
                found.pop("articleExtras")  # pages like /selaa/ have their own form and script
                assert found == {"pwned": False, "handlers": 0, "scripts": 0, "jsLinks": 0}, url
            else:
                assert found == {"pwned": False, "handlers": 0, "scripts": 0, "jsLinks": 0, "articleExtras": 0}, url
            assert page.locator("article h2", has_text="Lähteet").count() >= (1 if "xss-" in url and "teema" not in url else 0)
        assert dialogs == []
    finally:
        page.context.close()


@pytest.mark.browser
def test_search_results_show_payload_titles_as_text(payload_site: Path, payload_server: str, chromium: Any) -> None:
    """Search results are built in the browser from the index: record text must stay text there too."""
    page, dialogs = open_page(chromium, payload_server)
    title = normal(payload_records()["xss-hanke"].title)
    try:
        if (payload_site / "haku" / "index.html").exists():  # Pagefind's search page
            page.goto("/haku/", wait_until="load")
            box = page.get_by_label("Hakusanat")
            box.click()
            box.press_sequentially("pwned onerror", delay=20)
            results = page.locator("#hk-haku-results > li")
        else:  # Material's built-in search
            page.goto("/hankkeet/xss-hanke/", wait_until="load")
            page.locator("label[for='__search']").first.click()
            page.locator("input[data-md-component='search-query']").fill("pwned onerror")
            results = page.locator(".md-search-result__item")
        results.first.wait_for(timeout=15_000)
        page.wait_for_timeout(1_000)  # excerpts and images of results load after the list
        found = page.evaluate(PROBE)
        assert found["pwned"] is False and found["handlers"] == 0 and found["jsLinks"] == 0
        assert results.locator("img[onerror], svg, iframe, script, details").count() == 0
        assert title in normal(results.all_inner_texts()[0] + " " + " ".join(results.all_inner_texts()[1:]))
        assert dialogs == []
    finally:
        page.context.close()
