"""Spelling correction of search queries against a vocabulary (the quote index's own words).

A query word is corrected only when it is unknown (not in the vocabulary, not a function word,
not a word of the synonyms table, not a word of the French or English dictionaries that
pyspellchecker ships: "banque" is a word even when no quote uses it; nor a word sharing its stem
with a known word, which the index matches anyway: "youtubeurs"), long enough to judge (four
letters or more) and close to a known word: one edit for words of up to seven letters, two beyond
(symspellpy's symmetric delete lookup, a transposition counting as one edit; ties go to the most
frequent word). Accents never count as errors: words are compared folded, as the index stores
them.

Two edits are allowed for long words only. Allowed from six letters, they "corrected" words
students type that no dictionary holds ("emojis", "galérer", "taguer", "Vinted") into other words
("mois", "gérer", "gagner", "vite"), while most typos are one edit away (see `TWO_EDITS_FROM`).

>>> speller = Speller({"moderation": 12, "modeste": 2}, dictionary=False)
>>> speller.correct_word("moderasion")
'moderation'
>>> speller.correct_word("moderation") is None
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from spellchecker import SpellChecker
from symspellpy import SymSpell, Verbosity

from insights.language.text import FRENCH_STOPWORDS, fold, stem, word_spans

MIN_LENGTH = 4


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str]:
    """The folded words of pyspellchecker's French and English dictionaries (read once, ~1 s)."""
    words: set[str] = set()
    for language in ("fr", "en"):
        words.update(
            fold(word) for word in SpellChecker(language=language, distance=1).word_frequency.dictionary
        )
    return frozenset(words)


TWO_EDITS_FROM = 8
"""Length from which a typed word may be two edits away from the word meant. Measured on the
demo's words (tests/unit/quotes/test_semantic_search.py): one-edit typos are corrected back 92 %
of the time, two-edit typos of eight letters or more 98 %; of 237 words students type that are
not typos (tests/data/search_eval/real_words.txt), 2 are changed ("ratp", "resto"), against 23
when two edits were allowed from six letters."""


def max_distance(word: str) -> int:
    """Edits allowed to correct `word`: 1 up to seven letters, 2 from `TWO_EDITS_FROM`."""
    return 2 if len(word) >= TWO_EDITS_FROM else 1


class Speller:
    """A vocabulary (folded word → how often it occurs) and the lookup structure over it."""

    def __init__(
        self, vocabulary: Mapping[str, int], also_known: Iterable[str] = (), dictionary: bool = True
    ) -> None:
        known = set(vocabulary) | set(also_known) | FRENCH_STOPWORDS
        self._known_stems = {stem(word) for word in known}
        self._dictionary = dictionary
        self._symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word, count in vocabulary.items():
            if len(word) >= 3 and word.isalpha() and word not in FRENCH_STOPWORDS:
                self._symspell.create_dictionary_entry(word, max(int(count), 1))

    def knows(self, word: str) -> bool:
        return stem(word) in self._known_stems or (self._dictionary and word in dictionary_words())

    def correct_word(self, word: str) -> str | None:
        """The known word `word` was probably meant as, or None (known, too short, or nothing close)."""
        if self.knows(word) or len(word) < MIN_LENGTH or not word.isalpha():
            return None
        suggestions = self._symspell.lookup(word, Verbosity.CLOSEST, max_edit_distance=max_distance(word))
        if not suggestions:
            return None
        best = max(suggestions, key=lambda s: (-s.distance, s.count, s.term))
        return best.term if best.term != word else None


@dataclass(frozen=True)
class Correction:
    """A query with its misspelt words replaced: `corrected` (what is searched), `original` (what
    was typed) and the (typed, corrected) pairs of words."""

    original: str
    corrected: str
    words: tuple[tuple[str, str], ...]


def correct_query(
    query: str, speller: Speller, spelled: Mapping[str, str] | None = None
) -> Correction | None:
    """`query` with its misspelt words replaced by the known words they most likely are (the rest of
    the text kept as typed), or None when nothing needs correcting. `spelled` maps a folded word
    to how to write it (with its accents) in the corrected query; missing ones are written folded.
    Quoted phrases are left as typed.
    """
    words, starts, ends = word_spans(query)
    quoted = _quoted_ranges(query)
    pieces: list[str] = []
    changes: list[tuple[str, str]] = []
    position = 0
    for word, start, end in zip(words, starts, ends, strict=True):
        if any(a <= start < b for a, b in quoted):
            continue
        replacement = speller.correct_word(word)
        if replacement is None:
            continue
        written = (spelled or {}).get(replacement, replacement)
        pieces.append(query[position:start])
        pieces.append(written)
        changes.append((query[start:end], written))
        position = end
    if not changes:
        return None
    pieces.append(query[position:])
    return Correction(query, "".join(pieces), tuple(changes))


def _quoted_ranges(query: str) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for opening, closing in (('"', '"'), ("«", "»"), ("“", "”")):
        start = query.find(opening)
        while start != -1:
            end = query.find(closing, start + 1)
            if end == -1:
                break
            ranges.append((start, end))
            start = query.find(opening, end + 1)
    return ranges
