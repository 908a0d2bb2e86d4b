"""The fast paths of generator.similarity give the same results as the plain ones.

Key ids in flat arrays, key counts sent back from worker processes and TF-IDF, feature numbering
and the index walked with numpy must change nothing in the output; these tests pin the cases the
synthetic benchmark does not reach.
"""

from __future__ import annotations

import os

import pytest

from generator import similarity
from generator.similarity import FinnishAnalyzer, Item, SimilarityConfig, rank
from tests.test_similarity import as_data, wired_corpus


def test_key_ids_name_the_same_keys_as_counts():
    analyzer = FinnishAnalyzer()
    text = "Nuorten työllistyminen ja nuorille työtä: työpajan työpajoissa (nuoret) hankkeen"
    by_id = analyzer.id_counts(text)
    assert {analyzer.names[k]: n for k, n in by_id.items()} == analyzer.counts(text)
    assert list(analyzer.counts(text)) == [analyzer.names[k] for k in by_id]  # first-seen order
    assert 0 not in by_id and analyzer.names[0] == ""
    assert analyzer.id_of(analyzer.key("nuorten")) == analyzer._ids["nuorten"]
    new = analyzer.id_of("eioleolemassa")
    assert analyzer.names[new] == "eioleolemassa" and analyzer.id_of("eioleolemassa") == new


@pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes need os.fork")
def test_counts_from_workers_are_renumbered_into_the_parent():
    items = wired_corpus(120, seed=3)
    fields = SimilarityConfig().text_fields

    def by_name(processes: int) -> list[list[dict[str, int]]]:
        analyzer = FinnishAnalyzer()
        counted = similarity._count_words(items, fields, analyzer, processes)
        out = []
        for field in counted:
            texts, at = [], 0
            for size in field.sizes:
                keys, counts = field.keys[at : at + size], field.counts[at : at + size]
                texts.append({analyzer.names[k]: n for k, n in zip(keys, counts)})
                at += size
            out.append(texts)
        return out

    alone = by_name(1)
    assert by_name(3) == alone
    assert [list(text) for text in by_name(3)[0]] == [list(text) for text in alone[0]]  # order kept


def long_texts() -> list[Item]:
    """Items whose texts repeat words more than the tf table covers, and texts of stop words only."""
    items = wired_corpus(60, seed=5)
    repeated = " ".join(["kuntoutus"] * 1100 + ["vertaistuki"] * 5 + ["asuminen"] * 1500)
    extra = [
        Item(f"long-{k}", "long", {"themes": frozenset({"kuntoutus"})}, {"goals": repeated + f" sana{k}"}) for k in range(3)
    ]
    empty = [Item(f"stop-{k}", "stop", {"themes": frozenset({"x"})}, {"goals": "ja on se että", "need": ""}) for k in range(2)]
    return items + extra + empty


@pytest.mark.parametrize("config", [SimilarityConfig(processes=1), SimilarityConfig(processes=1, min_score=0.0, limit=8)])
def test_numpy_text_analysis_equals_the_pure_python_one(monkeypatch, config):
    pytest.importorskip("numpy")
    items = long_texts()
    fast = as_data(rank(items, items, config))
    assert any(reason.kind == "text" for reason in fast["long-0"][0][2])
    with monkeypatch.context() as patch:
        patch.setattr(similarity, "numpy", None)
        assert as_data(rank(items, items, config)) == fast


def test_strongest_stems_agree_to_the_bit(monkeypatch):
    pytest.importorskip("numpy")
    items = long_texts()
    config = SimilarityConfig(terms_per_field=5)
    analyzer = FinnishAnalyzer()
    counted = similarity._count_words(items, config.text_fields, analyzer, 1)
    fast = [similarity._strongest(field, len(analyzer.names), config) for field in counted]
    with monkeypatch.context() as patch:
        patch.setattr(similarity, "numpy", None)
        plain = [similarity._strongest(field, len(analyzer.names), config) for field in counted]
    assert fast == plain
    assert max(b - a for t in fast for a, b in zip(t.starts, t.starts[1:])) == 5


def test_rank_leaves_the_garbage_collector_as_it_found_it():
    import gc

    items = wired_corpus(30, seed=2)
    assert gc.isenabled()
    rank(items, items)
    assert gc.isenabled()
    gc.disable()
    try:
        rank(items, items)
        assert not gc.isenabled()
    finally:
        gc.enable()
