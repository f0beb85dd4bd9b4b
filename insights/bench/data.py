"""The benchmark's data: `demo.generate_scaled` tables loaded into a fresh database (responses in
bulk, so that a million of them load in about a minute; every cohort's results but the latest's
published, their free-text answers public, so that a student sees figures), a database of quotes
only for the search, and the series of filter changes every timing walks through."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd

from insights import store
from insights.demo.generator import generate_scaled
from insights.domain import COLLECTING, PUBLIC, PUBLISHED_RESULTS, RESULT_STATES, split_list
from insights.filters import Filters


def load_generated(conn: sqlite3.Connection, tables: dict[str, pd.DataFrame]) -> None:
    """Write `demo.generate_scaled` tables into a fresh database: the small tables through the
    store's upserts, responses and answers through its bulk path, in primary-key order.

    The talks' results states are the `results` column's (every cohort but the latest
    published), and the free-text answers of published talks are marked public in bulk, before
    the answers themselves, so that their talks' aggregates are computed once."""
    cohorts = tables["cohorts"]
    store.write_cohorts(
        conn, [{"cohort": c, "size": int(s)} for c, s in zip(cohorts["cohort"], cohorts["size"], strict=True)]
    )
    store.write_speakers(
        conn,
        [
            {
                **{column: ("" if pd.isna(value) else value) for column, value in row.items()},
                "years_experience": None
                if pd.isna(row["years_experience"])
                else int(row["years_experience"]),
            }
            for row in tables["speakers"].to_dict("records")
        ],
    )
    store.write_interventions(
        conn,
        [
            {
                **row,
                "speaker_ids": split_list(row["speaker_ids"]),
                "themes": split_list(row["themes"]),
                "tools": "" if pd.isna(row["tools"]) else row["tools"],
            }
            for row in tables["interventions"].to_dict("records")
        ],
    )
    talks = tables["interventions"]
    for state in RESULT_STATES:
        chosen = talks.loc[talks["results"] == state, "intervention_id"].tolist()
        if chosen and state != COLLECTING:
            store.set_result_state(conn, chosen, state, "import", require_answers=False)
    questions = store.load_questions(conn)
    responses = tables["responses"].sort_values("response_id", ignore_index=True)
    published = talks.loc[talks["results"] == PUBLISHED_RESULTS, "intervention_id"]
    store.bulk_insert_reviews(conn, _public_reviews(responses, questions, published))
    store.bulk_insert_responses(
        conn,
        zip(
            responses["response_id"].tolist(),
            responses["intervention_id"].tolist(),
            responses["submitted_at"].tolist(),
            responses["respondent"].tolist(),
            strict=True,
        ),
        _long_answers(responses, questions),
    )
    quotes = tables["quotes"]
    store.write_quotes(
        conn,
        [
            {
                "quote_id": row["quote_id"],
                "text": row["text"],
                "speaker_id": row["speaker_id"],
                "intervention_id": None if pd.isna(row["intervention_id"]) else row["intervention_id"],
                "themes": split_list(row["themes"]),
                "source": row["source"],
                "status": row["status"],
            }
            for row in quotes.to_dict("records")
        ],
    )


