"""Related items: rank neighbours by shared controlled values and field-by-field text.

Plain data in, plain data out; nothing here imports MkDocs or other generator modules except
the small process helper ``parallel``, so the ranking can be tested and benchmarked alone.

How a score is made. Every item becomes one sparse vector; the dot product of two items'
vectors is their score, in 0..1.

* Facets. A shared value counts by its rarity ``r(v) = min(1, ln(N/df) / ln(1/full_weight_share))``:
  a value held by at most 5 % of the items counts fully, one held by half of them about a
  quarter, one held by every item nothing (Hugo's related-content index linked everything
  through such values). Per facet the overlap is ``sum of shared r(v) / sqrt(mass(A) mass(B))``
  with ``mass = max(1, sum of r(v))``, an Ochiai coefficient that also discounts long lists.
* Text. A field is compared only with the same field (goals with goals). Each is a TF-IDF vector
  with sublinear tf over folded Snowball stems, without stop words, generic project words and
  stems found in more than ``text_max_df`` of that field's texts, pruned to its
  ``terms_per_field`` strongest stems (as Lucene's MoreLikeThis does) and L2-normalised. An
  item's field vectors are joined with weight ``1/sqrt(number of fields)``, so the text part is
  a cosine in 0..1 in which each field weighs the same.
* Facet overlaps and text cosine are weighted by ``SimilarityConfig`` and divided by the sum of
  the weights.

How it stays near-linear. No item is compared with every other. Candidates come from an
inverted index, walked only through features held by at most ``postings_cap`` candidates:
facet values, combinations of commoner values (target group x theme, and x region), and the
item's strongest stems until ``text_budget`` postings have been read. Commoner facet values are
then added to the candidates found (a set intersection done in C). These provisional scores may
lack some stems, so the best ``rescore`` candidates are scored exactly before the final cut: a
shown score is always exact. Items sharing nothing selective are never compared; on synthetic
data this keeps about 94 % of the exhaustive ranking's neighbours (bench/README.md).

How it uses the machine. From ``PARALLEL_FROM`` items on (or as ``SimilarityConfig.processes``
says), the work is shared out over forked worker processes, one per core: with Voikko, first
the new words (each asked about and learnt once, FinnishAnalyzer.prefetch), then the text
fields (each process counts the words of whole fields and picks their texts' strongest stems,
so only those come back), then the neighbour search in consecutive slices of the queries.
Results come back in order and do not depend on how keys were numbered, so the output is the
same with any number of processes. If numpy is installed, TF-IDF, each text's strongest
stems, numbering and joining the text features are done for all items at once, and the index
is walked with numpy arrays; every sum adds the same numbers in the same order as the
pure-Python code, so the scores agree to the last bit.
"""

from __future__ import annotations

import heapq
import math
import re
from array import array
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain, product, zip_longest
from operator import itemgetter
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping, Sequence

import snowballstemmer

from . import finnish
from .parallel import collector_paused, cores, in_parts as _in_parts

try:  # optional: text analysis and the neighbour search in bulk, several times faster, same results
    import numpy
except ImportError:  # pragma: no cover - depends on the environment
    numpy = None

# --------------------------------------------------------------------------- public data


@dataclass(frozen=True)
class Item:
    """One project or good practice as the ranking sees it."""

    id: str
    title: str
    facets: Mapping[str, frozenset[str]]
    texts: Mapping[str, str]
    related: tuple[str, ...] = ()
    not_related: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reason:
    """Why two items are neighbours: a facet name, ``"text"`` or ``"pinned"``, and its values."""

    kind: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Neighbour:
    """A ranked neighbour; ``score`` is in 0..1, rounded to 6 decimals."""

    id: str
    score: float
    reasons: tuple[Reason, ...]
    pinned: bool = False


# The facets an item can have and their default weights. Who a record serves and what it is
# about weigh most; place, funder and stage much less, because the records of one programme
# share all of those and would otherwise crowd out similar work elsewhere.
_DEFAULT_FACET_WEIGHTS = MappingProxyType(
    {
        "target_groups": 3.0,
        "themes": 3.0,
        "organisations": 0.5,  # the same implementer: its projects and the models they made
        "regions": 1.0,
        "municipalities": 0.5,
        "funders": 0.5,
        "stage": 0.25,
    }
)
DEFAULT_TEXT_FIELDS = ("summary", "need", "goals", "actions", "results")


