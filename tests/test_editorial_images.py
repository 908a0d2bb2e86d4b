"""Images on editorial pages: local PNG/JPEG/WebP files from content/sivut/kuvat/, with alt text,
copied into the site byte for byte; everything else is refused with a Finnish message naming
the file and line."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from generator import images
from generator.pipeline import generate

from .test_bad_input import problems, write

PAGE = "content/sivut/tietoa.md"
HEAD = "---\ntitle: Tietoa\n---\n\n"  # the body starts on line 5


def png(width: int = 4, height: int = 3) -> bytes:
    """A real PNG (a few orange pixels)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\0" + bytes([230, 120, 30]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def with_page(content: Path, body: str) -> None:
    write(content, "sivut/tietoa.md", HEAD + body)


def test_a_local_image_with_alt_text_is_published_byte_for_byte(content: Path) -> None:
    data = png()
    write(content, "sivut/kuvat/lomake.png", data)
    write(content, "sivut/kuvat/kuva-2.jpg", b"\xff\xd8\xff\xe0" + bytes(range(256)))
    write(content, "sivut/kuvat/kuva-3.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 " + bytes(8))
    with_page(content, "Teksti.\n\n![Lomake, jossa hankkeen nimi](kuvat/lomake.png)\n\n![Toinen kuva](kuvat/kuva-2.jpg)\n")
    files = generate(content)
    assert files["kuvat/lomake.png"] == data and isinstance(files["kuvat/lomake.png"], bytes)
    assert files["kuvat/kuva-2.jpg"].startswith(b"\xff\xd8\xff")
    assert "kuvat/kuva-3.webp" in files
    assert "![Lomake, jossa hankkeen nimi](kuvat/lomake.png)" in files["tietoa.md"]


def test_an_image_without_alt_text_is_refused_at_its_line(content: Path) -> None:
    write(content, "sivut/kuvat/lomake.png", png())
    with_page(content, "Teksti.\n\n![](kuvat/lomake.png)\n\n![ ](kuvat/lomake.png)\n")
    message = ("kuvalta puuttuu tekstivastine: kirjoita hakasulkeisiin suomeksi, mitä kuvassa näkyy, "
               "esim. ![Lomake, jossa hankkeen nimi on täytetty](kuvat/lomake.png)")
    assert problems(content) == [f"{PAGE}:7: {message}", f"{PAGE}:9: {message}"]


def test_a_missing_image_is_named_with_where_to_put_it(content: Path) -> None:
    write(content, "sivut/kuvat/lomake.png", png())
    with_page(content, "![Lomake](kuvat/lomke.png)\n\n![Lomake](lomake.png)\n")
    assert problems(content) == [
        f'{PAGE}:5: kuvaa "kuvat/lomke.png" ei ole: tallenna kuva kansioon content/sivut/kuvat/ ja kirjoita osoite muodossa kuvat/lomke.png',
        f'{PAGE}:7: kuvan osoite "lomake.png" ei osoita kuvakansioon; kirjoita se muodossa kuvat/lomake.png']


@pytest.mark.parametrize("src", ["https://evil.example/p.png", "//evil.example/p.png", "data:image/png;base64,iVBORw0KGgo="])
def test_a_remote_or_inline_image_is_refused(content: Path, src: str) -> None:
    with_page(content, f"![Kuva]({src})\n")
    [found] = problems(content)
    assert found.startswith(f"{PAGE}:5: kuva") and "ladattaisiin toiselta palvelimelta" in found


@pytest.mark.parametrize("src", ["kuvat/kuva.svg", "kuvat/sivu.html", "kuvat/kuva.gif", "assets/hankekirjasto.css"])
def test_only_png_jpeg_and_webp_can_be_shown(content: Path, src: str) -> None:
    with_page(content, f"![Kuva]({src})\n")
    assert problems(content) == [f'{PAGE}:5: kuvan osoite "{src}" ei ole kuvatiedosto; sivuilla voi näyttää kansion '
                                 "content/sivut/kuvat/ PNG-, JPEG- ja WebP-kuvia (.png, .jpg, .webp)"]


def test_srcset_is_refused(content: Path) -> None:
    write(content, "sivut/kuvat/lomake.png", png())
    with_page(content, '![Lomake](kuvat/lomake.png){: srcset="kuvat/lomake.png 2x" }\n')
    assert problems(content) == [f'{PAGE}:5: kuvan osoite "kuvat/lomake.png 2x" on määritteessä "srcset"; '
                                 "kuva näytetään vain muodossa ![tekstivastine](kuvat/nimi.png)"]


BAD_IMAGES = {
    # An SVG (which can carry script) by any name, HTML renamed .png, a GIF: refused by their bytes or name.
    "kuva.svg": (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                 "kuvakansiossa saa olla vain PNG-, JPEG- ja WebP-kuvia (.png, .jpg, .webp); tiedostopääte pienin kirjaimin (esim. lomake.png)"),
    "kuva.png": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                 "tiedosto ei ole PNG-kuva, vaikka sen nimi on kuva.png; tallenna kuva PNG-muodossa"),
    "sivu.jpg": (b"<html><script>alert(1)</script></html>", "tiedosto ei ole JPEG-kuva, vaikka sen nimi on sivu.jpg; tallenna kuva JPEG-muodossa"),
    "kuva.webp": (png(), "tiedosto ei ole WebP-kuva, vaikka sen nimi on kuva.webp; tallenna kuva WebP-muodossa"),
    "KUVA.PNG": (png(), "kuvakansiossa saa olla vain PNG-, JPEG- ja WebP-kuvia (.png, .jpg, .webp); tiedostopääte pienin kirjaimin (esim. lomake.png)"),
    "Kuva 1.png": (png(), "kuvan tiedostonimessä saa olla vain pieniä kirjaimia a–z, numeroita ja väliviivoja (esim. lomake-hanke.png)"),
    "iso.png": (png() + bytes(images.MAX_BYTES),
                f"kuva on liian suuri ({(len(png()) + images.MAX_BYTES) // 1000} kt, enintään {images.MAX_BYTES // 1000} kt); "
                "pienennä kuvaa tai tallenna se pakatummin"),
}


@pytest.mark.parametrize("name", sorted(BAD_IMAGES))
def test_a_file_in_the_image_folder_that_is_not_a_safe_small_image_is_refused(content: Path, name: str) -> None:
    data, message = BAD_IMAGES[name]
    write(content, f"sivut/kuvat/{name}", data)
    assert problems(content) == [f"content/sivut/kuvat/{name}: {message}"]


def test_every_bad_image_is_reported_at_once(content: Path) -> None:
    for name, (data, _) in BAD_IMAGES.items():
        write(content, f"sivut/kuvat/{name}", data)
    assert len(problems(content)) == len(BAD_IMAGES)


def test_an_image_beside_the_pages_is_told_where_images_go(content: Path) -> None:
    write(content, "sivut/lomake.png", png())
    assert problems(content) == ["content/sivut/lomake.png: sivut-kansiossa saa olla vain .md-sivuja; kuvat kansioon sivut/kuvat/"]


def test_an_image_folder_cannot_be_an_editorial_page(content: Path) -> None:
    write(content, "sivut/kuvat.md", HEAD + "Teksti.\n")
    assert problems(content) == ["content/sivut/kuvat.md: sivun osoite /kuvat/ on sivuston oman kansion nimi; valitse toinen tiedostonimi"]
