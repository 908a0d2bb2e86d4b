"""Scale benchmark of the whole build: the MkDocs path, generate + Zensical, and plain MkDocs.

For each size (records in total, mix as in bench/synth.py) it writes a synthetic site once, then
per run, each in a fresh subprocess:

- **generator**: ``generator.pipeline.generate`` (load + validate + link + similarity + render),
  timed inside the child, with the time of each stage;
- **build** (the MkDocs path): ``mkdocs build`` of the synthetic site with the hankekirjasto
  plugin, search index included (wall time of the whole command, Python start-up included);
- **zensical**: ``hankekirjasto generate OUT``, ``zensical build --clean`` of the project it
  writes, and ``hankekirjasto index OUT/site`` (Pagefind): each step's wall time, their sum, and
  the largest peak RSS of the three;
- **plain**: ``mkdocs build`` of that same generated project (its mkdocs.yml has no
  hankekirjasto plugin): what MkDocs + Material alone cost for these pages, no search index;
- **baseline** (with ``--baseline REF``): the MkDocs path of commit REF, from a snapshot of that
  commit, interleaved with the runs above so that both see the same machine.

Peak memory is the peak RSS of the measured command: a small wrapper process runs it and reads
``resource.getrusage(RUSAGE_CHILDREN)``, which then covers that one command only.

Run from the repository root::

    .venv/bin/python bench/build_bench.py                          # 100, 1k, 5k, 10k; 3 runs (1 at 10k)
    .venv/bin/python bench/build_bench.py --sizes 1000 --runs 1
    .venv/bin/python bench/build_bench.py --sizes 1000 --pagefind  # also index with Pagefind
    .venv/bin/python bench/build_bench.py --profile 1000           # cProfile one build
    .venv/bin/python bench/build_bench.py --sizes 1000 --baseline a2fe36d --no-zensical

Results are printed as Markdown tables and also saved as JSON (``--json``).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402

BIN = Path(sys.executable).parent
RECORD_FOLDERS = tuple(synth.FOLDERS.values())
PAGE_LIMIT = 60_000
# PYTHONPATH: every child imports `generator` from the tree this file is in (also when the
# bench runs from a snapshot copy of the repository), not from wherever the venv points.
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0",
       "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}

# Runs one command, then reports its wall time and peak RSS. RUSAGE_CHILDREN of this wrapper
# covers exactly that command (and its own children), so runs do not see each other's peaks.
WRAPPER = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": done.returncode, "wall": wall, "maxrss_kb": usage.ru_maxrss,
                  "cpu": usage.ru_utime + usage.ru_stime,
                  "stdout": done.stdout[-6000:], "stderr": done.stderr[-6000:]}))
"""

# `mkdocs build` run in a Python that says, as it exits, its own peak RSS and the largest of
# its child processes' (Pagefind, the forked render workers): the wrapper's figure is the
# larger of the two, and only this tells which process it was.
MKDOCS = r"""
import atexit, resource, sys
def _peaks():
    own, children = (resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(f"HK_PEAK_RSS_KB self={own} children={children}", file=sys.stderr, flush=True)
atexit.register(_peaks)
from mkdocs.__main__ import cli
sys.argv = ["mkdocs", *sys.argv[1:]]
cli()
"""

# The generator step alone, with the time of each stage. Stages are timed by wrapping the
# module functions pipeline.generate calls, so this follows pipeline.py as it changes.
GENERATOR = r"""
import json, sys, time
from pathlib import Path
from generator import linker, loader, pipeline, render
stages = {}
def timed(module, name, label):
    original = getattr(module, name)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            stages[label] = stages.get(label, 0.0) + time.perf_counter() - start
    setattr(module, name, wrapper)
timed(loader, "load", "load")
timed(linker, "link", "link")
timed(render, "render_site", "render")
start = time.perf_counter()
from generator import related
timed(related, "rank", "similarity")
options = pipeline.Options(overrides=Path(sys.argv[2]) if sys.argv[2] else None, similarity=json.loads(sys.argv[3]))
files = pipeline.generate(Path(sys.argv[1]), options)
total = time.perf_counter() - start
print(json.dumps({"generate": total, "stages": stages, "files": len(files),
                  "md_files": sum(1 for f in files if f.endswith(".md"))}))
"""


# --- running ------------------------------------------------------------------------------


