"""The per-talk aggregates the store keeps at write time (`insights.store.aggregates`): after any
import, correction or deletion they equal what the raw answers give, and the model reads them alone."""

from __future__ import annotations

import sqlite3
from collections import Counter

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insights import store
from insights.analytics.model import load_model
from insights.language.answers import answer_terms
from insights.language.tagger import suggest_themes
from insights.store import schema
from tests.unit.survey_fixtures import COHORTS, SPEAKERS, TALKS

TALK_IDS = TALKS["intervention_id"].tolist()
TEXTS = [
    "Un troll, on l'ignore.",
    "Le bad buzz : répondre vite",
    "Écouter les abonnés",
    "Un outil de veille",
    "",
]


def fresh_store() -> sqlite3.Connection:
    conn = store.connect(":memory:")
    store.write_cohorts(conn, COHORTS.to_dict("records"))
    store.write_speakers(
        conn,
        [{**row, "years_experience": None if pd.isna(row["years_experience"]) else int(row["years_experience"])}
         for row in SPEAKERS.to_dict("records")],
    )  # fmt: skip
    store.write_interventions(conn, TALKS.to_dict("records"))
    return conn


def _reviews(conn: sqlite3.Connection) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(status, edited) of each free-text answer whose review holds."""
    reviews = store.load_reviews(conn)
    return {
        (response_id, question_id): (status, edited)
        for response_id, question_id, status, edited in reviews[
            ["response_id", "question_id", "status", "edited"]
        ].itertuples(index=False)
    }


def _text_answers(conn: sqlite3.Connection, questions: list[str] | None = None):
    """(talk, question, text as written, review status, text as shown) of every non-empty
    free-text answer, from the raw answers and the reviews (pandas, not the store's SQL)."""
    kinds = store.load_questions(conn).set_index("question_id")["type"]
    text_questions = [q for q in kinds.index if kinds[q] == "text" and (questions is None or q in questions)]
    answers = store.load_answers(conn, text_questions)
    reviews = _reviews(conn)
    for talk, response_id, question, text in answers[
        ["intervention_id", "response_id", "question_id", "value_text"]
    ].itertuples(index=False):
        if isinstance(text, str) and text.strip():
            status, edited = reviews.get((response_id, question), ("pending", None))
            yield talk, question, text.strip(), status, (edited if edited is not None else text).strip()


def expected_counts(conn: sqlite3.Connection) -> dict[tuple, int]:
    """Closed answers counted from the raw answers (pandas, not the store's SQL)."""
    answers = store.load_answers(conn)
    kinds = dict(zip(*(store.load_questions(conn)[c] for c in ("question_id", "type")), strict=True))
    counts: Counter[tuple] = Counter()
    for talk, question, number, text in answers[
        ["intervention_id", "question_id", "value_num", "value_text"]
    ].itertuples(index=False):
        if kinds[question] != "text" and (number == number or isinstance(text, str)):
            counts[
                talk, question, None if number != number else number, text if isinstance(text, str) else None
            ] += 1
    return dict(counts)


def stored_counts(conn: sqlite3.Connection) -> dict[tuple, int]:
    frame = store.load_answer_counts(conn)
    return {
        (talk, question, None if number != number else number, text if isinstance(text, str) else None): count
        for talk, question, number, text, count in frame.itertuples(index=False)
    }


def expected_text_counts(conn: sqlite3.Connection) -> dict[tuple, tuple[int, int, int]]:
    """(answers, public ones, pending ones) of each talk's text questions."""
    counts: dict[tuple, list[int]] = {}
    for talk, question, _, status, _ in _text_answers(conn):
        row = counts.setdefault((talk, question), [0, 0, 0])
        row[0] += 1
        row[1] += status == "public"
        row[2] += status == "pending"
    return {key: tuple(row) for key, row in counts.items()}


def stored_text_counts(conn: sqlite3.Connection) -> dict[tuple, tuple[int, int, int]]:
    frame = store.load_text_answer_counts(conn)
    return {(t, q): (a, p, w) for t, q, a, p, w in frame.itertuples(index=False)}


def expected_terms(conn: sqlite3.Connection) -> dict[tuple, tuple[int, int]]:
    """Answers mentioning each term as written, and public ones mentioning it as shown."""
    counts: dict[tuple, list[int]] = {}
    for talk, question, text, status, shown in _text_answers(conn):
        for term in {stem for stem, _ in answer_terms(text)}:
            counts.setdefault((talk, question, term), [0, 0])[0] += 1
        if status == "public":
            for term in {stem for stem, _ in answer_terms(shown)}:
                counts.setdefault((talk, question, term), [0, 0])[1] += 1
    return {key: tuple(row) for key, row in counts.items()}


def stored_terms(conn: sqlite3.Connection) -> dict[tuple, tuple[int, int]]:
    frame = store.load_term_counts(conn)
    return {(t, q, term): (n, p) for t, q, term, n, p in frame.itertuples(index=False)}


def expected_themes(conn: sqlite3.Connection) -> dict[tuple, tuple[int, int]]:
    counts: dict[tuple, list[int]] = {}
    for talk, _, text, status, _ in _text_answers(conn, ["takeaway"]):
        for theme in suggest_themes(text):
            row = counts.setdefault((talk, "takeaway", theme), [0, 0])
            row[0] += 1
            row[1] += status == "public"
    return {key: tuple(row) for key, row in counts.items()}


def stored_themes(conn: sqlite3.Connection) -> dict[tuple, tuple[int, int]]:
    frame = store.load_theme_counts(conn)
    return {(t, q, theme): (n, p) for t, q, theme, n, p in frame.itertuples(index=False)}


def assert_consistent(conn: sqlite3.Connection) -> None:
    assert stored_counts(conn) == expected_counts(conn)
    assert stored_text_counts(conn) == expected_text_counts(conn)
    assert stored_terms(conn) == expected_terms(conn)
    assert stored_themes(conn) == expected_themes(conn)
    responses = store.load_responses(conn).groupby("intervention_id").size().to_dict()
    talk_responses = store.load_talk_responses(conn)
    assert dict(zip(talk_responses["intervention_id"], talk_responses["responses"], strict=True)) == responses
    assert store.check_aggregates(conn) == []
    orphans = conn.execute(
        "SELECT COUNT(*) FROM answers_fts WHERE rowid NOT IN (SELECT docid FROM answer_search)"
    ).fetchone()[0]
    assert orphans == 0


def response(response_id: str, talk: str, satisfaction: int | None, recommend: int | None, text: str):
    answers = []
    if satisfaction is not None:
        answers.append((response_id, "satisfaction", float(satisfaction), None))
    if recommend is not None:
        answers.append((response_id, "recommend", float(recommend), None))
    if text:
        answers.append((response_id, "takeaway", None, text))
    answers.append((response_id, "best_part", None, "conseils"))
    row = {"response_id": response_id, "intervention_id": talk, "submitted_at": "", "respondent": ""}
    return row, answers


def write(conn: sqlite3.Connection, rows) -> None:
    store.write_responses(conn, [r for r, _ in rows], [a for _, answers in rows for a in answers])


def test_the_demo_database_holds_the_aggregates_of_its_answers(demo_conn):
    assert_consistent(demo_conn)
    assert len(store.load_answer_counts(demo_conn)) > 1000


def test_an_import_a_correction_and_a_move_keep_the_aggregates_in_step():
    conn = fresh_store()
    write(conn, [response("r1", "t1", 5, 10, "Un troll"), response("r2", "t1", 3, 6, "Le bad buzz")])
    assert_consistent(conn)
    assert store.load_talk_responses(conn).set_index("intervention_id")["responses"].to_dict() == {"t1": 2}
    # The same response, corrected and moved to another talk: t1 loses it, t2 gains it.
    write(conn, [response("r2", "t2", 4, 9, "Un outil de veille")])
    assert_consistent(conn)
    counts = stored_counts(conn)
    assert counts[("t1", "satisfaction", 5.0, None)] == 1 and ("t1", "satisfaction", 3.0, None) not in counts
    assert counts[("t2", "satisfaction", 4.0, None)] == 1
    assert stored_themes(conn) == {("t1", "takeaway", "crise"): (1, 0), ("t2", "takeaway", "veille"): (1, 0),
                                   ("t2", "takeaway", "outils"): (1, 0)}  # fmt: skip


def test_importing_the_same_answers_twice_changes_nothing():
    conn = fresh_store()
    rows = [response("r1", "t1", 5, 10, "Un troll"), response("r2", "t3", 2, 3, "")]
    write(conn, rows)
    before = (stored_counts(conn), stored_terms(conn), store.data_version(conn))
    write(conn, rows)
    assert (stored_counts(conn), stored_terms(conn)) == before[:2]
    assert_consistent(conn)


def test_deleting_a_talk_or_its_speaker_removes_its_aggregates():
    conn = fresh_store()
    write(conn, [response("r1", "t1", 5, 10, "Un troll"), response("r2", "t3", 2, 3, "Écouter les abonnés")])
    store.delete_records(conn, "interventions", ["t1"])
    assert_consistent(conn)
    assert {key[0] for key in stored_counts(conn)} == {"t3"}
    store.delete_records(conn, "speakers", ["sp2"])  # t2 and t3 lose their last speaker
    assert_consistent(conn)
    assert stored_counts(conn) == {}
    assert conn.execute("SELECT COUNT(*) FROM answers_fts").fetchone()[0] == 0


def test_a_question_whose_type_changes_is_counted_anew():
    conn = fresh_store()
    write(conn, [response("r1", "t1", 5, 10, "Un troll")])
    question = store.load_questions(conn).set_index("question_id").loc["best_part"]
    store.write_questions(
        conn, [{"question_id": "best_part", "type": "text", "label": question["label"], "options": "",
                "position": int(question["position"])}]
    )  # fmt: skip
    assert_consistent(conn)
    assert stored_text_counts(conn)[("t1", "best_part")] == (1, 0, 1)
    assert ("t1", "best_part", None, "conseils") not in stored_counts(conn)


answer_rows = st.lists(
    st.tuples(
        st.integers(0, 11),  # response number: repeats update a response
        st.sampled_from(TALK_IDS),
        st.one_of(st.none(), st.integers(1, 5)),
        st.one_of(st.none(), st.integers(0, 10)),
        st.sampled_from(TEXTS),
    ),
    min_size=1,
    max_size=8,
)


reviews = st.tuples(
    st.integers(0, 11),
    st.sampled_from(["public", "private", "removed"]),
    st.one_of(st.none(), st.just("Une réponse relue : la veille des abonnés")),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(answer_rows, st.sampled_from(TALK_IDS), reviews), min_size=1, max_size=6))
