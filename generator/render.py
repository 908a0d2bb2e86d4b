"""Stage 3: render the linked site into a tree of Markdown files with Jinja2 templates.

Templates ship in ``generator/templates`` and a site owner overrides any of them by putting a
file of the same name in ``overrides/hankekirjasto/``. Every ``{{ value }}`` in a template is
escaped into inert Markdown text unless it is already Markup (built by the filters below), so
record text cannot become markup even where a template forgets a filter.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode
from typing import Any, Callable, Hashable, Iterable, Iterator

import jinja2
from markupsafe import Markup

from . import facets as facets_mod
from . import editorial, images, innokyla, opendata, textfmt, urls
from . import indicators as indicators_mod
from .parallel import in_parts
from .searchwords import SearchWords
from .linker import KIND_LABELS, Site
from .loader import Record
from .model import KIND_FOLDERS, QUALIFIER_LABELS, STATUS_LABELS
from .problems import ContentError, Problem

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"

KIND_TITLES = {"project": "Hankkeet", "practice": "Toimintamallit", "collection": "Kokonaisuudet", "organisation": "Organisaatiot"}

# Site-wide pages rendered from a template of their own, when the template exists.
EXTRA_PAGES = {"haku.md": "haku.md.j2"}

_BLANK_RUNS = re.compile(r"\n{3,}")

REASON_LABELS = {
    "pinned": "Toimituksen valitsema",
    "target_groups": "Sama kohderyhmä",
    "themes": "Yhteisiä teemoja",
    "organisations": "Sama toteuttaja",
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
        block_html=textfmt.block_html,
        inline=textfmt.inline,
        html=textfmt.html,
        number=lambda v: Markup(textfmt.number(v)),
        euros=lambda v: Markup(textfmt.euros(v)),
        date=lambda v: Markup(textfmt.date(v)),
        percent_of=textfmt.percent_of,
        # A number as a CSS percentage (bar widths): computed, so it needs no escaping.
        css_percent=lambda v: Markup(f"{round(float(v), 1):g}%"),
        # Front matter values reach Material's <title> and <meta> unescaped: escape them there.
        json=textfmt.front_matter,
    )
    return env


@dataclass
class Renderer:
    """Renders every page of a site; one instance per build."""

    site: Site
    env: jinja2.Environment
    directory_urls: bool = True
    facets: list = None  # type: ignore[assignment]
    # The day an indicator's date is compared with ("the target date has passed").
    today: dt.date = field(default_factory=dt.date.today)

    def __post_init__(self) -> None:
        self.facets = facets_mod.compute(self.site)
        self.search_words = SearchWords(self.site)

    def page(self, template: str, *, path: str, **context: Any) -> str:
        """One page's Markdown. ``path`` is the page's docs path (``hankkeet/x.md``): links in
        raw HTML are written relative to the URL it is served at (see generator/urls.py)."""
        helpers = self._helpers(path)
        text = self.env.get_template(template).render(site=self.site, **helpers, **context)
        return _BLANK_RUNS.sub("\n\n", text).rstrip("\n") + "\n"

    def _helpers(self, path: str) -> dict[str, Callable[..., Any]]:
        """Functions templates call. Every link is final HTML: ``<a href>`` with the URL the
        target is served at, relative to this page's URL (see generator/urls.py), so it works
        in raw HTML, which MkDocs does not rewrite, and in Markdown paragraphs, lists and tables."""
        site = self.site
        facet_by_key = {f.key: f for f in self.facets}
        relative = urls.linker(path, self.directory_urls)

        def url_for(target: str) -> Markup:
            return Markup.escape(relative(target))

        def href(record: Record | str) -> Markup:
            record = site.records[record] if isinstance(record, str) else record
            return url_for(f"{KIND_FOLDERS[record.kind]}/{record.id}.md")

        def link(record: Record | str) -> Markup:
            record = site.records[record] if isinstance(record, str) else record
            return Markup(f'<a href="{href(record)}">{textfmt.inline(record.data.title)}</a>')

        def facet_link(key: str, value: str) -> Markup:
            facet = facet_by_key[key]
            label = textfmt.inline(facets_mod.value_label(site, facet, value))
            return Markup(f'<a href="{url_for(f"{facet.folder}/{value}.md")}">{label}</a>')

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
            if item.kind == "organisations":  # record ids: shown by the organisation's name
                values = [site.records[v].data.title if v in site.records else v for v in item.values]
            else:
                values = [site.label(vocabulary, v) if vocabulary else v for v in item.values]
            shown = ", ".join(values[:REASON_VALUES_SHOWN])
            if len(values) > REASON_VALUES_SHOWN:
                shown += and_more(len(values) - REASON_VALUES_SHOWN)
            text = f"{label}: {shown}" if values else label
            return textfmt.inline(text)

        def shown_reasons(reasons: tuple) -> list:
            return reasons_to_show(reasons)

        def similar(record: Record, kind: str = "practice") -> list[tuple[Record, Any]]:
            """The record's similar records of one kind (practices or projects), best first."""
            found = ((site.records.get(n.id), n) for n in site.similar.get(record.id, ()))
            return [(other, n) for other, n in found if other is not None and other.kind == kind]

        def browse_url(record: Record) -> Markup:
            """Selaa filtered to the record's themes ("" when it has none): where to look next
            when no practice is similar enough to list."""
            themes = sorted(getattr(record.data, "themes", None) or [])
            if not themes:
                return Markup("")
            return url_for("selaa.md") + Markup.escape("?" + urlencode([("teema", theme) for theme in themes]))

        def newest_records(limit: int) -> list[Record]:
            """Practices and projects newest first by when they were added or last changed."""
            records = [r for r in site.of_kind("practice") + site.of_kind("project") if latest(r)]
            return sorted(records, key=lambda r: (-latest(r).toordinal(), r.data.title.casefold(), r.id))[:limit]

        def latest(record: Record) -> Any:
            return max((d for d in (record.data.added, site.changed.get(record.id)) if d), default=None)

        def modified(record: Record) -> Any:
            """When the record last changed, if that is after it was added (else None)."""
            when = site.changed.get(record.id)
            return when if when and (record.data.added is None or when > record.data.added) else None

        return {
            "indicator_table_of": lambda indicators: indicators_mod.table(indicators, self.today),
            "newest_records": newest_records,
            "modified": modified,
            "href": href,
            "url_for": url_for,
            "link": link,
            "links": links,
            "facet_link": facet_link,
            "facet_links": facet_links,
            "facets": self.facets,
            "facet_label": lambda facet, value: facets_mod.value_label(site, facet, value),
            "browse_shown": browse_shown,
            "facet_description": lambda facet, value: facets_mod.value_description(site, facet, value),
            "labels": labels,
            "reason": reason,
            "shown_reasons": shown_reasons,
            "similar": similar,
            "browse_url": browse_url,
            "status_label": lambda s: STATUS_LABELS[s],
            "qualifier_label": lambda q: QUALIFIER_LABELS.get(q, "") if q else "",
            "kind_folder": lambda kind: KIND_FOLDERS[kind],
            "period": period,
            "external_link": external_link,
            "plural": lambda n, one, many: f"{n} {one if n == 1 else many}",
            "innokyla_path": innokyla.path_of,
            "innokyla_all": innokyla.COMBINED,
            "search_words": self.search_words.of,
        }


