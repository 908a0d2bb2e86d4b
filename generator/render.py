"""Stage 3: render the linked site into a tree of Markdown files with Jinja2 templates.

Templates ship in ``generator/templates`` and a site owner overrides any of them by putting a
file of the same name in ``overrides/hankekirjasto/``. Every ``{{ value }}`` in a template is
escaped into inert Markdown text unless it is already Markup (built by the filters below), so
record text cannot become markup even where a template forgets a filter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import jinja2
from markupsafe import Markup

from . import facets as facets_mod
from . import opendata, textfmt
from .linker import Site
from .loader import Record
from .model import QUALIFIER_LABELS, STATUS_LABELS

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"

KIND_FOLDERS = {"project": "hankkeet", "practice": "toimintamallit", "collection": "kokonaisuudet", "organisation": "organisaatiot"}
KIND_TITLES = {"project": "Hankkeet", "practice": "Toimintamallit", "collection": "Kokonaisuudet", "organisation": "Organisaatiot"}

# Site-wide pages rendered from a template of their own, when the template exists.
EXTRA_PAGES = {"haku.md": "haku.md.j2"}

_BLANK_RUNS = re.compile(r"\n{3,}")

REASON_LABELS = {
    "pinned": "Toimituksen valitsema",
    "target_groups": "Sama kohderyhmä",
    "themes": "Yhteisiä teemoja",
    "regions": "Sama alue",
    "municipalities": "Samat kunnat",
    "funders": "Sama rahoittaja",
    "stage": "Sama kehitysvaihe",
    "text": "Samoja sanoja kuvauksissa",
}
REASON_VALUES_SHOWN = 3
REASON_VOCABULARIES = {"target_groups": "target_groups", "themes": "themes", "regions": "regions", "municipalities": "municipalities", "funders": "funders", "stage": "stages"}


def _finalize(value: Any) -> Any:
    """Every expression output becomes inert Markdown text unless a filter already made it Markup."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return textfmt.inline(value)


def environment(overrides: Path | None = None) -> jinja2.Environment:
    """The Jinja environment: site overrides first, then the package's templates."""
    loaders: list[jinja2.BaseLoader] = []
    if overrides is not None and (overrides / "hankekirjasto").is_dir():
        loaders.append(jinja2.FileSystemLoader(str(overrides / "hankekirjasto")))
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATES)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # autoescape makes macro output Markup (so it is not escaped twice); finalize has
        # already turned every plain value into escaped Markdown before HTML escaping runs.
        autoescape=True,
    )
    env.globals["hashes"] = lambda level: Markup("#" * level)
    env.filters.update(
        block=textfmt.block,
        inline=textfmt.inline,
        html=textfmt.html,
        number=lambda v: Markup(textfmt.number(v)),
        euros=lambda v: Markup(textfmt.euros(v)),
        date=lambda v: Markup(textfmt.date(v)),
        percent_of=textfmt.percent_of,
        # Front matter values reach Material's <title> and <meta> unescaped: escape them there.
        json=textfmt.front_matter,
    )
    return env


