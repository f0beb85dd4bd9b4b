"""The semantic side of the quote search: published quotes ranked by the cosine similarity of
their stored sentence embedding to the query's, and the quotes nearest to a quote.

The vectors of the published quotes are read once per database version into a float32 matrix
(`vector_index`, cached per process); a query costs one embedding and one matrix-vector product.
With no model (`default_embedder()` is None) every function here returns nothing, and the search
is lexical only.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from insights import store
from insights.filters import Filters
from insights.language.embedding import Embedder, default_embedder

_CACHE_SIZE = 4
QUERY_CHARS = 500
"""Characters of a query the model reads at most (the wall's box takes 200)."""
_QUERY_CACHE = 256


@dataclass(frozen=True)
class VectorIndex:
    """The published quotes' vectors: `docids[i]` is the index docid of `matrix[i]`."""

    docids: np.ndarray
    matrix: np.ndarray

    def __len__(self) -> int:
        return len(self.docids)


_indexes: OrderedDict[tuple[object, ...], VectorIndex] = OrderedDict()
_lock = threading.Lock()


def _database_key(conn: sqlite3.Connection) -> object:
    row = conn.execute("PRAGMA database_list").fetchone()
    return row[2] if row and row[2] else id(conn)


def vector_index(conn: sqlite3.Connection, model: str) -> VectorIndex:
    """The vectors of `model` of the published quotes, read once per database version."""
    key = (_database_key(conn), store.data_version(conn), model)
    with _lock:
        index = _indexes.get(key)
        if index is not None:
            _indexes.move_to_end(key)
            return index
    docids, matrix = store.published_vectors(conn, model)
    index = VectorIndex(docids, matrix)
    with _lock:
        _indexes[key] = index
        while len(_indexes) > _CACHE_SIZE:
            _indexes.popitem(last=False)
    return index


_queries: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()


def query_vector(model: Embedder, text: str) -> np.ndarray:
    """The query's embedding (its first QUERY_CHARS characters), remembered for the next calls of
    the same page run (the count, the theme chips and the cards ask for the same query)."""
    key = (model.name, text[:QUERY_CHARS])
    with _lock:
        vector = _queries.get(key)
    if vector is None:
        vector = model.query(key[1])
        with _lock:
            _queries[key] = vector
            while len(_queries) > _QUERY_CACHE:
                _queries.popitem(last=False)
    return vector


_scores: OrderedDict[tuple[int, str, str], tuple[VectorIndex, np.ndarray]] = OrderedDict()
_SCORES_CACHE = 8


def similarities(index: VectorIndex, model: Embedder, text: str) -> np.ndarray:
    """The cosine similarity of each quote of `index` to `text` (read-only array, remembered for
    the next calls of the same page run: the cards, the count and the theme chips)."""
    key = (id(index.matrix), model.name, text[:QUERY_CHARS])
    with _lock:
        cached = _scores.get(key)
    # The entry keeps its index alive, so its id is never another index's.
    scores = cached[1] if cached is not None and cached[0] is index else None
    if scores is None:
        scores = index.matrix @ query_vector(model, text)
        scores.setflags(write=False)
        with _lock:
            _scores[key] = (index, scores)
            while len(_scores) > _SCORES_CACHE:
                _scores.popitem(last=False)
    return scores


def clear_cache() -> None:
    with _lock:
        _indexes.clear()
        _queries.clear()
        _scores.clear()


def _restricts(filters: Filters) -> bool:
    return bool(
        filters.cohorts or filters.semesters or filters.org_types or filters.themes or filters.speaker_ids
    )


def _top(docids: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    if k <= 0 or not len(scores):
        return []
    k = min(k, len(scores))
    best = np.argpartition(-scores, k - 1)[:k]
    # Best first; equal similarity goes to the most recent talk (the larger docid), as in the index.
    best = best[np.lexsort((-docids[best], -scores[best]))]
    return [(int(docids[i]), float(scores[i])) for i in best if np.isfinite(scores[i])]


def semantic_ranking(
    conn: sqlite3.Connection,
    text: str,
    filters: Filters,
    k: int,
    embedder: Embedder | None = None,
    themes: bool = True,
) -> list[tuple[int, float]]:
    """(docid, cosine similarity) of the `k` published quotes nearest to `text` among those the
    filters keep (`themes=False`: the theme filter aside), best first; [] with no model."""
    model = embedder or default_embedder()
    if model is None or not text.strip():
        return []
    index = vector_index(conn, model.name)
    if not len(index):
        return []
    scores = similarities(index, model, text)
    if _restricts(filters):
        kept = np.asarray(store.filtered_docids(conn, filters, themes=themes), dtype=np.int64)
        scores = np.where(np.isin(index.docids, kept), scores, -np.inf)
    return _top(index.docids, scores, k)


def nearest_quotes(
    conn: sqlite3.Connection, docid: int, k: int, embedder: Embedder | None = None
) -> list[tuple[int, float]]:
    """(docid, similarity) of the `k` published quotes nearest to the published quote `docid`,
    itself excluded, best first; [] with no model or no vector for it."""
    model = embedder or default_embedder()
    if model is None:
        return []
    index = vector_index(conn, model.name)
    position = np.searchsorted(index.docids, docid)
    if position >= len(index) or index.docids[position] != docid:
        return []
    scores = index.matrix @ index.matrix[position]
    scores[position] = -np.inf
    return _top(index.docids, scores, k)


def reciprocal_rank_fusion(rankings: Sequence[tuple[Sequence[int], float]], k: float) -> dict[int, float]:
    """Reciprocal rank fusion: each ranking (docids best first, weight) adds weight / (k + rank)
    to its docids' scores (rank from 1)."""
    scores: dict[int, float] = {}
    for docids, weight in rankings:
        for rank, docid in enumerate(docids, start=1):
            scores[docid] = scores.get(docid, 0.0) + weight / (k + rank)
    return scores
