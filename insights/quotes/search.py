"""The quote wall's search: SQLite FTS5 over published quotes, with French stems and synonyms.

The index is created by the store's migration 2 and kept in step with `quotes` by triggers:
`quote_search` gives each published quote a docid that sorts by talk date, and `quotes_fts`
holds, per docid, `words` (the folded words, for exact phrases) and `stems` (the stems of the
content words).

A query is split into units (`compile_query`): a quoted phrase is searched as written; any other
word, or known expression ("bad buzz"), by its stems or, more broadly, by those of its synonyms.
Results come in tiers (`QuoteHit.score`): every unit as typed, ranked by bm25 (the rarer the word
and the shorter the quote, the better); then every unit or a synonym of it, most recent first;
then for a query of several units, some of them as typed (bm25), then some with synonyms (date).
Within a bm25 tier, equal relevance goes to the most recent talk. When more than
`RANKING_WINDOW` quotes match, the most recent of them are ranked, so that a broad query costs
no more than a precise one.

>>> compiled = compile_query('trolls "bad buzz"')
>>> compiled.match(every_unit=True, synonyms=False)
'(words : "bad buzz") AND (stems : "troll")'
"""

from __future__ import annotations

import gc
import random
import re
import sqlite3
import statistics
import time
from collections.abc import Sequence
from dataclasses import asdict, astuple, dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from insights import store
from insights.domain import PUBLISHED, THEME_IDS, split_list
from insights.language.synonyms import expand
from insights.language.text import FRENCH_STOPWORDS, fold, stem, tokenize, word_spans
from insights.store import load_quotes, transaction

MAX_QUERY_UNITS = 10
"""Words or expressions of a query searched at most; the rest of a very long query is ignored."""

RANKING_WINDOW = 1000
"""Matching quotes ranked at most per query tier: beyond that, the most recent ones."""

_CHUNK = 500  # ids bound per query, well under SQLite's limit on parameters

BENCH_QUERIES: tuple[str, ...] = (
    "troll",
    "un troll sur notre page",
    "bad buzz",
    "influenceur mécontent",
    "je n'ai pas de diplôme en com",
    "réseaux sociaux",
    "veille",
    "client en colère",
    '"ligne éditoriale"',
    "modération charte commentaires",
    "se déconnecter le soir",
    "transparence erreur",
)
"""Queries a student would type, for `bench_search`."""

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


# --- SQL ---------------------------------------------------------------------------------------


def _in(column: str, values: Sequence[str]) -> tuple[str, list[str]]:
    return f"{column} IN ({', '.join('?' for _ in values)})", list(values)


def _filters(
    themes: Sequence[str] | str = (),
    speaker_ids: Sequence[str] | str = (),
    org_types: Sequence[str] | str = (),
    cohorts: Sequence[str] | str = (),
    semesters: Sequence[str] | str = (),
) -> _Filters:
    """The filters as tuples; a single value passed as a string is that one value."""

    def values(given: Sequence[str] | str) -> tuple[str, ...]:
        return (given,) if isinstance(given, str) else tuple(given)

    return _Filters(
        values(themes), values(speaker_ids), values(org_types), values(cohorts), values(semesters)
    )


@dataclass(frozen=True)
class _Filters:
    """The filters of a search, each keeping quotes having any of its values (empty: all)."""

    themes: tuple[str, ...] = ()
    speaker_ids: tuple[str, ...] = ()
    org_types: tuple[str, ...] = ()
    cohorts: tuple[str, ...] = ()
    semesters: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.themes or self.speaker_ids or self.org_types or self.cohorts or self.semesters)

    def sql(self, whole_set: bool = False) -> tuple[str, list[Any]]:
        """Conditions on `quote_search d` (each starting with AND) and their parameters.

        The theme condition is per row (cheap when rows are read in docid order and a LIMIT
        stops early), or, with `whole_set`, a set SQLite builds once (cheap for counting).
        """
        conditions: list[str] = []
        params: list[Any] = []
        for template, values in (
            ("d.speaker_id IN ({})", self.speaker_ids),
            ("d.speaker_id IN (SELECT speaker_id FROM speakers WHERE org_type IN ({}))", self.org_types),
            (
                "d.intervention_id IN (SELECT intervention_id FROM interventions WHERE cohort IN ({}))",
                self.cohorts,
            ),
            (
                "d.intervention_id IN (SELECT intervention_id FROM interventions WHERE semester IN ({}))",
                self.semesters,
            ),
            (
                "d.quote_id IN (SELECT quote_id FROM quote_themes WHERE theme IN ({}))"
                if whole_set
                else "EXISTS (SELECT 1 FROM quote_themes t WHERE t.quote_id = d.quote_id AND t.theme IN ({}))",
                self.themes,
            ),
        ):
            if values:
                conditions.append("AND " + template.format(", ".join("?" for _ in values)))
                params.extend(values)
        return " ".join(conditions), params


