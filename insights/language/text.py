"""The French text pipeline: folding, tokenising, stop words and stemming.

Shared by the search index, the synonyms table, the theme tagger and the survey term counts,
so that a word is reduced the same way wherever it is compared. The search index stores the
output of `words_text` and `stem_text`: after a change here, rebuild it
(`insights.store.rebuild_search_index`).

>>> tokenize("L’écoute, c'est d'abord l'innovation !")
['ecoute', 'est', 'abord', 'innovation']
>>> terms("Les trolls passionnés d'Œuvres")
['troll', 'passion', 'oeuvr']
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import snowballstemmer

APOSTROPHES = "'’‘ʼ`´′"
"""Characters typed as an apostrophe; `fold` turns them all into `'`."""

_NON_ASCII = re.compile(r"[^\x00-\x7f]")

# The marks of accented French letters once decomposed (NFKD), removed first and fast.
_COMMON_MARKS = "\u0300\u0301\u0302\u0303\u0308\u0327\u030a"

ELISIONS: tuple[str, ...] = (
    "c",
    "d",
    "j",
    "l",
    "m",
    "n",
    "s",
    "t",
    "qu",
    "jusqu",
    "lorsqu",
    "puisqu",
    "quoiqu",
    "presqu",
)
"""Folded elided words dropped before an apostrophe: "d'écoute" is the word "ecoute"."""

# On folded text: an optional elision, then a word (letters and digits); "aujourd'hui" is one word.
_TOKEN_PATTERN = r"(?<![^\W_])(?:(?:" + "|".join(ELISIONS) + r")'(?=[^\W_]))?(aujourd'hui|[^\W_]+)"
_TOKEN = re.compile(_TOKEN_PATTERN)
_ASCII_TOKEN = re.compile(_TOKEN_PATTERN, re.ASCII)  # same matches on ASCII text, faster


def fold(text: str) -> str:
    """Lowercase `text`, remove accents, expand ligatures (œ→oe, æ→ae) and normalise apostrophes.

    Each character folds on its own, so folding a text is folding its characters one by one.

    >>> fold("Œuvre d’Ève À CÔTÉ")
    "oeuvre d'eve a cote"
    """
    if text.isascii() and "`" not in text:
        return text.lower()
    for apostrophe in APOSTROPHES[1:]:
        if apostrophe in text:
            text = text.replace(apostrophe, "'")
    # casefold again: a compatibility decomposition may give capitals ("ℌ" is "H").
    folded = unicodedata.normalize("NFKD", text.casefold()).casefold().replace("œ", "oe").replace("æ", "ae")
    for mark in _COMMON_MARKS:
        if mark in folded:
            folded = folded.replace(mark, "")
    others = set(_NON_ASCII.findall(folded))
    if "`" in folded:  # from a decomposition (U+1FEF)
        others.add("`")
    for char in others:
        if char in APOSTROPHES:
            folded = folded.replace(char, "'")
        elif unicodedata.combining(char):
            folded = folded.replace(char, "")
    return folded


class Token(NamedTuple):
    """One word of a text: its folded form and its character span in the original text."""

    word: str
    start: int
    end: int


def _word(match: re.Match[str]) -> str:
    word = match.group(1)
    return word.replace("'", "") if "'" in word else word


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return fold(char)


def word_spans(text: str) -> tuple[list[str], list[int], list[int]]:
    """`tokenize_spans` as three parallel lists (words, starts, ends): the fast form."""
    if all(len(_fold_char(char)) == 1 for char in set(text)):
        # Each character folds to one: offsets in the folded text are offsets in `text`.
        folded = fold(text)
        pattern = _ASCII_TOKEN if folded.isascii() else _TOKEN
        matches = list(pattern.finditer(folded))
        return [_word(m) for m in matches], [m.start(1) for m in matches], [m.end(1) for m in matches]
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded_char = _fold_char(char)
        pieces.append(folded_char)
        origin.extend([index] * len(folded_char))
    matches = list(_TOKEN.finditer("".join(pieces)))
    return (
        [_word(m) for m in matches],
        [origin[m.start(1)] for m in matches],
        [origin[m.end(1) - 1] + 1 for m in matches],
    )


def tokenize_spans(text: str) -> list[Token]:
    """The words of `text` as `tokenize` gives them, each with its span in the original `text`.

    Spans index the original string (before folding), so a caller can highlight what it shows.

    >>> tokenize_spans("L’Œuvre")
    [Token(word='oeuvre', start=2, end=7)]
    """
    return [Token(*fields) for fields in zip(*word_spans(text), strict=True)]


def tokenize(text: str) -> list[str]:
    """The folded words of `text`, elisions removed ("qu'il" → "il", "l’innovation" → "innovation")."""
    return list(_tokens(text))


@lru_cache(maxsize=256)
def _tokens(text: str) -> tuple[str, ...]:
    # Cached so that the index's two columns, computed from the same text, tokenise it once.
    folded = fold(text)
    pattern = _ASCII_TOKEN if folded.isascii() else _TOKEN
    return tuple(_word(m) for m in pattern.finditer(folded))


_STEMMER = snowballstemmer.stemmer("french")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The French Snowball stem of one word, folded first so accents never change the result.

    A plural `s` is dropped first, and a final folded `ee` (from "-ée") shortened, which Snowball
    handles on accented words only: "passionnée", "passionnees" and "passionné" share a stem.
    """
    folded = fold(word)
    if len(folded) > 3 and folded.endswith("s") and not folded.endswith("ss"):
        folded = folded[:-1]
    if len(folded) > 3 and folded.endswith("ee"):
        folded = folded[:-1]
    return _STEMMER.stemWord(folded)


