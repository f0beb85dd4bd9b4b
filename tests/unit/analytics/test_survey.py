"""The Enquêtes page's figures (`insights.survey`) on small hand-computed cases."""

from __future__ import annotations

import io
import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from insights import store
from insights.analytics import stats as metrics
from insights.analytics import survey
from tests.unit.survey_fixtures import make_cube, make_texts

ALL = np.array([True, True, True])
NONE = np.array([False, False, False])
T1 = np.array([True, False, False])


# --- estimates from counts -------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [[], [4], [3, 3, 3, 3], [1, 2, 3, 4, 5], [5, 5, 4, 4, 3], [1] * 40 + [5] * 3],
    ids=["empty", "single", "all-neutral", "spread", "skewed", "large"],
)
def test_estimate_from_counts_equals_the_mean_estimate_of_the_answers(answers):
    counts = [answers.count(v) for v in survey.LIKERT_VALUES]
    expected = metrics.mean_estimate(answers)
    estimate = survey.estimate_from_counts(survey.LIKERT_VALUES, counts)
    assert estimate.n == expected.n
    for field in ("mean", "low", "high"):
        assert getattr(estimate, field) == pytest.approx(getattr(expected, field), nan_ok=True)


@given(st.lists(st.integers(min_value=1, max_value=5), max_size=60))
def test_estimate_from_counts_agrees_with_mean_estimate_on_any_answers(answers):
    counts = [answers.count(v) for v in survey.LIKERT_VALUES]
    expected = metrics.mean_estimate(answers)
    estimate = survey.estimate_from_counts(survey.LIKERT_VALUES, counts)
    assert estimate.n == expected.n
    assert estimate.low == pytest.approx(expected.low, nan_ok=True, abs=1e-9)
    assert estimate.high == pytest.approx(expected.high, nan_ok=True, abs=1e-9)


def test_nps_interval_by_hand():
    # 2 promoters, 1 passive, 2 detractors of 5: score 0, variance (0.4 + 0.4 - 0) / 5 = 0.16
    low, high = survey.nps_interval(metrics.nps([10, 9, 8, 6, 3]))
    assert low == pytest.approx(-78.4)
    assert high == pytest.approx(78.4)
    assert survey.nps_interval(metrics.nps([10, 10, 10])) == (100.0, 100.0)
    assert all(math.isnan(v) for v in survey.nps_interval(metrics.nps([9])))


def test_welch_interval_by_hand():
    values = np.arange(1, 6, dtype="float64")
    first = np.array([0, 0, 1, 2, 2])  # 5,5,4,4,3: mean 4.2, variance 0.7
    second = np.array([0, 1, 3, 1, 0])  # 3,3,2,4,3: mean 3.0, variance 0.5
    # se = sqrt(0.14 + 0.1); df = 0.0576 / (0.0049 + 0.0025) = 7.78 -> t(7) = 2.365
    low, high = survey.welch_interval(values, first, second)
    margin = 2.365 * math.sqrt(0.24)
    assert low == pytest.approx(1.2 - margin)
    assert high == pytest.approx(1.2 + margin)
    assert all(math.isnan(v) for v in survey.welch_interval(values, np.array([0, 0, 0, 0, 1]), second))


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
    assert [row[c] for c in survey.SHARE_COLUMNS] == pytest.approx([0, 0, 0.2, 0.4, 0.4])
    assert [row[c] for c in survey.COUNT_COLUMNS] == [0, 0, 1, 2, 2]
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


def test_limit_rows_keeps_shown_rows_only():
    talks = survey.talk_distribution(make_cube(), ALL, "satisfaction", threshold=5)
    assert survey.limit_rows(talks, "top", 1)["intervention_id"].tolist() == ["t1"]
    assert survey.limit_rows(talks, "bottom", 1)["intervention_id"].tolist() == ["t2"]
    assert survey.limit_rows(talks, "all")["intervention_id"].tolist() == ["t1", "t2"]


