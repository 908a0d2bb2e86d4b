"""`mkdocs serve` regenerates only what an edit changed: the output must equal a fresh build's.

Each test edits a copy of the real content the way an editor would and compares what the
long-lived ``Generator`` produces with a fresh ``generate()`` of the same files.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from generator.pipeline import Generator, generate
from generator.problems import ContentError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def real_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) and make sure the file's time stamp moves on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    before = path.stat().st_mtime_ns
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def assert_same_as_fresh(generator: Generator, content: Path) -> dict[str, str]:
    incremental = generator.generate()
    fresh = generate(content)
    assert sorted(incremental) == sorted(fresh)
    differing = [name for name in fresh if incremental[name] != fresh[name]]
    assert differing == []
    return incremental


def first_title(path: Path) -> str:
    match = re.search(r"^title: (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert match
    return match.group(1)


EDITS = [
    # (file, what an editor changes) — titles are shown on many pages; the rest changes facets,
    # texts and so the similarity ranking, relations and listings.
    ("toimintamallit/ips-sijoita-ja-valmenna.yml", "title"),
    ("organisaatiot/pohjois-savon-sosiaaliturvayhdistys.yml", "title"),
    ("hankkeet/touko.yml", "title"),
    ("kokonaisuudet/rrf2-keski-pohjanmaa.yml", "title"),
]


@pytest.mark.parametrize(("name", "field"), EDITS)
def test_title_edit_renders_few_pages_and_matches_fresh(real_content: Path, name: str, field: str) -> None:
    generator = Generator(real_content)
    first = generator.generate()
    total = generator.pages_rendered
    path = real_content / name
    edit(path, f"{field}: {first_title(path)}", f"{field}: Uusi nimi {name.split('/')[0]}")
    after = assert_same_as_fresh(generator, real_content)
    assert after != first
    assert 0 < generator.pages_rendered < total / 2


def test_text_facet_and_relation_edits_match_fresh(real_content: Path) -> None:
    generator = Generator(real_content)
    generator.generate()
    practice = real_content / "toimintamallit" / "matalan-kynnyksen-ryhmatoiminta.yml"
    edit(practice, "summary: |-\n  ", "summary: |-\n  Täysin uusi alku tiivistelmään. ")
    assert_same_as_fresh(generator, real_content)
    text = practice.read_text(encoding="utf-8")
    themes = re.search(r"^themes:\n((?: *- .+\n)+)", text, re.MULTILINE)
    assert themes
    edit(practice, themes.group(0), "themes:\n  - tyollisyys\n")
    assert_same_as_fresh(generator, real_content)
    project = real_content / "hankkeet" / "touko.yml"
    edit(project, "status: ", "status: ")  # same text, newer time stamp: still the same output
    assert_same_as_fresh(generator, real_content)


def test_added_and_removed_records_match_fresh(real_content: Path) -> None:
    generator = Generator(real_content)
    generator.generate()
    source = real_content / "toimintamallit" / "matalan-kynnyksen-talousneuvonta.yml"
    copy = real_content / "toimintamallit" / "talousneuvonta-kopio.yml"
    copy.write_text(source.read_text(encoding="utf-8").replace(f"title: {first_title(source)}", "title: Kopioitu malli", 1), encoding="utf-8")
    files = assert_same_as_fresh(generator, real_content)
    assert "toimintamallit/talousneuvonta-kopio.md" in files
    copy.unlink()
    files = assert_same_as_fresh(generator, real_content)
    assert "toimintamallit/talousneuvonta-kopio.md" not in files


def test_vocabulary_and_editorial_edits_match_fresh(real_content: Path) -> None:
    generator = Generator(real_content)
    generator.generate()
    vocabulary = real_content / "vocabularies" / "themes.yml"
    edit(vocabulary, "{label: Työllisyys ja työllistyminen}", "{label: Muutettu teema}")
    assert_same_as_fresh(generator, real_content)
    edit(real_content / "sivut" / "tietoa.md", "\n\n", "\n\nUusi kappale.\n\n")
    assert_same_as_fresh(generator, real_content)


def test_a_broken_edit_then_its_fix_match_fresh(real_content: Path) -> None:
    generator = Generator(real_content)
    generator.generate()
    project = real_content / "hankkeet" / "touko.yml"
    original = project.read_text(encoding="utf-8")
    edit(project, "status: ", "status: [rikki\n")
    with pytest.raises(ContentError):
        generator.generate()
    edit(project, "status: [rikki\n", "status: ")
    assert project.read_text(encoding="utf-8") == original
    edit(project, f"title: {first_title(project)}", "title: Korjattu nimi")
    assert_same_as_fresh(generator, real_content)


def test_a_rename_reuses_the_similarity_ranking(real_content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Titles are not compared, so renaming (which reorders listings) must not rank again."""
    from generator import related

    generator = Generator(real_content)
    generator.generate()
    calls = []
    original = related.rank
    monkeypatch.setattr(related, "rank", lambda *args, **kwargs: calls.append(1) or original(*args, **kwargs))
    path = real_content / "toimintamallit" / "ips-sijoita-ja-valmenna.yml"
    edit(path, f"title: {first_title(path)}", "title: Aakkosissa ensimmäinen malli")
    assert_same_as_fresh(generator, real_content)
    assert calls == [1]  # only the fresh generate() ranked


@pytest.mark.skipif(not hasattr(os, "fork"), reason="rendering in processes needs os.fork")
def test_rendering_in_two_processes_gives_the_same_files(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import related, render
    from generator.pipeline import check

    site = check(ROOT / "content")
    site.similar = related.compute(site, {})
    one = render.render_site(site, processes=1).files
    monkeypatch.setattr(render, "PARALLEL_RENDER_FROM", 10)
    calls = []
    original = render.in_parts
    monkeypatch.setattr(render, "in_parts", lambda work, n, parts: calls.append(parts) or original(work, n, parts))
    two = render.render_site(site, processes=2).files
    assert calls == [2]
    assert two == one
