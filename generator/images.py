"""Images of the editorial pages: files in content/sivut/kuvat/, copied into the site byte for byte.

Only raster images a browser shows as pictures are taken (PNG, JPEG, WebP, told by their first
bytes as well as their name: an SVG or an HTML file renamed .png is refused, since SVG can carry
script). A page shows one with ``![what the picture shows](kuvat/name.png)``; the alt text is
required (generator/editorial.py), and the image is published at ``kuvat/name.png`` beside the
pages, so the same relative link works in the repository and on the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem

FOLDER = "kuvat"  # under content/sivut/, and the folder of the built site they are published in
MAX_BYTES = 400_000
# Suffix → (the format's name in messages, a test on the file's first bytes).
FORMATS = {
    ".png": ("PNG", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ".jpg": ("JPEG", lambda head: head.startswith(b"\xff\xd8\xff")),
    ".jpeg": ("JPEG", lambda head: head.startswith(b"\xff\xd8\xff")),
    ".webp": ("WebP", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
}
SUFFIXES = tuple(FORMATS)
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ALLOWED = "PNG-, JPEG- ja WebP-kuvia (.png, .jpg, .webp)"


@dataclass(frozen=True)
class Image:
    """One image: its name inside kuvat/ (``lomake.png``), where it came from, its bytes."""

    name: str
    path: str
    data: bytes = field(repr=False)

    @property
    def site_path(self) -> str:
        """Where the built site has it, relative to the docs root (and to the editorial pages)."""
        return f"{FOLDER}/{self.name}"


def read(path: Path, rel: str, problems: list[Problem]) -> Image | None:
    """The image at ``path`` (``rel``: as messages name it), or None with its problems added."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS or path.suffix != suffix:
        problems.append(Problem(rel, None, "", f"kuvakansiossa saa olla vain {ALLOWED}; "
                                f"tiedostopääte pienin kirjaimin (esim. lomake.png)"))
        return None
    if not _NAME.match(path.stem):
        problems.append(Problem(rel, None, "", "kuvan tiedostonimessä saa olla vain pieniä kirjaimia a–z, numeroita ja "
                                "väliviivoja (esim. lomake-hanke.png)"))
        return None
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.append(Problem(rel, None, "", f"tiedostoa ei voi lukea: {error.strerror or error}"))
        return None
    if len(data) > MAX_BYTES:
        problems.append(Problem(rel, None, "", f"kuva on liian suuri ({len(data) // 1000} kt, enintään {MAX_BYTES // 1000} kt); "
                                "pienennä kuvaa tai tallenna se pakatummin"))
        return None
    name, looks_right = FORMATS[suffix]
    if not looks_right(data[:16]):
        problems.append(Problem(rel, None, "", f"tiedosto ei ole {name}-kuva, vaikka sen nimi on {path.name}; "
                                f"tallenna kuva {name}-muodossa"))
        return None
    return Image(name=path.name, path=rel, data=data)
