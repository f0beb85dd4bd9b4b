"""The Enquêtes page's figures (`insights.analytics.survey`) on small hand-computed cases, read
from a tiny store as the app reads them."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from insights import store
from insights.analytics import free_text, stats, survey
from insights.analytics.model import load_model
from insights.bench.naive import mean_of_values
from tests.unit.survey_fixtures import make_cube

ALL = np.array([True, True, True])
NONE = np.array([False, False, False])
T1 = np.array([True, False, False])


# --- the cube ------------------------------------------------------------------------------------


def test_the_cube_counts_answers_per_talk_and_level():
    cube = make_cube()
    assert cube.talks["intervention_id"].tolist() == ["t1", "t2", "t3"]
    assert cube.counts["satisfaction"].tolist() == [[0, 0, 1, 2, 2], [0, 0, 6, 0, 0], [0, 1, 2, 1, 0]]
    assert cube.counts["recommend"][0].tolist() == [0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1]
    assert cube.levels["best_part"][:2] == ("parcours", "structure et stratégie")
    assert cube.responses.tolist() == [5, 7, 4]
    assert cube.talks["cohort_size"].tolist() == [10, 10, 20]
    assert cube.speaker_talks.tolist() == [[True, True, False], [False, True, True]]
    assert cube.mask(["t3", "unknown"]).tolist() == [False, False, True]


def test_answers_outside_the_scale_are_left_out():
    cube = make_cube({"t1": {"satisfaction": [5, 7, 0, 3.5], "best_part": ["parcours", "autre chose"]}})
    assert cube.counts["satisfaction"][0].tolist() == [0, 0, 0, 0, 1]
    # An option the catalogue lacks becomes a level of its own rather than vanishing.
    assert cube.levels["best_part"][-1] == "autre chose"
    assert cube.counts["best_part"][0].sum() == 2


# --- figures of a selection ------------------------------------------------------------------


def test_likert_distribution_by_hand():
    table = survey.likert_distribution(make_cube(), T1, threshold=5).set_index("question_id")
    row = table.loc["satisfaction"]
    assert row["n"] == 5
    assert row["mean"] == pytest.approx(4.2)
    # sd sqrt(0.7), t(4) 2.776: margin 2.776 * 0.83666 / sqrt(5) = 1.0387
    assert row["low"] == pytest.approx(4.2 - 1.0387, abs=1e-3)
    assert [row[c] for c in stats.SHARE_COLUMNS] == pytest.approx([0, 0, 0.2, 0.4, 0.4])
    assert [row[c] for c in stats.COUNT_COLUMNS] == [0, 0, 1, 2, 2]
    assert row["agree"] == pytest.approx(0.8)
    assert not row["suppressed"]
    # Questions nobody answered in the selection are suppressed (0 answers < 5).
    assert table.loc["clarity", "suppressed"]
    assert pd.isna(table.loc["clarity", "n"]) and math.isnan(table.loc["clarity", "mean"])


def test_all_neutral_answers_have_a_zero_width_interval():
    row = survey.likert_distribution(make_cube(), np.array([False, True, False]), 5).iloc[0]
    assert (row["mean"], row["low"], row["high"]) == (3.0, 3.0, 3.0)
    assert row["share_3"] == 1.0 and row["agree"] == 0.0


def test_an_empty_selection_suppresses_every_figure():
    cube = make_cube()
    table = survey.likert_distribution(cube, NONE, 5)
    assert table["suppressed"].all()
    assert table["n"].isna().all() and table["mean"].isna().all()
    summary = survey.selection_summary(cube, NONE, 5)
    assert (summary.interventions, summary.responses, summary.suppressed) == (0, 0, True)
    assert math.isnan(summary.response_rate)


def test_a_single_answer_has_a_mean_but_no_interval():
    cube = make_cube({"t1": {"satisfaction": [4]}}, {"t1": 1})
    row = survey.likert_distribution(cube, T1, threshold=1).iloc[0]
    assert (row["n"], row["mean"]) == (1, 4.0)
    assert math.isnan(row["low"]) and math.isnan(row["high"])
    assert survey.likert_distribution(cube, T1, threshold=2).iloc[0]["suppressed"]


def test_missing_answers_count_as_responses_not_as_answers():
    # t2 has 7 responses but only 6 satisfaction answers and 3 best_part answers.
    cube = make_cube()
    talk = np.array([False, True, False])
    summary = survey.selection_summary(cube, talk, threshold=5)
    assert summary.responses == 7
    assert summary.satisfaction.n == 6
    shares = survey.choice_by_format(cube, talk, "best_part", threshold=3)
    assert shares["n"].iloc[0] == 3


def test_the_threshold_hides_groups_below_it_and_only_those():
    cube = make_cube()
    talks = survey.talk_distribution(cube, ALL, "satisfaction", threshold=5).set_index("intervention_id")
    assert not talks.loc["t1", "suppressed"] and not talks.loc["t2", "suppressed"]
    assert talks.loc["t3", "suppressed"]  # 4 answers
    assert pd.isna(talks.loc["t3", "n"]) and math.isnan(talks.loc["t3", "mean"])
    assert talks.loc["t3", "title"] == "Parcours de CM"  # labels stay, figures go
    assert (
        not survey.talk_distribution(cube, ALL, "satisfaction", threshold=4)
        .set_index("intervention_id")
        .loc["t3", "suppressed"]
    )


def test_talk_distribution_is_sorted_best_first_suppressed_last():
    talks = survey.talk_distribution(make_cube(), ALL, "satisfaction", threshold=5)
    assert talks["intervention_id"].tolist() == ["t1", "t2", "t3"]
    assert talks["label"].iloc[0] == "Gérer un bad buzz · 12/10/2015"


def test_selection_summary_by_hand():
    summary = survey.selection_summary(make_cube(), np.array([True, True, False]), threshold=5)
    assert summary.interventions == 2
    assert summary.responses == 12
    assert summary.expected == 20
    assert summary.response_rate == pytest.approx(0.6)
    assert summary.satisfaction.n == 11
    assert summary.satisfaction.mean == pytest.approx((21 + 18) / 11)
    assert (summary.recommend.promoters, summary.recommend.passives, summary.recommend.detractors) == (
        6,
        3,
        2,
    )


def test_nps_by_talk_by_hand():
    table = survey.nps_by_talk(make_cube(), ALL, "recommend", threshold=5).set_index("intervention_id")
    t1 = table.loc["t1"]
    assert (t1["n"], t1["promoters"], t1["passives"], t1["detractors"]) == (5, 2, 1, 2)
    assert t1["score"] == pytest.approx(0.0)
    assert (t1["low"], t1["high"]) == pytest.approx((-78.4, 78.4))
    t2 = table.loc["t2"]
    assert t2["score"] == pytest.approx(100 * 4 / 6)
    assert table.loc["t3", "suppressed"]
    assert table.index.tolist() == ["t2", "t1", "t3"]  # best first, suppressed last


def test_nps_by_speaker_sums_each_speakers_talks():
    table = survey.nps_by_speaker(make_cube(), ALL, "recommend", threshold=5).set_index("speaker_id")
    # sp1: t1 + t2 = 11 answers, 6 promoters, 3 passives, 2 detractors.
    assert table.loc["sp1", "n"] == 11
    assert table.loc["sp1", "interventions"] == 2
    assert table.loc["sp1", "score"] == pytest.approx(100 * (6 - 2) / 11)
    # sp2: t2 + t3 = 10 answers: 4 + 2 promoters, 2 passives, 2 detractors.
    assert table.loc["sp2", "score"] == pytest.approx(100 * (6 - 2) / 10)
    assert table.loc["sp1", "label"] == "Claire Le Goff (Université)"
    assert table.loc["sp2", "label"] == "Julien Marchand"
    only_t3 = survey.nps_by_speaker(make_cube(), np.array([False, False, True]), "recommend", threshold=5)
    assert only_t3["speaker_id"].tolist() == ["sp2"] and only_t3["suppressed"].all()


def test_pillar_profile_against_the_whole_programme():
    profile = survey.pillar_profile(make_cube(), T1, threshold=5)
    assert profile["label"].tolist() == ["Transparence", "Conversation", "Juste engagement", "Enthousiasme"]
    assert profile["suppressed"].tolist() == [False, True, True, True]  # nobody answered the others
    row = profile.iloc[0]
    assert (row["label"], row["n"], row["mean"]) == ("Transparence", 5, 4.0)
    # Programme: 4*5 + (2+2+3*4) + (1+2+3+4) = 20 + 16 + 10 = 46 over 15 answers.
    assert row["programme_n"] == 15
    assert row["programme_mean"] == pytest.approx(46 / 15)


def test_choice_by_format_by_hand():
    shares = survey.choice_by_format(make_cube(), ALL, "best_part", threshold=5)
    assert list(dict.fromkeys(shares["format"])) == ["témoignage de CM", "atelier"]
    talk = shares[shares["format"] == "témoignage de CM"].set_index("option")
    # t1 + t3: 9 answers, 5 of them "parcours".
    assert talk.loc["parcours", "answers"] == 5
    assert talk.loc["parcours", "share"] == pytest.approx(5 / 9)
    assert talk["share"].sum() == pytest.approx(1.0)
    workshop = shares[shares["format"] == "atelier"]
    assert workshop["suppressed"].all() and workshop["share"].isna().all()  # 3 answers


def test_question_trends_by_cohort_and_semester():
    trends = survey.question_trends(make_cube(), ALL, threshold=5, question_ids=["satisfaction"])
    assert trends[["cohort", "semester"]].values.tolist() == [
        ["2015-2016", "S1"],
        ["2015-2016", "S2"],
        ["2016-2017", "S1"],
    ]
    assert trends["mean"].tolist()[:2] == pytest.approx([4.2, 3.0])
    assert trends["suppressed"].tolist() == [False, False, True]
    series = survey.trend_series(trends, "satisfaction")
    assert list(series.columns) == ["cohort", "series", "n", "mean", "low", "high"]


def test_response_rates_by_hand():
    rates = survey.response_rates(make_cube(), ALL, threshold=5).set_index("intervention_id")
    assert rates.loc["t1", "rate"] == pytest.approx(0.5)
    assert rates.loc["t2", "rate"] == pytest.approx(0.7)
    assert rates.loc["t3", "suppressed"] and math.isnan(rates.loc["t3", "rate"])
    assert rates.loc["t3", "cohort_size"] == 20


def test_comparison_with_the_rest_of_the_programme_and_the_same_format():
    cube = make_cube()
    table = survey.compare_with_references(cube, T1, threshold=5, question_ids=["satisfaction"])
    assert table["reference"].tolist() == ["Reste du programme", "Même format (témoignage de CM)"]
    programme, same_format = table.iloc[0], table.iloc[1]
    # Rest of the programme: t2 + t3 = 3*6 + (3+3+2+4) = 30 over 10 answers.
    assert programme["reference_n"] == 10
    assert programme["difference"] == pytest.approx(4.2 - 3.0)
    expected = survey.welch_interval(
        np.arange(1.0, 6.0), cube.counts["satisfaction"][0], cube.counts["satisfaction"][1:].sum(axis=0)
    )
    assert (programme["difference_low"], programme["difference_high"]) == pytest.approx(expected)
    # Same format: t3 only, 4 answers: below the threshold, so the row is suppressed.
    assert same_format["suppressed"] and math.isnan(same_format["difference"])


# --- against the store --------------------------------------------------------------------------


def test_the_model_agrees_with_the_raw_answers(demo_conn):
    cube = load_model(demo_conn).cube
    answers = store.load_answers(demo_conn, ["satisfaction"])
    talk = cube.talks["intervention_id"].iloc[10]
    expected = mean_of_values(answers.loc[answers["intervention_id"] == talk, "value_num"])
    row = survey.likert_distribution(
        cube, cube.mask([talk]), threshold=1, question_ids=["satisfaction"]
    ).iloc[0]
    assert row["n"] == expected.n
    assert row["mean"] == pytest.approx(expected.mean)
    assert row["low"] == pytest.approx(expected.low)
    assert cube.responses.sum() == len(store.load_responses(demo_conn))


def test_the_model_counts_every_written_answer(demo_conn):
    model = load_model(demo_conn)
    cube, texts = model.cube, model.texts
    answers = store.load_answers(demo_conn, ["takeaway"])
    written = answers["value_text"].dropna().str.strip()
    everything = np.ones(len(cube.talks), dtype=bool)
    assert free_text.text_answer_count(texts, everything, "takeaway") == int((written != "").sum())


def test_an_imported_catalogue_is_followed(empty_conn):
    """Questions other than the default instrument's are shown with their own labels."""
    store.write_questions(
        empty_conn,
        [
            {
                "question_id": "rythme",
                "type": "likert5",
                "label": "Le rythme était adapté",
                "options": "",
                "position": 20,
            }
        ],
    )
    cube = load_model(empty_conn).cube
    assert "rythme" in cube.question_ids("likert5")
    assert cube.label("rythme") == "Le rythme était adapté"
