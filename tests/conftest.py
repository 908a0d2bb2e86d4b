from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = ROOT / "tests" / "fixtures" / "site"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden files from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A writable copy of the small fixture site (mkdocs.yml + content/)."""
    target = tmp_path / "site-src"
    shutil.copytree(FIXTURE_SITE, target)
    return target


@pytest.fixture
def content(site_copy: Path) -> Path:
    return site_copy / "content"
