"""The quote wall's search: SQLite FTS5 over published quotes, with French stems and synonyms.

The index is created by the store's migration 2 and kept in step with `quotes` by triggers
(`insights.store.quote_index`).

A query is split into units (`compile_query`): a quoted phrase is searched as written; any other
word, or known expression ("bad buzz"), by its stems or, more broadly, by those of its synonyms.
Results come in tiers (`QuoteHit.score`): every unit as typed, ranked by bm25 (the rarer the word
and the shorter the quote, the better); then every unit or a synonym of it, most recent first;
then for a query of several units, some of them as typed (bm25), then some with synonyms (date).
Within a bm25 tier, equal relevance goes to the most recent talk. When more than
`RANKING_WINDOW` quotes match, the most recent of them are ranked, so that a broad query costs
no more than a precise one.

The SQL lives in the store (`insights.store.quote_index`).

>>> compiled = compile_query('trolls "bad buzz"')
>>> compiled.match(every_unit=True, synonyms=False)
'(words : "bad buzz") AND (stems : "troll")'
"""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from typing import Any

from insights import store
from insights.filters import Filters
from insights.language.synonyms import expand
from insights.language.text import FRENCH_STOPWORDS, stem, tokenize, word_spans

MAX_QUERY_UNITS = 10
"""Words or expressions of a query searched at most; the rest of a very long query is ignored."""

RANKING_WINDOW = 1000
"""Matching quotes ranked at most per query tier: beyond that, the most recent ones."""

_CHUNK = 500  # ids bound per query, well under SQLite's limit on parameters

# Quoted phrases: "…", «…», “…”.
_PHRASE = re.compile(r'"([^"]*)"|«([^»]*)»|“([^”]*)”')


@dataclass(frozen=True)
class QuoteHit:
    """One quote found, with what the wall shows about it.

    `score` is higher for better hits. Its integer part is the tier: 3 when the quote has every
    word of the query as typed (stems: plurals and accents aside), 2 when it has every word or a
    synonym of it, 1 when it has some of the words, 0 some words or synonyms; its fractional part
    is the bm25 relevance in [0, 1) (0 in the tiers ordered by date, and for an empty query).
    `matched_terms` are the words of `text`, as written, that match the query (for highlighting).
    """

    quote_id: str
    text: str
    speaker_id: str
    speaker: str
    title: str
    organisation: str
    org_type: str
    intervention_id: str | None
    intervention_title: str | None
    date: str | None
    cohort: str | None
    themes: tuple[str, ...]
    score: float
    matched_terms: tuple[str, ...]


@dataclass(frozen=True)
class Alternative:
    """One way a unit may appear in a quote: a phrase of stems or of folded words."""

    column: str  # "stems" or "words", a column of quotes_fts
    tokens: tuple[str, ...]

    def fts(self) -> str:
        """This phrase as FTS5 query text: a column filter and a quoted string, never user syntax."""
        phrase = " ".join(self.tokens).replace('"', '""')
        return f'{self.column} : "{phrase}"'


@dataclass(frozen=True)
class QueryUnit:
    """A word, expression or quoted phrase of the query: what it is written as, and its synonyms."""

    label: str
    literal: Alternative
    synonyms: tuple[Alternative, ...] = ()

    def fts(self, synonyms: bool) -> str:
        """The unit as FTS5 query text: the phrase typed, or also any of its synonyms."""
        alternatives = [self.literal, *(self.synonyms if synonyms else ())]
        return " OR ".join(a.fts() for a in alternatives)


@dataclass(frozen=True)
class CompiledQuery:
    """A user's query reduced to units; empty when it has nothing to search for."""

    units: tuple[QueryUnit, ...]

    @property
    def is_empty(self) -> bool:
        return not self.units

    @property
    def has_synonyms(self) -> bool:
        return any(unit.synonyms for unit in self.units)

    def match(self, every_unit: bool, synonyms: bool) -> str:
        """FTS5 MATCH text for quotes having every unit (or at least one), as typed (or also by a
        synonym)."""
        operator = " AND " if every_unit else " OR "
        return operator.join(f"({unit.fts(synonyms)})" for unit in self.units)

    def tiers(self) -> list[tuple[float, str, bool]]:
        """(score base, MATCH text, ranked by bm25) of each result tier, best tier first."""
        plans = [(3.0, True, False, True), (2.0, True, True, False)]
        if len(self.units) > 1:
            plans += [(1.0, False, False, True), (0.0, False, True, False)]
        tiers: list[tuple[float, str, bool]] = []
        for base, every_unit, synonyms, by_relevance in plans:
            if synonyms and not self.has_synonyms:
                continue
            tiers.append((base, self.match(every_unit, synonyms), by_relevance))
        return tiers

    def alternatives(self) -> list[Alternative]:
        return [a for unit in self.units for a in (unit.literal, *unit.synonyms)]


