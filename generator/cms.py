"""The form editor at /admin/: Sveltia CMS and a config.yml generated from generator/model.py.

The CMS script is copied into the built site from node_modules (``make install`` runs ``npm ci``),
so nothing is loaded from a CDN. Without node_modules the build still succeeds and /admin/ tells
in Finnish how to install it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import types
import typing
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import yaml
from pydantic import BaseModel

from generator import images, loader, model

CMS_DIST = Path("node_modules") / "@sveltia" / "cms" / "dist"
CMS_SCRIPT = "sveltia-cms.js"
# A placeholder: the maintainers set their own repository (see README, "Form editor").
DEFAULT_REPO = "OWNER/hankekirjasto"

COLLECTION_LABELS = {
    "hankkeet": ("Hankkeet", "Hanke"),
    "toimintamallit": ("Toimintamallit", "Toimintamalli"),
    "kokonaisuudet": ("Kokonaisuudet", "Kokonaisuus"),
    "organisaatiot": ("Organisaatiot", "Organisaatio"),
}
# Which vocabulary a VocabRef field takes its values from (by field name).
VOCAB_OF_FIELD = {
    "municipalities": "municipalities", "regions": "regions", "themes": "themes",
    "target_groups": "target_groups", "age_groups": "age_groups", "funders": "funders",
    "stage": "stages", "funder": "funders", "municipality": "municipalities",
}
# Which collection a reference field points to (by field name); others take any record's id.
RELATION_OF_FIELD = {
    "implementers": "organisaatiot", "organisation": "organisaatiot", "organisations": "organisaatiot",
    "actors": "organisaatiot", "projects": "hankkeet", "practices": "toimintamallit",
    "collections": "kokonaisuudet",
}


def _unwrap_optional(tp: Any) -> Any:
    if get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _same(tp: Any, alias: Any) -> bool:
    try:
        return bool(tp == alias)
    except Exception:  # noqa: BLE001
        return False


def _strip_annotated(tp: Any) -> Any:
    return get_args(tp)[0] if get_origin(tp) is typing.Annotated else tp


def _widget(name: str, tp: Any, vocabularies: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The widget (without name/label/hint/required) for one value of type ``tp``."""
    tp = _unwrap_optional(tp)
    if _same(tp, model.Ref):
        target = RELATION_OF_FIELD.get(name)
        if target:
            return {"widget": "relation", "collection": target, "value_field": "{{slug}}",
                    "search_fields": ["title"], "display_fields": ["title"]}
        return {"widget": "string", "pattern": [model.SLUG_RE.pattern, "Tunniste: pieniä kirjaimia a–z, numeroita ja väliviivoja"]}
    if _same(tp, model.VocabRef):
        vocab = VOCAB_OF_FIELD[name]
        return {"widget": "select", "options": [{"value": key, "label": label} for key, label in vocabularies.get(vocab, {}).items()]}
    if _same(tp, model.Text):
        return {"widget": "text"}
    if _same(tp, model.Url):
        return {"widget": "string", "type": "url"}
    bare = _strip_annotated(tp)
    if get_origin(bare) is Literal:
        labels = model.STATUS_LABELS if name == "status" else model.QUALIFIER_LABELS
        return {"widget": "select", "options": [{"value": v, "label": labels.get(v, v)} for v in get_args(bare)]}
    if isinstance(bare, type) and issubclass(bare, BaseModel):
        return {"widget": "object", "fields": model_fields(bare, vocabularies)}
    if bare is dt.date:
        return {"widget": "datetime", "time_format": False, "format": "YYYY-MM-DD", "date_format": "D.M.YYYY"}
    if bare is int:
        return {"widget": "number", "value_type": "int"}
    if bare is float:
        return {"widget": "number", "value_type": "float"}
    return {"widget": "string"}


def _form_hint(description: str, widget: dict[str, Any]) -> str:
    """A field's help as the form shows it: a choice's id in brackets, "Päättynyt (ended)", and
    the sentence about writing either into the file are for YAML only; the form shows names."""
    for option in widget.get("options", ()) if widget.get("widget") == "select" else ():
        description = description.replace(f" ({option['value']})", "")
    return re.sub(r"\s*Tiedostoon voi kirjoittaa[^.]*\.", "", description).strip()


