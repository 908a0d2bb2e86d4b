"""The whole generator as one call: load → link → similar → render. No MkDocs here."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from . import editorial, history, linker, loader, parallel, render
from .problems import ContentError, Problem

Text = str | bytes | Iterable[str]  # a generated file: text, an image's bytes, or text in pieces
Placer = Callable[[str, Text], tuple[str, Text]]  # (path, text) -> where it is written, and what


@dataclass
class Options:
    """What a build can be told: where templates are overridden, how similarity is tuned."""

    overrides: Path | None = None
    similarity: dict[str, Any] = field(default_factory=dict)
    # MkDocs' use_directory_urls: page links inside generated HTML are written as final URLs.
    directory_urls: bool = True
    # Processes that render a whole site (0: one per core). The plugin sets 1 under `mkdocs
    # serve`, whose other threads make forking unsafe (and which renders few pages anyway).
    processes: int = 0
    # The pages mkdocs.yml's nav names (docs-relative .md paths): each must be generated, since a
    # strict build stops at a nav entry to nothing; ``config_file`` is named in that message.
    nav_pages: tuple[str, ...] = ()
    config_file: str = "mkdocs.yml"
    # "Muokattu" and the newest-first order: a record without its own ``modified`` date takes
    # the day of its file's last commit (generator/history.py).
    dates_from_git: bool = True

    def __post_init__(self) -> None:
        """Raises ValueError, one line per problem, when ``similarity`` has an unknown or bad setting."""
        from .related import settings_config  # lazy: the heaviest import

        try:
            settings_config(self.similarity)
        except ValueError as error:
            raise ValueError(f"plugins → hankekirjasto → similarity:\n{error}") from None


def options_from_mkdocs(config_file: Path) -> Options:
    """The options the MkDocs plugin would use with ``config_file``: similarity settings,
    theme overrides and URL style, so `hankekirjasto generate` writes the same pages."""
    import yaml

    class _Loader(yaml.SafeLoader):
        """Reads mkdocs.yml without running anything: unknown tags (!ENV, !!python/name) are None."""

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}
    plugin: dict[str, Any] = {}
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and isinstance(entry.get("hankekirjasto"), dict):
            plugin = entry["hankekirjasto"]
    custom_dir = (config.get("theme") or {}).get("custom_dir") if isinstance(config.get("theme"), dict) else None
    return Options(
        overrides=config_file.parent / custom_dir if custom_dir else None,
        similarity=plugin.get("similarity") or {},
        directory_urls=config.get("use_directory_urls", True) is not False,
        nav_pages=nav_pages(config.get("nav")),
        config_file=config_file.name,
    )


def nav_pages(nav: Any) -> tuple[str, ...]:
    """The .md pages a MkDocs nav names (links to other sites left out), in order."""
    if isinstance(nav, str):
        return (nav,) if nav.endswith(".md") and "://" not in nav else ()
    if isinstance(nav, list):
        return tuple(page for item in nav for page in nav_pages(item))
    if isinstance(nav, dict):
        return tuple(page for item in nav.values() for page in nav_pages(item))
    return ()


def check(content_dir: Path, options: Options | None = None) -> linker.Site:
    """Everything a build does before MkDocs: load, link, rank and render, so that whatever
    stops a build stops the check first; raise ContentError listing every problem."""
    generator = Generator(content_dir, options)
    generator.generate()
    assert generator.site is not None
    return generator.site


def generate(content_dir: Path, options: Options | None = None) -> dict[str, str | bytes]:
    """Every generated file (relative path → text, or bytes for an image) for the records under ``content_dir``."""
    return Generator(content_dir, options).generate()


class Generator:
    """Generates the site again and again, as `mkdocs serve` does after every edit.

    Each run redoes only what the edit can have changed: files not modified since the last
    run are not read again, the similarity ranking is reused when no record changed in what
    it compares, and only the pages that show a changed record are rendered. The output is
    always the same as a fresh `generate()` (tests/test_incremental.py checks this).
    """

    def __init__(self, content_dir: Path, options: Options | None = None) -> None:
        self.content_dir = content_dir
        self.options = options or Options()
        self._load_cache = loader.LoadCache()
        self._commit_dates = history.CommitDates()
        self._similar: tuple[list[Any], Any, dict[str, Any]] | None = None  # (compared, config, ranking)
        self._rendered: render.Rendered | None = None
        self.timings: dict[str, float] = {}
        self.editorial_paths: set[str] = set()  # generated from the editors' own Markdown
        self.site: linker.Site | None = None

    def generate(self) -> dict[str, str | bytes]:
        """Every generated file; raises ContentError (every problem at once) on bad input."""
        return self._run(None).files

    def write(self, out_dir: Path, place: Placer | None = None) -> list[str]:
        """Generate into the empty folder ``out_dir``: the paths generated, sorted.

        For a one-off build (`mkdocs build`, `hankekirjasto generate`): each file is written as
        soon as it is made (by whichever process made it) and none is kept in memory, so that at
        10,000 records the whole tree (about 700 MB as Python text) never sits beside the records
        and, later, MkDocs' own pages. The files are the same as ``generate()``'s; ``place(path,
        text)``, if given, says where each one goes and with what text instead (the
        generated-project layout, generator/export.py). A next run starts afresh.
        """
        return list(self._run(_FileWriter(out_dir, place)).files)

    def _run(self, write: Callable[[str, str | bytes | Iterable[str]], None] | None) -> render.Rendered:
        started = time.perf_counter()
        processes = self.options.processes or parallel.cores()
        with parallel.collector_paused():  # records and pages live on: no use walking them
            site = linker.link(loader.load(self.content_dir, self._load_cache, processes))
            site.changed = history.changed(site.records, self._commit_dates(self.content_dir) if self.options.dates_from_git else {})
            linked = time.perf_counter()
            site.similar = self._rank(site)
            ranked = time.perf_counter()
            rendered = render.render_site(site, self.options.overrides, self.options.directory_urls,
                                          self._rendered if write is None else None, processes=processes, write=write)
        self._rendered = rendered if write is None else None  # written texts are not kept
        self._pages_rendered = rendered.pages_rendered
        _check_editorial_links(site, rendered.files)
        _check_nav(self.options, rendered.files)
        self.site = site
        self.editorial_paths = {render.editorial_path(page) for page in site.corpus.pages.values()}
        self.timings = {"load+link": linked - started, "similarity": ranked - linked, "render": time.perf_counter() - ranked}
        return rendered

    def release(self) -> None:
        """Forget what only a next run would reuse: the records, the similarity ranking, the
        load cache and the last rendered tree (for a one-off build, once its files are written).
        The next ``generate()`` starts afresh."""
        self._load_cache = loader.LoadCache()
        self._commit_dates = history.CommitDates()
        self._similar = None
        self._rendered = None
        self.site = None

    _pages_rendered = 0

    @property
    def pages_rendered(self) -> int:
        return self._pages_rendered

    def _rank(self, site: linker.Site) -> dict[str, Any]:
        from . import related  # lazy: the similarity step is the heaviest import

        config = related.config(site, self.options.similarity)  # place names from the vocabularies too
        items = related.items(site, config.text_fields)
        # Titles are not compared, so a renamed record keeps everyone's neighbours.
        compared = [(i.id, i.facets, i.texts, i.related, i.not_related) for i in items]
        if self._similar is not None and self._similar[0] == compared and self._similar[1] == config:
            return self._similar[2]
        similar = related.rank(items, site, config)
        self._similar = (compared, config, similar)
        return similar


def _check_editorial_links(site: linker.Site, files: dict[str, str | bytes]) -> None:
    """Every relative link of an editorial page must point at a generated file (a strict
    MkDocs build stops at one that does not): raises ContentError naming page and line."""
    problems: list[Problem] = []
    for page in site.corpus.pages.values():
        problems += editorial.missing_targets(page.body, page.path, page.body_line, render.editorial_path(page), files)
    if problems:
        raise ContentError(problems)


def _check_nav(options: Options, files: dict[str, str | bytes]) -> None:
    missing = [page for page in options.nav_pages if page not in files]
    if missing:
        raise ContentError(Problem(options.config_file, None, "nav", f"valikossa on sivu {page}, jota sivustolla ei ole; "
                                   f"lisää sivu (content/sivut/{page}) tai poista se valikosta") for page in missing)


class _FileWriter:
    """Writes one generated file under ``root`` (also from a forked worker process): text as
    UTF-8, exactly as given (no newline translation), bytes as they are."""

    def __init__(self, root: Path, place: Placer | None = None) -> None:
        self.root = root
        self.place = place
        self._folders: set[Path] = set()

    def __call__(self, rel: str, text: str | bytes | Iterable[str]) -> None:
        """Write ``text``, or its pieces one after the other."""
        if self.place is not None:
            rel, text = self.place(rel, text)
        target = self.root / rel
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        if isinstance(text, bytes):
            target.write_bytes(text)
            return
        with open(target, "w", encoding="utf-8", newline="") as out:
            if isinstance(text, str):
                out.write(text)
            else:
                for piece in text:
                    out.write(piece)


def write_tree(files: dict[str, str | bytes], out_dir: Path, previous: dict[str, str | bytes] | None = None) -> None:
    """Write generated files to ``out_dir``, replacing files that changed, removing stale ones.
    Text is written as UTF-8, bytes (images) as they are.

    Unchanged files keep their modification time (MkDocs' dirty build skips them). With
    ``previous``, the files this function wrote last time, unchanged texts are not even read.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        target = out_dir / rel
        if previous is not None and previous.get(rel) == text and target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
    if previous is not None and previous.keys() == files.keys():
        return
    for stale in sorted(out_dir.rglob("*"), reverse=True):
        rel = stale.relative_to(out_dir).as_posix()
        if stale.is_file() and rel not in files:
            stale.unlink()
        elif stale.is_dir() and not any(stale.iterdir()):
            stale.rmdir()