def test_any_sequence_of_writes_keeps_the_aggregates_equal_to_the_answers(steps):
    """Imports, corrections, deletions and reviews (with or without an edit) in any order."""
    conn = fresh_store()
    for step in steps:
        if isinstance(step, tuple):  # review a takeaway
            number, status, edited = step
            try:
                store.review_answer(conn, f"r{number:02d}", "takeaway", status, edited)
            except store.AnswerNotFoundError:
                continue
            assert_consistent(conn)
            continue
        if isinstance(step, str):  # delete a talk (and its responses)
            if step in set(store.load_interventions(conn)["intervention_id"]):
                store.delete_records(conn, "interventions", [step])
            continue
        latest = {number: row for number, *row in step}  # one version of a response per write
        talks = set(store.load_interventions(conn)["intervention_id"])
        rows = [
            response(f"r{n:02d}", talk, s, r, text)
            for n, (talk, s, r, text) in latest.items()
            if talk in talks
        ]
        if rows:
            write(conn, rows)
        assert_consistent(conn)


def test_the_model_is_read_from_the_aggregates_alone(demo_db_path):
    """A server restart recomputes nothing: with every answer gone behind the aggregates' back,
    the model still gives the same figures."""
    conn = store.connect(demo_db_path)
    before = load_model(conn)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DELETE FROM answers")
    after = load_model(conn)
    assert (after.cube.counts["satisfaction"] == before.cube.counts["satisfaction"]).all()
    assert (after.texts.answered == before.texts.answered).all()
    assert after.cube.responses.sum() == before.cube.responses.sum() > 1000
    conn.close()


