"""The publish workflow (.github/workflows/publish.yml) never lets a broken record reach the site.

GitHub runs it, not these tests; what they can hold is its shape: installs from the lock, the
record check and the strict build before anything is uploaded, and only the built site uploaded.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"


def _steps() -> list[dict]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return workflow["jobs"]["build"]["steps"]


def _index(steps: list[dict], pattern: str) -> int:
    found = [k for k, step in enumerate(steps) if re.search(pattern, step.get("run", "") + step.get("uses", ""))]
    assert found, f"publish.yml has no step matching {pattern!r}"
    return found[0]


def test_the_check_and_the_strict_build_come_before_the_upload():
    steps = _steps()
    install, check = _index(steps, r"^make install$"), _index(steps, r"hankekirjasto check")
    build, upload = _index(steps, r"^make build$"), _index(steps, r"upload-pages-artifact")
    assert install < check < build < upload
    assert steps[upload]["with"]["path"] == "site"
    # make build is the strict build, installed from the lock
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^build: install\n\t\$\(BIN\)/mkdocs build --strict$", makefile, re.M)
    assert "uv sync --locked" in makefile


def test_the_published_site_is_built_with_voikko():
    steps = _steps()
    voikko = _index(steps, r"apt-get install .*libvoikko1.*voikko-fi")
    assert voikko < _index(steps, r"^make build$")
