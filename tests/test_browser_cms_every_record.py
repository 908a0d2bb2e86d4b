"""Every record of ``content/`` opened in the form editor and saved reads back as the same record.

The form is generated from the model (generator/cms.py), so a field the form cannot hold, a list
it reorders or a value it rewrites would change a record silently the first time a coordinator
saves it. Each record is opened by its address, one word is added to its short description (the
form saves only a changed entry), and saved; then every file the CMS wrote is loaded and compared
with the original, field by field.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from generator.loader import load

from .browser_support import ROOT, BuiltSite, browser, built_site, server  # noqa: F401 - fixtures are used by name
from .test_browser_cms import _content_with, _field, _needs_cms, _open_editor, _written

pytestmark = pytest.mark.browser

FOLDERS = ["hankkeet", "toimintamallit", "kokonaisuudet", "organisaatiot"]
ADDED = "Lisätty."
READ_ONE = """async (path) => {
  let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('repo');
  const parts = path.split('/');
  for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part);
  return await (await (await dir.getFileHandle(parts.at(-1))).getFile()).text();
}"""


def _saved(page: Any, path: str, before: str) -> None:
    """Clicks Tallenna and waits until the file on the folder has changed and the form has
    closed (the CMS goes back to the list after saving)."""
    page.wait_for_timeout(300)  # the form takes typed text in after a short pause
    page.get_by_role("button", name="Tallenna").click()
    deadline = time.monotonic() + 20
    while _read(page, path) in (before, None):
        assert time.monotonic() < deadline, f"{path}: the form did not save"
        page.wait_for_timeout(100)
    page.wait_for_function("!location.hash.includes('/entries/')", timeout=20000)


def _read(page: Any, path: str) -> str | None:
    """The file's text, or None while the CMS is writing it (the browser refuses the read, or
    the file is briefly away while it is replaced)."""
    from playwright.sync_api import Error

    try:
        return page.evaluate(READ_ONE, path)
    except Error as error:
        if "NotReadableError" not in str(error) and "NotFoundError" not in str(error):
            raise
        return None


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_record_saved_through_the_form_is_the_same_record(built_site: BuiltSite, server: str, browser: Any,  # noqa: F811
                                                                tmp_path: Path, folder: str) -> None:
    _needs_cms(built_site)
    originals = load(ROOT / "content").records
    names = sorted(path.stem for path in (ROOT / "content" / folder).glob("*.yml"))
    assert names, f"content/{folder} has no records"
    context, page, before = _open_editor(browser, server)
    try:
        for name in names:
            path = f"content/{folder}/{name}.yml"
            page.goto(f"/admin/#/collections/{folder}/entries/{name}")
            summary = _field(page, "Lyhyt kuvaus").locator("textarea")
            summary.wait_for(timeout=30000)
            summary.press("Control+End")
            summary.type(f" {ADDED}" if summary.input_value() else ADDED)
            _saved(page, path, before[path])
        written = _written(page, before)
    finally:
        context.close()
    assert sorted(written) == [f"content/{folder}/{name}.yml" for name in names]
    corpus = load(_content_with(tmp_path, written))
    assert not corpus.problems, [problem.message for problem in corpus.problems]
    for name in names:
        original = originals[name].data.model_dump()
        saved = corpus.records[name].data.model_dump()
        summary = original.pop("summary")
        assert saved.pop("summary") == (f"{summary} {ADDED}" if summary else ADDED), name
        assert saved == original, name