@dataclass(frozen=True)
class PageJob:
    """One page to render, and what it shows.

    ``shows`` is the set of records whose content the page prints (its own record, the
    records it links to by title, the records it lists); ``None`` means it sums up every
    record, so it is rendered every time. ``key`` is whatever else changes the page without
    a record changing (the order and reasons of its similar practices, its page number).
    """

    path: str
    template: str
    context: dict[str, Any]
    shows: frozenset[str] | None
    key: Hashable = ()


@dataclass
class Rendered:
    """A rendered site and what it was rendered from, for the next incremental render."""

    files: dict[str, str | bytes]  # bytes: images and other binary files
    signatures: dict[str, tuple[frozenset[str] | None, Hashable]]
    records: dict[str, Record]
    setting: tuple[Any, ...]
    pages_rendered: int = 0


def render(site: Site, overrides: Path | None = None, directory_urls: bool = True) -> dict[str, str | bytes]:
    """Every generated file: path relative to the docs root → text. Deterministic order."""
    return render_site(site, overrides, directory_urls).files


def render_site(site: Site, overrides: Path | None = None, directory_urls: bool = True,
                previous: Rendered | None = None, processes: int = 1,
                write: Callable[[str, str | bytes | Iterable[str]], None] | None = None) -> Rendered:
    """Render every page, or with ``previous`` only the pages an edit can have changed.

    A page is rendered again when a record it shows is a different object than last time
    (the loader's cache keeps unchanged records as the same objects), when what it shows or
    its key changed, or when anything all pages depend on changed (vocabularies, editorial
    pages, templates, settings). The output is the same as a full render's.

    With ``write``, each file is handed to ``write(path, text)`` as soon as it is made (a
    page by the process that rendered it) and not kept: the result's texts are then empty.
    """
    renderer = Renderer(site=site, env=_shared_environment(overrides), directory_urls=directory_urls)
    setting = (site.corpus.vocabularies, tuple(site.corpus.pages.values()), _template_stamp(overrides), directory_urls)
    changed = _changed_records(site, setting, previous)
    out: dict[str, str | bytes] = {}
    signatures: dict[str, tuple[frozenset[str] | None, Hashable]] = {}
    todo: list[PageJob] = []
    jobs = list(_jobs(renderer))
    _refuse_replaced_pages(jobs, site)
    for job in jobs:
        signature = (job.shows, job.key)
        signatures[job.path] = signature
        if (changed is not None and job.shows is not None and previous is not None
                and previous.signatures.get(job.path) == signature and not job.shows & changed):
            out[job.path] = previous.files[job.path]
        else:
            todo.append(job)
    out.update(zip((job.path for job in todo), _render_pages(renderer, todo, processes, write)))
    rendered = len(todo)
    keep = _keeper(out, write)
    for path, text in opendata.file_pieces(site, renderer.facets):
        keep(path, text)
    keep(BROWSE_DATA, browse_data(renderer))
    for asset in sorted(ASSETS.rglob("*")) if ASSETS.is_dir() else []:
        if asset.is_file():
            rel = f"assets/{asset.relative_to(ASSETS).as_posix()}"
            keep(rel, asset.read_text(encoding="utf-8") if asset.suffix in TEXT_SUFFIXES else asset.read_bytes())
    for image in site.corpus.images.values():  # the editorial pages' images, byte for byte
        keep(image.site_path, image.data)
    return Rendered(files=dict(sorted(out.items())), signatures=signatures, records=dict(site.records),
                    setting=setting, pages_rendered=rendered)


