"""Editorial pages (content/sivut/*.md) are as safe as records: checked on the links they make.

An editorial page is Markdown, so it may link. Whether a link is safe is decided on what the
Markdown becomes, not on how the source text looks: the page is converted with Python-Markdown
(raw HTML escaped, as the site does), the HTML is parsed back the way a browser reads it
(character references decoded), and every URL attribute is read as a browser's URL parser
would (tabs and newlines removed, leading controls and spaces stripped, "\\" read as "/").
Only http, https and mailto links and relative links inside the site survive; images must not
load from another host; attributes that run script (``onclick`` …) are refused.

Images: a page may show the PNG, JPEG and WebP files of content/sivut/kuvat/ (generator/images.py)
by a relative link, ``![what the picture shows](kuvat/name.png)``, and only with that alt text;
:func:`missing_targets` then checks that the file is there.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Callable, Collection
from urllib.parse import unquote, urlsplit

import markdown

from . import images
from .problems import Problem

# The site's extensions plus attr_list, which could set any attribute: a page is checked as
# if it were on (a stricter check never lets through what the site would turn into a link).
EXTENSIONS = ("tables", "toc", "attr_list")
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "poster", "data", "background",
                            "cite", "longdesc", "xlink:href", "ping", "manifest", "icon", "lowsrc", "dynsrc"})
SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([^/?#]*):")
_REMOVED = re.compile("[\t\n\r]")  # the URL parser drops these anywhere in a URL
_EDGE = "".join(map(chr, range(0x21)))  # ... and strips C0 controls and spaces at both ends
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_TABLE_ALIGN = re.compile(r"text-align: (left|right|center);")
IMAGE_FOLDER = f"content/sivut/{images.FOLDER}"


def source(body: str) -> str:
    """The page's Markdown as the site converts it: raw HTML shows as text."""
    return body.replace("<", "&lt;")


@dataclass(frozen=True)
class Unsafe:
    """One refused URL or attribute of a page, with the message an editor sees."""

    key: tuple[str, str, str]
    message: str


def browser_url(value: str) -> str:
    """An attribute's value (character references already decoded, as the HTML parser does)
    as a browser's URL parser reads it."""
    return _REMOVED.sub("", value).strip(_EDGE).replace("\\", "/")


def judge(tag: str, attribute: str, value: str) -> str | None:
    """Why this attribute of this element must not be on a page, or None when it may;
    ``value`` as the HTML parser decoded it."""
    if attribute == "style" and _TABLE_ALIGN.fullmatch(value.strip()):
        return None  # what the tables extension writes for an aligned column
    if attribute.startswith("on") or attribute in {"style", "formaction"}:
        return f'sivun Markdown tuottaisi HTML-määritteen "{attribute}", joka voi ajaa koodia; poista {{: …}} -määre'
    if tag == "img" and attribute == "alt" and not value.strip():
        return ("kuvalta puuttuu tekstivastine: kirjoita hakasulkeisiin suomeksi, mitä kuvassa näkyy, "
                "esim. ![Lomake, jossa hankkeen nimi on täytetty](kuvat/lomake.png)")
    if attribute not in URL_ATTRIBUTES:
        return None
    url = browser_url(value)
    shown = _shown(url)
    what = "kuvan osoite" if tag == "img" else "linkin osoite"
    if _CONTROL.search(url):
        return f"{what} {shown} sisältää ohjausmerkkejä; kirjoita osoite uudelleen"
    scheme = _SCHEME.match(url)
    remote = url.startswith("//") or bool(scheme)
    if tag == "img" and remote:
        return (f"kuva {shown} ladattaisiin toiselta palvelimelta; sivuilla ei näytetä ulkopuolisia kuvia "
                f"(tallenna kuva kansioon {IMAGE_FOLDER}/ tai linkitä kuvaan tavallisella linkillä)")
    if url.startswith("//") or (scheme and scheme.group(1).lower() not in SAFE_SCHEMES):
        return f"{what} {shown} ei kelpaa: sallittuja ovat http://, https://, mailto: ja sivuston sisäiset suhteelliset linkit"
    if url.startswith("/"):
        return (f"{what} {shown} alkaa kauttaviivalla; kirjoita sivuston sisäinen linkki suhteellisena "
                "(esim. hankkeet/index.md), niin se toimii missä osoitteessa tahansa")
    if attribute == "srcset" or (tag == "img" and attribute != "src"):
        return f'{what} {shown} on määritteessä "{attribute}"; kuva näytetään vain muodossa ![tekstivastine](kuvat/nimi.png)'
    if tag == "img" and not urlsplit(url).path.lower().endswith(images.SUFFIXES):
        return (f"{what} {shown} ei ole kuvatiedosto; sivuilla voi näyttää kansion {IMAGE_FOLDER}/ "
                f"{images.ALLOWED}")
    return None