@dataclass
class Renderer:
    """Renders every page of a site; one instance per build."""

    site: Site
    env: jinja2.Environment
    facets: list = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self.facets = facets_mod.compute(self.site)

    def page(self, template: str, depth: int, **context: Any) -> str:
        base = "../" * depth
        helpers = self._helpers(base)
        text = self.env.get_template(template).render(site=self.site, base=base, **helpers, **context)
        return _BLANK_RUNS.sub("\n\n", text).rstrip("\n") + "\n"

    def _helpers(self, base: str) -> dict[str, Callable[..., Any]]:
        site = self.site
        facet_by_key = {f.key: f for f in self.facets}

        def href(record: Record | str) -> str:
            record = site.records[record] if isinstance(record, str) else record
            return f"{base}{KIND_FOLDERS[record.kind]}/{record.id}.md"

        def link(record: Record | str) -> Markup:
            record = site.records[record] if isinstance(record, str) else record
            return Markup(f"[{textfmt.inline(record.data.title)}]({href(record)})")

        def facet_link(key: str, value: str) -> Markup:
            facet = facet_by_key[key]
            label = textfmt.inline(facets_mod.value_label(site, facet, value))
            return Markup(f"[{label}]({base}{facet.folder}/{value}.md)")

        def facet_links(key: str, values: list[str]) -> Markup:
            facet = facet_by_key[key]
            known = [v for v in values if v in facet.values]
            return Markup(", ").join(facet_link(key, v) for v in known)

        def links(records: list[Record]) -> Markup:
            return Markup(", ").join(link(r) for r in records)

        def labels(vocabulary: str, values: list[str]) -> str:
            return ", ".join(site.label(vocabulary, v) for v in values)

        def reason(item: Any) -> Markup:
            label = REASON_LABELS.get(item.kind, item.kind)
            vocabulary = REASON_VOCABULARIES.get(item.kind)
            values = [site.label(vocabulary, v) if vocabulary else v for v in item.values]
            shown = ", ".join(values[:REASON_VALUES_SHOWN])
            if len(values) > REASON_VALUES_SHOWN:
                shown += f" ja {len(values) - REASON_VALUES_SHOWN} muuta"
            text = f"{label}: {shown}" if values else label
            return textfmt.inline(text)

        def shown_reasons(reasons: tuple) -> list:
            return reasons_to_show(reasons)

        def similar(record: Record) -> list[tuple[Record, Any]]:
            return [(site.records[n.id], n) for n in site.similar.get(record.id, ()) if n.id in site.records]

        def newest_records(limit: int) -> list[Record]:
            records = [r for r in site.of_kind("practice") + site.of_kind("project") if r.data.added]
            return sorted(records, key=lambda r: (r.data.added, r.id), reverse=True)[:limit]

        return {
            "newest_records": newest_records,
            "href": href,
            "link": link,
            "links": links,
            "facet_link": facet_link,
            "facet_links": facet_links,
            "facets": self.facets,
            "facet_label": lambda facet, value: facets_mod.value_label(site, facet, value),
            "labels": labels,
            "reason": reason,
            "shown_reasons": shown_reasons,
            "similar": similar,
            "status_label": lambda s: STATUS_LABELS[s],
            "qualifier_label": lambda q: QUALIFIER_LABELS.get(q, "") if q else "",
            "kind_folder": lambda kind: KIND_FOLDERS[kind],
            "period": period,
            "external_link": external_link,
            "plural": lambda n, one, many: f"{n} {one if n == 1 else many}",
        }


def render(site: Site, overrides: Path | None = None) -> dict[str, str]:
    """Every generated file: path relative to the docs root → text. Deterministic order."""
    renderer = Renderer(site=site, env=environment(overrides))
    out: dict[str, str] = {}
    for kind, folder in KIND_FOLDERS.items():
        records = site.of_kind(kind)
        out[f"{folder}/index.md"] = renderer.page("index.md.j2", 1, records=records, kind=kind, title=KIND_TITLES[kind])
        for record in records:
            out[f"{folder}/{record.id}.md"] = renderer.page(f"{kind}.md.j2", 1, record=record, data=record.data)
    out.update(_facet_pages(renderer))
    out.update(_site_pages(renderer))
    out.update(opendata.files(site, renderer.facets))
    for name, template in EXTRA_PAGES.items():
        if _has_template(renderer.env, template):
            out[name] = renderer.page(template, name.count("/"))
    for page in sorted(site.corpus.pages.values(), key=lambda p: p.id):
        name = "index.md" if page.id == "index" else f"{page.id}.md"
        template = "home.md.j2" if page.id == "index" else "page.md.j2"
        out[name] = renderer.page(template, 0, page=page, body=Markup(_editorial(page.body)))
    for asset in sorted(ASSETS.rglob("*")) if ASSETS.is_dir() else []:
        if asset.is_file():
            out[f"assets/{asset.relative_to(ASSETS).as_posix()}"] = asset.read_text(encoding="utf-8")
    return dict(sorted(out.items()))


def reasons_to_show(reasons: tuple) -> list:
    """The reasons a reader sees: municipalities only when no shared region says it already,
    and the shared words only when few controlled values explain the link (they are noisier)."""
    kinds = {r.kind for r in reasons}
    out = [r for r in reasons if not (r.kind == "municipalities" and "regions" in kinds)]
    facet_reasons = [r for r in out if r.kind not in ("text", "pinned")]
    if len(facet_reasons) >= 2:
        out = [r for r in out if r.kind != "text"]
    return out


def external_link(text: object, url: str) -> Markup:
    """A Markdown link to a validated http(s)/mailto URL; the URL cannot break out of the link."""
    safe_url = "".join(f"%{ord(c):02X}" if c in '<>"\\ `' or ord(c) < 32 else c for c in url)
    return Markup(f"[{textfmt.inline(text)}](<{safe_url}>)")


