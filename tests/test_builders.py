"""One site, two builders: the real content built by MkDocs with our plugin, and by Zensical from
the project `hankekirjasto generate` writes. Both must give the same pages with the same article
text, no broken internal link at the site root or under a sub-path, and the same search index."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from generator import search

from .browser_support import build_env, mkdocs_build, parse_file
from .test_editorial_images import png

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SUB_PATH = "/alikansio/hankekirjasto/"
ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)


def zensical() -> Path:
    binary = BIN / "zensical"
    if not binary.is_file():
        found = shutil.which("zensical")
        if not found:
            pytest.fail("Zensical is not installed: run `make install` (it is in the test extra)")
        binary = Path(found)
    return binary


def generate(out: Path, content: Path = ROOT / "content", config: Path = ROOT / "mkdocs.yml") -> None:
    done = subprocess.run([str(BIN / "hankekirjasto"), "--content", str(content), "generate", str(out), "--config", str(config)],
                          capture_output=True, text=True, env=build_env())
    assert done.returncode == 0, done.stderr


def zensical_build(project: Path, config: str = "mkdocs.yml") -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(zensical()), "build", "--clean", "--strict", "-f", config], cwd=project, capture_output=True, text=True, env=build_env())


def served_under(project: Path, url: str) -> str:
    """A config for the generated project deployed at ``url`` (site_url says so): its own site/."""
    import yaml

    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    config.update(site_url=url, site_dir="site-sub")
    (project / "mkdocs-sub.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return "mkdocs-sub.yml"


def pages(site: Path) -> set[str]:
    # admin/: the form editor, written by the MkDocs plugin only (generator/cms.py), not a site page.
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "admin"}


def article_text(page: Path) -> str:
    """The text a reader reads in the page's article, whitespace collapsed."""
    found = ARTICLE.search(page.read_text(encoding="utf-8"))
    assert found, f"{page}: no article"
    text = re.sub(r"<[^>]+>", " ", found[1])
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def broken_links(site: Path, base: str = "/") -> list[str]:
    """Internal links (href, src) of every page that do not lead to a file of the site served at
    ``base``, or to an element with the link's #fragment. A link that climbs above ``base``, or
    a root-relative one outside it, is broken: it works only when the site is served elsewhere."""
    problems: list[str] = []
    ids: dict[Path, set[str]] = {}
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        if rel == "404.html":
            continue  # served at any URL: its links are root-relative on purpose
        url = base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        for tag, attr, value in parse_file(page).refs:
            parts = urlsplit(value)
            if parts.scheme or value.startswith("//") or not value or value.startswith("#") and not parts.fragment:
                continue
            target = urlsplit(urljoin("http://site.invalid" + url, value))
            path = unquote(target.path)
            if not path.startswith(base) and path + "/" != base:
                problems.append(f"{url}: <{tag} {attr}={value!r}> leaves {base}")
                continue
            file = site / path[len(base):]
            if path.endswith("/") or file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                problems.append(f"{url}: <{tag} {attr}={value!r}>: no file for {path}")
                continue
            fragment = unquote(target.fragment)
            if fragment and file.suffix == ".html":
                if file not in ids:
                    ids[file] = parse_file(file).ids
                if fragment not in ids[file]:
                    problems.append(f"{url}: <{tag} {attr}={value!r}>: no id {fragment!r} in {path}")
    return problems


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The real site built both ways, each indexed by Pagefind."""
    work = tmp_path_factory.mktemp("builders")
    mkdocs_site = work / "mkdocs-site"
    result = mkdocs_build(ROOT / "mkdocs.yml", mkdocs_site)
    assert result.returncode == 0, result.stderr[-3000:]
    project = work / "project"
    generate(project)
    built = zensical_build(project)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    index = subprocess.run([str(BIN / "hankekirjasto"), "index", str(project / "site")], capture_output=True, text=True, env=build_env())
    assert index.returncode == 0, index.stderr
    # Under a sub-path the deployment's site_url names it: Zensical writes canonical links from
    # it, root-relative ("/hankkeet/x/") when it is empty. MkDocs writes only relative links.
    sub = zensical_build(project, served_under(project, "https://esimerkki.fi" + SUB_PATH))
    assert sub.returncode == 0, sub.stdout[-3000:] + sub.stderr[-3000:]
    return {"mkdocs": mkdocs_site, "zensical": project / "site", "zensical-sub": project / "site-sub", "project": project}


def test_the_same_pages(two_sites: dict[str, Path]) -> None:
    ours, theirs = pages(two_sites["mkdocs"]), pages(two_sites["zensical"])
    assert len(ours) > 100
    assert ours == theirs, f"only MkDocs: {sorted(ours - theirs)[:10]}; only Zensical: {sorted(theirs - ours)[:10]}"
    # Zensical used our stylesheet, Material's classic look and colours, and the overrides.
    home = (two_sites["zensical"] / "index.html").read_text(encoding="utf-8")
    assert "assets/hankekirjasto.css" in home and 'data-md-color-primary="indigo"' in home
    ours_home = (two_sites["mkdocs"] / "index.html").read_text(encoding="utf-8")
    assert home.count('class="hk-search"') == ours_home.count('class="hk-search"') == 1  # overrides/partials/search.html
    overridden = sorted(p.relative_to(ROOT / "overrides").as_posix() for p in (ROOT / "overrides").rglob("*.html"))
    assert overridden and all((two_sites["project"] / "overrides" / name).is_file() for name in overridden)


def test_the_same_article_text(two_sites: dict[str, Path]) -> None:
    differing = [rel for rel in sorted(pages(two_sites["mkdocs"]))
                 if rel != "404.html" and article_text(two_sites["mkdocs"] / rel) != article_text(two_sites["zensical"] / rel)]
    assert differing == []


@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
def test_no_broken_internal_links_at_the_root(two_sites: dict[str, Path], builder: str) -> None:
    problems = broken_links(two_sites[builder], "/")
    assert problems == [], f"{len(problems)} broken:\n" + "\n".join(problems[:20])


@pytest.mark.parametrize("builder", ["mkdocs", "zensical-sub"])
def test_no_broken_internal_links_under_a_sub_path(two_sites: dict[str, Path], builder: str) -> None:
    problems = broken_links(two_sites[builder], SUB_PATH)
    assert problems == [], f"{len(problems)} broken:\n" + "\n".join(problems[:20])


def test_the_same_pages_in_the_search_index(two_sites: dict[str, Path]) -> None:
    counts = {}
    for builder in ("mkdocs", "zensical"):
        entry = two_sites[builder] / search.OUTPUT_SUBDIR / "pagefind-entry.json"
        assert entry.is_file(), builder
        counts[builder] = sum(language["page_count"] for language in json.loads(entry.read_text())["languages"].values())
    expected = search.indexed_pages(pages(two_sites["mkdocs"]))
    assert counts["mkdocs"] == counts["zensical"] == len(expected) > 0


def test_the_link_check_finds_what_zensical_breaks_in_the_flat_layout(tmp_path: Path) -> None:
    """The check itself: a page at hankkeet/x.md whose raw HTML links are written for its URL
    (hankkeet/x/) breaks under Zensical, which resolves them from the file's folder."""
    (tmp_path / "site" / "a").mkdir(parents=True)
    (tmp_path / "site" / "b").mkdir()
    (tmp_path / "site" / "a" / "index.html").write_text('<a href="../b/">ok</a><a href="../../b/">up</a><a href="/b/">abs</a><a href="../b/#x">x</a>', encoding="utf-8")
    (tmp_path / "site" / "b" / "index.html").write_text('<h1 id="y">B</h1><a href="../a/">A</a>', encoding="utf-8")
    at_root = broken_links(tmp_path / "site", "/")
    under = broken_links(tmp_path / "site", SUB_PATH)
    assert len(at_root) == 1 and "no id 'x'" in at_root[0]
    assert len(under) == 3 and sum("leaves" in p for p in under) == 2


