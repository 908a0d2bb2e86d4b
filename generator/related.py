"""Adapter between records and the similarity module: records in, ranked neighbours out."""

from __future__ import annotations

from dataclasses import replace
from itertools import chain
from typing import Any

from . import similarity
from .linker import Site
from .loader import Record

PLACE_VOCABULARIES = ("regions", "municipalities")
# The kinds compared, each one list on a page: "Samankaltaiset toimintamallit", then
# "Samankaltaiset hankkeet". Every project and practice page shows both.
KINDS = ("practice", "project")
# The fields ``text_fields`` may name: those this adapter reads text from.
READABLE_TEXT_FIELDS = ("summary", "description", "need", "goals", "actions", "results", "target_group_description",
                        "core_idea", "environment", "outreach", "continuation")


def _text(data: Any, name: str) -> str:
    value = getattr(data, name, None)
    if value is None:
        return ""
    if name == "goals":
        return "\n".join(value)
    if name == "actions":
        return "\n".join(" ".join([s.title, s.description or "", *s.steps]) for s in value)
    if name == "results":
        return " ".join([value.summary or "", *(i.name for i in value.indicators)])
    if name == "need":
        return " ".join(filter(None, [value, getattr(data, "starting_point", None), getattr(data, "core_idea", None)]))
    return str(value)


def _text_field(data: Any, name: str) -> str:
    return _text(data, name) if name in READABLE_TEXT_FIELDS else ""


def _not_related(record: Record, site: Site) -> tuple[str, ...]:
    """Editors' exclusions, plus the record's own practices or projects (its page lists them
    already: a project its practices, a practice the projects it came from)."""
    own = site.relations.get(record.id, {}).get("practices" if record.kind == "project" else "projects", [])
    return tuple(dict.fromkeys([*getattr(record.data, "not_related", ()), *own]))


def item(record: Record, site: Site, text_fields: tuple[str, ...] = similarity.DEFAULT_TEXT_FIELDS) -> similarity.Item:
    """The similarity view of a record: its controlled values and its texts by field."""
    data = record.data
    funders = set(getattr(data, "funders", []) or []) | {f.funder for f in getattr(data, "funding", [])}
    stage = {data.stage} if getattr(data, "stage", None) else set()
    facets = {
        "target_groups": frozenset(data.target_groups),
        "themes": frozenset(data.themes),
        "organisations": frozenset([*getattr(data, "implementers", ()), *getattr(data, "organisations", ())]),
        "regions": frozenset(site.regions.get(record.id, [])),
        "municipalities": frozenset(data.municipalities),
        "funders": frozenset(funders),
        "stage": frozenset(stage),
    }
    texts = {name: _text_field(data, name) for name in text_fields}
    return similarity.Item(
        id=record.id,
        title=data.title,
        facets=facets,
        texts=texts,
        related=tuple(getattr(data, "related", ())),
        not_related=_not_related(record, site),
    )


def compute(site: Site, settings: dict[str, Any]) -> dict[str, tuple[similarity.Neighbour, ...]]:
    """Similar practices, then similar projects, for every practice and project page."""
    settings_config = config(site, settings)
    return rank(items(site, settings_config.text_fields), site, settings_config)


def items(site: Site, text_fields: tuple[str, ...] = similarity.DEFAULT_TEXT_FIELDS) -> list[similarity.Item]:
    """The similarity view of every practice, then every project, each in id order (not by
    title: a renamed record must not change the input, so `mkdocs serve` can reuse the ranking)."""
    return [item(r, site, text_fields) for kind in KINDS for r in sorted(site.of_kind(kind), key=lambda r: r.id)]


def place_names(site: Site) -> tuple[str, ...]:
    """The names of the regions and municipalities, which the texts are not compared on: place
    is a facet already, and without this two texts that both say "Keski-Pohjanmaa" showed
    "keski, pohjanmaan" as shared words."""
    vocabularies = site.corpus.vocabularies
    return tuple(sorted({term.label for name in PLACE_VOCABULARIES for term in vocabularies.get(name, {}).values()}))


def settings_config(settings: dict[str, Any]) -> similarity.SimilarityConfig:
    """``settings`` (mkdocs.yml) over the defaults of ``SimilarityConfig``, checked: raises
    ValueError with one Finnish line per wrong setting."""
    return similarity.SimilarityConfig.from_settings(settings, READABLE_TEXT_FIELDS)


def config(site: Site, settings: dict[str, Any]) -> similarity.SimilarityConfig:
    """The ranking's settings (:func:`settings_config`) with the site's place names added to
    the words the texts are not compared on."""
    checked = settings_config(settings)
    return replace(checked, text_stop_words=(*checked.text_stop_words, *place_names(site)))


def rank(all_items: list[similarity.Item], site: Site, config: similarity.SimilarityConfig) -> dict[str, tuple[similarity.Neighbour, ...]]:
    """Rank ``all_items`` (from ``items``) against the practices and against the projects
    among them: per id, its similar practices, then its similar projects (each list up to
    ``limit``; a pinned record shows in the list of its kind)."""
    kind_of = {r.id: r.kind for kind in KINDS for r in site.of_kind(kind)}
    lists = {kind: [i for i in all_items if kind_of.get(i.id) == kind] for kind in KINDS}
    ranked = similarity.rank_lists(all_items, lists, config)
    return {i.id: tuple(chain.from_iterable(ranked[kind].get(i.id, ()) for kind in KINDS)) for i in all_items}
