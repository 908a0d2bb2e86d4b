"""Related items: rank neighbours by shared controlled values and field-by-field text.

Plain data in, plain data out; nothing here imports MkDocs or other generator modules, so the
ranking can be tested and benchmarked alone.

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
says), counting words, picking each text's strongest stems and the neighbour search are split
into consecutive slices over forked worker processes, one per core; the slices come back in
order, so the output is the same with any number of processes. If numpy is installed, the
index is walked with numpy arrays, adding in the same order as the pure-Python walk, so the
scores agree to the last bit.
"""

from __future__ import annotations

import gc
import heapq
import math
import os
import pickle
import re
import signal
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain, product, zip_longest
from operator import itemgetter
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping, Sequence, TypeVar

import snowballstemmer

try:  # optional: the neighbour search walks the index about 2.5 times faster, same results
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


_DEFAULT_FACET_WEIGHTS = MappingProxyType(
    {
        "target_groups": 3.0,
        "themes": 3.0,
        "regions": 1.5,
        "municipalities": 1.0,
        "funders": 0.75,
        "stage": 0.5,
    }
)


@dataclass(frozen=True)
class SimilarityConfig:
    """Weights and limits of the ranking; bench/README.md explains the defaults."""

    limit: int = 5
    # Sharing one rare theme or target group (3 / 12.75 = 0.235) is enough on its own; a shared
    # region, municipality, funder or stage alone (at most 0.12) or region + stage (0.16) is not.
    min_score: float = 0.2
    facet_weights: Mapping[str, float] = field(default_factory=lambda: _DEFAULT_FACET_WEIGHTS)
    text_weight: float = 3.0
    text_fields: tuple[str, ...] = ("summary", "need", "goals", "actions", "results")
    # A value held by at most this share of the items counts fully; commoner ones count less.
    full_weight_share: float = 0.05
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
    # Processes for text analysis and the neighbour search: 0 = one per CPU core (at most 4)
    # from PARALLEL_FROM items on, 1 = only this one. The output never depends on it.
    processes: int = 0


# --------------------------------------------------------------------------- Finnish words

# Function words in the forms they occur in; dropped before stemming.
_STOP_WORDS = frozenset(
    """
    ja tai sekä eli mutta vaan kuin kun jos että jotta koska vaikka joten sillä mikäli kuitenkin
    myös vielä jo nyt sitten siis aina usein vain ei en et emme ette eivät ole olla olen olet on
    olemme olette ovat oli olin olit olimme olitte olivat ollut olleet ollaan oltiin olisi
    olisivat olleen olevan oleva olevat olevia olemassa ollen voi voivat voidaan voida voisi
    voisivat pitää täytyy tulee tulevat tullaan se sen sitä siinä siitä siihen siltä sille
    ne niiden niitä niissä niistä niihin niillä niiltä niille tämä tämän tätä tässä tästä tähän
    tällä tältä tälle tänä nämä näiden näitä näissä näistä näihin näillä näiltä näille tuo tuon
    tuota tuossa tuosta tuohon nuo noiden noita hän hänen häntä hänellä hänelle he heidän heitä
    heillä heille me meidän meitä meillä meille te teidän minä minun minua sinä sinun joka jonka
    jota jossa josta johon jolla jolta jolle jona joksi jotka joiden joita joissa joista joihin
    joilla joille mikä minkä mitä missä mistä mihin millä mille miten miksi kuka kenen ketä itse
    oma oman omaa omat omien omia kaikki kaikkien kaikkia kaikille kaiken jokainen jokaisen
    jokaista muu muun muuta muut muiden muita muille eri usea useat useita useiden moni monet
    monia monien paljon vähän enemmän hyvin kanssa ilman mukaan kautta avulla aikana jälkeen
    ennen kohti lisäksi lähinnä noin yli alle asti saakka ympäri keskellä välillä esim
    esimerkiksi mm muassa jne ym yms ts ns kuten koko joko kumpi siten näin niin myöskin lähes
    erityisesti etenkin
    """.split()
)

