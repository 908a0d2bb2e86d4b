"""Publishing a build: the site is built beside site/ and replaces it only when the build succeeded.

MkDocs empties its output folder and then writes into it page by page, so a build that fails
late (a strict-mode warning, the search index) would leave a half-built site. The MkDocs
adapter points MkDocs at a staging folder next to the real one instead (same file system, so
the swap is two renames) and calls :meth:`Staging.publish` only when the whole build finished;
otherwise :meth:`Staging.discard`, and site/ stays the last good build, byte for byte.
"""

from __future__ import annotations

import shutil
from pathlib import Path


class Staging:
    """A staging folder for one build of ``site_dir``."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = Path(site_dir).absolute()
        self.path = self.site_dir.with_name(f".{self.site_dir.name}.next")
        self._old = self.site_dir.with_name(f".{self.site_dir.name}.old")

    def start(self) -> Path:
        """An empty staging folder (a previous failed build's leftovers removed)."""
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        return self.path

    def publish(self) -> None:
        """Replace ``site_dir`` with the staged build."""
        shutil.rmtree(self._old, ignore_errors=True)
        if self.site_dir.exists():
            self.site_dir.rename(self._old)
        self.path.rename(self.site_dir)
        shutil.rmtree(self._old, ignore_errors=True)

    def discard(self) -> None:
        """Forget the staged build; ``site_dir`` is left as it was."""
        shutil.rmtree(self.path, ignore_errors=True)
