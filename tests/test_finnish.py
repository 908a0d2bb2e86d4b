"""Finnish base forms and compound parts (generator/finnish.py), with Voikko and without it."""

from __future__ import annotations

import logging
import os

import pytest

from generator import finnish
from generator.similarity import FinnishAnalyzer, Item, SimilarityConfig, rank

voikko = pytest.mark.skipif(not finnish.available(), reason="Voikko (libvoikko1 + voikko-fi) is not installed")


@voikko
def test_forms_of_one_word_share_one_base_form():
    assert {finnish.lemma(w) for w in ("työllistyminen", "työllistymisen", "työllistymistä")} == {"työllistyä"}
    assert {finnish.lemma(w) for w in ("nuoret", "nuorten")} == {"nuori"}


@voikko
def test_compounds_yield_their_parts_and_names_stay_whole():
    assert "valmennus" in finnish.words("työhönvalmennus")
    assert finnish.words("jalkapallotoimintaa") == ("jalkapallotoiminta", "jalka", "pallo", "toiminta")
    assert finnish.words("pohjanmaan") == ("pohjanmaa",)  # a place, not pohja + maa
    assert "futis" in finnish.words("perhefutis")  # unknown to Voikko: split at a known word


@voikko
def test_a_part_is_the_word_the_compound_is_made_of_not_another_reading_of_it():
    # On their own Voikko reads elin, tapa and tuki first as forms of elää, tappaa and tukea,
    # and vuosi as a form of vuotaa, then of the noun vuo.
    assert finnish.words("elintapaohjaus") == ("elintapaohjaus", "elin", "tapa", "ohjaus")
    assert finnish.words("tukimuodoista") == ("tukimuoto", "tuki", "muoto")
    assert finnish.words("vuosiraportin") == ("vuosiraportti", "vuosi", "raportti")  # vuosi: vuotaa, vuo or vuosi
    assert finnish.words("puhelinmyyjäksi") == ("puhelinmyyjä", "puhelin", "myyjä")
    assert finnish.words("työhönvalmennus") == ("työhönvalmennus", "työ", "valmennus")  # työhön is a form


@voikko
def test_an_ending_is_no_part_but_the_first_form_of_a_compound_is():
    # "llinen" and "lähtöinen" are no words: they linked every -llinen and -lähtöinen word.
    assert finnish.words("alueellinen") == ("alueellinen", "alue")
    assert finnish.words("asiakaslähtöinen") == ("asiakaslähtöinen", "asiakas")
    # "sosiaali" and "vertais" are no words either, but the form of a word that starts compounds.
    assert finnish.words("sosiaalityö") == ("sosiaalityö", "sosiaali", "työ")
    assert finnish.words("vertaistuki") == ("vertaistuki", "vertais", "tuki")


@voikko
def test_a_word_that_is_a_base_form_is_not_read_as_a_verb_form():
    assert finnish.words("tapa") == ("tapa",)  # not the imperative of tappaa
    assert finnish.lemma("tuki") == "tuki" and finnish.lemma("vuosi") == "vuosi"
    assert finnish.lemma("voimassa") == "voida"  # not voi + massa, made of more words
    assert finnish.lemma("uusia") == "uusi"  # a verb reading is never preferred


@voikko
def test_similarity_counts_compound_parts_and_one_key_per_word():
    analyzer = FinnishAnalyzer()
    assert len({analyzer.key(w) for w in ("työllistyminen", "työllistymisen", "työllistymistä")}) == 1
    assert analyzer.key("valmennus") in analyzer.counts("Työhönvalmennus auttaa.")


@voikko
def test_derivations_are_not_compounds_and_generic_first_parts_link_nothing():
    # Voikko writes a derivational morpheme without "+" ("+haastat(haastattaa)tel(+ella)+u"):
    # one word, not haastattaa + "telu", which linked every -ttelu word to every other.
    for word, base in (("haastattelut", "haastattelu"), ("luokittelu", "luokittelu"), ("selvittelyn", "selvittely")):
        assert finnish.words(word) == (base,)
    assert finnish.words("työhönvalmennus") == ("työhönvalmennus", "työ", "valmennus")
    # perus-, moni-: peruskoulu and perustaso, moniammatillinen and monitoimitalo share no topic.
    analyzer = FinnishAnalyzer()
    for one, other in (("peruskoulu", "perustaso"), ("moniammatillinen", "monitoimitalo")):
        assert not set(analyzer.counts(one)) & set(analyzer.counts(other)), (one, other)


@voikko
def test_generic_words_are_dropped_in_every_form_even_when_voikko_reads_them_otherwise():
    # vuosi (listed) and the vuoden and vuonna of a text; Voikko's likeliest reading of
    # "vuosi" alone is a form of vuotaa.
    analyzer = FinnishAnalyzer()
    assert not analyzer.counts("Vuonna 2020 hankkeen aikana ei voinut tehdä, vuoden aikana")
    assert analyzer.counts("Vuoden aikana nuoret") == analyzer.counts("nuoret")


