"""Tests for generator.similarity on small hand-made items."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from generator.similarity import FinnishAnalyzer, Item, Reason, SimilarityConfig, rank

ROOT = Path(__file__).resolve().parent.parent
ANY = SimilarityConfig(min_score=0.0)


def item(id: str, text: str = "", field: str = "goals", related=(), not_related=(), **facets: str) -> Item:
    """An item; facets as space-separated value ids, e.g. themes="tyollisyys osallisuus"."""
    return Item(
        id=id,
        title=id,
        facets={name: frozenset(values.split()) for name, values in facets.items()},
        texts={field: text} if text else {},
        related=tuple(related),
        not_related=tuple(not_related),
    )


def fillers(n: int) -> list[Item]:
    """Unrelated items, so that values shared by two test items count as rare."""
    return [item(f"z{k:02d}", f"täyte{k}sana erillinen{k}", themes=f"filler{k}") for k in range(n)]


def ids(neighbours) -> list[str]:
    return [n.id for n in neighbours]


# --------------------------------------------------------------------------- words


@pytest.mark.parametrize(
    "forms",
    [
        ("työllistyminen", "työllistymisen", "työllistymistä", "työllistymiseen"),
        ("osallisuus", "osallisuuden", "osallisuutta"),
        ("nuoret", "nuorten", "nuoria", "nuorille"),
        ("koulutus", "koulutuksen", "koulutusta"),
        ("työ", "työn", "työtä", "työssä"),
        ("hanke", "hankkeen", "hankkeessa"),
    ],
)
def test_inflected_forms_share_one_key(forms):
    analyzer = FinnishAnalyzer()
    assert len({analyzer.key(word) for word in forms}) == 1


def test_different_words_keep_different_keys():
    analyzer = FinnishAnalyzer()
    words = ["nuoret", "ikäihmiset", "työllistyminen", "yksinäisyys", "koulutus", "kotoutuminen"]
    assert len({analyzer.key(word) for word in words}) == len(words)


def test_stop_words_generic_words_and_punctuation_are_not_counted():
    counts = FinnishAnalyzer().counts("Hankkeen toiminta ja sen kehittäminen on (myös) asiakkaiden, 2024 - nuorten!")
    assert list(counts) == [FinnishAnalyzer().key("nuorten")]


def test_every_setting_can_be_given_and_is_checked():
    from dataclasses import fields

    from generator.similarity import _SETTING_CHECKS

    assert list(_SETTING_CHECKS) == [f.name for f in fields(SimilarityConfig)]
    # Weights given are laid over the defaults: a facet not named keeps its default weight.
    assert SimilarityConfig.from_settings({"facet_weights": {"themes": 2}, "candidate_combos": [["themes"]]}) == \
        SimilarityConfig(facet_weights={**SimilarityConfig().facet_weights, "themes": 2.0}, candidate_combos=(("themes",),))
    with pytest.raises(ValueError, match="(?s)limit: .*rescore: .*candidate_combos: "):
        SimilarityConfig.from_settings({"limit": 2.5, "rescore": True, "candidate_combos": "themes"})


def test_extra_stop_words_drop_every_form_of_every_part_of_a_name():
    analyzer = FinnishAnalyzer(["Keski-Pohjanmaa", "Juankoski (Kuopio)"])
    text = "Keski-Pohjanmaan, Kuopion ja Juankosken nuoret"
    assert list(analyzer.counts(text)) == [FinnishAnalyzer().key("nuoret")]
    assert len(FinnishAnalyzer().counts(text)) == 5  # without them, each name part is a word


def test_place_names_are_not_a_text_reason():
    place = FinnishAnalyzer().key("pohjanmaan")
    items = [
        item("a", "Keski-Pohjanmaan nuorten työpaja.", themes="nuoret"),
        item("b", "Nuorten työpaja Keski-Pohjanmaalla.", themes="nuoret"),
    ]
    shown = rank(items, items, SimilarityConfig(min_score=0.0))["a"][0].reasons
    with_place = rank(items, items, SimilarityConfig(min_score=0.0, text_stop_words=("Keski-Pohjanmaa",)))["a"][0].reasons
    words = lambda reasons: {w for r in reasons if r.kind == "text" for w in r.values}  # noqa: E731
    assert {FinnishAnalyzer().key(w) for w in words(shown)} >= {place}
    assert place not in {FinnishAnalyzer().key(w) for w in words(with_place)}
    assert words(with_place)  # the other shared words are still reasons


def test_inflected_forms_link_items_through_text():
    items = [
        item("a", "Tuemme työllistymistä pajalla."),
        item("b", "Pajan tavoite on työllistyminen."),
        item("c", "Ikäihmisten yksinäisyys vähenee."),
        *fillers(6),
    ]
    result = rank(items, items, ANY)
    assert ids(result["a"]) == ["b"]
    assert result["a"][0].reasons[-1].kind == "text"
    # The base form (Voikko's), or without Voikko the shortest form seen.
    assert {"työllistyä", "työllistyminen"} & set(result["a"][0].reasons[-1].values)


# --------------------------------------------------------------------------- scores


def test_common_words_do_not_create_links():
    base = "Hankkeen toiminta ja kehittäminen palvelee asiakkaita. Yhteinen sana kaikille."
    items = [item(f"i{k}", f"{base} oma{k}sana") for k in range(12)]
    result = rank(items, items, ANY)
    # Generic words are dropped, and "yhteinen sana kaikille" is in every text (over the df cap).
    assert all(neighbours == () for neighbours in result.values())


def test_value_shared_by_every_item_adds_nothing():
    everyone = [item(f"i{k}", regions="uusimaa", themes=f"t{k}") for k in range(10)]
    result = rank(everyone, everyone, ANY)
    assert all(neighbours == () for neighbours in result.values())
    # And it leaves the score of a real match unchanged.
    pair = [item("a", themes="x", regions="uusimaa"), item("b", themes="x", regions="uusimaa")]
    without = [item("a", themes="x"), item("b", themes="x")]
    rest = everyone[2:]
    with_region = rank(pair + rest, pair + rest, ANY)["a"][0]
    without_region = rank(without + rest, without + rest, ANY)["a"][0]
    assert with_region.score == without_region.score > 0
    assert [r.kind for r in with_region.reasons] == ["themes"]


def test_common_value_counts_less_than_rare_value():
    items = [
        item("q", themes="rare common"),
        item("shares_rare", themes="rare"),
        item("shares_common", themes="common"),
        *[item(f"c{k}", themes="common") for k in range(8)],
        *fillers(10),
    ]
    result = rank(items, items, SimilarityConfig(min_score=0.0, limit=20, common_share=1.0))["q"]
    scores = {n.id: n.score for n in result}
    assert ids(result)[0] == "shares_rare"
    assert scores["shares_rare"] > 2 * scores["shares_common"]


def test_a_link_resting_only_on_a_very_common_value_is_not_shown():
    """'common' is held by 10 of 21 items (more than common_share = 0.4): sharing it alone is
    no reason, however low the threshold; with words or a rarer value besides, it is one."""
    items = [
        item("q", "kuntouttava työtoiminta", themes="rare common"),
        item("shares_rare", themes="rare"),
        item("shares_common", themes="common"),
        item("common_and_words", "kuntouttava työtoiminta", themes="common"),
        *[item(f"c{k}", themes="common") for k in range(7)],
        *fillers(10),
    ]
    shown = ids(rank(items, items, SimilarityConfig(min_score=0.0, limit=20))["q"])
    assert "shares_common" not in shown and not any(i.startswith("c") and i[1:].isdigit() for i in shown)
    assert {"shares_rare", "common_and_words"} <= set(shown)
    wired = [replace(items[0], related=("shares_common",)), *items[1:]]
    pinned = rank(wired, wired, ANY)["q"]
    assert ids(pinned)[0] == "shares_common"  # an editor's pin still shows


def test_identical_items_score_one_and_list_reasons_heaviest_facet_first():
    text = "Vertaistuki vähentää yksinäisyyttä ja vahvistaa osallisuutta kylätalolla."
    facets = dict(themes="yksinaisyys", target_groups="ikaihmiset", regions="lappi", stage="kaynnissa")
    items = [item("a", text, **facets), item("b", text, **facets), *fillers(40)]
    best = rank(items, items)["a"][0]
    assert best.id == "b"
    weights = SimilarityConfig().facet_weights  # shared: these facets and the text; not shared: the others
    shared = sum(weights[f] for f in facets) + SimilarityConfig().text_weight
    assert best.score == pytest.approx(shared / (sum(weights.values()) + SimilarityConfig().text_weight), abs=1e-6)
    assert [r.kind for r in best.reasons] == ["target_groups", "themes", "regions", "stage", "text"]
    assert best.reasons[0] == Reason("target_groups", ("ikaihmiset",))
    assert len(best.reasons[-1].values) <= 4


def test_fields_are_compared_field_by_field():
    words = "jalkapallo kerhotoiminta kaupunginosa"
    items = [
        item("a", words, field="goals"),
        item("same_field", words, field="goals"),
        item("other_field", words, field="actions"),
        item("x", "jalkapallo erillinen", field="actions"),
        item("y", "kerhotoiminta kaupunginosa erillinen", field="actions"),
        *fillers(6),
    ]
    result = rank(items, items, ANY)["a"]
    assert ids(result) == ["same_field"]


# --------------------------------------------------------------------------- ranking rules


def test_threshold_is_respected():
    items = [
        item("q", themes="x", regions="r1"),
        item("strong", themes="x", regions="r1"),
        item("weak", regions="r1"),
        *fillers(30),
    ]
    weak_score = {n.id: n.score for n in rank(items, items, ANY)["q"]}["weak"]
    config = SimilarityConfig(min_score=weak_score + 0.01)
    result = rank(items, items, config)["q"]
    assert ids(result) == ["strong"]
    assert all(n.score >= config.min_score for n in result)


def test_default_threshold_drops_a_shared_region_alone():
    items = [item("q", regions="r1", themes="a"), item("same_region", regions="r1", themes="b"), *fillers(30)]
    assert rank(items, items)["q"] == ()


def test_self_is_never_a_neighbour():
    q = item("q", "sama teksti täsmälleen", themes="x", related=("q",))
    twin = item("twin", "sama teksti täsmälleen", themes="x")
    result = rank([q], [q, twin, *fillers(5)], ANY)
    assert ids(result["q"]) == ["twin"]


def test_not_related_is_never_shown_even_if_pinned():
    items = [
        item("q", themes="x", target_groups="y", not_related=("best", "pinned_too"), related=("pinned_too",)),
        item("best", themes="x", target_groups="y"),
        item("next", themes="x"),
        item("pinned_too", themes="x"),
        *fillers(10),
    ]
    assert ids(rank(items, items, ANY)["q"]) == ["next"]


def test_pinned_come_first_in_given_order_regardless_of_score():
    items = [
        item("q", themes="x", related=("unrelated2", "missing", "unrelated1", "unrelated2")),
        item("match", themes="x"),
        item("unrelated1", themes="other1"),
        item("unrelated2", themes="other2"),
        *fillers(40),
    ]
    result = rank(items, items)["q"]
    assert ids(result) == ["unrelated2", "unrelated1", "match"]
    assert [n.pinned for n in result] == [True, True, False]
    assert result[0].reasons == (Reason("pinned", ()),)
    assert result[0].score == 0.0 < SimilarityConfig().min_score


def test_pinned_beyond_limit_are_all_kept():
    pins = [f"p{k}" for k in range(4)]
    items = [item("q", themes="x", related=pins), *[item(p) for p in pins], item("match", themes="x")]
    result = rank(items, items, SimilarityConfig(limit=2))["q"]
    assert ids(result) == pins


def test_limit_is_respected():
    items = [item("q", themes="x"), *[item(f"m{k}", themes="x") for k in range(8)], *fillers(20)]
    assert len(rank(items, items, SimilarityConfig(limit=3, min_score=0.0))["q"]) == 3
    assert len(rank(items, items, SimilarityConfig(limit=20, min_score=0.0))["q"]) == 8
    assert rank(items, items, SimilarityConfig(limit=0))["q"] == ()


def test_ties_are_broken_by_id_and_input_order_does_not_matter():
    twins = [item(name, themes="x") for name in ["m3", "m1", "m2", "m0"]]
    items = [item("q", themes="x"), *twins, *fillers(20)]
    config = SimilarityConfig(limit=3, min_score=0.0)
    first = rank(items, items, config)
    shuffled = items[:]
    random.Random(7).shuffle(shuffled)
    second = rank(shuffled, shuffled, config)
    assert ids(first["q"]) == ["m0", "m1", "m2"]
    assert first == second


def test_only_candidates_are_returned_and_only_for_queries():
    q = item("q", themes="x")
    outsider = item("outsider", themes="x")
    candidates = [item("c", themes="x"), *fillers(5)]
    result = rank([q], candidates, ANY)
    assert list(result) == ["q"]
    assert ids(result["q"]) == ["c"]
    assert ids(rank([q, outsider], candidates, ANY)["outsider"]) == ["c"]


def test_two_different_items_with_one_id_are_an_error():
    with pytest.raises(ValueError, match="'a'"):
        rank([item("a", themes="x")], [item("a", themes="y")])


def random_corpus(n: int, seed: int) -> list[Item]:
    rng = random.Random(seed)
    words = [f"{a}{b}{c}" for a in "ka lu mi so pe ro va hi ju te".split() for b in "ta ri ne ko mu sa".split()
             for c in ("la", "nen", "us", "kko", "ma")]
    return [
        item(
            f"i{k:04d}",
            " ".join(rng.choices(words, k=rng.randint(5, 40))),
            themes=" ".join(rng.sample([f"t{t}" for t in range(12)], rng.randint(1, 2))),
            target_groups=" ".join(rng.sample([f"g{g}" for g in range(8)], rng.randint(1, 2))),
            regions=rng.choice([f"r{r}" for r in range(5)]),
            stage=rng.choice("a b c".split()),
        )
        for k in range(n)
    ]


def test_index_shortcuts_find_nearly_all_exact_neighbours():
    items = random_corpus(600, seed=3)
    fast = rank(items, items)
    exact = rank(items, items, SimilarityConfig(postings_cap=10**9, text_budget=10**9))
    found = sum(len(set(ids(fast[k])) & set(ids(exact[k]))) for k in exact)
    total = sum(len(v) for v in exact.values())
    assert total > 2000
    assert found / total >= 0.9
    # What is shown carries its exact score, so it is never above the exact fifth.
    assert all(n.score <= exact[k][0].score for k, v in fast.items() for n in v)
    wide = rank(items, items, SimilarityConfig(postings_cap=10**9, text_budget=10**9, limit=60))
    scores = {(k, n.id): n.score for k, v in wide.items() for n in v}
    shown = [(k, n.id, n.score) for k, v in fast.items() for n in v]
    assert sum((k, j) in scores for k, j, _ in shown) > 0.9 * len(shown)
    assert all(scores.get((k, j), s) == s for k, j, s in shown)


_DUMP = """
import importlib.util, json, sys
sys.path.insert(0, {root!r})
spec = importlib.util.spec_from_file_location("t", {path!r})
t = importlib.util.module_from_spec(spec)
spec.loader.exec_module(t)
from generator.similarity import rank
result = rank(t.random_corpus(150, seed=5), t.random_corpus(150, seed=5))
print(json.dumps({{k: [[n.id, n.score, [[r.kind, list(r.values)] for r in n.reasons]] for n in v]
                  for k, v in result.items()}}, sort_keys=True))
