"""Problems found in content, and the error that carries all of them at once."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file: ``path:line: field: message``."""

    path: str
    line: int | None
    field: str
    message: str
    column: str | None = None  # a spreadsheet's column letter: ``file:row:column: field: message``

    def __str__(self) -> str:
        where = f"{visible(self.path)}:{self.line}" if self.line else visible(self.path)
        if self.column:
            where += f":{visible(self.column)}"
        message = short(visible(self.message), MAX_MESSAGE)
        return f"{where}: {short(visible(self.field), 120)}: {message}" if self.field else f"{where}: {message}"


# A message quotes at most a value's first characters; this is the bound for any message, so
# that no file's contents end up in the log however a message was made.
MAX_MESSAGE = 1000


def short(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters (the last one "…")."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Characters that would break a message over lines, hide in it or reorder it on screen (a
# file name with a newline, a value with a right-to-left override): shown as escapes.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufffe\uffff\ud800-\udfff]")
_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def visible(text: str) -> str:
    """``text`` with every invisible or line-breaking character written as an escape (\\n, \\u202e)."""
    return _INVISIBLE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), text)


class ContentError(Exception):
    """Raised when content has problems; carries every problem found, sorted by file and line."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.field, p.message))
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        files = len({p.path for p in self.problems})
        head = f"Sisällössä on {count} virhe{'ttä' if count != 1 else ''} {files} tiedostossa:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


def allowed_values(value: str, allowed: Iterable[str], *, limit: int = 30) -> str:
    """Finnish hint listing the allowed values, closest match first."""
    allowed = sorted(allowed)
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
    hint = f' Tarkoititko "{close[0]}"?' if close else ""
    shown = ", ".join(allowed[:limit]) + (f" … (yhteensä {len(allowed)})" if len(allowed) > limit else "")
    return f"{hint} Sallitut: {shown}." if allowed else f"{hint} Sallittuja arvoja ei ole määritelty."