@dataclass(frozen=True)
class SimilarityConfig:
    """Weights and limits of the ranking: the one place their defaults are stated.

    ``mkdocs.yml`` (``plugins → hankekirjasto → similarity``) overrides any of them through
    :meth:`from_settings`, which checks every value; README.md and bench/README.md explain them.
    """

    limit: int = 5
    # Sharing one rare theme or target group (3 / 11.25 = 0.27) is enough on its own; a shared
    # region, municipality, funder or stage alone (at most 0.09) or region + stage (0.11) is not.
    min_score: float = 0.2
    facet_weights: Mapping[str, float] = field(default_factory=lambda: _DEFAULT_FACET_WEIGHTS)
    text_weight: float = 3.0
    text_fields: tuple[str, ...] = DEFAULT_TEXT_FIELDS
    # A value held by at most this share of the items counts fully; commoner ones count less.
    full_weight_share: float = 0.05
    # A facet value held by more than this share of the items is too common to be a reason on
    # its own: a link that shares nothing else (no rarer value, no words) is not shown.
    common_share: float = 0.4
    # A stem in more than this share of a field's texts tells nothing about any one of them.
    text_max_df: float = 0.3
    # Keeping only the strongest stems also evens out a 50-word and a 600-word text.
    terms_per_field: int = 12
    # The index is walked only through features held by at most this many candidates, and
    # through at most text_budget postings of stems per item: this keeps the cost linear.
    postings_cap: int = 100
    text_budget: int = 150
    # Provisional scores lack some stems; this many of the best are rescored exactly.
    rescore: int = 10
    # Combinations of these facets' values are indexed too, so that items sharing a target
    # group and a theme (and a region) are found even when each value alone is too common.
    candidate_combos: tuple[tuple[str, ...], ...] = (
        ("target_groups", "themes"),
        ("target_groups", "themes", "regions"),
    )
    # Words not compared in the texts, in any of their forms, besides the Finnish function words
    # and generic project words built in. The adapter (related.py) passes the names of regions
    # and municipalities: place is a facet already, and "Keski-Pohjanmaa" in two texts is no
    # second reason.
    text_stop_words: tuple[str, ...] = ()
    # Processes for text analysis and the neighbour search: 0 = one per CPU core (at most 4)
    # from PARALLEL_FROM items on (with Voikko, its analysis of the words from LEARN_AHEAD_FROM
    # new words on), 1 = only this one. The output never depends on it.
    processes: int = 0

    @classmethod
    def from_settings(
        cls, settings: Mapping[str, Any], text_fields: Iterable[str] | None = None
    ) -> SimilarityConfig:
        """A config from plain settings (the ``similarity:`` of mkdocs.yml), lists as tuples.

        ``facet_weights`` given are laid over the default weights (a facet not named keeps its
        default). ``text_fields``: the names the caller can read text from, if it knows them.
        Raises ValueError naming every unknown setting and every wrong value, one Finnish line
        each, so that a typo in mkdocs.yml is neither a traceback nor silently ignored.
        """
        if not isinstance(settings, Mapping):
            raise ValueError(f"similarity: asetusten pitää olla taulukko (nimi: arvo), nyt {settings!r}")
        problems, values = [], {}
        for name, value in settings.items():
            check = _SETTING_CHECKS.get(name)
            if check is None:
                problems.append(f"{name}: tuntematon asetus (sallitut: {', '.join(_SETTING_CHECKS)})")
                continue
            expected, converted = check(value)
            if expected:
                problems.append(f"{name}: arvon pitää olla {expected}, nyt {value!r}")
            else:
                values[name] = converted
        if isinstance(values.get("facet_weights"), dict):
            unknown = [k for k in values["facet_weights"] if k not in _DEFAULT_FACET_WEIGHTS]
            problems += [f"facet_weights: {k}: tuntematon fasetti (sallitut: {', '.join(_DEFAULT_FACET_WEIGHTS)})" for k in unknown]
            values["facet_weights"] = MappingProxyType({**_DEFAULT_FACET_WEIGHTS, **values["facet_weights"]})
        if not problems:
            config = cls(**values)
            problems += config.problems(text_fields)
        if problems:
            raise ValueError("\n".join(problems))
        return config

    def problems(self, text_fields: Iterable[str] | None = None) -> list[str]:
        """What is wrong in this combination of settings, one Finnish line each."""
        found = []
        if sum(self.facet_weights.values()) + self.text_weight <= 0.0:
            found.append("facet_weights, text_weight: kaikki painot ovat nollia; "
                         "anna ainakin yhdelle painolle arvo, joka on suurempi kuin 0")
        for name in ("min_score", "text_max_df"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                found.append(f"{name}: arvon pitää olla välillä 0–1, nyt {getattr(self, name)!r}")
        for name in ("full_weight_share", "common_share"):
            if not 0.0 < getattr(self, name) <= 1.0:
                found.append(f"{name}: arvon pitää olla suurempi kuin 0 ja enintään 1, nyt {getattr(self, name)!r}")
        if self.full_weight_share == 1.0:
            found.append("full_weight_share: arvon pitää olla pienempi kuin 1, nyt 1.0")
        for name in ("terms_per_field", "postings_cap"):
            if getattr(self, name) < 1:
                found.append(f"{name}: arvon pitää olla vähintään 1, nyt {getattr(self, name)!r}")
        if self.text_weight > 0.0 and not self.text_fields:
            found.append("text_fields: lista on tyhjä, vaikka text_weight on suurempi kuin 0; "
                         "nimeä vertailtavat tekstikentät tai anna text_weight: 0")
        if text_fields is not None:
            readable = tuple(text_fields)
            for name in self.text_fields:
                if name not in readable:
                    found.append(f"text_fields: kentästä {name!r} ei saada tekstiä (sallitut: {', '.join(readable)})")
        for combo in self.candidate_combos:
            for name in combo:
                if name not in self.facet_weights:
                    found.append(f"candidate_combos: {name}: tuntematon fasetti (sallitut: {', '.join(self.facet_weights)})")
        return found


def _number(value: Any) -> tuple[str, Any]:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0
    return ("luku ≥ 0", None) if not ok else ("", float(value))


def _count(value: Any) -> tuple[str, Any]:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return ("kokonaisluku ≥ 0", None) if not ok else ("", value)


def _names(value: Any) -> tuple[str, Any]:
    ok = isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
    return ("lista sanoja", None) if not ok else ("", tuple(value))


def _weights(value: Any) -> tuple[str, Any]:
    ok = isinstance(value, Mapping) and all(isinstance(k, str) and not _number(v)[0] for k, v in value.items())
    return ("taulukko fasetti: paino (luku ≥ 0)", None) if not ok else ("", {k: float(v) for k, v in value.items()})


def _combos(value: Any) -> tuple[str, Any]:
    ok = isinstance(value, (list, tuple)) and all(not _names(combo)[0] for combo in value)
    return ("lista fasettien nimien listoja", None) if not ok else ("", tuple(tuple(combo) for combo in value))


_SETTING_CHECKS: dict[str, Callable[[Any], tuple[str, Any]]] = {
    "limit": _count, "min_score": _number, "facet_weights": _weights, "text_weight": _number,
    "text_fields": _names, "full_weight_share": _number, "common_share": _number, "text_max_df": _number,
    "terms_per_field": _count, "postings_cap": _count, "text_budget": _count, "rescore": _count,
    "candidate_combos": _combos, "text_stop_words": _names, "processes": _count,
}


# --------------------------------------------------------------------------- Finnish words

# Function words in the forms they occur in; dropped before stemming.
_STOP_WORDS = frozenset(
    """
    ja tai sekä eli mutta vaan kuin kun jos että jotta koska vaikka joten sillä mikäli kuitenkin
    myös vielä jo nyt sitten siis aina usein vain ei en et emme ette eivät ole olla olen olet on
    olemme olette ovat oli olin olit olimme olitte olivat ollut olleet ollaan oltiin olisi
    olisivat olleen olevan oleva olevat olevia olemassa ollen voi voivat voidaan voida voisi
    voisivat voinut voineet voitu voitiin pitää täytyy tulee tulevat tullaan tuli tulivat tullut
    tulleet se sen sitä siinä siitä siihen siltä sille
    ne niiden niitä niissä niistä niihin niillä niiltä niille tämä tämän tätä tässä tästä tähän
    tällä tältä tälle tänä nämä näiden näitä näissä näistä näihin näillä näiltä näille tuo tuon
    tuota tuossa tuosta tuohon nuo noiden noita hän hänen häntä hänellä hänelle he heidän heitä
    heillä heille me meidän meitä meillä meille te teidän minä minun minua sinä sinun joka jonka
    jota jossa josta johon jolla jolta jolle jona joksi jotka joiden joita joissa joista joihin
    joilla joille mikä minkä mitä missä mistä mihin millä mille miten miksi kuka kenen ketä itse
    oma oman omaa omat omien omia kaikki kaikkien kaikkia kaikille kaiken jokainen jokaisen
    jokaista muu muun muuta muut muiden muita muille eri usea useat useita useiden moni monet
    monia monien paljon vähän enemmän hyvin kanssa ilman mukaan kautta avulla aikana jälkeen
    ennen kohti kohden lisäksi lähinnä noin yli alle asti saakka ympäri keskellä välillä esim
    esimerkiksi mm muassa jne ym yms ts ns kuten koko joko kumpi siten näin niin myöskin lähes
    erityisesti etenkin yleensä
    """.split()
)

# Project prose that nearly every description contains; dropped in every form (after stemming).
_GENERIC_WORDS = (
    "hanke projekti toiminta kehittäminen kehittää kehitys asiakas tavoite tulos tarkoitus "
    "vuosi uusi osa tehdä toteuttaa toteutus"
).split()

# Compound parts that say nothing of a text's subject: peruskoulu and perustaso, moniammatillinen
# and monialainen share no topic. Counted neither as parts nor (the stop words) as words.
_GENERIC_PARTS = _STOP_WORDS | frozenset("perus yleis".split())

_PUNCTUATION = "\"'.,:;!?()[]{}<>«»“”‘’–—…*#%&+=_|~^`@$€§°"
_CONSONANTS = "bcdfghjklmnpqrstvwxzšž"
_VOWELS = "aeiouyäö"
# Snowball leaves the case ending on one-syllable words: työn, työtä, työssä -> työ.
_MONOSYLLABLE = re.compile(
    rf"^([{_CONSONANTS}]*[{_VOWELS}]{{2}})(?:n|t[aä]|h[{_VOWELS}]n|ss[aä]|st[aä]|ll[aä]|lle|ksi)$"
)
_DOUBLE_CONSONANT = re.compile(rf"([{_CONSONANTS}])\1")
# Residues Snowball leaves on the forms of one word, each with the key length it applies from.
_STEM_RULES = (
    (re.compile(rf"(?<=[{_CONSONANTS}])t$"), 0),  # nuort, kunt -> nuor, kun
    (re.compile(r"(?<=m)(?:in|is|ist)$"), 0),  # työllistymin, -mis, -m
    (re.compile(rf"(?<=[{_VOWELS}])(?:ks|s|t)$"), 0),  # koulutus, -uks, -u; osallisuus, -uut
    (re.compile(r"(?:in|is|ist)$"), 7),  # vapaaehtoin, vapaaehtois, vapaaehtoist
    (re.compile(rf"[{_VOWELS}]$"), 4),  # nuore, nuori -> nuor
)
# Cutting long stems joins derivations Snowball keeps apart (osallisuus, osallistuminen), and
# compounds with a long first word (vapaaehtoistoiminta, vapaaehtoinen) that Voikko splits
# into shorter words (vapaa, ehto).
_KEY_LENGTH = 7


def _fold_stem(stem: str) -> str:
    """Fold the stems Snowball Finnish gives the forms of one word into one key."""
    # Consonant gradation: hankkeen/hanke, päihteiden/päihde, tiedon/tieto.
    key = _DOUBLE_CONSONANT.sub(r"\1", stem.replace("d", "t"))
    for rule, min_length in _STEM_RULES:
        if len(key) >= min_length:
            shorter = rule.sub("", key)
            if len(shorter) >= 3:
                key = shorter
    return key[:_KEY_LENGTH]


class FinnishAnalyzer:
    """Word -> index key: Voikko's base form or Snowball Finnish, then folding; a compound also
    counts as its parts. The keys of each distinct token are worked out once and cached.

    Keys are numbered (:attr:`names` maps a key id to its key, id 0 is "not indexed"): counting
    small ints is cheaper than counting strings, and numpy takes them in flat arrays.
    """

    def __init__(self, stop_words: Iterable[str] = ()) -> None:
        """``stop_words``: words (or names of several words) whose keys are not indexed either."""
        # snowballstemmer hands out PyStemmer's C stemmer when that is installed (much faster)
        # and its own pure-Python one otherwise; both give the same stems.
        self._stemmer = snowballstemmer.stemmer("finnish")
        if hasattr(self._stemmer, "maxCacheSize"):
            self._stemmer.maxCacheSize = 0  # PyStemmer's small cache only thrashes; ours is whole
        self.names: list[str] = [""]
        self._id_of_name: dict[str, int] = {"": 0}
        self._id_of_stem: dict[str, int] = {}
        # key -> (tier, length or -length, word): see _show
        self._display: dict[str, tuple[int, int, str]] = {}
        self._voikko = finnish.available()  # says once, in Finnish, when Snowball stands in
        self._folded = _Cache(self._fold_word)  # compound parts recur: kunta, perhe, säätiö
        extra = (word.strip(_PUNCTUATION) for name in stop_words for word in _tokens(name))
        generic = [word for word in chain(_GENERIC_WORDS, extra) if len(word) > 1]
        # Each word as Voikko reads it, and as the base form it is given as: a listed word that
        # Voikko reads as a form of another word still blocks its own forms.
        self._generic = frozenset(chain(map(self._fold, generic),
                                        (_fold_stem(self._stemmer.stemWord(word)) for word in generic)))
        # token -> the key ids it counts as: its own key, then its compound parts' keys; () when
        # it is not indexed. A token's ids depend on nothing but the token, so a text's counts do
        # not depend on which texts (or fields) this analyzer counted before.
        self._ids = _Cache(self._learn)
        self._ids.update(dict.fromkeys(_STOP_WORDS, ()))

    def key(self, word: str) -> str:
        """The index key of a lower-case token, or "" if it is not indexed."""
        ids = self._ids[word]
        return self.names[ids[0]] if ids else ""

    def counts(self, text: str) -> Counter[str]:
        """Key frequencies of a text, without stop words and generic project words."""
        names = self.names
        return Counter({names[k]: n for k, n in self.id_counts(text).items()})

    def id_counts(self, text: str) -> Counter[int]:
        """:meth:`counts` by key id, keys in the order they first occur in the text; a compound
        counts as itself and as each of its parts, which follow it."""
        # str.split and a per-token cache are about twice as fast as a regex tokeniser;
        # punctuation is stripped once per distinct token, in _learn. Counting the flattened
        # ids is done in C, compound parts included.
        return Counter(chain.from_iterable(map(self._ids.__getitem__, _tokens(text))))

    def prefetch(self, texts: Sequence[str], processes: int) -> None:
        """Learns the keys of every new token of ``texts`` at once, shared out over
        ``processes``: the field workers forked next then find every token learnt, instead of
        each asking Voikko about, and learning, the words their fields share. The tokens are
        collected over the processes too, each from a slice of the texts; Voikko's answers
        come back with the keys (finnish.in_parts), for the search words read later."""
        if not self._voikko or processes < 2:
            return
        learnt = self._ids

        def collect(part: range) -> set[str]:
            tokens: set[str] = set()
            for text in texts[part.start:part.stop]:
                tokens.update(_tokens(text))
            return {token for token in tokens if token not in learnt}

        todo = sorted(set().union(*_in_parts(collect, len(texts), processes)))
        if len(todo) < LEARN_AHEAD_FROM:
            return

        def learn(part: range) -> tuple[range, list[str], list[tuple[int, ...]], dict[str, tuple[int, int, str]]]:
            ids = [learnt[token] for token in todo[part.start:part.stop]]
            return part, self.names, ids, self.displays()

        for part, names, ids, displays in finnish.in_parts(learn, len(todo), processes):
            if names is self.names:  # learnt here
                continue
            self.learn_displays(displays)
            own = [self.id_of(name) for name in names]  # a worker numbered its new keys itself
            learnt.update(zip(todo[part.start:part.stop], [tuple([own[k] for k in found]) for found in ids]))

    def id_of(self, key: str) -> int:
        """The id of a key, numbering it if it is new here (keys another analyzer found)."""
        found = self._id_of_name.get(key)
        if found is None:
            found = self._id_of_name[key] = len(self.names)
            self.names.append(key)
        return found

    def display(self, key: str) -> str:
        """A readable word for a key, as reasons show it: a base form where it can (see _show)."""
        found = self._display.get(key)
        return found[2] if found else key

    def displays(self) -> dict[str, tuple[int, int, str]]:
        """Every key's readable word so far, for :meth:`learn_displays` of another analyzer."""
        return dict(self._display)

    def learn_displays(self, displays: Mapping[str, tuple[int, int, str]]) -> None:
        """Takes over the forms another analyzer has seen, as if this one had seen them."""
        for key, seen in displays.items():
            self._keep(key, seen)

    def _learn(self, token: str) -> tuple[int, ...]:
        word = _word(token)
        if not word:
            return ()
        # Voikko's base form and compound parts when it knows the word (generator/finnish.py),
        # Snowball's stem otherwise: työllistymisen, -mistä -> työllistyä; työhönvalmennus
        # also counts as valmennus.
        lemma, *parts = (finnish.words(word) if self._voikko else ()) or (None,)
        if lemma is None:
            short = _MONOSYLLABLE.match(word) if len(word) < 9 else None  # the same as .sub(r"\1")
            stem = self._stemmer.stemWord(short[1] if short else word)
        else:
            stem = "=" + lemma  # never a Snowball stem
        found = self._id_of_stem.get(stem)
        if found is None:
            key = _fold_stem(self._stemmer.stemWord(lemma) if lemma else stem)
            found = self._id_of_stem[stem] = 0 if key in self._generic else self.id_of(key)
        if not found:
            return ()
        key = self.names[found]
        self._show(key, lemma or word, 1 if lemma else 3)
        if not parts:
            return (found,)
        for part in parts:
            if part.startswith(key):  # hyvinvointi of hyvinvointityö and hyvinvointialue
                self._show(key, part, 0)
        return self._with_parts(found, parts)

    def _with_parts(self, found: int, parts: list[str]) -> tuple[int, ...]:
        """A compound's key and its parts' keys: jalkapallotoiminta is jalka, pallo, toiminta too."""
        ids = {found: None}
        for part in parts:
            if part in _GENERIC_PARTS:
                continue
            key = self._folded[part]
            if key not in self._generic:
                part_id = self.id_of(key)
                if part_id not in ids:
                    ids[part_id] = None
                    self._show(key, part, 2)  # a part is a base form
        return tuple(ids)

    def _show(self, key: str, word: str, tier: int) -> None:
        """Keeps ``word`` as the key's readable form if it beats the one kept, so that reasons
        name words as a reader would. Compounds that begin with a long word share one key (it
        is cut to _KEY_LENGTH letters), and that word, when it is one of their parts, is what
        they share (tier 0: palvelu for palveluketju and palveluasuminen); then the base form
        of a word Voikko knows (1: kaupunki for kaupungin), then a compound part, a base form
        too (2), then a form of a word Voikko does not know, or any word without Voikko (3).
        Of the parts, the longest (jalkapallo's pallo, not the pala of aamupala, which folds to
        the same key); of the others, the shortest; then the first in alphabetical order. The
        same in any order of words."""
        self._keep(key, (tier, -len(word) if tier in (0, 2) else len(word), word))

    def _keep(self, key: str, seen: tuple[int, int, str]) -> None:
        shown = self._display.get(key)
        if shown is None or seen < shown:
            self._display[key] = seen

    def _fold(self, word: str) -> str:
        return self._folded[word]

    def _fold_word(self, word: str) -> str:
        lemma = finnish.lemma(word) if self._voikko else None
        if lemma is not None:
            return _fold_stem(self._stemmer.stemWord(lemma))
        return _fold_stem(self._stemmer.stemWord(_MONOSYLLABLE.sub(r"\1", word)))


def _word(token: str) -> str:
    """A token without its punctuation, or "" when it is not a word to index."""
    word = token.strip(_PUNCTUATION)
    return word if len(word) > 1 and word.isalpha() and word not in _STOP_WORDS else ""


def _tokens(text: str) -> list[str]:
    """Lower-case tokens split at white space, hyphens and slashes (punctuation still on)."""
    return text.lower().replace("-", " ").replace("/", " ").split()


class _Cache(dict):
    """A dict that computes a missing value once; hits stay a plain dict lookup in C."""

    def __init__(self, compute: Callable) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, key):
        value = self[key] = self._compute(key)
        return value


