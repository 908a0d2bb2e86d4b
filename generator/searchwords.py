"""Extra words for the site search: what Pagefind's Snowball stems cannot find on their own.

Pagefind stems a page's words and the reader's query with Snowball Finnish, which gives one
word's forms different stems (a query "nuorten" misses a page that says "nuoret") and never
splits a compound ("valmennus" misses "työhönvalmennus"). So every record page carries a hidden,
low-weight list of words (``_pagefind.md.j2``): the base forms and compound parts of the page's
words (generator/finnish.py) and the other forms of those base forms that occur anywhere in the
content, one per Snowball stem and only stems the page does not already have. A query in any
form the site uses then finds every page with any form of the word.

The list also carries the words of the page's Perustiedot values (organisations, places,
target groups, themes), whose table the index leaves out (search.EXCLUDED_SELECTORS) so that
excerpts show record text rather than a run of field labels.

Without Voikko the list holds only the Perustiedot words: Snowball is all there is.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

import snowballstemmer

from . import finnish
from .linker import REF_FIELDS, VOCAB_FIELDS, Site
from .model import EDITOR_ONLY

# Fields whose values are identifiers, addresses or dates, not words.
_NOT_TEXT = frozenset({"id", "url", "urls", "email", "phone", "added", "modified", "image", "file", "path",
                       "related", "not_related"})
_WORD = re.compile(r"[^\W\d_]{2,}")


def _strings(value: Any, name: str = "") -> Iterable[str]:
    if isinstance(value, str):
        if name not in VOCAB_FIELDS and name not in REF_FIELDS and name not in _NOT_TEXT:
            yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            if key not in _NOT_TEXT:
                yield from _strings(inner, key)
    elif isinstance(value, (list, tuple)):
        for inner in value:
            yield from _strings(inner, name)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class SearchWords:
    """Per record id, the hidden search words of its page (built once per render, lazily)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._stemmer = snowballstemmer.stemmer("finnish").stemWord
        self._stems: dict[str, str] = {}  # word -> its Snowball stem: pages share most words
        # Per record, its distinct words (sorted). A tuple of shared strings: the content has
        # far fewer distinct words than records have words (1,741 against 249,000 at 1,000
        # synthetic records), and sets of fresh strings took hundreds of MB at 10,000.
        self._page_words: dict[str, tuple[str, ...]] | None = None
        self._forms: dict[str, set[str]] = {}  # base form -> the forms the content uses
        # word -> (stem, form) of each form of its base forms and parts, as of() adds them:
        # worked out once per word, not again on every page that has it
        self._expansions: dict[str, tuple[tuple[str, str], ...]] = {}

    def _record_text(self, record) -> list[str]:
        return list(_strings(record.data.model_dump(mode="json", exclude=EDITOR_ONLY)))

    def _facts_text(self, record) -> list[str]:
        """The words of its Perustiedot values: vocabulary labels and related records' titles."""
        site, data = self.site, record.data
        out: list[str] = []
        for name, vocabulary in VOCAB_FIELDS.items():
            values = getattr(data, name, None)
            values = [values] if isinstance(values, str) else values or []
            out.extend(site.label(vocabulary, v) for v in values if isinstance(v, str))
        out.extend(site.label("regions", v) for v in site.regions.get(record.id, ()))
        out.extend(site.label("counties", v) for v in site.counties.get(record.id, ()))
        for relation in site.relations.get(record.id, {}):
            out.extend(r.data.title for r in site.related(record.id, relation))
        return out

    def _stem(self, word: str) -> str:
        found = self._stems.get(word)
        if found is None:
            found = self._stems[word] = self._stemmer(word)
        return found

    def learn(self) -> dict[str, tuple[str, ...]]:
        """Every record's words and the forms the content uses (done once, on first use; the
        renderer calls it before forking, so that worker processes share it)."""
        if self._page_words is None:
            use_voikko = finnish.available()
            self._page_words = {}
            shared: dict[str, str] = {}
            for record in self.site.records.values():
                words: set[str] = set()
                for text in self._record_text(record):
                    words.update(_words(text))
                self._page_words[record.id] = tuple(sorted(shared.setdefault(w, w) for w in words))
                if use_voikko:
                    for word in words:
                        found = finnish.analyse(word)
                        if found:
                            self._forms.setdefault(found.lemma, {found.lemma}).add(word)
                            for part in found.parts:
                                self._forms.setdefault(part, {part})
        return self._page_words

    def _expanded(self, word: str) -> tuple[tuple[str, str], ...]:
        found = self._expansions.get(word)
        if found is None:
            stem = self._stem
            found = self._expansions[word] = tuple(
                (stem(form), form) for base in finnish.words(word) for form in sorted(self._forms.get(base, (base,))))
        return found

    def of(self, record) -> str:
        """The page's hidden search words, space-separated, sorted (empty when none)."""
        page_words = self.learn().get(record.id, ())
        facts: set[str] = set()
        for text in self._facts_text(record):
            facts.update(_words(text))
        stem = self._stem
        have = {stem(w) for w in page_words}
        extra: dict[str, str] = {}
        for word in sorted(facts):
            extra.setdefault(stem(word), word)
        if self._forms:
            for word in sorted(facts.union(page_words)):  # one word per stem, the same in every process
                for stem_of_form, form in self._expanded(word):
                    extra.setdefault(stem_of_form, form)
        return " ".join(sorted(w for s, w in extra.items() if s not in have or w in facts))
