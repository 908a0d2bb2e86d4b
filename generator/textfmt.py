"""Turning record text into Markdown or HTML that can only ever be text.

Record text is written by many people and must never become HTML, script, a link or a
template expression in a reader's browser. Every character that means something to
Markdown, its extensions or HTML is written as a numeric character reference, which every
Markdown implementation prints literally and which is just as inert in HTML, so the same
``inline`` output is safe in a Markdown heading and inside a raw HTML block. Long text fields
keep paragraphs and lists; those two structures are rebuilt here from the plain text, not
passed through, as Markdown (``block``) or as HTML (``block_html``).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re

from markupsafe import Markup

# Characters with meaning anywhere in a line (HTML, emphasis, links, attr lists, code, tables,
# and "#" because a heading drops its trailing hashes: "C#" would lose its "#").
_ALWAYS = {c: f"&#{ord(c)};" for c in "&<>*_[]{}`\\|~^$#"}
# Control characters (other than whitespace, which is collapsed first) are dropped: they
# print as nothing or as a replacement character and some break a YAML front matter.
# So are bidirectional embeddings, overrides and isolates (they show text in another order than
# it is written), U+FFFE/U+FFFF and lone surrogates (the validator refuses all of these first).
_CONTROLS = {c: None for c in [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A),
                               0xFFFE, 0xFFFF, *range(0xD800, 0xE000)]}
_ALWAYS_TABLE = str.maketrans(_ALWAYS)
# Characters with meaning at the start of a line (headings, lists, quotes, definition lists,
# setext underlines); "1." and "1)" start ordered lists, so their "." or ")" is escaped.
_LINE_START = re.compile(r"^([\-+=:>!%]|\d+[.)])")
_BULLET = re.compile(r"^\s*[-*•]\s+")
_NUMBERED = re.compile(r"^\s*(\d+)[.)]\s+")


# The same sets as patterns: a regex search (in C) finds that a text needs no translating,
# which most texts do not, far faster than str.translate with a dict walks them.
_ALWAYS_RE = re.compile("[" + re.escape("".join(_ALWAYS)) + "]")
_CONTROLS_RE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")
# Short texts (titles, labels, names) recur on many pages; longer ones rarely do.
_CACHED_LENGTH = 300


def inline(text: object) -> Markup:
    """One line of plain text, safe anywhere in Markdown (table cells included)."""
    text = text if type(text) is str else str(text)
    return Markup(_inline_cached(text) if len(text) <= _CACHED_LENGTH else _inline(text))


def _inline(text: str) -> str:
    escaped = _flat(text)
    if _ALWAYS_RE.search(escaped):
        escaped = escaped.translate(_ALWAYS_TABLE)
    return _LINE_START.sub(lambda m: _entity_last(m.group(1)), escaped)


_inline_cached = functools.lru_cache(maxsize=16384)(_inline)


def _flat(text: object) -> str:
    """One line: runs of whitespace (line breaks included) become one space, controls go."""
    flat = " ".join(str(text).split())
    return " ".join(flat.translate(_CONTROLS).split()) if _CONTROLS_RE.search(flat) else flat


def _entity_last(token: str) -> str:
    """``-`` → ``&#45;``; ``12.`` → ``12&#46;``: the character that makes the line special."""
    return token[:-1] + f"&#{ord(token[-1])};"


def _line(text: str) -> str:
    return str(inline(text))


