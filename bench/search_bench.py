"""Search at scale: how long Pagefind takes and how many bytes one query fetches.

Builds a synthetic site (bench/synth.py, N records) with ``mkdocs build`` (the plugin runs
Pagefind), times Pagefind again on its own, then loads ``/haku/?q=…`` in headless Chromium and
adds up every response the query needed, in a fresh browser (cold cache) per query. Pagefind's
data files (wasm, index chunks, filters, fragments) are already gzip-compressed on disk; the
JavaScript (pagefind.js, its worker, assets/haku.js) is not, so it is also given as a web server
would send it gzipped. The search page (assets/haku.js) loads the filter index only when the
reader opens "Rajaa tuloksia"; the first query's row also measures opening it and ticking a value.

Run from the repository root::

    .venv/bin/python bench/search_bench.py --records 10000            # synth + build + measure
    .venv/bin/python bench/search_bench.py --site out/site           # measure an already built site
    .venv/bin/python bench/search_bench.py --site out/site --refresh-search-page --repeat 0
        # an older build: put the current search page (haku/index.html, assets/) in it first

The target (issue "Find and browse"): at most 300 KB per query at 10,000 records.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import search  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
# Words the synthetic text (bench/synth.py) uses in many inflected forms; the two-word query
# fetches two index chunks; the last one is rare.
QUERIES = ("nuorille", "vertaistuen", "työpaja ohjaus", "kokemusasiantuntijoiden")
TARGET_BYTES = 300 * 1024


# --------------------------------------------------------------------------- building


def build(records: int, seed: int, out: Path) -> tuple[Path, float]:
    """Synthetic sources (bench/synth.py) and ``mkdocs build``; the built site and its seconds."""
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import make_site  # type: ignore[import-not-found]

    source = out / f"src-{records}"
    site = out / f"site-{records}"
    if not (source / "mkdocs.yml").is_file():
        make_site(source, records, seed)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=source, check=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return site, time.perf_counter() - started


SEARCH_PAGE_FILES = ("haku/index.html", "assets/haku.js", "assets/hankekirjasto.css")


def refresh_search_page(site: Path, seed: int) -> None:
    """Put the current search page into an already built site, without rebuilding it.

    A 10-record synthetic site (same mkdocs.yml) is built with the current generator and its
    search page and assets replace the old ones. The old files are unlinked first, so a site
    copied with hard links (``cp -al``) keeps its original intact.
    """
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import make_site  # type: ignore[import-not-found]

    with tempfile.TemporaryDirectory() as tmp:
        source, small = Path(tmp) / "src", Path(tmp) / "site"
        make_site(source, 10, seed)
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(small)], cwd=source, check=True,
                       env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PAGEFIND_BINARY_PATH": "/nonexistent"},
                       capture_output=True)
        for rel in SEARCH_PAGE_FILES:
            target = site / rel
            target.unlink(missing_ok=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(small / rel, target)


def time_index(site: Path, repeat: int) -> dict[str, Any]:
    """Pagefind alone on the built site: wall and CPU seconds (median of ``repeat`` runs)."""
    walls, cpus = [], []
    result = None
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = search.build_index(site)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        walls.append(result.seconds)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    assert result is not None
    return {"pages": result.pages, "wall_s": round(statistics.median(walls), 2), "cpu_s": round(statistics.median(cpus), 2)}


def bundle_stats(site: Path) -> dict[str, Any]:
    """Sizes of the Pagefind bundle on disk."""
    bundle = site / search.OUTPUT_SUBDIR

    def files(pattern: str) -> list[int]:
        return [p.stat().st_size for p in bundle.glob(pattern)]

    index, filters, fragments = files("index/*"), files("filter/*"), files("fragment/*")
    return {
        "bundle_bytes": sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file()),
        "index_chunks": len(index), "index_chunk_median_bytes": int(statistics.median(index)) if index else 0,
        "filter_files": len(filters), "filter_bytes": sum(filters),
        "fragments": len(fragments), "fragment_median_bytes": int(statistics.median(fragments)) if fragments else 0,
        "meta_bytes": sum(files("*.pf_meta")), "wasm_bytes": sum(files("wasm.fi.pagefind")),
    }


# --------------------------------------------------------------------------- measuring a query


@dataclass
class Fetch:
    """Everything one page load fetched, by kind."""

    by_kind: dict[str, int] = field(default_factory=dict)
    gzipped: dict[str, int] = field(default_factory=dict)
    count: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, body: bytes) -> None:
        self.by_kind[kind] = self.by_kind.get(kind, 0) + len(body)
        self.count[kind] = self.count.get(kind, 0) + 1
        already = kind in ("wasm", "index", "filter", "fragment", "meta")
        self.gzipped[kind] = self.gzipped.get(kind, 0) + (len(body) if already else len(gzip.compress(body, 6)))

    def search_bytes(self, gzipped: bool = False) -> int:
        """Bytes of /pagefind/ and assets/haku.js: what search adds to the page."""
        source = self.gzipped if gzipped else self.by_kind
        return sum(v for k, v in source.items() if k != "page")

    def data_bytes(self) -> int:
        """The index itself, without Pagefind's JavaScript and CSS: entry, meta, wasm, chunks, fragments."""
        return sum(v for k, v in self.by_kind.items() if k not in ("page", "js/css"))


