"""The semantic search's benchmark: the wall's fused search (query embedded by the real model,
lexical and semantic rankings fused) against the lexical search alone, in the same run, over
databases of generated published quotes; the indexing throughput; the database's growth.

Embedding 100,000 generated quotes with the model would take well over an hour on two cores, so
the corpus's stored vectors are a documented stand-in: random unit vectors (float32, as the model's)
written under the model's name. Queries are embedded by the real model at every timed run (its
cache is cleared), so the timings include the query's embedding. Random vectors are never near a
query, so the fused runs use `min_similarity=-1`: the semantic side always brings its pool and the
whole fusion runs, as for a real query that finds meaning.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from insights import store
from insights.bench.data import build_quotes_db
from insights.bench.search import QUERIES, _percentile, time_queries
from insights.filters import Filters
from insights.language.embedding import DIMENSIONS, Embedder, default_embedder, use_embedder
from insights.quotes import search, semantic

BENCH_FUSION = replace(search.FUSION, min_similarity=-1.0)
GOAL_P95_MS = 60.0
THROUGHPUT_QUOTES = 64


def database_bytes(conn: sqlite3.Connection) -> int:
    """The database's size in bytes (its pages, the write-ahead log checkpointed)."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    return pages * conn.execute("PRAGMA page_size").fetchone()[0]


def add_stand_in_vectors(conn: sqlite3.Connection, model: str, seed: int = 7) -> int:
    """Store a random unit vector under `model` for every published quote lacking one; return how many."""
    stale = store.stale_quote_vectors(conn, model)
    rng = np.random.default_rng(seed)
    with store.transaction(conn):
        for start in range(0, len(stale), 10_000):
            chunk = stale[start : start + 10_000]
            vectors = rng.standard_normal((len(chunk), DIMENSIONS)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            store.write_quote_vectors(conn, [quote_id for quote_id, _ in chunk], vectors, model)
    return len(stale)


def time_searches(
    conn: sqlite3.Connection, model: Embedder, queries: Sequence[str], repeats: int
) -> dict[str, list[float]]:
    """Milliseconds of each run of each query: `lexical` (the index alone) and `fused`."""
    runs: dict[str, Callable[[str], object]] = {
        "lexical": lambda q: search.search_quotes(conn, Filters(query=q), 20, search.LEXICAL_ONLY),
        "fused": lambda q: search.search_quotes(conn, Filters(query=q), 20, BENCH_FUSION, model),
    }

    def fresh_query() -> None:
        semantic._queries.clear()  # the query is embedded again at every timed run
        semantic._scores.clear()

    return time_queries(runs, queries, repeats, fresh_query)


def bench_corpus(
    conn: sqlite3.Connection, model: Embedder, queries: Sequence[str] = QUERIES, repeats: int = 5
) -> dict[str, Any]:
    """Stand-in vectors for the corpus of `conn`, then the timings and the size growth."""
    before = database_bytes(conn)
    added = add_stand_in_vectors(conn, model.name)
    growth = database_bytes(conn) - before
    published = store.published_quote_count(conn)
    timings = time_searches(conn, model, queries, repeats)
    figures: dict[str, Any] = {"published_quotes": published, "vectors_added": added}
    for name, samples in timings.items():
        figures[f"{name}_p50_ms"] = round(_percentile(samples, 50), 2)
        figures[f"{name}_p95_ms"] = round(_percentile(samples, 95), 2)
    figures["fused_over_lexical_p95"] = round(
        figures["fused_p95_ms"] / max(figures["lexical_p95_ms"], 1e-6), 2
    )
    figures["db_growth_mb"] = round(growth / 1e6, 1)
    figures["db_growth_bytes_per_quote"] = round(growth / max(added, 1))
    return figures


def indexing_throughput(model: Embedder, conn: sqlite3.Connection, count: int = THROUGHPUT_QUOTES) -> float:
    """Quotes embedded by the model and stored per second (texts of `conn`'s published quotes)."""
    texts = [text for _, text in store.stale_quote_vectors(conn, "none")[:count]]
    if not texts:
        return float("nan")
    start = time.perf_counter()
    model.passages(texts)
    return round(len(texts) / (time.perf_counter() - start), 1)


def bench_semantic(
    main_path: str | None,
    sizes: Sequence[int] = (10_000,),
    progress: Callable[[str], None] = lambda message: None,
    queries: Sequence[str] = QUERIES,
    repeats: int = 5,
    model: Embedder | None = None,
) -> dict[str, Any]:
    """The semantic search's figures: per corpus (each of `sizes`, generated, then the database at
    `main_path`), the fused and lexical latencies and the size growth; and the model's indexing
    throughput. Empty (with a `semantic_unavailable` reason) when no model runs."""
    model = model or default_embedder()
    if model is None:
        return {"semantic_unavailable": "modèle d'embeddings indisponible"}
    result: dict[str, Any] = {"semantic_model": model.name, "semantic_corpora": []}
    with tempfile.TemporaryDirectory() as workdir:
        for size in sizes:
            progress(f"Recherche sémantique : corpus de {size:,} citations générées…".replace(",", "\u202f"))
            path = Path(workdir) / f"quotes-{size}.sqlite"
            conn = store.connect(path)
            try:
                with use_embedder(None):  # the stand-in vectors are written afterwards
                    build_quotes_db(conn, size)
                if not result.get("indexing_quotes_per_s"):
                    result["indexing_quotes_per_s"] = indexing_throughput(model, conn)
                result["semantic_corpora"].append(bench_corpus(conn, model, queries, repeats))
            finally:
                conn.close()
            os.remove(path)
    if main_path is not None:
        progress("Recherche sémantique : base principale du banc d'essai…")
        conn = store.connect(main_path)
        try:
            result["semantic_corpora"].append(bench_corpus(conn, model, queries, repeats))
        finally:
            conn.close()
    result["semantic_goal_p95_ms"] = GOAL_P95_MS
    return result


def report_lines(result: dict[str, Any], number: Callable[..., str]) -> list[str]:
    """The semantic figures as the report prints them (French)."""
    if "semantic_unavailable" in result:
        return [f"Recherche sémantique : non mesurée ({result['semantic_unavailable']})."]
    if "semantic_corpora" not in result:
        return []
    n = number
    lines = [
        "",
        f"Recherche fusionnée (mots + sens, {result['semantic_model']}) contre recherche par mots seuls, "
        "médiane / p95 par requête, embedding de la requête compris :",
    ]
    for corpus in result["semantic_corpora"]:
        lines.append(
            f"  {n(corpus['published_quotes'], 0):>9} citations : fusionnée {n(corpus['fused_p50_ms'])} / "
            f"{n(corpus['fused_p95_ms'])} ms, mots seuls {n(corpus['lexical_p50_ms'])} / "
            f"{n(corpus['lexical_p95_ms'])} ms (p95 × {n(corpus['fused_over_lexical_p95'], 2)}) ; "
            f"base +{n(corpus['db_growth_mb'])} Mo ({n(corpus['db_growth_bytes_per_quote'], 0)} octets par citation)"
        )
    worst = max(corpus["fused_p95_ms"] for corpus in result["semantic_corpora"])
    lines += [
        f"  Indexation par le modèle : {n(result.get('indexing_quotes_per_s'))} citations par seconde",
        "  Vecteurs du corpus : vecteurs unitaires aléatoires (substitut documenté) ; requêtes : vrai modèle.",
        f"  Objectif p95 ≤ {n(GOAL_P95_MS, 0)} ms : {'atteint' if worst <= GOAL_P95_MS else 'NON atteint'} "
        f"(pire p95 {n(worst)} ms)",
    ]
    return lines