# --------------------------------------------------------------------------- vectors

_TEXT = "text"
# 1 + ln(tf), looked up rather than computed for the term frequencies texts have.
_TF_WEIGHT = [0.0] + [1.0 + math.log(tf) for tf in range(1, 1024)]


@dataclass
class _Space:
    """Every item's sparse vector and what each feature means."""

    items: list[Item]
    vectors: list[dict[int, float]]  # feature id -> weight; dot products are scores
    facet_features: list[list[int]]  # per item, its facet value features
    text_features: list[list[int]]  # per item, its stems, strongest of each field first
    meta: list[tuple[str, str]]  # feature id -> (facet name or "text", value id or stem key)
    analyzer: FinnishAnalyzer
    facet_rank: dict[str, tuple[float, str]]  # heavier facets first in reasons
    common: frozenset[int] = frozenset()  # facet value features too common to be a reason alone


class _Features:
    """Numbers features: small ints are faster dict keys than (namespace, value) tuples."""

    def __init__(self) -> None:
        self.meta: list[tuple[str, str]] = []
        self._tables: dict[str, _Cache] = {}

    def table(self, namespace: str, kind: str) -> _Cache:
        """value -> feature id within one facet or text field; ``kind`` names it in reasons."""
        if namespace not in self._tables:
            self._tables[namespace] = _Cache(lambda value: self._new(kind, value))
        return self._tables[namespace]

    def extend(self, kind: str, values: Sequence[str]) -> int:
        """Numbers new features of ``kind`` in bulk; the id of the first."""
        first = len(self.meta)
        self.meta += [(kind, value) for value in values]
        return first

    def _new(self, kind: str, value: str) -> int:
        self.meta.append((kind, value))
        return len(self.meta) - 1


