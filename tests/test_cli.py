"""The command line: check reports every problem with exit code 1; new writes a commented skeleton."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main


def test_check_ok(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--content", str(content), "check"]) == 0
    assert "Kaikki kunnossa: 1 project, 2 practice, 1 collection, 1 organisation" in capsys.readouterr().out


def test_check_reports_every_problem_and_exits_1(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (content / "hankkeet" / "a.yml").write_text("title: A\n", encoding="utf-8")
    (content / "hankkeet" / "b.yml").write_text("- lista\n", encoding="utf-8")
    assert main(["--content", str(content), "check"]) == 1
    err = capsys.readouterr().err
    assert "Sisällössä on 4 virhettä 2 tiedostossa:" in err
    assert "content/hankkeet/a.yml:1: summary: pakollinen kenttä puuttuu" in err
    assert "content/hankkeet/a.yml:1: status: pakollinen kenttä puuttuu" in err
    assert "content/hankkeet/a.yml:1: sources: pakollinen kenttä puuttuu" in err
    assert "content/hankkeet/b.yml:1: tiedoston pitää olla YAML-sanakirja (avain: arvo), nyt se on lista" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("kind,folder", [("practice", "toimintamallit"), ("hanke", "hankkeet"), ("collection", "kokonaisuudet"), ("organisaatio", "organisaatiot")])
def test_new_writes_commented_skeleton(content: Path, kind: str, folder: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--content", str(content), "new", kind, "uusi-tietue"]) == 0
    text = (content / folder / "uusi-tietue.yml").read_text(encoding="utf-8")
    assert "# Nimi (pakollinen): Tietueen nimi sellaisena kuin se näytetään." in text
    assert "# Lähteet (pakollinen):" in text
    # An unfilled skeleton is not a valid record: check names what is still missing.
    assert main(["--content", str(content), "check"]) == 1
    assert "uusi-tietue.yml:" in capsys.readouterr().err


def test_new_refuses_to_overwrite(content: Path) -> None:
    assert main(["--content", str(content), "new", "practice", "malli"]) == 2


def test_new_refuses_bad_slug(content: Path) -> None:
    assert main(["--content", str(content), "new", "practice", "Ääkkönen Nimi"]) == 2


def test_generate_writes_markdown_tree(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "vanha.md").parent.mkdir(parents=True)
    (out / "vanha.md").write_text("stale", encoding="utf-8")
    assert main(["--content", str(content), "generate", str(out)]) == 0
    assert (out / "toimintamallit" / "malli.md").read_text(encoding="utf-8").startswith("---\ntitle: \"Tuettu malli\"")
    assert not (out / "vanha.md").exists()


def test_generate_follows_the_mkdocs_config(site_copy: Path, tmp_path: Path) -> None:
    """`generate` writes what the plugin would: the config's URL style and similarity settings."""
    config = site_copy / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - hankekirjasto\n", "  - hankekirjasto:\n      similarity:\n        limit: 1\n        min_score: 0.0\n")
        + "use_directory_urls: false\nextra:\n  secret: !ENV [NOT_SET, x]\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["--content", str(site_copy / "content"), "generate", str(out), "--config", str(config)]) == 0
    page = (out / "toimintamallit" / "malli.md").read_text(encoding="utf-8")
    assert 'href="toinen-malli.html"' in page
    similar = page.split("Samankaltaiset toimintamallit", 1)[1].split("##", 1)[0]
    assert similar.count("<li>") == 1


def test_generate_reports_bad_similarity_settings(site_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = site_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - hankekirjasto\n", "  - hankekirjasto:\n      similarity:\n        limit: -1\n"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["--content", str(site_copy / "content"), "generate", str(out), "--config", str(config)]) == 2
    assert "limit: arvon pitää olla kokonaisluku ≥ 0, nyt -1" in capsys.readouterr().err
    assert not out.exists()