def test_talks_from_selection_reads_the_ids_in_customdata():
    points = [
        {"customdata": ["t2", "label", 3, 50.0]},
        {"customdata": "t1"},
        {"customdata": ["t2", "label", 1, 20.0]},
        {"x": 1},
    ]
    assert survey.talks_from_selection(points) == ["t2", "t1"]
    assert survey.talks_from_selection([]) == []


# --- free text -----------------------------------------------------------------------------------


def test_the_word_shown_for_a_term_is_its_most_written_accented_spelling():
    assert survey.representative_word(Counter({"écouter": 1, "ecouter": 1, "écoute": 1})) == "écouter"
    assert survey.representative_word(Counter({"reseaux": 3, "réseaux": 2, "réseau": 4})) == "réseaux"
    assert survey.representative_word(Counter({"veille": 2})) == "veille"


def test_text_terms_fold_accents_case_and_plurals_and_drop_stop_words():
    terms = survey.text_terms("Les TROLLS ne se nourrissent pas : écouter, Écoute, 2024 !")
    stems = [stem for stem, _ in terms]
    assert "le" not in stems and "pas" not in stems and "2024" not in stems
    assert stems.count(stems[0]) == 1 and stems[0] == survey.text_terms("troll")[0][0]
    assert terms[0][1] == "trolls"
    assert survey.text_terms("écoute")[0][0] == survey.text_terms("Ecoutes")[0][0]


def test_term_frequencies_count_answers_not_occurrences():
    cube = make_cube()
    texts = make_texts(cube)
    terms = survey.term_frequencies(texts, ALL, "takeaway", threshold=2)
    rows = terms.set_index("word")
    # "trolls", "troll", "TROLLS": one term, in 5 of the 8 answers, written "trolls" most often.
    assert rows.loc["trolls", "answers"] == 5
    assert rows.loc["trolls", "share"] == pytest.approx(5 / 8)
    # "écouter" / "Écoute" / "ecouter": one stem, shown with its most written accented form.
    assert rows.loc["écouter", "answers"] == 3
    assert terms["answers"].is_monotonic_decreasing
    assert not set(terms["word"]) & {"les", "la", "un", "est"}


def test_term_frequencies_respect_the_threshold():
    cube = make_cube()
    texts = make_texts(cube)
    assert survey.text_answer_count(texts, ALL, "takeaway") == 8
    assert survey.term_frequencies(texts, ALL, "takeaway", threshold=9).empty  # 8 answers < 9
    few = survey.term_frequencies(texts, ALL, "takeaway", threshold=4)
    assert few["word"].tolist() == ["trolls"]  # only terms in at least 4 answers


def test_term_trend_by_cohort():
    cube = make_cube()
    texts = make_texts(cube)
    stem = survey.text_terms("troll")[0][0]
    trend = survey.term_trend(texts, cube, ALL, "takeaway", stem, threshold=2)
    assert trend["cohort"].tolist() == ["2015-2016", "2016-2017"]
    first = trend.iloc[0]
    assert (first["n"], first["answers"]) == (7, 4)
    assert first["share"] == pytest.approx(4 / 7)
    assert trend.iloc[1]["suppressed"]  # 1 answer in 2016-2017


def test_comments_latest_first_only_from_talks_above_the_threshold():
    cube = make_cube()
    texts = make_texts(cube)
    shown, total = survey.comments(texts, cube, ALL, ["takeaway"], threshold=5)
    # t3 has 4 responses: its comment is withheld; t2 (the later talk) comes before t1, and
    # within a talk the latest answer comes first.
    assert total == 7
    assert shown["intervention_id"].tolist() == ["t2", "t2", "t1", "t1", "t1", "t1", "t1"]
    assert shown["text"].tolist()[:3] == [
        "La ligne éditoriale d'abord",
        "Écoute active des trolls",
        "ecouter la communauté",
    ]
    assert list(shown.columns) == survey.COMMENT_COLUMNS
    assert shown["question"].unique().tolist() == ["Conseil retenu"]
    limited, total_again = survey.comments(texts, cube, ALL, ["takeaway"], threshold=5, limit=2)
    assert len(limited) == 2 and total_again == 7


