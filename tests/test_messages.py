"""Messages a coordinator can act on, and the place vocabularies they lean on.

Exact messages with file, line and field: a hint only when it is close and within the same
vocabulary, an empty skeleton field that says to fill or delete it, a Finnish name where an id
is expected understood, a status that contradicts the period as a warning, Finnish kind names.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from stdnum.fi import ytunnus

from generator import cli
from generator.linker import status_warnings
from generator.pipeline import check

from .test_validation import VALID_PROJECT, problems, write

ROOT = Path(__file__).resolve().parent.parent
VOCABULARIES = ROOT / "content" / "vocabularies"


@pytest.fixture
def places(content: Path) -> Path:
    """The fixture content with the real place vocabularies (all of Finland)."""
    for name in ("municipalities", "regions", "counties"):
        shutil.copy(VOCABULARIES / f"{name}.yml", content / "vocabularies" / f"{name}.yml")
    return content


def _vocabulary(name: str) -> dict[str, dict]:
    return yaml.safe_load((VOCABULARIES / f"{name}.yml").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the vocabularies


def test_every_municipality_region_and_county_of_finland() -> None:
    """Statistics Finland's 2026 classification: 308 municipalities, 19 regions (maakunnat, with
    Ahvenanmaa), 21 wellbeing services counties plus Helsinki and Åland; each municipality in one
    region and one county; a region's municipalities in counties of that region."""
    municipalities, regions, counties = (_vocabulary(n) for n in ("municipalities", "regions", "counties"))
    today = {k: v for k, v in municipalities.items() if not v.get("part_of")}
    former = {k: v for k, v in municipalities.items() if v.get("part_of")}
    assert (len(today), len(regions), len(counties)) == (308, 19, 23)
    codes = [v["code"] for v in today.values()]
    assert len(set(codes)) == 308 and all(len(c) == 3 and c.isdigit() for c in codes)
    for key, term in today.items():
        assert term["region"] in regions and term["county"] in counties, key
    assert {k: v["part_of"] for k, v in former.items() if v["part_of"] not in today} == {}
    assert former["juankoski"]["part_of"] == "kuopio"
    assert today["kuopio"]["code"] == "297" and today["helsinki"]["county"] == "helsingin-kaupunki"


def test_a_record_may_name_any_finnish_town(places: Path) -> None:
    write(places, "hankkeet/lahti.yml", VALID_PROJECT + "municipalities: [lahti, rovaniemi, juankoski, maarianhamina]\n")
    site = check(places)
    assert site.records["lahti"].data.municipalities == ["lahti", "rovaniemi", "juankoski", "maarianhamina"]


# --------------------------------------------------------------------------- hints


def test_a_close_typo_gets_the_closest_value_and_a_far_word_none(places: Path) -> None:
    write(places, "hankkeet/rikki.yml", VALID_PROJECT + "municipalities: [jyvskyla, kuopioo, qqqqzz]\n")
    count = len(_vocabulary("municipalities"))
    where = f"Kaikki {count} sallittua arvoa ovat tiedostossa content/vocabularies/municipalities.yml."
    assert problems(places) == [
        f'content/hankkeet/rikki.yml:6: municipalities[0]: tuntematon arvo "jyvskyla" sanastossa municipalities. Tarkoititko "jyvaskyla"? {where}',
        f'content/hankkeet/rikki.yml:6: municipalities[1]: tuntematon arvo "kuopioo" sanastossa municipalities. Tarkoititko "kuopio"? {where}',
        f'content/hankkeet/rikki.yml:6: municipalities[2]: tuntematon arvo "qqqqzz" sanastossa municipalities. {where}',
    ]


# --------------------------------------------------------------------------- names for ids