# Project prose that nearly every description contains; dropped in every form (after stemming).
_GENERIC_WORDS = (
    "hanke projekti toiminta kehittäminen kehittää kehitys asiakas tavoite tulos tarkoitus "
    "vuosi uusi osa tehdä toteuttaa toteutus"
).split()

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
# Cutting long stems joins derivations Snowball keeps apart (osallisuus, osallistuminen).
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
    """Word -> index key: Snowball Finnish, then folding; one cached key per distinct token."""

    def __init__(self) -> None:
        # snowballstemmer hands out PyStemmer's C stemmer when that is installed (much faster)
        # and its own pure-Python one otherwise; both give the same stems.
        self._stemmer = snowballstemmer.stemmer("finnish")
        if hasattr(self._stemmer, "maxCacheSize"):
            self._stemmer.maxCacheSize = 0  # PyStemmer's small cache only thrashes; ours is whole
        self._key_of_stem: dict[str, str] = {}
        self._display: dict[str, str] = {}
        self._generic = frozenset(self._fold(word) for word in _GENERIC_WORDS)
        self._keys = _Cache(self._learn)
        self._keys.update(dict.fromkeys(_STOP_WORDS, ""))

    def key(self, word: str) -> str:
        """The index key of a lower-case token, or "" if it is not indexed."""
        return self._keys[word]

    def counts(self, text: str) -> Counter[str]:
        """Key frequencies of a text, without stop words and generic project words."""
        # str.split and a per-token cache are about twice as fast as a regex tokeniser;
        # punctuation is stripped once per distinct token, in _learn.
        tokens = text.lower().replace("-", " ").replace("/", " ").split()
        counts = Counter(map(self._keys.__getitem__, tokens))
        counts.pop("", None)
        return counts

    def display(self, key: str) -> str:
        """A readable word for a key: the shortest form seen, usually the base form."""
        return self._display.get(key, key)

    def displays(self) -> dict[str, str]:
        """Every key's readable word so far, for :meth:`learn_displays` of another analyzer."""
        return dict(self._display)

    def learn_displays(self, displays: Mapping[str, str]) -> None:
        """Takes over the forms another analyzer has seen, as if this one had seen them."""
        own = self._display
        for key, word in displays.items():
            shown = own.get(key)
            if shown is None or (len(word), word) < (len(shown), shown):
                own[key] = word

    def _learn(self, token: str) -> str:
        word = token.strip(_PUNCTUATION)
        if len(word) < 2 or not word.isalpha() or word in _STOP_WORDS:
            return ""
        short = _MONOSYLLABLE.match(word) if len(word) < 9 else None  # the same as .sub(r"\1")
        stem = self._stemmer.stemWord(short[1] if short else word)
        key = self._key_of_stem.get(stem)
        if key is None:
            key = _fold_stem(stem)
            key = self._key_of_stem[stem] = "" if key in self._generic else key
        shown = self._display.get(key)
        if key and (shown is None or (len(word), word) < (len(shown), shown)):
            self._display[key] = word
        return key

    def _fold(self, word: str) -> str:
        return _fold_stem(self._stemmer.stemWord(_MONOSYLLABLE.sub(r"\1", word)))


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

    def _new(self, kind: str, value: str) -> int:
        self.meta.append((kind, value))
        return len(self.meta) - 1


def _rarity(df: int, n: int, full_weight_share: float) -> float:
    """How much sharing a value held by ``df`` of ``n`` items counts, in 0..1."""
    return min(1.0, math.log(n / df) / math.log(1.0 / full_weight_share))


def _facet_vectors(
    items: Sequence[Item], config: SimilarityConfig, total: float, features: _Features
) -> list[dict[int, float]]:
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
    return vectors


def _document_frequencies(counts: Sequence[Counter[str] | None]) -> tuple[Counter[str], int]:
    """In how many of these texts each key occurs, and how many texts have any key."""
    df: Counter[str] = Counter()
    for c in counts:
        if c:
            df.update(c.keys())
    return df, sum(1 for c in counts if c)


