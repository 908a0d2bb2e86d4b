"""Shared helpers for the reader-level tests: build the site once, serve it, drive Chromium.

One `mkdocs build --strict` of the real site and one local HTTP server serve the whole test
session (the link checker and every browser test); Chromium is started once per test module.
Test modules import the fixtures they use by name
(``from .browser_support import browser, built_site, server  # noqa: F401``).
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import sys
import threading
import warnings
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "site" / "content"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]

# Top-level folders of the built site that are not pages a reader visits.
NOT_PAGES = {"assets", "search", "stylesheets", "javascripts", "pagefind", "admin"}  # admin: the form editor app, tests/test_browser_cms.py
# Folders whose pages list records by one facet value (the lead's facet pages).
FACET_FOLDERS = ("teemat", "kohderyhmat", "alueet", "kunnat", "rahoittajat", "kehitysvaiheet", "tilat", "vuodet")

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


@dataclass(frozen=True)
class BuiltSite:
    """A built site on disk and where its content came from ("real" or "fixture")."""

    root: Path
    source: str


# --------------------------------------------------------------------------- building


def build_env(**extra: str) -> dict[str, str]:
    """A clean environment for MkDocs (PYTHONPATH passes through, to test a patched copy)."""
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return {**env, **extra}


def mkdocs_build(config: Path, site_dir: Path, *, strict: bool = True, quiet: bool = True,
                 **env: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build` of ``config`` (a mkdocs.yml, or the folder that holds one) into ``site_dir``."""
    config = config / "mkdocs.yml" if config.is_dir() else config
    command = [sys.executable, "-m", "mkdocs", "build", "--strict" if strict else "--no-strict", "-f", str(config), "-d", str(site_dir)]
    return subprocess.run(command + (["-q"] if quiet else []), cwd=config.parent, capture_output=True, text=True, env=build_env(**env))


def _fallback_config(workdir: Path) -> Path:
    """The real mkdocs.yml (theme, overrides, CSS) over a copy of the small fixture content."""
    content = workdir / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    config = workdir / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\n"
        f"docs_dir: {content}\n"
        f"theme:\n  custom_dir: {ROOT / 'overrides'}\n"
        "nav:\n  - Etusivu: index.md\n  - Toimintamallit: toimintamallit/index.md\n"
        "  - Hankkeet: hankkeet/index.md\n  - Kokonaisuudet: kokonaisuudet/index.md\n"
        "  - Organisaatiot: organisaatiot/index.md\n",
        encoding="utf-8",
    )
    return config


def build_site(workdir: Path) -> BuiltSite:
    """Build the real site; while the real content does not check clean, build the fixture content.

    Set HK_REQUIRE_REAL_SITE=1 to make a failing real build an error instead.
    """
    site = workdir / "site"
    result = mkdocs_build(ROOT / "mkdocs.yml", site)
    if result.returncode == 0:
        return BuiltSite(site, "real")
    if os.environ.get("HK_REQUIRE_REAL_SITE") == "1":
        pytest.fail(f"the real site does not build:\n{result.stderr}")
    warnings.warn(f"real site does not build, testing the fixture content instead:\n{result.stderr[-2000:]}")
    shutil.rmtree(site, ignore_errors=True)
    result = mkdocs_build(_fallback_config(workdir / "fallback"), site)
    assert result.returncode == 0, result.stderr
    return BuiltSite(site, "fixture")


# A test module that imports these fixtures gets its own copy of them, so the site and the
# server are kept here, shared by every copy: one build and one server per test session.
_shared: dict[str, Any] = {}


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The site built once per test session."""
    if "site" not in _shared:
        _shared["site"] = build_site(tmp_path_factory.mktemp("reader-site"))
    return _shared["site"]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that drops a request it no longer needs (a page left mid-load) is no error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def start_server(root: Path) -> str:
    """Serve ``root`` on a free localhost port from this process; stopped when the process exits."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)

    atexit.register(stop)
    return f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture(scope="session")
def server(built_site: BuiltSite) -> str:
    """Base URL ("http://127.0.0.1:PORT") of the built site, served from this process until it exits."""
    key = f"server:{built_site.root}"
    if key not in _shared:
        _shared[key] = start_server(built_site.root)
    return _shared[key]


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium, driven by Playwright.

    Module scope: Playwright's sync API allows one running instance per thread, so each test
    module's instance is closed before the next module (which may start its own) begins.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Tab:
    """One browser page plus every request it tried to send off this machine."""

    page: Any
    external: list[str] = field(default_factory=list)


