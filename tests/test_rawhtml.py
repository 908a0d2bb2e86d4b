"""The build-speed measures change nothing a reader gets: raw HTML blocks passed past
Python-Markdown (generator/mkdocs_plugin/rawhtml.py) and the theme's navigation shared between the pages of a
folder (generator/mkdocs_plugin/sharednav.py)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.mkdocs_plugin.rawhtml import RawBlocks, converts

from .browser_support import mkdocs_build

ROOT = Path(__file__).resolve().parent.parent


def convert(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "toc"])


def collapse(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


PAGE = """# Otsikko

<dl class="hk-facts">
<dt>Teemat</dt>
<dd><a href="../teemat/x/">X</a></dd>
</dl>

## Kuvaus

<p>Ensimmäinen &#42;kappale&#42;.</p>
<p>Toinen.</p>

Markdown-kappale, jossa *korostus*.

<div class="a">avattu</div> ja tekstiä perässä

<span>rivinsisäinen</span>
"""


def test_stash_and_restore_give_the_same_html() -> None:
    raw = RawBlocks()
    stashed, blocks = raw.stash(PAGE)
    assert len(blocks) == 2  # the <dl> and the two <p>s; not the mixed or inline lines
    assert "<dl" not in stashed and "<p>" not in stashed and "<span>" in stashed
    assert collapse(raw.restore(convert(stashed), blocks)) == collapse(convert(PAGE))


def test_blocks_in_a_row_share_one_token() -> None:
    raw = RawBlocks()
    page = "# A\n\n<p>yksi</p>\n\n<ul>\n<li>kaksi</li>\n</ul>\n\n<div>kolme</div>\n\n## B\n\n<p>neljä</p>\n"
    stashed, blocks = raw.stash(page)
    assert len(blocks) == 2 and stashed.count("hkraw") == 2
    assert collapse(raw.restore(convert(stashed), blocks)) == collapse(convert(page))


def test_a_token_in_record_text_is_not_replaced() -> None:
    raw = RawBlocks()
    other = RawBlocks()  # a forger does not know this build's nonce
    forged = f"hkraw{other.nonce}n0"
    stashed, blocks = raw.stash(f"<p>oikea</p>\n\n{forged}\n")
    html = raw.restore(convert(stashed), blocks)
    assert forged in html and "<p>oikea</p>" in html


def markdown_render(stashed: str, blocks: dict[str, str]) -> tuple[str, list, str | None]:
    """What MkDocs' Page.render gets from Python-Markdown for a stashed page: HTML (blocks
    restored), the outline and the text of an opening <h1>."""
    md = markdown.Markdown(extensions=["toc", "tables", "fenced_code"], extension_configs={"toc": {"permalink": False}})
    html = RawBlocks.restore(RAW, md.convert(stashed), blocks)
    first = re.match(r"<h1[^>]*>(.*?)</h1>", html)
    return html, md.toc_tokens, first[1] if first else None


RAW = RawBlocks()
# Heading text that Python-Markdown outputs as it is, with the letters and punctuation record
# titles have; few distinct words, so that ids repeat and get _1, _2 suffixes.
WORDS = st.sampled_from(["Tulokset", "Äänekoski", "työ", "(2023–2025)", "Mitä?", "5.", "Kyllä!", "a/b", "d'Arc", '"lainaus"',
                         "50 %", "1+1", "—", "ÖÖ", "x-y", "Opit,", "huom:", "Ω", "Σ"])
HEADINGS = st.builds(lambda level, words: "#" * level + " " + " ".join(words),
                     st.integers(1, 6), st.lists(WORDS, min_size=1, max_size=4))


@settings(max_examples=int(os.environ.get("HK_EXAMPLES", "200")), deadline=None)
@given(st.lists(st.one_of(HEADINGS, st.sampled_from(["<p>kappale</p>", '<dl class="hk">\n<dt>a</dt>\n<dd>b</dd>\n</dl>',
                                                      '<div id="x">x</div>'])), min_size=1, max_size=12))
def test_a_page_of_plain_headings_converts_as_python_markdown_does(chunks: list[str]) -> None:
    stashed, blocks = RAW.stash("\n\n".join(chunks) + "\n")
    converted = RAW.convert(stashed, blocks)
    assert converted is not None
    html, toc_tokens, title = markdown_render(stashed, blocks)
    assert converted.html == html
    assert converted.toc_tokens == toc_tokens
    assert converted.title == title
    assert converted.ids == set(re.findall(r'<h\d id="([^"]*)"', html))


@pytest.mark.parametrize("heading", ["# *korostus*", "# a_b", "# Työ & arki", "# <b>x</b>", "# a  b", "# Otsikko #",
                                     "# `koodi`", "# [linkki](x)", "#ilman välilyöntiä", "####### seitsemän",
                                     "# x\\", "# a\tb", "# a\xa0b", "# lopussa ", "#  alussa"])
def test_anything_but_a_plain_heading_is_left_to_python_markdown(heading: str) -> None:
    stashed, blocks = RAW.stash(f"{heading}\n\n<p>x</p>\n")
    assert RAW.convert(stashed, blocks) is None
    assert RAW.convert("# Otsikko\n\nMarkdown-kappale.\n", {}) is None
    assert RAW.convert("# Otsikko\nToinen rivi\n", {}) is None


def test_the_conversion_is_used_only_under_the_markdown_settings_it_reproduces() -> None:
    assert converts(["toc", "tables", "fenced_code"], {"toc": {"permalink": False}})
    assert converts(["toc"], {})
    assert not converts(["toc", "tables", "fenced_code", "admonition"], {"toc": {"permalink": False}})
    assert not converts(["toc"], {"toc": {"permalink": True}})
    assert not converts(["toc"], {"toc": {"slugify": str.lower}})
    assert not converts(["tables"], {})  # no toc: headings have no ids


def test_a_built_site_is_the_same_with_and_without_them(tmp_path: Path) -> None:
    """The real site built both ways: every HTML page has the same text and markup."""
    sites = {}
    for passing in (True, False):
        workdir = tmp_path / f"pass-{passing}"
        workdir.mkdir()
        config = workdir / "mkdocs.yml"
        text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
        options = f"      pass_raw_html: {str(passing).lower()}\n      share_navigation: {str(passing).lower()}\n"
        text = text.replace("  - hankekirjasto:\n", f"  - hankekirjasto:\n{options}", 1)
        text = text.replace("docs_dir: content", f"docs_dir: {ROOT / 'content'}")
        config.write_text(text, encoding="utf-8")
        shutil.copytree(ROOT / "overrides", workdir / "overrides")
        result = mkdocs_build(config, workdir / "site")
        assert result.returncode == 0, result.stderr[-2000:]
        sites[passing] = workdir / "site"
    pages = sorted(p.relative_to(sites[False]) for p in sites[False].rglob("*.html"))
    assert len(pages) > 40
    assert pages == sorted(p.relative_to(sites[True]) for p in sites[True].rglob("*.html"))
    differing = [str(p) for p in pages if collapse((sites[True] / p).read_text(encoding="utf-8")) != collapse((sites[False] / p).read_text(encoding="utf-8"))]
    assert differing == []


def test_the_plugin_passes_generated_pages_but_not_editorial_ones(site_copy: Path) -> None:
    from types import SimpleNamespace

    from mkdocs.config import load_config

    config = load_config(str(site_copy / "mkdocs.yml"))
    plugin = config.plugins["hankekirjasto"]
    plugin.on_startup(command="build", dirty=False)
    config = plugin.on_config(config)
    plugin.on_pre_build(config)

    def page(uri: str) -> SimpleNamespace:
        return SimpleNamespace(file=SimpleNamespace(src_uri=uri))

    record = plugin.generated["toimintamallit/malli.md"].split("---\n", 2)[2]
    passed = plugin.on_page_markdown(record, page=page("toimintamallit/malli.md"), config=config, files=None)
    assert f"hkraw{plugin._raw.nonce}" in passed and "<dl" not in passed
    editorial = "<div>toimittajan oma</div>\n"
    assert plugin.on_page_markdown(editorial, page=page("index.md"), config=config, files=None) == editorial
    # A record page is only headings and blocks: MkDocs' render of it uses the converted HTML.
    record_page = page("toimintamallit/malli.md")
    plugin.on_page_markdown(record, page=record_page, config=config, files=None)
    record_page.render(config, None)
    assert "hkraw" not in record_page.content and '<dl class="hk-facts">' in record_page.content
    assert [item.title for item in record_page.toc][0] == record_page._title_from_render
    assert "render" not in vars(record_page)  # used once
    # A stashed page with Markdown text in it goes through Python-Markdown and gets its blocks back.
    mixed = page("toimintamallit/malli.md")
    stashed = plugin.on_page_markdown(record + "\nMarkdown-kappale, *korostettu*.\n", page=mixed, config=config, files=None)
    assert not hasattr(mixed, "render")
    html = plugin.on_page_content(convert(stashed), page=mixed, config=config, files=None)
    assert "hkraw" not in html and '<dl class="hk-facts">' in html and "<em>korostettu</em>" in html


def test_navigation_is_shared_only_by_pages_outside_it_in_one_folder() -> None:
    from types import SimpleNamespace

    from generator.mkdocs_plugin.sharednav import shared_key

    home, listing = SimpleNamespace(url=""), SimpleNamespace(url="toimintamallit/")
    nav = SimpleNamespace(pages=[home, listing])
    key = lambda url: shared_key(SimpleNamespace(url=url), nav)  # noqa: E731
    assert shared_key(listing, nav) is None and shared_key(home, nav) is None
    assert shared_key(None, nav) is None  # the 404 page and other theme templates
    assert key("toimintamallit/a/") == key("toimintamallit/b/") != key("hankkeet/a/")
    assert key("teemat/x/sivu/2/") == key("teemat/x/sivu/3/") != key("teemat/y/sivu/2/")
    assert key("toimintamallit/a/") != key("toimintamallit/sivu/2/")
    assert key("toimintamallit/a.html") == key("toimintamallit/b.html") != key("toimintamallit/a/")
    assert key("tietoa.html") == key("ohjeet.html") != key("tietoa/")