def _rarity(df: int, n: int, full_weight_share: float) -> float:
    """How much sharing a value held by ``df`` of ``n`` items counts, in 0..1."""
    return min(1.0, math.log(n / df) / math.log(1.0 / full_weight_share))


def _facet_vectors(
    items: Sequence[Item], config: SimilarityConfig, total: float, features: _Features
) -> tuple[list[dict[int, float]], frozenset[int]]:
    """Every item's facet features, and those of values held by more than ``common_share``
    of the items."""
    n = len(items)
    facets = [(f, w) for f, w in config.facet_weights.items() if w > 0.0]
    df = Counter((f, v) for item in items for f, _ in facets for v in item.facets.get(f, ()))
    rarity = {fv: _rarity(count, n, config.full_weight_share) for fv, count in df.items()}
    vectors: list[dict[int, float]] = [{} for _ in items]
    for facet, weight in facets:
        ids = features.table(facet, facet)
        for item, vector in zip(items, vectors):
            values = sorted(item.facets.get(facet, ()))
            mass = max(1.0, sum(rarity[(facet, v)] for v in values))
            for value in values:
                r = rarity[(facet, value)]
                if r > 0.0:
                    # sqrt on both sides: the dot product is weight * r / sqrt(mass_a * mass_b).
                    vector[ids[value]] = math.sqrt(weight / total * r / mass)
    # Only values that became features (a value every item holds did not) can be shared.
    common = frozenset(
        table[v] for (f, v), count in df.items()
        if count > config.common_share * n and v in (table := features.table(f, f))
    )
    return vectors, common


@dataclass
class _FieldCounts:
    """One text field's key counts for a run of items, as flat arrays of int64.

    Item ``i`` has ``sizes[i]`` distinct keys (0 without a text); their ids and counts follow
    those of the items before it in ``keys`` and ``counts``, in the order they first occur in
    the text. numpy reads the flat arrays without a copy.
    """

    sizes: array
    keys: array
    counts: array


def _count_words(items: Sequence[Item], name: str, analyzer: FinnishAnalyzer) -> _FieldCounts:
    """Every item's key counts in one text field, numbered by ``analyzer``."""
    sizes, keys, counts = [], [], []  # lists take the ints faster; arrays go to numpy without a copy
    for item in items:
        text = item.texts.get(name)
        found = analyzer.id_counts(text) if text else {}
        sizes.append(len(found))
        keys += found
        counts += found.values()
    return _FieldCounts(array("q", sizes), array("q", keys), array("q", counts))


def _idf(df: Sequence[int], texts: int, config: SimilarityConfig) -> list[float]:
    """Per key id, its inverse document frequency in a field, or 0.0 if it cannot link texts."""
    max_df = max(2, int(config.text_max_df * texts))
    # A stem in one text cannot link two; one in too many links everything. (1 + n) keeps a
    # stem shared by both texts of a two-text field above zero.
    return [math.log((1 + texts) / d) if 2 <= d <= max_df else 0.0 for d in df]


@dataclass
class _Terms:
    """One field's strongest stems of every item: key ids and unit-vector weights, strongest
    first, item ``i``'s from ``starts[i]`` to ``starts[i + 1]``."""

    starts: list[int]
    keys: list[int]
    weights: list[float]


def _strongest(counted: _FieldCounts, n_keys: int, config: SimilarityConfig) -> _Terms:
    """Each item's ``terms_per_field`` strongest stems in one field, by sublinear TF-IDF.

    The cut is a stable sort by weight, so equal weights keep text order; the norm adds the
    squares strongest first. The numpy version does the same operations in the same order for
    all items at once, so both give the same bits.
    """
    texts = sum(1 for size in counted.sizes if size)
    if numpy is not None:
        df = numpy.bincount(numpy.frombuffer(counted.keys, numpy.int64), minlength=n_keys).tolist()
        return _strongest_arrays(counted, _idf(df, texts, config), config.terms_per_field)
    df_of = Counter(counted.keys)
    idf = _idf([df_of[key] for key in range(n_keys)], texts, config)
    starts, keys, weights, end = [0], [], [], 0
    for size in counted.sizes:
        start, end = end, end + size
        for w, key in _top_terms(counted.keys[start:end], counted.counts[start:end], idf, config.terms_per_field):
            keys.append(key)
            weights.append(w)
        starts.append(len(keys))
    return _Terms(starts, keys, weights)


