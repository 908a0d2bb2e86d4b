"""The core (every module directly in generator/) imports no builder: with MkDocs and Material
blocked it imports, generates the fixture site and writes the tree `hankekirjasto generate` writes.
Only generator/mkdocs_plugin/ may import MkDocs."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import generator

from .conftest import ROOT

# Runs in a fresh interpreter: a blocked name in sys.modules makes every `import mkdocs...`
# (and `from mkdocs... import`) raise ImportError, submodules included.
CHILD = r"""
import importlib, json, sys
for name in ("mkdocs", "material"):
    sys.modules[name] = None
modules = json.loads(sys.argv[1])
for name in modules:
    importlib.import_module(name)
from generator import cli, pipeline
files = pipeline.generate(__import__("pathlib").Path(sys.argv[2]))
code = cli.main(["--content", sys.argv[2], "generate", sys.argv[3], "--config", sys.argv[4]])
leaked = sorted(m for m in sys.modules if m.split(".")[0] in ("mkdocs", "material") and sys.modules[m] is not None)
print(json.dumps({"files": len(files), "code": code, "leaked": leaked}))
"""


ADAPTER = "generator.mkdocs_plugin"


def core_modules() -> list[str]:
    """Every module of the package, subpackages included, but the MkDocs adapter's."""
    names = [m.name for m in pkgutil.walk_packages(generator.__path__, "generator.")
             if m.name != ADAPTER and not m.name.startswith(ADAPTER + ".")]
    assert "generator.pipeline" in names and "generator.cli" in names and "generator.search" in names
    return sorted(names)


def test_the_adapter_is_its_own_package() -> None:
    adapter = [m.name for m in pkgutil.walk_packages(generator.__path__, "generator.") if m.name.startswith(ADAPTER + ".")]
    assert f"{ADAPTER}.plugin" in adapter
    assert not (Path(generator.__file__).parent / "plugin.py").exists()


def test_core_imports_and_generates_with_mkdocs_blocked(site_copy: Path, tmp_path: Path) -> None:
    modules = core_modules()
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(modules), str(site_copy / "content"), str(out), str(site_copy / "mkdocs.yml")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == 0 and result["leaked"] == []
    assert result["files"] > 20
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert any(path.endswith(".md") for path in written)


def test_the_block_is_real(tmp_path: Path) -> None:
    """The same child fails when a module it imports does import MkDocs."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(["generator.mkdocs_plugin.plugin"]), "x", "y", "z"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode != 0
    assert "ModuleNotFoundError" in done.stderr or "ImportError" in done.stderr
