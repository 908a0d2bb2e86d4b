"""What readers get is reader text: no working file names of sources and no editors' notes,
in any built page or in the open data (checked on the real built site)."""

from __future__ import annotations

import re
from pathlib import Path

from generator.loader import load

from .browser_support import ROOT, BuiltSite, built_site  # noqa: F401

SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
# Editors' working notes that once stood in reader text; none may come back.
KNOWN_NOTES = ("kansilehden mukaan", "lomakkeen luokka", "summaa ei kerrota", "summaa ei mainita",
               "rahastoa tai ohjelmaa ei nimetä", "lähdeaineisto ")


def _published(site: Path) -> list[Path]:
    return [p for p in site.rglob("*") if p.suffix in (".html", ".json", ".csv", ".xml") and p.is_file()
            and "schema" not in p.parts]


def _content_root(built: BuiltSite) -> Path:
    return ROOT / "content" if built.source == "real" else ROOT / "tests" / "fixtures" / "site" / "content"


def test_no_seed_file_name_or_editor_note_in_any_page(built_site: BuiltSite) -> None:  # noqa: F811
    problems = []
    for path in _published(built_site.root):
        text = path.read_text(encoding="utf-8")
        names = sorted(set(SEED_FILE.findall(text)))
        notes = [n for n in KNOWN_NOTES if n in text.casefold()]
        if names or notes:
            problems.append(f"{path.relative_to(built_site.root)}: {names + notes}")
    assert not problems, "\n".join(problems)


def test_no_record_editor_notes_reach_readers(built_site: BuiltSite) -> None:  # noqa: F811
    """Every line of every record's editor_notes is absent from every built page and data file."""
    corpus = load(_content_root(built_site))
    notes = [(r.id, line.strip("- ").strip()) for r in corpus.records.values() if r.data.editor_notes
             for line in r.data.editor_notes.splitlines() if len(line.strip("- ").strip()) > 20]
    texts = {p: p.read_text(encoding="utf-8") for p in _published(built_site.root)}
    leaks = [f"{rid}: {note[:60]!r} in {p.relative_to(built_site.root)}" for rid, note in notes
             for p, text in texts.items() if note[:60] in text]
    assert not leaks, "\n".join(leaks)


def test_every_page_links_the_accessibility_statement_in_finnish_footer(built_site: BuiltSite) -> None:  # noqa: F811
    # admin/: the form editor (Sveltia CMS), a tool for editors with its own UI, not a site page.
    pages = sorted(p for p in built_site.root.rglob("*.html") if p.relative_to(built_site.root).parts[0] != "admin")
    assert pages
    missing = [str(p.relative_to(built_site.root)) for p in pages
               if "Saavutettavuusseloste</a>" not in (text := p.read_text(encoding="utf-8")).split("md-footer", 1)[-1]
               or "Made with" in text]
    assert not missing, f"pages without the statement link in the footer (or with Material's credit): {missing[:10]}"
    if built_site.source == "real":
        statement = (built_site.root / "saavutettavuus" / "index.html").read_text(encoding="utf-8")
        for words in ("osittain vaatimusten mukainen", "axe-core", "Valvontaviranomainen", "Palautekanava"):
            assert words in statement


def test_not_found_page_and_home_title_are_finnish(built_site: BuiltSite) -> None:  # noqa: F811
    not_found = (built_site.root / "404.html").read_text(encoding="utf-8")
    assert "Not found" not in not_found and "<h1>Sivua ei löytynyt</h1>" in not_found
    for href in ('href="/"', 'href="/haku/"', 'href="/selaa/"'):
        assert href in not_found
    home = (built_site.root / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<title>\s*Hankekirjasto\s*</title>", home)