@voikko
def test_compounds_that_share_a_cut_key_are_named_by_the_word_they_begin_with():
    # The key of a long word is cut, so every palvelu- compound has one key: a reason names
    # what they share (palvelu), not one of them (palveluasua, the base form Voikko gives).
    texts = ("Palveluasumisen paikat ja palveluketjun kehitys.", "Hyvinvointityön tuki hyvinvointialueella.")
    for order in (texts, texts[::-1]):
        analyzer = FinnishAnalyzer()
        for text in order:
            analyzer.counts(text)
        assert analyzer.key("palveluketjun") == analyzer.key("palveluasumisen")
        assert analyzer.display(analyzer.key("palveluketjun")) == "palvelu"
        assert analyzer.display(analyzer.key("hyvinvointialueella")) == "hyvinvointi"
        assert analyzer.display(analyzer.key("palveluasumisen")) == "palvelu"


@voikko
def test_a_text_counts_the_same_whatever_was_counted_before():
    """A word counts as its own parts only. ryhmätoimintaa and ryhmätoimintamalli share one
    key, but a text about ryhmätoiminta never counts malli because another text had the model:
    otherwise a field's counts depended on the fields counted before it in the same process,
    and the ranking on how many processes shared the fields."""
    text = "Ryhmätoimintaa viikoittain, vertaisohjaajat vetävät."
    fresh = FinnishAnalyzer()
    alone = fresh.counts(text)
    after = FinnishAnalyzer()
    model = after.counts("Ryhmätoimintamalli levisi.")
    assert after.key("ryhmätoimintaa") == after.key("ryhmätoimintamalli")
    assert after.key("malli") in model
    assert after.counts(text) == alone and after.key("malli") not in alone
    # The readable form of a key is the shortest seen, whatever came first.
    one, two = FinnishAnalyzer(), FinnishAnalyzer()
    for analyzer, texts in ((one, ("Ryhmätoiminnat", "ryhmätoimintamalli")), (two, ("ryhmätoimintamalli", "Ryhmätoiminnat"))):
        for t in texts:
            analyzer.counts(t)
    assert one.displays() == two.displays()


@voikko
def test_a_vocabulary_analysed_in_worker_processes_comes_back_with_the_same_answers(monkeypatch):
    words = ("työllistymisen nuorten työhönvalmennus jalkapallotoimintaa perhefutis kiipulasäätiö "
             "pohjanmaan osuuskuntamalli yhdistysmestari ja hanke xqzv").split()
    monkeypatch.setattr(finnish, "_cache", {})
    one_by_one = {word: finnish.analyse(word) for word in words}
    for processes in (1, 2, 3):
        monkeypatch.setattr(finnish, "_cache", {})
        monkeypatch.setattr(finnish, "_readings_cache", {})
        found = finnish.in_parts(lambda part: [finnish.analyse(word) for word in words[part.start:part.stop]],
                                 len(words), processes)
        assert [a for part in found for a in part] == list(one_by_one.values())
        # Every answer is cached here, those found in the workers (the last words) too.
        assert set(words) <= set(finnish._cache)
        assert all(type(a) is finnish.Analysis for a in finnish._cache.values() if a)
        assert {word: finnish.analyse(word) for word in words} == one_by_one


def test_without_voikko_snowball_stands_in_with_one_finnish_warning(monkeypatch, caplog):
    monkeypatch.setenv("HANKEKIRJASTO_NO_VOIKKO", "1")
    monkeypatch.setattr(finnish, "_state", {})
    monkeypatch.setattr(finnish, "_cache", {})
    with caplog.at_level(logging.WARNING, logger="hankekirjasto.finnish"):
        assert finnish.available() is False
        assert finnish.available() is False
        assert finnish.analyse("työllistymisen") is None and finnish.words("nuorten") == ()
        analyzer = FinnishAnalyzer()
        counts = analyzer.counts("Nuorten työllistyminen")
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and "Voikko" in warnings[0] and "Snowball" in warnings[0]
    assert len(counts) == 2  # Snowball keys, no crash


def test_missing_bindings_are_no_crash(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_voikko(name, *args, **kwargs):
        if name == "libvoikko":
            raise ImportError("simulated")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_voikko)
    monkeypatch.setattr(finnish, "_state", {"warned": True})
    monkeypatch.setattr(finnish, "_cache", {})
    assert finnish.available() is False and finnish.lemma("nuorten") is None


@voikko
@pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes need os.fork")
def test_the_ranking_is_the_same_over_any_number_of_processes_with_compounds():
    """The ranking's promise, with Voikko's compound parts: the fields are shared out over the
    processes, and a field's counts must not depend on the fields counted before it."""
    long = " ".join(f"Ryhmätoimintamalli levisi kuntaan {k}." for k in range(60))  # a field of its own
    texts = [
        {"summary": long, "goals": "Kehitämme toimintaa."},
        {"summary": "Nuorten ohjaus.", "goals": "Ryhmätoimintaa viikoittain nuorille."},
        {"summary": "Perheiden tuki.", "goals": "Ryhmätoimintaa ja retkiä perheille."},
        *({"summary": f"Täyte{k} erillinen.", "goals": f"Muuta{k} sisältöä."} for k in range(6)),
    ]
    items = [Item(f"i{k}", f"i{k}", {"themes": frozenset({f"t{k}"})}, t) for k, t in enumerate(texts)]
    config = dict(min_score=0.0, text_fields=("summary", "need", "goals"))

    def ranked(processes: int) -> dict:
        result = rank(items, items, SimilarityConfig(processes=processes, **config))
        return {q: [(n.id, n.score, n.reasons) for n in ns] for q, ns in result.items()}

    alone = ranked(1)
    assert any(ns for ns in alone.values())
    assert ranked(2) == alone and ranked(3) == alone