def _tf_weight(n: int) -> float:
    return _TF_WEIGHT[n] if n < len(_TF_WEIGHT) else 1.0 + math.log(n)


def _top_terms(keys: Sequence[int], counts: Sequence[int], idf: Sequence[float], k: int) -> list[tuple[float, int]]:
    weighted = [(w * _tf_weight(n), key) for key, n in zip(keys, counts) if (w := idf[key])]
    # A stable C sort: equal weights keep text order, so the cut is reproducible.
    top = sorted(weighted, key=itemgetter(0), reverse=True)[:k]
    norm2 = 0.0
    for w, _ in top:  # in order, as the numpy version adds (not sum(), compensated from 3.12)
        norm2 += w * w
    norm = math.sqrt(norm2)
    return [(w / norm, key) for w, key in top] if norm > 0.0 else []


def _strongest_arrays(counted: _FieldCounts, idf: list[float], k: int) -> _Terms:
    """:func:`_strongest` for all items at once; ``idf`` per key id."""
    sizes = numpy.frombuffer(counted.sizes, numpy.int64)
    keys = numpy.frombuffer(counted.keys, numpy.int64)
    counts = numpy.frombuffer(counted.counts, numpy.int64)
    item = numpy.repeat(numpy.arange(len(sizes)), sizes)
    idf_of = numpy.array(idf)[keys]
    usable = idf_of > 0.0
    item, keys, counts, idf_of = item[usable], keys[usable], counts[usable], idf_of[usable]
    tf = numpy.array(_TF_WEIGHT)[numpy.minimum(counts, len(_TF_WEIGHT) - 1)]
    for at in numpy.flatnonzero(counts >= len(_TF_WEIGHT)).tolist():
        tf[at] = _tf_weight(int(counts[at]))
    weight = idf_of * tf
    # By item, then by weight descending; lexsort is stable, so ties keep text order.
    order = numpy.lexsort((-weight, item))
    item, keys, weight = item[order], keys[order], weight[order]
    first = numpy.searchsorted(item, item)
    place = numpy.arange(len(item)) - first
    kept = place < k
    item, keys, weight, place = item[kept], keys[kept], weight[kept], place[kept]
    norm2 = numpy.zeros(len(sizes))
    for r in range(k):  # the squares added strongest first, as _top_terms does
        at = place == r
        norm2[item[at]] += weight[at] * weight[at]
    norm = numpy.sqrt(norm2)
    kept = norm[item] > 0.0
    item, keys, weight = item[kept], keys[kept], weight[kept] / norm[item[kept]]
    starts = numpy.zeros(len(sizes) + 1, numpy.int64)
    numpy.cumsum(numpy.bincount(item, minlength=len(sizes)), out=starts[1:])
    return _Terms(starts.tolist(), keys.tolist(), weight.tolist())


def _text_terms(
    items: Sequence[Item], config: SimilarityConfig, analyzer: FinnishAnalyzer, processes: int
) -> list[_Terms]:
    """Per text field, every item's strongest stems, as key ids of ``analyzer``.

    A field's TF-IDF needs only that field's counts, so the fields, not the items, are shared
    out among the processes: each counts and weighs whole fields, and only the few strongest
    stems of each text come back, their key ids translated into ours through the key names.
    The weights do not depend on how keys are numbered, so the result is the same with any
    number of processes.
    """
    groups = _field_groups(items, config.text_fields, processes)
    # Asking Voikko about a word costs more than counting it a hundred times: the number of new
    # words (LEARN_AHEAD_FROM), not of items, says whether learning them in workers pays.
    texts = [item.texts.get(name) or "" for item in items for name in config.text_fields]
    analyzer.prefetch(texts, _processes(config, len(items), start=0))

    def analyse(part: range) -> tuple[list[str], dict[str, Any], list[tuple[str, _Terms]]]:
        terms = []
        for name in chain.from_iterable(groups[k] for k in part):
            counted = _count_words(items, name, analyzer)
            terms.append((name, _strongest(counted, len(analyzer.names), config)))
        return analyzer.names, analyzer.displays(), terms

    by_field: dict[str, _Terms] = {}
    for names, displays, analysed in _in_parts(analyse, len(groups), len(groups)):
        if names is not analyzer.names:  # from a worker, which numbered the keys itself
            analyzer.learn_displays(displays)
            own_ids = [analyzer.id_of(name) for name in names]
            analysed = [(name, _Terms(t.starts, [own_ids[key] for key in t.keys], t.weights)) for name, t in analysed]
        by_field.update(analysed)
    return [by_field[name] for name in config.text_fields]


def _field_groups(items: Sequence[Item], fields: Sequence[str], processes: int) -> list[list[str]]:
    """The text fields in at most ``processes`` groups holding about as much text each, the
    group with the most text first: this process takes it, as a worker also pickles its
    result and copies the pages of this process it writes to (reference counts).

    Every split is tried when there are few, as for five fields and two processes; otherwise
    each field, longest first, goes to the group with the least text so far.
    """
    k = max(1, min(processes, len(fields)))
    length = [sum(len(item.texts.get(name) or "") for item in items) for name in fields]

    def loads(assignment: Sequence[int]) -> list[int]:
        totals = [0] * k
        for group, size in zip(assignment, length):
            totals[group] += size
        return totals

    if k ** len(fields) <= 4096:
        assignment = min(product(range(k), repeat=len(fields)), key=lambda a: max(loads(a)))
    else:
        assignment, totals = [0] * len(fields), [0] * k
        for at in sorted(range(len(fields)), key=lambda at: -length[at]):
            assignment[at] = totals.index(min(totals))
            totals[assignment[at]] += length[at]
    groups = [[name for name, group in zip(fields, assignment) if group == g] for g in range(k)]
    totals = loads(assignment)
    return [groups[g] for g in sorted(range(k), key=lambda g: -totals[g]) if groups[g]]


def _add_text(
    vectors: list[dict[int, float]],
    items: Sequence[Item],
    config: SimilarityConfig,
    total: float,
    features: _Features,
    analyzer: FinnishAnalyzer,
) -> list[list[int]]:
    """Adds the text features to the vectors; returns each item's stems in walking order."""
    strongest = _text_terms(items, config, analyzer, _processes(config, len(items)))
    join = _join_arrays if numpy is not None else _join
    return join(vectors, strongest, config, total, features, analyzer.names)


def _field_scales(config: SimilarityConfig, total: float) -> list[float]:
    """By number of fields with text: each field a unit vector, the joined vector scaled back
    to unit length and to the text's share of the score."""
    return [0.0] + [math.sqrt(config.text_weight / total / k) for k in range(1, len(config.text_fields) + 1)]


def _join(
    vectors: list[dict[int, float]],
    strongest: Sequence[_Terms],
    config: SimilarityConfig,
    total: float,
    features: _Features,
    names: Sequence[str],
) -> list[list[int]]:
    """Numbers the terms and adds them to the vectors, item by item, field by field, strongest
    first; returns each item's text features in walking order."""
    tables = [features.table(f"{_TEXT}:{name}", _TEXT) for name in config.text_fields]
    scales = _field_scales(config, total)
    walking_order: list[list[int]] = []
    for i, vector in enumerate(vectors):
        fields = [(ids, t, t.starts[i], t.starts[i + 1]) for ids, t in zip(tables, strongest)]
        fields = [field for field in fields if field[3] > field[2]]
        scale = scales[len(fields)]
        by_field = []
        for ids, terms, start, end in fields:
            numbered = [ids[names[key]] for key in terms.keys[start:end]]
            vector.update(zip(numbered, [w * scale for w in terms.weights[start:end]]))
            by_field.append(numbered)
        # Strongest stem of every field first, then the second strongest, and so on.
        walking_order.append([f for f in chain.from_iterable(zip_longest(*by_field)) if f is not None])
    return walking_order