def _idf(df: Mapping[str, int], n: int, config: SimilarityConfig) -> dict[str, float]:
    """Inverse document frequencies of the keys that can link two texts of a field."""
    max_df = max(2, int(config.text_max_df * n))
    # A stem in one text cannot link two; one in too many links everything. (1 + n) keeps a
    # stem shared by both texts of a two-text field above zero.
    return {t: math.log((1 + n) / d) for t, d in df.items() if 2 <= d <= max_df}


def _top_terms(counts: Counter[str], idf: Mapping[str, float], k: int) -> list[tuple[float, str]]:
    get = idf.get
    if max(counts.values()) < len(_TF_WEIGHT):
        tf_weight = _TF_WEIGHT
        weighted = [(w * tf_weight[n], t) for t, n in counts.items() if (w := get(t)) is not None]
    else:
        weighted = [(w * (1.0 + math.log(n)), t) for t, n in counts.items() if (w := get(t)) is not None]
    # A stable C sort: equal weights keep text order, so the cut is reproducible.
    top = sorted(weighted, key=itemgetter(0), reverse=True)[:k]
    norm = math.sqrt(sum([w * w for w, _ in top]))
    return [(w / norm, t) for w, t in top] if norm > 0.0 else []


def _add_text(
    space_vectors: list[dict[int, float]],
    items: Sequence[Item],
    config: SimilarityConfig,
    total: float,
    features: _Features,
    analyzer: FinnishAnalyzer,
) -> list[list[int]]:
    """Adds the text features to the vectors; returns each item's stems in walking order."""
    fields, processes = config.text_fields, _processes(config, len(items))
    counts: list[list[Counter[str] | None]] = [[] for _ in fields]  # per field, per item
    idfs: list[dict[str, float]] = []

    def count(part: range) -> tuple[list[list[Counter[str] | None]], list[tuple[Counter[str], int]], dict[str, str]]:
        texts = [[items[i].texts.get(name) for i in part] for name in fields]
        part_counts = [[analyzer.counts(text) if text else None for text in column] for column in texts]
        return part_counts, [_document_frequencies(c) for c in part_counts], analyzer.displays()

    # Counting is split by items; document frequencies are added up over the parts.
    parts = _in_parts(count, len(items), processes)
    for _, _, displays in parts[1:]:
        analyzer.learn_displays(displays)
    for k in range(len(fields)):
        df: Counter[str] = Counter()
        for part_counts, dfs, _ in parts:
            counts[k] += part_counts[k]
            df.update(dfs[k][0])
        idfs.append(_idf(df, sum(dfs[k][1] for _, dfs, _ in parts), config))
    del parts

    def strongest(part: range) -> list[list[list[tuple[float, str]]]]:
        k = config.terms_per_field
        return [[_top_terms(c[i], idf, k) if c[i] else [] for i in part] for c, idf in zip(counts, idfs)]

    parts_terms = _in_parts(strongest, len(items), processes)
    per_field = []
    for k, name in enumerate(fields):
        terms = list(chain.from_iterable(part[k] for part in parts_terms))
        per_field.append((features.table(f"{_TEXT}:{name}", _TEXT), terms))
    walking_order: list[list[int]] = []
    for i, vector in enumerate(space_vectors):
        fields = [(ids, terms[i]) for ids, terms in per_field if terms[i]]
        if not fields:
            walking_order.append([])
            continue
        # Each field a unit vector; the joined vector scaled back to unit length.
        scale = math.sqrt(config.text_weight / total / len(fields))
        by_field = []
        for ids, terms in fields:
            fids = [ids[key] for _, key in terms]
            vector.update(zip(fids, [w * scale for w, _ in terms]))
            by_field.append(fids)
        # Strongest stem of every field first, then the second strongest, and so on.
        walking_order.append([f for f in chain.from_iterable(zip_longest(*by_field)) if f is not None])
    return walking_order


