"""Install the uv that uv.lock pins into a virtual environment, checked against the lock's hashes.

`make install` runs this once with the .venv's own Python; from then on `uv sync --locked`
installs everything else from uv.lock (uv included, so it stays). Standard library only.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "uv.lock"


def requirement(lock: dict) -> str:
    """``uv==X --hash=sha256:...`` for every wheel of the locked uv (pip picks the right one)."""
    package = next((p for p in lock.get("package", []) if p.get("name") == "uv"), None)
    if package is None:
        raise SystemExit(f"{LOCK.name}: uv is not in the lock; run `make upgrade` on a machine that has uv")
    hashes = [wheel["hash"] for wheel in package.get("wheels", []) if wheel.get("hash")]
    if package.get("sdist", {}).get("hash"):
        hashes.append(package["sdist"]["hash"])
    return " ".join([f"uv=={package['version']}", *(f"--hash={h}" for h in hashes)])


def main() -> int:
    with LOCK.open("rb") as handle:
        line = requirement(tomllib.load(handle))
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write(line + "\n")
    try:
        return subprocess.call([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                                "--only-binary", ":all:", "--require-hashes", "-r", handle.name])
    finally:
        Path(handle.name).unlink()


if __name__ == "__main__":
    sys.exit(main())
