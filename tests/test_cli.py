"""The command line: check reports every problem with exit code 1; new writes a commented skeleton."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
import yaml

from generator.cli import main


def test_check_ok(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--content", str(content), "check"]) == 0
    assert "Kaikki kunnossa: 1 hanke, 2 toimintamallia, 1 kokonaisuus, 1 organisaatio" in capsys.readouterr().out


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


def test_new_refuses_bad_slug_and_offers_one(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--content", str(content), "new", "practice", "Ääkkönen Nimi"]) == 2
    assert '"aakkonen-nimi"' in capsys.readouterr().err
    assert not list(content.rglob("aakkonen*"))


def test_generate_writes_markdown_tree(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "docs").mkdir(parents=True)
    (out / "docs" / "vanha.md").write_text("stale", encoding="utf-8")
    assert main(["--content", str(content), "generate", str(out)]) == 0
    # Every page is <folder>/index.md: its source folder is its URL's folder (see generator/export.py).
    assert (out / "docs" / "toimintamallit" / "malli" / "index.md").read_text(encoding="utf-8").startswith("---\ntitle: \"Tuettu malli\"")
    assert (out / "docs" / "index.md").is_file() and (out / "docs" / "haku" / "index.md").is_file()
    assert not (out / "docs" / "vanha.md").exists()
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["docs_dir"] == "docs" and config["plugins"] == [] and config["theme"]["variant"] == "classic"
    assert "assets/hankekirjasto.css" in config["extra_css"]


def test_generate_writes_what_the_generator_makes_in_the_folder_layout(content: Path, tmp_path: Path) -> None:
    """The project is written file by file as the pages are made, never held whole: it is
    exactly the generated tree in the folder layout (generator/export.py)."""
    from generator.export import folder_layout
    from generator.pipeline import generate

    out = tmp_path / "out"
    assert main(["--content", str(content), "generate", str(out)]) == 0
    expected = folder_layout(generate(content))
    written = {path.relative_to(out / "docs").as_posix(): path.read_bytes() for path in (out / "docs").rglob("*") if path.is_file()}
    assert written.keys() == expected.keys()
    for path, text in expected.items():
        assert written[path] == (text if isinstance(text, bytes) else text.encode("utf-8")), path
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no staging folder left


def test_generate_with_bad_content_keeps_the_last_project(content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bad content is reported with file and field, and the project written before stays whole:
    never a half-written docs/."""
    out = tmp_path / "out"
    assert main(["--content", str(content), "generate", str(out)]) == 0
    before = sorted(path.relative_to(out).as_posix() for path in out.rglob("*"))
    record = sorted((content / "toimintamallit").glob("*.y*ml"))[0]
    record.write_text(record.read_text(encoding="utf-8").replace("title:", "title_typo:", 1), encoding="utf-8")
    assert main(["--content", str(content), "generate", str(out)]) == 1
    assert record.name in capsys.readouterr().err
    assert sorted(path.relative_to(out).as_posix() for path in out.rglob("*")) == before
    fresh = tmp_path / "fresh"
    assert main(["--content", str(content), "generate", str(fresh)]) == 1
    assert not fresh.exists()


def test_generate_into_a_file_or_a_full_disk_says_so(content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    a_file = tmp_path / "sivusto.txt"
    a_file.write_text("", encoding="utf-8")
    assert main(["--content", str(content), "generate", str(a_file)]) == 2
    assert f"{a_file} on tiedosto" in capsys.readouterr().err
    out = tmp_path / "out"
    assert main(["--content", str(content), "generate", str(out)]) == 0
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}

    def full_disk(self: object, folder: Path, place: object = None) -> list[str]:
        (folder / "hankkeet").mkdir(parents=True)
        (folder / "hankkeet" / "puoliksi.md").write_text("kesken", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("generator.pipeline.Generator.write", full_disk)
    assert main(["--content", str(content), "generate", str(out)]) == 1
    assert f"kansioon {out} ei voi kirjoittaa (No space left on device)" in capsys.readouterr().err
    assert {path: path.read_bytes() for path in out.rglob("*") if path.is_file()} == before  # the last project, whole


def test_generate_writes_the_sites_config_without_the_plugin(site_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    overrides = site_copy / "overrides" / "partials"
    overrides.mkdir(parents=True)
    (overrides / "footer.html").write_text("<footer>oma</footer>", encoding="utf-8")
    config_file = site_copy / "mkdocs.yml"
    config_file.write_text(config_file.read_text(encoding="utf-8").replace("  font: false\n", "  font: false\n  custom_dir: overrides\n"), encoding="utf-8")
    assert main(["--content", str(site_copy / "content"), "generate", str(out), "--config", str(config_file)]) == 0
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Testisivusto" and config["theme"]["language"] == "fi"
    assert config["theme"]["custom_dir"] == "overrides" and (out / "overrides" / "partials" / "footer.html").is_file()
    assert config["nav"][0] == {"Etusivu": "index.md"} and {"Haku": "haku/index.md"} in config["nav"]
    assert config["validation"] == {"nav": {"omitted_files": "ignore"}}


def test_generate_then_index(site_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`index` runs Pagefind over any built site; without a built site it says so."""
    assert main(["index", str(tmp_path / "ei-ole")]) == 2
    assert "rakenna sivusto ensin" in capsys.readouterr().err
    site = tmp_path / "site" / "hankkeet" / "x"
    site.mkdir(parents=True)
    (site / "index.html").write_text('<html lang="fi"><body><article class="md-content__inner md-typeset"><h1>Hanke</h1>'
                                     "<p>Työllistyminen</p></article></body></html>", encoding="utf-8")
    assert main(["index", str(tmp_path / "site")]) == 0
    assert "Hakuhakemisto: 1 sivua" in capsys.readouterr().out
    assert (tmp_path / "site" / "pagefind" / "pagefind-entry.json").is_file()


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
    page = (out / "docs" / "toimintamallit" / "toinen-malli.md").read_text(encoding="utf-8")  # x.html: no folders
    similar = page.split("Samankaltaiset hankkeet", 1)[1].split("##", 1)[0]
    assert similar.count("<li>") == 1
    assert 'href="../hankkeet/malli-hanke.html"' in similar


def test_generate_reports_bad_similarity_settings(site_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = site_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - hankekirjasto\n", "  - hankekirjasto:\n      similarity:\n        limit: -1\n"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["--content", str(site_copy / "content"), "generate", str(out), "--config", str(config)]) == 2
    assert "limit: arvon pitää olla kokonaisluku ≥ 0, nyt -1" in capsys.readouterr().err
    assert not out.exists()
