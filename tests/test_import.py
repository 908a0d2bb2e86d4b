"""`hankekirjasto import`: the three readers on real-shaped input, good and bad."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent.parent / "shared" / "seeds" / "000_4436e6f02fbec629.txt"
FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def run(content: Path, *args: str) -> int:
    return main(["--content", str(content), "import", *args])


def test_eura_page_dry_run_then_write(content: Path, capsys) -> None:
    page = FIXTURES / "eura-S21234.txt"
    assert run(content, str(page)) == 0
    out = capsys.readouterr().out
    assert "Uusi tietue:" in out and "Kuivaharjoitus: mitään ei kirjoitettu" in out
    assert not (content / "hankkeet" / "kylatalot-kohtaamispaikoiksi.yml").exists()
    assert "Etunimi" not in out and "0407654321" not in out  # personal details never imported
    assert "Vastuuhenkilön nimi: henkilön yhteystieto, jätetty pois" in out
    assert run(content, str(page), "--write") == 0
    project = (content / "hankkeet" / "kylatalot-kohtaamispaikoiksi.yml").read_text(encoding="utf-8")
    assert "project_code: S21234" in project
    assert "granting_authority: Etelä-Savon elinkeino-, liikenne- ja ympäristökeskus" in project
    assert "start: 2018-09-01" in project and "end: 2020-08-31" in project
    assert "url: https://www.eura2014.fi/rrtiepa/projekti.php?projektikoodi=S21234" in project
    org = (content / "organisaatiot" / "kylatoiminta-etela-savo-ry.yml").read_text(encoding="utf-8")
    assert "business_id: 1234567-1" in org
    assert main(["--content", str(content), "check"]) == 0


def test_existing_record_is_kept_unless_overwrite(content: Path, capsys) -> None:
    page = FIXTURES / "eura-S21234.txt"
    assert run(content, str(page), "--write") == 0
    path = content / "hankkeet" / "kylatalot-kohtaamispaikoiksi.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: ended", "status: running"), encoding="utf-8")
    capsys.readouterr()
    assert run(content, str(page), "--write") == 0
    out = capsys.readouterr().out
    assert "On jo olemassa, ei korvata" in out and "-status: running" in out and "+status: ended" in out
    assert "status: running" in path.read_text(encoding="utf-8")
    assert run(content, str(page), "--write", "--overwrite") == 0
    assert "Korvataan:" in capsys.readouterr().out
    assert "status: ended" in path.read_text(encoding="utf-8")


def test_eura_page_without_code_is_refused(content: Path, tmp_path: Path, capsys) -> None:
    page = tmp_path / "sivu.txt"
    page.write_text("Projektin nimi: Jotain\n\nTila: Päättynyt\n", encoding="utf-8")
    assert run(content, str(page), "--format", "eura") == 1
    assert "sivulta puuttuu Projektikoodi: onko tämä EURA 2014 -hankesivun teksti?" in capsys.readouterr().err


@pytest.mark.skipif(not SEED.is_file(), reason="seed documents not available")
def test_report_form_seed(content: Path, capsys) -> None:
    (content / "hankkeet" / "touko.yml").unlink()
    text = (content / "toimintamallit" / "tuettu-vapaaehtoistoiminta.yml").read_text(encoding="utf-8")
    (content / "toimintamallit" / "tuettu-vapaaehtoistoiminta.yml").write_text(text.replace("  - touko\n", ""), encoding="utf-8")
    for name in ("osaava-tyoika.yml",):
        assert (content / "hankkeet" / name).exists()
    code = run(content, str(SEED), "--write")
    out = capsys.readouterr()
    assert code == 0, out.err
    project = (content / "hankkeet" / "touko.yml").read_text(encoding="utf-8")
    assert "age_groups:\n- nuoret-aikuiset\n- aikuiset" in project
    assert "municipalities:\n- juankoski\n- kaavi\n- tuusniemi" in project
    assert "- mielihyvin-savosta" in project  # the existing organisation, not a new one
    assert "funder: pohjois-savon-hva-kumppanuusavustus\n  amount_eur: 8000" in project
    assert project.count("- text: ") == 7
    assert "Emmi" not in project and "0401687932" not in project
    assert "vastaajan ja lähettäjän nimi, sähköposti ja puhelin: henkilötietoja, jätetty pois" in out.out


@pytest.mark.skipif(not SEED.is_file(), reason="seed documents not available")
def test_report_form_new_organisation(tmp_path: Path, content: Path, capsys) -> None:
    from generator.importers import reportform
    from generator.loader import load

    corpus = load(content)
    del corpus.records["mielihyvin-savosta"]
    result = reportform.read(SEED.read_text(encoding="utf-8"), "raportti.txt", file_name=SEED.name, corpus=corpus)
    org = next(d for d in result.drafts if d.kind == "organisation")
    assert org.data["business_id"] == "1495947-4" and org.data["municipality"] == "kuopio"
    assert org.data["summary"] == "Terveyden ja sosiaalisen hyvinvoinnin edistäminen"
    assert "Maaherrankatu" not in str(org.data)


def test_not_a_report_form(content: Path, tmp_path: Path, capsys) -> None:
    page = tmp_path / "x.txt"
    page.write_text("Raportti kumppanuusavustustoiminnasta\n\nJotain muuta\n", encoding="utf-8")
    assert run(content, str(page)) == 1
    assert 'otsikko tai kohta "Avustetun toiminnan nimi" puuttuu' in capsys.readouterr().err


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


HEADER = ["Nimi", "Lyhyt kuvaus", "Tila", "Kunnat", "Teemat", "Toiminta-aika: Alkaa", "Hankekoodi", "Lähde: Lähteen nimi", "Lähde: Verkko-osoite"]


def test_spreadsheet_csv_good(content: Path, tmp_path: Path, capsys) -> None:
    sheet = _csv(tmp_path / "hankkeet.csv", [HEADER, [
        "Kyläapu", "Kyläapu tukee ikääntyneitä kylissä.", "Käynnissä", "Kaavi; Tuusniemi", "osallisuus", "1.9.2024", "S21999",
        "Hankeluettelo 2024", "https://example.fi/hankkeet"]])
    assert run(content, str(sheet), "--write") == 0, capsys.readouterr().err
    text = (content / "hankkeet" / "kylaapu.yml").read_text(encoding="utf-8")
    assert "status: running" in text and "- kaavi\n- tuusniemi" in text and "start: 2024-09-01" in text
    assert "url: https://example.fi/hankkeet" in text


def test_spreadsheet_bad_cells_all_at_once(content: Path, tmp_path: Path, capsys) -> None:
    sheet = _csv(tmp_path / "hankkeet.csv", [HEADER,
        ["Yksi", "Kuvaus.", "valmis", "Kaavi", "osallisuus", "31.2.2024", "S21999", "L", "https://example.fi"],
        ["Kaksi", "Kuvaus.", "ended", "Kaavix", "osallisuus", "", "12345", "L", "https://example.fi"]])
    assert run(content, str(sheet), "--write") == 1
    err = capsys.readouterr().err
    shown = sheet.as_posix()
    assert f'{shown}:2:C: status: tuntematon arvo "valmis"; sallitut: Suunnitteilla (planned), Rahoitusta haettu (applied), Käynnissä (running), Päättynyt (ended)' in err
    assert f'{shown}:2:F: period.start: päivämäärä "31.2.2024" ei kelpaa: kirjoita 31.12.2025 tai 2025-12-31' in err
    assert f'{shown}:3:D: municipalities: tuntematon arvo "Kaavix" sanastossa municipalities. Tarkoititko "kaavi"?' in err
    assert f"{shown}:3:G: project_code: hankekoodin muoto on kirjain ja numeroita, esim. S21234" in err
    assert not (content / "hankkeet" / "yksi.yml").exists() and not (content / "hankkeet" / "kaksi.yml").exists()


def test_spreadsheet_unknown_and_missing_columns(content: Path, tmp_path: Path, capsys) -> None:
    sheet = _csv(tmp_path / "hankkeet.csv", [["Nimi", "Tila", "Kunnta"], ["A", "ended", "Kaavi"]])
    assert run(content, str(sheet)) == 1
    err = capsys.readouterr().err
    assert f"{sheet.as_posix()}:1:C: Kunnta: tuntematon sarake. Tarkoititko \"Kunnat\"?" in err
    assert f'{sheet.as_posix()}:1: summary: pakollinen sarake "Lyhyt kuvaus" puuttuu' in err


def test_template_xlsx_round_trip(content: Path, tmp_path: Path, capsys) -> None:
    from openpyxl import load_workbook

    template = tmp_path / "projects.xlsx"
    assert run(content, "--template", str(template)) == 0
    book = load_workbook(template)
    headings = [c.value for c in book["Tietueet"][1]]
    assert {"Nimi", "Lyhyt kuvaus", "Tila", "Hankekoodi", "Ohjelma", "Toimintalinja", "Erityistavoite", "Rahoittava viranomainen"} <= set(headings)
    sheet = book["Tietueet"]
    values = {"Nimi": "Taulukkohanke", "Lyhyt kuvaus": "Hanke taulukosta.", "Tila": "Päättynyt", "Ikäryhmät": "Aikuiset (30–64-vuotiaat)"}
    for index, heading in enumerate(headings, start=1):
        if heading in values:
            sheet.cell(row=2, column=index, value=values[heading])
    book.save(template)
    assert run(content, str(template), "--write") == 0, capsys.readouterr().err
    text = (content / "hankkeet" / "taulukkohanke.yml").read_text(encoding="utf-8")
    assert "age_groups:\n- aikuiset" in text and "file: projects.xlsx" in text
    csv_template = tmp_path / "projects.csv"
    assert run(content, "--template", str(csv_template)) == 0
    assert csv_template.read_text(encoding="utf-8").startswith("Tunniste,Nimi,Lyhyt kuvaus")
