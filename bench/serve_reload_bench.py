"""Edit → visible: how long after saving a record its page in `mkdocs serve` shows the change.

Starts ``mkdocs serve --livereload`` (``--dirty`` too in the "dirty" mode, as ``make serve``
does) on a synthetic site of N records (bench/synth.py) on a free localhost port, waits until
it serves, then for each of a few practices rewrites the ``title:`` line of its YAML file and
polls the served HTML of that practice's page every 50 ms until the new title is in it. The
time from the write to the first response that has the new title is "save → visible"; a
browser with the livereload script open sees it about one poll later. The server's log is
followed at the same time, so each edit is split into: save → rebuild starts (file watcher +
MkDocs' build delay), the rebuild itself (MkDocs' own "Documentation built in" figure), and
built → served.

Run from the repository root::

    .venv/bin/python bench/serve_reload_bench.py                    # 1,000 records, both modes, 3 edits
    .venv/bin/python bench/serve_reload_bench.py --modes dirty --edits 5
    .venv/bin/python bench/serve_reload_bench.py --profile          # cProfile one dirty rebuild

``--profile`` runs what one rebuild of ``mkdocs serve --dirty`` runs, in process: a first build,
one title edit, then a second (dirty) build under cProfile. It prints where the time goes: the
plugin events, how many pages MkDocs re-rendered, and the top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402

BIN = Path(sys.executable).parent
TITLE_RE = re.compile(r"^title: (.*)$", re.M)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


class Log:
    """Follows the server's log file in a thread, stamping each line with when it appeared.

    A thread of its own, because the polling loop's page requests are slow while the server
    is busy building (one GIL), which would blur the breakdown.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._follow, daemon=True)
        self._thread.start()

    def _follow(self) -> None:
        offset, partial = 0, ""
        while not self._stop.is_set():
            with self.path.open("r", encoding="utf-8", errors="replace") as handle:
                handle.seek(offset)
                text = handle.read()
                offset = handle.tell()
            if text:
                now = time.perf_counter()
                parts = (partial + text).split("\n")
                partial = parts.pop()
                self.lines.extend((now, line) for line in parts)
            time.sleep(0.02)

    def mark(self) -> int:
        return len(self.lines)

    def since(self, mark: int) -> list[tuple[float, str]]:
        return self.lines[mark:]

    def first(self, mark: int, pattern: str) -> tuple[float, re.Match[str]] | None:
        for stamp, line in self.since(mark):
            if found := re.search(pattern, line):
                return stamp, found
        return None

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


