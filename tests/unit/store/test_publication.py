"""Publication and review in the store: results states with their history (`set_result_state`,
`require_answers`), and the bulk writes of reviews (`write_reviews` for imports,
`bulk_insert_reviews` for generated data), which keep the talks' aggregates right."""

from __future__ import annotations

import sqlite3

import pytest

from insights import store
from insights.domain import COLLECTING, PUBLISHED_RESULTS, REVIEWED
from insights.store import reviews
from tests.unit.survey_fixtures import TALKS, make_store


def dump(conn: sqlite3.Connection) -> str:
    return "\n".join(conn.iterdump())


@pytest.fixture
def conn() -> sqlite3.Connection:
    """The tiny survey (talks t1, t2, t3 with responses and free texts) and a talk t4 without any."""
    connection = make_store()
    silent = {**TALKS.iloc[0].to_dict(), "intervention_id": "t4", "date": "2016-11-02"}
    store.write_interventions(connection, [silent])
    yield connection
    connection.close()


def states(conn: sqlite3.Connection) -> dict[str, str]:
    publication = store.load_publication(conn)
    return dict(zip(publication["intervention_id"], publication["state"], strict=True))


def text_answers(conn: sqlite3.Connection, talk: str) -> list[tuple[str, str, str]]:
    """(response_id, question_id, text) of a talk's free-text answers, in key order."""
    return [
        (row[0], row[1], row[2])
        for row in conn.execute(
            "SELECT a.response_id, a.question_id, a.value_text FROM answers a "
            "JOIN responses r ON r.response_id = a.response_id JOIN questions q ON q.question_id = a.question_id "
            "WHERE r.intervention_id = ? AND q.type = 'text' ORDER BY a.response_id, a.question_id",
            (talk,),
        )
    ]


def public_answers(conn: sqlite3.Connection) -> dict[str, int]:
    counts = store.load_text_answer_counts(conn)
    return counts.groupby("intervention_id")["public_answers"].sum().to_dict()


# --- results states ---------------------------------------------------------------------------------


def test_a_state_change_is_recorded_with_its_time_and_source(conn):
    assert states(conn) == {"t1": COLLECTING, "t2": COLLECTING, "t3": COLLECTING, "t4": COLLECTING}
    changed = store.set_result_state(conn, ["t1", "t2"], REVIEWED, "cli", at="2016-01-05T10:00:00")
    assert changed == ["t1", "t2"]
    assert store.set_result_state(
        conn, ["t2", "t1"], PUBLISHED_RESULTS, "page", at="2016-01-06T09:00:00"
    ) == [
        "t2",
        "t1",
    ]
    assert states(conn)["t1"] == PUBLISHED_RESULTS and states(conn)["t3"] == COLLECTING
    history = store.load_publication_history(conn)
    assert history[history["intervention_id"] == "t1"][["changed_at", "state", "source"]].values.tolist() == [
        ["2016-01-06T09:00:00", PUBLISHED_RESULTS, "page"],
        ["2016-01-05T10:00:00", REVIEWED, "cli"],
    ]
    publication = store.load_publication(conn).set_index("intervention_id")
    assert publication.loc["t1", "reviewed_at"] == "2016-01-05T10:00:00"
    assert publication.loc["t1", "published_at"] == "2016-01-06T09:00:00"
    assert publication.loc["t3", "changed_at"] == ""


def test_setting_the_same_state_again_changes_nothing_and_adds_no_history(conn):
    store.set_result_state(conn, ["t1"], PUBLISHED_RESULTS, "cli")
    publication, history = store.load_publication(conn), store.load_publication_history(conn)
    assert store.set_result_state(conn, ["t1", "t1"], PUBLISHED_RESULTS, "cli") == []
    assert store.load_publication(conn).equals(publication)
    assert store.load_publication_history(conn).equals(history) and len(history) == 1


def test_an_unknown_talk_writes_nothing(conn):
    before = dump(conn)
    with pytest.raises(store.PublicationError, match="t9"):
        store.set_result_state(conn, ["t1", "t9"], REVIEWED, "cli")
    assert dump(conn) == before


def test_publishing_a_talk_without_answers_is_refused_unless_answers_are_not_required(conn):
    before = dump(conn)
    with pytest.raises(store.PublicationError, match="t4"):
        store.set_result_state(conn, ["t1", "t4"], PUBLISHED_RESULTS, "cli")
    assert dump(conn) == before
    # An import sets states before the talk's responses come: it does not require answers.
    changed = store.set_result_state(conn, ["t1", "t4"], PUBLISHED_RESULTS, "import", require_answers=False)
    assert changed == ["t1", "t4"]
    assert states(conn)["t4"] == PUBLISHED_RESULTS
    assert store.load_publication_history(conn)["source"].tolist() == ["import", "import"]


def test_other_states_never_require_answers(conn):
    assert store.set_result_state(conn, ["t4"], REVIEWED, "cli") == ["t4"]
    with pytest.raises(store.PublicationError):
        store.set_result_state(conn, ["t9"], REVIEWED, "cli", require_answers=False)


def test_an_unknown_state_is_a_programming_error(conn):
    with pytest.raises(ValueError):
        store.set_result_state(conn, ["t1"], "archived", "cli")


# --- reviews written in bulk ------------------------------------------------------------------------


