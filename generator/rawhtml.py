"""Raw HTML blocks that bypass Python-Markdown's HTML parsing (a build-speed measure).

Generated pages are Markdown headings with raw HTML blocks between them, and any Markdown
implementation passes such blocks through unchanged. Python-Markdown and MkDocs still parse
every block with Python's ``html.parser`` (twice: once to stash it, once to collect ids),
which was about a quarter of a full build. So before conversion each block that is one or
more complete block-level elements is swapped for a token paragraph, and after conversion
the token's ``<p>`` is swapped back for the block: the same HTML, without the parsing.

The tokens carry a random nonce made per build, so text in a record cannot forge one.
"""

from __future__ import annotations

import re
import secrets

# A block is passed through only when it starts with one of these tags and ends with the same
# tag's end tag; anything else (headings, Markdown text, inline HTML) is left to Markdown.
_BLOCK = re.compile(
    r"<(p|ul|ol|dl|table|div|figure|nav|form|section|details|noscript|blockquote|script)\b[^>]*>.*</\1>\s*\Z",
    re.DOTALL,
)


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