def _keeper(out: dict[str, str | bytes], write: Callable[[str, str | bytes | Iterable[str]], None] | None) -> Callable[[str, str | bytes | Iterable[str]], None]:
    """Where a finished file (its text, bytes, or the pieces of its text) goes: into ``out``, or
    to ``write``, piece by piece (``out`` then gets the path only)."""
    def keep(path: str, text: str | bytes | Iterable[str]) -> None:
        if write is None:
            out[path] = text if isinstance(text, (str, bytes)) else "".join(text)
        else:
            write(path, text)
            out[path] = ""
    return keep


# Folders the built site has besides its pages: the search bundle, MkDocs' 404 page.
SITE_FOLDERS = frozenset({"pagefind", "search", "404", "assets", "data", images.FOLDER})
# Generated files are text (str) but for images and other binary assets (bytes).
TEXT_SUFFIXES = frozenset({".md", ".css", ".js", ".json", ".html", ".txt", ".xml", ".csv", ".svg"})


def _refuse_replaced_pages(jobs: list[PageJob], site: Site) -> None:
    """An editorial page must not take the URL of a generated page (sivut/selaa.md would replace
    Selaa) or of a folder the site needs: raises ContentError naming the page."""
    generated = {_url_key(job.path): job.path for job in jobs if "page" not in job.context}
    folders = {key.split("/", 1)[0] for key in generated} | SITE_FOLDERS
    problems = []
    for page in site.corpus.pages.values():
        key = _url_key(editorial_path(page))
        if key in generated:
            problems.append(Problem(page.path, None, "", f"sivu korvaisi sivuston oman sivun {generated[key]} (osoite /{key}/); valitse toinen tiedostonimi"))
        elif key in folders:
            problems.append(Problem(page.path, None, "", f"sivun osoite /{key}/ on sivuston oman kansion nimi; valitse toinen tiedostonimi"))
    if problems:
        raise ContentError(problems)