def measure(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``cmd`` under the wrapper; wall time (s), peak RSS (MB) and its output."""
    done = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], cwd=cwd, env=env or ENV, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["rc"] != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({result['rc']}):\n{result['stderr']}")
    result["rss_mb"] = result.pop("maxrss_kb") / 1024
    return result


class _Lenient(__import__("yaml").SafeLoader):
    """Reads mkdocs.yml even when it has tags such as !ENV or !!python/name (as None)."""


_Lenient.add_multi_constructor("", lambda loader, suffix, node: None)
_Lenient.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def plugin_options(site: Path) -> tuple[str, dict[str, Any]]:
    """(overrides folder, similarity settings) as the plugin would get them from mkdocs.yml."""
    import yaml

    config = yaml.load((site / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Lenient) or {}
    similarity: dict[str, Any] = {}
    for plugin in config.get("plugins", []) or []:
        if isinstance(plugin, dict) and "hankekirjasto" in plugin:
            similarity = (plugin["hankekirjasto"] or {}).get("similarity", {}) or {}
    custom = (config.get("theme") or {}).get("custom_dir")
    return (str((site / custom).resolve()) if custom else ""), similarity


def run_generator(site: Path) -> dict[str, Any]:
    overrides, similarity = plugin_options(site)
    result = measure([sys.executable, "-c", GENERATOR, str(site / "content"), overrides, json.dumps(similarity)], cwd=ROOT)
    data = json.loads(result["stdout"].strip().splitlines()[-1])
    return {**data, "rss_mb": result["rss_mb"], "wall": result["wall"], "cpu": result["cpu"]}


def run_build(config: Path, site_dir: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """One `mkdocs build`: wall and CPU time, peak RSS, and what its log says took how long."""
    result = measure([sys.executable, "-c", MKDOCS, "build", "-f", str(config), "-d", str(site_dir)], cwd=config.parent, env=env)
    out = {"wall": result["wall"], "cpu": result["cpu"], "rss_mb": result["rss_mb"]}
    log = result["stderr"] + result["stdout"]
    if found := re.search(r"HK_PEAK_RSS_KB self=(\d+) children=(\d+)", log):
        out["rss_self_mb"], out["rss_children_mb"] = int(found.group(1)) / 1024, int(found.group(2)) / 1024
    if found := re.search(r"Documentation built in ([\d.]+) seconds", log):
        out["mkdocs_s"] = float(found.group(1))
    if found := re.search(r"Search index: (\d+) pages in ([\d.]+) s", log):
        out["search_pages"], out["search_s"] = int(found.group(1)), float(found.group(2))
    return out


# --- what was built -----------------------------------------------------------------------


def site_metrics(site_dir: Path) -> dict[str, Any]:
    """Size of the site, of record pages, the largest pages, and the search payload."""
    files = [p for p in site_dir.rglob("*") if p.is_file()]
    html = [p for p in files if p.suffix == ".html"]
    records = [
        p for p in html
        if len(p.relative_to(site_dir).parts) == 3 and p.relative_to(site_dir).parts[0] in RECORD_FOLDERS and p.name == "index.html"
    ]
    record_sizes = sorted(p.stat().st_size for p in records)
    largest = sorted(((p.stat().st_size, p.relative_to(site_dir).as_posix()) for p in html), reverse=True)
    out: dict[str, Any] = {
        "site_bytes": sum(p.stat().st_size for p in files),
        "html_pages": len(html),
        "record_pages": len(records),
        "record_median": statistics.median(record_sizes) if record_sizes else 0,
        "record_p95": record_sizes[int(0.95 * (len(record_sizes) - 1))] if record_sizes else 0,
        "record_max": record_sizes[-1] if record_sizes else 0,
        "over_limit": sum(1 for size, _ in largest if size > PAGE_LIMIT),
        "largest": largest[:5],
    }
    index = site_dir / "search" / "search_index.json"
    if index.exists():
        raw = index.read_bytes()
        out["lunr_bytes"] = len(raw)
        out["lunr_gzip"] = len(gzip.compress(raw, 6))
    if (site_dir / "pagefind").is_dir():
        out["pagefind"] = pagefind_payload(site_dir / "pagefind")
    return out


def pagefind_payload(folder: Path, results: int = 5) -> dict[str, Any]:
    """Bytes a first Pagefind query fetches, approximately.

    Pagefind's files are already compressed on disk, so file sizes are transfer sizes. A first
    one-word query loads pagefind.js, pagefind-entry.json, the WebAssembly module and the
    metadata file for the page's language, then the one index chunk that holds the word, then a
    fragment for each result it shows (5: the default UI's first page of results). We take the
    median index chunk and median fragment; a multi-word query loads one chunk per word.
    """

    def size(pattern: str) -> list[int]:
        return sorted(p.stat().st_size for p in folder.glob(pattern))

    def median(values: list[int]) -> int:
        return int(statistics.median(values)) if values else 0

    wasm, meta = size("wasm.*.pagefind"), size("pagefind.*.pf_meta")
    fixed = sum(size("pagefind.js")) + sum(size("pagefind-entry.json")) + (wasm[-1] if wasm else 0) + (meta[-1] if meta else 0)
    chunks, fragments = size("index/*.pf_index"), size("fragment/*.pf_fragment")
    query = fixed + median(chunks) + results * median(fragments)
    ui = sum(size("pagefind-ui.js")) + sum(size("pagefind-ui.css"))
    return {
        "query_bytes": query,
        "fixed_bytes": fixed,
        "chunk_median": median(chunks),
        "fragment_median": median(fragments),
        "chunks": len(chunks),
        "ui_bytes": ui,
        "index_bytes": sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()),
    }


def run_zensical(site: Path, project: Path) -> dict[str, Any]:
    """generate + `zensical build --clean` + `hankekirjasto index`: each step and the whole path."""
    steps = {
        "generate": measure([str(BIN / "hankekirjasto"), "--content", str(site / "content"), "generate", str(project),
                             "--config", str(site / "mkdocs.yml")], cwd=site),
        "zensical": measure([str(BIN / "zensical"), "build", "--clean"], cwd=project),
        "index": measure([str(BIN / "hankekirjasto"), "index", str(project / "site")], cwd=site),
    }
    out: dict[str, Any] = {f"{name}_s": step["wall"] for name, step in steps.items()}
    out.update(wall=sum(step["wall"] for step in steps.values()), cpu=sum(step["cpu"] for step in steps.values()),
               rss_mb=max(step["rss_mb"] for step in steps.values()),
               rss_by_step={name: step["rss_mb"] for name, step in steps.items()})
    if found := re.search(r"Hakuhakemisto: (\d+) sivua", steps["index"]["stdout"]):
        out["search_pages"] = int(found.group(1))
    return out


def baseline_snapshot(ref: str, work: Path) -> tuple[Path, dict[str, str]]:
    """The repository at ``ref`` (git archive) and the environment that runs its code.

    Commits from before the MkDocs adapter moved to generator/mkdocs_plugin/ get a two-line
    module there, so the installed entry point finds their plugin."""
    target = work / f"baseline-{ref}"
    if not target.exists():
        target.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    shim = target / "generator" / "mkdocs_plugin"
    if not shim.exists():
        shim.mkdir()
        (shim / "__init__.py").write_text("", encoding="utf-8")
        (shim / "plugin.py").write_text("from generator.plugin import HankekirjastoPlugin  # noqa: F401\n", encoding="utf-8")
    env = {**ENV, "PYTHONPATH": os.pathsep.join(filter(None, [str(target), os.environ.get("PYTHONPATH")]))}
    return target, env


def run_pagefind(site_dir: Path) -> float:
    """Index a built site with Pagefind (only when the build did not already); seconds taken."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site_dir)], env=ENV, check=True, capture_output=True)
    return time.perf_counter() - start


# --- the benchmark ------------------------------------------------------------------------


def bench_size(n: int, runs: int, work: Path, seed: int, plain: bool, pagefind: bool, zensical: bool = True,
               baseline: tuple[str, dict[str, str]] | None = None) -> dict[str, Any]:
    site = work / f"synth-{n}"
    start = time.perf_counter()
    counts = synth.make_site(site, n, seed)
    synth_time = time.perf_counter() - start
    out_site, project = site / "site", site / "project"
    result: dict[str, Any] = {"n": n, "counts": counts, "runs": runs, "synth_s": synth_time, "generator": [], "build": [],
                              "plain": [], "zensical": [], "baseline": [], "baseline_ref": baseline[0] if baseline else None}
    if plain and not zensical:  # the plain build needs the generated project; the Zensical runs write it anyway
        subprocess.run([str(BIN / "hankekirjasto"), "--content", str(site / "content"), "generate", str(project),
                        "--config", str(site / "mkdocs.yml")], env=ENV, check=True, capture_output=True)
    result["load"] = []
    for run in range(runs):
        result["load"].append(os.getloadavg()[0])  # the machine is shared: say how busy it was
        if baseline:
            result["baseline"].append(run_build(site / "mkdocs.yml", site / "site-baseline", env=baseline[1]))
        result["generator"].append(run_generator(site))
        result["build"].append(run_build(site / "mkdocs.yml", out_site))
        if zensical:
            result["zensical"].append(run_zensical(site, project))
        if plain:
            result["plain"].append(run_build(project / "mkdocs.yml", site / "site-plain"))
        last = result["build"][-1]
        print(f"  {n}: run {run + 1}/{runs}: generator {result['generator'][-1]['generate']:.1f} s, build {last['wall']:.1f} s"
              + (f", zensical path {result['zensical'][-1]['wall']:.1f} s" if zensical else "")
              + (f", plain {result['plain'][-1]['wall']:.1f} s" if plain else "")
              + (f", baseline {result['baseline'][-1]['wall']:.1f} s" if baseline else ""), file=sys.stderr, flush=True)
    if pagefind and not (out_site / "pagefind").is_dir():
        result["pagefind_s"] = run_pagefind(out_site)
        result["pagefind_by_bench"] = True
    result["site"] = site_metrics(out_site)
    if zensical:
        result["zensical_site"] = {"html_pages": sum(1 for _ in (project / "site").rglob("*.html"))}
    return result


def med(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in runs) if runs else float("nan")


def kb(n: float) -> str:
    return f"{n / 1000:,.0f} KB" if n < 10_000_000 else f"{n / 1_000_000:,.1f} MB"


def split(runs: list[dict[str, Any]]) -> str:
    """A build's peak RSS by process: the MkDocs (Python) process / its largest child."""
    runs = [b for b in runs if "rss_self_mb" in b]
    return f"{med(runs, 'rss_self_mb'):.0f} / {med(runs, 'rss_children_mb'):.0f}" if runs else "–"


def tables(results: list[dict[str, Any]]) -> str:
    """The results as Markdown: timing, memory and output tables, then the stage breakdown."""
    lines = [
        "| records (practices / projects / collections / orgs) | runs | generator (s) | full build, wall (s) | full build, CPU (s) | of which Pagefind (s) | generator share | plain MkDocs+Material, wall (s) | plain, CPU (s) | ours / plain (wall, CPU) | peak RSS build / plain / generator (MB) | build's peak by process: MkDocs / largest child (Pagefind) (MB) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        c = r["counts"]
        gen, build, plain = med(r["generator"], "generate"), med(r["build"], "wall"), med(r["plain"], "wall")
        cpu, plain_cpu = med(r["build"], "cpu"), med(r["plain"], "cpu")
        search = med([b for b in r["build"] if "search_s" in b], "search_s")
        lines.append(
            f"| {r['n']:,} ({c['practice']} / {c['project']} / {c['collection']} / {c['organisation']}) | {r['runs']} | {gen:.1f} | {build:.1f} | {cpu:.1f} | "
            f"{search:.1f} | {gen / build:.0%} | {plain:.1f} | {plain_cpu:.1f} | {build / plain:.1f}×, {cpu / plain_cpu:.1f}× | "
            f"{med(r['build'], 'rss_mb'):.0f} / {med(r['plain'], 'rss_mb'):.0f} / {med(r['generator'], 'rss_mb'):.0f} | {split(r['build'])} |"
        )
    lines += [
        "",
        "| records | generated files (.md) | HTML pages | site size | record page median | record page p95 / max | pages > 60 KB | largest pages | search payload |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        s, g = r["site"], r["generator"][-1]
        largest = ", ".join(f"{path.removesuffix('/index.html').removesuffix('index.html') or '/'} {kb(size)}" for size, path in s["largest"][:3])
        search = []
        if "lunr_bytes" in s:
            search.append(f"lunr search_index.json {kb(s['lunr_bytes'])} ({kb(s['lunr_gzip'])} gzip), all of it on the first query")
        if "pagefind" in s:
            p = s["pagefind"]
            by = " (index built by the bench)" if r.get("pagefind_by_bench") else ""
            search.append(f"Pagefind{by}: ≈ {kb(p['query_bytes'])} per first query (fixed {kb(p['fixed_bytes'])} + chunk {kb(p['chunk_median'])} + 5 × fragment {kb(p['fragment_median'])}; {p['chunks']} chunks, index {kb(p['index_bytes'])}; UI +{kb(p['ui_bytes'])})")
        lines.append(
            f"| {r['n']:,} | {g['files']:,} ({g['md_files']:,}) | {s['html_pages']:,} | {kb(s['site_bytes'])} | {kb(s['record_median'])} | "
            f"{kb(s['record_p95'])} / {kb(s['record_max'])} | {s['over_limit']} | {largest} | {'; '.join(search) or '–'} |"
        )
    lines += ["", builders_table(results)]
    lines += ["", "| records | load | link | similarity | render | generator total |", "|---|---|---|---|---|---|"]
    for r in results:
        stages = {k: statistics.median(g["stages"].get(k, 0.0) for g in r["generator"]) for k in ("load", "link", "similarity", "render")}
        lines.append(f"| {r['n']:,} | " + " | ".join(f"{v:.2f} s" for v in stages.values()) + f" | {med(r['generator'], 'generate'):.2f} s |")
    return "\n".join(lines)


def builders_table(results: list[dict[str, Any]]) -> str:
    """The three builds side by side (and the baseline commit's MkDocs path, when measured)."""
    ref = next((r["baseline_ref"] for r in results if r.get("baseline_ref")), None)
    head = ["records", "MkDocs path: wall / CPU (s), peak RSS (MB) (MkDocs process / largest child)"]
    if ref:
        head += [f"baseline {ref}: wall / CPU (s), peak RSS (MB) (MkDocs process / largest child)", "MkDocs path / baseline (wall, CPU)"]
    head += ["generate + Zensical + index: wall (s) (steps), peak RSS (MB)", "Zensical path / MkDocs path (wall)",
             "plain MkDocs + Material: wall / CPU (s), peak RSS (MB)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def cell(runs: list[dict[str, Any]]) -> str:
        if not runs:
            return "–"
        by_process = f" ({split(runs)})" if any("rss_self_mb" in b for b in runs) else ""
        return f"{med(runs, 'wall'):.1f} / {med(runs, 'cpu'):.1f}, {med(runs, 'rss_mb'):.0f}{by_process}"

    for r in results:
        row = [f"{r['n']:,}", cell(r["build"])]
        if ref:
            row += [cell(r["baseline"]), (f"{med(r['build'], 'wall') / med(r['baseline'], 'wall'):.2f}×, "
                                          f"{med(r['build'], 'cpu') / med(r['baseline'], 'cpu'):.2f}×") if r["baseline"] else "–"]
        z = r["zensical"]
        if z:
            steps = " + ".join(f"{med(z, key + '_s'):.1f}" for key in ("generate", "zensical", "index"))
            row += [f"{med(z, 'wall'):.1f} ({steps}), {med(z, 'rss_mb'):.0f}", f"{med(z, 'wall') / med(r['build'], 'wall'):.2f}×"]
        else:
            row += ["–", "–"]
        row.append(cell(r["plain"]))
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def targets(results: list[dict[str, Any]]) -> str:
    """Met / not met against the issue's targets, where the sizes needed were measured."""
    by = {r["n"]: r for r in results}
    rows: list[tuple[str, str, bool | None]] = []
    if 1000 in by:
        t = med(by[1000]["build"], "wall")
        rows.append(("1,000 records: full build ≤ 8 s", f"{t:.1f} s", t <= 8))
    if 10000 in by:
        t = med(by[10000]["build"], "wall")
        rows.append(("10,000 records: full build ≤ 90 s", f"{t:.1f} s", t <= 90))
    if 1000 in by and 10000 in by:
        ratio = med(by[10000]["build"], "wall") / med(by[1000]["build"], "wall")
        rows.append(("10k / 1k build time ≤ 12", f"{ratio:.1f}", ratio <= 12))
    worst = max(results, key=lambda r: r["site"]["largest"][0][0] if r["site"]["largest"] else 0)
    if worst["site"]["largest"]:
        size, path = worst["site"]["largest"][0]
        record_max = max(r["site"]["record_max"] for r in results)
        rows.append(("every page ≤ 60 KB", f"record pages max {kb(record_max)}; largest page {path} {kb(size)} at {worst['n']:,}", size <= PAGE_LIMIT))
    for r in results:
        share = med(r["generator"], "generate") / med(r["build"], "wall")
        rows.append((f"{r['n']:,} records: generator ≤ 10 % of the build", f"{share:.0%}", share <= 0.10))
        if r["baseline"]:
            ratio = med(r["build"], "wall") / med(r["baseline"], "wall")
            rows.append((f"{r['n']:,} records: MkDocs path within 10 % of {r['baseline_ref']}", f"{ratio:.2f}×", ratio <= 1.10))
            cpu = med(r["build"], "cpu") / med(r["baseline"], "cpu")
            rows.append((f"{r['n']:,} records: MkDocs path CPU within 10 % of {r['baseline_ref']}", f"{cpu:.2f}×", cpu <= 1.10))
        if r["zensical"] and r["n"] == 1000:
            ratio = med(r["zensical"], "wall") / med(r["build"], "wall")
            rows.append(("1,000 records: Zensical path ≤ 2× the MkDocs path", f"{ratio:.2f}×", ratio <= 2))
        if r["n"] >= 10000:
            peak = med(r["build"], "rss_mb")
            rows.append((f"{r['n']:,} records: peak RSS of the MkDocs build < 1.5 GB", f"{peak:,.0f} MB (by process, MkDocs / largest child: {split(r['build'])})", peak < 1536))
    lines = ["| target | measured (median) | |", "|---|---|---|"]
    lines += [f"| {name} | {value} | {'met' if ok else 'not met'} |" for name, value, ok in rows]
    return "\n".join(lines)


# --- profiling ----------------------------------------------------------------------------


def profile(n: int, work: Path, seed: int, top: int) -> str:
    """cProfile one in-process `mkdocs build` of an n-record site; also time each page's Markdown.

    Prints the top functions by own time and by cumulative time, the functions of this
    repository (generator/) by cumulative time, and the pages whose Markdown took longest.
    """
    site = work / f"synth-{n}"
    if not (site / "content").is_dir():
        synth.make_site(site, n, seed)
    os.environ.update({"NO_MKDOCS_2_WARNING": "1"})
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page

    page_times: dict[str, float] = {}
    original = Page.render

    def render(self, config, files):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return original(self, config, files)
        finally:
            page_times[self.file.src_uri] = time.perf_counter() - start

    Page.render = render  # type: ignore[method-assign]
    config = load_config(config_file=str(site / "mkdocs.yml"), site_dir=str(site / "site-profile"))
    config.plugins.on_startup(command="build", dirty=False)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    build(config)
    profiler.disable()
    wall = time.perf_counter() - start
    Page.render = original  # type: ignore[method-assign]
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("cumulative").print_stats(str(ROOT / "generator"), top)
    slow = sorted(page_times.items(), key=lambda kv: kv[1], reverse=True)
    total = sum(page_times.values())
    lines = [f"Profiled build of {n} records: {wall:.1f} s under cProfile (cProfile roughly doubles times).",
             f"Markdown → HTML of {len(page_times)} pages: {total:.1f} s in all; slowest pages:"]
    lines += [f"  {t:7.2f} s  {uri}" for uri, t in slow[:15]]
    return "\n".join(lines) + "\n\n" + buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs per size (median is reported)")
    parser.add_argument("--large-runs", type=int, default=1, help="runs at sizes ≥ --large (default 1)")
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--no-plain", action="store_true", help="skip the plain MkDocs+Material baseline")
    parser.add_argument("--no-zensical", action="store_true", help="skip generate + Zensical + index")
    parser.add_argument("--baseline", metavar="REF", help="also build with the MkDocs path of this commit, interleaved")
    parser.add_argument("--pagefind", action="store_true", help="index the built site with Pagefind if the build did not")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "hk-build-bench")
    parser.add_argument("--seed", type=int, default=synth.SEED)
    parser.add_argument("--json", type=Path, help="also save the raw results here")
    parser.add_argument("--profile", type=int, metavar="N", help="only profile one build of N records")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    if args.profile:
        print(profile(args.profile, args.work, args.seed, args.top))
        return 0
    commit = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "generator", "mkdocs.yml", "overrides"], capture_output=True, text=True).stdout.strip()
    baseline = None
    if args.baseline:
        ref = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", args.baseline], capture_output=True, text=True, check=True).stdout.strip()
        baseline = (ref, baseline_snapshot(ref, args.work)[1])
    results = []
    for n in args.sizes:
        runs = args.large_runs if n >= args.large else args.runs
        results.append(bench_size(n, runs, args.work, args.seed, not args.no_plain, args.pagefind, not args.no_zensical, baseline))
        if args.json:
            args.json.write_text(json.dumps({"commit": commit, "dirty": bool(dirty), "results": results}, indent=1, default=str))
    loads = [value for r in results for value in r["load"]]
    print(f"commit {commit}{' + uncommitted changes in generator/, mkdocs.yml or overrides/' if dirty else ''}; "
          f"{os.cpu_count()} CPUs; {time.strftime('%Y-%m-%d')}; 1-min load average at the start of runs "
          f"{min(loads):.1f}–{max(loads):.1f}\n")
    print(tables(results))
    print()
    print(targets(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