def _join_arrays(
    vectors: list[dict[int, float]],
    strongest: Sequence[_Terms],
    config: SimilarityConfig,
    total: float,
    features: _Features,
    names: Sequence[str],
) -> list[list[int]]:
    """:func:`_join` with numpy for all items at once: each (field, stem) gets its id where it
    first occurs in the joining order, so the ids, weights and orders are the same."""
    n = len(vectors)
    if not strongest:
        return [[] for _ in vectors]
    per_field = [numpy.diff(numpy.array(t.starts)) for t in strongest]
    item = numpy.concatenate([numpy.repeat(numpy.arange(n), sizes) for sizes in per_field])
    field = numpy.repeat(numpy.arange(len(strongest)), [len(t.keys) for t in strongest])
    # A term's place among its item's strongest stems in that field: 0, 1, 2, ...
    place = numpy.concatenate(
        [numpy.arange(sizes.sum()) - numpy.repeat(numpy.cumsum(sizes) - sizes, sizes) for sizes in per_field]
    )
    pair = field * len(names) + numpy.concatenate([numpy.array(t.keys, numpy.int64) for t in strongest])
    # Stable sorts of one combined key, cheaper than lexsort: by item, field, place (the joining
    # order of _join), and by item, place, field (the walking order).
    fields, places = len(strongest), int(place.max(initial=0)) + 1
    joined = numpy.argsort((item * fields + field) * places + place, kind="stable")
    # Numbered in order of first occurrence, without sorting: a pair's first place in the
    # joining order, then a running count of the places that are first ones.
    pair_joined, at = pair[joined], numpy.arange(len(pair))
    first = numpy.full(len(strongest) * len(names), len(pair))
    numpy.minimum.at(first, pair_joined, at)
    is_first = first[pair_joined] == at
    first_id = features.extend(_TEXT, [names[key] for key in (pair_joined[is_first] % len(names)).tolist()])
    number = numpy.cumsum(is_first) - 1 + first_id
    ids = numpy.empty(len(pair), numpy.int64)
    ids[joined] = number[first[pair_joined]]
    fields_with_text = sum([(sizes > 0).astype(numpy.int64) for sizes in per_field])
    weights = numpy.concatenate([numpy.array(t.weights) for t in strongest])
    weights *= numpy.array(_field_scales(config, total))[fields_with_text[item]]
    bounds = numpy.zeros(n + 1, numpy.int64)
    numpy.cumsum(numpy.bincount(item, minlength=n), out=bounds[1:])
    bounds = bounds.tolist()
    ids_joined, weights_joined = ids[joined].tolist(), weights[joined].tolist()
    for vector, start, end in zip(vectors, bounds, bounds[1:]):
        vector.update(zip(ids_joined[start:end], weights_joined[start:end]))
    walked = ids[numpy.argsort((item * places + place) * fields + field, kind="stable")].tolist()
    return [walked[start:end] for start, end in zip(bounds, bounds[1:])]


def _space(items: list[Item], config: SimilarityConfig) -> _Space:
    total = sum(w for w in config.facet_weights.values() if w > 0.0) + max(config.text_weight, 0.0)
    if total <= 0.0:
        raise ValueError("facet_weights, text_weight: kaikki painot ovat nollia; anna ainakin yhdelle painolle arvo, joka on suurempi kuin 0")
    features = _Features()
    analyzer = FinnishAnalyzer(config.text_stop_words)
    vectors, common = _facet_vectors(items, config, total, features)
    facet_features = [list(vector) for vector in vectors]
    if config.text_weight > 0.0:
        text_features = _add_text(vectors, items, config, total, features, analyzer)
    else:
        text_features = [[] for _ in items]
    facet_rank = {facet: (-weight, facet) for facet, weight in config.facet_weights.items()}
    return _Space(items, vectors, facet_features, text_features, features.meta, analyzer, facet_rank, common)


# --------------------------------------------------------------------------- index


@dataclass
class _Index:
    """Which candidates hold each feature, and combinations of common facet values.

    The postings are dicts for the pure-Python search or numpy arrays for the numpy search.
    """

    size: list[int]  # feature -> how many candidates hold it
    combos: dict[tuple[int, ...], list[int]]  # facet values -> candidate rows holding all
    combos_of: list[list[tuple[int, ...]]]  # row -> its keys in ``combos``
    cap: int
    members: dict[int, dict[int, float]] | None = None  # feature -> candidate row -> weight
    arrays: _Arrays | None = None


class _Arrays:
    """The postings as numpy arrays: the rows (ascending) holding feature ``f`` and their
    weights are ``rows[start[f]:start[f + 1]]`` and ``weights[start[f]:start[f + 1]]``."""

    def __init__(self, vectors: Sequence[dict[int, float]], candidates: Sequence[int], n_features: int) -> None:
        held = [vectors[j] for j in candidates]
        count = sum(map(len, held))
        rows = numpy.repeat(numpy.array(candidates, numpy.intp), [len(vector) for vector in held])
        features = numpy.fromiter(chain.from_iterable(held), numpy.intp, count)
        weights = numpy.fromiter(chain.from_iterable(vector.values() for vector in held), numpy.float64, count)
        by_feature = numpy.argsort(features, kind="stable")
        self.rows, self.weights = rows[by_feature], weights[by_feature]
        sizes = numpy.bincount(features, minlength=n_features)
        self.start = numpy.zeros(n_features + 1, numpy.intp)
        numpy.cumsum(sizes, out=self.start[1:])
        self.size: list[int] = sizes.tolist()
        self.n = len(vectors)
        self._dense_row: dict[int, int] = {}
        self._dense: Any = None
        self._combo_rows: dict[tuple[int, ...], Any] = {}

    def postings(self, features: Sequence[int], vector: Mapping[int, float]) -> tuple[Any, Any]:
        """The rows holding each of ``features`` in turn, and what each adds to its score with
        ``vector`` (the two weights multiplied), in one gather instead of one per feature."""
        at = numpy.array(features, numpy.intp)
        starts = self.start[at]
        sizes = self.start[at + 1] - starts
        at = numpy.arange(sizes.sum()) + numpy.repeat(starts - (numpy.cumsum(sizes) - sizes), sizes)
        return self.rows[at], numpy.repeat([vector[f] for f in features], sizes) * self.weights[at]

    def densify(self, features: Iterable[int]) -> None:
        """Keeps these features' weights of every row (0.0 where missing) in one flat matrix,
        for :meth:`on_rows`: made before the search forks, so that the workers share it."""
        self._dense_row = {f: k for k, f in enumerate(features)}
        self._dense = numpy.zeros(len(self._dense_row) * self.n)
        for f, k in self._dense_row.items():
            at = slice(self.start[f], self.start[f + 1])
            self._dense[k * self.n + self.rows[at]] = self.weights[at]

    def on_rows(self, features: Sequence[int], rows: Any, vector: Mapping[int, float]) -> tuple[Any, Any]:
        """What each of the densified ``features`` in turn adds to ``rows`` (0.0 where a row
        lacks it): :meth:`postings` for features too common to walk, on chosen rows only."""
        at = (numpy.array([self._dense_row[f] * self.n for f in features])[:, numpy.newaxis] + rows).ravel()
        return at % self.n, numpy.repeat([vector[f] for f in features], len(rows)) * self._dense[at]

    def combo(self, key: tuple[int, ...], rows: list[int]) -> Any:
        found = self._combo_rows.get(key)
        if found is None:
            found = self._combo_rows[key] = numpy.array(rows, dtype=numpy.intp)
        return found


