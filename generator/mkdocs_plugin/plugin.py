"""The MkDocs plugin: a thin layer that runs the pipeline and hands MkDocs the generated pages.

Everything it does is in plain modules (``pipeline``) that also run without MkDocs; this file
only wires MkDocs events to them.
"""

from __future__ import annotations

import gc
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Iterator

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files

from ..pipeline import Generator, Options, nav_pages, write_tree
from ..publish import Staging
from ..problems import ContentError
from .rawhtml import RawBlocks, anchor_ids
from . import sharednav
from ..search import BackgroundIndexer, ConcurrentIndex, IndexResult, PagefindMissing, SearchError, build_index

log = get_plugin_logger(__name__)

STYLESHEET = "assets/hankekirjasto.css"


class HankekirjastoConfig(base.Config):
    content_dir = c.Optional(c.Dir(exists=True))
    similarity = c.Type(dict, default={})
    # Where `mkdocs serve --dirty` keeps the generated Markdown, so unchanged pages keep
    # their modification time and MkDocs skips rebuilding them.
    cache_dir = c.Type(str, default=".cache/hankekirjasto")
    # Pass generated raw HTML blocks straight through instead of letting Python-Markdown parse
    # them (same output, faster; generator/mkdocs_plugin/rawhtml.py). Off: plain MkDocs.
    pass_raw_html = c.Type(bool, default=True)
    # Render the theme's navigation once per folder for the pages outside it instead of once per
    # page, and look its translations up once (same output, faster; only under the Material
    # release it was checked with: generator/mkdocs_plugin/sharednav.py). Off: as Material does.
    share_navigation = c.Type(bool, default=True)


