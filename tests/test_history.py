"""When records last changed: their own date, else their file's last commit, else nothing."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator import history


def test_log_is_read_newest_first() -> None:
    log = "\x002026-03-02\n\ncontent/hankkeet/a.yml\n\x002026-01-01\n\ncontent/hankkeet/a.yml\ncontent/hankkeet/b.yml\n"
    assert history.parse_log(log) == {"content/hankkeet/a.yml": dt.date(2026, 3, 2), "content/hankkeet/b.yml": dt.date(2026, 1, 1)}


def test_the_records_own_date_wins_over_the_commit() -> None:
    records = {
        "a": SimpleNamespace(path="content/a.yml", data=SimpleNamespace(modified=dt.date(2026, 5, 1))),
        "b": SimpleNamespace(path="content/b.yml", data=SimpleNamespace(modified=None)),
        "c": SimpleNamespace(path="content/c.yml", data=SimpleNamespace(modified=None)),
    }
    committed = {"content/a.yml": dt.date(2026, 6, 1), "content/b.yml": dt.date(2026, 2, 2)}
    assert history.changed(records, committed) == {"a": dt.date(2026, 5, 1), "b": dt.date(2026, 2, 2)}


def test_without_a_repository_there_are_no_commit_dates(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    assert history.commit_dates(tmp_path / "content") == {}


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_commit_dates_come_from_git(tmp_path: Path) -> None:
    content = tmp_path / "content" / "hankkeet"
    content.mkdir(parents=True)
    (content / "a.yml").write_text("title: A\n", encoding="utf-8")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_COMMITTER_DATE": "2026-04-05T12:00:00", "PATH": "/usr/bin:/bin"}
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "a"]):
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, env=env, capture_output=True)
    assert history.commit_dates(tmp_path / "content") == {"content/hankkeet/a.yml": dt.date(2026, 4, 5)}


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_commit_dates_are_read_again_only_when_head_moves(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.yml").write_text("title: A\n", encoding="utf-8")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}

    def git(*args: str, date: str = "2026-04-05T12:00:00") -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, env={**env, "GIT_COMMITTER_DATE": date}, capture_output=True)

    git("init", "-q"), git("add", "."), git("commit", "-q", "-m", "a")
    dates = history.CommitDates()
    assert dates(content) == {"content/a.yml": dt.date(2026, 4, 5)}
    (content / "a.yml").write_text("title: B\n", encoding="utf-8")
    git("commit", "-qam", "b", date="2026-05-06T12:00:00")
    assert dates(content) == {"content/a.yml": dt.date(2026, 5, 6)}
