"""The quote search's benchmark: the wall's search (SQLite FTS5) against a naive pandas scan over
the same published quotes, on the same queries."""

from __future__ import annotations

import gc
import sqlite3
import statistics
import time
from collections.abc import Callable, Sequence

import pandas as pd

from insights import store
from insights.domain import PUBLISHED
from insights.filters import Filters
from insights.language.text import FRENCH_STOPWORDS, fold, tokenize
from insights.quotes import search

QUERIES: tuple[str, ...] = (
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
    "Est-ce que je peux tutoyer les abonnés quand je gère le compte d'une banque ?",
    "Comment je fais si un influenceur mécontent me menace de faire un bad buzz ?",
)
"""Queries a student would type, for `bench_search`: words, expressions, a quoted phrase and long
questions (whose partial matches the index ranks by the words they hold)."""


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


def _percentile(samples: Sequence[float], percent: int) -> float:
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[percent - 1]


def time_queries(
    runs: dict[str, Callable[[str], object]],
    queries: Sequence[str],
    repeats: int,
    before_each: Callable[[], None] = lambda: None,
) -> dict[str, list[float]]:
    """Milliseconds of each timed run of each query, per run name. A query's first run of each
    kind is not timed (caches, pages); `before_each` runs untimed before every timed run."""
    timings: dict[str, list[float]] = {name: [] for name in runs}
    for query in queries:
        for run in runs.values():
            run(query)
        for _ in range(repeats):
            for name, run in runs.items():
                before_each()
                gc.collect()
                gc.disable()  # as timeit does: a collection triggered by another step is not this one's
                try:
                    start = time.perf_counter()
                    run(query)
                    timings[name].append((time.perf_counter() - start) * 1000)
                finally:
                    gc.enable()
    return timings


def bench_search(
    conn: sqlite3.Connection, queries: Sequence[str] = QUERIES, repeats: int = 5
) -> dict[str, float | int]:
    """Time `search_quotes` and `scan_search` on the same queries; milliseconds per query.

    Keys: `quotes` (published quotes searched), `queries`, `search_p50_ms`, `search_p95_ms`,
    `search_scan_p50_ms`, `search_scan_p95_ms`, `search_speedup` (scan p95 / search p95).
    The first run of each query (caches, pages) is not timed.
    """
    if not queries or repeats < 1:
        raise ValueError("bench_search needs at least one query and one repeat")
    frame = prepare_scan(store.load_quotes(conn, status=PUBLISHED))
    runs = {
        "search": lambda q: search.search_quotes(conn, Filters(query=q)),
        "scan": lambda q: scan_search(frame, q),
    }
    timings = time_queries(runs, queries, repeats)
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