def _space(items: list[Item], config: SimilarityConfig) -> _Space:
    total = sum(w for w in config.facet_weights.values() if w > 0.0) + max(config.text_weight, 0.0)
    if total <= 0.0:
        raise ValueError("similarity weights must not all be zero")
    features = _Features()
    analyzer = FinnishAnalyzer()
    vectors = _facet_vectors(items, config, total, features)
    facet_features = [list(vector) for vector in vectors]
    if config.text_weight > 0.0:
        text_features = _add_text(vectors, items, config, total, features, analyzer)
    else:
        text_features = [[] for _ in items]
    facet_rank = {facet: (-weight, facet) for facet, weight in config.facet_weights.items()}
    return _Space(items, vectors, facet_features, text_features, features.meta, analyzer, facet_rank)


# --------------------------------------------------------------------------- index


@dataclass
class _Index:
    """Which candidates hold each feature, and combinations of common facet values."""

    members: dict[int, dict[int, float]]  # feature -> candidate row -> weight
    combos: dict[tuple[int, ...], list[int]]  # facet values -> candidate rows holding all
    combos_of: list[list[tuple[int, ...]]]  # row -> its keys in ``combos``
    cap: int
    arrays: _Arrays | None = None  # the same as numpy arrays, if numpy is installed


class _Arrays:
    """Postings as numpy arrays, made when first walked (so each worker makes its own)."""

    def __init__(self, members: dict[int, dict[int, float]], combos: dict[tuple[int, ...], list[int]], n: int) -> None:
        self.n = n
        self._members, self._combos = members, combos
        self._sparse: dict[int, tuple[Any, Any]] = {}
        self._dense: dict[int, Any] = {}
        self._combo_rows: dict[tuple[int, ...], Any] = {}

    def sparse(self, f: int) -> tuple[Any, Any]:
        """Rows holding feature ``f`` and their weights, in posting order."""
        found = self._sparse.get(f)
        if found is None:
            holders = self._members[f]
            rows = numpy.fromiter(holders.keys(), numpy.intp, len(holders))
            found = self._sparse[f] = (rows, numpy.fromiter(holders.values(), numpy.float64, len(holders)))
        return found

    def dense(self, f: int) -> Any:
        """Every row's weight of feature ``f``, 0.0 where it is missing."""
        found = self._dense.get(f)
        if found is None:
            rows, weights = self.sparse(f)
            found = self._dense[f] = numpy.zeros(self.n)
            found[rows] = weights
        return found

    def combo(self, key: tuple[int, ...]) -> Any:
        found = self._combo_rows.get(key)
        if found is None:
            found = self._combo_rows[key] = numpy.array(self._combos[key], dtype=numpy.intp)
        return found


def _index(space: _Space, candidates: Sequence[int], config: SimilarityConfig) -> _Index:
    members: dict[int, dict[int, float]] = {}
    for j in candidates:
        for f, w in space.vectors[j].items():
            holders = members.get(f)
            if holders is None:
                holders = members[f] = {}
            holders[j] = w
    cap = config.postings_cap
    common = {f for f, holders in members.items() if len(holders) > cap}
    combos_of = [_combo_keys(space, j, config.candidate_combos, common) for j in range(len(space.items))]
    combos: dict[tuple[int, ...], list[int]] = {}
    for j in candidates:
        for key in combos_of[j]:
            combos.setdefault(key, []).append(j)
    arrays = _Arrays(members, combos, len(space.items)) if numpy is not None else None
    return _Index(members, combos, combos_of, cap, arrays)


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
    common = []
    for f in space.facet_features[i]:
        holders = members.get(f)
        if holders is None:
            continue
        if len(holders) > cap:
            common.append(f)
            continue
        wq = vector[f]
        for j, w in holders.items():
            acc[j] = get(j, 0.0) + wq * w
    # Common values are added only to candidates already found, by an intersection done in C.
    for f in common:
        holders, wq = members[f], vector[f]
        for j in holders.keys() & acc.keys():
            acc[j] += wq * holders[j]
    budget = config.text_budget
    for f in space.text_features[i]:
        holders = members.get(f)
        if holders is None or len(holders) > cap:
            continue
        wq = vector[f]
        for j, w in holders.items():
            acc[j] = get(j, 0.0) + wq * w
        budget -= len(holders)
        if budget <= 0:
            break
    return acc