def _alternative(expression: str) -> Alternative:
    words = tuple(tokenize(expression))
    content = tuple(stem(w) for w in words if w not in FRENCH_STOPWORDS)
    return Alternative("stems", content) if content else Alternative("words", words)


@lru_cache(maxsize=512)
def compile_query(query: str) -> CompiledQuery:
    """Split a user's query into search units, whatever characters it holds.

    Quoted phrases ("…", «…», “…”) become exact-phrase units; the rest is split into words and
    known expressions, each with its synonyms; function words are dropped, unless the query has
    nothing else, in which case the query's words are searched as one phrase. Punctuation and
    FTS5 operators typed by the user (AND, OR, NOT, NEAR, *, ^, :, brackets) are plain words or
    separators here: only the words reach the index, each inside a quoted FTS5 string.
    """
    units: list[QueryUnit] = []
    labels: set[str] = set()

    def add(unit: QueryUnit) -> None:
        if unit.label not in labels and len(units) < MAX_QUERY_UNITS:
            labels.add(unit.label)
            units.append(unit)

    segments: list[str] = []
    position = 0
    for match in _PHRASE.finditer(query):
        segments.append(query[position : match.start()])
        position = match.end()
        words = tuple(tokenize(next(g for g in match.groups() if g is not None)))
        if words:
            add(QueryUnit(f'"{" ".join(words)}"', Alternative("words", words)))
    segments.append(query[position:])
    for segment in segments:
        for expansion in expand(segment):
            literal = _alternative(expansion.expression)
            synonyms = {_alternative(a) for a in expansion.alternatives} - {literal}
            ordered = tuple(sorted(synonyms, key=lambda a: (a.column, a.tokens)))
            add(QueryUnit(expansion.expression, literal, ordered))
    if not units:
        words = tuple(tokenize(query))
        if words:
            add(QueryUnit(" ".join(words), Alternative("words", words[:50])))
    return CompiledQuery(tuple(units))


# --- highlighting -----------------------------------------------------------------------------


