"""The semantic side of the quote search: published quotes ranked by the cosine similarity of
their stored sentence embedding to the query's, and the quotes nearest to a quote.

The vectors of the published quotes are read once per database version into a float32 matrix
(`vector_index`, cached per process); a query costs one embedding and one matrix-vector product.

A few quotes are near almost any question for the model ("hubs": general advice about asking
permission, or answering a question one cannot answer), and pushed the right quote out of the
first results of most long questions written blind. The search's ranking discounts each quote by
its similarity to the mean query vector of texts students write (`query_centroid`): a quote close
to what every student writes counts for less than one close to this student's question. The
similarity floor is still applied to the plain cosine, so unrelated text brings nothing.

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
from insights.language.embedding import Embedder, default_embedder, query_centroid

_CACHE_SIZE = 4
QUERY_CHARS = 500
"""Characters of a query the model reads at most (the wall's box takes 200)."""
_QUERY_CACHE = 256


@dataclass(frozen=True)
class VectorIndex:
    """The published quotes' vectors: `docids[i]` is the index docid of `matrix[i]`, and
    `hubness[i]` its similarity to the model's query centroid (zeros without one)."""

    docids: np.ndarray
    matrix: np.ndarray
    hubness: np.ndarray

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
    centroid = query_centroid(model)
    hubness = matrix @ centroid if centroid is not None else np.zeros(len(docids), dtype=np.float32)
    index = VectorIndex(docids, matrix, hubness)
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


def _best(docids: np.ndarray, ranking: np.ndarray, k: int) -> np.ndarray:
    """Positions of the `k` best finite values of `ranking`, best first."""
    if k <= 0 or not len(ranking):
        return np.zeros(0, dtype=np.int64)
    k = min(k, len(ranking))
    best = np.argpartition(-ranking, k - 1)[:k]
    # Best first; equal values go to the most recent talk (the larger docid), as in the index.
    best = best[np.lexsort((-docids[best], -ranking[best]))]
    return best[np.isfinite(ranking[best])]


def _top(docids: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    return [(int(docids[i]), float(scores[i])) for i in _best(docids, scores, k)]


def semantic_ranking(
    conn: sqlite3.Connection,
    text: str,
    filters: Filters,
    k: int,
    embedder: Embedder | None = None,
    themes: bool = True,
    min_similarity: float = -1.0,
    hub_weight: float = 0.0,
) -> list[tuple[int, float]]:
    """(docid, cosine similarity) of the `k` published quotes nearest to `text` among those the
    filters keep (`themes=False`: the theme filter aside) and at least `min_similarity` from it,
    best first by their similarity less `hub_weight` times their hubness; [] with no model."""
    model = embedder or default_embedder()
    if model is None or not text.strip():
        return []
    index = vector_index(conn, model.name)
    if not len(index):
        return []
    scores = similarities(index, model, text)
    ranking = np.where(scores >= min_similarity, scores - hub_weight * index.hubness, -np.inf)
    if _restricts(filters):
        kept = np.asarray(store.filtered_docids(conn, filters, themes=themes), dtype=np.int64)
        ranking = np.where(np.isin(index.docids, kept), ranking, -np.inf)
    return [(int(index.docids[i]), float(scores[i])) for i in _best(index.docids, ranking, k)]


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
