"""Finnish words as base forms (lemmas) and compound parts, for similarity and search.

Snowball Finnish splits one word's forms apart (työllistyminen, työllistymisen and
työllistymistä get three stems) and never splits a compound (työhönvalmennus does not meet
valmennus). Voikko, the Finnish morphology library, gives a word's base form and the words a
compound is made of:

    >>> analyse("työllistymistä")            # doctest: +SKIP
    Analysis(lemma='työllistyä', parts=())
    >>> analyse("työhönvalmennus")           # doctest: +SKIP
    Analysis(lemma='työhönvalmennus', parts=('työ', 'valmennus'))

Voikko comes from Debian (``libvoikko1`` and the dictionary ``voikko-fi``) through PyPI's
``libvoikko`` bindings. Without them :func:`analyse` answers ``None`` for every word, its
callers keep Snowball stems as before, and :func:`available` logs one warning in Finnish
saying so; nothing fails.

Words Voikko does not know (names, slang: Perhefutis, Kiipulasäätiö) are split where the
known word is at the end (kiipula + säätiö) or, failing that, at the start (perhe + futis),
so that "futis" and "säätiö" find them.

Every answer is cached per distinct word (a corpus has far fewer distinct words than tokens).
An answer depends on nothing but the word, so a forked worker keeps its parent's cache; each
process opens its own Voikko handle (the handle cannot cross a process boundary).
:func:`in_parts` shares out work that analyses a whole vocabulary over the cores and brings
the answers back, before the steps that read them fork their own workers: otherwise each of
them would analyse the same words.
"""

from __future__ import annotations

import logging
import os
import re
from itertools import islice
from typing import Callable, Iterable, NamedTuple, TypeVar

from . import parallel

log = logging.getLogger("hankekirjasto.finnish")

WARNING = (
    "Voikko (suomen kielen sanastokirjasto) puuttuu tai sen sanakirjaa ei löydy: "
    "samankaltaisuus ja haku käyttävät Snowball-vartaloita, eivätkä ne tunnista sanan "
    "perusmuotoa eivätkä yhdyssanan osia. Asenna Debian-paketit libvoikko1 ja voikko-fi "
    "(scripts/system-packages.sh)."
)

# An unknown word is split only when it is this long and each side has at least this much.
_MIN_SPLIT_WORD = 8
_MIN_PART = 4
_T = TypeVar("_T")
_NAMES = frozenset({"paikannimi", "etunimi", "sukunimi", "nimi"})
_VERB = "teonsana"
_WORD_CLASSES_SPLIT = frozenset({"nimisana", "nimisana_laatusana", "laatusana"})
# "+työllist(työllistää)+yä(+yä)": a morpheme as written and, in brackets, its base. A
# derivational morpheme may follow without a "+": "+haastat(haastattaa)tel(+ella)+u(+u)".
_SEGMENT = re.compile(r"\+?([^+()]+)(?:\(([^)]*)\))?")


class Analysis(NamedTuple):
    """A word's base form and, for a compound, the base forms of its parts (lower case)."""

    lemma: str
    parts: tuple[str, ...] = ()


_state: dict[str, object] = {}  # pid -> Voikko handle or None; "warned" -> True
_cache: dict[str, Analysis | None] = {}
_readings_cache: dict[str, tuple[tuple[str, str], ...]] = {}  # unknown words try many cuts


def _voikko():
    """This process's Voikko handle, or None when Voikko or its dictionary is missing."""
    pid = os.getpid()
    if _state.get("pid") == pid:
        return _state["handle"]
    handle = None
    if not os.environ.get("HANKEKIRJASTO_NO_VOIKKO"):
        try:
            import libvoikko  # type: ignore[import-not-found]

            handle = libvoikko.Voikko("fi")
        except Exception:  # no bindings, no libvoikko.so, no Finnish dictionary
            handle = None
    _state["pid"], _state["handle"] = pid, handle
    return handle


def available() -> bool:
    """Whether Voikko works here; the first time it does not, says so once in Finnish."""
    if _voikko() is not None:
        return True
    if not _state.get("warned"):
        _state["warned"] = True
        log.warning("%s", WARNING)
    return False


def analyse(word: str) -> Analysis | None:
    """Base form and compound parts of one lower-case word, or None if Voikko cannot tell."""
    found = _cache.get(word, _cache)
    if found is _cache:
        handle = _voikko()
        found = _cache[word] = _analyse(handle, word) if handle is not None and word else None
    return found  # type: ignore[return-value]


def in_parts(work: Callable[[range], _T], n: int, processes: int) -> list[_T]:
    """:func:`parallel.in_parts`, and every answer a worker process found comes back into this
    process's cache, as if this process had analysed the words itself: for work that analyses
    a vocabulary before the steps that read it fork workers of their own."""

    here = os.getpid()

    def answering(part: range) -> tuple[_T, dict[str, tuple | None]]:
        known = len(_cache)  # answers are only ever added, in order
        result = work(part)
        if os.getpid() == here:  # the part done in this process: its answers are cached here
            return result, {}
        # As plain tuples: unpickling a named tuple is a Python call, a plain one is not.
        return result, {word: found and tuple(found) for word, found in islice(_cache.items(), known, None)}

    results = []
    for result, answers in parallel.in_parts(answering, n, processes):
        _cache.update((word, found and Analysis._make(found)) for word, found in answers.items())
        results.append(result)
    return results


def lemma(word: str) -> str | None:
    """Just the base form (lower case) of a word Voikko knows."""
    found = analyse(word)
    return found.lemma if found else None


def words(word: str) -> tuple[str, ...]:
    """The base form and compound parts of a word, or () when Voikko cannot tell."""
    found = analyse(word)
    return (found.lemma, *found.parts) if found else ()