def kind_of(url: str) -> str:
    path = url.split("?", 1)[0]
    if path.endswith("/assets/haku.js"):
        return "js/css"  # the search page's own UI: part of what search costs
    if "/pagefind/" not in path:
        return "page"
    name = path.rsplit("/", 1)[-1]
    if "/index/" in path:
        return "index"
    if "/filter/" in path:
        return "filter"
    if "/fragment/" in path:
        return "fragment"
    if name.startswith("wasm."):
        return "wasm"
    if name.endswith(".pf_meta"):
        return "meta"
    if name == "pagefind-entry.json":
        return "entry"
    return "js/css"


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 (a free port) from a thread; yields the base URL."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def wait_searched(page: Any, query: str) -> str:
    """Wait until /haku/ has shown the results of ``query``; its live region's text ("12 tulosta")."""
    page.locator(f"#hk-haku[data-searched={json.dumps(query, ensure_ascii=False)}]").wait_for(timeout=120_000)
    page.wait_for_load_state("networkidle")
    return page.locator("#hk-haku-status").inner_text()


def measure_query(browser: Any, base: str, query: str, use_filter: bool) -> dict[str, Any]:
    """Load /haku/?q=query in a fresh context; with use_filter, also open the filter panel and
    tick the first Kohderyhmä value that has results (each step's bytes counted on its own)."""
    from urllib.parse import quote

    context = browser.new_context()
    page = context.new_page()
    first, opening, ticking = Fetch(), Fetch(), Fetch()
    current = [first]

    def on_response(response: Any) -> None:
        if response.url.startswith(base) and response.status == 200:
            current[0].add(kind_of(response.url), response.body())

    page.on("response", on_response)
    page.goto(f"{base}/haku/?q={quote(query)}")
    row: dict[str, Any] = {"query": query, "results": wait_searched(page, query)}
    if use_filter:
        current[0] = opening
        page.get_by_text("Rajaa tuloksia", exact=True).click()
        group = page.locator("#hk-haku-groups fieldset").filter(has=page.locator("legend", has_text="Kohderyhmä"))
        group.locator("label").first.wait_for(timeout=120_000)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        row["panel_open_bytes"] = opening.search_bytes()
        current[0] = ticking
        for label in group.locator("label").all():
            count = re.search(r"\((\d+)\)$", " ".join(label.inner_text().split()))
            if count and int(count.group(1)) > 0:
                label.click()
                break
        # The change handler marks the list busy at once and clears it when the results are shown.
        page.locator("#hk-haku-results:not([aria-busy])").wait_for(state="attached", timeout=120_000)
        page.wait_for_load_state("networkidle")
        row["filter_extra_bytes"] = ticking.search_bytes()
        row["after_filter"] = page.locator("#hk-haku-status").inner_text()
    context.close()
    row.update({
        "data_bytes": first.data_bytes(),
        "search_bytes": first.search_bytes(), "search_bytes_gzip": first.search_bytes(gzipped=True),
        "by_kind": first.by_kind, "requests": first.count,
        "page_bytes": first.by_kind.get("page", 0),
    })
    return row


def measure_api_query(browser: Any, base: str, query: str) -> dict[str, Any]:
    """The same query through pagefind.js alone, filters not loaded: what a search page that
    fetches the filter index only when the reader opens the filters would cost."""
    context = browser.new_context()
    page = context.new_page()
    fetch = Fetch()
    page.on("response", lambda r: r.url.startswith(base) and r.status == 200 and fetch.add(kind_of(r.url), r.body()))
    page.goto(f"{base}/404.html")
    fetch.by_kind.clear(), fetch.gzipped.clear(), fetch.count.clear()
    found = page.evaluate("""async (query) => {
        const pagefind = await import("/pagefind/pagefind.js");
        const search = await pagefind.search(query);
        await Promise.all(search.results.slice(0, 5).map((r) => r.data()));
        return search.results.length;
    }""", query)
    page.wait_for_load_state("networkidle")
    context.close()
    return {"query": query, "results": found, "data_bytes": fetch.data_bytes(), "search_bytes_gzip": fetch.search_bytes(gzipped=True),
            "by_kind": fetch.by_kind}


