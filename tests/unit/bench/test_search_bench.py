"""The quote search's benchmark: its database of generated quotes, the naive pandas scan it is
compared with, and the figures it reports."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from insights import store
from insights.bench.data import build_quotes_db
from insights.bench.search import QUERIES, bench_search, prepare_scan, scan_search
from insights.domain import PUBLISHED
from insights.filters import Filters
from insights.quotes import search
from tests.unit.quotes.corpus import PUBLISHED_IDS, build_corpus

SEARCH_KEYS = {
    "quotes",
    "queries",
    "search_p50_ms",
    "search_p95_ms",
    "search_scan_p50_ms",
    "search_scan_p95_ms",
    "search_speedup",
}


@pytest.fixture(scope="module")
def corpus_conn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """The search tests' small corpus (read only)."""
    connection = store.connect(tmp_path_factory.mktemp("search-bench") / "corpus.sqlite")
    build_corpus(connection)
    yield connection
    connection.close()


# --- the naive scan -------------------------------------------------------------------------------


def test_prepare_scan_keeps_published_quotes_with_their_folded_text(corpus_conn: sqlite3.Connection) -> None:
    frame = prepare_scan(store.load_quotes(corpus_conn))
    assert set(frame["quote_id"]) == PUBLISHED_IDS
    folded = dict(zip(frame["quote_id"], frame["folded"], strict=True))
    assert folded["q07"] == "les reseaux sociaux demandent une veille de chaque jour."


def test_scan_search_finds_folded_substrings(corpus_conn: sqlite3.Connection) -> None:
    frame = prepare_scan(store.load_quotes(corpus_conn))
    found = scan_search(frame, "Réseaux veille")
    assert list(found["quote_id"]) == ["q07"]
    assert list(found["score"]) == [2]
    assert list(scan_search(frame, "trolls")["quote_id"]) == ["q02"]  # no stemming: "trolls" only
    # Best first: the quote holding both words, then those holding one.
    assert list(scan_search(frame, "troll page")["quote_id"])[:1] == ["q02"]
    assert len(scan_search(frame, "", limit=3)) == 3
    # Unprepared quotes are folded on the way (unpublished ones left out).
    assert list(scan_search(store.load_quotes(corpus_conn), "supprimez")["quote_id"]) == []


# --- the figures ----------------------------------------------------------------------------------


def test_bench_search_reports_the_cli_figures(corpus_conn: sqlite3.Connection) -> None:
    figures: dict[str, Any] = bench_search(corpus_conn, QUERIES[:3], repeats=2)
    assert set(figures) == SEARCH_KEYS
    assert figures["quotes"] == len(PUBLISHED_IDS)
    assert figures["queries"] == 3
    assert 0 < figures["search_p50_ms"] <= figures["search_p95_ms"]
    assert 0 < figures["search_scan_p50_ms"] <= figures["search_scan_p95_ms"]


def test_bench_search_needs_a_query_and_a_repeat(corpus_conn: sqlite3.Connection) -> None:
    with pytest.raises(ValueError, match="at least one query"):
        bench_search(corpus_conn, (), repeats=1)
    with pytest.raises(ValueError, match="at least one query"):
        bench_search(corpus_conn, QUERIES[:1], repeats=0)


# --- the database of generated quotes ---------------------------------------------------------------


def test_the_bench_database_holds_generated_quotes_indexed_for_search(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "bench.sqlite")
    try:
        published = build_quotes_db(conn, 300, seed=3)
        quotes = store.load_quotes(conn)
        assert len(quotes) == 300
        assert published == (quotes["status"] == PUBLISHED).sum() > 200
        assert store.table_counts(conn)["responses"] == 0
        assert search.count_quotes(conn, Filters()) == published
        assert search.search_quotes(conn, Filters(query="troll"), limit=5)
        figures = bench_search(conn, QUERIES[:2], repeats=1)
        assert figures["quotes"] == published
        assert set(figures) == SEARCH_KEYS
        with pytest.raises(ValueError, match="empty database"):
            build_quotes_db(conn, 10)
    finally:
        conn.close()


def test_the_bench_database_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    texts = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        conn = store.connect(tmp_path / f"{name}.sqlite")
        try:
            build_quotes_db(conn, 50, seed=seed)
            texts.append(store.load_quotes(conn)["text"].tolist())
        finally:
            conn.close()
    assert texts[0] == texts[1]
    assert texts[0] != texts[2]