def _url_key(path: str) -> str:
    """``selaa.md`` and ``selaa/index.md`` → ``selaa``: the URL both are served at."""
    stem = path[:-3] if path.endswith(".md") else path
    return "" if stem == "index" else stem.removesuffix("/index")


PARALLEL_RENDER_FROM = 400  # pages; below this a fork costs more than it saves


def _render_pages(renderer: Renderer, jobs: list[PageJob], processes: int,
                  write: Callable[[str, str], None] | None = None) -> list[str]:
    """The pages' Markdown, in the order of ``jobs``; split over ``processes`` forked processes
    when there are many (every other page to each, so heavy and light pages are shared out).
    With ``write``, each page is written where it was rendered and its text is left empty."""
    def render(positions: range) -> list[str]:
        if write is None:
            return [renderer.page(job.template, path=job.path, **job.context)
                    for job in (jobs[order[k]] for k in positions)]
        for job in (jobs[order[k]] for k in positions):
            write(job.path, renderer.page(job.template, path=job.path, **job.context))
        return [""] * len(positions)

    parts = processes if processes > 1 and len(jobs) >= PARALLEL_RENDER_FROM else 1
    if parts > 1:
        renderer.search_words.learn()  # once, here, instead of once in every worker
    order = [i for start in range(parts) for i in range(start, len(jobs), parts)]
    texts: list[str] = [""] * len(jobs)
    # in_parts cuts consecutive slices of `order`, one per process; `order` deals the pages out.
    done = [text for part in in_parts(render, len(jobs), parts) for text in part] if jobs else []
    for position, text in zip(order, done):
        texts[position] = text
    return texts


@functools.lru_cache(maxsize=8)
def _shared_environment(overrides: Path | None) -> jinja2.Environment:
    """One environment per overrides folder for the whole process, so that `mkdocs serve`
    compiles each template once (Jinja reloads a template whose file changed)."""
    return environment(overrides)


def _changed_records(site: Site, setting: tuple[Any, ...], previous: Rendered | None) -> set[str] | None:
    """Ids of the records added, removed or edited since ``previous``; None: render everything."""
    if previous is None or not _same_setting(previous.setting, setting):
        return None
    changed = {rid for rid, record in site.records.items() if previous.records.get(rid) is not record}
    return changed | (previous.records.keys() - site.records.keys())


