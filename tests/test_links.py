"""No broken links in the whole built site: every href and src of every HTML page is checked.

Internal links must point at a file that exists (directory URLs at their index.html) and, when
they carry a #fragment, at an element with that id. External links are not fetched (there is
no network) but must be well-formed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .browser_support import BuiltSite, built_site, file_of, parse_file, resolve, url_of  # noqa: F401

FIXTURE_SITE = Path(__file__).resolve().parent / "fixtures" / "site"
HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$|^localhost$", re.I)
MAILBOX = re.compile(r"^[^@\s<>()\[\],;:\"]+@([a-z0-9-]+\.)+[a-z]{2,63}$", re.I)
BAD_URL_CHARS = re.compile(r"[\s<>\"{}|\\^`]")


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def external_problem(url: str) -> str | None:
    """Why an external (or non-HTTP) URL is malformed, or None when it is fine."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if BAD_URL_CHARS.search(url):
        return "contains spaces, angle brackets or other characters a URL cannot have"
    if scheme in ("http", "https"):
        host = parts.hostname or ""
        if not HOST.match(host):
            return f"host {host!r} is not a valid domain name"
        return None
    if scheme == "mailto":
        address = unquote(parts.path)
        return None if MAILBOX.match(address) else f"{address!r} is not an e-mail address"
    if scheme == "tel":
        return None if re.fullmatch(r"\+?[0-9-]{5,20}", parts.path) else "not a phone number"
    if scheme == "data":
        return None
    return f"unexpected URL scheme {scheme!r}"


def link_problems(site: Path) -> list[str]:
    """Every broken or malformed link in the site, as "page: tag attr=value: why"."""
    problems: list[str] = []
    for page in html_files(site):
        page_url = url_of(site, page)
        for tag, attr, value in parse_file(page).refs:
            where = f"{page_url}: <{tag} {attr}={value!r}>"
            if value == "" and not (tag == "a" and attr == "href"):
                problems.append(f"{where}: empty")
                continue
            if BAD_URL_CHARS.search(value):
                problems.append(f"{where}: contains spaces, angle brackets or other characters a URL cannot have")
                continue
            parts = urlsplit(value)
            if parts.scheme or value.startswith("//"):
                why = external_problem(value if parts.scheme else "https:" + value)
                if why:
                    problems.append(f"{where}: {why}")
                continue
            if value.startswith("/") and page.name != "404.html":
                # MkDocs writes root-relative links only into 404.html, which is served at any URL.
                problems.append(f"{where}: root-relative link breaks when the site is served from a subfolder")
                continue
            target_url = resolve(page_url, value) if parts.path else page_url
            target = file_of(site, target_url)
            if target is None:
                problems.append(f"{where}: no file for {target_url}")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in parse_file(target).ids:
                problems.append(f"{where}: {target_url} has no element with id {fragment!r}")
    return problems


def test_no_broken_links_without_directory_urls(tmp_path: Path) -> None:
    """With ``use_directory_urls: false`` pages are ``x.html``; the links the generator writes
    itself (raw HTML, which MkDocs does not rewrite) must follow."""
    source = tmp_path / "src"
    shutil.copytree(FIXTURE_SITE, source)
    config = source / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8")
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)], cwd=source,
                            capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert (site / "toimintamallit" / "malli.html").is_file()
    problems = link_problems(site)
    assert not problems, f"{len(problems)} broken links:\n" + "\n".join(problems)


def test_site_has_pages(built_site: BuiltSite) -> None:  # noqa: F811
    pages = html_files(built_site.root)
    assert len(pages) >= 10, [p.name for p in pages]


def test_no_broken_or_malformed_links(built_site: BuiltSite) -> None:  # noqa: F811
    problems = link_problems(built_site.root)
    assert not problems, f"{len(problems)} broken links ({built_site.source} site):\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://innokyla.fi/fi/toimintamalli/x", None),
        ("mailto:etunimi.sukunimi@example.fi", None),
        ("&lt;https://innokyla.fi/x&gt;", "unexpected URL scheme ''"),
        ("<https://innokyla.fi/x>", "contains"),
        ("https://exa mple.fi/", "contains"),
        ("https://localhost/", None),
        ("https://esimerkki/", "not a valid domain"),
        ("mailto:ei-osoite", "not an e-mail address"),
        ("javascript:alert(1)", "unexpected URL scheme"),
    ],
)
def test_external_url_check(url: str, why: str | None) -> None:
    found = external_problem(url)
    assert (found is None) if why is None else (found is not None and why in found)


def test_checker_finds_broken_links(tmp_path: Path) -> None:
    """The checker itself: a missing page, a missing anchor and a malformed external link are reported."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h1 id="top">A</h1><a href="../b/">B</a>', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#top">ok</a><a href="a/#nope">x</a><a href="missing/">x</a>'
        '<img src="kuva.png"><a href="&lt;https://innokyla.fi/x&gt;">x</a><a href="#">top</a>',
        encoding="utf-8",
    )
    problems = link_problems(tmp_path)
    assert len(problems) == 5, problems
    assert any("/a/: <a href='../b/'>: no file for /b/" in p for p in problems)
    assert any("/: <a href='missing/'>: no file for /missing/" in p for p in problems)
    assert any("has no element with id 'nope'" in p for p in problems)
    assert any("kuva.png" in p for p in problems)
    assert any("innokyla" in p and "angle brackets" in p for p in problems)