def measure_queries(site: Path, queries: tuple[str, ...]) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    rows = []
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for i, query in enumerate(queries):
                row = measure_query(browser, base, query, use_filter=(i == 0))
                row["api"] = measure_api_query(browser, base, query)
                rows.append(row)
        finally:
            browser.close()
    return rows


# --------------------------------------------------------------------------- report


def kb(n: int) -> str:
    return f"{n / 1024:.0f} KB"


def report(records: int | None, build_s: float | None, timing: dict[str, Any], stats: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    lines = [f"records: {records or '?'}; mkdocs build (with Pagefind): {build_s:.0f} s" if build_s else f"records: {records or '?'}",
             f"Pagefind alone: {timing['pages']} pages in {timing['wall_s']} s wall, {timing['cpu_s']} s CPU",
             f"bundle on disk: {kb(stats['bundle_bytes'])}; {stats['index_chunks']} index chunks (median {kb(stats['index_chunk_median_bytes'])}), "
             f"{stats['fragments']} fragments (median {stats['fragment_median_bytes']} B), filters {kb(stats['filter_bytes'])} "
             f"in {stats['filter_files']} files, meta {kb(stats['meta_bytes'])}, wasm {kb(stats['wasm_bytes'])}", "",
             "| query | results | index data | search total as served | same, JS gzipped | wasm | meta | index chunks | filters | fragments | JS raw |",
             "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for r in rows:
        k = r["by_kind"]
        lines.append(f"| {r['query']} | {r['results']} | {kb(r['data_bytes'])} | {kb(r['search_bytes'])} | {kb(r['search_bytes_gzip'])} | "
                     f"{kb(k.get('wasm', 0))} | {kb(k.get('meta', 0))} | {kb(k.get('index', 0))} ({r['requests'].get('index', 0)}) | "
                     f"{kb(k.get('filter', 0))} ({r['requests'].get('filter', 0)}) | {kb(k.get('fragment', 0))} ({r['requests'].get('fragment', 0)}) | "
                     f"{kb(k.get('js/css', 0))} |")
    lines += ["", "Same queries through pagefind.js alone (no filter index until a reader opens the filters):", "",
              "| query | index data | with pagefind.js + worker gzipped | index chunks | fragments |", "|---|--:|--:|--:|--:|"]
    for r in rows:
        a = r["api"]
        lines.append(f"| {a['query']} | {kb(a['data_bytes'])} | {kb(a['search_bytes_gzip'])} | {kb(a['by_kind'].get('index', 0))} | "
                     f"{kb(a['by_kind'].get('fragment', 0))} |")
    for r in rows:
        if "filter_extra_bytes" in r:
            lines.append(f"\nafter '{r['query']}': opening the filter panel fetched {kb(r['panel_open_bytes'])}, "
                         f"ticking one Kohderyhmä value {kb(r['filter_extra_bytes'])} more ({r['after_filter']})\n")
    for label, key in (("index data", "data_bytes"), ("search total with JS gzipped", "search_bytes_gzip"),
                       ("search total uncompressed", "search_bytes")):
        worst = max(r[key] for r in rows)
        lines.append(f"worst query, {label}: {kb(worst)} (target {kb(TARGET_BYTES)}): {'OK' if worst <= TARGET_BYTES else 'OVER'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "search")
    parser.add_argument("--site", type=Path, help="an already built site: skip synth and build")
    parser.add_argument("--repeat", type=int, default=3, help="Pagefind runs to time (median); 0: do not time")
    parser.add_argument("--query", action="append", help="query to measure (repeatable)")
    parser.add_argument("--refresh-search-page", action="store_true",
                        help="with --site: first replace its search page and assets with the current ones")
    args = parser.parse_args(argv)

    build_s = None
    if args.site:
        site = args.site
        if args.refresh_search_page:
            refresh_search_page(site, args.seed)
    else:
        args.out.mkdir(parents=True, exist_ok=True)
        site, build_s = build(args.records, args.seed, args.out)
    timing = time_index(site, args.repeat) if args.repeat else {"pages": "-", "wall_s": "-", "cpu_s": "-"}
    stats = bundle_stats(site)
    rows = measure_queries(site, tuple(args.query or QUERIES))
    print(report(None if args.site else args.records, build_s, timing, stats, rows))
    (site.parent / f"search-bench-{site.name}.json").write_text(
        json.dumps({"timing": timing, "bundle": stats, "queries": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