def _index(space: _Space, candidates: Sequence[int], config: SimilarityConfig) -> _Index:
    cap, members, arrays = config.postings_cap, None, None
    if numpy is not None:
        arrays = _Arrays(space.vectors, candidates, len(space.meta))
        size = arrays.size
        facets = set(chain.from_iterable(space.facet_features))
        arrays.densify(sorted(f for f in facets if size[f] > cap))
    else:
        members = _members(space.vectors, candidates)
        size = [0] * len(space.meta)
        for f, holders in members.items():
            size[f] = len(holders)
    common = {f for f, count in enumerate(size) if count > cap}
    combos_of = [_combo_keys(space, j, config.candidate_combos, common) for j in range(len(space.items))]
    combos: dict[tuple[int, ...], list[int]] = {}
    for j in candidates:
        for key in combos_of[j]:
            combos.setdefault(key, []).append(j)
    return _Index(size, combos, combos_of, cap, members, arrays)


def _members(vectors: Sequence[dict[int, float]], candidates: Sequence[int]) -> dict[int, dict[int, float]]:
    """Feature -> candidate row -> weight, rows ascending."""
    members: dict[int, dict[int, float]] = {}
    for j in candidates:
        for f, w in vectors[j].items():
            holders = members.get(f)
            if holders is None:
                holders = members[f] = {}
            holders[j] = w
    return members


def _combo_keys(
    space: _Space, j: int, specs: Sequence[tuple[str, ...]], common: set[int]
) -> list[tuple[int, ...]]:
    """An item's combinations of facet values of which at least one is too common to walk."""
    by_facet: dict[str, list[int]] = {}
    for f in space.facet_features[j]:
        by_facet.setdefault(space.meta[f][0], []).append(f)
    keys: list[tuple[int, ...]] = []
    for spec in specs:
        combos = product(*(by_facet.get(facet, ()) for facet in spec))
        keys += [key for key in combos if not common.isdisjoint(key)]
    return keys


def _walk(space: _Space, index: _Index, i: int, config: SimilarityConfig) -> tuple[list[int], list[int], list[int]]:
    """The features item ``i``'s candidates are found through, in walking order.

    Facet values held by at most ``cap`` candidates; commoner facet values, which are only
    added to the candidates found; stems strongest first until ``text_budget`` postings.
    """
    size, cap = index.size, index.cap
    facets = [f for f in space.facet_features[i] if size[f]]
    text, budget = [], config.text_budget
    for f in space.text_features[i]:
        if 0 < size[f] <= cap:
            text.append(f)
            budget -= size[f]
            if budget <= 0:
                break
    return [f for f in facets if size[f] <= cap], [f for f in facets if size[f] > cap], text


def _provisional(space: _Space, index: _Index, i: int, config: SimilarityConfig) -> dict[int, float]:
    """Scores of item ``i`` against the candidates found for it.

    Candidates sharing facet values get their whole facet part; the text part counts only the
    stems walked, and candidates found through text alone get only that.
    """
    vector, members, cap = space.vectors[i], index.members, index.cap
    acc: dict[int, float] = {}
    for key in index.combos_of[i]:
        rows = index.combos.get(key, ())
        if len(rows) <= cap:
            acc.update(dict.fromkeys(rows, 0.0))
    get = acc.get
    facets, common, text = _walk(space, index, i, config)
    for f in facets:
        wq = vector[f]
        for j, w in members[f].items():
            acc[j] = get(j, 0.0) + wq * w
    # Common values are added only to candidates already found, by an intersection done in C.
    for f in common:
        holders, wq = members[f], vector[f]
        for j in holders.keys() & acc.keys():
            acc[j] += wq * holders[j]
    for f in text:
        wq = vector[f]
        for j, w in members[f].items():
            acc[j] = get(j, 0.0) + wq * w
    return acc


def _provisional_arrays(
    space: _Space, index: _Index, i: int, config: SimilarityConfig, drop: Iterable[int]
) -> tuple[Any, Any]:
    """:func:`_provisional` with numpy: candidate rows and their scores, without ``drop``.

    Every score is summed in the same order with the same roundings as there (``bincount``
    adds in input order, and a common value adds ``wq * 0.0`` to the candidates lacking it,
    which changes nothing), so the shortlist is the same to the last bit.
    """
    arrays, vector, cap = index.arrays, space.vectors[i], index.cap
    facets, common, text = _walk(space, index, i, config)
    rows, added = arrays.postings(facets + text, vector)
    cut = sum([index.size[f] for f in facets])  # the facet values' postings come first
    found = numpy.zeros(arrays.n, dtype=bool)
    combos = [arrays.combo(key, held) for key in index.combos_of[i] if 0 < len(held := index.combos.get(key, ())) <= cap]
    if combos:
        found[numpy.concatenate(combos)] = True
    found[rows[:cut]] = True
    if common:
        common_rows, common_added = arrays.on_rows(common, numpy.flatnonzero(found), vector)
        rows = numpy.concatenate((rows[:cut], common_rows, rows[cut:]))
        added = numpy.concatenate((added[:cut], common_added, added[cut:]))
    found[rows] = True
    acc = numpy.bincount(rows, added, minlength=arrays.n)
    found[list(drop)] = False
    rows = numpy.flatnonzero(found)
    return rows, acc[rows]


def _shortlist_arrays(rows: Any, scores: Any, k: int) -> list[int]:
    """:func:`_shortlist` of arrays: every row scoring at least the k-th highest score."""
    if k <= 0:
        return []
    if len(rows) <= k:
        return rows.tolist()
    cut = numpy.partition(scores, len(scores) - k)[len(scores) - k]
    return rows[scores >= cut].tolist()


# --------------------------------------------------------------------------- ranking


def rank(
    queries: Sequence[Item],
    candidates: Sequence[Item],
    config: SimilarityConfig = SimilarityConfig(),
) -> dict[str, tuple[Neighbour, ...]]:
    """For each query id, its neighbours among ``candidates``, best first.

    Pinned ``related`` ids that are candidates come first, in the given order, whatever their
    score, and are all kept even beyond ``limit``. The remaining places up to ``limit`` go to
    candidates scoring at least ``min_score``, by score and then by id, that share something
    besides facet values held by more than ``common_share`` of the items. A query never gets
    itself or its ``not_related`` ids. Rarity and document frequencies are counted over
    queries and candidates together. The same input always gives the same output.

    Reasons, most important first: ``pinned`` (if so), shared facet values per facet (heavier
    facets first, values sorted), then ``text`` with up to four shared words: the readable form
    of each of the strongest shared keys (FinnishAnalyzer.display), none inside another.
    """
    return rank_lists(queries, {"": candidates}, config)[""]


def rank_lists(
    queries: Sequence[Item],
    lists: Mapping[str, Sequence[Item]],
    config: SimilarityConfig = SimilarityConfig(),
) -> dict[str, dict[str, tuple[Neighbour, ...]]]:
    """:func:`rank` against several candidate lists at once (say practices and projects):
    list name -> query id -> its neighbours in that list.

    The texts are analysed once, over queries and every list's candidates together, so each
    list gives what :func:`rank` would give with those candidates and the same pool of items;
    a ``related`` or ``not_related`` id counts in the list it is a candidate of.
    """
    with collector_paused():
        every = [c for candidates in lists.values() for c in candidates]
        items, row_of = _pool(queries, every)
        space = _space(items, config)
        # One index over every list's candidates: each query's candidates are found once, then
        # shortlisted per list (an id in two lists is in both).
        members = [{row_of[c.id] for c in candidates} for candidates in lists.values()]
        index = _index(space, sorted(set().union(*members)), config)
        masks = [None] * len(members)
        if index.arrays is not None:
            masks = [numpy.zeros(len(items), dtype=bool) for _ in members]
            for mask, rows in zip(masks, members):
                mask[list(rows)] = True
        groups = list(zip(members, masks))
        reasons: dict[tuple, Reason] = {}

        def search(part: range) -> list[list[tuple[Neighbour, ...]]]:
            return [_neighbours(space, index, row_of[queries[k].id], groups, row_of, config, reasons) for k in part]

        found = list(chain.from_iterable(_in_parts(search, len(queries), _processes(config, len(items)))))
        return {
            name: {q.id: per_list[at] for q, per_list in zip(queries, found)}
            for at, name in enumerate(lists)
        }


