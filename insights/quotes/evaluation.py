"""The search's judged evaluation set: recall@3 and MRR per kind of query, lexical only and fused.

A set is a directory with `quotes.csv` (quote_id, text) and `queries.csv` (kind, query, relevant
quote ids separated by `;`, why). The quotes are published into a scratch database (embedded by
the process's model, as any publication is), then every query is searched as the wall searches
it: lexical only and as typed (the index alone), and fused (spelling corrected as on the wall,
then lexical and semantic rankings fused).

recall@3 is, per query, the share of its relevant quotes found in the top 3 (out of at most 3),
averaged over the queries of a kind; MRR is the mean of 1 / the rank of the first relevant quote
in the top 10 (0 when none).
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from insights import store
from insights.domain import PUBLISHED
from insights.filters import Filters
from insights.language.embedding import Embedder, default_embedder, use_embedder
from insights.quotes import search

KINDS = ("other_words", "long", "typo", "english", "lexical")
KIND_LABELS = {
    "other_words": "situation en d'autres mots",
    "long": "longue question",
    "typo": "faute de frappe",
    "english": "anglais, franglais",
    "lexical": "mots exacts",
}
GOALS = {"other_words": 0.7, "long": 0.9, "typo": 0.95, "english": 0.85}
"""recall@3 the fused search should reach per kind (the lexical cases: no regression)."""

DEPTH = 10


@dataclass(frozen=True)
class JudgedQuery:
    kind: str
    query: str
    relevant: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Scores:
    """recall@3 and MRR of one kind of query under one search mode."""

    kind: str
    queries: int
    recall_at_3: float
    mrr: float


def read_set(directory: Path) -> tuple[list[tuple[str, str]], list[JudgedQuery]]:
    """The quotes ((quote_id, text)) and the judged queries of a set."""
    with (directory / "quotes.csv").open(encoding="utf-8", newline="") as handle:
        quotes = [(row["quote_id"], row["text"]) for row in csv.DictReader(handle)]
    with (directory / "queries.csv").open(encoding="utf-8", newline="") as handle:
        queries = [
            JudgedQuery(row["kind"], row["query"], tuple(row["relevant"].split(";")), row.get("why", ""))
            for row in csv.DictReader(handle)
        ]
    return quotes, queries


def publish_set(conn, quotes: Sequence[tuple[str, str]]) -> None:
    """Publish the set's quotes (one speaker, no talk) into an empty database."""
    store.write_speakers(
        conn,
        [
            {
                "speaker_id": "eval",
                "name": "Évaluation",
                "title": "",
                "organisation": "",
                "org_type": "agence",
                "sector": "",
                "networks": "",
                "years_experience": None,
                "education": "",
                "bio": "",
            }
        ],
    )
    store.write_quotes(
        conn,
        [
            {
                "quote_id": quote_id,
                "text": text,
                "speaker_id": "eval",
                "intervention_id": None,
                "source": "",
                "status": PUBLISHED,
                "themes": [],
            }
            for quote_id, text in quotes
        ],
    )


def ranked_ids(conn, query: str, fused: bool, fusion: search.Fusion = search.FUSION) -> list[str]:
    """The ids of the top DEPTH quotes for `query`: fused (corrected, then fused rankings) or lexical
    only, as typed."""
    if not fused:
        return [
            hit.quote_id
            for hit in search.search_quotes(conn, Filters(query=query), DEPTH, search.LEXICAL_ONLY)
        ]
    correction = search.spelling_correction(conn, query)
    searched = correction.corrected if correction else query
    return [hit.quote_id for hit in search.search_quotes(conn, Filters(query=searched), DEPTH, fusion)]


def score(queries: Sequence[JudgedQuery], rankings: Sequence[Sequence[str]]) -> list[Scores]:
    """Scores per kind (KINDS order, kinds without queries left out), then over all queries."""
    per_kind: dict[str, list[tuple[float, float]]] = {}
    for judged, ranking in zip(queries, rankings, strict=True):
        relevant = set(judged.relevant)
        found = len(relevant & set(ranking[:3])) / min(len(relevant), 3)
        first = next((rank for rank, quote_id in enumerate(ranking[:DEPTH], 1) if quote_id in relevant), None)
        per_kind.setdefault(judged.kind, []).append((found, 1 / first if first else 0.0))
    results = []
    everything: list[tuple[float, float]] = []
    for kind in [*KINDS, *sorted(set(per_kind) - set(KINDS))]:
        values = per_kind.get(kind)
        if values:
            everything += values
            results.append(Scores(kind, len(values), *_means(values)))
    results.append(Scores("all", len(everything), *_means(everything)))
    return results


def _means(values: Sequence[tuple[float, float]]) -> tuple[float, float]:
    return sum(v[0] for v in values) / len(values), sum(v[1] for v in values) / len(values)


@dataclass(frozen=True)
class Evaluation:
    model: str | None
    lexical: list[Scores]
    fused: list[Scores]
    misses: list[tuple[JudgedQuery, list[str]]]


def evaluate(
    directory: Path, fusion: search.Fusion = search.FUSION, embedder: Embedder | None = None
) -> Evaluation:
    """Publish the set into a scratch database and score both modes (see the module)."""
    quotes, queries = read_set(directory)
    with use_embedder(embedder) if embedder is not None else nullcontext():
        return _evaluate(quotes, queries, fusion)


def _evaluate(
    quotes: Sequence[tuple[str, str]], queries: Sequence[JudgedQuery], fusion: search.Fusion
) -> Evaluation:
    model = default_embedder()
    with tempfile.TemporaryDirectory() as scratch:
        conn = store.connect(Path(scratch) / "eval.sqlite")
        try:
            publish_set(conn, quotes)
            lexical = [ranked_ids(conn, q.query, fused=False) for q in queries]
            fused = [ranked_ids(conn, q.query, fused=True, fusion=fusion) for q in queries]
        finally:
            conn.close()
    misses = [(q, r[:3]) for q, r in zip(queries, fused, strict=True) if not set(q.relevant) & set(r[:3])]
    return Evaluation(model.name if model else None, score(queries, lexical), score(queries, fused), misses)


def report_lines(evaluation: Evaluation) -> list[str]:
    """The evaluation as the command line prints it (French)."""
    model = evaluation.model or "aucun (recherche par mots seulement)"
    lines = [
        f"Modèle : {model}",
        f"{'type de requête':<28} {'requêtes':>8}   {'mots seuls':>17}   {'recherche fusionnée':>19}   objectif",
        f"{'':<28} {'':>8}   {'rappel@3':>8} {'MRR':>8}   {'rappel@3':>9} {'MRR':>9}",
    ]
    for lexical, fused in zip(evaluation.lexical, evaluation.fused, strict=True):
        goal = GOALS.get(fused.kind)
        label = KIND_LABELS.get(fused.kind, "toutes" if fused.kind == "all" else fused.kind)
        target = f"≥ {goal:.2f}" if goal else ("≥ mots seuls" if fused.kind == "lexical" else "")
        lines.append(
            f"{label:<28} {fused.queries:>8}   {lexical.recall_at_3:>8.2f} {lexical.mrr:>8.2f}   "
            f"{fused.recall_at_3:>9.2f} {fused.mrr:>9.2f}   {target}"
        )
    if evaluation.misses:
        lines.append("")
        lines.append("Requêtes sans citation pertinente dans les 3 premières (recherche fusionnée) :")
        for judged, top in evaluation.misses:
            lines.append(
                f"  [{judged.kind}] {judged.query!r} attend {','.join(judged.relevant)}, obtient {','.join(top)}"
            )
    return lines