def _matching_from(
    match: str, filters: _Filters, whole_set: bool = False, join_docs: bool = False
) -> tuple[str, list[Any]]:
    """`FROM … WHERE …` of the indexed quotes matching `match` and the filters.

    `quote_search d` is joined when filters need it or `join_docs` asks; CROSS JOIN keeps the FTS
    index the driving table, which bm25 needs.
    """
    conditions, params = filters.sql(whole_set)
    join = "CROSS JOIN quote_search d ON d.docid = quotes_fts.rowid" if filters.active or join_docs else ""
    return f"FROM quotes_fts {join} WHERE quotes_fts MATCH ? {conditions}", [match, *params]


def _top(
    conn: sqlite3.Connection, match: str, filters: _Filters, by_relevance: bool, limit: int
) -> list[tuple[int, float]]:
    """(docid, relevance ≥ 0) of the best `limit` quotes matching `match`, best first.

    By relevance: bm25, ties to the most recent; only the `RANKING_WINDOW` most recent matches
    are ranked (the window's oldest docid is found by walking the index in docid order, far
    cheaper than bm25 on every match). Otherwise: the most recent first, relevance 0.
    """
    source, params = _matching_from(match, filters)
    if not by_relevance:
        rows = conn.execute(
            f"SELECT quotes_fts.rowid {source} ORDER BY quotes_fts.rowid DESC LIMIT ?",
            [*params, limit],
        )
        return [(docid, 0.0) for (docid,) in rows]
    oldest = conn.execute(
        f"SELECT quotes_fts.rowid {source} ORDER BY quotes_fts.rowid DESC LIMIT 1 OFFSET ?",
        [*params, RANKING_WINDOW - 1],
    ).fetchone()
    window, window_params = ("AND quotes_fts.rowid >= ?", [oldest[0]]) if oldest else ("", [])
    rows = conn.execute(
        f"SELECT quotes_fts.rowid, -bm25(quotes_fts) AS relevance {source} {window} "
        "ORDER BY relevance DESC, quotes_fts.rowid DESC LIMIT ?",
        [*params, *window_params, limit],
    )
    return [(docid, relevance) for docid, relevance in rows]


def _rank(
    conn: sqlite3.Connection, compiled: CompiledQuery, filters: _Filters, limit: int
) -> list[tuple[int, float]]:
    """(docid, score) of the best `limit` quotes, best first (see `QuoteHit.score`)."""
    if limit <= 0:
        return []
    if compiled.is_empty:
        conditions, params = filters.sql()
        rows = conn.execute(
            f"SELECT d.docid FROM quote_search d WHERE 1 {conditions} ORDER BY d.docid DESC LIMIT ?",  # noqa: S608
            [*params, limit],
        )
        return [(docid, 0.0) for (docid,) in rows]
    ranked: dict[int, float] = {}
    for base, match, by_relevance in compiled.tiers():
        # Earlier tiers' quotes match this tier too: fetch enough to fill the page without them.
        for docid, relevance in _top(conn, match, filters, by_relevance, limit + len(ranked)):
            if docid not in ranked:
                ranked[docid] = base + relevance / (1.0 + relevance)
                if len(ranked) == limit:
                    return list(ranked.items())
    return list(ranked.items())


