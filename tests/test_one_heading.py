"""A page says each thing once: every text field of a record is shown under one heading only.

Each text field of the fixture records gets a marker of its own; the rendered page must carry
every shown marker exactly once (the summary is the lead and the page description, by design),
and the editors' notes never.
"""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
import yaml
from pydantic import AfterValidator

from generator import model
from generator.model import KIND_FOLDERS, KINDS
from generator.pipeline import generate

SKIPPED = {"title", "summary"}  # the title is the heading; the summary the lead and the meta description


def _is_text(annotation: object) -> bool:
    """A Text or Line field (free text), not a reference, vocabulary value, URL or number."""
    if any(isinstance(m, AfterValidator) and m.func in (model._check_text, model._check_line)
           for m in getattr(annotation, "__metadata__", ())):
        return True
    return any(_is_text(a) for a in typing.get_args(annotation) if a is not type(None)) and typing.get_origin(annotation) is not list


def _text_fields(kind: str) -> list[str]:
    return [name for name, info in KINDS[kind].model_fields.items()
            if name not in SKIPPED and typing.get_origin(info.annotation) is not list and _is_text(info.annotation)]


@pytest.mark.parametrize("kind", ["project", "practice", "collection"])
def test_every_text_field_is_shown_once(content: Path, kind: str) -> None:
    folder = content / KIND_FOLDERS[kind]
    path = sorted(folder.glob("*.yml"))[0]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields = _text_fields(kind)
    assert "editor_notes" in fields and "description" in fields
    for name in fields:
        data[name] = f"Merkki{name.replace('_', '')}Xq"
    if "goals" in KINDS[kind].model_fields:
        data["goals"] = ["MerkkigoalsXq"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    page = generate(content)[f"{KIND_FOLDERS[kind]}/{path.stem}.md"]
    body = page.split("\n---\n", 1)[1]
    counts = {name: body.count(f"Merkki{name.replace('_', '')}Xq") for name in [*fields, "goals"]}
    assert counts.pop("editor_notes") == 0
    shown_twice = {name: n for name, n in counts.items() if n > 1}
    assert not shown_twice, f"{kind}: fields shown under more than one heading: {shown_twice}"
