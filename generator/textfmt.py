"""Turning record text into Markdown that can only ever be text.

Record text is written by many people and must never become HTML, script, a link or a
template expression in a reader's browser. Every character that means something to
Markdown, its extensions or HTML is written as a numeric character reference, which every
Markdown implementation prints literally. Long text fields keep paragraphs and lists; those
two structures are rebuilt here from the plain text, not passed through.
"""

from __future__ import annotations

import datetime as dt
import re

from markupsafe import Markup

# Characters with meaning anywhere in a line (HTML, emphasis, links, attr lists, code, tables).
_ALWAYS = {c: f"&#{ord(c)};" for c in "&<>*_[]{}`\\|~^$"}
_ALWAYS_TABLE = str.maketrans(_ALWAYS)
# Characters with meaning at the start of a line (headings, lists, quotes, definition lists,
# setext underlines); "1." and "1)" start ordered lists.
_LINE_START = re.compile(r"^(\s*)([#\-+=:>!%]|\d+(?=[.)]))")
_BULLET = re.compile(r"^\s*[-*•]\s+")
_NUMBERED = re.compile(r"^\s*(\d+)[.)]\s+")


def inline(text: object) -> Markup:
    """One line of plain text, safe anywhere in Markdown (table cells included)."""
    flat = " ".join(str(text).split())
    escaped = flat.translate(_ALWAYS_TABLE)
    escaped = _LINE_START.sub(lambda m: m.group(1) + _entity_first(m.group(2)), escaped)
    return Markup(escaped)


def _entity_first(token: str) -> str:
    if token[0].isdigit():
        return token  # the dot or parenthesis after the number is escaped by the caller
    return f"&#{ord(token[0])};" + token[1:]


def _line(text: str) -> str:
    escaped = str(inline(text))
    number = re.match(r"^(\d+)([.)])", escaped)
    if number:
        escaped = number.group(1) + f"&#{ord(number.group(2))};" + escaped[number.end():]
    return escaped


def block(text: object) -> Markup:
    """Plain text with paragraphs (blank line) and lists ("- " or "1. " lines), safe as Markdown."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", str(text).strip()):
        lines = [line for line in paragraph.splitlines() if line.strip()]
        out.append("\n".join(_block_line(line) for line in lines))
    return Markup("\n\n".join(part for part in out if part))


def _block_line(line: str) -> str:
    bullet = _BULLET.match(line)
    if bullet:
        return "- " + _line(line[bullet.end():])
    numbered = _NUMBERED.match(line)
    if numbered:
        return f"{numbered.group(1)}. " + _line(line[numbered.end():])
    return _line(line)


def html(text: object) -> Markup:
    """Text for an HTML attribute or element inside a raw-HTML part of a template."""
    return Markup.escape(" ".join(str(text).split()))


def number(value: float | int | None) -> str:
    """Finnish number: decimal comma, narrow no-break space between thousands (3 200; 1,55)."""
    if value is None:
        return ""
    if float(value).is_integer():
        text = f"{int(value):,}".replace(",", "\u202f")
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", "\u202f").replace(".", ",")
    return text


def euros(value: float | None) -> str:
    if value is None:
        return ""
    whole = float(value).is_integer()
    text = f"{value:,.0f}" if whole else f"{value:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",") + "\u00a0€"


def date(value: dt.date | None) -> str:
    """Finnish date: 24.2.2026."""
    return f"{value.day}.{value.month}.{value.year}" if value else ""


def percent_of(achieved: float | None, target: float | None) -> int | None:
    """How much of the target was reached, in whole percent (None if not computable)."""
    if achieved is None or not target:
        return None
    return round(100 * achieved / target)
