"""What an indicator table shows: which columns have anything in them, and each row's progress.

Kept apart from the templates so the rules are plain Python that tests can call: a column that
would be "–" in every row is left out; a target that is a share (unit "%") is shown as shares
("34 % / tavoite 30 %"), not as a percentage of a percentage; an indicator whose date has passed
with no achieved value says so instead of showing an empty cell.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Sequence

from . import textfmt

SHARE_UNITS = {"%", "prosenttia"}


@dataclass(frozen=True)
class Progress:
    """One row's "Toteuma" cell: a bar (width and target marker in %, or none) and its words."""

    text: str
    width: float | None = None
    marker: float | None = None
    met: bool = False
    overdue: bool = False


@dataclass(frozen=True)
class Table:
    """The columns an indicator table needs and every row's progress, in the indicators' order."""

    rows: list[tuple[Any, Progress | None]]
    has_target: bool
    has_achieved: bool
    has_progress: bool


def is_share(indicator: Any) -> bool:
    return (indicator.unit or "").strip().casefold() in SHARE_UNITS


def progress(indicator: Any, today: dt.date) -> Progress | None:
    """The Toteuma cell of one indicator, or None when there is nothing to show."""
    achieved, target = indicator.achieved, indicator.target
    if achieved is None:
        if target is not None and indicator.date and indicator.date < today:
            return Progress(f"Toteumaa ei ole kirjattu, vaikka tavoiteaika {textfmt.date(indicator.date)} on ohi", overdue=True)
        return None
    if is_share(indicator):
        width = min(max(achieved, 0.0), 100.0)
        if target is None:
            return Progress(f"{textfmt.number(achieved)} %", width)
        return Progress(f"{textfmt.number(achieved)} % / tavoite {textfmt.number(target)} %", width,
                        min(max(target, 0.0), 100.0), achieved >= target)
    pct = textfmt.percent_of(achieved, target)
    if pct is None or not math.isfinite(pct):
        return None
    return Progress(f"{pct} % tavoitteesta", float(min(max(pct, 0), 100)), None, pct >= 100)


def table(indicators: Sequence[Any], today: dt.date) -> Table:
    """The indicator table of a record: columns that are empty in every row are left out."""
    rows = [(i, progress(i, today)) for i in indicators]
    return Table(
        rows=rows,
        has_target=any(i.target is not None for i in indicators),
        has_achieved=any(i.achieved is not None for i in indicators),
        has_progress=any(p is not None for _, p in rows),
    )