def _hits(
    conn: sqlite3.Connection, ranked: Sequence[tuple[int, float]], compiled: CompiledQuery
) -> list[QuoteHit]:
    """Full records of the ranked `(docid, score)` pairs, in their order."""
    rows: dict[int, sqlite3.Row] = {}
    themes: dict[str, list[str]] = {}
    docids = [docid for docid, _ in ranked]
    for start in range(0, len(docids), _CHUNK):
        condition, params = _in("d.docid", docids[start : start + _CHUNK])
        chunk = conn.execute(
            "SELECT d.docid, q.quote_id, q.text, q.speaker_id, s.name, s.title, s.organisation, s.org_type, "  # noqa: S608
            "q.intervention_id, i.title AS intervention_title, i.date, i.cohort "
            "FROM quote_search d JOIN quotes q ON q.quote_id = d.quote_id "
            "JOIN speakers s ON s.speaker_id = q.speaker_id "
            "LEFT JOIN interventions i ON i.intervention_id = q.intervention_id "
            f"WHERE {condition} AND q.status = ?",
            [*params, PUBLISHED],
        ).fetchall()
        rows.update((row["docid"], row) for row in chunk)
        if chunk:
            condition, params = _in("quote_id", [row["quote_id"] for row in chunk])
            for quote_id, theme in conn.execute(
                f"SELECT quote_id, theme FROM quote_themes WHERE {condition} ORDER BY quote_id, position",  # noqa: S608
                params,
            ):
                themes.setdefault(quote_id, []).append(theme)
    hits = []
    for docid, score in ranked:
        row = rows.get(docid)
        if row is None:
            continue
        spans = _find_spans(row["text"], compiled)
        hits.append(
            QuoteHit(
                quote_id=row["quote_id"],
                text=row["text"],
                speaker_id=row["speaker_id"],
                speaker=row["name"],
                title=row["title"],
                organisation=row["organisation"],
                org_type=row["org_type"],
                intervention_id=row["intervention_id"],
                intervention_title=row["intervention_title"],
                date=row["date"],
                cohort=row["cohort"],
                themes=tuple(themes.get(row["quote_id"], ())),
                score=score,
                matched_terms=tuple(dict.fromkeys(row["text"][a:b] for a, b in spans)),
            )
        )
    return hits


def search_quotes(
    conn: sqlite3.Connection,
    query: str,
    themes: Sequence[str] = (),
    limit: int = 20,
    speaker_ids: Sequence[str] = (),
    org_types: Sequence[str] = (),
    cohorts: Sequence[str] = (),
    semesters: Sequence[str] = (),
) -> list[QuoteHit]:
    """The published quotes best matching `query`, best first, at most `limit`.

    Filters keep quotes having any of the given themes, speakers, organisation types, cohorts
    and semesters (an empty filter keeps all; the cohort and semester are those of the quote's
    talk, so a quote with no known talk passes neither). An empty query, or one with no word to
    search, lists the quotes by talk date, most recent first. Any text is a valid query.
    """
    compiled = compile_query(query)
    filters = _filters(themes, speaker_ids, org_types, cohorts, semesters)
    return _hits(conn, _rank(conn, compiled, filters, int(limit)), compiled)


def count_quotes(
    conn: sqlite3.Connection,
    query: str,
    themes: Sequence[str] = (),
    speaker_ids: Sequence[str] = (),
    org_types: Sequence[str] = (),
    cohorts: Sequence[str] = (),
    semesters: Sequence[str] = (),
) -> int:
    """How many published quotes match `query` and the filters (with no limit)."""
    compiled = compile_query(query)
    filters = _filters(themes, speaker_ids, org_types, cohorts, semesters)
    if compiled.is_empty:
        conditions, params = filters.sql(whole_set=True)
        sql = f"SELECT COUNT(*) FROM quote_search d WHERE 1 {conditions}"  # noqa: S608
    else:
        source, params = _matching_from(
            compiled.match(every_unit=False, synonyms=True), filters, whole_set=True
        )
        sql = f"SELECT COUNT(*) {source}"
    return conn.execute(sql, params).fetchone()[0]