def _shown(url: str) -> str:
    return f'"{url}"' if len(url) <= 60 else f'"{url[:57]}…"'


class _Attributes(HTMLParser):
    """Every (tag, attribute, value) of an HTML fragment; values decoded as a browser does."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend((tag, name.lower(), value or "") for name, value in attrs)
        if tag == "img" and not any(name.lower() == "alt" for name, _ in attrs):
            self.found.append((tag, "alt", ""))  # judged as an empty alt text

    handle_startendtag = handle_starttag


def _attributes(markdown_text: str) -> list[tuple[str, str, str]]:
    converter = markdown.Markdown(extensions=list(EXTENSIONS))
    parser = _Attributes()
    parser.feed(converter.convert(source(markdown_text)))
    parser.close()
    return parser.found


def _refused(markdown_text: str) -> list[Unsafe]:
    out = []
    for tag, attribute, value in _attributes(markdown_text):
        message = judge(tag, attribute, value)
        if message is not None:
            out.append(Unsafe((tag, attribute, value), message))
    return out


def check(body: str, path: str, first_line: int) -> list[Problem]:
    """Every refused link, image or attribute of a page body; ``first_line``: the body's first
    line in the file. Each is reported at the line where the page first makes it (for a
    reference-style link, the line of its definition)."""
    return _located(body, _refused(body), _refused, path, first_line)


def missing_targets(body: str, path: str, first_line: int, page_path: str, files: Collection[str]) -> list[Problem]:
    """Relative links of a page (generated at ``page_path``) to nothing among the generated
    ``files``. MkDocs resolves a relative link to a source file, and one it cannot resolve is a
    warning, which stops a strict build: this says so first, naming the page and line."""
    def dangling(markdown_text: str) -> list[Unsafe]:
        out = []
        for tag, attribute, value in _attributes(markdown_text):
            if attribute not in ("href", "src"):
                continue
            url = browser_url(value)
            target = _target(page_path, url)
            if tag == "img" and target is not None and (target not in files or not target.startswith(f"{images.FOLDER}/")):
                out.append(Unsafe((tag, attribute, value), _missing_image(url, target, files)))
            elif target is not None and target not in files:
                out.append(Unsafe((tag, attribute, value), _missing_message(url, target, files)))
        return out

    found = dangling(body)
    return _located(body, found, dangling, path, first_line) if found else []


def _target(page_path: str, url: str) -> str | None:
    """The generated file a relative link points at, as MkDocs resolves it; None for a link
    MkDocs does not resolve (another site, an anchor on the same page)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path or url.startswith("/"):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_path), unquote(parts.path))).lstrip("/")


def _missing_image(url: str, target: str, files: Collection[str]) -> str:
    name = posixpath.basename(target)
    if f"{images.FOLDER}/{name}" in files:
        return f'kuvan osoite "{url}" ei osoita kuvakansioon; kirjoita se muodossa {images.FOLDER}/{name}'
    return f'kuvaa "{url}" ei ole: tallenna kuva kansioon {IMAGE_FOLDER}/ ja kirjoita osoite muodossa {images.FOLDER}/{name}'


def _missing_message(url: str, target: str, files: Collection[str]) -> str:
    for guess in (posixpath.join(target, "index.md"), target.rstrip("/") + ".md"):
        if guess in files:
            return f'linkki "{url}" ei osoita sivuston sivuun; kirjoita linkki sivun Markdown-tiedostoon: {guess}'
    return f'linkki "{url}" osoittaa sivuun, jota sivustolla ei ole ({target}); linkitä olemassa olevaan sivuun, esim. hankkeet/index.md'


def _located(body: str, found: list[Unsafe], finder: Callable[[str], list[Unsafe]], path: str, first_line: int) -> list[Problem]:
    lines = body.splitlines(keepends=True)
    problems = []
    for position, unsafe in enumerate(found):
        line = _first_line_with(lines, unsafe, found[:position + 1].count(unsafe), finder)
        problems.append(Problem(path, first_line + line - 1, "", unsafe.message))
    return problems


def _first_line_with(lines: list[str], unsafe: Unsafe, count: int, finder: Callable[[str], list[Unsafe]]) -> int:
    """The fewest lines of the body that already make ``unsafe`` ``count`` times (bisection:
    a few conversions, and only for a page that has something to report)."""
    low, high = 1, len(lines)
    while low < high:
        middle = (low + high) // 2
        if finder("".join(lines[:middle])).count(unsafe) >= count:
            high = middle
        else:
            low = middle + 1
    return low