def model_fields(cls: type[BaseModel], vocabularies: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """Every field of ``cls`` as a Sveltia CMS field, with the model's Finnish label and help."""
    hints = typing.get_type_hints(cls, include_extras=True)
    fields = []
    for name, info in cls.model_fields.items():
        tp = _unwrap_optional(hints[name])
        if get_origin(tp) is list:
            item = get_args(tp)[0]
            inner = _widget(name, item, vocabularies)
            if inner["widget"] in ("select", "relation"):
                widget = inner | {"multiple": True}
            elif inner["widget"] == "object":
                widget = {"widget": "list", "fields": inner["fields"]}
            else:
                widget = {"widget": "list", "field": {"name": "item", "label": info.title or name} | inner}
        else:
            widget = _widget(name, tp, vocabularies)
        field = {"name": name, "label": info.title or name}
        if info.description:
            field["hint"] = _form_hint(info.description, widget)
        field["required"] = info.is_required()
        fields.append(field | widget)
    return fields


FORM_FIRST = ("title", "acronym", "summary", "status", "stage", "description")


def _form_order(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The record's name and short description first, as a coordinator writes them; then model order."""
    rank = {name: i for i, name in enumerate(FORM_FIRST)}
    return sorted(fields, key=lambda field: rank.get(field["name"], len(rank)))


def read_vocabularies(content_dir: Path) -> dict[str, dict[str, str]]:
    """Vocabulary name → {id: Finnish label}, read straight from content/vocabularies/."""
    result: dict[str, dict[str, str]] = {}
    for name in model.VOCABULARIES:
        path = content_dir / "vocabularies" / f"{name}.yml"
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            data = {}
        result[name] = {str(key): str((value or {}).get("label", key)) if isinstance(value, dict) else str(key)
                        for key, value in data.items()} if isinstance(data, dict) else {}
    return result


def cms_config(content_dir: Path, repo: str = DEFAULT_REPO, branch: str = "main") -> dict[str, Any]:
    vocabularies = read_vocabularies(content_dir)
    collections = []
    for folder, kind in model.FOLDERS.items():
        label, singular = COLLECTION_LABELS[folder]
        collections.append({
            "name": folder, "label": label, "label_singular": singular,
            "folder": f"content/{folder}", "extension": "yml", "format": "yml",
            "create": True, "identifier_field": "title", "slug": "{{title}}",
            "summary": "{{title}}", "sortable_fields": ["title"],
            "fields": _form_order(model_fields(model.KINDS[kind], vocabularies)),
            "editor": {"preview": False},  # the site's page is the preview; the form gets the width
        })
    return {
        "backend": {"name": "github", "repo": repo, "branch": branch},
        # Uploads (Sveltia's "Assets") go where editorial pages take their images from, under the
        # same name and size rules `hankekirjasto check` applies (generator/images.py); records
        # have no image fields. The site serves the images at /kuvat/.
        "media_folder": f"content/{loader.IMAGES_FOLDER}",
        "public_folder": f"/{images.FOLDER}",
        "media_libraries": {"default": {"config": {"max_file_size": images.MAX_BYTES, "slugify_filename": True}}},
        "slug": {"encoding": "unicode", "clean_accents": True, "sanitize_replacement": "-"},
        # An optional field left empty is left out of the file, as content/README.md asks of
        # editors (an empty line would be refused: "täytä se tai poista rivi").
        "output": {"omit_empty_optional_fields": True, "yaml": {"indent_sequences": True}},
        "collections": collections,
    }


_HEAD = """<!doctype html>
<html lang="fi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
"""

# Sveltia takes its interface language from the browser unless its preferences (localStorage
# "sveltia-cms.prefs", read when the script starts) name one: Finnish is set there before the
# script loads, unless the editor has chosen a language in the account menu.
FINNISH_UI = ("try{var k='sveltia-cms.prefs',p=JSON.parse(localStorage.getItem(k)||'{}')||{};"
              "if(!p.locale||p.locale==='auto'){p.locale='fi';localStorage.setItem(k,JSON.stringify(p))}}catch(e){}")

INDEX_HTML = _HEAD + """<title>Lomake-editori – Hankekirjasto</title>
<script>""" + FINNISH_UI.replace("{", "{{").replace("}", "}}") + """</script>
</head>
<body>
<script src="./{script}"></script>
</body>
</html>
"""

MISSING_HTML = _HEAD + """<title>Lomake-editori puuttuu – Hankekirjasto</title>
<style>body{{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}code{{background:#eee;padding:0 .2em}}</style>
</head>
<body>
<main>
<h1>Lomake-editoria ei ole asennettu</h1>
<p>Lomake-editori (Sveltia CMS) asennetaan npm:llä. Aja hankkeen kansiossa <code>make install</code>
(se ajaa <code>npm ci</code>, joka vaatii Node.js:n) ja rakenna sivusto uudelleen
(<code>make build</code> tai <code>make serve</code>).</p>
<p>Puuttui: <code>{missing}</code></p>
<p><a href="../">Takaisin etusivulle</a></p>
</main>
</body>
</html>
"""


# Sveltia fetches its translation and fonts from CDNs; the site serves its own copies instead.
_LOCALES_URL = re.compile(r"`\$\{\w+\}@\$\{\w+\}/locales`")
_FONT_URL = re.compile(r"https://cdn\.jsdelivr\.net/fontsource/fonts/([a-z0-9-]+)(?::vf)?@[0-9.]+/([a-z0-9-]+\.woff2)")


def _localise(script: str, project_dir: Path, admin: Path) -> str:
    """The CMS script with its CDN addresses pointed at files copied next to it under admin/."""
    locales = project_dir / "node_modules" / "@sveltia" / "cms" / "locales"
    if (locales / "fi.json").is_file():
        (admin / "locales").mkdir(exist_ok=True)
        for name in ("fi.json", "en-US.json", "en.json"):
            if (locales / name).is_file():
                shutil.copy2(locales / name, admin / "locales" / name)
        script = _LOCALES_URL.sub("new URL(`locales`,document.baseURI).href", script)

    def font(match: re.Match[str]) -> str:
        family, file = match.group(1), match.group(2)
        for scope in ("@fontsource-variable", "@fontsource"):
            source = project_dir / "node_modules" / scope / family / "files" / f"{family}-{file}"
            if source.is_file():
                (admin / "fonts").mkdir(exist_ok=True)
                shutil.copy2(source, admin / "fonts" / source.name)
                return f"fonts/{source.name}"
        return match.group(0)
    # Its update check (unpkg) and GitHub status check read an empty answer instead of the network.
    for call in ("`${iP}/package.json`", "`https://www.githubstatus.com/api/v2/status.json`"):
        script = script.replace(call, "`data:application/json,{}`")
    script = re.sub(r"`\$\{\w+\}/package\.json`", "`data:application/json,{}`", script)
    # Its viewport tag forbids zooming (maximum-scale=1), against WCAG 1.4.4: let editors zoom.
    script = script.replace("`maximum-scale=1`,", "")
    return _FONT_URL.sub(font, script)


def write_admin(site_dir: Path, content_dir: Path, project_dir: Path | None = None, repo: str = DEFAULT_REPO) -> bool:
    """Write site_dir/admin/ (index.html, config.yml, the CMS script). True if the CMS is there."""
    project_dir = project_dir or Path.cwd()
    admin = site_dir / "admin"
    admin.mkdir(parents=True, exist_ok=True)
    config = cms_config(content_dir, repo=repo)
    (admin / "config.yml").write_text(
        "# Generated from generator/model.py by generator/cms.py; do not edit.\n"
        + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    dist = project_dir / CMS_DIST
    if not (dist / CMS_SCRIPT).is_file():
        (admin / "index.html").write_text(MISSING_HTML.format(missing=html.escape(str(CMS_DIST / CMS_SCRIPT))), encoding="utf-8")
        return False
    (admin / CMS_SCRIPT).write_text(_localise(( dist / CMS_SCRIPT).read_text(encoding="utf-8"), project_dir, admin), encoding="utf-8")
    if (dist / "chunks").is_dir():
        shutil.copytree(dist / "chunks", admin / "chunks", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("*.map"))
    (admin / "index.html").write_text(INDEX_HTML.format(script=CMS_SCRIPT), encoding="utf-8")
    return True
