"""Raw HTML blocks that bypass Python-Markdown's HTML parsing (a build-speed measure).

Generated pages are Markdown headings with raw HTML blocks between them, and any Markdown
implementation passes such blocks through unchanged. Python-Markdown and MkDocs still parse
every block with Python's ``html.parser`` (twice: once to stash it, once to collect ids),
which was about a quarter of a full build. So before conversion each block that is one or
more complete block-level elements is swapped for a token paragraph, and after conversion
the token's ``<p>`` is swapped back for the block: the same HTML, without the parsing.

The tokens carry a random nonce made per build, so text in a record cannot forge one.

Most generated pages are then nothing but headings and tokens, and Python-Markdown still costs
about a millisecond a page to set up and run (a fifth of a 1,000-record build). For such a page
``RawBlocks.convert`` writes what Python-Markdown would: the same heading ids and outline, made
with Python-Markdown's own ``slugify`` and ``unique``. Only headings of plain text qualify
(letters, digits, spaces and punctuation that Markdown leaves as it is); a page with anything
else is converted by Python-Markdown as before.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from markdown.extensions.toc import nest_toc_tokens, slugify, unique

# A block is passed through only when it starts with one of these tags and ends with the same
# tag's end tag; anything else (headings, Markdown text, inline HTML) is left to Markdown.
_BLOCK = re.compile(
    r"<(p|ul|ol|dl|table|div|figure|nav|form|section|details|noscript|blockquote|script)\b[^>]*>.*</\1>\s*\Z",
    re.DOTALL,
)


# A heading Python-Markdown outputs as its text: single spaces between words of letters, digits
# and punctuation with no Markdown or HTML meaning (no * _ ` [ ] < > & # \ ~ | = and no tabs).
_WORD = r"(?:[^\W_]|[.,:;?!()'\"%/+\u2013\u2014-])+"
_PLAIN_HEADING = re.compile(rf"(#{{1,6}}) ({_WORD}(?: {_WORD})*)\Z")
# The Markdown settings under which this conversion is exact (tables and fenced code never
# apply to a page of headings and tokens).
SUPPORTED_EXTENSIONS = frozenset({"tables", "toc", "fenced_code"})  # MkDocs adds all three
SUPPORTED_TOC_CONFIG: dict[str, Any] = {"permalink": False}


@dataclass(frozen=True)
class Converted:
    """A page converted without Python-Markdown: what MkDocs' ``Page.render`` would set."""

    html: str
    toc_tokens: list[dict[str, Any]]  # as Python-Markdown's toc extension makes them
    title: str | None  # the text of an <h1> that opens the page
    ids: frozenset[str]


def converts(extensions: list[Any], configs: dict[str, Any]) -> bool:
    """Whether ``RawBlocks.convert`` gives Python-Markdown's output under these settings."""
    return (all(isinstance(e, str) for e in extensions) and set(extensions) <= SUPPORTED_EXTENSIONS
            and "toc" in extensions
            and all(SUPPORTED_TOC_CONFIG.get(k, object()) == v for k, v in (configs.get("toc") or {}).items())
            and set(configs) <= {"toc"})


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

    def convert(self, stashed: str, blocks: dict[str, str]) -> Converted | None:
        """The HTML Python-Markdown (tables, toc) would make of a stashed page of plain headings
        and tokens, with its blocks restored; None when the page has anything else."""
        parts: list[str] = []
        flat: list[dict[str, Any]] = []
        ids: set[str] = set()
        title = None
        for chunk in stashed.strip("\n").split("\n\n"):
            block = blocks.get(chunk)
            if block is not None:
                parts.append(block)
                continue
            match = _PLAIN_HEADING.match(chunk)
            if match is None:
                return None
            level, text = len(match[1]), match[2]
            anchor = unique(slugify(text, "-"), ids)
            if not parts and level == 1:
                title = text
            parts.append(f'<h{level} id="{anchor}">{text}</h{level}>')
            flat.append({"level": level, "id": anchor, "name": text, "html": text, "data-toc-label": ""})
        return Converted("\n".join(parts), nest_toc_tokens(flat), title, frozenset(ids))

    def restore(self, html: str, blocks: dict[str, str]) -> str:
        """The HTML with every token paragraph replaced by its block."""
        if not blocks:
            return html
        return self._token.sub(lambda m: blocks.get(m.group(1), m.group(0)), html)