def _public_reviews(
    responses: pd.DataFrame, questions: pd.DataFrame, talk_ids: pd.Series
) -> Iterator[tuple[str, str, str, str, None]]:
    """A public review, as written, of every non-empty free-text answer of the given talks:
    (response_id, question_id, "public", text, None) in (response_id, question_id) order."""
    ids = sorted(
        q for q in questions.loc[questions["type"] == "text", "question_id"] if q in responses.columns
    )
    of_talks = responses["intervention_id"].isin(set(talk_ids)).to_numpy()
    keys, texts = [], []
    for index, question in enumerate(ids):
        column = responses[question]
        present = of_talks & column.fillna("").astype("str").str.strip().ne("").to_numpy()
        keys.append(np.flatnonzero(present) * len(ids) + index)
        texts.append(column.to_numpy(dtype=object)[present])
    key = np.concatenate(keys) if keys else np.zeros(0, dtype="int64")
    order = np.argsort(key, kind="stable")
    key, text = key[order], (np.concatenate(texts) if texts else np.zeros(0, dtype=object))[order]
    response_ids = responses["response_id"].to_numpy(dtype=object)
    question_ids = np.array(ids, dtype=object)
    for start in range(0, key.size, 200_000):
        chunk = key[start : start + 200_000]
        for response_id, question_id, original in zip(
            response_ids[chunk // len(ids)].tolist(),
            question_ids[chunk % len(ids)].tolist(),
            text[start : start + 200_000].tolist(),
            strict=True,
        ):
            yield response_id, question_id, PUBLIC, original, None


def _long_answers(
    responses: pd.DataFrame, questions: pd.DataFrame
) -> Iterator[tuple[str, str, float | None, str | None]]:
    """(response_id, question_id, value_num, value_text) of a wide responses table, in
    (response_id, question_id) order, generated in chunks."""
    ids = sorted(q for q in questions["question_id"] if q in responses.columns)
    kinds = dict(zip(questions["question_id"], questions["type"], strict=True))
    keys, numbers, texts = [], [], []
    for index, question in enumerate(ids):
        column = responses[question]
        if kinds[question] in ("text", "choice"):
            present = column.fillna("").astype("str").str.strip().ne("").to_numpy()
            texts.append(column.to_numpy(dtype=object)[present])
            numbers.append(np.full(int(present.sum()), np.nan))
        else:
            present = column.notna().to_numpy()
            numbers.append(column.to_numpy(dtype="float64", na_value=np.nan)[present])
            texts.append(np.full(int(present.sum()), None, dtype=object))
        keys.append(np.flatnonzero(present) * len(ids) + index)
    key = np.concatenate(keys) if keys else np.zeros(0, dtype="int64")
    order = np.argsort(key, kind="stable")
    key, number, text = key[order], np.concatenate(numbers)[order], np.concatenate(texts)[order]
    response_ids = responses["response_id"].to_numpy(dtype=object)
    question_ids = np.array(ids, dtype=object)
    for start in range(0, key.size, 200_000):
        chunk = key[start : start + 200_000]
        values = [None if v != v else v for v in number[start : start + 200_000].tolist()]
        yield from zip(
            response_ids[chunk // len(ids)].tolist(),
            question_ids[chunk % len(ids)].tolist(),
            values,
            text[start : start + 200_000].tolist(),
            strict=True,
        )


def filter_sequence(interventions: pd.DataFrame, speakers: pd.DataFrame) -> list[Filters]:
    """A plausible series of filter changes: everything, the latest cohort, its first semester,
    an organisation type, a theme, two cohorts on a theme, the second semester, everything."""
    cohorts = sorted(interventions["cohort"].unique())
    latest = cohorts[-1:] if cohorts else []
    org_types = [t for t in speakers["org_type"].value_counts().index][:1]
    return [
        Filters(),
        Filters(cohorts=tuple(latest)),
        Filters(cohorts=tuple(latest), semesters=("S1",)),
        Filters(org_types=tuple(org_types)),
        Filters(themes=("crise",)),
        Filters(cohorts=tuple(cohorts[-2:]), themes=("conversation",)),
        Filters(semesters=("S2",)),
        Filters(),
    ]


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


def build_quotes_db(conn: sqlite3.Connection, quotes: int, seed: int = 1) -> int:
    """Fill an empty database with the demo's speakers and talks and `quotes` generated quotes (no
    survey response), indexed for search; return how many are published."""
    if not store.is_empty(conn):
        raise ValueError("build_quotes_db needs an empty database")
    tables = generate_scaled(responses=0, quotes=quotes, seed=seed)
    with store.transaction(conn):
        store.write_cohorts(conn, _records(tables["cohorts"]))
        store.write_speakers(conn, _records(tables["speakers"], nullable=("years_experience",)))
        store.write_interventions(conn, _records(tables["interventions"], ("speaker_ids", "themes")))
        store.write_quotes(conn, _records(tables["quotes"], ("themes",), nullable=("intervention_id",)))
    store.optimize_search_index(conn)
    return store.published_quote_count(conn)
