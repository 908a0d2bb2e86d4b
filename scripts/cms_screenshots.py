"""Take the screenshots of the form editor that the guide ("Näin lisäät kuvauksen") shows.

Re-run after upgrading Sveltia CMS (package.json) or changing the form, then look at the images
and commit them:

    make build                                  # the site with /admin/ into site/
    .venv/bin/python scripts/cms_screenshots.py # → content/sivut/kuvat/lomake-*.png

The built site is served on a local port and opened in headless Chromium (Playwright; Debian's
/usr/bin/chromium when it is there), as tests/test_browser_cms.py does: the folder the CMS asks
for is a folder of the browser's origin-private file system holding a copy of content/. Nothing is
written to the repository but the images. Each PNG is recompressed (zlib level 9, same pixels) and
must stay under the size limit of generator/images.py.
"""

from __future__ import annotations

import argparse
import functools
import struct
import sys
import threading
import zlib
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import images  # noqa: E402
# The folder the CMS asks for, answered and filled as the browser test does it.
from tests.test_browser_cms import FILL, PICKER, _repository as repository  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
PROJECT = "touko"  # the project shown in the form: a real record with most fields filled


def recompress(png: bytes) -> bytes:
    """The same PNG with its image data deflated at level 9 in one IDAT chunk (pixels unchanged)."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    chunks, position = [], 8
    while position < len(png):
        (length,) = struct.unpack(">I", png[position:position + 4])
        kind = png[position + 4:position + 8]
        chunks.append((kind, png[position + 8:position + 8 + length]))
        position += 12 + length
    data = zlib.compress(zlib.decompress(b"".join(d for k, d in chunks if k == b"IDAT")), 9)
    out = [b"\x89PNG\r\n\x1a\n"]
    for kind, body in chunks:
        if kind == b"IDAT":
            if data is None:
                continue
            body, data = data, None
        out.append(struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    return b"".join(out)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def open_editor(browser, base: str, viewport: dict[str, int], scale: float):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=base, locale="fi-FI", viewport=viewport, device_scale_factor=scale,
                                  is_mobile=viewport["width"] < 600, has_touch=viewport["width"] < 600)
    context.add_init_script(PICKER)
    page = context.new_page()
    page.goto("/admin/", wait_until="load")
    page.evaluate(FILL, repository())
    page.reload(wait_until="load")
    page.get_by_role("button", name="Työskentele paikallisen repositorion kanssa").click(timeout=30000)
    page.get_by_text("Hankkeet").first.wait_for(timeout=30000)
    return context, page


def shoot(page, path: Path) -> int:  # type: ignore[no-untyped-def]
    page.mouse.move(1, page.viewport_size["height"] - 1)  # no row shown hovered
    page.wait_for_timeout(1500)  # fonts, icons and the list's thumbnails settle
    data = recompress(page.screenshot(type="png"))
    if len(data) > images.MAX_BYTES:
        raise SystemExit(f"{path.name}: {len(data) // 1000} kt, over the limit of {images.MAX_BYTES // 1000} kt")
    path.write_bytes(data)
    return len(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (make build)")
    parser.add_argument("--out", type=Path, default=ROOT / "content" / "sivut" / images.FOLDER)
    args = parser.parse_args(argv)
    if not (args.site / "admin" / "sveltia-cms.js").is_file():
        print(f"{args.site}/admin/ has no Sveltia CMS: run `make install` and `make build` first", file=sys.stderr)
        return 2
    from playwright.sync_api import expect, sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    server, base = serve(args.site)
    shots: list[tuple[str, int]] = []
    try:
        with sync_playwright() as p:
            launch = {"executable_path": str(CHROMIUM)} if CHROMIUM.exists() else {}
            browser = p.chromium.launch(args=["--no-sandbox", "--disable-gpu"], **launch)
            try:
                context, page = open_editor(browser, base, {"width": 1280, "height": 800}, 1)
                page.goto(f"{base}/admin/#/collections/hankkeet")
                expect(page.get_by_text("TOUKO", exact=False).first).to_be_visible(timeout=30000)
                name = "lomake-hankkeet.png"
                shots.append((name, shoot(page, args.out / name)))
                page.goto(f"{base}/admin/#/collections/hankkeet/entries/{PROJECT}")
                page.locator("textarea").first.wait_for(timeout=30000)
                name = "lomake-hanke.png"
                shots.append((name, shoot(page, args.out / name)))
                context.close()

                context, page = open_editor(browser, base, {"width": 375, "height": 740}, 2)
                page.goto(f"{base}/admin/#/collections/hankkeet/entries/{PROJECT}")
                page.locator("textarea").first.wait_for(timeout=30000)
                name = "lomake-puhelin.png"
                shots.append((name, shoot(page, args.out / name)))
                context.close()
            finally:
                browser.close()
    finally:
        server.shutdown()
    for name, size in shots:
        print(f"{args.out / name}: {size // 1000} kt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
