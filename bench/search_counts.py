"""How many pages the site search finds for some Finnish words, and the excerpts it shows.

Serves a built site on 127.0.0.1, opens its search page in headless Chromium and asks Pagefind's
own JS API (``pagefind/pagefind.js``, what ``assets/haku.js`` uses) for each query, then loads
``/haku/?q=…`` for the first results as the search page shows them. Prints one Markdown table
row per query (the number of results), then the first results with their excerpts,
so that a change to indexing (base forms, compound parts, ignored labels) can be compared before
and after on the same content.

    .venv/bin/mkdocs build --strict -d /tmp/site
    .venv/bin/python bench/search_counts.py /tmp/site            # the default queries
    .venv/bin/python bench/search_counts.py /tmp/site futis nuoret --excerpts 3
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

QUERIES = ("työllistyminen", "työllistymisen", "työllistymistä", "valmennus", "nuorten", "nuoret", "futis")
CHROMIUM = "/usr/bin/chromium"

_SEARCH = """async ([queries, excerpts]) => {
  const pf = await import(new URL("/pagefind/pagefind.js", document.baseURI).href);
  await pf.options({ baseUrl: "/" });
  const out = {};
  for (const q of queries) {
    const found = await pf.search(q);
    const first = await Promise.all(found.results.slice(0, excerpts).map((r) => r.data()));
    out[q] = { count: found.results.length,
               first: first.map((d) => ({ url: d.url, title: d.meta.title, excerpt: d.excerpt })),
               urls: (await Promise.all(found.results.map((r) => r.data()))).map((d) => d.url) };
  }
  return out;
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # noqa: D102
        pass


def counts(site: Path, queries: tuple[str, ...], excerpts: int = 0) -> dict:
    """Query -> {"count", "first": [{url, title, excerpt}]} on the built site in ``site``."""
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            try:
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{server.server_port}/haku/")
                found = page.evaluate(_SEARCH, [list(queries), excerpts])
                for query in queries:  # the excerpts as the search page shows them
                    page.goto(f"http://127.0.0.1:{server.server_port}/haku/?q={query}")
                    page.wait_for_function("document.getElementById('hk-haku-status').textContent.match(/tulo/i)")
                    shown = page.eval_on_selector_all(
                        ".hk-haku__result", "(items, n) => items.slice(0, n).map((li) => li.innerText)", excerpts)
                    found[query]["shown"] = shown
                    found[query]["status"] = page.inner_text("#hk-haku-status")
                return found
            finally:
                browser.close()
    finally:
        server.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site (with pagefind/)")
    parser.add_argument("queries", nargs="*", default=list(QUERIES))
    parser.add_argument("--excerpts", type=int, default=0, help="show this many results' excerpts")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    found = counts(args.site, tuple(args.queries), args.excerpts)
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=1))
        return 0
    print("| query | results |")
    print("|---|---|")
    for query in args.queries:
        print(f"| {query} | {found[query]['count']} |")
    for query in args.queries:
        print(f"\n### {query}: {found[query]['status']}")
        for shown in found[query]["shown"]:
            print("- " + shown.replace("\n", " | "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