class HankekirjastoPlugin(BasePlugin[HankekirjastoConfig]):
    """Generates the record pages; keeps the record sources themselves out of the site."""

    dirty = False
    indexer: BackgroundIndexer | None = None
    concurrent: ConcurrentIndex | None = None
    index_alongside = False
    freeze = False
    staging: Staging | None = None
    built = False
    tree: Path | None = None  # a one-off build's generated files, on disk (see on_pre_build)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.dirty = dirty
        self.serving = command == "serve"
        # Under `mkdocs serve` the search index is built in the background (see on_post_build).
        self.indexer = BackgroundIndexer(self._report_index) if command == "serve" else None
        # A full `mkdocs build` converts every page before rendering the theme, so it can index
        # the contents alongside the theme (on_env); serve and dirty builds do not.
        self.index_alongside = self.indexer is None and not dirty
        # `mkdocs build` is one build and then the process ends: see on_files and on_shutdown.
        self.freeze = command == "build"
        # A full `mkdocs build` writes into a staging folder that replaces site/ only when the
        # whole build succeeded (generator/publish.py); serve and dirty builds write in place.
        self.stage = command == "build" and not dirty
        # A full `mkdocs build` generates its files into a temporary folder, which MkDocs then
        # reads like docs_dir, instead of keeping them in memory (see on_pre_build).
        self.one_off = command == "build" and not dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.content_dir = Path(self.config.content_dir or config.docs_dir)
        overrides = config.theme.custom_dir
        serving = getattr(self, "serving", False)
        similarity = dict(self.config.similarity)
        if serving:
            # `mkdocs serve` runs other threads (the livereload server, the search indexer), and a
            # process forked from a threaded one can deadlock: no worker processes there.
            similarity.setdefault("processes", 1)
        try:
            options = Options(overrides=Path(overrides) if overrides else None, similarity=similarity,
                              directory_urls=config.use_directory_urls, processes=1 if serving else 0,
                              nav_pages=nav_pages(config.nav), config_file=Path(config.config_file_path or "mkdocs.yml").name)
        except ValueError as error:
            raise PluginError(f"{config.config_file_path}: {error}") from None
        # MkDocs reloads the config before every rebuild of `serve`; the generator (and what it
        # remembers of the previous run) is kept as long as the content and options are the same.
        generator = getattr(self, "generator", None)
        if generator is None or generator.content_dir != self.content_dir or generator.options != options:
            self.generator = Generator(self.content_dir, options)
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        if getattr(self, "stage", False) and self.staging is None:
            self.staging = Staging(Path(config.site_dir))
            config.site_dir = str(self.staging.start())
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        self._raw = RawBlocks()
        self._raw_blocks: dict[str, dict[str, str]] = {}
        # Runs before MkDocs empties site/, so a broken record leaves the last good site as it was.
        try:
            if getattr(self, "one_off", False):
                # One build, then the process ends: the files go to disk as they are made, and
                # what only a next run would reuse (records, ranking) is freed before MkDocs
                # reads the pages. At 10,000 records this halves the build's memory.
                self._remove_tree()
                cache = Path(config.config_file_path or "mkdocs.yml").parent / self.config.cache_dir
                cache.parent.mkdir(parents=True, exist_ok=True)
                self.tree = Path(tempfile.mkdtemp(prefix=f"{cache.name}-build-", dir=cache.parent))
                self.generated = _OnDisk(self.tree, self.generator.write(self.tree))
                self.generator.release()
            else:
                self.generated = self.generator.generate()
        except ContentError as error:
            if getattr(self, "serving", False) and getattr(self, "generated", None) is not None:
                # Previewing: a mistake must not stall the server. Print every problem (outside
                # MkDocs' logger, so strict mode does not abort) and keep the last good pages.
                print(f"ERROR   -  {error.report()}\nEsikatselu näyttää viimeisimmän toimivan version, "
                      "kunnes virheet on korjattu.", file=sys.stderr, flush=True)
                return
            raise PluginError(error.report()) from None
        timings = ", ".join(f"{step} {seconds:.2f} s" for step, seconds in self.generator.timings.items())
        log.info("Generated %d files (%d pages rendered) from %s: %s", len(self.generated),
                 self.generator.pages_rendered, self.content_dir, timings)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.freeze:
            # The records, the generated pages and the configuration live until the process
            # ends; frozen, Python's cyclic garbage collector stops walking them over and over
            # while MkDocs renders (its full collections took about 0.4 s of a 1k build).
            gc.freeze()
        # Nothing under content/ is copied into the site as it is (records, raw YAML): checked
        # on the path as MkDocs found it and on where it leads (MkDocs follows symbolic links).
        content = (self.content_dir.absolute(), self.content_dir.resolve())
        kept = [f for f in files if not f.abs_src_path
                or not any(c in p.parents for c in content for p in (Path(f.abs_src_path).absolute(), Path(f.abs_src_path).resolve()))]
        out = Files(kept)
        if self.tree is not None:
            for rel in self.generated:
                out.append(File.generated(config, rel, abs_src_path=str(self.tree / rel)))
        elif self.dirty:
            # Files on disk (rewritten only when their text changed) let a dirty rebuild
            # skip every page whose Markdown is unchanged.
            cache = Path(config.config_file_path).parent / self.config.cache_dir
            write_tree(self.generated, cache, getattr(self, "written", None))
            self.written = self.generated
            for rel in self.generated:
                out.append(File.generated(config, rel, abs_src_path=str(cache / rel)))
        else:
            for rel, text in self.generated.items():
                out.append(File.generated(config, rel, content=text))
        return out

    def on_page_markdown(self, markdown: str, *, page, config: MkDocsConfig, files: Files) -> str:  # type: ignore[no-untyped-def]
        # Generated pages (not the editors' own Markdown pages) hand their raw HTML blocks past
        # Python-Markdown's HTML parser; see rawhtml.py. Same HTML, faster build.
        uri = page.file.src_uri
        if not self.config.pass_raw_html or uri not in self.generated or uri in self.generator.editorial_paths:
            return markdown
        markdown, blocks = self._raw.stash(markdown)
        if blocks:
            self._raw_blocks[uri] = blocks
        return markdown

    def on_page_content(self, html: str, *, page, config: MkDocsConfig, files: Files) -> str:  # type: ignore[no-untyped-def]
        blocks = self._raw_blocks.pop(page.file.src_uri, None)
        if not blocks:
            return html
        # MkDocs saw only the tokens: the ids inside the blocks are anchors of this page too
        # (Page.present_anchor_ids, which MkDocs checks links to "page.md#anchor" against).
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= anchor_ids(blocks.values())
        return self._raw.restore(html, blocks)

    def on_env(self, env, config: MkDocsConfig, files: Files):  # type: ignore[no-untyped-def]
        # Every page's content is ready and MkDocs is about to render the theme around each one:
        # a full build indexes the contents now, on the other core (ConcurrentIndex).
        if self.config.share_navigation:
            version = sharednav.material_version()
            if sharednav.supported(config.theme.name, version):
                env = sharednav.install(env)
            else:
                log.info("share_navigation: not used with theme %s %s (checked with Material %s only)",
                         config.theme.name, version or "", ", ".join(sorted(sharednav.VERIFIED_MATERIAL)))
        if not self.index_alongside:
            return env
        pages = ((f.dest_uri, f.page.title or "", f.page.content) for f in files.documentation_pages()
                 if f.page is not None and f.page.content is not None)
        self.concurrent = ConcurrentIndex(Path(config.site_dir))
        try:
            self.concurrent.start(pages)
        except PagefindMissing as error:
            log.warning("%s", error)
            self.concurrent = None
        except SearchError as error:
            self.concurrent = None
            raise PluginError(str(error)) from None
        return env

    def on_build_error(self, *, error: Exception) -> None:
        self.built = False
        self._remove_tree()
        if self.concurrent is not None:
            self.concurrent.discard()
            self.concurrent = None

    @event_priority(-100)  # after every other plugin has written its files
    def on_post_build(self, config: MkDocsConfig) -> None:
        # Everything is written; indexing (or MkDocs' strict check after this) can still fail
        # the build, and on_build_error then clears this before on_shutdown publishes.
        self.built = True
        # The form editor at /admin/ (generator/cms.py): never fails the build.
        from generator.cms import write_admin
        if not write_admin(Path(config.site_dir), self.content_dir, Path(config.config_file_path).parent):
            log.info("Lomake-editori puuttuu (ei node_modules-kansiota): aja make install, niin /admin/ toimii.")
        # Full-text search (Pagefind) over the finished HTML; see generator/search.py.
        site_dir = Path(config.site_dir)
        if self.index_alongside:
            concurrent, self.concurrent = self.concurrent, None
            if concurrent is None:
                return  # no Pagefind: on_env has said so
            try:
                result = concurrent.finish()
            except SearchError as error:
                raise PluginError(str(error)) from None
            log.info("Search index: %d pages in %d part(s), %.2f s, alongside the theme (the build waited %.2f s for it)",
                     result.pages, result.parts, result.seconds, result.waited)
            return
        if self.indexer is not None:
            self.indexer.request(site_dir)  # serve: the reload does not wait for the index
            return
        try:
            self._report_index(build_index(site_dir), None)
        except PagefindMissing as error:
            log.warning("%s", error)
        except SearchError as error:
            raise PluginError(str(error)) from None

    def _report_index(self, result: IndexResult | None, error: SearchError | None) -> None:
        """Log one indexing run (also called from the serve worker thread)."""
        if error is not None:
            log.warning("%s", error)
        elif result is not None:
            log.info("Search index: %d pages in %d part(s), %.2f s", result.pages, result.parts, result.seconds)

    def _remove_tree(self) -> None:
        tree, self.tree = self.tree, None
        if tree is not None:
            shutil.rmtree(tree, ignore_errors=True)

    def on_shutdown(self) -> None:
        self._remove_tree()
        if self.staging is not None:
            self.staging.publish() if self.built else self.staging.discard()
            self.staging = None
        if self.freeze:
            # Nothing is left to collect before the process exits: without this, Python's final
            # collections walk every object of the build (about 0.6 s at 1,000 records).
            gc.freeze()

    def on_serve(self, server, config: MkDocsConfig, builder):  # type: ignore[no-untyped-def]
        if self.content_dir.resolve() != Path(config.docs_dir).resolve():
            server.watch(str(self.content_dir))
        return server



class _OnDisk(Mapping):
    """The generated files of a one-off build: path → text, read from ``root`` when asked."""

    def __init__(self, root: Path, paths: list[str]) -> None:
        self.root = root
        self._paths = dict.fromkeys(paths)

    def __getitem__(self, rel: str) -> str:
        if rel not in self._paths:
            raise KeyError(rel)
        with open(self.root / rel, encoding="utf-8", newline="") as text:
            return text.read()

    def __contains__(self, rel: object) -> bool:
        return rel in self._paths

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)
