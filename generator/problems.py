"""Problems found in content, and the error that carries all of them at once."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Mapping


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


# How alike a value and an allowed one must be (difflib's ratio, 0–1) for "Tarkoititko …?":
# close enough for a typo ("jyvskyla" → "jyvaskyla", "osalisuus" → "osallisuus"), not for
# another word that merely shares letters ("lahti" → "lapinlahti" is 0.67).
CLOSE = 0.8


def slugged(text: str) -> str:
    """``text`` as an id would write it: lowercase a–z, 0–9 and hyphens (ä, å → a, ö → o)."""
    text = text.casefold().replace("ä", "a").replace("å", "a").replace("ö", "o")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def closest(value: str, allowed: Iterable[str], labels: Mapping[str, str] | None = None) -> str | None:
    """The allowed value most like ``value`` (compared as ids, and with each one's label), or
    None when none is close (:data:`CLOSE`)."""
    wanted = slugged(value)
    best, best_ratio = None, CLOSE
    for candidate in sorted(allowed):
        forms = {candidate, slugged(candidate)} | ({slugged(labels[candidate])} if labels and candidate in labels else set())
        ratio = max(difflib.SequenceMatcher(None, wanted, form).ratio() for form in forms)
        if ratio >= best_ratio and (best is None or ratio > best_ratio):
            best, best_ratio = candidate, ratio
    return best


def allowed_values(value: str, allowed: Iterable[str], *, limit: int = 30, labels: Mapping[str, str] | None = None,
                   where: str | None = None) -> str:
    """Finnish hint: the closest allowed value (only when it is close), then the allowed values,
    or for a long list the file that holds them (``where``)."""
    allowed = sorted(allowed)
    close = closest(value, allowed, labels)
    label = labels.get(close) if labels and close else None
    hint = (f' Tarkoititko "{close}" ({label})?' if label and slugged(label) != close else f' Tarkoititko "{close}"?') if close else ""
    if not allowed:
        return f"{hint} Sallittuja arvoja ei ole määritelty."
    if len(allowed) > limit and where:
        return f"{hint} Kaikki {len(allowed)} sallittua arvoa ovat tiedostossa {where}."
    shown = ", ".join(allowed[:limit]) + (f" … (yhteensä {len(allowed)})" if len(allowed) > limit else "")
    return f"{hint} Sallitut: {shown}."
