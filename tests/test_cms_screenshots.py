"""scripts/cms_screenshots.py, the part that runs without a browser: recompressing a PNG keeps
its pixels and makes it no larger."""

from __future__ import annotations

import importlib.util
import struct
import zlib
from pathlib import Path

from generator import images

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "cms_screenshots.py"


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("cms_screenshots", SCRIPT)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    out, position = [], 8
    while position < len(png):
        (length,) = struct.unpack(">I", png[position:position + 4])
        kind, body = png[position + 4:position + 8], png[position + 8:position + 8 + length]
        assert struct.unpack(">I", png[position + 8 + length:position + 12 + length])[0] == zlib.crc32(kind + body) & 0xFFFFFFFF
        out.append((kind, body))
        position += 12 + length
    return out


def _pixels(png: bytes) -> bytes:
    return zlib.decompress(b"".join(body for kind, body in _chunks(png) if kind == b"IDAT"))


def test_recompressing_keeps_the_pixels_and_the_other_chunks() -> None:
    width, height = 64, 40
    raw = b"".join(b"\0" + b"".join(bytes((x * 4 % 256, y * 6 % 256, 128)) for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    compressed = zlib.compress(raw, 1)
    halves = [compressed[: len(compressed) // 2], compressed[len(compressed) // 2:]]  # two IDAT chunks, as encoders write

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + b"".join(chunk(b"IDAT", h) for h in halves) + chunk(b"IEND", b"")
    out = _script().recompress(png)
    assert _pixels(out) == raw
    assert [kind for kind, _ in _chunks(out)] == [b"IHDR", b"IDAT", b"IEND"]
    assert len(out) <= len(png)
    assert images.FORMATS[".png"][1](out[:16])
