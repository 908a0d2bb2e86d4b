"""The generated site as a project that a builder builds without our plugin: Zensical, or MkDocs
(or ProperDocs) with Material alone. `hankekirjasto generate OUT` writes it:

- ``OUT/docs/``: every generated page and file;
- ``OUT/mkdocs.yml``: the site's own configuration without the hankekirjasto plugin, pointed at
  ``docs/``, with our stylesheet, Material's classic look under Zensical (``theme.variant``) and
  the navigation following the pages' new paths;
- ``OUT/overrides/``: a copy of the theme overrides (``theme.custom_dir``), so OUT is complete.

The files are written as they are generated, not held in memory (at 10,000 records the tree is
about 700 MB as Python text). Pages are written in the folder layout: every page is
``<folder>/index.md`` (``hankkeet/x.md`` becomes ``hankkeet/x/index.md``), so a page's source
folder is the folder of the URL it is served at. The generator writes links in raw HTML as final
URLs relative to the page's URL; MkDocs leaves them as they are, while Zensical resolves them, raw
HTML included, from the source file. In the folder layout both read the same. Markdown links
(``[text](../ohjeet.md)``, in the editors' pages) are rewritten to the moved files. Without
directory URLs (``x.html``) the source file and the URL share a folder already, and the paths are
kept.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path
from typing import Any, Iterable

from .pipeline import Generator, Options, Text

DOCS = "docs"
OVERRIDES = "overrides"
STYLESHEET = "assets/hankekirjasto.css"

# Inline links and images: ](target) or ](target "title"); reference definitions: [id]: target.
_INLINE = re.compile(r"(\]\()(<[^>\n]*>|[^()\s]+)((?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\))")
_REFERENCE = re.compile(r"^( {0,3}\[[^\]\n]+\]:[ \t]*)(<[^>\n]*>|\S+)", re.M)
_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.M)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)  # within a paragraph


def folder_path(path: str) -> str:
    """``a/b.md`` → ``a/b/index.md``; index pages and other files keep their path."""
    if not path.endswith(".md") or path == "index.md" or path.endswith("/index.md"):
        return path
    return path[: -len(".md")] + "/index.md"


def folder_layout(files: dict[str, str | bytes]) -> dict[str, str | bytes]:
    """The generated files with every page at ``<folder>/index.md`` and its Markdown links following."""
    refuse_clashes(files)
    return dict(in_folders(path, text) for path, text in files.items())


def refuse_clashes(paths: Iterable[str]) -> None:
    """ValueError when two generated files would land on one page (``a.md`` and ``a/index.md``)."""
    seen: dict[str, str] = {}
    for old in paths:
        new = folder_path(old)
        if new in seen:
            raise ValueError(f"{old} ja {seen[new]} olisivat sama sivu {new}")
        seen[new] = old


def in_folders(path: str, text: Text) -> tuple[str, Text]:
    """One generated file in the folder layout: its new path and, for a page, its text with the
    Markdown links following (``Generator.write``'s ``place``)."""
    if not path.endswith(".md") or isinstance(text, bytes):
        return folder_path(path), text
    if not isinstance(text, str):
        text = "".join(text)
    return folder_path(path), relink(text, path) if "](" in text or "]:" in text else text


def relink(markdown: str, old: str) -> str:
    """The page ``old``, moved to ``folder_path(old)``: its relative Markdown links, rewritten to
    point at the same files from there (pages at their folder paths). Fenced code is left alone."""
    new = folder_path(old)
    old_dir, new_dir = posixpath.dirname(old), posixpath.dirname(new)

    def target(url: str) -> str:
        bracketed = url.startswith("<") and url.endswith(">")
        bare = url[1:-1] if bracketed else url
        path, mark, rest = _split(bare)
        if not path or path.startswith("/") or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", path):
            return url
        resolved = posixpath.normpath(posixpath.join(old_dir, path))
        if resolved.startswith(".."):
            return url
        moved = folder_path(resolved)
        relative = posixpath.relpath(moved, new_dir or ".")
        if path.endswith("/") and not relative.endswith("/"):
            relative += "/"
        result = relative + mark + rest
        return f"<{result}>" if bracketed else result

    def rewrite_links(text: str) -> str:
        text = _INLINE.sub(lambda m: m[1] + target(m[2]) + m[3], text)
        return _REFERENCE.sub(lambda m: m[1] + target(m[2]), text)

    def rewrite(text: str) -> str:
        # Code spans (`![kuva](kuvat/x.png)` shown as an example) are text, not links.
        out, done = [], 0
        for span in _CODE_SPAN.finditer(text):
            out += [rewrite_links(text[done:span.start()]), span[0]]
            done = span.end()
        return "".join(out) + rewrite_links(text[done:])

    out: list[str] = []
    prose: list[str] = []
    fence: str | None = None
    for line in markdown.splitlines(keepends=True):
        opening = _FENCE.match(line)
        if fence is None and opening is None:
            prose.append(line)
            continue
        if fence is None:
            out.append(rewrite("".join(prose)))
            prose = []
            fence = opening[1]
        elif line.lstrip().startswith(fence):
            fence = None
        out.append(line)
    out.append(rewrite("".join(prose)))
    return "".join(out)


def _split(url: str) -> tuple[str, str, str]:
    """(path, "#" or "?" or "", the rest)."""
    cut = min((i for i in (url.find("#"), url.find("?")) if i >= 0), default=-1)
    return (url, "", "") if cut < 0 else (url[:cut], url[cut], url[cut + 1:])


def read_config(config_file: Path) -> dict[str, Any]:
    """mkdocs.yml as data, without running anything: unknown tags (!ENV, !!python/name) are None."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except yaml.YAMLError as error:
        raise ValueError(f"ei kelpaa YAMLina: {error}") from None
    if not isinstance(config, dict):
        raise ValueError("asetusten pitää olla YAML-sanakirja")
    return config


def builder_config(source: dict[str, Any], directory_urls: bool, overrides: bool) -> dict[str, Any]:
    """The site's MkDocs configuration for the generated tree, without our plugin."""
    config = {key: value for key, value in source.items() if key not in ("plugins", "docs_dir", "site_dir", "hooks", "INHERIT")}
    config.setdefault("site_name", "Hankekirjasto")  # required by both builders; set when there is no mkdocs.yml
    config["docs_dir"] = DOCS
    config["site_dir"] = "site"
    config["plugins"] = []  # none: MkDocs would otherwise add its own search
    theme = dict(source["theme"]) if isinstance(source.get("theme"), dict) else {"name": source.get("theme") or "material", "language": "fi"}
    theme.pop("custom_dir", None)
    if overrides:
        theme["custom_dir"] = OVERRIDES
    # Zensical's default look ("modern") changes the header, icons and colours; "classic" is
    # Material's. MkDocs passes the option to the theme, which does not use it.
    theme.setdefault("variant", "classic")
    config["theme"] = theme
    extra_css = list(source.get("extra_css") or [])
    if STYLESHEET not in extra_css:
        extra_css.append(STYLESHEET)
    config["extra_css"] = extra_css
    if "nav" in source and directory_urls:
        config["nav"] = _nav(source["nav"])
    return config


def _nav(entries: Any) -> Any:
    if isinstance(entries, list):
        return [_nav(entry) for entry in entries]
    if isinstance(entries, dict):
        return {title: _nav(value) for title, value in entries.items()}
    if isinstance(entries, str) and "://" not in entries and not entries.startswith("/"):
        return folder_path(entries)
    return entries


def write_project(content_dir: Path, out: Path, source_config: dict[str, Any], options: Options) -> list[str]:
    """Generate the records under ``content_dir`` into the project ``out`` (docs/, mkdocs.yml,
    overrides/); the paths as generated, before the folder layout.

    Each file is written as it is made (``Generator.write``), so the tree is never held in
    memory. The pages go to a new folder that replaces ``out/docs`` only when every one is
    written: bad content (ContentError) or two files that would be one page (ValueError) leave
    the project as it was, and an ``out`` this call created is removed again.
    """
    import yaml

    created = not out.exists()
    staging = out / ".docs-next"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        paths = Generator(content_dir, options).write(staging, in_folders if options.directory_urls else None)
        if options.directory_urls:
            refuse_clashes(paths)
    except BaseException:
        shutil.rmtree(out if created else staging, ignore_errors=True)
        raise
    docs, old = out / DOCS, out / ".docs-old"
    shutil.rmtree(old, ignore_errors=True)
    if docs.exists():
        docs.rename(old)
    staging.rename(docs)
    shutil.rmtree(old, ignore_errors=True)
    target = out / OVERRIDES
    if target.exists():
        shutil.rmtree(target)
    overrides = options.overrides
    has_overrides = overrides is not None and overrides.is_dir()
    if has_overrides:
        shutil.copytree(overrides, target)
    config = builder_config(source_config, options.directory_urls, has_overrides)
    header = ("# Written by `hankekirjasto generate`: the site's mkdocs.yml for the generated pages in docs/,\n"
              "# without the hankekirjasto plugin. Build with `zensical build` or `mkdocs build`, then\n"
              "# index the search with `hankekirjasto index site`.\n")
    (out / "mkdocs.yml").write_text(header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return paths
