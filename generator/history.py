"""When each record last changed: its own ``modified`` date, else the day of the last commit
that touched its file in the repository's git history, else nothing.

One ``git log`` over the content folder per build; without git, outside a repository or when
git fails, records simply have no history date (never an error: a site builds from a plain copy
of the files too).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

GIT_TIMEOUT = 30  # seconds


def commit_dates(content_dir: Path) -> dict[str, dt.date]:
    """File path as the loader names it (relative to the content folder's parent, e.g.
    ``content/hankkeet/touko.yml``) → day of the newest commit that changed it."""
    try:
        result = subprocess.run(
            ["git", "-C", str(content_dir.parent), "log", "--format=%x00%cs", "--name-only", "--relative",
             "--no-renames", "--", content_dir.name],
            capture_output=True, text=True, timeout=GIT_TIMEOUT, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if result.returncode != 0:
        return {}
    return parse_log(result.stdout)


def head(content_dir: Path) -> str | None:
    """The commit checked out, or None outside a repository: commit dates change only with it."""
    try:
        result = subprocess.run(["git", "-C", str(content_dir.parent), "rev-parse", "HEAD"],
                                capture_output=True, text=True, timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None


class CommitDates:
    """``commit_dates`` kept between the rebuilds of `mkdocs serve`, read again when HEAD moves."""

    def __init__(self) -> None:
        self._head: str | None = None
        self._dates: dict[str, dt.date] = {}

    def __call__(self, content_dir: Path) -> dict[str, dt.date]:
        current = head(content_dir)
        if current is None:
            return {}
        if current != self._head:
            self._head, self._dates = current, commit_dates(content_dir)
        return self._dates


def parse_log(text: str) -> dict[str, dt.date]:
    """``git log --format=%x00%cs --name-only`` output → path → newest date (log is newest first)."""
    dates: dict[str, dt.date] = {}
    current: dt.date | None = None
    for line in text.splitlines():
        if line.startswith("\x00"):
            try:
                current = dt.date.fromisoformat(line[1:].strip())
            except ValueError:
                current = None
        elif line and current is not None:
            dates.setdefault(line.strip(), current)
    return dates


def changed(records: dict, committed: dict[str, dt.date]) -> dict[str, dt.date]:
    """Record id → when it last changed: ``modified`` from the record, else its file's last
    commit; records with neither are left out."""
    out: dict[str, dt.date] = {}
    for record_id, record in records.items():
        when = getattr(record.data, "modified", None) or committed.get(record.path)
        if when:
            out[record_id] = when
    return out
