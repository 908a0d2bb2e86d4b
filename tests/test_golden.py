"""Golden files: one record of each kind and the exact Markdown it renders to.

Regenerate after an intended change with: pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import Options, generate

from .conftest import FIXTURE_SITE

GOLDEN = Path(__file__).parent / "golden"
PAGES = [
    "toimintamallit/malli.md",
    "hankkeet/malli-hanke.md",
    "kokonaisuudet/esimerkkikokonaisuus.md",
    "organisaatiot/esimerkki-ry.md",
    "hankkeet/index.md",
    "index.md",
]


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    return generate(FIXTURE_SITE / "content", Options(dates_from_git=False))  # golden: never from the clock or git


@pytest.mark.parametrize("page", PAGES)
def test_page_matches_golden(page: str, generated: dict[str, str], update_golden: bool) -> None:
    golden = GOLDEN / page
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(generated[page], encoding="utf-8")
    assert generated[page] == golden.read_text(encoding="utf-8")


def test_generation_is_deterministic() -> None:
    first = generate(FIXTURE_SITE / "content")
    second = generate(FIXTURE_SITE / "content")
    assert first == second
