"""Links between generated pages, written as the final URLs a browser follows.

Record pages hand their body to MkDocs as raw HTML, which MkDocs does not rewrite (it only
rewrites Markdown links to ``.md`` files). So the generator must write what MkDocs would have
written: the URL the target page is served at, relative to the URL of the page that links to
it. With ``use_directory_urls`` (MkDocs' default) ``hankkeet/x.md`` is served at
``hankkeet/x/`` and ``hankkeet/index.md`` at ``hankkeet/``; without it at ``hankkeet/x.html``
and ``hankkeet/index.html``. A link's base is the page's URL, not its file, so from
``toimintamallit/x/`` to ``hankkeet/y/`` is ``../../hankkeet/y/``.
"""

from __future__ import annotations

import posixpath
from typing import Callable
from urllib.parse import quote


def served_url(path: str, directory_urls: bool = True) -> str:
    """The URL (relative to the site root, "" for the root) MkDocs serves a docs file at."""
    stem = path[: -len(".md")] if path.endswith(".md") else path
    if not directory_urls:
        return stem + ".html" if path.endswith(".md") else path
    if not path.endswith(".md"):
        return path  # an asset or data file keeps its own name
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative_url(page: str, target: str, directory_urls: bool = True) -> str:
    """The href, on the page generated from docs file ``page``, of docs file ``target``.

    ``target`` may end in ``#fragment``. The result is percent-encoded, so it can only be a
    path: nothing in it can end an HTML attribute or start a scheme.
    """
    return linker(page, directory_urls)(target)


def linker(page: str, directory_urls: bool = True) -> Callable[[str], str]:
    """``relative_url`` for one page: its directory is worked out once, since a record page
    has dozens of links."""
    page_url = served_url(_normal(page), directory_urls)
    # The browser resolves a link against the page's URL up to its last "/".
    page_dir = page_url.split("/")[:-1]

    def to(target: str) -> str:
        target_path, hash_mark, fragment = target.partition("#")
        parts = served_url(_normal(target_path), directory_urls).split("/")
        common = 0
        while common < len(page_dir) and common < len(parts) - 1 and page_dir[common] == parts[common]:
            common += 1
        relative = "../" * (len(page_dir) - common) + "/".join(parts[common:]) or "./"
        return quote(relative, safe="/") + (hash_mark + quote(fragment, safe="") if hash_mark else "")

    return to


def _normal(path: str) -> str:
    """A docs path without ".", ".." or empty segments, never above the docs root (a final "/" stays)."""
    normal = posixpath.normpath("/" + path.lstrip("/")).lstrip("/")
    return normal + "/" if path.endswith("/") and normal else normal