class Server:
    """`mkdocs serve` in its own process group, so it and its children stop together."""

    def __init__(self, site: Path, port: int, dirty: bool, log_path: Path) -> None:
        cmd = [str(BIN / "mkdocs"), "serve", "--livereload", "-f", str(site / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"]
        if dirty:
            cmd.append("--dirty")
        self.log_file = log_path.open("w", encoding="utf-8")
        pythonpath = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1", "PYTHONPATH": pythonpath}
        self.process = subprocess.Popen(cmd, cwd=site, stdout=self.log_file, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        self.url = f"http://127.0.0.1:{port}/"

    def wait_ready(self, timeout: float) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"mkdocs serve exited with {self.process.returncode}")
            if fetch(self.url) is not None:
                return time.perf_counter() - start
            time.sleep(0.2)
        raise TimeoutError(f"mkdocs serve did not answer in {timeout:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log_file.close()


def edit_title(path: Path, marker: str) -> tuple[str, str]:
    """Append ``marker`` to the record's title; return (original text, new title)."""
    original = path.read_text(encoding="utf-8")
    found = TITLE_RE.search(original)
    if not found:
        raise ValueError(f"no title line in {path}")
    title = f"{found.group(1)} {marker}"
    path.write_text(original[: found.start()] + f"title: {title}" + original[found.end():], encoding="utf-8")
    return original, title


def one_edit(server: Server, log: Log, record: Path, marker: str, timeout: float) -> dict[str, Any]:
    """Edit one title, wait until the page shows it; the timings of the steps in between."""
    page = f"{server.url}toimintamallit/{record.stem}/"
    mark = log.mark()
    original, title = edit_title(record, marker)
    saved = time.perf_counter()
    out: dict[str, Any] = {"record": record.stem, "original": original, "visible": None}
    while time.perf_counter() - saved < timeout:
        html = fetch(page)
        if html is not None and title in html:
            out["visible"] = time.perf_counter() - saved
            break
        time.sleep(0.05)
    time.sleep(0.1)  # let the log thread catch up
    for key, pattern in (("detected", "Detected file changes"), ("build_start", "Building documentation"),
                         ("built", r"Documentation built in ([\d.]+) seconds"), ("reloading", "Reloading browsers")):
        if found := log.first(mark, pattern):
            out[key] = found[0] - saved
            if key == "built":
                out["mkdocs_s"] = float(found[1].group(1))
    if "mkdocs_s" not in out and "build_start" in out and "reloading" in out:
        # MkDocs' build logger drops any message it has logged before (DuplicateFilter), e.g. a
        # second "Documentation built in 2.80 seconds"; then the reload signal marks the end.
        out["mkdocs_s"] = out["reloading"] - out["build_start"]
    out["log"] = "\n".join(line for _, line in log.since(mark))[-3000:]
    return out


def settle(log: Log, expect_index: bool, quiet: float = 2.0, timeout: float = 900.0) -> None:
    """Wait until the server is idle: every detected change rebuilt, the search index caught up.

    A quiet log alone is not enough: MkDocs logs nothing during a rebuild. So: as many
    "Reloading browsers" as "Detected file changes", and, when the site indexes for search in
    the background (``expect_index``), an index run logged after the last build; then ``quiet``
    seconds of silence. A reader edits, looks, edits again: the next edit finds the server idle.
    """
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        lines = [line for _, line in log.lines]
        detected = sum("Detected file changes" in line for line in lines)
        builds = [i for i, line in enumerate(lines) if "Reloading browsers" in line or "Documentation built" in line]
        reloads = sum("Reloading browsers" in line for line in lines)
        indexed = [i for i, line in enumerate(lines) if "Search index:" in line]
        index_done = not expect_index or bool(builds and indexed and indexed[-1] > builds[-1])
        last = log.lines[-1][0] if log.lines else start
        if reloads >= detected and index_done and time.perf_counter() - last >= quiet:
            return
        time.sleep(0.2)


def logs_index(log: Log, timeout: float = 120.0) -> bool:
    """Whether the site logs a search index run after its first build (waits for it)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if any("Search index:" in line for _, line in log.lines):
            return True
        time.sleep(0.2)
    return False


def bench_mode(site: Path, dirty: bool, edits: int, timeout: float, work: Path) -> dict[str, Any]:
    port = free_port()
    log_path = work / f"serve-{'dirty' if dirty else 'full'}.log"
    server = Server(site, port, dirty, log_path)
    log = Log(log_path)
    records = sorted((site / "content" / "toimintamallit").glob("*.yml"))[:edits]
    result: dict[str, Any] = {"mode": "dirty" if dirty else "full", "port": port, "edits": []}
    try:
        result["startup_s"] = server.wait_ready(timeout)
        expect_index = logs_index(log)
        settle(log, expect_index)
        for index, record in enumerate(records):
            edit = one_edit(server, log, record, f"Muokattu{index + 1}", timeout)
            record.write_text(edit.pop("original"), encoding="utf-8")  # put it back...
            settle(log, expect_index)  # ...and let that rebuild finish before the next edit
            result["edits"].append(edit)
            shown = f"{edit['visible']:.2f} s" if edit["visible"] is not None else "not seen"
            print(f"  {result['mode']}: edit {index + 1}: visible after {shown}", file=sys.stderr, flush=True)
    finally:
        server.stop()
        log.stop()
    return result


def summary(results: list[dict[str, Any]], n: int) -> str:
    def med(values: list[float]) -> str:
        values = [v for v in values if v is not None]
        return f"{statistics.median(values):.2f}" if values else "–"

    lines = [
        f"| mode ({n:,} records) | first build until serving (s) | save → change detected (s) | save → rebuild starts (s) | MkDocs rebuild (s) | save → reload signal (s) | save → visible (s), median | each edit (s) | ≤ 3 s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        edits = r["edits"]
        visible = [e["visible"] for e in edits]
        seen = [v for v in visible if v is not None]
        ok = "met" if seen and len(seen) == len(visible) and statistics.median(seen) <= 3 else "not met"
        command = "mkdocs serve --livereload" + (" --dirty" if r["mode"] == "dirty" else "")
        lines.append(
            f"| `{command}` | {r['startup_s']:.1f} | {med([e.get('detected') for e in edits])} | {med([e.get('build_start') for e in edits])} | "
            f"{med([e.get('mkdocs_s') for e in edits])} | {med([e.get('reloading') for e in edits])} | "
            f"{med(visible)} | {', '.join(f'{v:.2f}' if v is not None else 'not seen' for v in visible)} | {ok} |"
        )
    return "\n".join(lines)


# --- profiling one dirty rebuild ----------------------------------------------------------


class Timers:
    """Wall time per label, by wrapping functions in their modules (no profiler overhead)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.pages: list[tuple[float, str]] = []
        self._undo: list[tuple[Any, str, Any]] = []

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - start

        setattr(owner, name, wrapper)
        self._undo.append((owner, name, original))

    def wrap_page_render(self) -> None:
        from mkdocs.structure.pages import Page

        original = Page.render

        def render(page, config, files):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return original(page, config, files)
            finally:
                self.pages.append((time.perf_counter() - start, page.file.src_uri))

        Page.render = render  # type: ignore[method-assign]
        self._undo.append((Page, "render", original))

    def reset(self) -> None:
        self.seconds.clear()
        self.pages.clear()

    def undo(self) -> None:
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)

    def report(self, total: float) -> list[str]:
        lines = [f"  {seconds:7.2f} s  {label}" for label, seconds in sorted(self.seconds.items(), key=lambda kv: -kv[1])]
        lines.append(f"  {total - self.seconds.get('plugin on_pre_build (generate)', 0) - self.seconds.get('plugin on_files', 0) - self.seconds.get('MkDocs _populate_page (Markdown → HTML)', 0) - self.seconds.get('MkDocs _build_page (theme → HTML file)', 0):7.2f} s  everything else (config, nav, copying static files, ...)")
        pages = sorted(self.pages, reverse=True)
        lines.append(f"  pages re-rendered from Markdown: {len(pages)}; slowest:")
        lines += [f"    {seconds:6.2f} s  {uri}" for seconds, uri in pages[:12]]
        return lines


def profile_rebuild(site: Path, top: int) -> str:
    """What one `mkdocs serve --dirty` rebuild spends its time on, after a one-title edit.

    Builds once as `mkdocs serve --dirty` starts, then edits one title and rebuilds as the
    server would (fresh config, same plugin instance), timing the stages; then edits another
    title and rebuilds under cProfile for the top functions.
    """
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    import mkdocs.commands.build as mkbuild
    from mkdocs.config import load_config

    from generator import linker, loader, render
    from generator.mkdocs_plugin import plugin

    site_dir = tempfile.mkdtemp(prefix="hk-serve-profile-")
    serve_url = "http://127.0.0.1:8000/"

    def get_config():  # as mkdocs.commands.serve does on every rebuild
        config = load_config(config_file=str(site / "mkdocs.yml"), site_dir=site_dir)
        config.site_url = serve_url
        return config

    def rebuild(config) -> float:  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        mkbuild.build(config, serve_url=serve_url, dirty=True)
        seconds = time.perf_counter() - start
        indexer = getattr(config.plugins.get("hankekirjasto"), "indexer", None)
        if indexer is not None:
            indexer.wait()  # the background search index: not part of the rebuild, keep it out
        return seconds

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=True)
    first = rebuild(config)

    timers = Timers()
    from generator import related

    timers.wrap(plugin.HankekirjastoPlugin, "on_pre_build", "plugin on_pre_build (generate)")
    timers.wrap(plugin.HankekirjastoPlugin, "on_files", "plugin on_files")
    timers.wrap(loader, "load", "  generate: load + validate")
    timers.wrap(linker, "link", "  generate: link")
    timers.wrap(related, "compute", "  generate: similarity")
    timers.wrap(render, "render", "  generate: render templates")
    if hasattr(plugin, "write_tree"):
        timers.wrap(plugin, "write_tree", "  on_files: write_tree to the cache")
    timers.wrap(mkbuild, "_populate_page", "MkDocs _populate_page (Markdown → HTML)")
    timers.wrap(mkbuild, "_build_page", "MkDocs _build_page (theme → HTML file)")
    timers.wrap_page_render()
    records = sorted((site / "content" / "toimintamallit").glob("*.yml"))
    original, _ = edit_title(records[0], "Ajastettu")
    try:
        config = get_config()
        timed = rebuild(config)
    finally:
        records[0].write_text(original, encoding="utf-8")
    lines = [
        f"First build (as `mkdocs serve --dirty` starts, fills the cache): {first:.1f} s.",
        f"Dirty rebuild after one title edit: {timed:.2f} s. Where it went (wall, no profiler):",
        *timers.report(timed),
    ]
    timers.undo()
    config = get_config()
    rebuild(config)  # back to the unedited state
    original, _ = edit_title(records[1], "Profiloitu")
    try:
        config = get_config()
        profiler = cProfile.Profile()
        profiler.enable()
        profiled = rebuild(config)
        profiler.disable()
    finally:
        records[1].write_text(original, encoding="utf-8")
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    lines.append(f"\nThe same kind of rebuild under cProfile (another record): {profiled:.1f} s.")
    return "\n".join(lines) + "\n" + buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--modes", nargs="+", choices=["dirty", "full"], default=["dirty", "full"])
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for the server or an edit")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "hk-serve-bench")
    parser.add_argument("--seed", type=int, default=synth.SEED)
    parser.add_argument("--profile", action="store_true", help="only profile one dirty rebuild, in process")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--json", type=Path, help="also save every edit's timings here")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    site = args.work / f"synth-{args.records}"
    synth.make_site(site, args.records, args.seed)
    if args.profile:
        print(profile_rebuild(site, args.top))
        return 0
    results = [bench_mode(site, mode == "dirty", args.edits, args.timeout, args.work) for mode in args.modes]
    commit = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h"], capture_output=True, text=True).stdout.strip()
    print(f"commit {commit}; {os.cpu_count()} CPUs; {time.strftime('%Y-%m-%d')}\n")
    print(summary(results, args.records))
    if args.json:
        args.json.write_text(json.dumps({"commit": commit, "records": args.records, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
