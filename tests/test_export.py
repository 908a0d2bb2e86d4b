"""The project `hankekirjasto generate` writes for builders without our plugin: the folder layout
and the Markdown links that follow it (generator/export.py)."""

from __future__ import annotations

import pytest

from generator.export import builder_config, folder_layout, folder_path


def test_every_page_becomes_its_folders_index() -> None:
    assert folder_path("hankkeet/x.md") == "hankkeet/x/index.md"
    assert folder_path("haku.md") == "haku/index.md"
    assert folder_path("index.md") == "index.md" and folder_path("teemat/index.md") == "teemat/index.md"
    assert folder_path("data/selaa.json") == "data/selaa.json"


def test_markdown_links_follow_the_moved_pages() -> None:
    files = {
        "index.md": "[Tietoa](tietoa.md) [opit](hakijalle/opit.md \"Opit\") [suodata](selaa.md?teema=a#tulokset)\n",
        "tietoa.md": ("[Hae](haku.md#hk-haku-q) ![kuva](assets/k.png) [data](<data/x y.json>) [ulos](https://x.fi/a.md) "
                      "[ylös](#alku) [sähköposti](mailto:a@b.fi) [juuresta](/haku/)\n\n"
                      "```\n[koodia](haku.md)\n```\n\n[viite]: toimintamallit/index.md\n"),
        "haku.md": "", "selaa.md": "", "hakijalle/opit.md": "[takaisin](../tietoa.md) [etusivu](../index.md) [kansio](../teemat/)\n",
        "toimintamallit/index.md": "", "teemat/index.md": "", "assets/k.png": "x", "data/x y.json": "{}",
    }
    moved = folder_layout(files)
    assert set(moved) == {"index.md", "tietoa/index.md", "haku/index.md", "selaa/index.md", "hakijalle/opit/index.md",
                          "toimintamallit/index.md", "teemat/index.md", "assets/k.png", "data/x y.json"}
    assert moved["index.md"] == "[Tietoa](tietoa/index.md) [opit](hakijalle/opit/index.md \"Opit\") [suodata](selaa/index.md?teema=a#tulokset)\n"
    assert moved["tietoa/index.md"] == (
        "[Hae](../haku/index.md#hk-haku-q) ![kuva](../assets/k.png) [data](<../data/x y.json>) [ulos](https://x.fi/a.md) "
        "[ylös](#alku) [sähköposti](mailto:a@b.fi) [juuresta](/haku/)\n\n"
        "```\n[koodia](haku.md)\n```\n\n[viite]: ../toimintamallit/index.md\n")
    assert moved["hakijalle/opit/index.md"] == "[takaisin](../../tietoa/index.md) [etusivu](../../index.md) [kansio](../../teemat/)\n"


def test_links_in_code_spans_are_text_and_images_stay_bytes() -> None:
    """`![kuva](kuvat/x.png)` written as an example in a code span is not a link (the two builders
    would show different text); an image's bytes pass through unchanged."""
    files = {"ohjeet.md": "Muoto `![kuva](kuvat/x.png)` tai ``a ` [b](index.md)``, oikea ![kuva](kuvat/x.png).\n\n"
                          "Avoin ` ei ole koodia: [etusivu](index.md)\n\ntoinen ` kappale\n",
             "index.md": "", "kuvat/x.png": b"\x89PNG\r\n\x1a\n\x00"}
    moved = folder_layout(files)
    assert moved["ohjeet/index.md"] == ("Muoto `![kuva](kuvat/x.png)` tai ``a ` [b](index.md)``, oikea ![kuva](../kuvat/x.png).\n\n"
                                        "Avoin ` ei ole koodia: [etusivu](../index.md)\n\ntoinen ` kappale\n")
    assert moved["kuvat/x.png"] == files["kuvat/x.png"]


def test_two_pages_that_would_be_one_are_refused() -> None:
    with pytest.raises(ValueError, match="sama sivu"):
        folder_layout({"a.md": "", "a/index.md": ""})


def test_the_config_drops_the_plugin_and_keeps_the_rest() -> None:
    source = {"site_name": "S", "docs_dir": "content", "plugins": [{"hankekirjasto": {"similarity": {}}}, "search"],
              "theme": {"name": "material", "custom_dir": "/abs/overrides", "variant": "modern"},
              "extra_css": ["oma.css"], "nav": [{"Haku": "haku.md"}, {"Ulos": "https://x.fi/"}, "index.md"],
              "markdown_extensions": ["tables"]}
    config = builder_config(source, directory_urls=True, overrides=False)
    assert config["plugins"] == [] and config["docs_dir"] == "docs"
    assert config["theme"] == {"name": "material", "variant": "modern"}  # an explicit variant is kept
    assert config["extra_css"] == ["oma.css", "assets/hankekirjasto.css"]
    assert config["nav"] == [{"Haku": "haku/index.md"}, {"Ulos": "https://x.fi/"}, "index.md"]
    assert config["markdown_extensions"] == ["tables"]
    assert builder_config(source, directory_urls=False, overrides=True)["nav"] == source["nav"]