def test_a_finnish_name_where_an_id_is_expected_is_understood(places: Path) -> None:
    write(places, "hankkeet/nimet.yml", VALID_PROJECT.replace("status: running", "status: Päättynyt")
          + "municipalities: [Jyväskylä, Helsingfors]\nregions: [Pohjois-Savo]\n")
    record = check(places).records["nimet"].data
    assert (record.status, record.municipalities, record.regions) == ("ended", ["jyvaskyla", "helsinki"], ["pohjois-savo"])


def test_an_unknown_status_lists_the_choices_with_their_finnish_names(content: Path) -> None:
    write(content, "hankkeet/rikki.yml", VALID_PROJECT.replace("status: running", "status: kesken"))
    assert problems(content) == [
        'content/hankkeet/rikki.yml:3: status: tuntematon arvo "kesken"; sallitut: planned (suunnitteilla), '
        "applied (rahoitusta haettu), running (käynnissä), ended (päättynyt)"
    ]


# --------------------------------------------------------------------------- skeleton fields


def test_an_empty_optional_field_says_fill_it_or_delete_the_line(content: Path) -> None:
    write(content, "hankkeet/rikki.yml", VALID_PROJECT + "acronym: ''\ntarget_group_description: ' '\n")
    assert problems(content) == [
        "content/hankkeet/rikki.yml:6: acronym: kenttä on tyhjä: täytä se tai poista rivi (kenttä ei ole pakollinen)",
        "content/hankkeet/rikki.yml:7: target_group_description: kenttä on tyhjä: täytä se tai poista rivi (kenttä ei ole pakollinen)",
    ]


def test_an_empty_required_field_says_fill_it(content: Path) -> None:
    write(content, "hankkeet/rikki.yml", VALID_PROJECT.replace("summary: Testi.", "summary:"))
    assert problems(content) == ["content/hankkeet/rikki.yml:2: summary: pakollinen kenttä on tyhjä: täytä se"]


# --------------------------------------------------------------------------- business IDs


def test_business_id_check_digit(content: Path) -> None:
    good = next(f"1234567-{d}" for d in range(10) if ytunnus.is_valid(f"1234567-{d}"))
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    org = "title: Testi ry\nsummary: Testi.\nsources:\n  - {title: Testi, file: testi.txt}\nbusiness_id: '%s'\n"
    write(content, "organisaatiot/hyva.yml", org % good)
    write(content, "organisaatiot/rikki.yml", org % bad)
    assert problems(content) == [
        f"content/organisaatiot/rikki.yml:5: business_id: Y-tunnuksen {bad} tarkistusnumero (viimeinen numero) ei täsmää: "
        "tunnuksessa on kirjoitusvirhe; tarkista se lähteestä tai ytj.fi:stä"
    ]


# --------------------------------------------------------------------------- status and period


def test_a_status_that_contradicts_the_period_is_a_warning(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(content, "hankkeet/vanha.yml", VALID_PROJECT + "period: {start: 2015-01-01, end: 2018-12-31}\n")
    write(content, "hankkeet/tuleva.yml", VALID_PROJECT.replace("running", "ended") + "period: {end: 2099-12-31}\n")
    site = check(content)
    new = [w for w in status_warnings(site, dt.date(2026, 12, 7)) if w.path.endswith(("vanha.yml", "tuleva.yml"))]
    assert [str(w) for w in new] == [
        "content/hankkeet/tuleva.yml:3: status: tila on ended (päättynyt), mutta hankkeen ajanjakso päättyy vasta 2099-12-31; korjaa tila tai ajanjakso",
        "content/hankkeet/vanha.yml:3: status: tila on running (käynnissä), mutta hankkeen ajanjakso päättyi 2018-12-31; "
        "onko hanke päättynyt (status: ended)? Korjaa tila tai ajanjakso",
    ]
    assert cli.main(["--content", str(content), "check"]) == 0
    out = capsys.readouterr()
    warned = len(status_warnings(site))
    assert out.err.count("varoitus: ") == warned >= 2
    assert f"({warned} varoitusta, katso yllä)" in out.out and "hanketta" in out.out
