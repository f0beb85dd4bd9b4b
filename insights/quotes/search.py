"""The quote wall's search: SQLite FTS5 over published quotes, with French stems and synonyms.

The index is created by the store's migration 2 and kept in step with `quotes` by triggers
(`insights.store.quote_index`).

A query is split into units (`compile_query`): a quoted phrase is searched as written; any other
word, or known expression ("bad buzz"), by its stems or, more broadly, by those of its synonyms.
Results come in tiers (`QuoteHit.score`): every unit as typed, ranked by bm25 (the rarer the word
and the shorter the quote, the better); then every unit or a synonym of it, most recent first;
then for a query of several units, some of them (as typed or by a synonym), the more of them the
better (coordination level), then by bm25 of the words as typed. Within a bm25 ranking, equal
relevance goes to the most recent talk. When more than `RANKING_WINDOW` quotes match, the most
recent of them are ranked, so that a broad query costs no more than a precise one.

The SQL lives in the store (`insights.store.quote_index`).

That lexical ranking is fused with a semantic one (`insights.quotes.semantic`: the published quotes
nearest to the whole query by sentence embedding) when a model runs (`search_quotes`, `Fusion`);
question words and filler are dropped on the lexical side only; `spelling_correction` corrects a
query against the published quotes' own words, and `related_quotes` gives a quote's nearest ones.

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
from insights.language import spelling
from insights.language.embedding import Embedder, default_embedder
from insights.language.synonyms import expand, load_synonym_groups
from insights.language.text import FRENCH_STOPWORDS, fold, stem, tokenize, word_spans
from insights.quotes import semantic

MAX_QUERY_UNITS = 10
"""Words or expressions of a query searched at most; the rest of a very long query is ignored."""

RANKING_WINDOW = 1000
"""Matching quotes ranked at most per query tier: beyond that, the most recent ones."""

_CHUNK = 500  # ids bound per query, well under SQLite's limit on parameters

_INDEX_TOKEN = re.compile(r"[^\W_]+")  # a token of quotes_fts's unicode61 tokenizer

QUESTION_WORDS: frozenset[str] = frozenset(
    fold(word)
    for word in [
        "comment",
        "pourquoi",
        "quoi",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "quand",
        "combien",
        "est-ce",
        "qu'est-ce",
        "faire",
        "fais",
        "fait",
        "faut",
        "faudrait",
        "peux",
        "peut",
        "pouvons",
        "puis",
        "dois",
        "doit",
        "devons",
        "devrais",
        "devrait",
        "svp",
        "stp",
        "merci",
        "bonjour",
        "aide",
        "aidez",
        "aider",
        "conseil",
        "conseils",
        "idée",
        "idées",
        "normal",
        "vraiment",
        "bien",
        "alors",
        "donc",
        "gérer",
        "gère",
        "gere",
        "moment",
    ]
    for word in tokenize(word)
)
"""Question words and filler of a student's long question ("comment je fais si", "est-ce que"):
dropped from the lexical side when the query has other words (the semantic side reads the whole
sentence)."""


@dataclass(frozen=True)
class Fusion:
    """How the lexical and the semantic rankings are fused (reciprocal rank fusion).

    A quote's score is `lexical_weight / (k + its lexical rank)` plus `semantic_weight / (k + its
    semantic rank)`, plus `exact_bonus` when it has every word of the query as typed. The semantic
    side brings at most `semantic_pool` quotes, those at least `min_similarity` (cosine) from the
    query: below it, the nearest quotes of an unrelated query are noise. It ranks them by their
    cosine less `hub_weight` times their similarity to the query centroid (see
    `insights.quotes.semantic`). Chosen on the judged set of tests/data/search_eval (README there;
    `python -m insights search-eval`).
    """

    k: float = 5.0
    lexical_weight: float = 1.0
    semantic_weight: float = 1.5
    exact_bonus: float = 0.05
    min_similarity: float = 0.835
    semantic_pool: int = 10
    hub_weight: float = 1.0


FUSION = Fusion()
LEXICAL_ONLY = Fusion(semantic_weight=0.0)

LEXICAL_POOL = 50
"""Lexical results fused with the semantic ones at least (more when a page asks for more)."""

# Quoted phrases: "…", «…», “…”.
_PHRASE = re.compile(r'"([^"]*)"|«([^»]*)»|“([^”]*)”')


@dataclass(frozen=True)
class QuoteHit:
    """One quote found, with what the wall shows about it.

    `score` is higher for better hits. With the semantic side (see `search_quotes`) it is the fused
    score (reciprocal rank fusion). For the lexical ranking alone, its integer part is the tier: 3
    when the quote has every word of the query as typed (stems: plurals and accents aside), 2 when
    it has every word or a synonym of it, 1 when it has some of the words or their synonyms. Its
    fractional part, in [0, 1), is the bm25 relevance in tier 3 (0 in tier 2, ordered by date, and
    for an empty query); in tier 1, (words held − 1 + bm25 relevance of the words as typed) / the
    query's words, so that a quote holding more of the query's words comes first.
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

    def occurs_in(self, indexed: dict[str, list[str]]) -> bool:
        """Whether this phrase occurs in a quote's indexed columns (each a list of its tokens), as
        the index matches it."""
        pattern = _INDEX_TOKEN.findall(" ".join(self.tokens))
        tokens = indexed[self.column]
        size = len(pattern)
        return bool(pattern) and any(
            tokens[i : i + size] == pattern for i, token in enumerate(tokens) if token == pattern[0]
        )


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

    def held_by(self, indexed: dict[str, list[str]]) -> bool:
        """Whether a quote's indexed columns hold this unit, as typed or by a synonym."""
        return any(a.occurs_in(indexed) for a in (self.literal, *self.synonyms))


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
        """(score base, MATCH text, ranked by bm25) of the tiers of quotes having every unit, best
        first: as typed (bm25), then with synonyms (date). Quotes having some units are ranked
        apart (`_partial_matches`)."""
        tiers = [(3.0, self.match(every_unit=True, synonyms=False), True)]
        if self.has_synonyms:
            tiers.append((2.0, self.match(every_unit=True, synonyms=True), False))
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
    known expressions, each with its synonyms; function words are dropped, and so are question
    words and filler (QUESTION_WORDS) when the query has other words; unless the query has
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
    content = [w for w in tokenize(" ".join(segments)) if w not in FRENCH_STOPWORDS]
    keep_all = all(w in QUESTION_WORDS for w in content)
    for segment in segments:
        words = tokenize(segment)
        kept = words if keep_all else [w for w in words if w not in QUESTION_WORDS]
        for expansion in expand(" ".join(kept)):
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
    if len(compiled.units) > 1:
        for docid, score in _partial_matches(conn, compiled, filters, limit + len(ranked), ranked):
            ranked[docid] = score
            if len(ranked) == limit:
                break
    return list(ranked.items())


def indexed_tokens(words: str, stems: str) -> dict[str, list[str]]:
    """A quote's indexed columns (`store.indexed_columns`) as the tokens the index matches, by
    column name (what `QueryUnit.held_by` reads)."""
    return {"words": _INDEX_TOKEN.findall(words), "stems": _INDEX_TOKEN.findall(stems)}


def _partial_matches(
    conn: sqlite3.Connection,
    compiled: CompiledQuery,
    filters: Filters,
    wanted: int,
    exclude: dict[int, float],
) -> list[tuple[int, float]]:
    """(docid, score) of quotes having some of the query's units, best first: those holding more
    units (as typed or by a synonym) first, then by bm25 of the words as typed, then the most
    recent. The candidates are the best `wanted` quotes by bm25 of the words as typed and the
    latest `wanted` having a synonym, less those of `exclude` (see `QuoteHit.score`)."""
    relevance = dict(
        store.top_matches(
            conn, compiled.match(every_unit=False, synonyms=False), filters, True, wanted, RANKING_WINDOW
        )
    )
    candidates = list(relevance)
    if compiled.has_synonyms:
        synonyms = compiled.match(every_unit=False, synonyms=True)
        candidates += [
            docid for docid, _ in store.top_matches(conn, synonyms, filters, False, wanted, RANKING_WINDOW)
        ]
    docids = [docid for docid in dict.fromkeys(candidates) if docid not in exclude]
    columns = store.indexed_columns(conn, docids)
    units = len(compiled.units)
    scored = []
    for docid in docids:
        indexed = indexed_tokens(*columns.get(docid, ("", "")))
        held = min(max(sum(unit.held_by(indexed) for unit in compiled.units), 1), units - 1)
        bm25 = relevance.get(docid, 0.0)
        scored.append((docid, 1.0 + (held - 1 + bm25 / (1.0 + bm25)) / units))
    return sorted(scored, key=lambda item: -item[1])  # stable: ties stay in bm25, then date order


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


def _wants_semantic(query: str, fusion: Fusion) -> bool:
    """Whether the semantic side takes part: not for an exact phrase in quotation marks, nor for a
    query of function and question words only."""
    if fusion.semantic_weight <= 0 or _PHRASE.search(query):
        return False
    return any(w not in FRENCH_STOPWORDS and w not in QUESTION_WORDS for w in tokenize(query))


SEMANTIC_HINT_WORDS = 4
"""A query of at most this many content words is read by the model with the names of the synonym
groups its words belong to ("community guidelines" → "… (modération)"): the model knows French
community-management advice better than English jargon. Longer sentences are read as typed."""


def semantic_text(query: str) -> str:
    """What the model reads for `query`: the query, and for a short one the French names of its
    words' synonym groups."""
    content = [w for w in tokenize(query) if w not in FRENCH_STOPWORDS and w not in QUESTION_WORDS]
    if not content or len(content) > SEMANTIC_HINT_WORDS:
        return query
    names = dict.fromkeys(name for expansion in expand(query) for name in expansion.groups)
    hints = [name for name in names if fold(name) not in fold(query)]
    return f"{query} ({', '.join(hints)})" if hints else query


def semantic_hits(
    conn: sqlite3.Connection,
    filters: Filters,
    fusion: Fusion = FUSION,
    embedder: Embedder | None = None,
    themes: bool = True,
) -> list[tuple[int, float]]:
    """(docid, similarity) of the quotes the semantic side brings for `filters.query`: at most
    `fusion.semantic_pool`, each at least `fusion.min_similarity`; [] with no model."""
    if not _wants_semantic(filters.query, fusion):
        return []
    text = semantic_text(filters.query)
    return semantic.semantic_ranking(
        conn, text, filters, fusion.semantic_pool, embedder, themes, fusion.min_similarity, fusion.hub_weight
    )


def fuse(
    lexical: Sequence[tuple[int, float]], semantic_ranked: Sequence[tuple[int, float]], fusion: Fusion
) -> list[tuple[int, float]]:
    """The two rankings ((docid, score) best first) as one, by reciprocal rank fusion (see
    `Fusion`): (docid, fused score), best first; ties keep the lexical order, then the semantic."""
    scores = semantic.reciprocal_rank_fusion(
        [
            ([docid for docid, _ in lexical], fusion.lexical_weight),
            ([docid for docid, _ in semantic_ranked], fusion.semantic_weight),
        ],
        fusion.k,
    )
    for docid, score in lexical:
        if score >= 3.0:  # every word of the query, as typed
            scores[docid] += fusion.exact_bonus
    order = {
        docid: i
        for i, docid in enumerate(dict.fromkeys([d for d, _ in lexical] + [d for d, _ in semantic_ranked]))
    }
    return sorted(scores.items(), key=lambda item: (-item[1], order[item[0]]))


def search_quotes(
    conn: sqlite3.Connection,
    filters: Filters,
    limit: int = 20,
    fusion: Fusion = FUSION,
    embedder: Embedder | None = None,
) -> list[QuoteHit]:
    """The published quotes best matching `filters.query` under the other filters, best first, at
    most `limit`.

    Filters keep quotes having any of the given themes, speakers, organisation types, cohorts and
    semesters (an empty filter keeps all; the cohort and semester are those of the quote's talk,
    so a quote with no known talk passes neither). An empty query, or one with no word to search,
    lists the quotes by talk date, most recent first. Any text is a valid query.

    The lexical ranking (the index, tiers and bm25) is fused with the semantic one (the quotes
    nearest to the whole query in meaning, see `semantic_hits`) by `fuse`; with no model, or
    `fusion=LEXICAL_ONLY`, the lexical ranking alone, and `QuoteHit.score` is its tier score.
    """
    compiled = compile_query(filters.query)
    limit = int(limit)
    model = embedder or default_embedder()
    if compiled.is_empty or model is None or not _wants_semantic(filters.query, fusion):
        return _hits(conn, _rank(conn, compiled, filters, limit), compiled)
    lexical = _rank(conn, compiled, filters, max(limit, LEXICAL_POOL))
    near = semantic_hits(conn, filters, fusion, model)
    if not near:
        return _hits(conn, lexical[:limit], compiled)
    return _hits(conn, fuse(lexical, near, fusion)[:limit], compiled)


def _semantic_only(
    conn: sqlite3.Connection, compiled: CompiledQuery, near: Sequence[tuple[int, float]]
) -> list[int]:
    """The docids of `near` that the lexical side does not match."""
    docids = [docid for docid, _ in near]
    match = _match(compiled)
    matched = store.matching_among(conn, match, docids) if match else set(docids)
    return [docid for docid in docids if docid not in matched]


def count_quotes(
    conn: sqlite3.Connection, filters: Filters, fusion: Fusion = FUSION, embedder: Embedder | None = None
) -> int:
    """How many published quotes match the search and the filters (with no limit): those the
    lexical side matches, and those the semantic side brings."""
    compiled = compile_query(filters.query)
    total = store.count_matches(conn, _match(compiled), filters)
    if compiled.is_empty:
        return total
    return total + len(_semantic_only(conn, compiled, semantic_hits(conn, filters, fusion, embedder)))


def theme_counts(
    conn: sqlite3.Connection, filters: Filters, fusion: Fusion = FUSION, embedder: Embedder | None = None
) -> dict[str, int]:
    """For each theme id (all of them, 0 included), how many quotes of the current search have it,
    whatever the theme filter: each count is what choosing that theme would show."""
    compiled = compile_query(filters.query)
    counts = store.theme_counts(conn, _match(compiled), filters)
    if compiled.is_empty:
        return counts
    near = semantic_hits(conn, filters, fusion, embedder, themes=False)
    for themes in store.docid_themes(conn, _semantic_only(conn, compiled, near)).values():
        for theme in themes:
            counts[theme] = counts.get(theme, 0) + 1
    return counts


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


# --- related quotes and spelling --------------------------------------------------------------

RELATED_COUNT = 3


def related_quotes(
    conn: sqlite3.Connection, quote_id: str, limit: int = RELATED_COUNT, embedder: Embedder | None = None
) -> list[QuoteHit]:
    """The published quotes nearest in meaning to the published quote `quote_id`, itself excluded
    ("Conseils proches"), best first; [] when it is not published or there is no model."""
    docid = store.docid_of(conn, quote_id)
    if docid is None:
        return []
    return _hits(conn, semantic.nearest_quotes(conn, docid, limit, embedder), compile_query(""))


_spellers: dict[tuple[object, int], tuple[spelling.Speller, dict[str, str]]] = {}


@lru_cache(maxsize=1)
def _synonym_spellings() -> dict[str, str]:
    """Folded word → as written in the synonyms table (with its accents)."""
    written: dict[str, str] = {}
    for group in load_synonym_groups():
        for expression in group.expressions:
            for word in expression.split():
                folded = tokenize(word)
                if len(folded) == 1:
                    written.setdefault(folded[0], word.lower())
    return written


def _speller(conn: sqlite3.Connection) -> spelling.Speller:
    key = (semantic._database_key(conn), store.data_version(conn))
    cached = _spellers.get(key)
    if cached is None:
        synonyms = _synonym_spellings()
        vocabulary = dict(store.index_vocabulary(conn))
        for word in synonyms:
            vocabulary.setdefault(word, 1)
        cached = (spelling.Speller(vocabulary, also_known=QUESTION_WORDS), {})
        _spellers.clear()
        _spellers[key] = cached
    return cached[0]


def _written(conn: sqlite3.Connection, word: str) -> str:
    """How a folded word of the index is written in a quote (its accents), for the wall to show."""
    known = _synonym_spellings().get(word)
    if known:
        return known
    text = store.quote_text_with_word(conn, word)
    if text:
        words, starts, ends = word_spans(text)
        for folded, start, end in zip(words, starts, ends, strict=True):
            if folded == word:
                return text[start:end].lower()
    return word


def spelling_correction(conn: sqlite3.Connection, query: str) -> spelling.Correction | None:
    """`query` with its misspelt words corrected against the published quotes' own words (and the
    synonyms table's), or None when every word is known (see `insights.language.spelling`)."""
    if not query.strip():
        return None
    speller = _speller(conn)
    first = spelling.correct_query(query, speller)
    if first is None:
        return None
    spelled = {fold(corrected): _written(conn, fold(corrected)) for _, corrected in first.words}
    return spelling.correct_query(query, speller, spelled)