def _provisional_arrays(
    space: _Space, index: _Index, i: int, config: SimilarityConfig, drop: Iterable[int]
) -> tuple[Any, Any]:
    """:func:`_provisional` with numpy: candidate rows and their scores, without ``drop``.

    Every score is summed in the same order with the same roundings as there (a common value
    adds ``wq * 0.0`` to the candidates lacking it, which changes nothing), so the shortlist is
    the same to the last bit.
    """
    arrays, vector, members, cap = index.arrays, space.vectors[i], index.members, index.cap
    acc = numpy.zeros(arrays.n)
    found = numpy.zeros(arrays.n, dtype=bool)
    for key in index.combos_of[i]:
        if 0 < len(index.combos.get(key, ())) <= cap:
            found[arrays.combo(key)] = True
    common = []
    for f in space.facet_features[i]:
        holders = members.get(f)
        if holders is None:
            continue
        if len(holders) > cap:
            common.append(f)
            continue
        rows, weights = arrays.sparse(f)
        acc[rows] += vector[f] * weights
        found[rows] = True
    if common:
        rows = numpy.flatnonzero(found)
        for f in common:
            acc[rows] += vector[f] * arrays.dense(f)[rows]
    budget = config.text_budget
    for f in space.text_features[i]:
        holders = members.get(f)
        if holders is None or len(holders) > cap:
            continue
        rows, weights = arrays.sparse(f)
        acc[rows] += vector[f] * weights
        found[rows] = True
        budget -= len(holders)
        if budget <= 0:
            break
    for j in drop:
        found[j] = False
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
    candidates scoring at least ``min_score``, by score and then by id. A query never gets itself
    or its ``not_related`` ids. Rarity and document frequencies are counted over queries and
    candidates together. The same input always gives the same output.

    Reasons, most important first: ``pinned`` (if so), shared facet values per facet (heavier
    facets first, values sorted), then ``text`` with up to four shared words (the shortest form
    seen of each of the strongest shared stems).
    """
    items, row_of = _pool(queries, candidates)
    space = _space(items, config)
    candidate_rows = sorted({row_of[c.id] for c in candidates})
    index = _index(space, candidate_rows, config)
    is_candidate = set(candidate_rows)
    reasons: dict[Reason, Reason] = {}

    def search(part: range) -> list[tuple[Neighbour, ...]]:
        return [_neighbours(space, index, row_of[queries[k].id], is_candidate, row_of, config, reasons) for k in part]

    found = chain.from_iterable(_in_parts(search, len(queries), _processes(config, len(items))))
    return {q.id: neighbours for q, neighbours in zip(queries, found)}


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
    is_candidate: set[int],
    row_of: Mapping[str, int],
    config: SimilarityConfig,
    reasons: dict[Reason, Reason],
) -> tuple[Neighbour, ...]:
    query = space.items[i]
    forbidden = {row_of[x] for x in query.not_related if x in row_of} | {i}
    pinned = list(dict.fromkeys(row_of[x] for x in query.related if x in row_of))
    pinned = [j for j in pinned if j in is_candidate and j not in forbidden]
    k = max(config.rescore, config.limit - len(pinned))
    if index.arrays is not None:
        shortlist = _shortlist_arrays(*_provisional_arrays(space, index, i, config, forbidden.union(pinned)), k)
    else:
        acc = _provisional(space, index, i, config)
        for j in forbidden.union(pinned):
            acc.pop(j, None)
        shortlist = _shortlist(acc, k)
    vector = space.vectors[i]
    exact = {j: _dot(vector, space.vectors[j]) for j in shortlist}
    best = _best(exact, config.limit - len(pinned), config.min_score, space.items)
    shown = [(j, _dot(vector, space.vectors[j]), True) for j in pinned]
    shown += [(j, score, False) for j, score in best]
    return tuple(_neighbour(space, i, j, score, is_pinned, reasons) for j, score, is_pinned in shown)


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


def _dot(a: Mapping[int, float], b: Mapping[int, float]) -> float:
    # The same two dicts give the same intersection order (int hashes are not randomised),
    # so the sum is reproducible; rounding hides the last bits anyway.
    return round(sum([a[f] * b[f] for f in a.keys() & b.keys()]), 6)


_PINNED = Reason("pinned", ())


def _neighbour(space: _Space, i: int, j: int, score: float, pinned: bool, known: dict[Reason, Reason]) -> Neighbour:
    # Equal reasons are one object: fewer allocations, and a smaller pickle from a worker.
    reasons = tuple(known.setdefault(reason, reason) for reason in _reasons(space, i, j))
    if pinned:
        reasons = (_PINNED, *reasons)
    return Neighbour(space.items[j].id, score, reasons, pinned)


def _reasons(space: _Space, i: int, j: int) -> tuple[Reason, ...]:
    """Shared facet values (heavier facets first), then the strongest shared stems."""
    a, b, meta = space.vectors[i], space.vectors[j], space.meta
    by_facet: dict[str, list[str]] = {}
    text: dict[str, float] = {}
    for f in a.keys() & b.keys():
        kind, value = meta[f]
        if kind == _TEXT:
            text[value] = text.get(value, 0) + a[f] * b[f]
        else:
            by_facet.setdefault(kind, []).append(value)
    reasons = [Reason(kind, tuple(sorted(by_facet[kind]))) for kind in sorted(by_facet, key=space.facet_rank.__getitem__)]
    if text:
        # Sorted by stem, then stably by contribution: ties go to the alphabetically first.
        strongest = sorted(sorted(text.items()), key=itemgetter(1), reverse=True)[:4]
        reasons.append(Reason(_TEXT, tuple(space.analyzer.display(key) for key, _ in strongest)))
    return tuple(reasons)


# --------------------------------------------------------------------------- processes

# Below this many items a forked worker costs more than it saves.
PARALLEL_FROM = 2000
_T = TypeVar("_T")


def _processes(config: SimilarityConfig, n: int) -> int:
    """How many processes share the work: ``config.processes``, or one per core for big inputs."""
    if not hasattr(os, "fork"):
        return 1
    if config.processes > 0:
        return config.processes
    if n < PARALLEL_FROM:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, 4))


def _in_parts(work: Callable[[range], _T], n: int, parts: int) -> list[_T]:
    """``work`` over ``parts`` consecutive slices of ``range(n)``, results in slice order.

    The first slice is done here, the others in forked children that see this process's memory
    as it was and send back a pickle. ``work`` must be deterministic, so the result does not
    depend on ``parts``; a child that fails is redone here.
    """
    parts = max(1, min(parts, n))
    bounds = [n * k // parts for k in range(parts + 1)]
    slices = [range(bounds[k], bounds[k + 1]) for k in range(parts)]
    if parts == 1:
        return [work(slices[0])]
    # Frozen objects are left out of garbage collection, which would otherwise touch (and so
    # copy) every shared page, in the children and here.
    gc.freeze()
    try:
        children = [_fork(work, part) for part in slices[1:]]
        try:
            results = [work(slices[0])]
        except BaseException:
            for child in children:
                _kill(child)
            raise
        for part, child in zip(slices[1:], children):
            ok, result = _collect(child)
            results.append(result if ok else work(part))
    finally:
        gc.unfreeze()
    return results


def _fork(work: Callable[[range], Any], part: range) -> tuple[int, int] | None:
    """Starts ``work(part)`` in a child process; its (pid, pipe to read), or None."""
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: compute, send, leave without running the parent's exit handlers
        status = 1
        try:
            gc.disable()  # short-lived, and collecting would copy the parent's pages
            os.close(read)
            with open(write, "wb") as out:
                pickle.dump(work(part), out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _collect(child: tuple[int, int] | None) -> tuple[bool, Any]:
    """A child's result, after it has exited: (True, result), or (False, None) if it failed."""
    if child is None:
        return False, None
    pid, read = child
    try:
        with open(read, "rb") as pipe:
            data = pipe.read()
    finally:
        _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return False, None
    return True, pickle.loads(data)


def _kill(child: tuple[int, int] | None) -> None:
    if child is not None:
        pid, read = child
        os.close(read)
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        os.waitpid(pid, 0)
