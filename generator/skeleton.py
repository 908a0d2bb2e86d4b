"""Record skeletons for `hankekirjasto new`: every field, explained in Finnish in a comment."""

from __future__ import annotations

from typing import Any, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .linker import REF_FIELDS, VOCAB_FIELDS
from .model import KINDS


def skeleton(kind: str, slug: str) -> str:
    """YAML text for a new record of ``kind``: required fields first, every field commented."""
    model = KINDS[kind]
    lines = [
        f"# Uusi tietue: {slug}. Täytä kentät lähteiden perusteella; poista ne, joista ei ole tietoa.",
        "# Pakolliset kentät on merkitty (pakollinen). Ohje: sivuston sivu 'Näin lisäät kuvauksen'.",
        f"# yaml-language-server: $schema=../../schema/{kind}.schema.json",
        "",
    ]
    fields = sorted(model.model_fields.items(), key=lambda item: not item[1].is_required())
    for name, info in fields:
        lines += _field(name, info, indent="")
    return "\n".join(lines) + "\n"


def _comment(name: str, info: FieldInfo) -> str:
    required = " (pakollinen)" if info.is_required() else ""
    extra = ""
    if name in VOCAB_FIELDS:
        extra = f" Arvot sanastosta content/vocabularies/{VOCAB_FIELDS[name]}.yml."
    elif name in REF_FIELDS:
        extra = " Arvo on toisen tietueen tiedostonimi ilman päätettä."
    return f"# {info.title}{required}: {info.description}{extra}"


def _field(name: str, info: FieldInfo, indent: str) -> list[str]:
    comment = indent + _comment(name, info)
    nested = _nested_model(info.annotation)
    is_list = _is_list(info.annotation)
    prefix = "" if info.is_required() else "# "
    if nested is not None:
        item_indent = indent + ("  - " if is_list else "  ")
        body = [comment, f"{indent}{prefix}{name}:"]
        first = True
        for sub_name, sub_info in nested.model_fields.items():
            lead = item_indent if first or not is_list else indent + "    "
            value = _placeholder(sub_info)
            body.append(f"{indent}{prefix}{lead[len(indent):]}{sub_name}: {value}  # {sub_info.title}: {sub_info.description}")
            first = False
        return body
    if is_list:
        return [comment, f"{indent}{prefix}{name}:", f"{indent}{prefix}  - "]
    return [comment, f"{indent}{prefix}{name}: {_placeholder(info)}"]


def _placeholder(info: FieldInfo) -> str:
    if _is_list(info.annotation):
        return "[]"
    if _nested_model(info.annotation) is not None:
        return "{}"
    text = str(info.annotation)
    if "date" in text:
        return "2025-01-31"
    if "float" in text:
        return "0"
    return '""'


def _is_list(annotation: Any) -> bool:
    if get_origin(annotation) is list:
        return True
    return any(_is_list(arg) for arg in get_args(annotation) if arg is not type(None))


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _nested_model(arg)
        if found is not None:
            return found
    return None