def test_write_reviews_adds_updates_and_skips_and_keeps_the_aggregates_right(conn):
    (r1, q1, _), (r2, q2, text2), *_ = text_answers(conn, "t1")
    report = store.write_reviews(
        conn,
        [
            {"response_id": r1, "question_id": q1, "status": "public", "edited": None},
            {"response_id": r2, "question_id": q2, "status": "private", "edited": "Un troll, on l'évite."},
        ],
        at="2016-01-05T10:00:00",
    )
    assert (report.added, report.updated, report.skipped) == (2, 0, 0)
    assert store.check_aggregates(conn) == []
    assert public_answers(conn)["t1"] == 1
    held = store.load_reviews(conn).set_index(["response_id", "question_id"])
    assert held.loc[(r2, q2), "original"] == text2
    assert held.loc[(r2, q2), "edited"] == "Un troll, on l'évite."
    assert held.loc[(r1, q1), "edited"] is None

    before = store.load_reviews(conn)
    again = store.write_reviews(
        conn,
        [
            {"response_id": r1, "question_id": q1, "status": "public", "edited": ""},
            {"response_id": r2, "question_id": q2, "status": "private", "edited": "Un troll, on l'évite."},
        ],
    )
    assert (again.added, again.updated, again.skipped) == (0, 0, 2)
    assert store.load_reviews(conn).equals(before)  # the times of the decisions are kept

    changed = store.write_reviews(
        conn, [{"response_id": r2, "question_id": q2, "status": "public", "edited": "Un troll, on l'évite."}]
    )
    assert (changed.added, changed.updated, changed.skipped) == (0, 1, 0)
    assert public_answers(conn)["t1"] == 2
    assert store.check_aggregates(conn) == []


def test_an_edit_equal_to_the_answer_is_no_edit(conn):
    (response_id, question_id, text), *_ = text_answers(conn, "t1")
    store.write_reviews(
        conn,
        [{"response_id": response_id, "question_id": question_id, "status": "public", "edited": f" {text} "}],
    )
    assert store.load_reviews(conn)["edited"].tolist() == [None]


def test_write_reviews_refreshes_each_touched_talk_once(conn, monkeypatch):
    calls: list[list[str]] = []
    refresh = reviews.refresh_talks
    monkeypatch.setattr(
        reviews, "refresh_talks", lambda c, talks: (calls.append(list(talks)), refresh(c, talks))
    )
    rows = [
        {"response_id": r, "question_id": q, "status": "public", "edited": None}
        for talk in ("t1", "t2")
        for r, q, _ in text_answers(conn, talk)
    ]
    assert len(rows) == 8
    store.write_reviews(conn, rows)
    assert calls == [["t1", "t2"]]
    assert public_answers(conn) == {"t1": 5, "t2": 3, "t3": 0}


def test_a_review_of_a_missing_answer_writes_nothing(conn):
    (response_id, question_id, _), *_ = text_answers(conn, "t1")
    before = dump(conn)
    with pytest.raises(store.AnswerNotFoundError, match="t1-r004 / improve"):
        store.write_reviews(
            conn,
            [
                {"response_id": response_id, "question_id": question_id, "status": "public", "edited": None},
                {"response_id": "t1-r004", "question_id": "improve", "status": "public", "edited": None},
            ],
        )
    with pytest.raises(store.AnswerNotFoundError):
        store.write_reviews(
            conn,
            [{"response_id": "t1-r000", "question_id": "satisfaction", "status": "public", "edited": None}],
        )
    with pytest.raises(ValueError):
        store.write_reviews(
            conn,
            [{"response_id": response_id, "question_id": question_id, "status": "hidden", "edited": None}],
        )
    assert dump(conn) == before


def test_a_review_holds_only_while_the_answer_is_unchanged(conn):
    (response_id, question_id, _), *_ = text_answers(conn, "t1")
    review = {"response_id": response_id, "question_id": question_id, "status": "public", "edited": None}
    store.write_reviews(conn, [review])
    store.write_responses(
        conn,
        [{"response_id": response_id, "intervention_id": "t1", "submitted_at": "", "respondent": ""}],
        [(response_id, question_id, None, "Un autre conseil"), (response_id, "satisfaction", 5.0, None)],
    )
    assert store.load_reviews(conn).empty
    assert store.pending_reviews(conn) == 9
    again = store.write_reviews(conn, [review])
    assert (again.added, again.updated, again.skipped) == (0, 1, 0)
    assert store.load_reviews(conn)["original"].tolist() == ["Un autre conseil"]


def test_free_text_answers_lists_the_stored_responses_and_their_texts(conn):
    found = store.free_text_answers(conn, ["t2-r000", "t2-r002", "t2-r005", "nope"])
    assert found == {
        "t2-r000": {"takeaway": "Écoute active des trolls"},
        "t2-r002": {"improve": "Plus d'exemples concrets"},
        "t2-r005": {},
    }


def test_bulk_inserted_reviews_count_once_their_answers_are_inserted():
    connection = make_store(texts=[])
    rows = [("t3-r000", "takeaway", "public", "Le troll est un client", None)]
    store.bulk_insert_reviews(connection, rows)
    assert public_answers(connection) == {}
    store.bulk_insert_responses(
        connection,
        [("t3-r100", "t3", "", "")],
        [("t3-r000", "takeaway", None, "Le troll est un client"), ("t3-r100", "takeaway", None, "Autre")],
    )
    assert public_answers(connection) == {"t3": 1}
    assert store.pending_reviews(connection) == 1
    assert store.check_aggregates(connection) == []
    connection.close()