def block(text: object) -> Markup:
    """Plain text with paragraphs (blank line) and lists ("- " or "1. " lines), safe as Markdown."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", str(text).strip()):
        lines = [line for line in paragraph.splitlines() if line.strip()]
        out.append("\n".join(_block_line(line) for line in lines))
    return Markup("\n\n".join(part for part in out if part))


def block_html(text: object, paragraph_class: str | None = None) -> Markup:
    """The same text as raw HTML blocks: paragraphs as ``<p>``, "- " lines as ``<ul>``, "1. "
    lines as ``<ol>``; each block a separate element with blank lines around it.

    Record pages hand their body to Python-Markdown as raw HTML, which it stores without
    parsing (much faster than Markdown, and nothing inside can become markup). The text goes
    through ``inline`` line by line, whose character references are as inert in HTML as in
    Markdown. Within a paragraph, lines before the first list line are a ``<p>``; from the
    first list line on, each "- " or "1. " line starts an item of one list (the first
    line's kind, as in Markdown) and any other line continues the item before it.
    """
    opening = f'<p class="{html(paragraph_class)}">' if paragraph_class else "<p>"
    blocks: list[str] = []
    for paragraph in re.split(r"\n\s*\n", str(text).strip()):
        lines = [line for line in paragraph.splitlines() if line.strip()]
        first_item = next((i for i, line in enumerate(lines) if _list_item(line)), len(lines))
        if first_item:
            blocks.append(opening + "\n".join(_line(line) for line in lines[:first_item]) + "</p>")
        if first_item < len(lines):
            blocks.append(_html_list(lines[first_item:]))
    return Markup("\n\n".join(blocks))


def _list_item(line: str) -> tuple[str, str] | None:
    """("ul" or "ol", the item's text) when a line starts a list item, else None."""
    bullet = _BULLET.match(line) or None
    if bullet:
        return "ul", line[bullet.end():]
    numbered = _NUMBERED.match(line)
    return ("ol", line[numbered.end():]) if numbered else None


def _html_list(lines: list[str]) -> str:
    """One list from lines whose first line is an item; other lines continue the last item."""
    tag = _list_item(lines[0])[0]  # type: ignore[index]
    items: list[list[str]] = []
    for line in lines:
        item = _list_item(line)
        if item:
            items.append([_line(item[1])])
        else:
            items[-1].append(_line(line))
    body = "\n".join("<li>" + "\n".join(parts) + "</li>" for parts in items)
    return f"<{tag}>\n{body}\n</{tag}>"


def _block_line(line: str) -> str:
    # An item with no text stays text: an empty "- " under a line would make it a heading.
    bullet = _BULLET.match(line)
    if bullet and line[bullet.end():].strip():
        return "- " + _line(line[bullet.end():])
    numbered = _NUMBERED.match(line)
    if numbered and line[numbered.end():].strip():
        return f"{numbered.group(1)}. " + _line(line[numbered.end():])
    return _line(line)


def front_matter(text: object) -> Markup:
    """A quoted YAML string for a page's front matter (title, description).

    MkDocs themes print ``page.meta`` values into HTML without escaping (``<title>``,
    ``<meta content="…">``, the search index), so the text is HTML-escaped first, the way
    MkDocs' own titles from headings are. The quoting keeps only printable characters, so
    the front matter always parses: if it did not, MkDocs would show it as page text.
    """
    escaped = str(Markup.escape(_flat(text)))
    if _YAML_CHANGED.search(escaped):
        escaped = "".join(_yaml_char(c) for c in escaped)
    return Markup('"' + escaped + '"')


def _yaml_char(char: str) -> str:
    code = ord(char)
    if char == "\\":
        return "\\\\"
    if 0x20 <= code <= 0x7E or (code >= 0xA0 and not 0xD800 <= code <= 0xDFFF and code not in _YAML_AWKWARD):
        return char
    if 0xD800 <= code <= 0xDFFF:
        return "\uFFFD"  # a lone surrogate cannot be written as UTF-8
    return f"\\u{code:04X}"


# Printable for YAML, but line or paragraph separators, a byte-order mark, or non-characters.
_YAML_AWKWARD = {0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF}
# Every character _yaml_char changes (most titles have none, and are left as they are).
_YAML_CHANGED = re.compile("[\\\\\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\ufeff\ufffe\uffff]")


def pagefind_filter(text: object) -> Markup:
    """A search filter value (the element's text), shown by Pagefind's search page.

    Pagefind decodes the text's character references twice and its search page inserts filter
    values as HTML, so no level of escaping is reliably enough. The three characters that can
    start markup or a reference are written as look-alikes instead: ‹ › ＆.
    """
    return Markup.escape(_flat(text).translate(_LOOKALIKES))


_LOOKALIKES = str.maketrans({"<": "\u2039", ">": "\u203a", "&": "\uff06"})


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
    share = 100 * achieved / target
    return round(share) if math.isfinite(share) else None  # inf/nan values, or a tiny target