def open_tab(browser: Any, base_url: str, **context_options: Any) -> Tab:
    """A fresh context and page that may only talk to our own server; other requests are refused."""
    context = browser.new_context(base_url=base_url, locale="fi-FI", **context_options)
    tab = Tab(context.new_page())

    def guard(route: Any) -> None:
        if route.request.url.startswith(base_url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            tab.external.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return tab


def close_tab(tab: Tab) -> None:
    tab.page.context.close()


# --------------------------------------------------------------------------- reading built HTML


class PageParser(HTMLParser):
    """Everything the tests need from one HTML file: links, ids, h1, Perustiedot and sections."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()
        self.h1 = ""
        self.facts: dict[str, list[tuple[str, str]]] = {}  # Perustiedot label -> [(href, text)]
        self.sections: dict[str, list[tuple[str, str]]] = {}  # h2 text -> [(href, text)] in article
        self.article_links: list[tuple[str, str]] = []
        self._stack: list[str] = []
        self._text: list[str] | None = None
        self._capture: str | None = None  # "h1", "h2", "dt", "a"
        self._dt = ""
        self._in_dd = False
        self._h2 = ""
        self._in_article = 0
        self._link: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        for key in ("href", "src"):
            if key in values:
                self.refs.append((tag, key, values[key]))
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        if tag == "article":
            self._in_article += 1
        if tag in ("h1", "h2", "dt") and self._in_article:
            self._capture, self._text = tag, []
        if tag == "dd":
            self._in_dd = True
        if tag == "a" and self._in_article and "href" in values and self._capture is None:
            self._link, self._capture, self._text = values["href"], "a", []

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._in_article -= 1
        if tag == "dd":
            self._in_dd = False
        if self._capture == tag and self._text is not None:
            text = " ".join("".join(self._text).split())
            if tag == "h1" and not self.h1:
                self.h1 = text
            elif tag == "h2":
                self._h2 = text
                self._dt = ""
            elif tag == "dt":
                self._dt = text
            elif tag == "a" and self._link is not None:
                self.article_links.append((self._link, text))
                if self._in_dd and self._dt:
                    self.facts.setdefault(self._dt, []).append((self._link, text))
                elif self._h2:
                    self.sections.setdefault(self._h2, []).append((self._link, text))
                self._link = None
            self._capture, self._text = None, None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


@functools.lru_cache(maxsize=None)
def parse_file(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def url_of(site: Path, file: Path) -> str:
    """The URL path ("/hankkeet/x/") a reader uses for a built HTML file."""
    rel = file.relative_to(site).as_posix()
    if rel == "index.html":
        return "/"
    if rel.endswith("/index.html"):
        return "/" + rel[: -len("index.html")]
    return "/" + rel


def file_of(site: Path, url_path: str) -> Path | None:
    """The built file a site-absolute URL path points at, or None."""
    path = unquote(urlsplit(url_path).path).lstrip("/")
    target = site / path
    if path == "" or path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def resolve(page_url: str, href: str) -> str:
    """A relative href on the page at page_url, as a site-absolute URL path (without fragment)."""
    joined = urljoin("http://site.invalid" + page_url, href)
    parts = urlsplit(joined)
    return parts.path if parts.netloc == "site.invalid" else joined


def pages_of_every_kind(site: Path) -> dict[str, str]:
    """One URL per kind of page: home, each folder's index and its richest page, each single page.

    "Richest" is the largest file, so wide tables and long lists get tested. New kinds of pages
    (facet folders, timeline, data pages) are picked up without editing the tests.
    """
    kinds: dict[str, str] = {"etusivu": "/"}
    for folder in sorted(p for p in site.iterdir() if p.is_dir() and p.name not in NOT_PAGES):
        if (folder / "index.html").is_file():
            kinds[folder.name] = f"/{folder.name}/"
        children = [f for f in folder.rglob("index.html") if f.parent != folder]
        if children:
            richest = max(children, key=lambda f: (f.stat().st_size, f.as_posix()))
            kinds[f"{folder.name}/…"] = url_of(site, richest)
    if (site / "404.html").is_file():
        kinds["404"] = "/404.html"
    return kinds


def h1_of(site: Path, url_path: str) -> str:
    target = file_of(site, url_path)
    assert target is not None, f"no page at {url_path}"
    return parse_file(target).h1


# --------------------------------------------------------------------------- the reader journey


@dataclass(frozen=True)
class Step:
    """One click of the journey: which link (text) in which part of the page, and where it lands."""

    region: str  # "content", "fact:<label>" or "section:<h2>"
    text: str
    url: str


def plan_journey(site: Path) -> list[Step]:
    """Home → a facet page → a practice → a similar practice → its project → its organisation.

    Chosen from the built HTML so the browser test follows links that are really there. The
    facet page is reached from the home page if it links to one (directly or through a facet
    index), else through a practice's Perustiedot (home → practice list → practice → facet). Only
    when no facet page exists at all does the journey skip it. Within each route the first
    practice (by URL) that completes the whole chain wins.
    """
    for prefix in _routes_to_listings(site):
        rest = _from_listing(site, prefix[-1].url)
        if rest:
            return [*prefix, *rest]
    raise AssertionError("no practice on the site completes home → list → practice → similar → project → organisation")


def is_facet_page(url: str) -> bool:
    return any(url.startswith(f"/{f}/") and url != f"/{f}/" for f in FACET_FOLDERS)


def _links(site: Path, url: str) -> list[tuple[str, str]]:
    """(resolved URL, text) of every link in the article of the page at url, in page order."""
    return [(resolve(url, href), text) for href, text in parse_file(file_of(site, url)).article_links]  # type: ignore[arg-type]


def _routes_to_listings(site: Path) -> Iterator[list[Step]]:
    """Ways from the home page to a page that lists practices, facet routes first."""
    home = _links(site, "/")
    for url, text in home:
        if is_facet_page(url):
            yield [Step("content", text, url)]
    for url, text in home:
        if any(url == f"/{f}/" for f in FACET_FOLDERS):
            for url2, text2 in _links(site, url):
                if is_facet_page(url2):
                    yield [Step("content", text, url), Step("content", text2, url2)]
    to_list = [Step("content", text, url) for url, text in home if url == "/toimintamallit/"][:1]
    if not to_list:
        return
    for url, text in _links(site, "/toimintamallit/"):
        if _is_practice(url):
            practice = parse_file(file_of(site, url))  # type: ignore[arg-type]
            facets = [(FACET_FOLDERS.index(facet_url.split("/")[1]), label, facet_text, facet_url)
                      for label, links in practice.facts.items() for href, facet_text in links
                      if is_facet_page(facet_url := resolve(url, href))]
            for _, label, facet_text, facet_url in sorted(facets, key=lambda f: f[0]):  # themes first
                yield [*to_list, Step("content", text, url), Step(f"fact:{label}", facet_text, facet_url)]
    yield to_list


def _is_practice(url: str) -> bool:
    return url.startswith("/toimintamallit/") and url != "/toimintamallit/"


def _from_listing(site: Path, listing_url: str) -> list[Step] | None:
    for url, text in sorted(_links(site, listing_url)):
        if _is_practice(url):
            rest = _from_practice(site, url)
            if rest:
                return [Step("content", text, url), *rest]
    return None


def _from_practice(site: Path, practice_url: str) -> list[Step] | None:
    practice = parse_file(file_of(site, practice_url))  # type: ignore[arg-type]
    for href, text in practice.sections.get("Samankaltaiset toimintamallit", []):
        similar_url = resolve(practice_url, href)
        similar = parse_file(file_of(site, similar_url))  # type: ignore[arg-type]
        for phref, ptext in similar.facts.get("Hanke", []):
            project_url = resolve(similar_url, phref)
            project = parse_file(file_of(site, project_url))  # type: ignore[arg-type]
            for ohref, otext in project.facts.get("Toteuttaja", []):
                return [
                    Step("section:Samankaltaiset toimintamallit", text, similar_url),
                    Step("fact:Hanke", ptext, project_url),
                    Step("fact:Toteuttaja", otext, resolve(project_url, ohref)),
                ]
    return None
