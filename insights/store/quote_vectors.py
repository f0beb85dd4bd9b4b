"""The sentence embeddings of published quotes (table `quote_vectors`), for the semantic search.

A published quote's vector is computed when it is written: every write that publishes or edits
quotes calls `refresh_quote_vectors` in its transaction, which embeds the published quotes that
have no vector of the current model (the new ones, the edited ones, whose vector the
`quote_vectors_stale` trigger removed, and any published before vectors existed). Queries only
read vectors: nothing is embedded at search time but the query itself. With no model
(`insights.language.embedding.default_embedder` is None), nothing is embedded and the search
stays lexical.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import numpy as np

from insights.domain import PUBLISHED
from insights.language.embedding import DIMENSIONS, Embedder, default_embedder

_BATCH = 256


def stale_quote_vectors(conn: sqlite3.Connection, model: str) -> list[tuple[str, str]]:
    """(quote_id, text) of the published quotes with no vector of `model`."""
    return conn.execute(
        "SELECT q.quote_id, q.text FROM quotes q LEFT JOIN quote_vectors v ON v.quote_id = q.quote_id "
        "WHERE q.status = ? AND (v.model IS NULL OR v.model != ?) ORDER BY q.quote_id",
        (PUBLISHED, model),
    ).fetchall()


def write_quote_vectors(
    conn: sqlite3.Connection, quote_ids: Sequence[str], vectors: np.ndarray, model: str
) -> None:
    """Store (replace) the vectors of these quotes, computed by `model`."""
    matrix = np.asarray(vectors, dtype=np.float32).reshape(len(quote_ids), DIMENSIONS)
    conn.executemany(
        "INSERT OR REPLACE INTO quote_vectors (quote_id, model, vector) VALUES (?, ?, ?)",
        [(quote_id, model, row.tobytes()) for quote_id, row in zip(quote_ids, matrix, strict=True)],
    )


def refresh_quote_vectors(conn: sqlite3.Connection, embedder: Embedder | None = None) -> int:
    """Embed the published quotes lacking a vector of the current model; return how many.

    `embedder` defaults to the process's model; with none, nothing is done (0).
    """
    published = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM quotes WHERE status = ?)", (PUBLISHED,)
    ).fetchone()[0]
    if not published:  # nothing to embed: the model need not even load (a new database)
        return 0
    model = embedder or default_embedder()
    if model is None:
        return 0
    stale = stale_quote_vectors(conn, model.name)
    for start in range(0, len(stale), _BATCH):
        chunk = stale[start : start + _BATCH]
        vectors = model.passages([text for _, text in chunk])
        write_quote_vectors(conn, [quote_id for quote_id, _ in chunk], vectors, model.name)
    return len(stale)


def published_vectors(conn: sqlite3.Connection, model: str) -> tuple[np.ndarray, np.ndarray]:
    """(docids, matrix): the index docid and the vector of every published quote having a vector
    of `model`, in docid order; matrix is (n, DIMENSIONS) float32."""
    rows = conn.execute(
        "SELECT d.docid, v.vector FROM quote_search d JOIN quote_vectors v ON v.quote_id = d.quote_id "
        "WHERE v.model = ? ORDER BY d.docid",
        (model,),
    ).fetchall()
    docids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    if not rows:
        return docids, np.zeros((0, DIMENSIONS), dtype=np.float32)
    matrix = np.frombuffer(b"".join(row[1] for row in rows), dtype=np.float32).reshape(len(rows), DIMENSIONS)
    return docids, matrix


def vector_count(conn: sqlite3.Connection) -> int:
    """How many quote vectors are stored (any model)."""
    return conn.execute("SELECT COUNT(*) FROM quote_vectors").fetchone()[0]
