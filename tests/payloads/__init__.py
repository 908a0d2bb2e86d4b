"""A corpus of hostile record text: every way we know to turn text into markup.

The records under ``content/`` are valid records whose text fields carry the strings below.
``install`` copies them (and one hostile vocabulary term) over a copy of the fixture site's
content, so the tests can check them, render them, build them and open them in a browser.
Payloads that would run set ``window.__pwned`` so a browser test can tell that one ran.
"""

from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONTENT = HERE / "content"

# One line each: these go into single-line fields and table cells as they are.
LINE_PAYLOADS: list[str] = [
    "<script>window.__pwned=1;alert(1)</script>",
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    '<svg onload="window.__pwned=1">',
    '<iframe src="javascript:window.__pwned=1"></iframe>',
    '<a href="javascript:window.__pwned=1">linkki</a>',
    '<details open ontoggle="window.__pwned=1">auki</details>',
    "<style>body{display:none}</style>",
    "[klik](javascript:window.__pwned=1)",
    "[klik](<javascript:window.__pwned=1>)",
    "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](x onerror=window.__pwned=1)",
    "[x][1] [1]: javascript:window.__pwned=1",
    "<javascript:window.__pwned=1>",
    "<https://example.org/autolink> <nobody@example.org>",
    "<!-- kommentti nielisi loput sivusta",
    "</div></article></main>",
    '{: onclick="window.__pwned=1" }',
    "{ .x onmouseover=window.__pwned=1 }",
    "{#tunniste .luokka data-x=1}",
    '<div markdown="1">*x*</div>',
    "{{ config }}",
    "{% include 'x' %}",
    "{# x #}",
    "a | b | c",
    "|---|---|",
    "# Otsikko",
    "## Toinen otsikko ##",
    "C# ja F#",
    "&lt;script&gt;alert(1)&lt;/script&gt; &#60;b&#62; &amp;",
    "C:\\temp\\ \\*ei korostusta\\* loppuu kenoviivaan\\",
    "*tähti* _alaviiva_ **lihava** __x__ ~~yli~~ ^ylä^ $x$",
    "`<b>koodi</b>`",
    "1. vaihe",
    "2) toinen",
    "> lainaus",
    "+ plus",
    "- miinus",
    ": määritelmä",
    "=====",
    "---",
    "%% kommentti",
    "!!! note",
]

# Several lines: these go into the long text fields (paragraphs and lists are rebuilt).
BLOCK_PAYLOADS: list[str] = [
    "```html\n<script>window.__pwned=1</script>\n```",
    "~~~\n<img src=x onerror=window.__pwned=1>\n~~~",
    "    <script>window.__pwned=1</script>",
    "[x][1]\n\n[1]: javascript:window.__pwned=1",
    "[y][]\n\n[y]: <javascript:window.__pwned=1>",
    "Termi\n:   <img src=x onerror=window.__pwned=1>",
    "Otsikko\n=======",
    "Otsikko\n-------",
    "| a | b |\n|---|---|\n| <img src=x onerror=window.__pwned=1> | 2 |",
    "<div>\n<script>window.__pwned=1</script>\n</div>",
    'Kappale\n{: onclick="window.__pwned=1" }',
    "- kohta <b>lihava</b>\n- [klik](javascript:window.__pwned=1)\n  {: onclick=\"window.__pwned=1\" }",
]

# Markers that must never reach the page as markup.
PWNED = "__pwned"


def install(content: Path) -> None:
    """Copy the hostile records into ``content`` (a copy of the fixture site's content)."""
    for source in sorted(CONTENT.rglob("*")):
        if source.is_file():
            target = content / source.relative_to(CONTENT)
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.parent.name == "vocabularies" and target.exists():
                existing = target.read_text(encoding="utf-8").rstrip("\n") + "\n"
                target.write_text(existing + source.read_text(encoding="utf-8"), encoding="utf-8")
            else:
                shutil.copyfile(source, target)


def record_files() -> list[Path]:
    return sorted(p for p in CONTENT.rglob("*") if p.is_file() and p.parent.name != "vocabularies")
