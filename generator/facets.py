"""Facets: which records carry which controlled value. Plain data, computed once per build."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .linker import Site
from .loader import Record
from .model import STATUS_LABELS

BROWSABLE_KINDS = ("practice", "project", "collection")


@dataclass(frozen=True)
class Facet:
    """One browsable dimension: its URL folder, Finnish names and the values records carry."""

    key: str  # stable key used in data attributes and URLs, e.g. "teema"
    folder: str  # URL folder of the value pages, e.g. "teemat"
    title: str  # index page title, e.g. "Teemat"
    label: str  # singular label shown before a value, e.g. "Teema"
    vocabulary: str | None  # vocabulary that gives the labels, None for computed values
    values: dict[str, list[str]] = field(default_factory=dict)  # value → record ids (sorted)


def _themes(record: Record, site: Site) -> set[str]:
    return set(getattr(record.data, "themes", []))


def _target_groups(record: Record, site: Site) -> set[str]:
    return set(getattr(record.data, "target_groups", []))


def _regions(record: Record, site: Site) -> set[str]:
    return set(site.regions.get(record.id, []))


def _municipalities(record: Record, site: Site) -> set[str]:
    """A record's municipalities and, for a former municipality, the one it is part of today
    (vocabulary ``part_of``: work in Juankoski is also work in Kuopio)."""
    terms = site.corpus.vocabularies.get("municipalities", {})
    found: set[str] = set()
    for municipality in getattr(record.data, "municipalities", []):
        while municipality and municipality not in found:
            found.add(municipality)
            municipality = getattr(terms.get(municipality), "part_of", None)
    return found


def _funders(record: Record, site: Site) -> set[str]:
    """A record's funders and the programmes above them (a KAKE call is also ESR+)."""
    data = record.data
    direct = set(getattr(data, "funders", []) or []) | {f.funder for f in getattr(data, "funding", [])}
    terms = site.corpus.vocabularies.get("funders", {})
    found = set()
    for funder in direct:
        while funder and funder not in found:
            found.add(funder)
            funder = terms[funder].parent if funder in terms else None
    return found


def _stages(record: Record, site: Site) -> set[str]:
    stage = getattr(record.data, "stage", None)
    return {stage} if stage else set()


STATUS_SLUGS = {"planned": "suunnitteilla", "applied": "haettu", "running": "kaynnissa", "ended": "paattynyt"}


def _statuses(record: Record, site: Site) -> set[str]:
    status = getattr(record.data, "status", None)
    return {STATUS_SLUGS[status]} if status else set()


def years(record: Record) -> list[int]:
    """Calendar years a project or collection ran, from its period's start and end dates."""
    period = getattr(record.data, "period", None)
    if period is None or not (period.start or period.end):
        return []
    first = (period.start or period.end).year
    last = (period.end or period.start).year
    return list(range(first, last + 1))


def _years(record: Record, site: Site) -> set[str]:
    return {str(year) for year in years(record)}


FACETS = (
    ("teema", "teemat", "Teemat", "Teema", "themes", _themes),
    ("kohderyhma", "kohderyhmat", "Kohderyhmät", "Kohderyhmä", "target_groups", _target_groups),
    ("alue", "alueet", "Alueet", "Maakunta", "regions", _regions),
    ("kunta", "kunnat", "Kunnat", "Kunta", "municipalities", _municipalities),
    ("rahoittaja", "rahoittajat", "Rahoittajat", "Rahoittaja", "funders", _funders),
    ("vaihe", "kehitysvaiheet", "Kehitysvaiheet", "Kehitysvaihe", "stages", _stages),
    ("tila", "tilat", "Hankkeen tila", "Tila", None, _statuses),
    ("vuosi", "vuodet", "Vuodet", "Vuosi", None, _years),
)


def compute(site: Site) -> list[Facet]:
    """Every facet with its values and the ids of the records that carry each value."""
    out = []
    records = [r for kind in BROWSABLE_KINDS for r in site.of_kind(kind)]
    for key, folder, title, label, vocabulary, extract in FACETS:
        values: dict[str, set[str]] = defaultdict(set)
        for record in records:
            for value in extract(record, site):
                values[value].add(record.id)
        ordered = {v: sorted(ids) for v, ids in sorted(values.items())}
        out.append(Facet(key, folder, title, label, vocabulary, ordered))
    return out


def value_label(site: Site, facet: Facet, value: str) -> str:
    """The Finnish label of one facet value."""
    if facet.vocabulary:
        return site.label(facet.vocabulary, value)
    if facet.key == "tila":
        by_slug = {slug: STATUS_LABELS[status] for status, slug in STATUS_SLUGS.items()}
        return by_slug.get(value, value)
    return value


def value_description(site: Site, facet: Facet, value: str) -> str | None:
    """The vocabulary's description of one facet value (shown on the value's page), if any."""
    term = site.corpus.vocabularies.get(facet.vocabulary, {}).get(value) if facet.vocabulary else None
    return term.description if term is not None else None


def record_values(site: Site, facets: list[Facet]) -> dict[str, dict[str, list[str]]]:
    """Record id → facet key → the values it carries (the inverse of the facet index)."""
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for facet in facets:
        for value, ids in facet.values.items():
            for record_id in ids:
                out[record_id][facet.key].append(value)
    return out
