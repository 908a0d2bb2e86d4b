"""Bad input never breaks the site: every kind of broken file gives one exact, Finnish message.

Each test writes one broken file into a copy of the fixture site and asserts the exact line a
person sees (``path:line: field: message``). The last tests put every broken file in one site
and check that one run reports all of them: through ``check``, the command line, and
``mkdocs build``, which must also leave the previously built site/ exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import check
from generator.problems import ContentError

from .browser_support import mkdocs_build

VALID = """title: Rikki
summary: Testi.
status: running
sources:
  - {title: Testi, file: testi.txt}
"""
RIKKI = "content/hankkeet/rikki.yml"
URL_MESSAGE = "osoitteen pitää alkaa http://, https:// tai mailto: eikä siinä saa olla välilyöntejä"


def problems(content: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        check(content)
    return [str(p) for p in caught.value.problems]


def write(content: Path, rel: str, data: str | bytes) -> None:
    path = content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


BILLION_LAUGHS = (
    'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
)
OVER_1_MB = VALID + "need: |\n" + ("  " + "x" * 98 + "\n") * 10_001

# Input class → (files to write, the exact problems a person sees). Shared by the one-file
# tests and the everything-at-once tests, so the table in the issue is this dict.
CASES: dict[str, tuple[dict[str, str | bytes], list[str]]] = {
    "yaml-syntax": (
        {"hankkeet/rikki.yml": VALID + "goals: [yksi, kaksi\n"},
        [f"{RIKKI}:7: YAML-syntaksivirhe: hakasulkeilla [ ] aloitettu lista jäi sulkematta (did not find expected ',' or ']')"],
    ),
    "colon-in-value": (
        {"hankkeet/rikki.yml": VALID + "need: Tarve: suuri\n"},
        [f"{RIKKI}:6: YAML-syntaksivirhe: kaksoispiste väärässä kohdassa; jos arvossa on kaksoispiste, kirjoita arvo "
         "lainausmerkkeihin (mapping values are not allowed in this context)"],
    ),
    "tab-indentation": (
        {"hankkeet/rikki.yml": VALID + "results:\n\tsummary: Hyvä.\n"},
        [f"{RIKKI}:7: sarkain (tab) sisennyksessä: käytä välilyöntejä"],
    ),
    "duplicate-key": (
        {"hankkeet/rikki.yml": VALID + "title: Toinen nimi\n"},
        [f'{RIKKI}:6: title: avain "title" on kahdesti (myös rivillä 1); poista toinen'],
    ),
    "not-utf8": (
        {"hankkeet/rikki.yml": VALID.encode() + "need: Äänekoski\n".encode("latin-1")},
        [f"{RIKKI}:6: tiedosto ei ole UTF-8-muodossa; tallenna se UTF-8-merkistöllä"],
    ),
    "empty-file": (
        {"hankkeet/rikki.yml": ""},
        [f"{RIKKI}: tiedosto on tyhjä"],
    ),
    "only-a-comment": (
        {"hankkeet/rikki.yml": "# title: Rikki\n"},
        [f"{RIKKI}:1: tiedoston pitää olla YAML-sanakirja (avain: arvo), nyt se on tyhjä"],
    ),
    "list-not-mapping": (
        {"hankkeet/rikki.yml": "- title: Rikki\n- status: running\n"},
        [f"{RIKKI}:1: tiedoston pitää olla YAML-sanakirja (avain: arvo), nyt se on lista"],
    ),
    "billion-laughs": (
        {"hankkeet/rikki.yml": VALID + BILLION_LAUGHS},
        [f"{RIKKI}:6: a: YAML-ankkurit ja -viittaukset (&nimi, *nimi) eivät ole sallittuja; kirjoita arvo auki"],
    ),
    "over-1-mb": (
        {"hankkeet/rikki.yml": OVER_1_MB},
        [f"{RIKKI}: tiedosto on liian suuri (1010 kt, enintään 1000 kt)"],
    ),
    "deep-nesting": (
        {"hankkeet/rikki.yml": VALID + "goals: " + "[" * 100_000 + "]" * 100_000 + "\n"},
        [f"{RIKKI}:6: YAML on liian syvästi sisäkkäinen (yli 50 tasoa)"],
    ),
    "python-tag": (
        {"hankkeet/rikki.yml": VALID + 'goals: !!python/object/apply:os.system ["echo hi"]\n'},
        [f"{RIKKI}:6: goals: YAML-tagi !!python/object/apply:os.system ei ole sallittu (vain tavalliset arvot)"],
    ),
    "custom-tag": (
        {"hankkeet/rikki.yml": VALID + "need: !include muu.yml\n"},
        [f"{RIKKI}:6: need: YAML-tagi !include ei ole sallittu (vain tavalliset arvot)"],
    ),
    "set-tag": (
        {"hankkeet/rikki.yml": VALID + "goals: !!set {yksi, kaksi}\n"},
        [f"{RIKKI}:6: goals: YAML-tagi !!set ei ole sallittu (vain tavalliset arvot)"],
    ),
    "missing-field": (
        {"hankkeet/rikki.yml": VALID.replace("status: running\n", "")},
        [f"{RIKKI}:1: status: pakollinen kenttä puuttuu"],
    ),
    "text-for-number": (
        {"hankkeet/rikki.yml": VALID + "results:\n  indicators:\n    - name: Osallistujat\n      target: noin 150\n      unit: henkilöä\n"},
        [f'{RIKKI}:9: results.indicators[0].target: odotettiin numeroa, saatiin "noin 150"'],
    ),
    "not-a-date": (
        {"hankkeet/rikki.yml": VALID + "period: {start: 1.7.2025}\n"},
        [f'{RIKKI}:6: period.start: odotettiin päivämäärää muodossa VVVV-KK-PP, saatiin "1.7.2025"'],
    ),
    "impossible-date": (
        {"hankkeet/rikki.yml": VALID + "period: {start: 2025-02-30}\n"},
        [f'{RIKKI}:6: period.start: virheellinen päivämäärä "2025-02-30": sellaista päivää ei ole (muoto VVVV-KK-PP)'],
    ),
    "period-ends-before-start": (
        {"hankkeet/rikki.yml": VALID + "period: {start: 2025-01-01, end: 2024-12-31}\n"},
        [f"{RIKKI}:6: period: päättymispäivä 2024-12-31 on ennen alkamispäivää 2025-01-01"],
    ),
    "indicator-without-unit": (
        {"hankkeet/rikki.yml": VALID + "results:\n  indicators:\n    - {name: Osallistujat, achieved: 14}\n"},
        [f"{RIKKI}:8: results.indicators[0]: mittarilla on arvo mutta ei yksikköä (unit)"],
    ),
    "unknown-vocabulary-value": (
        {"hankkeet/rikki.yml": VALID + "themes: [tyollisyys, osalisuus]\n"},
        [f'{RIKKI}:6: themes[1]: tuntematon arvo "osalisuus" sanastossa themes. Tarkoititko "osallisuus"? '
         "Sallitut: osallisuus, tyollisyys."],
    ),
    "unknown-reference": (
        {"hankkeet/rikki.yml": VALID + "implementers:\n  - esimerkki\n"},
        [f'{RIKKI}:7: implementers[0]: tuntematon viite "esimerkki": sellaista organisaatiota ei ole. '
         'Tarkoititko "esimerkki-ry"? Sallitut: esimerkki-ry.'],
    ),
    "same-id-two-folders": (
        {"hankkeet/malli.yml": VALID},
        ['content/toimintamallit/malli.yml: tunniste "malli" on jo käytössä tiedostossa content/hankkeet/malli.yml; '
         "tunnisteen pitää olla yksilöllinen"],
    ),
    "same-id-yml-and-md": (
        {"hankkeet/rikki.yml": VALID, "hankkeet/rikki.md": "---\n" + VALID + "---\n\nKuvaus.\n"},
        [f'{RIKKI}: tunniste "rikki" on jo käytössä tiedostossa content/hankkeet/rikki.md; tunnisteen pitää olla yksilöllinen'],
    ),
    "unknown-record-kind": (
        {"uutiset/eka.yml": VALID},
        ['content/uutiset/eka.yml: tuntematon tietuelaji: kansio "uutiset" ei ole mikään näistä: '
         "hankkeet, kokonaisuudet, organisaatiot, sivut, toimintamallit, vocabularies"],
    ),
    "bad-file-name": (
        {"hankkeet/Rikki Hanke.yml": VALID},
        ["content/hankkeet/Rikki Hanke.yml: tiedostonimessä saa olla vain pieniä kirjaimia a–z, numeroita ja "
         "väliviivoja (esim. touko-hanke.yml)"],
    ),
    "bad-file-type": (
        {"hankkeet/rikki.txt": VALID},
        ["content/hankkeet/rikki.txt: tuntematon tiedostotyyppi; tietueet ovat .yml- tai .md-tiedostoja"],
    ),
    "javascript-url": (
        {"hankkeet/rikki.yml": VALID + "links:\n  - {title: Klikkaa, url: 'javascript:alert(1)'}\n"},
        [f"{RIKKI}:7: links[0].url: {URL_MESSAGE}"],
    ),
}

# Tags that would run code if the loader were not safe: each tries to create a file.
EXECUTING_TAGS = [
    "!!python/object/apply:os.system [{cmd}]",
    "!!python/object/apply:subprocess.call [[sh, -c, {cmd}]]",
    "!!python/object/new:os.system [{cmd}]",
    "!!python/object/apply:builtins.exec [\"import os; os.system({cmd})\"]",
]


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_input_class_gives_one_exact_message(content: Path, case: str) -> None:
    files, expected = CASES[case]
    for rel, data in files.items():
        write(content, rel, data)
    assert problems(content) == expected


@pytest.mark.parametrize("tag", EXECUTING_TAGS)
def test_code_tags_are_refused_and_never_run(content: Path, tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    cmd = repr(f"touch {marker}")
    write(content, "hankkeet/rikki.yml", VALID + f"goals: {tag.format(cmd=cmd)}\n")
    [message] = problems(content)
    assert message.startswith(f"{RIKKI}:6: goals: YAML-tagi !!python/") and message.endswith("ei ole sallittu (vain tavalliset arvot)")
    assert not marker.exists()


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)", "file:///etc/passwd", "//example.org/x", "https://example.org/a b", "www.example.org",
])
@pytest.mark.parametrize("field", ["links", "sources", "contacts"])
def test_urls_other_than_http_https_mailto_are_refused(content: Path, url: str, field: str) -> None:
    head = "title: Rikki\nsummary: Testi.\nstatus: running\n"
    if field == "sources":
        text, line = head + f"sources:\n  - {{title: X, url: {url!r}}}\n", 5
    else:
        item = f"{{title: X, url: {url!r}}}" if field == "links" else f"{{name: X, url: {url!r}}}"
        text, line = head + f"sources:\n  - {{title: Testi, file: testi.txt}}\n{field}:\n  - {item}\n", 7
    write(content, "hankkeet/rikki.yml", text)
    assert problems(content) == [f"{RIKKI}:{line}: {field}[0].url: {URL_MESSAGE}"]


def test_other_impossible_values_are_problems_not_crashes(content: Path) -> None:
    write(content, "hankkeet/a.yml", VALID + "results:\n  indicators:\n    - {name: X, target: " + "9" * 5000 + ", unit: kpl}\n")
    write(content, "hankkeet/b.yml", VALID + "added: !!int kymmenen\n")
    write(content, "hankkeet/c.yml", VALID + "need: !!binary aGVp\n")
    write(content, "hankkeet/d.yml", VALID + "1: yksi\n")
    assert problems(content) == [
        'content/hankkeet/a.yml:8: results.indicators[0].target: virheellinen numero "9999999999999999999999999999999999999…"',
        'content/hankkeet/b.yml:6: added: virheellinen numero "kymmenen"',
        "content/hankkeet/c.yml:6: need: YAML-tagi !!binary ei ole sallittu (vain tavalliset arvot)",
        "content/hankkeet/d.yml:1: avain 1 ei kelpaa kentän nimeksi; kentän nimi on tekstiä, esim. title",
    ]


# ------------------------------------------------------------------ every problem in one run


def break_everything(content: Path) -> list[str]:
    """Write every case as its own file (renamed so they do not collide); return all messages."""
    expected: list[str] = []
    for case, (files, messages) in CASES.items():
        renames = _renames(case, files)
        for rel, data in files.items():
            write(content, renames.get(rel, rel), data)
        for message in messages:
            for old, new in renames.items():
                message = message.replace(f"content/{old}", f"content/{new}").replace('"rikki"', f'"{case}"')
            expected.append(message)
    return expected


def _renames(case: str, files: dict[str, str | bytes]) -> dict[str, str]:
    """hankkeet/rikki.yml → hankkeet/<case>.yml, so every case is its own record."""
    return {rel: rel.replace("/rikki.", f"/{case}.") for rel in files if "/rikki." in rel}


def test_every_problem_of_every_file_in_one_run(content: Path) -> None:
    expected = break_everything(content)
    found = problems(content)
    assert len(found) == len(expected)
    assert sorted(found) == sorted(expected)


def test_cli_check_reports_everything_and_exits_1(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = break_everything(content)
    assert main(["--content", str(content), "check"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"Sisällössä on {len(expected)} virhettä" in captured.err
    for message in expected:
        assert f"  {message}\n" in captured.err + "\n"
    assert "Traceback" not in captured.err


def test_cli_as_a_program_prints_no_traceback(content: Path) -> None:
    expected = break_everything(content)
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "--content", str(content), "check"],
        capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert all(message in result.stderr for message in expected)


def _snapshot(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


def test_mkdocs_build_fails_cleanly_and_keeps_the_previous_site(site_copy: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    first = mkdocs_build(site_copy, site)
    assert first.returncode == 0, first.stderr
    before = _snapshot(site)
    assert "toimintamallit/malli/index.html" in before
    expected = break_everything(site_copy / "content")
    result = mkdocs_build(site_copy, site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"Sisällössä on {len(expected)} virhettä" in result.stderr
    assert all(message in result.stderr for message in expected)
    assert _snapshot(site) == before


def test_a_bad_similarity_setting_stops_the_build_with_every_problem(site_copy: Path, tmp_path: Path) -> None:
    """A typo under `similarity:` in mkdocs.yml: one line per problem, no traceback, old site kept."""
    site = tmp_path / "site"
    assert mkdocs_build(site_copy, site).returncode == 0
    before = _snapshot(site)
    config = site_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - hankekirjasto\n",
        "  - hankekirjasto:\n      similarity:\n        limt: 3\n        min_score: paljon\n        text_stop_words: Kuopio\n"),
        encoding="utf-8")
    result = mkdocs_build(site_copy, site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for line in ("limt: tuntematon asetus", "min_score: arvon pitää olla luku ≥ 0, nyt 'paljon'",
                 "text_stop_words: arvon pitää olla lista sanoja, nyt 'Kuopio'"):
        assert line in result.stderr
    assert _snapshot(site) == before


def test_reading_in_two_processes_finds_the_same(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`mkdocs build` reads many records in two processes: the same records and problems, in order."""
    from generator import loader

    break_everything(content)
    one = loader.load(content, processes=1)
    monkeypatch.setattr(loader, "PARALLEL_LOAD_FROM", 1)
    two = loader.load(content, processes=2)
    assert [str(p) for p in two.problems] == [str(p) for p in one.problems] and len(one.problems) > 20
    assert list(two.records) == list(one.records) and two.broken == one.broken
    assert all(two.records[k].data == one.records[k].data for k in one.records)
