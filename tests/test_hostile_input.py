"""Hostile and careless input, round two: editorial pages, the file system, the feed, check = build.

Each class of input has tests that fail when its protection is taken away: the exact message a
person sees (``path:line: field: message``), and for what reaches a reader, the built output.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import editorial, opendata, textfmt
from generator.pipeline import check, generate
from generator.problems import ContentError

from .browser_support import mkdocs_build
from .test_bad_input import RIKKI, VALID, problems, write

PAGE = "content/sivut/tietoa.md"
HEAD = "---\ntitle: Tietoa\n---\n\n"  # the body starts on line 5
SCHEME_MESSAGE = "ei kelpaa: sallittuja ovat http://, https://, mailto: ja sivuston sisäiset suhteelliset linkit"


def page_problems(content: Path, body: str, name: str = "tietoa.md") -> list[str]:
    write(content, f"sivut/{name}", HEAD + body)
    return problems(content)


def snapshot(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


# ------------------------------------------------------------- 1. editorial pages are safe


HOSTILE_LINKS = [
    "[klik](javascript&colon;alert(1))",
    "[klik](&#106;avascript:alert(1))",
    "[klik](&#x6A;avascript&#x3A;alert(1))",
    "[klik](java\tscript:alert(1))",
    "[klik](ja&#x09;vascript:alert(1))",
    "[klik](ja&Tab;vascript:alert(1))",
    "[klik](java&NewLine;script:alert(1))",
    "[klik](\x01javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik]( javascript:alert(1))",
    "[klik](<javascript:alert(1)>)",
    "[klik](vbscript:msgbox(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD4=)",
    "[klik](file:///etc/passwd)",
    "[klik](//evil.example/x)",
    "[klik](\\\\evil.example/x)",
    "[klik][viite]\n\n[viite]: javascript:alert(1)",
    "[klik][viite]\n\n[viite]: <javascript&colon;alert(1)>",
    "[viite]\n\n[viite]: data:text/html,x",
    "[klik](https://example.org){: onclick=\"alert(1)\" }",
    "[klik](https://example.org){: href=\"javascript:alert(1)\" }",
]


@pytest.mark.parametrize("body", HOSTILE_LINKS)
def test_a_link_that_is_not_http_https_mailto_or_relative_is_refused(content: Path, body: str) -> None:
    found = page_problems(content, body)
    assert len(found) == 1 and found[0].startswith(f"{PAGE}:"), found


def test_the_refusal_names_file_line_and_the_url_as_a_browser_reads_it(content: Path) -> None:
    body = "Ensimmäinen kappale.\n\n[klik](javascript&colon;alert(1))\n\n[toinen][r]\n\nLisää tekstiä.\n\n[r]: VBScript:x\n"
    assert page_problems(content, body) == [
        f'{PAGE}:7: linkin osoite "javascript:alert(1)" {SCHEME_MESSAGE}',
        f'{PAGE}:13: linkin osoite "VBScript:x" {SCHEME_MESSAGE}',
    ]


@pytest.mark.parametrize("image", ["https://evil.example/pixel.png", "http://evil.example/p.gif", "//evil.example/p.png",
                                   "&#104;ttps://evil.example/p.png"])
def test_a_remote_image_is_refused(content: Path, image: str) -> None:
    [found] = page_problems(content, f"Teksti.\n\n![kuva]({image})\n")
    assert found.startswith(f"{PAGE}:7: kuva \"") and found.endswith(
        "ladattaisiin toiselta palvelimelta; sivuilla ei näytetä ulkopuolisia kuvia (tallenna kuva kansioon "
        "content/sivut/kuvat/ tai linkitä kuvaan tavallisella linkillä)")


def test_a_reference_style_remote_image_is_refused_at_its_definition(content: Path) -> None:
    assert page_problems(content, "![kuva][k]\n\n[k]: https://evil.example/p.png\n") == [
        f'{PAGE}:7: kuva "https://evil.example/p.png" ladattaisiin toiselta palvelimelta; sivuilla ei näytetä '
        "ulkopuolisia kuvia (tallenna kuva kansioon content/sivut/kuvat/ tai linkitä kuvaan tavallisella linkillä)"]


def test_safe_links_pass_and_link_like_text_is_just_text(content: Path) -> None:
    body = ("[Innokylä](https://innokyla.fi/javascript:kohta) [posti](mailto:toimitus@example.org) "
            "[sivu](http://example.org) [hankkeet](hankkeet/index.md) [kohta](#mista-tiedot-ovat)\n\n"
            "Kirjoita javascript:alert(1) vain tekstinä; <a href=\"javascript:x\">ei linkki</a>.\n")
    write(content, "sivut/tietoa.md", HEAD + body)
    site = check(content)
    assert "tietoa" in site.corpus.pages


def test_what_the_sites_extensions_write_passes(content: Path) -> None:
    """Aligned table columns (the tables extension writes style="text-align: …") and heading ids."""
    write(content, "sivut/tietoa.md", HEAD + "## Otsikko\n\n| a | b | c |\n|:--|--:|:-:|\n| 1 | 2 | 3 |\n")
    check(content)
    assert page_problems(content, "[a](https://example.org){: style=\"background:url(javascript:x)\" }\n") == [
        f'{PAGE}:5: sivun Markdown tuottaisi HTML-määritteen "style", joka voi ajaa koodia; poista {{: …}} -määre']


def test_an_absolute_path_is_refused_as_the_strict_build_would(content: Path) -> None:
    assert page_problems(content, "[hankkeet](/hankkeet/)\n") == [
        f'{PAGE}:5: linkin osoite "/hankkeet/" alkaa kauttaviivalla; kirjoita sivuston sisäinen linkki suhteellisena '
        "(esim. hankkeet/index.md), niin se toimii missä osoitteessa tahansa"]


SAFE_SCHEMES = {"http", "https", "mailto"}
URL_PIECES = ["javascript", "java", "script", ":", "&colon;", "&#58;", "&#x3a;", "&#106;", "\t", "&Tab;", "&#9;",
              "\x01", " ", "/", "\\", "//", "https", "mailto", "data", "alert(1)", "&", ";", "#", "<", ">", "%3A", "x"]


class _Hrefs(__import__("html.parser").parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value or "" for name, value in attrs if name in ("href", "src")]


def _scheme_as_browser_reads(url: str) -> str | None:
    url = re.sub("[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    found = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):", url)
    return found.group(1).lower() if found else None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(URL_PIECES), min_size=1, max_size=8), st.booleans())
def test_any_link_that_passes_the_check_is_safe_in_the_html(pieces: list[str], reference: bool) -> None:
    url = "".join(pieces)
    body = f"[klik][r]\n\n[r]: {url}\n" if reference else f"[klik]({url}) ![kuva]({url})\n"
    if editorial.check(body, "x.md", 1):
        return
    parser = _Hrefs()
    parser.feed(markdown.markdown(editorial.source(body), extensions=list(editorial.EXTENSIONS)))
    for found in parser.urls:
        assert _scheme_as_browser_reads(found) in SAFE_SCHEMES | {None}, (body, found)
        assert not found.replace("\\", "/").lstrip().startswith("//"), (body, found)


def test_a_built_editorial_page_carries_no_script_link(site_copy: Path, tmp_path: Path) -> None:
    write(site_copy / "content", "sivut/tietoa.md", HEAD + "[Innokylä](https://innokyla.fi/) [posti](mailto:a@example.org)\n")
    assert mkdocs_build(site_copy, tmp_path / "site").returncode == 0
    html = (tmp_path / "site" / "tietoa" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://innokyla.fi/"' in html and 'href="mailto:a@example.org"' in html


# ------------------------------------------------ 2. nothing outside content/ is published


def test_a_symlinked_file_that_leads_outside_is_refused(content: Path, tmp_path: Path) -> None:
    outside = tmp_path / "salaisuus.yml"
    outside.write_text(VALID, encoding="utf-8")
    (content / "hankkeet" / "linkki.yml").symlink_to(outside)
    assert problems(content) == [
        "content/hankkeet/linkki.yml: symbolinen linkki osoittaa sisältökansion ulkopuolelle tai tiedostoon, jota ei ole; "
        "sivustolle ei julkaista mitään content-kansion ulkopuolelta: kopioi tiedosto kansioon tai poista linkki"]


def test_a_symlinked_folder_that_leads_outside_is_refused_and_not_read(content: Path, tmp_path: Path) -> None:
    outside = tmp_path / "muualla"
    outside.mkdir()
    (outside / "x.yml").write_text("rikki: [", encoding="utf-8")
    (content / "toimintamallit" / "lisaa").symlink_to(outside, target_is_directory=True)
    [found] = problems(content)
    assert found.startswith("content/toimintamallit/lisaa: symbolinen linkki osoittaa sisältökansion ulkopuolelle")


def test_a_dangling_symlink_is_refused(content: Path, tmp_path: Path) -> None:
    (content / "sivut" / "kadonnut.md").symlink_to(tmp_path / "ei-ole.md")
    [found] = problems(content)
    assert found.startswith("content/sivut/kadonnut.md: symbolinen linkki")


def test_the_build_publishes_nothing_from_outside_nor_any_raw_record(site_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "muualla"
    outside.mkdir()
    (outside / "ulkona.html").write_text("<script>window.__pwned=1</script>", encoding="utf-8")
    (site_copy / "content" / "ulkona").symlink_to(outside, target_is_directory=True)
    site = tmp_path / "site"
    result = mkdocs_build(site_copy, site)
    assert result.returncode == 1 and "content/ulkona: symbolinen linkki" in result.stderr
    assert not site.exists()
    (site_copy / "content" / "ulkona").unlink()
    # A link to a folder inside content/ (MkDocs would follow it, for ever when it leads up).
    (site_copy / "content" / "kopio").symlink_to(site_copy / "content", target_is_directory=True)
    result = mkdocs_build(site_copy, site)
    assert result.returncode == 1 and "content/kopio: symbolinen linkki kansioon; kansiolinkkejä ei seurata" in result.stderr
    (site_copy / "content" / "kopio").unlink()
    # A link to a file inside content/ is read as that file; no record is copied as it is.
    (site_copy / "content" / "hankkeet" / "kopio.yml").symlink_to(site_copy / "content" / "hankkeet" / "malli-hanke.yml")
    (site_copy / "content" / "README.md").write_text("Ylläpitäjille.\n", encoding="utf-8")
    assert mkdocs_build(site_copy, site).returncode == 0
    assert (site / "hankkeet" / "kopio" / "index.html").exists()
    built = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert not [p for p in built if (p.endswith((".yml", ".yaml")) and p != "admin/config.yml") or p.startswith(("kopio/", "ulkona"))]
    assert not [p for p in built if p.endswith(".md")]


# ------------------------------------------------------ 3. errors do not echo a file's text


@pytest.mark.parametrize("text", ["salasana=hunter2-" + "x" * 5000, "'pitkä lainattu " + "y" * 900_000 + "'", "12345"])
def test_a_file_that_is_not_a_mapping_is_named_not_echoed(content: Path, text: str) -> None:
    write(content, "hankkeet/rikki.yml", text)
    [found] = problems(content)
    assert found.startswith(f"{RIKKI}:1: tiedoston pitää olla YAML-sanakirja (avain: arvo), nyt se on pelkkä arvo, joka alkaa ")
    assert len(found) < 200 and (len(text) < 20 or text[25:45] not in found)


def test_a_scalar_front_matter_is_not_echoed_either(content: Path) -> None:
    write(content, "sivut/tietoa.md", "---\nhunter2-salainen-avain-ABCDEFGHIJKLMNOP\n---\nTeksti\n")
    assert problems(content) == ['content/sivut/tietoa.md:2: tiedoston pitää olla YAML-sanakirja (avain: arvo), '
                                 'nyt se on pelkkä arvo, joka alkaa "hunter2-salainen-ava…"']


@pytest.mark.parametrize("extra", [
    "themes: [{long}]\n", "implementers: [{long}]\n", "{long}: 1\n", "title: toinen\ntitle: {long}\n",
    "need: kolme\nneed: kaksi\n{long}: x\n{long}: y\n",
])
def test_a_huge_value_or_key_is_quoted_short(content: Path, extra: str) -> None:
    long = "salaisuus" + "x" * 50_000
    write(content, "hankkeet/rikki.yml", VALID + extra.format(long=long))
    found = problems(content)
    assert found and all(len(message) < 1100 and "x" * 100 not in message for message in found)


# ------------------------------------------------------------- 4. check and build agree


@pytest.mark.parametrize("name", ["Tietoa sivusta.md", "tietoa(1).md", "a<b.md", "ÄÄKKÖSET.md", "rivi\nvaihto.md"])
def test_an_editorial_page_name_the_build_cannot_use_fails_the_check(content: Path, name: str) -> None:
    write(content, f"sivut/{name}", HEAD + "Teksti.\n")
    [found] = problems(content)
    shown = name.replace("\n", "\\n")
    assert found == (f"content/sivut/{shown}: tiedostonimessä saa olla vain pieniä kirjaimia a–z, numeroita ja "
                     "väliviivoja (esim. tietoa.md)")


@pytest.mark.parametrize(("link", "message"), [
    ("hankkeet/", 'linkki "hankkeet/" ei osoita sivuston sivuun; kirjoita linkki sivun Markdown-tiedostoon: hankkeet/index.md'),
    ("selaa", 'linkki "selaa" ei osoita sivuston sivuun; kirjoita linkki sivun Markdown-tiedostoon: selaa.md'),
    ("puuttuva.md", 'linkki "puuttuva.md" osoittaa sivuun, jota sivustolla ei ole (puuttuva.md); linkitä olemassa olevaan '
                    "sivuun, esim. hankkeet/index.md"),
])
def test_an_editorial_link_to_nothing_fails_the_check_before_the_build(content: Path, link: str, message: str) -> None:
    assert page_problems(content, f"Katso [tämä]({link}).\n") == [f"{PAGE}:5: {message}"]


def test_an_editorial_link_that_checks_builds_strict(site_copy: Path, tmp_path: Path) -> None:
    write(site_copy / "content", "sivut/tietoa.md", HEAD + "[Hankkeet](hankkeet/index.md) [malli](toimintamallit/malli.md)\n")
    check(site_copy / "content")
    result = mkdocs_build(site_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr


def _fake_failing_pagefind(tmp_path: Path) -> Path:
    binary = tmp_path / "pagefind"
    binary.write_text("#!/bin/sh\necho 'rikki' >&2\nexit 3\n", encoding="utf-8")
    binary.chmod(0o755)
    return binary


def test_a_build_that_fails_at_search_indexing_leaves_site_as_it_was(site_copy: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert mkdocs_build(site_copy, site).returncode == 0
    before = snapshot(site)
    write(site_copy / "content", "sivut/index.md", "---\ntitle: Etusivu\n---\n\n# Uusi etusivu\n")
    result = mkdocs_build(site_copy, site, PAGEFIND_BINARY_PATH=str(_fake_failing_pagefind(tmp_path)))
    assert result.returncode == 1 and "Pagefind" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pagefind", "site", "site-src"]  # no staging left behind
    assert mkdocs_build(site_copy, site).returncode == 0
    assert "Uusi etusivu" in (site / "index.html").read_text(encoding="utf-8")


def test_a_build_that_fails_the_strict_check_after_writing_leaves_site_as_it_was(site_copy: Path, tmp_path: Path) -> None:
    """A warning at the very end (MkDocs aborts a strict build after every file is written)."""
    site = tmp_path / "site"
    assert mkdocs_build(site_copy, site).returncode == 0
    before = snapshot(site)
    (site_copy / "myohassa.py").write_text(
        "import logging\n\ndef on_post_build(config):\n    logging.getLogger('mkdocs.hooks.myohassa').warning('myöhäinen varoitus')\n",
        encoding="utf-8")
    config = site_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks:\n  - myohassa.py\n", encoding="utf-8")
    write(site_copy / "content", "sivut/index.md", "---\ntitle: Etusivu\n---\n\n# Uusi etusivu\n")
    result = mkdocs_build(site_copy, site, quiet=False)  # -q would hide the warning from strict mode too
    assert result.returncode == 1 and "myöhäinen varoitus" in result.stderr
    assert snapshot(site) == before


# ------------------------------------------------------- 5. feed and data stay well-formed


@pytest.mark.parametrize(("escape", "name"), [
    ("\\x00", "NUL (U+0000)"), ("\\v", "pystysarkain (U+000B)"), ("\\x1b", "ohjausmerkki (U+001B)"),
    ("\\uFFFE", "ei-merkki (U+FFFE)"), ("\\uFFFF", "ei-merkki (U+FFFF)"), ("\\uD800", "puolikas merkki (U+D800)"),
    ("\\u202E", "oikealta vasemmalle -ohitus (U+202E)"), ("\\u2066", "suuntamerkki (U+2066)"),
    ("\\u200F", "suuntamerkki (U+200F)"), ("\\N", "NEL-rivinvaihto (U+0085)"),
    ("\\L", "rivinerotin (U+2028)"),
])
@pytest.mark.parametrize("field", ["title", "summary"])
def test_a_character_no_output_may_hold_is_refused_in_any_field(content: Path, escape: str, name: str, field: str) -> None:
    text = VALID.replace(f"{field}: ", f'{field}: "Alku{escape}loppu"\nx_{field}: ', 1)
    text = "\n".join(line for line in text.splitlines() if not line.startswith("x_")) + "\n"
    write(content, "hankkeet/rikki.yml", text)
    line = 1 if field == "title" else 2
    expected = (f"{RIKKI}:{line}: YAML-syntaksivirhe: lainausmerkeissä on \\u-merkkikoodi, joka ei ole merkki; poista se "
                "(found invalid Unicode character escape code)" if escape == "\\uD800"  # libyaml refuses it itself
                else f"{RIKKI}:{line}: {field}: tekstissä on näkymätön merkki {name}, joka ei kuulu tekstiin; poista se")
    assert problems(content) == [expected]


def test_vocabulary_labels_are_checked_the_same_way(content: Path) -> None:
    write(content, "vocabularies/themes.yml", 'tyollisyys: {label: "Työ\\u202Ellisyys"}\nosallisuus: {label: Osallisuus}\n')
    assert ("content/vocabularies/themes.yml:1: tyollisyys.label: tekstissä on näkymätön merkki "
            "oikealta vasemmalle -ohitus (U+202E), joka ei kuulu tekstiin; poista se") in problems(content)


def _site_with_raw_title(content: Path, title: str):  # type: ignore[no-untyped-def]
    """A linked site whose one record's title bypassed validation (output's second defence)."""
    site = check(content)
    record = site.records["malli"]
    record.data = record.data.model_copy(update={"title": title, "summary": title})
    for key in [k for k in record.__dict__ if k.startswith("_memo_")]:
        del record.__dict__[key]
    return site


BAD_TEXT = "A\x00B\x0bC\x1fD\ufffeE\uffffF\ud800G\u202eH\u2066I\u200f"


def test_the_feed_json_and_csv_stay_well_formed_whatever_a_field_holds(content: Path) -> None:
    site = _site_with_raw_title(content, BAD_TEXT)
    feed = opendata.atom_feed(site)
    ET.fromstring(feed.encode("utf-8"))  # raises on a character XML forbids
    assert "<title>ABCDEFGHI</title>" in feed
    files = opendata.files(site, [])
    data = json.loads(files["data/hankekirjasto.json"].encode("utf-8"))
    assert "ABCDEFGHI" in {r["title"] for r in data["records"]}
    rows = list(csv.DictReader(io.StringIO(files["data/toimintamallit.csv"])))
    assert "ABCDEFGHI" in {r["title"] for r in rows}
    for text in files.values():
        text.encode("utf-8")  # no lone surrogate: every file can be written


def test_titles_never_show_bidi_controls(content: Path) -> None:
    assert str(textfmt.inline("abc\u202edef\u2067x\u200fy\u061c")) == "abcdefxy"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "＝", "＋", "－", "＠", "﹦", "﹢", "﹣", "﹫"])
def test_csv_neutralises_every_formula_start(start: str) -> None:
    assert opendata._cell(f"{start}HYPERLINK(\"https://evil.example\")").startswith("'")


def test_csv_leaves_ordinary_text_alone() -> None:
    assert opendata._cell("Työllisyys – 2025") == "Työllisyys – 2025"


# ------------------------------------------------- 6. silent acceptance is now an error


def test_the_same_value_twice_in_a_list(content: Path) -> None:
    write(content, "hankkeet/rikki.yml", VALID + "themes: [tyollisyys, osallisuus, tyollisyys]\n"
          "implementers:\n  - esimerkki-ry\n  - esimerkki-ry\n")
    assert problems(content) == [
        f'{RIKKI}:6: themes[2]: "tyollisyys" on listassa jo kohdassa themes[0]; poista toinen',
        f'{RIKKI}:9: implementers[1]: "esimerkki-ry" on listassa jo kohdassa implementers[0]; poista toinen',
    ]


def test_a_practice_both_related_and_not_related(content: Path) -> None:
    path = content / "toimintamallit" / "malli.yml"
    path.write_text(path.read_text(encoding="utf-8") + "related: [toinen-malli]\nnot_related:\n  - toinen-malli\n", encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("  - toinen-malli") + 1
    assert problems(content) == [f'content/toimintamallit/malli.yml:{line}: not_related[0]: "toinen-malli" on sekä '
                                 "related- että not_related-listassa; poista toisesta"]


def test_a_cycle_of_parent_funders(content: Path) -> None:
    write(content, "vocabularies/funders.yml", 'esr-plus: {label: ESR+, parent: kake}\nkake: {label: KAKE, parent: stea}\n'
          "stea:\n  label: STEA\n  parent: esr-plus\n")
    assert problems(content) == ["content/vocabularies/funders.yml:1: esr-plus.parent: kehä: esr-plus → kake → stea → "
                                 "esr-plus; jonkin arvon parent-kentän pitää johtaa ulos kehästä"]


def test_two_files_for_one_vocabulary(content: Path) -> None:
    write(content, "vocabularies/themes.yaml", "muu: {label: Muu}\n")
    assert problems(content) == ["content/vocabularies/themes.yaml: sanasto themes on jo tiedostossa "
                                 "content/vocabularies/themes.yml; yhdellä sanastolla on yksi tiedosto, poista toinen"]


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "true", "False"])
def test_a_yaml_boolean_where_a_number_is_expected(content: Path, word: str) -> None:
    write(content, "hankkeet/rikki.yml", VALID + f"funding:\n  - {{funder: esr-plus, amount_eur: {word}}}\n")
    assert problems(content) == [
        f"{RIKKI}:7: funding[0].amount_eur: odotettiin numeroa, mutta YAML lukee arvon {word} totuusarvona "
        "(yes, no, on, off, true ja false ovat YAMLissa totuusarvoja); kirjoita numero, esim. 150"]


def test_a_quoted_number_is_text_and_says_so(content: Path) -> None:
    write(content, "hankkeet/rikki.yml", VALID + "funding:\n  - {funder: esr-plus, amount_eur: '8000'}\n")
    assert problems(content) == [f'{RIKKI}:7: funding[0].amount_eur: odotettiin numeroa, saatiin teksti "8000"; '
                                 "kirjoita numero ilman lainausmerkkejä"]


@pytest.mark.parametrize(("date", "year"), [("9999-12-31", 9999), ("0001-01-01", 1), ("1899-12-31", 1899), ("2101-01-01", 2101)])
def test_a_year_far_outside_any_project(content: Path, date: str, year: int) -> None:
    write(content, "hankkeet/rikki.yml", VALID + f"period: {{start: 2024-01-01, end: {date}}}\n" if year > 2000 else
          VALID + f"period: {{start: {date}}}\n")
    field = "period.end" if year > 2000 else "period.start"
    assert problems(content) == [f"{RIKKI}:6: {field}: vuosi {year} ei ole väliltä 1900–2100; tarkista päivämäärä"]


def test_years_at_the_bounds_are_accepted(content: Path) -> None:
    write(content, "hankkeet/rikki.yml", VALID + "period: {start: 1900-01-01, end: 2100-12-31}\n")
    check(content)


@pytest.mark.parametrize(("name", "replaced"), [("selaa", "selaa.md"), ("haku", "haku.md"), ("hankkeet", "hankkeet/index.md"),
                                                ("aikajana", "aikajana.md"), ("teemat", "teemat/index.md")])
def test_an_editorial_page_that_would_replace_a_generated_page(content: Path, name: str, replaced: str) -> None:
    write(content, f"sivut/{name}.md", "---\ntitle: Oma\n---\n\nTeksti.\n")
    assert problems(content) == [f"content/sivut/{name}.md: sivu korvaisi sivuston oman sivun {replaced} "
                                 f"(osoite /{name}/); valitse toinen tiedostonimi"]


def test_an_editorial_page_named_like_a_site_folder(content: Path) -> None:
    write(content, "sivut/pagefind.md", "---\ntitle: Oma\n---\n\nTeksti.\n")
    assert problems(content) == ["content/sivut/pagefind.md: sivun osoite /pagefind/ on sivuston oman kansion nimi; "
                                 "valitse toinen tiedostonimi"]


def test_a_missing_home_page(content: Path) -> None:
    (content / "sivut" / "index.md").unlink()
    assert problems(content) == ["content/sivut/index.md: etusivu puuttuu: lisää tiedosto sivut/index.md, jonka front "
                                 "matterissa on title"]


@pytest.mark.parametrize("name", ["rikki\nhanke.yml", "rikki\u202ehanke.yml", "rikki\x00.yml".replace("\x00", "\x01")])
def test_a_record_file_name_with_an_invisible_character(content: Path, name: str) -> None:
    write(content, f"hankkeet/{name}", VALID)
    [found] = problems(content)
    assert "\n" not in found and "\u202e" not in found and "\x01" not in found
    assert found.endswith(": tiedostonimessä saa olla vain pieniä kirjaimia a–z, numeroita ja väliviivoja (esim. touko-hanke.yml)")


# ------------------------------------------------ 7. every message: line, field, Finnish


def test_vocabulary_errors_have_a_line(content: Path) -> None:
    write(content, "vocabularies/municipalities.yml", "kaavi:\n  label: Kaavi\n  region: pohjois-savo\n"
          "kuopio:\n  label: Kuopio\n  region: pohjois-savoo\n")
    write(content, "vocabularies/funders.yml", "esr-plus: {label: ESR+}\nkake:\n  label: KAKE\n  parent: esr-plys\n")
    assert problems(content) == [
        'content/vocabularies/funders.yml:4: kake.parent: tuntematon rahoittaja "esr-plys". Tarkoititko "esr-plus"? Sallitut: esr-plus, kake.',
        'content/vocabularies/municipalities.yml:6: kuopio.region: tuntematon arvo "pohjois-savoo" sanastossa regions. '
        'Tarkoititko "pohjois-savo"? Sallitut: pohjois-savo.',
    ]


@pytest.mark.parametrize(("char", "name"), [("\x00", "NUL (U+0000)"), ("\x0b", "pystysarkain (U+000B)"),
                                            ("\x0c", "sivunvaihto (U+000C)"), ("\x85", "NEL-rivinvaihto (U+0085)"),
                                            ("\u2028", "rivinerotin (U+2028)"), ("\x7f", "ohjausmerkki (U+007F)")])
def test_an_invisible_character_in_the_file_names_line_and_field(content: Path, char: str, name: str) -> None:
    write(content, "hankkeet/rikki.yml", VALID + f"results:\n  summary: Hyvä{char}tulos.\nneed: Tarve.\n")
    assert problems(content) == [f"{RIKKI}:7: results.summary: tiedostossa on näkymätön merkki {name}, joka ei kuulu "
                                 "tekstiin (usein kopioitu toisesta ohjelmasta); poista se"]


def test_a_nel_does_not_move_later_lines(content: Path) -> None:
    write(content, "hankkeet/rikki.yml", "title: Rik\x85ki\n" + VALID.split("\n", 1)[1] + "need: [\n")
    assert problems(content) == [f"{RIKKI}:1: tiedostossa on näkymätön merkki NEL-rivinvaihto (U+0085), joka ei kuulu "
                                 "tekstiin (usein kopioitu toisesta ohjelmasta); poista se"]


def test_an_invisible_character_in_a_markdown_body_names_description(content: Path) -> None:
    write(content, "hankkeet/rikki.md", "---\n" + VALID + "---\n\nKuvaus\x0bteksti.\n")
    assert problems(content) == ["content/hankkeet/rikki.md:9: description: tiedostossa on näkymätön merkki "
                                 "pystysarkain (U+000B), joka ei kuulu tekstiin (usein kopioitu toisesta ohjelmasta); poista se"]


def test_a_bad_date_names_its_field(content: Path) -> None:
    write(content, "hankkeet/rikki.yml", VALID + "results:\n  indicators:\n    - {name: X, achieved: 1, unit: kpl, date: 2025-13-01}\n")
    assert problems(content) == [f'{RIKKI}:8: results.indicators[0].date: virheellinen päivämäärä "2025-13-01": '
                                 "sellaista päivää ei ole (muoto VVVV-KK-PP)"]


@pytest.mark.parametrize("name", ["themes.yml", "hankkeet/touko.yml"])
def test_a_folder_where_a_file_should_be(content: Path, name: str) -> None:
    folder = content / ("vocabularies" if "/" not in name else "") / name
    folder.unlink(missing_ok=True)
    folder.mkdir(parents=True)
    rel = folder.relative_to(content.parent).as_posix()
    assert f"{rel}: tämä on kansio, vaikka nimi on tiedoston nimi; tietueet ja sanastot ovat tiedostoja" in problems(content)


def test_a_folder_inside_the_vocabularies(content: Path) -> None:
    (content / "vocabularies" / "teemat").mkdir()
    assert problems(content) == ["content/vocabularies/teemat: sanastokansiossa saa olla vain sanastotiedostoja "
                                 "(esim. themes.yml), ei kansioita"]


@pytest.mark.parametrize(("written", "read_as"), [("0401234567", "numerona"), ("+358401234567", "numerona"),
                                                  ("2025-01-01", "päivämääränä"), ("no", "totuusarvona (yes, no, on, off, "
                                                                                         "true ja false ovat YAMLissa totuusarvoja)")])
def test_a_value_yaml_reads_as_another_type_says_to_quote_it(content: Path, written: str, read_as: str) -> None:
    write(content, "hankkeet/rikki.yml", VALID + f"contacts:\n  - name: Nimi\n    phone: {written}\n")
    assert problems(content) == [f'{RIKKI}:8: contacts[0].phone: odotettiin tekstiä, mutta YAML lukee arvon {written} '
                                 f'{read_as}; kirjoita se lainausmerkkeihin: "{written}"']


# --------------------------------------------- 8. fields the model accepts are shown or refused


def test_accepted_fields_are_shown(content: Path) -> None:
    collection = content / "kokonaisuudet" / "esimerkkikokonaisuus.yml"
    collection.write_text(collection.read_text(encoding="utf-8") + "target_group_description: Nuoret aikuiset Kaavilla.\n",
                          encoding="utf-8")
    project = content / "hankkeet" / "malli-hanke.yml"
    project.write_text(project.read_text(encoding="utf-8") + "partners:\n  - {name: Esimerkin nuorisotyö, organisation: esimerkki-ry}\n",
                       encoding="utf-8")
    write(content, "vocabularies/themes.yml", "tyollisyys: {label: Työllisyys, description: Työhön ja koulutukseen pääsy.}\n"
          "osallisuus: {label: Osallisuus}\n")
    files = generate(content)
    assert "Nuoret aikuiset Kaavilla." in files["kokonaisuudet/esimerkkikokonaisuus.md"]
    assert "Esimerkin nuorisotyö" in files["hankkeet/malli-hanke.md"]
    assert "Työhön ja koulutukseen pääsy." in files["teemat/tyollisyys.md"]


def test_a_description_no_page_would_show_is_refused(content: Path) -> None:
    write(content, "vocabularies/age_groups.yml", "aikuiset:\n  label: Aikuiset\n  description: 30–64-vuotiaat.\n")
    assert problems(content) == ["content/vocabularies/age_groups.yml:3: aikuiset.description: sanaston age_groups arvoilla "
                                 "ei ole omaa sivua, joten kuvausta ei näytettäisi missään; poista description"]


def test_vocabularies_without_pages_are_those_without_a_facet() -> None:
    from generator.facets import FACETS
    from generator.loader import VOCABULARIES_WITHOUT_PAGES
    from generator.model import VOCABULARIES

    assert VOCABULARIES_WITHOUT_PAGES == set(VOCABULARIES) - {f[4] for f in FACETS if f[4]}


def test_a_nav_entry_to_a_missing_page_fails_the_check_as_it_fails_the_build(site_copy: Path, tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import main

    config = site_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - Haku: haku.md\n", "  - Haku: haku.md\n  - Tietoa: tietoa.md\n"),
                      encoding="utf-8")
    message = ("mkdocs.yml: nav: valikossa on sivu tietoa.md, jota sivustolla ei ole; lisää sivu (content/sivut/tietoa.md) "
               "tai poista se valikosta")
    assert main(["--content", str(site_copy / "content"), "check"]) == 1
    assert f"  {message}\n" in capsys.readouterr().err
    result = mkdocs_build(site_copy, tmp_path / "site")
    assert result.returncode == 1 and message in result.stderr
    write(site_copy / "content", "sivut/tietoa.md", HEAD + "Teksti.\n")
    assert main(["--content", str(site_copy / "content"), "check"]) == 0


def test_an_editorial_front_matter_key_the_page_would_drop(content: Path) -> None:
    write(content, "sivut/tietoa.md", "---\ntitle: Tietoa\nhide: [navigation]\n---\n\nTeksti.\n")
    assert problems(content) == ['content/sivut/tietoa.md:3: hide: tuntematon kenttä "hide"; sivun front matterissa on vain title']


def test_an_invisible_character_in_markdown_front_matter_names_its_line_and_field(content: Path) -> None:
    write(content, "hankkeet/rikki.md", "---\ntitle: Rikki\nsummary: Tes\x0cti.\nstatus: running\nsources:\n"
          "  - {title: Testi, file: testi.txt}\n---\n\nKuvaus.\n")
    assert problems(content) == ["content/hankkeet/rikki.md:3: summary: tiedostossa on näkymätön merkki sivunvaihto "
                                 "(U+000C), joka ei kuulu tekstiin (usein kopioitu toisesta ohjelmasta); poista se"]


def test_staging_replaces_the_site_only_on_publish(tmp_path: Path) -> None:
    from generator.publish import Staging

    site = tmp_path / "site"
    site.mkdir()
    (site / "vanha.html").write_text("vanha", encoding="utf-8")
    (tmp_path / ".site.next").mkdir()
    (tmp_path / ".site.next" / "jaanne.html").write_text("kesken jäänyt", encoding="utf-8")
    staging = Staging(site)
    (staging.start() / "uusi.html").write_text("uusi", encoding="utf-8")
    staging.discard()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"] and (site / "vanha.html").exists()
    (staging.start() / "uusi.html").write_text("uusi", encoding="utf-8")
    staging.publish()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert [p.name for p in site.iterdir()] == ["uusi.html"]
