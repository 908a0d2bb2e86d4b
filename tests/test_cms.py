"""The generated Sveltia CMS config follows generator/model.py and content/vocabularies."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from generator import cms, model

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def config():
    return cms.cms_config(CONTENT)


def _nested(cls, name):
    hints = typing.get_type_hints(cls, include_extras=True)
    tp = cms._unwrap_optional(hints[name])
    if typing.get_origin(tp) is list:
        tp = typing.get_args(tp)[0]
    tp = cms._strip_annotated(cms._unwrap_optional(tp))
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _check_fields(cls, fields):
    by_name = {f["name"]: f for f in fields}
    assert set(by_name) == set(cls.model_fields), cls.__name__
    for name, info in cls.model_fields.items():
        field = by_name[name]
        assert field["label"] == info.title, (cls.__name__, name)
        assert field["required"] == info.is_required(), (cls.__name__, name)
        hint = field.get("hint")
        if field.get("widget") == "select" and hint != info.description:
            # the form shows the choices by name: their ids in brackets are for the YAML file only
            assert not [o for o in field["options"] if f"({o['value']})" in hint] and "Tiedostoon" not in hint
            assert hint and info.description.startswith(hint[:8]), (cls.__name__, name)
        else:
            assert hint == info.description, (cls.__name__, name)
        sub = _nested(cls, name)
        if sub is not None:
            _check_fields(sub, field["fields"])


def test_every_model_field_is_in_the_config(config):
    assert config["output"]["omit_empty_optional_fields"] is True  # an empty optional field would be refused
    by_folder = {c["name"]: c for c in config["collections"]}
    assert set(by_folder) == set(model.FOLDERS)
    for folder, kind in model.FOLDERS.items():
        collection = by_folder[folder]
        assert collection["folder"] == f"content/{folder}"
        assert collection["extension"] == "yml"
        _check_fields(model.KINDS[kind], collection["fields"])


def test_vocabulary_options_equal_the_vocabulary(config):
    practice = {f["name"]: f for f in config["collections"][1]["fields"]}
    for field, vocab in [("themes", "themes"), ("municipalities", "municipalities"), ("stage", "stages"), ("funders", "funders")]:
        data = yaml.safe_load((CONTENT / "vocabularies" / f"{vocab}.yml").read_text(encoding="utf-8"))
        options = practice[field]["options"]
        assert [o["value"] for o in options] == list(data)
        assert [o["label"] for o in options] == [v["label"] for v in data.values()]
    assert practice["themes"]["multiple"] is True
    assert "multiple" not in practice["stage"]


def test_every_key_of_every_record_maps_to_a_config_field(config):
    by_folder = {c["name"]: c for c in config["collections"]}

    def walk(value, fields, where):
        by_name = {f["name"]: f for f in fields}
        if isinstance(value, dict):
            for key, item in value.items():
                assert key in by_name, f"{where}: {key}"
                field = by_name[key]
                if "fields" in field:
                    for element in item if isinstance(item, list) else [item]:
                        walk(element, field["fields"], f"{where}.{key}")

    for folder in model.FOLDERS:
        for path in sorted((CONTENT / folder).glob("*.yml")):
            walk(yaml.safe_load(path.read_text(encoding="utf-8")), by_folder[folder]["fields"], path.name)


def test_admin_without_node_modules_says_how_to_install(tmp_path):
    assert cms.write_admin(tmp_path / "site", CONTENT, project_dir=tmp_path) is False
    page = (tmp_path / "site" / "admin" / "index.html").read_text(encoding="utf-8")
    assert "make install" in page and 'lang="fi"' in page
    assert (tmp_path / "site" / "admin" / "config.yml").is_file()


@pytest.mark.skipif(not (ROOT / cms.CMS_DIST / cms.CMS_SCRIPT).is_file(), reason="npm ci not run")
def test_admin_with_cms_serves_the_script_from_the_site(tmp_path):
    assert cms.write_admin(tmp_path / "site", CONTENT, project_dir=ROOT) is True
    page = (tmp_path / "site" / "admin" / "index.html").read_text(encoding="utf-8")
    assert f'src="./{cms.CMS_SCRIPT}"' in page and "http" not in page
    assert (tmp_path / "site" / "admin" / cms.CMS_SCRIPT).is_file()


def test_the_cms_uploads_images_where_check_takes_them(config, tmp_path):
    """What the form's media library (Sveltia's Assets) writes, `hankekirjasto check` accepts: the
    media folder is the editorial pages' image folder, with the same size limit, and a slugified
    file name (what Sveltia writes with slugify_filename) passes the name rule."""
    import shutil

    from generator import images, loader
    from generator.pipeline import check

    assert config["media_folder"] == f"content/{loader.IMAGES_FOLDER}"
    assert config["public_folder"] == f"/{images.FOLDER}"
    library = config["media_libraries"]["default"]["config"]
    assert library == {"max_file_size": images.MAX_BYTES, "slugify_filename": True}
    site = tmp_path / "repo"
    shutil.copytree(CONTENT, site / "content")
    upload = site / config["media_folder"] / "lomake-naytto-1.png"  # "Lomake näyttö 1.PNG" slugified
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(images.MAX_BYTES - 8))  # as large as the CMS lets it be
    assert "lomake-naytto-1.png" in check(site / "content").corpus.images


def test_admin_page_sets_finnish_before_the_cms_starts():
    page = cms.INDEX_HTML.format(script=cms.CMS_SCRIPT)
    assert page.index(cms.FINNISH_UI) < page.index(f'src="./{cms.CMS_SCRIPT}"')
