"""Record text never runs in a reader's browser: it is shown as text, everywhere.

Three levels: (a) ``textfmt.inline``/``block``/``block_html`` and the link helpers (``link``,
``external_link``, ``urls.relative_url``) in every Markdown and raw-HTML context our templates
use, rendered by Python-Markdown with the site's extensions and with every extension the
templates have ever used; (b) a full ``mkdocs build --strict`` of the fixture site plus the
hostile records in tests/payloads, every built page parsed, and the generated record pages
checked to be raw HTML between Markdown headings; (c) the hostile pages opened in Chromium,
watching for dialogs and ``window.__pwned``.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import markdown
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator import textfmt
from generator.pipeline import check

from .browser_support import browser, mkdocs_build, start_server  # noqa: F401 - fixture by name
from .payloads import BLOCK_PAYLOADS, LINE_PAYLOADS, PWNED, install, record_files

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = ROOT / "tests" / "fixtures" / "site"

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


# MkDocs adds these to every site's own markdown_extensions.
MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")
# Every extension the templates have ever relied on. Record text must stay text under all of
# them at once ("all"), so turning one back on cannot make it markup, and under exactly what
# the site runs ("site"), where raw HTML is parsed without md_in_html.
EXTENSIONS = ["attr_list", "md_in_html", "def_list", "tables", "toc", "fenced_code"]


def site_extensions(config: Path) -> list[str]:
    """The Markdown extensions a site's mkdocs.yml enables, MkDocs' built-in ones included."""
    import yaml

    listed = yaml.safe_load(config.read_text(encoding="utf-8")).get("markdown_extensions") or []
    return sorted({next(iter(e)) if isinstance(e, dict) else e for e in listed} | set(MKDOCS_BUILTINS))


EXTENSION_SETS = {"site": site_extensions(ROOT / "mkdocs.yml"), "all": EXTENSIONS}


def to_html(source: str, extensions: str = "all") -> str:
    return markdown.markdown(source, extensions=EXTENSION_SETS[extensions])


def test_safety_tests_cover_every_extension_the_sites_use() -> None:
    for config in (ROOT / "mkdocs.yml", FIXTURE_SITE / "mkdocs.yml"):
        assert set(site_extensions(config)) <= set(EXTENSIONS), config


MARK = "XYZZYMARK"
# Where templates put one line of record text (``{x}``), with the tags each context may produce.
# Record pages and the home page are raw HTML between Markdown headings ("html ..."); listing
# pages may still be Markdown, where links from the same helpers are raw <a> elements.
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
    "html paragraph": ("<p>{x}</p>", {"p"}),
    "html lead": ('<p class="hk-lead">{x}</p>', {"p"}),
    "html fact": ('<dl class="hk-facts">\n<dt>Nimi</dt>\n<dd>{x}</dd>\n<dt>Hanke</dt>\n<dd><a href="../malli/">{x}</a>, {x}</dd>\n</dl>',
                  {"dl", "dt", "dd", "a"}),
    "html list item": ("<ul>\n<li>{x}</li>\n</ul>", {"ul", "li"}),
    "html step": ("<ol>\n<li>{x}</li>\n</ol>", {"ol", "li"}),
    "html bold name": ("<ul>\n<li><strong>{x}</strong>, {x}</li>\n</ul>", {"ul", "li", "strong"}),
    "html lesson title": ("<p><strong>{x}</strong></p>", {"p", "strong"}),
    "html indicator row": ('<table class="hk-stack hk-indicators" role="table">\n<thead role="rowgroup">\n<tr role="row">\n<th role="columnheader" scope="col">Mittari</th>\n'
                           '<th role="columnheader" scope="col" class="hk-num">Tavoite</th>\n</tr>\n</thead>\n<tbody role="rowgroup">\n<tr role="row">\n'
                           '<th role="rowheader" scope="row">{x} ({x})<br><small>{x}</small></th>\n<td role="cell" class="hk-num" data-label="Tavoite">{x} {x}</td>\n'
                           '<td role="cell" data-label="Toteuma"><span class="hk-overdue">{x}</span></td>\n</tr>\n</tbody>\n</table>',
                           {"table", "thead", "tbody", "tr", "th", "td", "br", "small", "span"}),
    "html quote": ('<figure class="hk-quote">\n<blockquote>\n<p>{x}</p>\n</blockquote>\n<figcaption>— {x}</figcaption>\n</figure>',
                   {"figure", "blockquote", "p", "figcaption"}),
    "html similar": ('<div class="hk-similar">\n<ul>\n<li><a href="../malli/">{x}</a><br>\n<small>{x} · {x}</small></li>\n</ul>\n</div>',
                     {"div", "ul", "li", "a", "br", "small"}),
    "html after link": ('<ul>\n<li><a href="../malli/">Malli</a>: {x}</li>\n</ul>', {"ul", "li", "a"}),
}
BLOCK_CONTEXTS: dict[str, tuple[str, set[str]]] = {
    "section": ("## Kuvaus\n\n{x}\n\n## Lähteet", {"h2", "p", "ul", "ol", "li"}),
    "lead": ("{x}\n{: .hk-lead }", {"p", "ul", "ol", "li"}),
    "in facts div": ('<div markdown>\n\n{x}\n\n</div>', {"div", "p", "ul", "ol", "li"}),
}
# Where templates put ``block_html`` output, and the paragraph class they ask for.
BLOCK_HTML_CONTEXTS: dict[str, tuple[str, set[str], str | None]] = {
    "html section": ("## Kuvaus\n\n{x}\n\n## Lähteet", {"h2", "p", "ul", "ol", "li"}, None),
    "html lead": ("# Otsikko\n\n{x}\n\n## Perustiedot", {"h1", "h2", "p", "ul", "ol", "li"}, "hk-lead"),
    "html step": ("#### Vaihe\n\n{x}\n\n<ol>\n<li>a</li>\n</ol>", {"h4", "p", "ul", "ol", "li"}, None),
    "html lesson": ("<p><strong>Otsikko</strong></p>\n\n{x}\n\n## Yhteystiedot", {"h2", "p", "strong", "ul", "ol", "li"}, None),
}
ALLOWED_ATTRIBUTES = {("a", "href"), ("p", "class"), ("li", "class"), ("div", "class"), ("table", "class"), ("th", "style"),
                      ("td", "style"), ("th", "align"), ("td", "align"), ("div", "markdown"), ("dl", "class"),
                      ("th", "class"), ("td", "class"), ("figure", "class"),
                      ("th", "scope"), ("td", "data-label"), ("span", "class"),
                      *((tag, "role") for tag in ("table", "thead", "tbody", "tr", "th", "td")),
                      *((f"h{level}", "id") for level in range(1, 7))}
# The only links the contexts above contain: record text never adds one.
CONTEXT_HREFS = {"../hankkeet/malli.md", "../malli.md", "../malli/"}
ONE_LINE = LINE_PAYLOADS + [normal(p) for p in BLOCK_PAYLOADS]


def assert_inert(html: str, allowed_tags: set[str], source: str, hrefs: set[str] = CONTEXT_HREFS) -> Fragment:
    fragment = parse(html)
    for tag, attrs in fragment.elements:
        assert tag in allowed_tags, f"<{tag}> from {source!r}:\n{html}"
        for name, value in attrs.items():
            assert (tag, name) in ALLOWED_ATTRIBUTES, f"<{tag} {name}={value!r}> from {source!r}:\n{html}"
            assert not is_bad_url(value), f"<{tag} {name}={value!r}> from {source!r}"
            if name == "id":  # heading ids (toc) are slugs of the text
                assert re.fullmatch(r"[\w-]*", value), f"<{tag} id={value!r}> from {source!r}"
        if tag == "a":
            assert attrs.get("href") in hrefs, html
    assert not fragment.comments, f"comment from {source!r}:\n{html}"
    return fragment


def assert_raw_html_untouched(source: str, html: str) -> None:
    """Python-Markdown passed a raw HTML part through as it was: nothing in it was parsed."""
    assert html.strip() == source.strip(), f"Markdown changed raw HTML:\n{source}\n---\n{html}"


def expected_text(context: str, value: str, extensions: str = "all") -> str:
    """The reader's text of the context with ``value`` in it: the context's own words + the value."""
    return normal(parse(to_html(context.replace("{x}", MARK), extensions)).text.replace(MARK, normal(value)))


@pytest.mark.parametrize("extensions", sorted(EXTENSION_SETS))
@pytest.mark.parametrize("context", sorted(INLINE_CONTEXTS))
@pytest.mark.parametrize("payload", ONE_LINE)
def test_inline_is_text_in_every_context(context: str, payload: str, extensions: str) -> None:
    template, tags = INLINE_CONTEXTS[context]
    source = template.replace("{x}", str(textfmt.inline(payload)))
    html = to_html(source, extensions)
    fragment = assert_inert(html, tags, payload)
    assert fragment.text == expected_text(template, payload, extensions)
    if context.startswith("html "):
        assert_raw_html_untouched(source, html)


_MARKER = re.compile(r"^(?:[-*•]|\d+[.)])$")


def without_markers(text: str) -> str:
    """Text without list-marker words: "- a" and "1. a" read the same as a list item "a"."""
    return " ".join(word for word in normal(text).split(" ") if not _MARKER.match(word))


BLOCK_SAMPLES = [*BLOCK_PAYLOADS, "\n".join(LINE_PAYLOADS), "\n\n".join(BLOCK_PAYLOADS)]


@pytest.mark.parametrize("context", sorted(BLOCK_CONTEXTS))
@pytest.mark.parametrize("payload", BLOCK_SAMPLES)
def test_block_is_text_in_every_context(context: str, payload: str) -> None:
    template, tags = BLOCK_CONTEXTS[context]
    html = to_html(template.replace("{x}", str(textfmt.block(payload))))
    fragment = assert_inert(html, tags, payload)
    assert without_markers(fragment.text) == without_markers(expected_text(template, payload))


@pytest.mark.parametrize("extensions", sorted(EXTENSION_SETS))
@pytest.mark.parametrize("context", sorted(BLOCK_HTML_CONTEXTS))
@pytest.mark.parametrize("payload", BLOCK_SAMPLES)
def test_block_html_is_text_in_every_context(context: str, payload: str, extensions: str) -> None:
    template, tags, paragraph_class = BLOCK_HTML_CONTEXTS[context]
    block = str(textfmt.block_html(payload, paragraph_class))
    assert_raw_html_untouched(block, to_html(block, extensions))
    html = to_html(template.replace("{x}", block), extensions)
    fragment = assert_inert(html, tags, payload)
    assert without_markers(fragment.text) == without_markers(expected_text(template, payload, extensions))


def test_block_keeps_paragraphs_and_lists() -> None:
    text = "Eka kappale\njatkuu.\n\nToinen <b>kappale</b>.\n\n- yksi\n- kaksi\n\nVälissä.\n\n1. vaihe\n2) vaihe"
    for html in (to_html(str(textfmt.block(text))), str(textfmt.block_html(text))):
        assert [tag for tag, _ in parse(html).elements] == ["p", "p", "ul", "li", "li", "p", "ol", "li", "li"]
        assert "Toinen &#60;b&#62;kappale&#60;/b&#62;." in html


def test_block_html_lists_after_text_and_continued_items() -> None:
    html = str(textfmt.block_html("Jaettiin:\n- kunnille\n- järjestöille,\njotka pyysivät\n\n3. kolmas\n- sekaan"))
    assert [tag for tag, _ in parse(html).elements] == ["p", "ul", "li", "li", "ol", "li", "li"]
    assert "<li>järjestöille,\njotka pyysivät</li>" in html
    assert str(textfmt.block_html("Yksi.", "hk-lead")) == '<p class="hk-lead">Yksi.</p>'
    assert textfmt.block_html(" \n\n ") == ""


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.sampled_from(sorted(INLINE_CONTEXTS)), st.sampled_from(sorted(EXTENSION_SETS)))
def test_any_text_stays_text_inline(text: str, context: str, extensions: str) -> None:
    assume(normal(text))  # fields are never empty; an empty "**{x}**" would print "****"
    template, tags = INLINE_CONTEXTS[context]
    source = template.replace("{x}", str(textfmt.inline(text)))
    html = to_html(source, extensions)
    fragment = assert_inert(html, tags, text)
    assert fragment.text == expected_text(template, text, extensions)
    if context.startswith("html "):
        assert_raw_html_untouched(source, html)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=["Cs"]), max_size=40), min_size=1, max_size=6))
def test_any_text_stays_text_as_a_block(lines: list[str]) -> None:
    text = "\n".join(lines)
    html = to_html(str(textfmt.block(text)))
    fragment = assert_inert(html, {"p", "ul", "ol", "li"}, text)
    assert without_markers(fragment.text) == without_markers(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=["Cs"]), max_size=40), min_size=1, max_size=6),
       st.sampled_from(sorted(EXTENSION_SETS)))
def test_any_text_stays_text_as_an_html_block(lines: list[str], extensions: str) -> None:
    text = "\n".join(lines)
    block = str(textfmt.block_html(text))
    html = to_html(block, extensions)
    assert_raw_html_untouched(block, html)
    fragment = assert_inert(html, {"p", "ul", "ol", "li"}, text)
    assert without_markers(fragment.text) == without_markers(text)


# ------------------------------------------------------------ links from the template helpers


@pytest.fixture(scope="module")
def helpers() -> dict[str, Any]:
    """The template helpers of a practice page (toimintamallit/x.md) of the fixture site."""
    from generator import render

    renderer = render.Renderer(site=check(FIXTURE_SITE / "content"), env=render.environment())
    return {"site": renderer.site, **renderer._helpers("toimintamallit/x.md")}


# Where templates put a link from the helpers: raw HTML on record pages, Markdown on listings.
LINK_CONTEXTS: dict[str, tuple[str, set[str]]] = {
    "html list item": ("<ul>\n<li>{x}</li>\n</ul>", {"ul", "li", "a"}),
    "html fact": ('<dl class="hk-facts">\n<dt>Hanke</dt>\n<dd>{x}, {x}</dd>\n</dl>', {"dl", "dt", "dd", "a"}),
    "markdown list item": ("- {x} – kuvaus", {"ul", "li", "a"}),
    "markdown table cell": ("| Hanke | Tila |\n|:--|:--|\n| {x} | Käynnissä |", {"table", "thead", "tbody", "tr", "th", "td", "a"}),
}


@pytest.mark.parametrize("context", sorted(LINK_CONTEXTS))
@pytest.mark.parametrize("payload", ONE_LINE)
def test_record_link_shows_the_title_as_text(helpers: dict[str, Any], context: str, payload: str) -> None:
    import dataclasses

    record = helpers["site"].records["malli"]
    hostile = dataclasses.replace(record, data=record.data.model_copy(update={"title": payload}))
    template, tags = LINK_CONTEXTS[context]
    source = template.replace("{x}", str(helpers["link"](hostile)))
    for extensions in sorted(EXTENSION_SETS):
        html = to_html(source, extensions)
        if context.startswith("html "):
            assert_raw_html_untouched(source, html)
        fragment = assert_inert(html, tags, payload, hrefs={"../malli/"})
        assert fragment.text == expected_text(template.replace("{x}", '<a href="../malli/">{x}</a>'), payload, extensions)


BAD_HREF_CHARS = re.compile(r"[\s<>\"'`\\]")


def payload_urls() -> list[str]:
    """Every URL of the hostile records, plus each one-line payload as a query and a mailto subject."""
    found: list[str] = []

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key.endswith("url"):
            found.append(value)

    for record in payload_records().values():
        walk(record.model_dump(mode="json"))
    return sorted(set(found)) + [f"https://example.org/?q={p}" for p in ONE_LINE] + [
        f"mailto:nobody@example.org?subject={p}" for p in LINE_PAYLOADS]


def assert_external_link(html: str, text: str, url: str) -> None:
    """One <a> whose href is the URL itself, percent-encoded where it could break out, and text as text."""
    source = f"<ul>\n<li>{html}</li>\n</ul>"
    for extensions in sorted(EXTENSION_SETS):
        assert_raw_html_untouched(source, to_html(source, extensions))
    fragment = parse(source)
    assert [tag for tag, _ in fragment.elements] == ["ul", "li", "a"], source
    attrs = fragment.elements[2][1]
    assert list(attrs) == ["href"], source
    href = attrs["href"]
    assert not BAD_HREF_CHARS.search(href), href
    assert href.split(":", 1)[0].lower() == url.split(":", 1)[0].lower() in ("http", "https", "mailto"), href
    if "%" not in url:
        assert unquote(href) == url
    assert fragment.text == normal(text)


@pytest.mark.parametrize("text", ONE_LINE)
def test_external_link_text_is_text(text: str) -> None:
    from generator.render import external_link

    assert_external_link(str(external_link(text, "https://example.org/a?b=1&c=2")), text, "https://example.org/a?b=1&c=2")


def test_external_link_urls_cannot_break_out() -> None:
    from generator.render import external_link

    urls = payload_urls()
    assert len(urls) > len(ONE_LINE) + len(LINE_PAYLOADS) + 3  # the records' own hostile URLs are there too
    for url in urls:
        assert_external_link(str(external_link("linkki", url)), "linkki", url)


@pytest.mark.parametrize("url", ["javascript:window.__pwned=1", " javascript:alert(1)", "JAVASCRIPT:alert(1)",
                                 "data:text/html;base64,PHNjcmlwdD4=", "vbscript:x", "//example.org/x", "ftp://example.org/"])
def test_external_link_refuses_other_schemes(url: str) -> None:
    from generator.render import external_link

    html = str(external_link("<b>linkki</b>", url))
    assert "<a" not in html and "href" not in html
    assert parse(html).text == "<b>linkki</b>"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.text(max_size=30))
def test_any_url_stays_one_link(path: str, text: str) -> None:
    from generator.render import external_link

    assume(normal(text))
    url = "https://example.org/" + path
    assert_external_link(str(external_link(text, url)), text, url)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40), st.booleans())
def test_relative_urls_are_only_ever_paths(page: str, target: str, directory_urls: bool) -> None:
    """Whatever a page or target path holds, the href is a relative path: no scheme, no quote."""
    from generator import urls

    for target_path in (f"hankkeet/{target}.md", f"{target}.md", f"{target}/index.md#{target}"):
        href = urls.relative_url(f"{page}.md", target_path, directory_urls)
        assert re.fullmatch(r"[A-Za-z0-9%/._~#-]*", href), href
        assert ":" not in href and not href.startswith("//"), href


@pytest.mark.parametrize("payload", ONE_LINE)
def test_relative_url_of_a_hostile_id_is_a_path(payload: str) -> None:
    from generator import urls

    href = urls.relative_url("toimintamallit/x.md", f"hankkeet/{payload}.md")
    assert re.fullmatch(r"\.\./\.\./hankkeet/[A-Za-z0-9%._~/-]*(#[A-Za-z0-9%._~-]*)?", href), href


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


RAW_BLOCK = re.compile(r"<(p|ul|ol|dl|div|table|figure)[ >]")
RECORD_FOLDERS = ("hankkeet/", "toimintamallit/", "kokonaisuudet/", "organisaatiot/")


def test_record_pages_are_raw_html_between_markdown_headings(tmp_path: Path) -> None:
    """Between its headings a record page is raw HTML blocks that Python-Markdown leaves as they
    are, so nothing record text holds is ever parsed as Markdown (and the pages convert fast)."""
    from generator.pipeline import generate

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE / "content", content)
    install(content)
    pages = {path: text for path, text in generate(content).items()
             if path.startswith(RECORD_FOLDERS) and not path.endswith("/index.md")}
    assert len(pages) == 10
    for path, text in pages.items():
        body = text.split("\n---\n", 1)[1]  # after the front matter
        assert not re.search(r"<[^>]*\smarkdown\b", body), path
        for chunk in filter(None, (c.strip("\n") for c in body.split("\n\n"))):
            if chunk.startswith("#"):
                assert re.fullmatch(r"#{1,6} [^\n]+", chunk), f"{path}: {chunk!r}"
                continue
            start = RAW_BLOCK.match(chunk)
            assert start and chunk.endswith(f"</{start.group(1)}>"), f"{path}: not one raw HTML block: {chunk[:200]!r}"
            for extensions in sorted(EXTENSION_SETS):
                assert_raw_html_untouched(chunk, to_html(chunk, extensions))


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
