"""Free-text answers ("Le conseil que je retiens", "Ce qui pourrait être amélioré"): one tokenizer
for every use of them. The store counts their terms per talk at write time (`answer_terms`, shown
in the survey's term charts); a speaker's profile shows the expressions students share
(`frequent_expressions`), built on the same tokens.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

import pandas as pd

from insights.domain import ANONYMITY_THRESHOLD
from insights.language.text import FRENCH_STOPWORDS, fold, stem, word_spans


class AnswerToken(NamedTuple):
    """A word of an answer: folded (`word`), its stem, and its span in the original text."""

    word: str
    stem: str
    start: int
    end: int


@lru_cache(maxsize=50_000)
def answer_tokens(text: str) -> tuple[AnswerToken, ...]:
    """Every word of `text` with its stem and span (cached: answers often repeat word for word)."""
    words, starts, ends = word_spans(text)
    return tuple(
        AnswerToken(word, stem(word), start, end)
        for word, start, end in zip(words, starts, ends, strict=True)
    )


ANSWER_STOPWORDS: frozenset[str] = FRENCH_STOPWORDS | frozenset(
    fold(word)
    for word in [
        "faut",
        "falloir",
        "jamais",
        "seulement",
        "vraiment",
        "toujours",
        "souvent",
        "beaucoup",
        "assez",
        "plutôt",
        "surtout",
        "faire",
        "fait",
        "fais",
        "font",
        "peut",
        "peux",
        "peuvent",
        "pouvoir",
        "chose",
        "choses",
        "bon",
        "bonne",
    ]
)
"""Stop words of the term counts: the pipeline's, plus adverbs and light verbs that fill survey
answers without saying what they are about."""


def answer_terms(text: str) -> list[tuple[str, str]]:
    """The content words of a free-text answer as (stem, surface word in lower case).

    Stop words (ANSWER_STOPWORDS), single letters and numbers are left out; the stem is
    `insights.language.text.stem`, so accents, case and plurals fold together.
    """
    return [
        (token.stem, text[token.start : token.end].lower())
        for token in answer_tokens(text)
        if token.word not in ANSWER_STOPWORDS and len(token.word) > 1 and not token.word.isdigit()
    ]


def representative_word(spellings: Counter[str]) -> str:
    """The word shown for a term, from how often each spelling of it was written: the most
    written word once accents are set aside, in its accented spelling when someone wrote one
    (accents get left out far more often than added), else its most written spelling."""
    by_word: Counter[str] = Counter()
    for spelling, count in spellings.items():
        by_word[fold(spelling)] += count
    word = min(by_word.items(), key=lambda item: (-item[1], item[0]))[0]
    candidates = [(count, spelling) for spelling, count in spellings.items() if fold(spelling) == word]
    return min(candidates, key=lambda item: (item[1].isascii(), -item[0], item[1]))[1]


# Punctuation that ends a clause: an expression never runs across it, so that a lead-in such as
# "Ce que je retiens :" or "Surtout," does not glue itself to the advice that follows.
_CLAUSE_BREAK = re.compile(r"[.!?;:,()\[\]«»\"“”…–—/\n]")

# A short lead-in ending with a colon ("Ce que je retiens :", "Le conseil principal :") is not advice.
_LEAD_IN = re.compile(r"^[^.!?:\n]{0,40}:")

NEGATIONS: frozenset[str] = frozenset({"ne", "pas", "jamais", "sans", "aucun", "aucune", "rien", "ni"})
"""Folded stop words kept in expressions: without them "pas besoin de répondre la nuit" would read
as its opposite."""

EXPRESSION_COLUMNS = ["expression", "answers", "share"]


def frequent_expressions(
    texts: Iterable[str | None],
    min_answers: int = ANONYMITY_THRESHOLD,
    max_words: int = 10,
    limit: int = 8,
    overlap: float = 0.8,
) -> pd.DataFrame:
    """The expressions most free-text answers share, each cited by at least `min_answers` answers.

    An expression is a run of 2 to `max_words` content words within one clause, compared by
    stems (accents, case, plurals and stop words ignored: "répondre à chaud à un troll" and
    "Ne jamais repondre a chaud aux trolls" share one). A shorter expression is dropped when a
    longer one containing it is cited by nearly as many answers (`overlap`), and one mostly cited
    by the same answers as a kept expression at least as long, sharing a word with it, is
    skipped: each piece of advice appears once, in full. Shown in its most frequent wording. Columns: expression, answers (count),
    share (of the non-empty answers); most cited first, at most `limit` rows.
    """
    answers = [text for text in texts if isinstance(text, str) and text.strip()]
    citing: dict[tuple[str, ...], set[int]] = {}
    wordings: dict[tuple[str, ...], Counter[str]] = {}
    for index, text in enumerate(answers):
        for key, wording in _expressions_of(text, max_words):
            citing.setdefault(key, set()).add(index)
            wordings.setdefault(key, Counter())[wording] += 1
    frequent = {key: ids for key, ids in citing.items() if len(ids) >= max(min_answers, 1)}
    # A frequent expression is absorbed by a longer one holding it that nearly as many cite.
    absorbed: set[tuple[str, ...]] = set()
    for key, ids in frequent.items():
        for part in _parts(key):
            if part in frequent and len(ids) >= overlap * len(frequent[part]):
                absorbed.add(part)
    maximal = {key: ids for key, ids in frequent.items() if key not in absorbed}
    kept: list[tuple[tuple[str, ...], set[int]]] = []
    for key, ids in sorted(maximal.items(), key=lambda item: (-len(item[1]), -len(item[0]), item[0])):
        if any(
            len(other) >= len(key) and set(key) & set(other) and len(ids & other_ids) >= overlap * len(ids)
            for other, other_ids in kept
        ):
            continue
        kept.append((key, ids))
        if len(kept) == limit:
            break
    rows = [
        {
            "expression": _display(_preferred_wording(wordings[key])),
            "answers": len(ids),
            "share": len(ids) / len(answers),
        }
        for key, ids in kept
    ]
    return pd.DataFrame(rows, columns=EXPRESSION_COLUMNS)


@lru_cache(maxsize=20_000)
def _expressions_of(text: str, max_words: int) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Each expression (tuple of stems) of one answer with its wording in the answer (cached:
    short answers often repeat word for word)."""
    lead_in = _LEAD_IN.match(text)
    offset = lead_in.end() if lead_in else 0
    clauses: list[list[tuple[str, int, int]]] = [[]]
    clause_starts: list[int | None] = [None]  # where each clause's first word starts
    previous_end = offset
    for token in answer_tokens(text):
        if token.start < offset:
            continue
        if _CLAUSE_BREAK.search(text, previous_end, token.start):
            clauses.append([])
            clause_starts.append(None)
        if clause_starts[-1] is None:
            clause_starts[-1] = token.start
        previous_end = token.end
        if token.word in NEGATIONS:
            clauses[-1].append((token.word, token.start, token.end))
        elif token.word not in FRENCH_STOPWORDS:
            clauses[-1].append((token.stem, token.start, token.end))
    found: dict[tuple[str, ...], str] = {}
    for clause, clause_start in zip(clauses, clause_starts, strict=True):
        for size in range(2, max_words + 1):
            for start in range(len(clause) - size + 1):
                window = clause[start : start + size]
                key = tuple(word for word, _, _ in window)
                if key[-1] in NEGATIONS or sum(word not in NEGATIONS for word in key) < 2:
                    continue
                # An expression that opens its clause keeps the clause's first words ("Une ligne…").
                begin = clause_start if start == 0 and clause_start is not None else window[0][1]
                found.setdefault(key, text[begin : window[-1][2]])
    return tuple(found.items())


def _parts(key: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """The shorter runs of at least two words inside an expression."""
    for size in range(2, len(key)):
        for start in range(len(key) - size + 1):
            yield key[start : start + size]


def _preferred_wording(wordings: Counter[str]) -> str:
    """The most frequent wording; on a tie, the one written with accents, then the first."""
    return max(wordings.items(), key=lambda item: (item[1], sum(not c.isascii() for c in item[0])))[0]


def _display(wording: str) -> str:
    wording = " ".join(wording.split())
    return wording[:1].upper() + wording[1:]