def test_a_database_of_the_previous_schema_gets_its_aggregates_on_upgrade(tmp_path, demo_db_path):
    """Migration 6 computes the aggregates of a database written before it, and keeps published
    the results it showed: every talk with responses, its free-text answers waiting for review."""
    conn = store.connect(demo_db_path)
    expected = stored_counts(conn)
    answered = set(store.load_talk_responses(conn).query("responses > 0")["intervention_id"])
    conn.execute("DROP TRIGGER answer_search_delete")
    for table in ("audit_log", "proposal_log"):  # migration 7's
        conn.execute(f"DROP TABLE {table}")
    conn.execute("ALTER TABLE signin_attempts DROP COLUMN client")
    for table in ("answers_fts", *store.AGGREGATE_TABLES, "answer_reviews", "publication_history",
                  "talk_publication"):  # fmt: skip
        conn.execute(f"DROP TABLE {table}")
    conn.execute("PRAGMA user_version = 5")
    conn.close()
    upgraded = store.connect(demo_db_path)
    assert store.schema_version(upgraded) == schema.SCHEMA_VERSION
    assert stored_counts(upgraded) == expected
    assert_consistent(upgraded)
    states = store.load_publication(upgraded).set_index("intervention_id")["state"]
    assert set(states[states == "published"].index) == answered
    assert set(store.load_publication_history(upgraded)["source"]) == {"migration"}
    assert store.pending_reviews(upgraded) == sum(a for a, _, _ in stored_text_counts(upgraded).values()) > 0


@pytest.mark.parametrize("query", ["troll", "abonnés ecouter", "veille outil"])
def test_comment_search_finds_what_a_scan_finds(query):
    conn = fresh_store()
    write(conn, [response(f"r{i}", TALK_IDS[i % 3], 3, 7, text) for i, text in enumerate(TEXTS * 3)])
    stems = list(dict.fromkeys(stem for stem, _ in answer_terms(query)))
    found, total = store.search_comments(conn, TALK_IDS[::-1], ["takeaway"], stems, limit=100)
    scanned = [
        (talk, "takeaway", text, "pending")
        for talk, text in store.load_answers(conn, ["takeaway"])[
            ["intervention_id", "value_text"]
        ].itertuples(index=False)
        if text and set(stems) <= {stem for stem, _ in answer_terms(text)}
    ]
    assert total == len(scanned) > 0
    assert sorted(found) == sorted(scanned)