def theme_counts(
    conn: sqlite3.Connection,
    query: str,
    speaker_ids: Sequence[str] = (),
    org_types: Sequence[str] = (),
    cohorts: Sequence[str] = (),
    semesters: Sequence[str] = (),
) -> dict[str, int]:
    """For each theme id (all of them, 0 included), how many quotes of the current search have it.

    There is no theme filter: each count is what choosing that theme would show.
    """
    compiled = compile_query(query)
    filters = _filters((), speaker_ids, org_types, cohorts, semesters)
    if compiled.is_empty:
        conditions, params = filters.sql()
        results = f"SELECT d.quote_id FROM quote_search d WHERE 1 {conditions}"  # noqa: S608
    else:
        source, params = _matching_from(
            compiled.match(every_unit=False, synonyms=True), filters, join_docs=True
        )
        results = f"SELECT d.quote_id {source}"
    counts = dict.fromkeys(THEME_IDS, 0)
    sql = f"SELECT theme, COUNT(*) FROM quote_themes WHERE quote_id IN ({results}) GROUP BY theme"  # noqa: S608
    for theme, count in conn.execute(sql, params):
        counts[theme] = count
    return counts


def random_quote(
    conn: sqlite3.Connection,
    rng_seed: int | None = None,
    themes: Sequence[str] = (),
    speaker_ids: Sequence[str] = (),
    org_types: Sequence[str] = (),
    cohorts: Sequence[str] = (),
    semesters: Sequence[str] = (),
) -> QuoteHit | None:
    """A published quote drawn at random among those the filters keep; None when there is none.

    The same seed on the same data draws the same quote.
    """
    filters = _filters(themes, speaker_ids, org_types, cohorts, semesters)
    total = count_quotes(conn, "", *astuple(filters))
    if total == 0:
        return None
    conditions, params = filters.sql(whole_set=True)
    row = conn.execute(
        f"SELECT d.docid FROM quote_search d WHERE 1 {conditions} ORDER BY d.docid LIMIT 1 OFFSET ?",  # noqa: S608
        [*params, random.Random(rng_seed).randrange(total)],
    ).fetchone()
    return _hits(conn, [(row[0], 0.0)], compile_query(""))[0] if row else None


def get_quote(conn: sqlite3.Connection, quote_id: str, query: str = "") -> QuoteHit | None:
    """The published quote `quote_id` as the wall shows it (its words matching `query` in
    `matched_terms`); None when no published quote has this id."""
    row = conn.execute("SELECT docid FROM quote_search WHERE quote_id = ?", (quote_id,)).fetchone()
    return _hits(conn, [(row[0], 0.0)], compile_query(query))[0] if row else None


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


def rebuild_search_index(conn: sqlite3.Connection) -> int:
    """Re-index every published quote (after a change of the text pipeline); return how many.

    Needs a connection from `store.connect`, which registers the pipeline's SQL functions.
    """
    with transaction(conn):
        conn.execute("DELETE FROM quotes_fts")
        conn.execute("DELETE FROM quote_search")
        # As the store's migration 2 fills them.
        conn.execute(
            "INSERT INTO quote_search (docid, quote_id, speaker_id, intervention_id) "
            "SELECT day_base + row_number() OVER (PARTITION BY day_base ORDER BY quote_id) - 1, "
            "quote_id, speaker_id, intervention_id FROM quote_search_source"
        )
        conn.execute(
            "INSERT INTO quotes_fts (rowid, words, stems) "
            "SELECT s.docid, fr_words(q.text), fr_stems(q.text) "
            "FROM quote_search s JOIN quotes q ON q.quote_id = s.quote_id"
        )
        conn.execute("INSERT INTO quotes_fts (quotes_fts) VALUES ('optimize')")
    return conn.execute("SELECT COUNT(*) FROM quote_search").fetchone()[0]


def optimize_search_index(conn: sqlite3.Connection) -> None:
    """Merge the index's segments into one (worth it after a large import: faster queries)."""
    conn.execute("INSERT INTO quotes_fts (quotes_fts) VALUES ('optimize')")


# --- the naive reference and the benchmark ---------------------------------------------------


def prepare_scan(quotes: pd.DataFrame) -> pd.DataFrame:
    """The published quotes of `store.load_quotes` with a pre-folded `folded` column, for `scan_search`."""
    frame = quotes[quotes["status"] == PUBLISHED] if "status" in quotes.columns else quotes
    frame = frame.copy()
    frame["folded"] = frame["text"].map(fold)
    return frame