"""


def test_same_output_under_different_hash_seeds():
    outputs = set()
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        run = subprocess.run(
            [sys.executable, "-c", _DUMP.format(root=str(ROOT), path=__file__)], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1
    assert len(json.loads(outputs.pop())) == 150


def test_zero_weights_are_an_error():
    config = replace(SimilarityConfig(), facet_weights={}, text_weight=0.0)
    with pytest.raises(ValueError):
        rank([item("a")], [item("a")], config)


# --------------------------------------------------------------------------- speed-ups


def wired_corpus(n: int, seed: int) -> list[Item]:
    """random_corpus with some pinned and excluded neighbours, to walk every branch."""
    items = random_corpus(n, seed)
    rng = random.Random(seed)
    return [
        replace(it, related=tuple(rng.sample([x.id for x in items], 2)), not_related=tuple(rng.sample([x.id for x in items], 3)))
        if k % 7 == 0 else it
        for k, it in enumerate(items)
    ]


def as_data(result) -> dict:
    return {k: [(n.id, n.score, n.reasons, n.pinned) for n in v] for k, v in result.items()}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes need os.fork")
def test_worker_processes_do_not_change_the_output():
    items = wired_corpus(400, seed=11)
    alone = as_data(rank(items, items, SimilarityConfig(processes=1)))
    assert sum(map(len, alone.values())) > 1000
    for processes in (2, 3):
        assert as_data(rank(items, items, SimilarityConfig(processes=processes))) == alone
    # Queries that are not candidates, split over processes, still come back in query order.
    result = rank(items[::-1], items[:200], SimilarityConfig(processes=2))
    assert list(result) == [it.id for it in items[::-1]]
    assert as_data(result) == as_data(rank(items[::-1], items[:200], SimilarityConfig(processes=1)))


def test_numpy_search_equals_the_pure_python_search(monkeypatch):
    pytest.importorskip("numpy")
    from generator import similarity

    items = wired_corpus(400, seed=12)
    for config in (SimilarityConfig(processes=1), SimilarityConfig(processes=1, rescore=3, limit=8, min_score=0.0)):
        fast = as_data(rank(items, items, config))
        with monkeypatch.context() as patch:
            patch.setattr(similarity, "numpy", None)
            assert as_data(rank(items, items, config)) == fast


@pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes need os.fork")
def test_parts_come_back_in_order_and_a_failed_worker_is_redone_here():
    from generator.parallel import in_parts as _in_parts

    assert _in_parts(list, 10, 3) == [[0, 1, 2], [3, 4, 5], [6, 7, 8, 9]]
    assert _in_parts(list, 2, 4) == [[0], [1]]
    parent = os.getpid()

    def fails_in_a_worker(part: range) -> list[int]:
        if os.getpid() != parent:
            raise RuntimeError("worker failure")
        return [k * k for k in part]

    assert _in_parts(fails_in_a_worker, 6, 2) == [[0, 1, 4], [9, 16, 25]]


@pytest.mark.parametrize("numpy_on", [True, False])
def test_rank_lists_gives_each_list_what_rank_gives(monkeypatch, numpy_on):
    """With every posting walked, ranking two lists at once equals ranking each alone; pins
    and exclusions count in the list of their kind."""
    from generator import similarity
    from generator.similarity import rank_lists

    if not numpy_on:
        monkeypatch.setattr(similarity, "numpy", None)
    items = wired_corpus(80, seed=11)
    first, second = items[::2], items[1::2]
    config = SimilarityConfig(processes=1, postings_cap=10**6, text_budget=10**9, min_score=0.05)
    both = rank_lists(items, {"a": first, "b": second}, config)
    assert as_data(both["a"]) == as_data(rank(items, first, config))
    assert as_data(both["b"]) == as_data(rank(items, second, config))
    assert any(n.pinned for ns in both["b"].values() for n in ns)
