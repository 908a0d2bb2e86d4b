"""Full-text search: run Pagefind over a built site and write its chunked index to ``pagefind/``.

Pagefind splits the index into small compressed chunks, so a reader's browser fetches only the
chunks of the words it searches for (plus the wasm, the filter index and a few result
fragments), not the whole index. It stems Finnish ("työllistymistä" finds "työllistyminen")
and keeps filters (``data-pagefind-filter``) that the search page offers as facets.

What gets indexed (see :func:`page_glob`):

- record pages and single editorial pages; not the home page, facet and other listing pages,
  the 404 page or the search page itself (the search page's filters do what facet pages do);
- only the article content of a page (``ROOT_SELECTOR``), never the navigation, header or footer;
- not the parts in ``EXCLUDED_SELECTORS``: lists of other records (similar records, listing
  tables) would make a page match its neighbours' titles, and the Perustiedot table would make
  excerpts a run of field labels;
- each record page's hidden ``.hk-hakusanat`` words at low weight: base forms, compound parts
  and the Perustiedot values' words (generator/searchwords.py).

A site of more than ``PAGES_PER_INDEX`` indexed pages is indexed in parts, one Pagefind run at a
time, so that Pagefind's memory stays near 1 GB whatever the site's size; the search page
merges the parts (:func:`parts_of`, ``PARTS_FILE``).

A plain module: no MkDocs import. When the MkDocs plugin has every page's content before the
theme is rendered around it (``mkdocs build``), it hands the pages to a :class:`ConcurrentIndex`,
which runs Pagefind over them while MkDocs renders and writes the site; otherwise it calls
:func:`build_index` after the build, or, under ``mkdocs serve``, hands the work to a
:class:`BackgroundIndexer` so that the reload after an edit does not wait for Pagefind (about
3 s of CPU at 1,000 records).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from html import escape
from typing import Callable, Iterable, Sequence

from .model import FOLDERS

OUTPUT_SUBDIR = "pagefind"
# The list of the bundle's further parts ("osa-2/", ...), read by the search page (haku.js).
PARTS_FILE = "hk-osat.json"
# At most this many pages in one Pagefind run (about 1.1 GB of Pagefind's memory); see parts_of.
PAGES_PER_INDEX = 3500
PAGES_SUBDIR = ".hk-search-pages"
LANGUAGE = "fi"
ROOT_SELECTOR = "article.md-content__inner"
# Perustiedot (.hk-facts) is a run of field labels and values: left out, with its heading, so
# that excerpts show record text; its values' words are indexed at low weight instead
# (generator/searchwords.py). The headings of the similar-records lists go with the lists
# (the ids come from the headings' words in the templates; the print stylesheet hides them by
# the same ids): otherwise every record page matches "samankaltaiset" and excerpts end in a run
# of headings.
EXCLUDED_SELECTORS = (".hk-similar", 'h2[id^="samankaltaiset-"]', ".hk-listing", ".hk-facts", "h2#perustiedot")
# Record pages live one folder down in these folders (e.g. toimintamallit/<id>/index.html);
# the folder's own index.html is a listing and is left out.
RECORD_FOLDERS = tuple(FOLDERS)
# Top-level page folders that are not indexed: the search page itself and pages that list or
# quote other pages (they would match almost every query).
NOT_INDEXED = frozenset({"haku", "selaa", "aikajana", "hakijalle", OUTPUT_SUBDIR})

_ROOT_CLASS = ROOT_SELECTOR.rpartition(".")[2].encode()
_INDEXED = re.compile(r"Indexed (\d+) pages?")
_GLOB_SPECIAL = re.compile(r"[{}\[\]*?,!\\]")


class SearchError(RuntimeError):
    """Indexing failed; the message says why in Finnish, for the person building the site."""


class PagefindMissing(SearchError):
    """No Pagefind binary is installed."""


@dataclass(frozen=True)
class IndexResult:
    """What one Pagefind run did."""

    pages: int
    seconds: float  # Pagefind's run, from start to finish
    bundle: Path
    log: str
    waited: float  # how much of it the caller spent waiting in finish()
    parts: int = 1  # Pagefind runs, each a part of the bundle (parts_of)


def find_pagefind() -> Path | None:
    """The Pagefind binary: $PAGEFIND_BINARY_PATH, the one ``pagefind[bin]`` ships, or one on PATH."""
    configured = os.environ.get("PAGEFIND_BINARY_PATH")
    if configured:
        return Path(configured)
    try:
        from pagefind_bin import get_executable  # type: ignore[import-not-found]

        return Path(get_executable())
    except ImportError:
        pass
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(found) if found else None


def page_glob(site_dir: Path, not_indexed: frozenset[str] = NOT_INDEXED) -> str | None:
    """A Pagefind glob for the pages worth finding: records and single editorial pages.

    - record pages: ``<folder>/<id>/index.html`` in the record folders;
    - a top-level folder holding one page (``tietoa/index.html``): an editorial page;
    - other top-level folders with many pages are facet listings (``teemat/<id>/``): left out;
    - folders named in ``not_indexed`` and top-level files (the home page, 404.html) are left out.

    Pagefind's glob has no negation, so the glob lists what is kept. None: nothing to index.
    """
    parts = [part for entry in sorted(p for p in site_dir.iterdir() if p.is_dir())
             if (part := _glob_part(entry.name, (entry / "index.html").is_file(),
                                    next(entry.glob("*/**/index.html"), None) is not None, not_indexed))]
    if not parts:
        return None
    return "{" + ",".join(parts) + "}" if len(parts) > 1 else parts[0]


def indexed_pages(paths: Iterable[str], not_indexed: frozenset[str] = NOT_INDEXED) -> set[str]:
    """Which of a site's pages (paths of HTML files relative to the site) :func:`page_glob`
    selects, worked out from the paths alone, before the pages are written."""
    folders: dict[str, list[str]] = {}
    for path in paths:
        name, slash, rest = path.partition("/")
        if slash:
            folders.setdefault(name, []).append(rest)
    kept: set[str] = set()
    for name, rests in folders.items():
        part = _glob_part(name, "index.html" in rests, any(r.endswith("/index.html") for r in rests), not_indexed)
        if part == f"{name}/index.html":
            kept.add(part)
        elif part is not None:  # <folder>/*/index.html
            kept.update(f"{name}/{r}" for r in rests if r.count("/") == 1 and r.endswith("/index.html"))
    return kept


def _glob_part(name: str, has_own_page: bool, has_deeper_pages: bool, not_indexed: frozenset[str]) -> str | None:
    """The glob for the top-level folder ``name`` of a site: the rule of :func:`page_glob`."""
    if name in not_indexed or name.startswith(".") or _GLOB_SPECIAL.search(name):
        return None
    if name in RECORD_FOLDERS:
        return f"{name}/*/index.html"
    if has_own_page and not has_deeper_pages:
        return f"{name}/index.html"
    return None


def command(binary: Path, site_dir: Path, glob: str, output: Path, language: str = LANGUAGE) -> list[str]:
    """The Pagefind command line for one site, writing its bundle to the folder ``output``."""
    args = [str(binary), "--site", str(site_dir), "--output-path", str(output), "--glob", glob,
            "--root-selector", ROOT_SELECTOR, "--force-language", language]
    for selector in EXCLUDED_SELECTORS:
        args += ["--exclude-selectors", selector]
    return args


def build_index(site_dir: Path, *, binary: Path | None = None, language: str = LANGUAGE,
                pages_per_index: int = PAGES_PER_INDEX) -> IndexResult:
    """Index the built site in ``site_dir``; the bundle goes to ``site_dir/pagefind/``.

    Pagefind writes to a hidden folder first (MkDocs never cleans or copies hidden entries) and
    the finished bundle replaces the old one, so a failed run leaves the previous index working.
    A site of more than ``pages_per_index`` pages is indexed in parts (see :func:`parts_of`).
    Raises PagefindMissing when no binary is found and SearchError when Pagefind fails.
    """
    site_dir = Path(site_dir)
    binary = _installed(binary)
    glob = page_glob(site_dir)
    if glob is None:
        raise SearchError(f"Kansiossa {site_dir} ei ole indeksoitavia sivuja.")
    paths = sorted(str(p.relative_to(site_dir)) for p in site_dir.rglob("*.html")
                   if not any(part.startswith(".") for part in p.relative_to(site_dir).parts))
    kept = sorted(indexed_pages(paths))
    if len(kept) > pages_per_index:
        # Pages without the article (the CMS page) are not indexed by Pagefind, nor counted here,
        # so that the parts are the ones the build makes; read only when there may be parts.
        kept = [path for path in kept if _ROOT_CLASS in (site_dir / path).read_bytes()]
    parts = parts_of(kept, pages_per_index)
    if len(parts) == 1:
        return _Indexing(site_dir, binary, language).run([(site_dir, glob)], install=True)
    pages_dir = site_dir / PAGES_SUBDIR
    shutil.rmtree(pages_dir, ignore_errors=True)
    try:
        folders = []
        for number, part in enumerate(parts):
            folder = pages_dir / str(number)
            for path in part:
                _link(site_dir / path, folder / path)
            folders.append((folder, page_glob(folder) or "**/index.html"))
        return _Indexing(site_dir, binary, language).run(folders, install=True)
    except OSError as error:
        raise SearchError(f"Hakuhakemiston sivujen kokoaminen epäonnistui: {error}") from None
    finally:
        shutil.rmtree(pages_dir, ignore_errors=True)


def parts_of(pages: Iterable[str], pages_per_index: int = PAGES_PER_INDEX) -> list[list[str]]:
    """The pages split into as few parts as hold at most ``pages_per_index`` pages each.

    Pagefind keeps every page it indexes in memory, about 300 KB a record page, and twice while it
    builds the index, so a 10,000-record site would need 3 GB at once. Each part is indexed by its
    own Pagefind run, one after another, into its own bundle; the search page merges them
    (Pagefind's ``mergeIndex``, which loads the wasm once). A page's part follows from a checksum of
    its path alone, so adding a record moves no other page, and each part is a like mix of the
    site's pages (Pagefind scores each part's results with that part's word statistics).
    The first part is the main bundle; with one part the site is indexed as a whole.
    """
    pages = sorted(pages)
    count = max(1, -(-len(pages) // max(1, pages_per_index)))
    parts: list[list[str]] = [[] for _ in range(count)]
    for path in pages:
        parts[zlib.crc32(path.encode("utf-8")) % count].append(path)
    return [part for part in parts if part] or [[]]


def part_folder(number: int) -> str:
    """The folder, inside the main bundle, of the bundle of part ``number`` (0 is the main one)."""
    return f"osa-{number + 1}/"


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _installed(binary: Path | None) -> Path:
    """``binary``, or the installed Pagefind; PagefindMissing when there is none."""
    binary = binary or find_pagefind()
    if binary is None or not binary.exists():
        raise PagefindMissing(
            "Pagefind-ohjelmaa ei löytynyt, joten sivustolle ei tehty hakuhakemistoa. "
            'Asenna se: pip install "pagefind[bin]" (tai aseta PAGEFIND_BINARY_PATH).'
        )
    return binary


class _Indexing:
    """Pagefind runs over one or more folders of pages, one run at a time, each into its own part
    of a bundle that is put into ``site_dir/pagefind/`` once all have succeeded."""

    def __init__(self, site_dir: Path, binary: Path, language: str) -> None:
        self.site_dir = site_dir
        self.binary = binary
        self.language = language
        self.staging = site_dir / f".{OUTPUT_SUBDIR}-next"
        self._process: subprocess.Popen[str] | None = None
        self._cancelled = threading.Event()

    def run(self, folders: Sequence[tuple[Path, str]], *, install: bool) -> IndexResult:
        """Index each (folder, glob) in turn; the first is the main bundle, the others go to its
        ``osa-N/`` folders, listed in ``PARTS_FILE``. SearchError (old bundle kept) on failure.
        ``install``: put the bundle in place now, else by :meth:`install`."""
        started = time.perf_counter()
        shutil.rmtree(self.staging, ignore_errors=True)
        pages, logs = 0, []
        try:
            for number, (folder, glob) in enumerate(folders):
                output = self.staging / part_folder(number) if number else self.staging
                counted, log = self._one(folder, glob, output)
                pages += counted
                logs.append(log)
            names = [part_folder(number) for number in range(1, len(folders))]
            (self.staging / PARTS_FILE).write_text(json.dumps({"osat": names}) + "\n", encoding="utf-8")
        except BaseException:
            shutil.rmtree(self.staging, ignore_errors=True)
            raise
        if install:
            self.install()
        seconds = time.perf_counter() - started
        return IndexResult(pages=pages, seconds=seconds, bundle=self.site_dir / OUTPUT_SUBDIR,
                           log="\n".join(logs), waited=seconds, parts=len(folders))

    def _one(self, folder: Path, glob: str, output: Path) -> tuple[int, str]:
        if self._cancelled.is_set():
            raise SearchError("Hakuhakemiston teko keskeytettiin.")
        try:
            self._process = subprocess.Popen(command(self.binary, folder, glob, output, self.language),
                                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        except OSError as error:
            raise PagefindMissing(f"Pagefind-ohjelmaa {self.binary} ei voitu käynnistää: {error}") from None
        log, _ = self._process.communicate()
        if self._cancelled.is_set():
            raise SearchError("Hakuhakemiston teko keskeytettiin.")
        if self._process.returncode != 0:
            raise SearchError(f"Pagefind epäonnistui (koodi {self._process.returncode}):\n{log.strip()}")
        counted = _INDEXED.search(log)
        return (int(counted.group(1)) if counted else 0), log

    def install(self) -> None:
        """Put the finished bundle in place of the old one."""
        _replace(self.staging, self.site_dir / OUTPUT_SUBDIR)

    def discard(self) -> None:
        """Forget a finished bundle that was not installed."""
        shutil.rmtree(self.staging, ignore_errors=True)

    def cancel(self) -> None:
        """Stop the run going on and any after it; nothing is installed."""
        self._cancelled.set()
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()


class ConcurrentIndex:
    """Indexes a build's pages while MkDocs is still rendering the theme around them.

    MkDocs first turns every page's Markdown into HTML and only then renders each page through
    the theme and writes it, one page at a time on one core. Pagefind reads nothing but the
    article (``ROOT_SELECTOR``), which is the page's content and, when the content has none, an
    ``<h1>`` of the page title (Material's ``partials/content.html``). So :meth:`start` hands the
    pages that will be indexed to a thread, which writes each one's article, at the path the page
    will have, into a hidden folder of the site (MkDocs neither cleans nor copies hidden entries;
    one folder per part, :func:`parts_of`) and runs Pagefind over those copies on the other core,
    while MkDocs goes on. :meth:`finish` waits for it, installs the bundle and removes the copies.
    The bundle is the same as indexing the finished site (tests/test_search.py compares them
    file by file).
    """

    def __init__(self, site_dir: Path, *, binary: Path | None = None, language: str = LANGUAGE,
                 pages_per_index: int = PAGES_PER_INDEX) -> None:
        self.site_dir = Path(site_dir)
        self.pages_dir = self.site_dir / PAGES_SUBDIR
        self.binary = binary
        self.language = language
        self.pages_per_index = pages_per_index
        self._indexing: _Indexing | None = None
        self._result: IndexResult | None = None
        self._thread: threading.Thread | None = None
        self._error: SearchError | None = None
        self._stop = threading.Event()

    def start(self, pages: Iterable[tuple[str, str, str]]) -> None:
        """Start indexing ``pages``: (path of the HTML file in the site, page title, content HTML).

        Raises PagefindMissing at once when there is no Pagefind; other errors (SearchError)
        come from :meth:`finish`.
        """
        self.discard()
        binary = _installed(self.binary)
        pages = list(pages)
        parts = parts_of(indexed_pages(dest for dest, _, _ in pages), self.pages_per_index)
        part_of = {path: number for number, part in enumerate(parts) for path in part}
        self._stop = threading.Event()
        self._indexing = _Indexing(self.site_dir, binary, self.language)
        self._thread = threading.Thread(target=self._write_and_run, name="hk-search-copies", daemon=True,
                                        args=([(part_of[p[0]], p) for p in pages if p[0] in part_of],
                                              len(parts), self._indexing, self._stop))
        self._thread.start()

    def _write_and_run(self, pages: list[tuple[int, tuple[str, str, str]]], parts: int,
                       indexing: _Indexing, stop: threading.Event) -> None:
        folders = [self.pages_dir / str(number) if parts > 1 else self.pages_dir for number in range(parts)]
        try:
            for number, (dest, title, content) in pages:
                if stop.is_set():
                    return
                path = folders[number] / dest
                path.parent.mkdir(parents=True, exist_ok=True)
                heading = "" if "<h1" in content else f"<h1>{escape(title, quote=False)}</h1>"
                path.write_text(f'<!doctype html><html lang="{self.language}"><head><meta charset="utf-8">'
                                f'<title>{escape(title, quote=False)}</title></head><body>'
                                f'<article class="md-content__inner md-typeset">{heading}{content}</article>'
                                "</body></html>", encoding="utf-8")
            globs = []
            for folder in folders:
                glob = page_glob(folder) if folder.is_dir() else None
                if glob is None:
                    raise SearchError(f"Kansiossa {self.site_dir} ei ole indeksoitavia sivuja.")
                globs.append((folder, glob))
            if not stop.is_set():
                self._result = indexing.run(globs, install=False)
        except SearchError as error:
            self._error = error
        except OSError as error:
            self._error = SearchError(f"Hakuhakemiston sivujen kirjoittaminen epäonnistui: {error}")

    def _join(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()

    def finish(self) -> IndexResult:
        """Wait for the run started by :meth:`start`; the bundle goes to ``site_dir/pagefind/``."""
        waiting = time.perf_counter()
        self._join()
        waited = time.perf_counter() - waiting
        indexing, self._indexing = self._indexing, None
        result, self._result = self._result, None
        error, self._error = self._error, None
        try:
            if error is not None:
                raise error
            if indexing is None or result is None:
                raise SearchError("Hakuhakemiston tekoa ei ollut aloitettu.")
            indexing.install()
            return dataclasses.replace(result, waited=waited)
        finally:
            shutil.rmtree(self.pages_dir, ignore_errors=True)

    def discard(self) -> None:
        """Stop a run (the build failed) and remove the copies."""
        self._stop.set()
        indexing, self._indexing = self._indexing, None
        if indexing is not None:
            indexing.cancel()
        self._join()
        self._result = None
        self._error = None
        if indexing is not None:
            indexing.discard()
        shutil.rmtree(self.pages_dir, ignore_errors=True)


def _replace(new: Path, target: Path) -> None:
    """Put the folder ``new`` in place of ``target`` (the old one is gone for only a moment)."""
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


class BackgroundIndexer:
    """Indexes in a worker thread, for ``mkdocs serve``: the browser reloads without waiting.

    Requests that arrive while a run is going are merged into one more run afterwards, so
    there is never more than one Pagefind process and the last build is always indexed.
    ``report`` gets (result, None) or (None, error) after every run.
    """

    def __init__(self, report: Callable[[IndexResult | None, SearchError | None], None]) -> None:
        self._report = report
        self._lock = threading.Lock()
        self._pending: Path | None = None
        self._thread: threading.Thread | None = None

    def request(self, site_dir: Path) -> None:
        """Index ``site_dir`` as soon as the worker is free."""
        with self._lock:
            self._pending = Path(site_dir)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="pagefind", daemon=True)
                self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Block until the worker has nothing left to do (tests, shutdown)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _work(self) -> None:
        while True:
            with self._lock:
                site_dir, self._pending = self._pending, None
                if site_dir is None:
                    self._thread = None
                    return
            try:
                self._report(build_index(site_dir), None)
            except SearchError as error:
                self._report(None, error)


def main(argv: list[str] | None = None) -> int:
    """``python -m generator.search SITE_DIR``: index an already built site."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("käyttö: python -m generator.search SIVUSTOKANSIO", file=sys.stderr)
        return 2
    try:
        result = build_index(Path(args[0]))
    except SearchError as error:
        print(f"virhe: {error}", file=sys.stderr)
        return 1
    parts = f" {result.parts} osassa" if result.parts > 1 else ""
    print(f"Hakuhakemisto: {result.pages} sivua{parts}, {result.seconds:.2f} s → {result.bundle}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