def scan_search(quotes: pd.DataFrame, query: str, limit: int = 20) -> pd.DataFrame:
    """A naive search for comparison: substring tests of each folded query word over all quotes.

    `quotes` comes from `prepare_scan` (or has `text`; folding it then costs every call). Returns
    the matching rows with a `score` (number of words found), best first, at most `limit`. No
    stemming, synonyms nor phrases: not used by the app, only by `bench_search`.
    """
    frame = quotes if "folded" in quotes.columns else prepare_scan(quotes)
    words = [w for w in dict.fromkeys(tokenize(query)) if w not in FRENCH_STOPWORDS]
    if not words:
        return frame.head(limit).assign(score=0)
    score = sum(frame["folded"].str.contains(w, regex=False).astype("int64") for w in words)
    found = frame.assign(score=score)
    found = found[found["score"] > 0]
    return found.sort_values("score", ascending=False, kind="stable").head(limit)


def _records(
    frame: pd.DataFrame, lists: Sequence[str] = (), nullable: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Rows of a template-format table as store records: `;`-lists split, missing cells None in
    the `nullable` columns and empty text elsewhere (as an import reads an empty cell)."""
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    for record in records:
        for column, value in record.items():
            if value is None and column not in nullable:
                record[column] = ""
        for column in lists:
            record[column] = split_list(record[column])
    return records


def build_bench_quotes_db(conn: sqlite3.Connection, quotes: int, seed: int = 1) -> int:
    """Fill an empty database with the demo's speakers and talks and `quotes` generated quotes
    (`demo.generate_scaled`, no survey response), indexed for search; return how many are published.

    The database `bench_search` runs on: `build_bench_quotes_db(store.connect(path), 100_000)`.
    """
    from insights.demo import generator as demo

    if not store.is_empty(conn):
        raise ValueError("build_bench_quotes_db needs an empty database")
    tables = demo.generate_scaled(responses=0, quotes=quotes, seed=seed)
    with transaction(conn):
        store.write_cohorts(conn, _records(tables["cohorts"]))
        store.write_speakers(conn, _records(tables["speakers"], nullable=("years_experience",)))
        store.write_interventions(conn, _records(tables["interventions"], ("speaker_ids", "themes")))
        store.write_quotes(conn, _records(tables["quotes"], ("themes",), nullable=("intervention_id",)))
    optimize_search_index(conn)
    return conn.execute("SELECT COUNT(*) FROM quote_search").fetchone()[0]


def _percentile(samples: Sequence[float], percent: int) -> float:
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[percent - 1]


def bench_search(
    conn: sqlite3.Connection, queries: Sequence[str] = BENCH_QUERIES, repeats: int = 5
) -> dict[str, float | int]:
    """Time `search_quotes` and `scan_search` on the same queries; milliseconds per query.

    Keys: `quotes` (published quotes searched), `queries`, `search_p50_ms`, `search_p95_ms`,
    `search_scan_p50_ms`, `search_scan_p95_ms`, `search_speedup` (scan p95 / search p95).
    The first run of each query (caches, pages) is not timed.
    """
    if not queries or repeats < 1:
        raise ValueError("bench_search needs at least one query and one repeat")
    frame = prepare_scan(load_quotes(conn, status=PUBLISHED))
    timings: dict[str, list[float]] = {"search": [], "scan": []}
    runs = {"search": lambda q: search_quotes(conn, q), "scan": lambda q: scan_search(frame, q)}
    for query in queries:
        for run in runs.values():
            run(query)
        for _ in range(repeats):
            for name, run in runs.items():
                gc.collect()
                gc.disable()  # as timeit does: a collection triggered by another step is not this one's
                try:
                    start = time.perf_counter()
                    run(query)
                    timings[name].append((time.perf_counter() - start) * 1000)
                finally:
                    gc.enable()
    search_p95 = _percentile(timings["search"], 95)
    scan_p95 = _percentile(timings["scan"], 95)
    return {
        "quotes": len(frame),
        "queries": len(queries),
        "search_p50_ms": round(_percentile(timings["search"], 50), 3),
        "search_p95_ms": round(search_p95, 3),
        "search_scan_p50_ms": round(_percentile(timings["scan"], 50), 3),
        "search_scan_p95_ms": round(scan_p95, 3),
        "search_speedup": round(scan_p95 / search_p95, 1) if search_p95 > 0 else float("inf"),
    }