def _facet_pages(renderer: Renderer) -> dict[str, str]:
    """An index page for every facet (values with counts) and a page for every value."""
    out = {}
    site = renderer.site
    for facet in renderer.facets:
        out[f"{facet.folder}/index.md"] = renderer.page("facet-index.md.j2", 1, facet=facet)
        for value, ids in facet.values.items():
            records = [site.records[i] for i in ids]
            out[f"{facet.folder}/{value}.md"] = renderer.page("facet-value.md.j2", 1, facet=facet, value=value, records=records)
    return out


def _site_pages(renderer: Renderer) -> dict[str, str]:
    """Browse, timeline and the applicants' page: views over every record."""
    site = renderer.site
    browsable = [r for kind in facets_mod.BROWSABLE_KINDS for r in site.of_kind(kind)]
    values = facets_mod.record_values(site, renderer.facets)
    timeline = sorted((r for r in site.of_kind("project") + site.of_kind("collection") if facets_mod.years(r)),
                      key=lambda r: (r.data.period.start or r.data.period.end, r.data.title.casefold()))
    undated = [r for r in site.of_kind("project") if not facets_mod.years(r)]
    return {
        "selaa.md": renderer.page("selaa.md.j2", 0, records=browsable, values=values),
        "aikajana.md": renderer.page("aikajana.md.j2", 0, records=timeline, undated=undated, bounds=_year_bounds(timeline)),
        "hakijalle.md": renderer.page("hakijalle.md.j2", 0, applicant=_applicant_view(site, renderer.facets)),
        "avoin-data.md": renderer.page("avoin-data.md.j2", 0, fields=opendata.field_docs()),
    }


APPLICANT_LESSONS = 100
APPLICANT_INDICATORS_PER_THEME = 15


def _applicant_view(site: Site, facets: list) -> dict[str, Any]:
    """What applicants read: lessons, indicators by theme, and which funders fund what."""
    kinds = ("project", "practice")
    records = [r for kind in kinds for r in site.of_kind(kind)]
    lessons = [(r, lesson) for r in records for lesson in r.data.lessons][:APPLICANT_LESSONS]
    by_theme: dict[str, dict[tuple[str, str], tuple[Record, Any]]] = {}
    for record in records:
        indicators = record.data.results.indicators if record.data.results else []
        for theme in record.data.themes or ["muut"]:
            seen = by_theme.setdefault(theme, {})
            for indicator in indicators:
                # One row per distinct indicator, so the page stays readable at thousands of records.
                key = (indicator.name.casefold(), (indicator.unit or "").casefold())
                if key not in seen and len(seen) < APPLICANT_INDICATORS_PER_THEME:
                    seen[key] = (record, indicator)
    theme_facet = next(f for f in facets if f.key == "teema")
    funder_facet = next(f for f in facets if f.key == "rahoittaja")
    return {
        "lessons": lessons,
        "indicators": {t: list(items.values()) for t, items in sorted(by_theme.items(), key=lambda kv: site.label("themes", kv[0])) if items},
        "funders": funder_facet,
        "themes": theme_facet,
    }


def _year_bounds(records: list[Record]) -> tuple[int, int]:
    all_years = [y for r in records for y in facets_mod.years(r)] or [2000]
    return min(all_years), max(all_years)


def _has_template(env: jinja2.Environment, name: str) -> bool:
    try:
        env.get_template(name)
    except jinja2.TemplateNotFound:
        return False
    return True


def period(value: Any) -> Markup:
    """A period as Finnish text: "1.8.2023 – 30.11.2025 (note)", or just the note."""
    if value is None:
        return Markup("")
    dates = f"{textfmt.date(value.start)} – {textfmt.date(value.end)}".strip(" –") if (value.start or value.end) else ""
    if value.start and not value.end:
        dates += " –"
    note = textfmt.inline(value.note) if value.note else ""
    if dates and note:
        return Markup(f"{dates} ({note})")
    return Markup(dates or note)


_UNSAFE_LINK = re.compile(r"(\]\(\s*<?\s*)(?:javascript|data|vbscript|file):", re.IGNORECASE)


def _editorial(body: str) -> str:
    """Editorial pages are the maintainers' Markdown; raw HTML and script links still show as text."""
    return _UNSAFE_LINK.sub(r"\1#", body.replace("<", "&lt;"))