def _known(handle, word: str) -> str | None:
    """The base form of a word Voikko recognises as a noun or an adjective (its likeliest)."""
    bases = _noun_bases(handle, word)
    return bases[0] if bases else None


def _is_base_form(handle, word: str) -> bool:
    """Whether a word is the base form of a noun or an adjective, in any of its readings:
    vuosi is one, though Voikko reads it first as a form of vuotaa and of vuo."""
    return word in _noun_bases(handle, word)


def _is_word(handle, word: str) -> bool:
    """Whether Voikko knows a word in any reading."""
    return bool(_readings(handle, word))


def _noun_bases(handle, word: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(base for kind, base in _readings(handle, word) if kind in _WORD_CLASSES_SPLIT))


def _readings(handle, word: str) -> tuple[tuple[str, str], ...]:
    """Each reading's word class and base form (lower case), cached: asked of many pieces."""
    found = _readings_cache.get(word)
    if found is None:
        found = _readings_cache[word] = tuple(
            (a.get("CLASS") or "", a["BASEFORM"].lower()) for a in handle.analyze(word) if a.get("BASEFORM"))
    return found


def _analyse(handle, word: str) -> Analysis | None:
    analyses = handle.analyze(word)
    if not analyses:
        return _split_unknown(handle, word)
    # Voikko lists its likeliest reading first, but when that is a verb and the word is also
    # the base form of another word class, made of no more parts, it is read as that (tapa,
    # tuki, vuosi, pieni: not the imperative of tappaa, nor forms of tukea, vuotaa, pieniä;
    # but voimassa stays a form of voima, not voi + massa). Of the readings with that base
    # form, the one of fewest parts (nuoriso + takuu, not nuori + sota + kuu).
    first = analyses[0]
    base_form = first.get("BASEFORM") or word
    if first.get("CLASS") == _VERB:
        parts = _part_count(first)
        base_form = next((a["BASEFORM"] for a in analyses if a.get("CLASS") != _VERB and _part_count(a) <= parts
                          and (a.get("BASEFORM") or "").lower() == word), base_form)
    same = [a for a in analyses if a.get("BASEFORM") == base_form]
    reading = min(same, key=_part_count)
    base = base_form.lower()
    if base_form[:1].isupper() or any(a.get("CLASS") in _NAMES for a in same):
        return Analysis(base)  # Pohjanmaa is one place, not pohja + maa
    return Analysis(base, _parts(handle, base, reading.get("WORDBASES") or ""))


def _part_count(analysis: dict) -> int:
    """How many words a reading is made of (Voikko's STRUCTURE starts each with "=")."""
    return (analysis.get("STRUCTURE") or "").count("=")


def _parts(handle, base: str, wordbases: str) -> tuple[str, ...]:
    """A compound's parts from Voikko's WORDBASES: each part's base form, the last one as it
    stands in the compound's base form (jalka + pallo + toiminta, not toimia)."""
    components: list[list[str]] = []  # [surface, base] per word the compound is made of
    for surface, morpheme_base in _SEGMENT.findall(wordbases):
        # A derivational ending ("+us" in brackets, or a bare short "+n") joins the word before it.
        if components and (morpheme_base.startswith("+") or (not morpheme_base and len(surface) < 3)):
            components[-1][0] += surface
            components[-1].append("derived")
        elif surface or morpheme_base:
            components.append([surface, morpheme_base or surface])
    found: list[str] = []
    if len(components) == 1 and "=" in components[0][1]:
        components = [[piece, piece] for piece in components[0][1].split("=")]
    if len(components) < 2:
        return ()
    prefix = "".join(component[0] for component in components[:-1]).lower()
    for surface, morpheme_base, *derived in components[:-1]:
        if derived and _is_base_form(handle, surface.lower()):
            found.append(surface.lower())  # yhdistys in yhdistysmestari, not yhdistää
            continue
        for piece in morpheme_base.lower().split("="):
            # "työhön" in the dictionary's työhön=valmennus is itself a form: take its base;
            # but a piece that is a noun's base form stays one (the elin of elinkeino, which
            # on its own Voikko reads first as a form of elää)
            if piece and not _is_base_form(handle, piece):
                piece = (analyse(piece) or Analysis(piece)).lemma
            found.append(piece)
        if "=" in morpheme_base:
            found.append(morpheme_base.lower().replace("=", ""))
    last = base[len(prefix):] if base.startswith(prefix) else components[-1][1].lower()
    if "=" in last:
        found.extend(last.split("="))
        last = last.replace("=", "")
    found.append(last)
    # A later piece that is no word (the llinen of alueellinen, the tava of saatavilla) is an
    # ending, no part; a first one (the sosiaali of sosiaalityö, the vertais of vertaistuki) is
    # the form a word takes at the start of compounds, and stays.
    return tuple(dict.fromkeys(part for at, part in enumerate(found)
                               if len(part) > 1 and part != base and (at == 0 or _is_word(handle, part))))


def _split_unknown(handle, word: str) -> Analysis | None:
    """An unknown word as known word + rest (kiipula + säätiö) or rest + known (perhe + futis)."""
    if len(word) < _MIN_SPLIT_WORD or not word.isalpha():
        return None
    for cut in range(_MIN_PART - 1, len(word) - _MIN_PART + 1):  # the longest known end first
        end = _known(handle, word[cut:])
        if end:
            return Analysis(word, tuple(dict.fromkeys((end, *words(word[cut:])[1:]))))
    for cut in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):  # the longest known start
        start = word[:cut]
        if _is_base_form(handle, start):
            return Analysis(word, (start, word[cut:]))
    return None
