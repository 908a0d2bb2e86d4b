"""Exact error messages for the main validation errors, each naming file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import check
from generator.problems import ContentError


def problems(content: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        check(content)
    return [str(p) for p in caught.value.problems]


def write(content: Path, rel: str, text: str) -> None:
    path = content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


VALID_PROJECT = """title: Rikki
summary: Testi.
status: running
sources:
  - {title: Testi, file: testi.txt}
"""


def test_fixture_is_valid(content: Path) -> None:
    site = check(content)
    assert sorted(site.records) == ["esimerkki-ry", "esimerkkikokonaisuus", "malli", "malli-hanke", "toinen-malli"]


def test_wrong_type_names_file_line_and_field(content: Path) -> None:
    write(content, "hankkeet/rikki.yml", VALID_PROJECT + "results:\n  indicators:\n    - name: Osallistujat\n      target: noin 150\n      unit: henkilöä\n")
    assert problems(content) == [
        'content/hankkeet/rikki.yml:9: results.indicators[0].target: odotettiin numeroa, saatiin "noin 150"'
    ]


def test_missing_required_field(content: Path) -> None:
    write(content, "hankkeet/rikki.yml", VALID_PROJECT.replace("status: running\n", ""))
    assert problems(content) == ["content/hankkeet/rikki.yml:1: status: pakollinen kenttä puuttuu"]


def test_unknown_vocabulary_value_lists_allowed_and_suggests(content: Path) -> None:
    write(content, "hankkeet/rikki.yml", VALID_PROJECT + "themes: [tyollisyys, osalisuus]\n")
    assert problems(content) == [
        'content/hankkeet/rikki.yml:6: themes[1]: tuntematon arvo "osalisuus" sanastossa themes. '
        'Tarkoititko "osallisuus"? Sallitut: osallisuus, tyollisyys.'
    ]


def test_unknown_reference(content: Path) -> None:
    write(content, "hankkeet/rikki.yml", VALID_PROJECT + "implementers:\n  - esimerkki\n")
    assert problems(content) == [
        'content/hankkeet/rikki.yml:7: implementers[0]: tuntematon viite "esimerkki": sellaista organisaatiota ei ole. '
        'Tarkoititko "esimerkki-ry"? Sallitut: esimerkki-ry.'
    ]


def test_yaml_syntax_error(content: Path) -> None:
    write(content, "hankkeet/rikki.yml", VALID_PROJECT + "goals: [yksi, kaksi\n")
    [message] = problems(content)
    assert message.startswith("content/hankkeet/rikki.yml:7: YAML-syntaksivirhe: ")


def test_every_problem_of_every_file_at_once(content: Path) -> None:
    write(content, "hankkeet/rikki.yml", VALID_PROJECT.replace("status: running\n", "status: kesken\n") + "budjetti: 5\n")
    write(content, "toimintamallit/toinen-rikki.yml", "title: X\nsources: []\n")
    assert problems(content) == [
        "content/hankkeet/rikki.yml:3: status: tuntematon arvo \"kesken\"; sallitut: planned (suunnitteilla), "
        "applied (rahoitusta haettu), running (käynnissä), ended (päättynyt)",
        'content/hankkeet/rikki.yml:6: budjetti: tuntematon kenttä "budjetti". Sallitut kentät: acronym, actions, added, '
        "age_groups, collections, connections, contacts, continuation, description, editor_notes, feedback, funding, goals, "
        "granting_authority, implementers, lessons, links, modified, municipalities, need, not_related, outreach, partners, period, plans, practices, "
        "priority_axis, programme, project_code, regions, related, results, sources, specific_objective, "
        "staffing, status, summary, target_group_description, target_groups, themes, title.",
        "content/toimintamallit/toinen-rikki.yml:1: summary: pakollinen kenttä puuttuu",
        "content/toimintamallit/toinen-rikki.yml:2: sources: lista on tyhjä tai teksti puuttuu; vähintään yksi tarvitaan",
    ]


def test_period_ending_before_start(content: Path) -> None:
    write(content, "hankkeet/rikki.yml", VALID_PROJECT + "period: {start: 2025-01-01, end: 2024-12-31}\n")
    assert problems(content) == [
        "content/hankkeet/rikki.yml:6: period: päättymispäivä 2024-12-31 on ennen alkamispäivää 2025-01-01"
    ]


def test_indicator_without_unit(content: Path) -> None:
    write(content, "hankkeet/rikki.yml", VALID_PROJECT + "results:\n  indicators:\n    - {name: Osallistujat, achieved: 14}\n")
    assert problems(content) == [
        "content/hankkeet/rikki.yml:8: results.indicators[0]: mittarilla on arvo mutta ei yksikköä (unit)"
    ]


def test_date_that_is_not_a_date(content: Path) -> None:
    write(content, "hankkeet/rikki.yml", VALID_PROJECT + "period: {start: 1.7.2025}\n")
    assert problems(content) == [
        'content/hankkeet/rikki.yml:6: period.start: odotettiin päivämäärää muodossa VVVV-KK-PP, saatiin "1.7.2025"'
    ]


def test_duplicate_id_across_kinds(content: Path) -> None:
    write(content, "hankkeet/malli.yml", VALID_PROJECT)
    assert problems(content) == [
        'content/toimintamallit/malli.yml: tunniste "malli" on jo käytössä tiedostossa content/hankkeet/malli.yml; '
        "tunnisteen pitää olla yksilöllinen"
    ]


def test_unknown_record_kind(content: Path) -> None:
    write(content, "uutiset/eka.yml", VALID_PROJECT)
    assert problems(content) == [
        'content/uutiset/eka.yml: tuntematon tietuelaji: kansio "uutiset" ei ole mikään näistä: '
        "hankkeet, kokonaisuudet, organisaatiot, sivut, toimintamallit, vocabularies"
    ]


def test_reference_to_wrong_kind(content: Path) -> None:
    write(content, "hankkeet/rikki.yml", VALID_PROJECT + "implementers: [malli]\n")
    assert problems(content) == [
        'content/hankkeet/rikki.yml:6: implementers[0]: "malli" on toimintamalli, tähän kuuluu organisaatio'
    ]


def test_markdown_record_body_becomes_description(content: Path) -> None:
    write(content, "hankkeet/proosa.md", "---\n" + VALID_PROJECT + "---\n\nPitkä kuvaus.\n\n- kohta\n")
    site = check(content)
    assert site.records["proosa"].data.description == "Pitkä kuvaus.\n\n- kohta"


def test_markdown_record_errors_count_lines_from_file_start(content: Path) -> None:
    write(content, "hankkeet/proosa.md", "---\n" + VALID_PROJECT.replace("status: running", "status: 5") + "---\nTeksti\n")
    assert problems(content)[0].startswith("content/hankkeet/proosa.md:4: status: ")