def _pool(queries: Sequence[Item], candidates: Sequence[Item]) -> tuple[list[Item], dict[str, int]]:
    """Candidates and queries as one list without repeats, and each id's row in it."""
    items: list[Item] = []
    row_of: dict[str, int] = {}
    for item in (*candidates, *queries):
        row = row_of.get(item.id)
        if row is None:
            row_of[item.id] = len(items)
            items.append(item)
        elif items[row] is not item and items[row] != item:
            raise ValueError(f"two different items have the id {item.id!r}")
    return items, row_of


def _neighbours(
    space: _Space,
    index: _Index,
    i: int,
    groups: Sequence[tuple[set[int], Any]],
    row_of: Mapping[str, int],
    config: SimilarityConfig,
    reasons: dict[tuple, Reason],
) -> list[tuple[Neighbour, ...]]:
    """Item ``i``'s neighbours in each group of candidates: ``groups`` holds each group's rows
    as a set and, for the numpy search, as a boolean mask over all rows. The candidates are
    found once, over the index of every group, then shortlisted per group."""
    query = space.items[i]
    forbidden = {row_of[x] for x in query.not_related if x in row_of} | {i}
    pinned_all = [j for j in dict.fromkeys(row_of[x] for x in query.related if x in row_of) if j not in forbidden]
    drop = forbidden.union(pinned_all)
    if index.arrays is not None:
        rows, scores = _provisional_arrays(space, index, i, config, drop)
    else:
        acc = _provisional(space, index, i, config)
        for j in drop:
            acc.pop(j, None)
    found = []
    for members, mask in groups:
        pinned = [j for j in pinned_all if j in members]
        k = max(config.rescore, config.limit - len(pinned))
        if index.arrays is not None:
            inside = mask[rows] if len(groups) > 1 else slice(None)
            shortlist = _shortlist_arrays(rows[inside], scores[inside], k)
        else:
            shortlist = _shortlist(acc if len(groups) == 1 else {j: v for j, v in acc.items() if j in members}, k)
        found.append(_exact(space, i, pinned, shortlist, config, reasons))
    return found


def _exact(
    space: _Space, i: int, pinned: list[int], shortlist: list[int], config: SimilarityConfig, reasons: dict[tuple, Reason]
) -> tuple[Neighbour, ...]:
    """The pinned rows, then the best of the shortlist by exact score, with their reasons."""
    vector, vectors = space.vectors[i], space.vectors
    # Which features each pair shares is worked out once, for its score and for its reasons.
    shared = {j: vector.keys() & vectors[j].keys() for j in chain(pinned, shortlist)}
    # A link resting only on values most items hold (a very common theme) is no reason.
    common = space.common
    exact = {j: _dot(vector, vectors[j], shared[j]) for j in shortlist if not shared[j] <= common}
    best = _best(exact, config.limit - len(pinned), config.min_score, space.items)
    shown = [(j, _dot(vector, vectors[j], shared[j]), True) for j in pinned]
    shown += [(j, score, False) for j, score in best]
    return tuple(_neighbour(space, i, j, shared[j], score, is_pinned, reasons) for j, score, is_pinned in shown)


def _shortlist(acc: Mapping[int, float], k: int) -> list[int]:
    """The k rows with the highest provisional scores, and any tied with the k-th."""
    if k <= 0:
        return []
    top = heapq.nlargest(k + 1, acc.items(), key=itemgetter(1))
    if len(top) <= k or top[k][1] < top[k - 1][1]:
        return [j for j, _ in top[:k]]
    cut = top[k - 1][1]
    return [j for j, s in acc.items() if s >= cut]


def _best(scores: Mapping[int, float], k: int, min_score: float, items: Sequence[Item]) -> list[tuple[int, float]]:
    """The k best (row, score) pairs at or above min_score, ties by id ascending."""
    kept = [js for js in scores.items() if js[1] >= min_score]
    kept.sort(key=lambda js: (-js[1], items[js[0]].id))
    return kept[: max(k, 0)]


def _dot(a: Mapping[int, float], b: Mapping[int, float], shared: Iterable[int]) -> float:
    """The score of two vectors; ``shared`` is ``a.keys() & b.keys()``."""
    # The same two dicts give the same intersection order (int hashes are not randomised),
    # so the sum is reproducible; rounding hides the last bits anyway.
    return round(sum([a[f] * b[f] for f in shared]), 6)


_PINNED = Reason("pinned", ())


def _neighbour(
    space: _Space, i: int, j: int, shared: Iterable[int], score: float, pinned: bool, known: dict[tuple, Reason]
) -> Neighbour:
    # Equal reasons are one object: fewer allocations, and a smaller pickle from a worker. They
    # are looked up as plain tuples, whose hashing and comparing is done in C.
    reasons = []
    for kind_values in _reasons(space, i, j, shared):
        reason = known.get(kind_values)
        if reason is None:
            reason = known[kind_values] = Reason(*kind_values)
        reasons.append(reason)
    if pinned:
        reasons.insert(0, _PINNED)
    return Neighbour(space.items[j].id, score, tuple(reasons), pinned)


def _reasons(space: _Space, i: int, j: int, shared: Iterable[int]) -> list[tuple[str, tuple[str, ...]]]:
    """Shared facet values (heavier facets first), then the strongest shared stems."""
    a, b, meta = space.vectors[i], space.vectors[j], space.meta
    by_facet: dict[str, list[str]] = {}
    text: dict[str, float] = {}
    for f in shared:
        kind, value = meta[f]
        if kind == _TEXT:
            text[value] = text.get(value, 0) + a[f] * b[f]
        else:
            by_facet.setdefault(kind, []).append(value)
    reasons = [(kind, tuple(sorted(by_facet[kind]))) for kind in sorted(by_facet, key=space.facet_rank.__getitem__)]
    if text:
        # Sorted by stem, then stably by contribution: ties go to the alphabetically first.
        ranked = sorted(sorted(text.items()), key=itemgetter(1), reverse=True)
        reasons.append((_TEXT, _distinct_words(space.analyzer.display(key) for key, _ in ranked)))
    return reasons


def _distinct_words(words: Iterable[str], k: int = 4) -> tuple[str, ...]:
    """The first ``k`` words of which none is part of another one kept: a compound and its
    parts are all shared keys, but "hyvinvointialue, hyvinvointi, vointi" says one thing."""
    kept: list[str] = []
    for word in words:
        if not any(word in other or other in word for other in kept):
            kept.append(word)
            if len(kept) == k:
                break
    return tuple(kept)


# --------------------------------------------------------------------------- processes

# Below this many items a forked worker costs more than it saves.
PARALLEL_FROM = 2000
# Below this many new tokens the field workers learn them themselves (FinnishAnalyzer.prefetch).
LEARN_AHEAD_FROM = 20_000


def _processes(config: SimilarityConfig, n: int, start: int = PARALLEL_FROM) -> int:
    """How many processes share work on ``n`` items: ``config.processes``, or from ``start``
    items on one per core (at most 4)."""
    if cores() == 1:
        return 1
    if config.processes > 0:
        return config.processes
    if n < start:
        return 1
    return max(1, min(cores(), 4))