"""The theme's navigation rendered once per folder, not once per page (a build-speed measure).

Material renders the whole site navigation, the sidebar and the tabs, into every page: about
half of its template time per page. For a page that is not itself in the navigation (every
record, facet and listing page) nothing in that HTML depends on the page except where its
relative links start from: no entry is active or current. Two such pages in the same folder
(``toimintamallit/a/`` and ``toimintamallit/b/``) get the same links to every entry, so they can
share the HTML, rendered for the first of them.

:func:`install` wraps the theme's template loader so that ``partials/nav.html`` and
``partials/tabs.html`` are small templates that look the HTML up by :func:`shared_key` and
otherwise include the theme's own template (``hk-theme/partials/nav.html``, which resolves as
the unwrapped name did, overrides included). Pages in the navigation are rendered as before.
The built site is the same with and without it (tests/test_rawhtml.py compares every page).

The same wrapping makes Material's translations (``partials/language.html``) a lookup: its
``lang.t(key)`` rebuilds the whole table of a language's texts on every call, about twenty
times a page. Here each language and key is looked up once through the theme's own template
and remembered.

It relies on two things of Material's that are not an API: the names of its partials, and that
its templates tell the current page by comparing navigation items by identity. Both were checked
for one Material release series (``VERIFIED_MATERIAL``): the plugin installs the wrapping only
under that series (:func:`supported`) and renders as Material does otherwise, and a test fails
when the locked Material moves, so the byte-for-byte comparison is run again before the new
series is added.

Jinja and duck-typed MkDocs pages only; the plugin calls :func:`install` from ``on_env``.
"""

from __future__ import annotations

import importlib.metadata
import posixpath
from typing import Any

from jinja2 import ChoiceLoader, DictLoader, Environment, PrefixLoader, pass_context
from jinja2.runtime import Context

# The Material release series (major.minor) whose templates this was checked against.
VERIFIED_MATERIAL = frozenset({"9.8"})
ORIGINAL = "hk-theme"
SHARED = ("partials/nav.html", "partials/tabs.html")
LANGUAGE = "partials/language.html"
_LANGUAGE_WRAPPER = "{% macro t(key) %}{{ hk_translate(key) }}{% endmacro %}"

# The cache key is computed once per page and template; an unshared page (None) includes the
# theme's template exactly where the unwrapped include was.
_WRAPPER = """\
{%- set hk_key = hk_shared_key(page, nav) -%}
{%- if hk_key is none -%}
{% include "ORIGINAL/NAME" %}
{%- else -%}
{%- set hk_key = "NAME " ~ hk_key -%}
{%- if hk_key not in hk_shared -%}
{%- set hk_html -%}{% include "ORIGINAL/NAME" %}{%- endset -%}
{%- set _ = hk_shared.update({hk_key: hk_html}) -%}
{%- endif -%}
{{ hk_shared[hk_key] }}
{%- endif -%}
"""


def material_version() -> str | None:
    try:
        return importlib.metadata.version("mkdocs-material")
    except importlib.metadata.PackageNotFoundError:
        return None


def supported(theme_name: str | None, version: str | None) -> bool:
    """Whether the navigation may be shared: the Material theme of a verified release series."""
    return theme_name == "material" and version is not None and ".".join(version.split(".")[:2]) in VERIFIED_MATERIAL


def shared_key(page: Any, nav: Any) -> str | None:
    """Which pages may share the navigation HTML with ``page``; None: render it for this page.

    Relative links start from a page's folder: ``toimintamallit/a/`` for a directory URL, the
    containing folder for ``toimintamallit/a.html``. Links from ``toimintamallit/a/`` and
    ``toimintamallit/b/`` to an entry read the same unless the entry lies inside one of the two
    folders, which a page outside the navigation never has; so directory-URL pages are keyed by
    their parent folder, file-URL pages by their own folder.
    """
    if page is None or nav is None or page in nav.pages:
        return None
    url = page.url
    if url.endswith("/"):
        folder = url.rstrip("/")
        return f"in {posixpath.dirname(folder)}" if folder else None
    return f"at {posixpath.dirname(url)}"


def install(env: Environment) -> Environment:
    """Wrap ``env``'s loader so the navigation partials are shared between pages (see above)."""
    wrappers = {name: _WRAPPER.replace("ORIGINAL", ORIGINAL).replace("NAME", name) for name in SHARED}
    wrappers[LANGUAGE] = _LANGUAGE_WRAPPER
    original = env.loader
    assert original is not None
    env.loader = ChoiceLoader([DictLoader(wrappers), PrefixLoader({ORIGINAL: original}), original])
    env.globals["hk_shared_key"] = shared_key
    env.globals["hk_shared"] = {}
    env.globals["hk_translate"] = _translator(env)
    return env


def _translator(env: Environment) -> Any:
    """``t(key)`` of the theme's ``partials/language.html``, remembered per language and key."""
    modules: dict[Any, Any] = {}
    texts: dict[tuple[Any, str], Any] = {}

    @pass_context
    def translate(context: Context, key: str) -> Any:
        config = context.get("config")
        language = getattr(getattr(config, "theme", None), "language", None) if config is not None else None
        found = texts.get((language, key))
        if found is None:
            module = modules.get(language)
            if module is None:
                module = modules[language] = env.get_template(f"{ORIGINAL}/{LANGUAGE}").make_module(context.get_all())
            found = texts[(language, key)] = module.t(key)
        return found

    return translate