def test_editors_markdown_and_raw_html_links_resolve_under_both(site_copy: Path, tmp_path: Path) -> None:
    """An editor's page with Markdown links (to pages, an anchor, a data file) and a raw HTML
    link written for its URL: every link works in both builds, at the root and under a sub-path."""
    (site_copy / "content" / "sivut" / "ohje.md").write_text(
        "---\ntitle: Ohje\n---\n\n# Ohje\n\n[Kirjoita hakusanat](haku.md#hk-haku-q), [toimintamallit](toimintamallit/index.md), "
        "[malli](toimintamallit/malli.md), [avoin data](data/hankekirjasto.json) ja [etusivu](index.md).\n\n"
        '<p><a href="../hankkeet/malli-hanke/">Malli-hanke</a></p>\n\n![Lomake, jossa hankkeen nimi](kuvat/lomake.png)\n', encoding="utf-8")
    image = png(7, 5)
    (site_copy / "content" / "sivut" / "kuvat").mkdir()
    (site_copy / "content" / "sivut" / "kuvat" / "lomake.png").write_bytes(image)
    built = mkdocs_build(site_copy, tmp_path / "mkdocs-site")
    assert built.returncode == 0, built.stderr[-3000:]
    project = tmp_path / "project"
    generate(project, site_copy / "content", site_copy / "mkdocs.yml")
    assert (project / "docs" / "ohje" / "index.md").is_file()
    for config, site, base in (("mkdocs.yml", "site", "/"), (served_under(project, "https://esimerkki.fi" + SUB_PATH), "site-sub", SUB_PATH)):
        done = zensical_build(project, config)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        assert broken_links(project / site, base) == []
        assert broken_links(tmp_path / "mkdocs-site", base) == []
        zensical_page = (project / site / "ohje" / "index.html").read_text(encoding="utf-8")
        assert zensical_page.count('href="../haku/#hk-haku-q"') == 1 and 'href="../hankkeet/malli-hanke/"' in zensical_page
        assert '<img alt="Lomake, jossa hankkeen nimi" src="../kuvat/lomake.png"' in zensical_page
        assert (project / site / "kuvat" / "lomake.png").read_bytes() == image  # byte for byte
    assert (tmp_path / "mkdocs-site" / "kuvat" / "lomake.png").read_bytes() == image
    assert '<img alt="Lomake, jossa hankkeen nimi" src="../kuvat/lomake.png"' in (tmp_path / "mkdocs-site" / "ohje" / "index.html").read_text(encoding="utf-8")
    assert pages(tmp_path / "mkdocs-site") == pages(project / "site")
    assert article_text(tmp_path / "mkdocs-site" / "ohje" / "index.html") == article_text(project / "site" / "ohje" / "index.html")
