"""Adapter between records and the similarity module: records in, ranked neighbours out."""

from __future__ import annotations

from typing import Any

from . import similarity
from .linker import Site
from .loader import Record

TEXT_FIELDS = ("summary", "need", "goals", "actions", "results")
PLACE_VOCABULARIES = ("regions", "municipalities")

# Who a practice serves and what it is about weigh most; place, funder and stage much less,
# because practices of one programme share all of those and would otherwise crowd out
# similar work elsewhere. Override any of these under `similarity:` in mkdocs.yml.
DEFAULT_SETTINGS: dict[str, Any] = {
    "limit": 5,
    "min_score": 0.2,
    "facet_weights": {"target_groups": 3.0, "themes": 3.0, "regions": 1.0, "municipalities": 0.5, "funders": 0.5, "stage": 0.25},
    "text_weight": 3.0,
}


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


def _not_related(record: Record, site: Site) -> tuple[str, ...]:
    """Editors' exclusions, plus a project's own practices (already listed on its page)."""
    own = site.relations.get(record.id, {}).get("practices", []) if record.kind == "project" else []
    return tuple(dict.fromkeys([*getattr(record.data, "not_related", ()), *own]))


def item(record: Record, site: Site) -> similarity.Item:
    """The similarity view of a record: its controlled values and its texts by field."""
    data = record.data
    funders = set(getattr(data, "funders", []) or []) | {f.funder for f in getattr(data, "funding", [])}
    stage = {data.stage} if getattr(data, "stage", None) else set()
    facets = {
        "target_groups": frozenset(data.target_groups),
        "themes": frozenset(data.themes),
        "regions": frozenset(site.regions.get(record.id, [])),
        "municipalities": frozenset(data.municipalities),
        "funders": frozenset(funders),
        "stage": frozenset(stage),
    }
    texts = {name: _text(data, name) for name in TEXT_FIELDS}
    return similarity.Item(
        id=record.id,
        title=data.title,
        facets=facets,
        texts=texts,
        related=tuple(getattr(data, "related", ())),
        not_related=_not_related(record, site),
    )


def compute(site: Site, settings: dict[str, Any]) -> dict[str, tuple[similarity.Neighbour, ...]]:
    """Similar practices for every practice and project page."""
    return rank(items(site), site, config(site, settings))


def items(site: Site) -> list[similarity.Item]:
    """The similarity view of every practice, then every project, each in id order (not by
    title: a renamed record must not change the input, so `mkdocs serve` can reuse the ranking)."""
    return [item(r, site) for kind in ("practice", "project") for r in sorted(site.of_kind(kind), key=lambda r: r.id)]


def place_names(site: Site) -> tuple[str, ...]:
    """The names of the regions and municipalities, which the texts are not compared on: place
    is a facet already, and without this two texts that both say "Keski-Pohjanmaa" showed
    "keski, pohjanmaan" as shared words."""
    vocabularies = site.corpus.vocabularies
    return tuple(sorted({term.label for name in PLACE_VOCABULARIES for term in vocabularies.get(name, {}).values()}))


def config(site: Site, settings: dict[str, Any]) -> similarity.SimilarityConfig:
    """The ranking's settings: ours, overridden by ``settings`` (mkdocs.yml), with the site's
    place names added to the words the texts are not compared on."""
    merged = {**DEFAULT_SETTINGS, **settings}
    merged["text_stop_words"] = [*merged.get("text_stop_words", ()), *place_names(site)]
    return similarity.SimilarityConfig.from_settings(merged)


def rank(all_items: list[similarity.Item], site: Site, config: similarity.SimilarityConfig) -> dict[str, tuple[similarity.Neighbour, ...]]:
    """Rank ``all_items`` (from ``items``) against the practices among them."""
    practice_ids = {r.id for r in site.of_kind("practice")}
    practices = [i for i in all_items if i.id in practice_ids]
    return similarity.rank(all_items, practices, config)
