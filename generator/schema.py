"""JSON Schema export: editors point yaml-language-server at these files; open data links them."""

from __future__ import annotations

import json

from .model import KINDS, VOCABULARIES


def schemas() -> dict[str, str]:
    """File name → JSON text of the schema of every record kind and vocabulary."""
    out: dict[str, str] = {}
    for kind, model in KINDS.items():
        out[f"{kind}.schema.json"] = _dump(model.model_json_schema())
    for name, model in VOCABULARIES.items():
        schema = {
            "title": f"Sanasto {name}",
            "type": "object",
            "propertyNames": {"pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"},
            "additionalProperties": model.model_json_schema(),
        }
        out[f"vocabulary-{name}.schema.json"] = _dump(schema)
    return out


def _dump(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
