"""The whole generator as one call: load → link → similar → render. No MkDocs here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import linker, loader, render


@dataclass
class Options:
    """What a build can be told: where templates are overridden, how similarity is tuned."""

    overrides: Path | None = None
    similarity: dict[str, Any] = field(default_factory=dict)


def check(content_dir: Path) -> linker.Site:
    """Load and link everything; raise ContentError listing every problem."""
    return linker.link(loader.load(content_dir))


def generate(content_dir: Path, options: Options | None = None) -> dict[str, str]:
    """Every generated file (relative path → text) for the records under ``content_dir``."""
    options = options or Options()
    site = check(content_dir)
    from . import related  # lazy: the similarity step is the heaviest import

    site.similar = related.compute(site, options.similarity)
    return render.render(site, options.overrides)


def write_tree(files: dict[str, str], out_dir: Path) -> None:
    """Write generated files to ``out_dir``, replacing files that changed, removing stale ones."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    for stale in sorted(out_dir.rglob("*"), reverse=True):
        rel = stale.relative_to(out_dir).as_posix()
        if stale.is_file() and rel not in files:
            stale.unlink()
        elif stale.is_dir() and not any(stale.iterdir()):
            stale.rmdir()
