"""`mkdocs serve` survives a broken record and picks up the fix.

An editor keeps the preview server running while writing: a YAML mistake must show the
``file:line`` message in the server's output without stopping the server (it keeps serving
the last good site), and fixing the record must show up on the page without a restart.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest

RECORD = Path("content") / "hankkeet" / "malli-hanke.yml"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - localhost only
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0, ""


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"gave up waiting ({timeout:.0f} s) for: {what}")


class Server:
    """A `mkdocs serve` subprocess whose combined output goes to a file."""

    def __init__(self, config_dir: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {"NO_MKDOCS_2_WARNING": "1", "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONUNBUFFERED": "1"}
        if "PYTHONPATH" in os.environ:
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        self._out = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--no-strict", "-a", f"127.0.0.1:{self.port}"],
            cwd=config_dir, stdout=self._out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)  # the group this test started, nothing else
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._out.close()


@pytest.fixture
def server(site_copy: Path, tmp_path: Path) -> Iterator[Server]:
    running = Server(site_copy, tmp_path / "serve.log")
    try:
        wait_for(lambda: not running.alive() or get(running.url + "/")[0] == 200, 120, "the first build to be served")
        assert running.alive(), running.output()
        yield running
    finally:
        running.stop()


def test_serve_survives_a_broken_record_and_shows_the_fix(server: Server, site_copy: Path) -> None:
    page = server.url + "/hankkeet/malli-hanke/"
    status, html = get(page)
    assert status == 200 and "Mallihanke" in html
    record = site_copy / RECORD
    good = record.read_text(encoding="utf-8")

    # Break the record: the server reports file:line and keeps serving the last good site.
    record.write_text(good.replace("acronym: MALLI\n", "acronym: [MALLI\n"), encoding="utf-8")
    wait_for(lambda: "content/hankkeet/malli-hanke.yml:" in server.output(), 60, "the error in the server output")
    output = server.output()
    assert "content/hankkeet/malli-hanke.yml:3: YAML-syntaksivirhe" in output, output[-3000:]
    time.sleep(1)
    assert server.alive(), output[-3000:]
    status, html = get(page)
    assert status == 200 and "Mallihanke" in html

    # Fix it with a new title: the page shows the new title without a restart.
    record.write_text(good.replace("title: Mallihanke", "title: Korjattu mallihanke"), encoding="utf-8")
    wait_for(lambda: "Korjattu mallihanke" in get(page)[1], 30, "the new title on the page")
    assert server.alive()
    assert "Traceback" not in server.output()