def test_comment_search_ignores_accents_case_and_plurals():
    cube = make_cube()
    texts = make_texts(cube)
    shown, total = survey.comments(texts, cube, ALL, ["takeaway"], query="ECOUTES", threshold=1)
    assert total == 3
    assert all("cout" in t.lower() for t in shown["text"])
    _, both = survey.comments(texts, cube, ALL, ["takeaway"], query="troll écoute", threshold=1)
    assert both == 1
    _, none = survey.comments(texts, cube, ALL, ["takeaway"], query="licorne", threshold=1)
    assert none == 0
    # A query of stop words only falls back to the folded text.
    shown, _ = survey.comments(texts, cube, ALL, ["takeaway"], query="PAS", threshold=1)
    assert shown["text"].tolist() == ["Les trolls ne se nourrissent pas."]


# --- exports -------------------------------------------------------------------------------------


def test_export_marks_suppressed_rows_and_never_writes_their_figures():
    talks = survey.talk_distribution(make_cube(), ALL, "satisfaction", threshold=5)
    table = survey.export_table(talks, survey.EXPORTS["talks"], threshold=5)
    assert list(table.columns)[:4] == ["Intervention", "Date", "Promotion", "Format"]
    hidden = table[table["Intervention"] == "Parcours de CM"].iloc[0]
    figures = [c for c in table.columns if c not in ("Intervention", "Date", "Promotion", "Format")]
    assert all(hidden[c] == "moins de 5 réponses" for c in figures)
    shown = table[table["Intervention"] == "Gérer un bad buzz"].iloc[0]
    assert shown["Moyenne (1 à 5)"] == "4,20"
    assert shown["% Tout à fait d'accord"] == "40,0"
    data = survey.csv_bytes(table)
    assert data.startswith("\ufeff".encode())
    read = pd.read_csv(io.BytesIO(data), dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert read.shape == table.shape
    assert read.iloc[:, 4].tolist() == table.iloc[:, 4].tolist()


def test_exports_neutralise_spreadsheet_formulas():
    cube = make_cube()
    talks = survey.talk_distribution(cube, ALL, "satisfaction", threshold=5)
    talks.loc[0, "title"] = '=HYPERLINK("http://x")'
    data = survey.csv_bytes(survey.export_table(talks, survey.EXPORTS["talks"], threshold=5))
    read = pd.read_csv(io.BytesIO(data), dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert read["Intervention"].iloc[0] == '\'=HYPERLINK("http://x")'


def test_every_export_matches_its_table():
    cube = make_cube()
    texts = make_texts(cube)
    figures = survey.page_figures(cube, texts, ALL, threshold=2)
    for name, frame in figures.frames().items():
        if name in survey.EXPORTS:
            table = survey.export_table(frame, survey.EXPORTS[name], threshold=2)
            assert len(table) == len(frame), name


# --- against the store --------------------------------------------------------------------------


def test_load_cube_agrees_with_the_raw_answers(demo_conn):
    cube = survey.load_cube(demo_conn)
    answers = store.load_answers(demo_conn, ["satisfaction"])
    talk = cube.talks["intervention_id"].iloc[10]
    expected = metrics.mean_estimate(answers.loc[answers["intervention_id"] == talk, "value_num"])
    row = survey.likert_distribution(
        cube, cube.mask([talk]), threshold=1, question_ids=["satisfaction"]
    ).iloc[0]
    assert row["n"] == expected.n
    assert row["mean"] == pytest.approx(expected.mean)
    assert row["low"] == pytest.approx(expected.low)
    counts = store.response_counts(demo_conn)
    assert cube.responses.sum() == counts["responses"].sum()


def test_load_texts_counts_every_written_answer(demo_conn):
    cube = survey.load_cube(demo_conn)
    texts = survey.load_texts(demo_conn, cube)
    answers = store.load_answers(demo_conn, ["takeaway"])
    written = answers["value_text"].dropna().str.strip()
    everything = np.ones(len(cube.talks), dtype=bool)
    assert survey.text_answer_count(texts, everything, "takeaway") == int((written != "").sum())


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
    cube = survey.load_cube(empty_conn)
    assert "rythme" in cube.question_ids("likert5")
    assert cube.label("rythme") == "Le rythme était adapté"
