"""The fast paths of generator.similarity give the same results as the plain ones.

Key ids in flat arrays, text fields analysed in worker processes, and TF-IDF, feature numbering,
joining and the index walked with numpy must change nothing in the output; these tests pin the
cases the synthetic benchmark does not reach.
"""

from __future__ import annotations

import os
from dataclasses import replace

import pytest

from generator import finnish, similarity
from generator.similarity import FinnishAnalyzer, Item, SimilarityConfig, rank
from tests.test_similarity import as_data, wired_corpus


def test_key_ids_name_the_same_keys_as_counts():
    analyzer = FinnishAnalyzer()
    text = "Nuorten työllistyminen ja nuorille työtä: työpajan työpajoissa (nuoret) hankkeen"
    by_id = analyzer.id_counts(text)
    assert {analyzer.names[k]: n for k, n in by_id.items()} == analyzer.counts(text)
    assert list(analyzer.counts(text)) == [analyzer.names[k] for k in by_id]  # first-seen order
    assert 0 not in by_id and analyzer.names[0] == ""
    assert (analyzer.id_of(analyzer.key("nuorten")),) == analyzer._ids["nuorten"]  # no compound: one id
    new = analyzer.id_of("eioleolemassa")
    assert analyzer.names[new] == "eioleolemassa" and analyzer.id_of("eioleolemassa") == new


def several_fields(items: list[Item]) -> list[Item]:
    """The items with each text spread over three fields (and one field left out at times), so
    that worker processes get fields of their own to analyse."""
    spread = []
    for k, item in enumerate(items):
        words = " ".join(item.texts.values()).split()
        third = len(words) // 3
        texts = {"summary": words[:third], "goals": words[third : 2 * third], "actions": words[2 * third :]}
        if k % 5 == 0:
            del texts["summary"]
        spread.append(replace(item, texts={name: " ".join(ws) for name, ws in texts.items()}))
    return spread


@pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes need os.fork")
def test_stems_from_workers_are_renumbered_into_the_parent():
    items = several_fields(wired_corpus(120, seed=3))
    config = SimilarityConfig()

    def by_name(processes: int) -> list[list[list[tuple[str, float]]]]:
        analyzer = FinnishAnalyzer()
        out = []
        for terms in similarity._text_terms(items, config, analyzer, processes):
            pairs = [(analyzer.names[key], w) for key, w in zip(terms.keys, terms.weights)]
            out.append([pairs[a:b] for a, b in zip(terms.starts, terms.starts[1:])])
        return out

    alone = by_name(1)
    assert len(alone) == len(config.text_fields) and sum(map(any, alone)) == 3
    assert by_name(2) == alone
    assert by_name(3) == alone


@pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes need os.fork")
def test_fields_analysed_in_workers_do_not_change_the_output():
    items = several_fields(wired_corpus(300, seed=8))
    alone = as_data(rank(items, items, SimilarityConfig(processes=1)))
    assert sum(reason.kind == "text" for found in alone.values() for n in found for reason in n[2]) > 100
    for processes in (2, 3):
        assert as_data(rank(items, items, SimilarityConfig(processes=processes))) == alone


@pytest.mark.skipif(not hasattr(os, "fork") or not finnish.available(), reason="needs os.fork and Voikko")
def test_vocabulary_learnt_ahead_in_workers_does_not_change_the_output(monkeypatch):
    """The tokens are learnt ahead from 20,000 new ones on; here from the first, over 1-3
    processes, with Voikko's answers and the keys learnt in a worker brought back."""
    items = several_fields(wired_corpus(300, seed=8))
    monkeypatch.setattr(finnish, "_cache", {})
    alone = as_data(rank(items, items, SimilarityConfig(processes=1)))
    monkeypatch.setattr(similarity, "LEARN_AHEAD_FROM", 0)
    learnt_ahead: list[int] = []
    real_in_parts = finnish.in_parts

    def in_parts(work, n, processes):
        learnt_ahead.append(n)
        return real_in_parts(work, n, processes)

    monkeypatch.setattr(finnish, "in_parts", in_parts)
    # 0: automatic, which for 300 items is one process, but the words are learnt over the cores.
    for processes in (2, 3) + ((0,) if similarity.cores() > 1 else ()):
        monkeypatch.setattr(finnish, "_cache", {})
        monkeypatch.setattr(finnish, "_readings_cache", {})
        learnt_ahead.clear()
        assert as_data(rank(items, items, SimilarityConfig(processes=processes))) == alone
        assert learnt_ahead and learnt_ahead[0] > 200  # the whole vocabulary went through it
        words = {w for item in items for text in item.texts.values() for t in similarity._tokens(text) if (w := similarity._word(t))}
        assert words <= finnish._cache.keys()  # the answers a worker found came back too


def test_field_groups_share_the_text_evenly():
    items = several_fields(wired_corpus(60, seed=4))
    fields = SimilarityConfig().text_fields
    length = {name: sum(len(item.texts.get(name) or "") for item in items) for name in fields}
    for processes in (1, 2, 3, 4, 8):
        groups = similarity._field_groups(items, fields, processes)
        assert sorted(name for group in groups for name in group) == sorted(fields)
        assert 1 <= len(groups) <= min(processes, len(fields))
        totals = [sum(length[name] for name in group) for group in groups]
        assert totals[0] == max(totals)  # this process takes the most text
    two = [sum(length[name] for name in group) for group in similarity._field_groups(items, fields, 2)]
    assert max(two) - min(two) <= max(length.values())
    # Too many splits to try: longest first, each to the emptiest group.
    many = tuple(f"f{k}" for k in range(12))
    texts = [Item("i", "t", {}, {name: "sana " * (k + 1) for k, name in enumerate(many)})]
    groups = similarity._field_groups(texts, many, 4)
    assert sorted(name for group in groups for name in group) == sorted(many) and len(groups) == 4
    assert similarity._field_groups(texts, (), 2) == []


def test_numpy_join_equals_the_pure_python_one(monkeypatch):
    pytest.importorskip("numpy")
    items = long_texts()
    config = SimilarityConfig(processes=1)

    def joined() -> tuple:
        analyzer, features = FinnishAnalyzer(), similarity._Features()
        vectors, _ = similarity._facet_vectors(items, config, 12.75, features)
        walking = similarity._add_text(vectors, items, config, 12.75, features, analyzer)
        return [list(vector.items()) for vector in vectors], walking, features.meta

    fast = joined()
    with monkeypatch.context() as patch:
        patch.setattr(similarity, "numpy", None)
        assert joined() == fast  # same ids, weights, key order and walking order
    assert any(fast[1])


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
    counted = [similarity._count_words(items, name, analyzer) for name in config.text_fields]
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


def test_text_reasons_do_not_repeat_a_word_inside_another():
    words = ["hyvinvointialue", "tunnista", "hyvinvointi", "vointi", "kyky", "haaste", "ohjaus"]
    assert similarity._distinct_words(words) == ("hyvinvointialue", "tunnista", "kyky", "haaste")
    assert similarity._distinct_words(["vointi", "hyvinvointi"]) == ("vointi",)  # the stronger stays
