"""Raw HTML blocks that bypass Python-Markdown's HTML parsing (a build-speed measure).

Generated pages are Markdown headings with raw HTML blocks between them, and any Markdown
implementation passes such blocks through unchanged. Python-Markdown and MkDocs still parse
every block with Python's ``html.parser`` (twice: once to stash it, once to collect ids),
which was about a quarter of a full build. So before conversion each block that is one or
more complete block-level elements is swapped for a token paragraph, and after conversion
the token's ``<p>`` is swapped back for the block: the same HTML, without the parsing.

The tokens carry a random nonce made per build, so text in a record cannot forge one.

MkDocs collects a page's anchors (``Page.present_anchor_ids``) while it converts the page, so
the ids inside passed blocks are added back by :func:`anchor_ids` after conversion; links to
``page.md#anchor`` are checked against them as before.
"""

from __future__ import annotations

import html
import re
import secrets
from typing import Iterable

# A block is passed through only when it starts with one of these tags and ends with the same
# tag's end tag; anything else (headings, Markdown text, inline HTML) is left to Markdown.
_BLOCK = re.compile(
    r"<(p|ul|ol|dl|table|div|figure|nav|form|section|details|noscript|blockquote|script)\b[^>]*>.*</\1>\s*\Z",
    re.DOTALL,
)


# An id on any start tag, or a name on <a>: what MkDocs counts as a page's anchors.
_TAG = re.compile(r"<([A-Za-z][\w-]*)\s([^>]*)>")
# One attribute after another, so that text inside a quoted value is never read as a name.
_ATTR = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


def anchor_ids(blocks: Iterable[str]) -> set[str]:
    """The anchors (ids, and names of <a>) in raw HTML blocks, as MkDocs' own HTML pass finds them."""
    found: set[str] = set()
    for block in blocks:
        if "id" not in block and "name" not in block:
            continue  # most blocks: no attribute to look for
        for tag in _TAG.finditer(block):
            for attr in _ATTR.finditer(tag[2]):
                name = attr[1].lower()
                if (name == "id" or (name == "name" and tag[1].lower() == "a")) and attr.lastindex and attr.lastindex > 1:
                    found.add(html.unescape(attr[2] if attr[2] is not None else attr[3] if attr[3] is not None else attr[4]))
    return found


class RawBlocks:
    """Swaps raw HTML blocks out of a page's Markdown and back into its HTML."""

    def __init__(self) -> None:
        self.nonce = secrets.token_hex(8)
        self._token = re.compile(rf"<p>(hkraw{self.nonce}n\d+)</p>")

    def stash(self, markdown: str) -> tuple[str, dict[str, str]]:
        """The Markdown with each whole raw HTML block (between blank lines) as a token."""
        blocks: dict[str, str] = {}
        kept: list[str] = []
        token = None  # the token of the block just before, if the chunk just before was one
        for index, chunk in enumerate(markdown.split("\n\n")):
            if not (chunk.startswith("<") and _BLOCK.match(chunk)):
                kept.append(chunk)
                token = None
            elif token is not None:  # blocks in a row share one token: fewer paragraphs to parse
                blocks[token] += "\n\n" + chunk.rstrip()
            else:
                token = f"hkraw{self.nonce}n{index}"
                blocks[token] = chunk.rstrip()
                kept.append(token)
        return "\n\n".join(kept), blocks

    def restore(self, html: str, blocks: dict[str, str]) -> str:
        """The HTML with every token paragraph replaced by its block."""
        if not blocks:
            return html
        return self._token.sub(lambda m: blocks.get(m.group(1), m.group(0)), html)
