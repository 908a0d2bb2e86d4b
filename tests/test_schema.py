"""The JSON Schema in schema/ is what editors' YAML tooling reads: it must match the model."""

from __future__ import annotations

from pathlib import Path

from generator.schema import schemas

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"


def test_committed_schema_is_up_to_date() -> None:
    expected = schemas()
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMA_DIR.glob("*.json")}
    assert sorted(committed) == sorted(expected), "run: make schema"
    for name, text in expected.items():
        assert committed[name] == text, f"schema/{name} is out of date: run make schema"


def test_schema_carries_finnish_titles() -> None:
    import json

    practice = json.loads(schemas()["practice.schema.json"])
    assert practice["properties"]["core_idea"]["title"] == "Ratkaisun perusidea"
    assert "summary" in practice["required"]