def _find_spans(text: str, compiled: CompiledQuery) -> list[tuple[int, int]]:
    """Spans of `text` where an alternative of the query occurs, merged and sorted."""
    if compiled.is_empty or not text:
        return []
    by_column: dict[str, set[tuple[str, ...]]] = {"stems": set(), "words": set()}
    for alternative in compiled.alternatives():
        if alternative.tokens:
            by_column[alternative.column].add(alternative.tokens)
    words, starts, ends = word_spans(text)
    content = [i for i, word in enumerate(words) if word not in FRENCH_STOPWORDS]
    sequences = {
        "words": (words, starts, ends),
        "stems": (
            [stem(words[i]) for i in content],
            [starts[i] for i in content],
            [ends[i] for i in content],
        ),
    }
    spans: list[tuple[int, int]] = []
    for column, patterns in by_column.items():
        keys, key_starts, key_ends = sequences[column]
        positions: dict[str, list[int]] = {}
        for index, key in enumerate(keys):
            positions.setdefault(key, []).append(index)
        for pattern in patterns:
            size = len(pattern)
            for index in positions.get(pattern[0], ()):
                if size == 1 or tuple(keys[index : index + size]) == pattern:
                    spans.append((key_starts[index], key_ends[index + size - 1]))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Character spans `(start, end)` of `text` that match `query`, sorted and not overlapping.

    Matching is the search's own: accents, case, plurals and synonyms do not matter, quoted
    phrases must appear as written. Spans index the original `text`, so the UI can escape each
    piece and wrap the matched ones.

    >>> text = "Les Trolls, on les ignore."
    >>> [text[a:b] for a, b in highlight_spans(text, "troll")]
    ['Trolls']
    """
    return _find_spans(text, compile_query(query))


# --- the search -------------------------------------------------------------------------------


def _rank(
    conn: sqlite3.Connection, compiled: CompiledQuery, filters: Filters, limit: int
) -> list[tuple[int, float]]:
    """(docid, score) of the best `limit` quotes, best first (see `QuoteHit.score`)."""
    if limit <= 0:
        return []
    if compiled.is_empty:
        return [(docid, 0.0) for docid in store.latest_matches(conn, filters, limit)]
    ranked: dict[int, float] = {}
    for base, match, by_relevance in compiled.tiers():
        # Earlier tiers' quotes match this tier too: fetch enough to fill the page without them.
        for docid, relevance in store.top_matches(
            conn, match, filters, by_relevance, limit + len(ranked), RANKING_WINDOW
        ):
            if docid not in ranked:
                ranked[docid] = base + relevance / (1.0 + relevance)
                if len(ranked) == limit:
                    return list(ranked.items())
    return list(ranked.items())


def _hits(
    conn: sqlite3.Connection, ranked: Sequence[tuple[int, float]], compiled: CompiledQuery
) -> list[QuoteHit]:
    """Full records of the ranked `(docid, score)` pairs, in their order."""
    records = store.quote_records(conn, [docid for docid, _ in ranked])
    hits = []
    for docid, score in ranked:
        record = records.get(docid)
        if record is None:
            continue
        spans = _find_spans(record["text"], compiled)
        hits.append(
            QuoteHit(
                quote_id=record["quote_id"],
                text=record["text"],
                speaker_id=record["speaker_id"],
                speaker=record["name"],
                title=record["title"],
                organisation=record["organisation"],
                org_type=record["org_type"],
                intervention_id=record["intervention_id"],
                intervention_title=record["intervention_title"],
                date=record["date"],
                cohort=record["cohort"],
                themes=record["themes"],
                score=score,
                matched_terms=tuple(dict.fromkeys(record["text"][a:b] for a, b in spans)),
            )
        )
    return hits


def _match(compiled: CompiledQuery) -> str | None:
    """The MATCH text of the quotes a search counts: any unit or synonym (None: every quote)."""
    return None if compiled.is_empty else compiled.match(every_unit=False, synonyms=True)


def search_quotes(conn: sqlite3.Connection, filters: Filters, limit: int = 20) -> list[QuoteHit]:
    """The published quotes best matching `filters.query` under the other filters, best first, at
    most `limit`.

    Filters keep quotes having any of the given themes, speakers, organisation types, cohorts and
    semesters (an empty filter keeps all; the cohort and semester are those of the quote's talk,
    so a quote with no known talk passes neither). An empty query, or one with no word to search,
    lists the quotes by talk date, most recent first. Any text is a valid query.
    """
    compiled = compile_query(filters.query)
    return _hits(conn, _rank(conn, compiled, filters, int(limit)), compiled)


def count_quotes(conn: sqlite3.Connection, filters: Filters) -> int:
    """How many published quotes match the search and the filters (with no limit)."""
    return store.count_matches(conn, _match(compile_query(filters.query)), filters)


def theme_counts(conn: sqlite3.Connection, filters: Filters) -> dict[str, int]:
    """For each theme id (all of them, 0 included), how many quotes of the current search have it,
    whatever the theme filter: each count is what choosing that theme would show."""
    return store.theme_counts(conn, _match(compile_query(filters.query)), filters)


def random_quote(conn: sqlite3.Connection, filters: Filters, rng_seed: int | None = None) -> QuoteHit | None:
    """A published quote drawn at random among those the filters keep (the query aside); None
    when there is none. The same seed on the same data draws the same quote."""
    kept = replace(filters, query="")
    total = store.count_matches(conn, None, kept)
    if total == 0:
        return None
    docid = store.nth_match(conn, kept, random.Random(rng_seed).randrange(total))
    return _hits(conn, [(docid, 0.0)], compile_query(""))[0] if docid is not None else None


def get_quote(conn: sqlite3.Connection, quote_id: str, query: str = "") -> QuoteHit | None:
    """The published quote `quote_id` as the wall shows it (its words matching `query` in
    `matched_terms`); None when no published quote has this id."""
    docid = store.docid_of(conn, quote_id)
    return _hits(conn, [(docid, 0.0)], compile_query(query))[0] if docid is not None else None


def hits_to_json(hits: Sequence[QuoteHit]) -> list[dict[str, Any]]:
    """Hits as JSON-ready dicts (the CLI's `search --json`): every QuoteHit field, lists for tuples."""
    records = []
    for hit in hits:
        record = asdict(hit)
        record["themes"] = list(hit.themes)
        record["matched_terms"] = list(hit.matched_terms)
        record["score"] = round(hit.score, 6)
        records.append(record)
    return records