def _same_setting(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    vocabularies, pages, templates, urls = old
    return (vocabularies is new[0] and len(pages) == len(new[1]) and all(a is b for a, b in zip(pages, new[1]))
            and templates == new[2] and urls == new[3])


def _template_stamp(overrides: Path | None) -> tuple[tuple[str, int], ...]:
    """Names and modification times of every template, so an edited template re-renders all."""
    folders = [TEMPLATES] + ([overrides / "hankekirjasto"] if overrides is not None else [])
    return tuple((str(p), p.stat().st_mtime_ns) for folder in folders if folder.is_dir() for p in sorted(folder.rglob("*")) if p.is_file())


def _jobs(renderer: Renderer) -> Iterator[PageJob]:
    """Every page of the site, in a fixed order."""
    site = renderer.site
    for kind, folder in KIND_FOLDERS.items():
        records = site.of_kind(kind)
        for path, rows, pager in paginate(f"{folder}/index.md", f"{folder}/sivu", records):
            shown = frozenset(r.id for r in rows) | frozenset(i for r in rows for i in _listed_links(site, r))
            yield PageJob(path, "index.md.j2",
                          {"records": rows, "kind": kind, "title": KIND_TITLES[kind], "pager": pager}, shown, pager)
        for record in records:
            similar = tuple((n.id, n.reasons) for n in site.similar.get(record.id, ()))
            yield PageJob(f"{folder}/{record.id}.md", f"{kind}.md.j2", {"record": record, "data": record.data},
                          frozenset(_page_links(site, record)) | {record.id}, similar)
    yield from _facet_jobs(renderer)
    yield from _site_jobs(renderer)
    for name, template in EXTRA_PAGES.items():
        if _has_template(renderer.env, template):
            yield PageJob(name, template, {}, frozenset())
    for page in sorted(site.corpus.pages.values(), key=lambda p: p.id):
        name = editorial_path(page)
        template = "home.md.j2" if page.id == "index" else "page.md.j2"
        # The home page counts and lists records; other editorial pages show only their text.
        yield PageJob(name, template, {"page": page, "body": Markup(_editorial(page.body))},
                      None if page.id == "index" else frozenset())


PAGE_SIZE = 50  # rows per listing page: about 25–35 KB of HTML besides the page frame
TIMELINE_PAGE_SIZE = 100  # timeline rows are short


@dataclass(frozen=True)
class Pager:
    """Where one page of a listing is: its number, the rows it shows, every page's path."""

    number: int
    paths: tuple[str, ...]
    total: int
    first: int  # 1-based number of the first row shown
    last: int

    @property
    def count(self) -> int:
        return len(self.paths)

    def title(self, title: str) -> str:
        """A page's title: the listing's own on its first page, with the page number after."""
        return title if self.number == 1 else f"{title} (sivu {self.number}/{self.count})"

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to offer: the first, the last and a few around this one; None is a gap."""
        wanted = {1, self.count, *range(self.number - around, self.number + around + 1)}
        shown = sorted(n for n in wanted if 1 <= n <= self.count)
        out: list[int | None] = []
        for n in shown:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out


def paginate(first_path: str, more_folder: str, rows: list[Any], size: int = PAGE_SIZE) -> list[tuple[str, list[Any], Pager]]:
    """Split a listing into pages: ``first_path`` shows rows 1–size, ``more_folder/2.md`` the next."""
    chunks = [rows[start:start + size] for start in range(0, len(rows), size)] or [[]]
    paths = tuple([first_path] + [f"{more_folder}/{n}.md" for n in range(2, len(chunks) + 1)])
    out = []
    for number, (path, chunk) in enumerate(zip(paths, chunks), start=1):
        first = (number - 1) * size + 1
        out.append((path, chunk, Pager(number, paths, len(rows), first, first + len(chunk) - 1)))
    return out


def _listing_order(record: Record) -> tuple[int, str, str]:
    """Practices first, then projects, then collections (as Selaa lists them); by title within each."""
    return (facets_mod.BROWSABLE_KINDS.index(record.kind), record.data.title.casefold(), record.id)


def editorial_path(page: Any) -> str:
    """Where an editorial page (content/sivut/x.md) is generated: sivut/index.md is the home page."""
    return "index.md" if page.id == "index" else f"{page.id}.md"


def _page_links(site: Site, record: Record) -> Iterator[str]:
    """Every other record a record's page names: relations, connections, similar, contacts."""
    for ids in site.relations.get(record.id, {}).values():
        yield from ids
    for other, _ in site.connections.get(record.id, ()):
        yield other
    for neighbour in site.similar.get(record.id, ()):
        yield neighbour.id
    for contact in getattr(record.data, "contacts", ()):
        if contact.organisation:
            yield contact.organisation
    for partner in getattr(record.data, "partners", ()):
        if partner.organisation:
            yield partner.organisation


def _listed_links(site: Site, record: Record) -> list[str]:
    """Records a listing row names besides the record itself (a project's implementers)."""
    return site.relations.get(record.id, {}).get("implementers", []) if record.kind == "project" else []


def and_more(count: int) -> str:
    """" ja 1 muu", " ja 2 muuta": how many values a shortened list left out, in Finnish."""
    return f" ja {count} {'muu' if count == 1 else 'muuta'}"


def reasons_to_show(reasons: tuple) -> list:
    """The reasons a reader sees: municipalities only when no shared region says it already,
    and the shared words only when few controlled values explain the link (they are noisier)."""
    kinds = {r.kind for r in reasons}
    out = [r for r in reasons if not (r.kind == "municipalities" and "regions" in kinds)]
    facet_reasons = [r for r in out if r.kind not in ("text", "pinned")]
    if len(facet_reasons) >= 2:
        out = [r for r in out if r.kind != "text"]
    return out


EXTERNAL_SCHEMES = ("http://", "https://", "mailto:")
# Characters a URL cannot hold as they are (browsers percent-encode them too), quotes included.
_URL_UNSAFE = frozenset('<>"\'\\ `{}|^')


def external_link(text: object, url: str) -> Markup:
    """An ``<a href>`` to a validated http(s)/mailto URL; the URL cannot break out of the link.

    The model accepts only these schemes; checking again here keeps a script URL out even if a
    template passes some other field. Characters that could end the attribute or the URL are
    percent-encoded and the rest HTML-escaped (``&`` → ``&amp;``), so the browser gets the URL back.
    """
    if not url.lower().startswith(EXTERNAL_SCHEMES):
        return textfmt.inline(text)
    safe_url = "".join(_url_char(c) for c in url)
    return Markup(f'<a href="{Markup.escape(safe_url)}">{textfmt.inline(text)}</a>')


def _url_char(char: str) -> str:
    """A URL character as it can stand in an href: unsafe, blank or invisible ones percent-encoded."""
    if char in _URL_UNSAFE or char.isspace() or not char.isprintable():
        return quote(char, safe="", errors="replace")
    return char


BROWSE_SHOWN = 50  # records listed on /selaa/ itself; its script shows the rest on request
BROWSE_DATA = "data/selaa.json"
# Options a Selaa group shows in the page itself: a group with more values (the municipalities,
# once records cover the country) shows its most used ones, and the script adds the rest from
# data/selaa.json when asked, so that the page stays under the page-size limit.
BROWSE_GROUP_SHOWN = 30


def browse_shown(facet) -> list[str]:
    """The values of ``facet`` that /selaa/ lists in the page, in the facet's own order."""
    if len(facet.values) <= BROWSE_GROUP_SHOWN:
        return list(facet.values)
    ranked = sorted(facet.values, key=lambda v: -len(facet.values[v]))[:BROWSE_GROUP_SHOWN]
    keep = set(ranked)
    return [v for v in facet.values if v in keep]


def browse_data(renderer: Renderer) -> str:
    """What /selaa/'s script filters: every browsable record with its facet values.

    Compact on purpose (one array per record: link, title, kind, summary, values), since the
    browser loads all of it; links are relative to the Selaa page. The script inserts every
    string as text, never as HTML.
    """
    site = renderer.site
    values = facets_mod.record_values(site, renderer.facets)
    truncate = renderer.env.filters["truncate"]
    rows = []
    for kind in facets_mod.BROWSABLE_KINDS:
        for record in site.of_kind(kind):
            href = urls.relative_url("selaa.md", f"{KIND_FOLDERS[kind]}/{record.id}.md", renderer.directory_urls)
            summary = truncate(renderer.env, " ".join(record.data.summary.split()), 140)
            rows.append([href, record.data.title, KIND_LABELS[kind], summary, values.get(record.id, {})])
    # The options a long group leaves out of the page: [value, label] in the facet's order.
    options = {}
    for facet in renderer.facets:
        shown = set(browse_shown(facet))
        rest = [[value, facets_mod.value_label(site, facet, value)] for value in facet.values if value not in shown]
        if rest:
            options[facet.key] = rest
    return opendata.clean(json.dumps({"records": rows, "options": options}, ensure_ascii=False, separators=(",", ":"), sort_keys=True)) + "\n"


def _facet_jobs(renderer: Renderer) -> Iterator[PageJob]:
    """An index page for every facet (values with counts) and a page for every value."""
    site = renderer.site
    for facet in renderer.facets:
        yield PageJob(f"{facet.folder}/index.md", "facet-index.md.j2", {"facet": facet}, None)
        for value, ids in facet.values.items():
            records = sorted((site.records[i] for i in ids), key=_listing_order)
            for path, rows, pager in paginate(f"{facet.folder}/{value}.md", f"{facet.folder}/{value}/sivu", records):
                yield PageJob(path, "facet-value.md.j2",
                              {"facet": facet, "value": value, "records": rows, "pager": pager},
                              frozenset(r.id for r in rows), pager)


def _site_jobs(renderer: Renderer) -> Iterator[PageJob]:
    """Browse, timeline, the applicants' page and the open data page."""
    site = renderer.site
    browsable = [r for kind in facets_mod.BROWSABLE_KINDS for r in site.of_kind(kind)]
    timeline = sorted((r for r in site.of_kind("project") + site.of_kind("collection") if facets_mod.years(r)),
                      key=lambda r: (r.data.period.start or r.data.period.end, r.data.title.casefold()))
    undated = [r for r in site.of_kind("project") if not facets_mod.years(r)]
    yield PageJob("selaa.md", "selaa.md.j2",
                  {"records": browsable[:BROWSE_SHOWN], "total": len(browsable), "shown": BROWSE_SHOWN, "kind_labels": KIND_LABELS},
                  frozenset(r.id for r in browsable[:BROWSE_SHOWN]), len(browsable))
    bounds = _year_bounds(timeline)
    for path, rows, pager in paginate("aikajana.md", "aikajana/sivu", timeline, TIMELINE_PAGE_SIZE):
        last = pager.number == pager.count
        yield PageJob(path, "aikajana.md.j2",
                      {"records": rows, "undated": undated if last else [], "bounds": bounds, "pager": pager},
                      frozenset(r.id for r in rows) | (frozenset(r.id for r in undated) if last else frozenset()),
                      (pager, bounds))
    yield from _applicant_jobs(site, renderer.facets)
    yield PageJob("avoin-data.md", "avoin-data.md.j2", {"fields": opendata.field_docs()}, frozenset())


APPLICANT_LESSONS_SHOWN = 5  # titles on /hakijalle/ itself; every lesson in full on /hakijalle/opit/


def _applicant_jobs(site: Site, facets: list) -> Iterator[PageJob]:
    """What applicants read: lessons, indicators by theme, and which funders fund what.

    /hakijalle/ shows the first lessons, the themes and the funders; every lesson is on the
    paginated /hakijalle/opit/, and each theme's most used indicators on a page of its own."""
    records = [r for kind in ("project", "practice") for r in site.of_kind(kind)]
    lessons = [(r, lesson) for r in records for lesson in r.data.lessons]
    indicators = _indicators_by_theme(site, records)
    theme_facet = next(f for f in facets if f.key == "teema")
    funder_facet = next(f for f in facets if f.key == "rahoittaja")
    yield PageJob("hakijalle.md", "hakijalle.md.j2",
                  {"lessons": lessons[:APPLICANT_LESSONS_SHOWN], "lesson_count": len(lessons),
                   "indicators": indicators, "max_indicators": APPLICANT_INDICATORS_PER_THEME,
                   "funders": funder_facet, "themes": theme_facet}, None)
    for path, rows, pager in paginate("hakijalle/opit.md", "hakijalle/opit", lessons):
        yield PageJob(path, "hakijalle-opit.md.j2", {"lessons": rows, "pager": pager},
                      frozenset(r.id for r, _ in rows), pager)
    for theme, items in indicators.items():
        yield PageJob(f"hakijalle/mittarit/{theme}.md", "hakijalle-mittarit.md.j2", {"theme": theme, "items": items, "max_rows": APPLICANT_INDICATORS_PER_THEME},
                      frozenset(r.id for r, _, _ in items), tuple((r.id, n) for r, _, n in items))


APPLICANT_INDICATORS_PER_THEME = 50


def _indicators_by_theme(site: Site, records: list[Record]) -> dict[str, list[tuple[Record, Any, int]]]:
    """Theme → its most used indicators: (first record that used it, the indicator, how many
    records used one of the same name and unit), most used first, at most 50 per theme."""
    by_theme: dict[str, dict[tuple[str, str], list[Any]]] = {}
    for record in records:
        indicators = record.data.results.indicators if record.data.results else []
        for theme in record.data.themes or ["muut"]:
            seen = by_theme.setdefault(theme, {})
            for key in dict.fromkeys((i.name.casefold(), (i.unit or "").casefold()) for i in indicators):
                if key in seen:
                    seen[key][2] += 1
                else:
                    indicator = next(i for i in indicators if (i.name.casefold(), (i.unit or "").casefold()) == key)
                    seen[key] = [record, indicator, 1]
    ordered = sorted(by_theme.items(), key=lambda kv: site.label("themes", kv[0]) if kv[0] != "muut" else "\uffff")
    return {
        theme: [tuple(row) for row in sorted(rows.values(), key=lambda row: (-row[2], row[1].name.casefold(), row[0].id))][:APPLICANT_INDICATORS_PER_THEME]
        for theme, rows in ordered if rows
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
    # The loader has refused every unsafe link (generator/editorial.py); this stays as a second
    # line of defence, over the same Markdown the check converted.
    return _UNSAFE_LINK.sub(r"\1#", editorial.source(body))
