"""The Innokylä export: each practice as text in Innokylä's order and headings, and all of them.

Exact text for the fixture practice, what Innokylä still needs listed first, record text kept
as typed (never escaped, never HTML), and the practice page linking to its file.
"""

from __future__ import annotations

from pathlib import Path

from generator import innokyla
from generator.pipeline import Options, check, generate

from .conftest import FIXTURE_SITE

EXPECTED_MALLI = """\ufeffInnokylään vietävä kuvaus: Tuettu malli

Hankekirjaston toimintamalli ”malli”. Kopioi kunkin otsikon alla oleva teksti Innokylän toimintamallilomakkeen samannimiseen kenttään.

Malli on jo kuvattu Innokylässä: https://innokyla.fi/fi/toimintamalli/esimerkki?a=1&b=2

Täydennä Innokylässä (kuvauksesta puuttuu):

- Toteutuspaikka
- Toimivuuden ja käyttöönoton ehdot (pakollinen kenttä)

Kehittämisen polku: kentät, joita kuvauksessa ei ole (täydennä, jos tiedät):

- Lähtötilanne
- Kehittäjäjoukon kokoaminen ja yhteiskehittäminen
- Kohderyhmä ja asiakasymmärrys
- Muutoksen mittaaminen
- Arviointitietoa tiivistetysti


# Perustiedot

## Toimintamallin nimi

Tuettu malli

## Toimintamallin lyhyt kuvaus

Malli vahvistaa osallisuutta.

## Paikkakunta, maakunta tai hyvinvointialue

Kaavi, Pohjois-Savo, Pohjois-Savon hyvinvointialue

## Toimintamallin rahoittaja

Uudistuva ja osaava Suomi 2021–2027 (ESR+)

## Toimintamallin kokonaisuus

Esimerkkikokonaisuus

## Tekijä

Esimerkki ry


# Ratkaisun perusidea

Asiakasta tavataan kasvotusten.


# Toimintaympäristö

Pienet kunnat.


# Kehittämisen polku

## Kehitystyön lähtökohtana olevat tarpeet

Palveluja ei ole lähellä.

## Tavoiteltu muutos

- Työkyvyn vahvistaminen

## Toiminnan kuvaus

### Kohtaaminen

Työntekijä tapaa asiakkaan.

1. Ensitapaaminen
2. Kartoitus

## Liitteet

- Mallin esite (PDF): https://example.org/esite.pdf


# Muut tiedot (Innokylän lomakkeessa ei omaa kenttää)

## Hanke

Mallihanke

## Kehitysvaihe

Kehitteillä ja kokeilussa

## Kohderyhmät

Pitkäaikaistyöttömät

## Teemat

Työllisyys ja työllistyminen, Osallisuus


# Lähteet

- Testiaineisto
"""


def _generated(content: Path, **options: object) -> dict[str, str]:
    return generate(content, Options(dates_from_git=False, **options))  # type: ignore[arg-type]


def test_fixture_practice_exports_in_innokylas_order_and_headings() -> None:
    files = _generated(FIXTURE_SITE / "content")
    assert files["data/innokyla/malli.txt"] == EXPECTED_MALLI


def test_every_practice_has_a_file_and_the_combined_file_holds_them_all() -> None:
    files = _generated(FIXTURE_SITE / "content")
    site = check(FIXTURE_SITE / "content")
    practices = site.of_kind("practice")
    assert sorted(p for p in files if p.startswith("data/innokyla/")) == sorted(
        f"data/innokyla/{r.id}.txt" for r in practices)
    combined = files["data/innokyla.txt"]
    assert combined.startswith("\ufeffHankekirjaston toimintamallit Innokylään vietäviksi\n")
    assert f"Tiedostossa on {len(practices)} toimintamallia" in combined
    for record in practices:
        assert files[f"data/innokyla/{record.id}.txt"].removeprefix("\ufeff").rstrip("\n") in combined
    assert combined.count("\ufeff") == 1
    # Not a record kind's page: nothing else under data/ is replaced.
    assert "data/hankekirjasto.json" in files and "data/toimintamallit.csv" in files


def test_record_text_stays_text_and_editors_notes_stay_out(content: Path) -> None:
    practice = content / "toimintamallit" / "malli.yml"
    text = practice.read_text(encoding="utf-8")
    payload = "<script>alert(1)</script> **lihava** [linkki](javascript:alert(1)) &amp; {{ x }}"
    text = text.replace("core_idea: Asiakasta tavataan kasvotusten.",
                        f"core_idea: |\n  {payload}\n\n  - kohta yksi\n  - kohta kaksi\n", 1)
    text += "editor_notes: Toimittajan oma huomio, ei sivulle.\n"
    practice.write_text(text, encoding="utf-8")
    files = _generated(content)
    export = files["data/innokyla/malli.txt"]
    assert f"# Ratkaisun perusidea\n\n{payload}\n\n- kohta yksi\n- kohta kaksi\n" in export
    assert "&lt;" not in export and "&#" not in export
    assert "Toimittajan oma huomio" not in export and "Toimittajan oma huomio" not in files["data/innokyla.txt"]
    assert "testi.txt" not in export  # the source's working file name is for editors only
    # On the page the same text is inert, as everywhere else.
    assert "<script>" not in files["toimintamallit/malli.md"]


def test_a_practice_with_everything_innokyla_needs_lists_nothing_to_add(content: Path) -> None:
    practice = content / "toimintamallit" / "malli.yml"
    text = practice.read_text(encoding="utf-8")
    text = text.replace("environment: Pienet kunnat.",
                        "environment: Pienet kunnat.\nconditions: Työntekijä liikkuu autolla.\nplace: Kaavin kunta", 1)
    practice.write_text(text, encoding="utf-8")
    site = check(content)
    assert innokyla.missing_fields(site.records["malli"], site) == []
    export = _generated(content)["data/innokyla/malli.txt"]
    assert "Kuvauksessa on kaikki Innokylän perustiedot ja pakolliset kentät." in export
    assert "Täydennä Innokylässä" not in export
    assert "# Toimivuuden ja käyttöönoton ehdot\n\nTyöntekijä liikkuu autolla.\n" in export


def test_missing_fields_name_what_innokyla_asks_for() -> None:
    site = check(FIXTURE_SITE / "content")
    assert innokyla.missing_fields(site.records["malli"], site) == [
        "Toteutuspaikka", "Toimivuuden ja käyttöönoton ehdot (pakollinen kenttä)"]


def test_practice_page_links_to_its_export_with_and_without_directory_urls() -> None:
    page = _generated(FIXTURE_SITE / "content")["toimintamallit/malli.md"]
    assert '<h2>Vie Innokylään</h2>' in page
    assert 'href="../../data/innokyla/malli.txt"' in page and 'href="../../data/innokyla.txt"' in page
    flat = _generated(FIXTURE_SITE / "content", directory_urls=False)["toimintamallit/malli.md"]
    assert 'href="../data/innokyla/malli.txt"' in flat and 'href="../data/innokyla.txt"' in flat
