"""The survey's free-text figures (`insights.analytics.free_text`): terms counted at write time,
their trend, and the comments found through the store's full-text index."""

from __future__ import annotations

import numpy as np
import pytest

from insights.analytics import free_text
from insights.analytics.model import load_model
from insights.language.answers import answer_terms
from tests.unit.survey_fixtures import make_model, make_store

ALL = np.array([True, True, True])


def test_term_frequencies_count_answers_not_occurrences():
    texts = make_model().texts
    terms = free_text.term_frequencies(texts, ALL, "takeaway", threshold=2)
    rows = terms.set_index("word")
    # "trolls", "troll", "TROLLS": one term, in 5 of the 8 answers, written "trolls" most often.
    assert rows.loc["trolls", "answers"] == 5
    assert rows.loc["trolls", "share"] == pytest.approx(5 / 8)
    # "écouter" / "Écoute" / "ecouter": one stem, shown with its most written accented form.
    assert rows.loc["écouter", "answers"] == 3
    assert terms["answers"].is_monotonic_decreasing
    assert not set(terms["word"]) & {"les", "la", "un", "est"}


def test_term_frequencies_respect_the_threshold():
    texts = make_model().texts
    assert free_text.text_answer_count(texts, ALL, "takeaway") == 8
    assert free_text.term_frequencies(texts, ALL, "takeaway", threshold=9).empty  # 8 answers < 9
    few = free_text.term_frequencies(texts, ALL, "takeaway", threshold=4)
    assert few["word"].tolist() == ["trolls"]  # only terms in at least 4 answers


def test_term_trend_by_cohort():
    model = make_model()
    cube, texts = model.cube, model.texts
    stem = answer_terms("troll")[0][0]
    trend = free_text.term_trend(texts, cube, ALL, "takeaway", stem, threshold=2)
    assert trend["cohort"].tolist() == ["2015-2016", "2016-2017"]
    first = trend.iloc[0]
    assert (first["n"], first["answers"]) == (7, 4)
    assert first["share"] == pytest.approx(4 / 7)
    assert trend.iloc[1]["suppressed"]  # 1 answer in 2016-2017


def test_comments_latest_first_only_from_talks_above_the_threshold():
    conn = make_store()
    model = load_model(conn)
    cube, texts = model.cube, model.texts
    shown, total = free_text.comments(conn, cube, texts, ALL, ["takeaway"], threshold=5)
    # t3 has 4 responses: its comment is withheld; t2 (the later talk) comes before t1, and
    # within a talk the latest answer comes first.
    assert total == 7
    assert shown["intervention_id"].tolist() == ["t2", "t2", "t1", "t1", "t1", "t1", "t1"]
    assert shown["text"].tolist()[:3] == [
        "La ligne éditoriale d'abord",
        "Écoute active des trolls",
        "ecouter la communauté",
    ]
    assert list(shown.columns) == free_text.COMMENT_COLUMNS
    assert shown["question"].unique().tolist() == ["Conseil retenu"]
    limited, total_again = free_text.comments(conn, cube, texts, ALL, ["takeaway"], threshold=5, limit=2)
    assert len(limited) == 2 and total_again == 7


def test_comment_search_ignores_accents_case_and_plurals():
    conn = make_store()
    model = load_model(conn)
    cube, texts = model.cube, model.texts
    shown, total = free_text.comments(conn, cube, texts, ALL, ["takeaway"], query="ECOUTES", threshold=1)
    assert total == 3
    assert all("cout" in t.lower() for t in shown["text"])
    _, both = free_text.comments(conn, cube, texts, ALL, ["takeaway"], query="troll écoute", threshold=1)
    assert both == 1
    _, none = free_text.comments(conn, cube, texts, ALL, ["takeaway"], query="licorne", threshold=1)
    assert none == 0
    # A query of stop words only falls back to the folded text.
    shown, _ = free_text.comments(conn, cube, texts, ALL, ["takeaway"], query="PAS", threshold=1)
    assert shown["text"].tolist() == ["Les trolls ne se nourrissent pas."]