_STOPWORDS_TEXT = """
a à au aux avec ce ces dans de des du elle en et eux il ils je la le les leur leurs lui ma mais me
même mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa se ses son sur ta te tes toi
ton tu un une vos votre vous c d j l m n s t y ça ceci cela celle celles celui ceux cet cette ici
là quel quels quelle quelles sans soi soit donc or ni car si comme quand lorsque puisque dont
chez vers entre sous dès depuis pendant avant après alors aussi encore déjà très trop peu plus moins
tout tous toute toutes autre autres même mêmes chaque quelque quelques aucun aucune certain
certains certaines tel telle tels telles ainsi bien cependant pourtant enfin puis etc
été étée étées étés étant suis es est sommes êtes sont serai seras sera serons serez seront serais
serait serions seriez seraient étais était étions étiez étaient fus fut fûmes fûtes furent sois
soyons soyez soient fusse fusses fût fussions fussiez fussent ayant eu eue eues eus ai as avons avez
ont aurai auras aura aurons aurez auront aurais aurait aurions auriez auraient avais avait avions
aviez avaient eut eûmes eûtes eurent aie aies ait ayons ayez aient eusse eusses eût eussions
eussiez eussent jusqu lorsqu puisqu quoiqu être avoir
"""

FRENCH_STOPWORDS: frozenset[str] = frozenset(fold(word) for word in _STOPWORDS_TEXT.split())
"""Folded French function words (articles, pronouns, prepositions, être and avoir…) left out of
search terms and term counts."""


def is_stopword(word: str) -> bool:
    """True when the folded `word` is a French function word."""
    return fold(word) in FRENCH_STOPWORDS


def terms(text: str, drop_stopwords: bool = True) -> list[str]:
    """The stems of the words of `text`, in order; stop words left out unless asked.

    >>> terms("Un troll sur notre page")
    ['troll', 'pag']
    """
    return [stem(word) for word in _tokens(text) if not (drop_stopwords and word in FRENCH_STOPWORDS)]


def words_text(text: str) -> str:
    """The folded words of `text` joined by spaces, stop words kept: the exact-phrase index column."""
    return " ".join(_tokens(text))


def stem_text(text: str) -> str:
    """The stems of the content words of `text` joined by spaces: the stemmed index column."""
    return " ".join(terms(text))
