"""Links between generated pages: the URL MkDocs serves a page at, relative to the linking page."""

from __future__ import annotations

import posixpath
from urllib.parse import urljoin

import pytest

from generator.urls import relative_url, served_url


@pytest.mark.parametrize(
    ("path", "directory_urls", "url"),
    [
        ("index.md", True, ""),
        ("index.md", False, "index.html"),
        ("selaa.md", True, "selaa/"),
        ("selaa.md", False, "selaa.html"),
        ("toimintamallit/index.md", True, "toimintamallit/"),
        ("toimintamallit/index.md", False, "toimintamallit/index.html"),
        ("toimintamallit/ips.md", True, "toimintamallit/ips/"),
        ("toimintamallit/ips.md", False, "toimintamallit/ips.html"),
        ("assets/haku.js", True, "assets/haku.js"),
        ("assets/haku.js", False, "assets/haku.js"),
    ],
)
def test_served_url(path: str, directory_urls: bool, url: str) -> None:
    assert served_url(path, directory_urls) == url


@pytest.mark.parametrize(
    ("page", "target", "with_dirs", "without_dirs"),
    [
        # The brief's three cases: from a record page, a folder index and the home page.
        ("toimintamallit/x.md", "hankkeet/y.md", "../../hankkeet/y/", "../hankkeet/y.html"),
        ("toimintamallit/index.md", "hankkeet/y.md", "../hankkeet/y/", "../hankkeet/y.html"),
        ("index.md", "hankkeet/y.md", "hankkeet/y/", "hankkeet/y.html"),
        # Same folder: as short as MkDocs writes it.
        ("toimintamallit/x.md", "toimintamallit/y.md", "../y/", "y.html"),
        ("toimintamallit/x.md", "toimintamallit/index.md", "../", "index.html"),
        ("toimintamallit/x.md", "toimintamallit/x.md", "./", "x.html"),
        # To and from the root and top-level pages.
        ("toimintamallit/x.md", "index.md", "../../", "../index.html"),
        ("index.md", "index.md", "./", "index.html"),
        ("index.md", "toimintamallit/index.md", "toimintamallit/", "toimintamallit/index.html"),
        ("selaa.md", "hankkeet/y.md", "../hankkeet/y/", "hankkeet/y.html"),
        ("haku.md", "assets/haku.js", "../assets/haku.js", "assets/haku.js"),
        ("teemat/tyollisyys.md", "teemat/index.md", "../", "index.html"),
        # A fragment is kept.
        ("index.md", "hankkeet/y.md#tulokset", "hankkeet/y/#tulokset", "hankkeet/y.html#tulokset"),
    ],
)
def test_relative_url(page: str, target: str, with_dirs: str, without_dirs: str) -> None:
    assert relative_url(page, target) == with_dirs
    assert relative_url(page, target, directory_urls=True) == with_dirs
    assert relative_url(page, target, directory_urls=False) == without_dirs


PAGES = ["index.md", "selaa.md", "hankkeet/index.md", "hankkeet/a.md", "teemat/x.md", "a/b/c.md", "a/b/index.md"]


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("target", PAGES)
def test_a_browser_on_the_page_reaches_the_target(page: str, target: str, directory_urls: bool) -> None:
    """Resolved the way a browser does against the page's URL, the link lands on the target's URL."""
    base = "http://site.invalid/"
    page_url = urljoin(base, served_url(page, directory_urls))
    assert urljoin(page_url, relative_url(page, target, directory_urls)) == urljoin(base, served_url(target, directory_urls))


def test_odd_characters_are_percent_encoded() -> None:
    assert relative_url("index.md", "kunnat/mäntyharju.md") == "kunnat/m%C3%A4ntyharju/"
    assert relative_url("index.md", 'a b"<x>.md') == "a%20b%22%3Cx%3E/"
    assert posixpath.isabs(relative_url("index.md", "/etc/passwd.md")) is False
