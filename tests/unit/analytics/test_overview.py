"""The overview's indicators by cohort, their change against the previous cohort and the home page's
figures (`insights.analytics.overview`), on a small hand-computed survey written to an in-memory
store and read back as the app reads it."""

from __future__ import annotations

import math
import sqlite3

import numpy as np
import pandas as pd
import pytest

from insights import store
from insights.analytics import overview
from insights.analytics.model import Model, load_model
from insights.bench.naive import mean_of_values, nps_of_values
from insights.domain import THEME_IDS
from insights.filters import Filters

TALKS = pd.DataFrame(
    {
        "intervention_id": ["a", "b", "c"],
        "date": ["2014-10-01", "2015-10-01", "2015-11-01"],
        "cohort": ["2014-2015", "2015-2016", "2015-2016"],
        "semester": ["S1", "S1", "S1"],
        "speaker_ids": [["sp1"], ["sp1"], ["sp2", "sp1"]],
        "title": ["A", "B", "C"],
        "format": ["atelier"] * 3,
        "themes": [["crise"], ["veille"], ["outils"]],
        "tools": ["", "", ""],
    }
)
COHORTS = [{"cohort": "2014-2015", "size": 10}, {"cohort": "2015-2016", "size": 20}]
SPEAKERS = [
    {"speaker_id": "sp1", "name": "Ana", "title": "CM", "organisation": "X", "org_type": "association"},
    {"speaker_id": "sp2", "name": "Bo", "title": "CM", "organisation": "Y", "org_type": "agence"},
]

# (satisfaction, recommend) answers of each talk, one response each.
SATISFACTION = {"a": [3, 3, 3, 3, 3], "b": [5] * 10, "c": [4, 4, 4, 4, 4, 4]}
RECOMMEND = {"a": [5, 6, 7, 8, 9], "b": [10] * 10, "c": [9, 9, 6, 6, 8, 8]}

QUOTES = [
    {"quote_id": "q1", "text": "un", "speaker_id": "sp1", "intervention_id": "a", "status": "publiée"},
    {"quote_id": "q2", "text": "deux", "speaker_id": "sp1", "intervention_id": "b", "status": "publiée"},
    {"quote_id": "q3", "text": "trois", "speaker_id": "sp2", "intervention_id": "c", "status": "proposée"},
    {"quote_id": "q4", "text": "quatre", "speaker_id": "sp1", "intervention_id": None, "status": "publiée"},
]


def make_store(threshold: int | None = None) -> sqlite3.Connection:
    conn = store.connect(":memory:")
    store.write_cohorts(conn, COHORTS)
    store.write_speakers(
        conn,
        [{column: "" for column in store.SPEAKER_COLUMNS} | {"years_experience": None} | s for s in SPEAKERS],
    )
    store.write_interventions(conn, TALKS.to_dict("records"))
    store.write_quotes(conn, [{"themes": ["crise"], "source": ""} | q for q in QUOTES])
    responses, values = [], []
    for talk, satisfaction in SATISFACTION.items():
        for index, (s, r) in enumerate(zip(satisfaction, RECOMMEND[talk], strict=True)):
            response_id = f"{talk}{index}"
            responses.append(
                {"response_id": response_id, "intervention_id": talk, "submitted_at": "", "respondent": ""}
            )
            values += [
                (response_id, "satisfaction", float(s), None),
                (response_id, "recommend", float(r), None),
            ]
    store.write_responses(conn, responses, values)
    store.set_result_state(conn, list(SATISFACTION), "published", "import")
    if threshold is not None:
        store.set_anonymity_threshold(conn, threshold)
    return conn


@pytest.fixture(scope="module")
def conn() -> sqlite3.Connection:
    return make_store()


@pytest.fixture(scope="module")
def model(conn) -> Model:
    return load_model(conn)


def everything(model: Model) -> np.ndarray:
    return np.ones(len(model.cube.talks), dtype=bool)


# --- indicators by cohort ---------------------------------------------------------------------


def test_kpis_by_cohort_hand_computed(model):
    table = overview.kpis_by_cohort(model, everything(model), threshold=5)
    assert list(table.columns) == overview.COHORT_KPI_COLUMNS
    assert table["cohort"].tolist() == ["2014-2015", "2015-2016"]
    table = table.set_index("cohort")
    recent = table.loc["2015-2016"]
    assert recent["interventions"] == 2
    assert recent["speakers"] == 2
    assert recent["responses"] == 16
    assert recent["response_rate"] == pytest.approx(16 / 40)
    assert recent["satisfaction_n"] == 16
    assert recent["satisfaction"] == pytest.approx((50 + 24) / 16)
    # 12 promoters, 2 passives, 2 detractors out of 16
    assert recent["nps_n"] == 16
    assert recent["nps"] == pytest.approx(100 * (12 - 2) / 16)
    assert recent["nps"] == pytest.approx(nps_of_values(RECOMMEND["b"] + RECOMMEND["c"]).score)
    older = table.loc["2014-2015"]
    assert older["speakers"] == 1
    assert older["response_rate"] == pytest.approx(5 / 10)
    assert older["satisfaction"] == pytest.approx(3.0)
    assert older["nps"] == pytest.approx(100 * (1 - 2) / 5)


def test_kpis_cover_the_selected_talks_only(model):
    table = overview.kpis_by_cohort(model, model.cube.mask(["c"]), threshold=5).set_index("cohort")
    assert table.index.tolist() == ["2015-2016"]
    assert table.at["2015-2016", "interventions"] == 1
    assert table.at["2015-2016", "speakers"] == 2
    assert table.at["2015-2016", "response_rate"] == pytest.approx(6 / 20)
    assert table.at["2015-2016", "satisfaction"] == pytest.approx(4.0)
    assert overview.kpis_by_cohort(model, np.zeros(3, dtype=bool)).empty


def test_kpis_below_the_threshold_are_hidden(model):
    table = overview.kpis_by_cohort(model, everything(model), threshold=6).set_index("cohort")
    assert math.isnan(table.loc["2014-2015", "satisfaction"])
    assert math.isnan(table.loc["2014-2015", "nps"])
    assert table.loc["2014-2015", "satisfaction_n"] == 5  # the count stays
    assert not math.isnan(table.loc["2015-2016", "satisfaction"])


def test_kpi_changes_against_the_previous_cohort(model):
    table = overview.kpis_by_cohort(model, everything(model), threshold=5)
    values, changes, previous = overview.kpi_changes(table, "2015-2016")
    assert previous == "2014-2015"
    assert values["interventions"] == 2
    assert changes["interventions"] == 1
    assert changes["responses"] == 11
    assert changes["satisfaction"] == pytest.approx(74 / 16 - 3)
    assert changes["nps"] == pytest.approx(100 * 10 / 16 - (-20))
    _, first_changes, none = overview.kpi_changes(table, "2014-2015")
    assert none is None and math.isnan(first_changes["responses"])


def test_a_change_is_missing_when_a_figure_is_suppressed(model):
    table = overview.kpis_by_cohort(model, everything(model), threshold=6)
    _, changes, _ = overview.kpi_changes(table, "2015-2016")
    assert math.isnan(changes["satisfaction"]) and math.isnan(changes["nps"])
    assert changes["interventions"] == 1


def test_kpi_changes_of_a_cohort_without_talks(model):
    table = overview.kpis_by_cohort(model, everything(model), threshold=5)
    values, _, previous = overview.kpi_changes(table, "2016-2017")
    assert values["interventions"] == 0 and math.isnan(values["satisfaction"])
    assert previous == "2015-2016"


# --- themes and talks -------------------------------------------------------------------------


def test_theme_coverage_lists_every_theme(model):
    coverage = overview.theme_coverage(model.selection(Filters(cohorts=("2015-2016",))))
    assert coverage["theme"].tolist() == list(THEME_IDS)
    counts = dict(zip(coverage["theme"], coverage["interventions"], strict=True))
    assert counts == dict.fromkeys(THEME_IDS, 0) | {"veille": 1, "outils": 1}


def test_talk_ratings_best_first_without_the_talks_below_the_threshold(model):
    ratings = overview.talk_ratings(model, everything(model), threshold=5)
    assert list(ratings.columns) == overview.RATING_COLUMNS
    assert ratings["intervention_id"].tolist() == ["b", "c", "a"]
    assert ratings["n"].tolist() == [10, 6, 5]
    assert ratings["mean"].tolist() == pytest.approx([5.0, 4.0, 3.0])
    assert ratings["cohort"].tolist() == ["2015-2016", "2015-2016", "2014-2015"]
    assert overview.talk_ratings(model, everything(model), threshold=6)["intervention_id"].tolist() == [
        "b",
        "c",
    ]
    assert overview.talk_ratings(model, model.cube.mask(["a"]), threshold=5)["intervention_id"].tolist() == [
        "a"
    ]


def test_a_talk_rating_carries_its_interval():
    answers = [5, 4, 4, 3, 5, 2]
    conn = make_store()
    store.write_responses(
        conn,
        [
            {"response_id": f"d{i}", "intervention_id": "a", "submitted_at": "", "respondent": ""}
            for i in range(6)
        ],
        [(f"d{i}", "satisfaction", float(v), None) for i, v in enumerate(answers)],
    )
    rating = overview.talk_ratings(load_model(conn), np.array([True, False, False]), 5).iloc[0]
    oracle = mean_of_values(SATISFACTION["a"] + answers)
    assert rating["n"] == 11
    assert (rating["mean"], rating["low"], rating["high"]) == pytest.approx(
        (oracle.mean, oracle.low, oracle.high)
    )


# --- the home page ----------------------------------------------------------------------------


def test_the_home_page_compares_the_latest_cohort_with_the_one_before(conn, model):
    figures = overview.page_figures(conn, model, Filters())
    assert figures.interventions == 3
    assert figures.cohorts == ("2015-2016", "2014-2015")
    assert (figures.reference, figures.previous) == ("2015-2016", "2014-2015")
    assert figures.values["interventions"] == 2
    assert figures.values["satisfaction"] == pytest.approx(74 / 16)
    assert figures.changes["interventions"] == 1
    assert figures.changes["satisfaction"] == pytest.approx(74 / 16 - 3)
    assert figures.by_cohort["cohort"].tolist() == ["2014-2015", "2015-2016"]
    assert figures.ratings["intervention_id"].tolist() == ["b", "c", "a"]
    counts = dict(zip(figures.coverage["theme"], figures.coverage["interventions"], strict=True))
    assert (counts["crise"], counts["veille"], counts["outils"], counts["strategie"]) == (1, 1, 1, 0)


def test_students_see_the_published_results_only_and_the_director_all():
    conn = make_store()
    store.set_result_state(conn, ["c"], "reviewed", "page")
    model = load_model(conn)
    students = overview.page_figures(conn, model, Filters())
    director = overview.page_figures(conn, model, Filters(), director=True)
    assert students.ratings["intervention_id"].tolist() == ["b", "a"]
    assert director.ratings["intervention_id"].tolist() == ["b", "c", "a"]
    assert students.values["satisfaction"] == pytest.approx(sum(SATISFACTION["b"]) / len(SATISFACTION["b"]))
    assert director.values["satisfaction"] == pytest.approx(74 / 16)
    assert (students.unpublished, director.unpublished) == (1, 0)  # what each one does not see
    assert students.interventions == director.interventions == 3  # the talks themselves are public


def test_students_compare_by_default_the_latest_cohort_with_published_results():
    conn = make_store()
    store.set_result_state(conn, ["b", "c"], "collecting", "page")  # 2015-2016 not published yet
    model = load_model(conn)
    students = overview.page_figures(conn, model, Filters())
    assert students.cohorts == ("2015-2016", "2014-2015")
    assert (students.reference, students.values["satisfaction"]) == ("2014-2015", pytest.approx(3.0))
    assert overview.page_figures(conn, model, Filters(), director=True).reference == "2015-2016"
    chosen = overview.page_figures(conn, model, Filters(), reference="2015-2016")
    assert chosen.reference == "2015-2016" and math.isnan(chosen.values["satisfaction"])


def test_the_satisfaction_trend_by_cohort(conn, model):
    trend = overview.page_figures(conn, model, Filters()).trend
    assert trend["cohort"].tolist() == ["2014-2015", "2015-2016"]
    assert trend["series"].tolist() == ["S1", "S1"]
    assert trend["n"].tolist() == [5, 16]
    assert trend["mean"].tolist() == pytest.approx([3.0, 74 / 16])


def test_latest_quotes_are_published_ones_of_the_selection_newest_first(conn, model):
    # c's quote is only proposed; q4 comes from no known talk.
    latest = overview.page_figures(conn, model, Filters()).latest_quotes
    assert latest["quote_id"].tolist() == ["q2", "q1"]
    assert latest.loc[0, "name"] == "Ana"
    assert latest.loc[0, "intervention_title"] == "B"
    assert latest.loc[0, "date"] == "2015-10-01"
    assert latest.loc[0, "themes"] == ("crise",)
    recent = overview.page_figures(conn, model, Filters(cohorts=("2015-2016",))).latest_quotes
    assert recent["quote_id"].tolist() == ["q2"]


def test_at_most_four_latest_quotes():
    conn = make_store()
    store.write_quotes(
        conn,
        [
            {"quote_id": f"r{i}", "text": f"citation {i}", "speaker_id": "sp1", "intervention_id": talk}
            | {"status": "publiée", "themes": [], "source": ""}
            for i, talk in enumerate(["a", "a", "b", "c", "c"])
        ],
    )
    latest = overview.page_figures(conn, load_model(conn), Filters()).latest_quotes
    # Newest talk first: c (r3, r4), then b (q2, r2); a's are left out.
    assert latest["quote_id"].tolist() == ["r3", "r4", "q2", "r2"]


def test_the_cohort_filter_picks_the_cohorts_shown_not_the_comparison(conn, model):
    figures = overview.page_figures(conn, model, Filters(cohorts=("2015-2016",)))
    assert figures.interventions == 2
    assert figures.cohorts == ("2015-2016",)
    assert (figures.reference, figures.previous) == ("2015-2016", "2014-2015")
    assert figures.changes["satisfaction"] == pytest.approx(74 / 16 - 3)
    assert figures.trend["cohort"].tolist() == ["2014-2015", "2015-2016"]
    assert figures.ratings["intervention_id"].tolist() == ["b", "c"]
    counts = dict(zip(figures.coverage["theme"], figures.coverage["interventions"], strict=True))
    assert (counts["crise"], counts["veille"], counts["outils"]) == (0, 1, 1)


def test_the_other_filters_also_apply_to_the_earlier_cohorts(conn, model):
    # Only c has an agency's speaker: no earlier cohort to compare with.
    figures = overview.page_figures(conn, model, Filters(org_types=("agence",)))
    assert figures.interventions == 1
    assert figures.by_cohort["cohort"].tolist() == ["2015-2016"]
    assert (figures.reference, figures.previous) == ("2015-2016", None)
    assert figures.values["satisfaction"] == pytest.approx(4.0)
    assert math.isnan(figures.changes["interventions"])
    assert figures.trend["cohort"].tolist() == ["2015-2016"]
    assert figures.latest_quotes.empty  # c's quote is only proposed


def test_a_chosen_reference_cohort(conn, model):
    figures = overview.page_figures(conn, model, Filters(), reference="2014-2015")
    assert (figures.reference, figures.previous) == ("2014-2015", None)
    assert figures.values["interventions"] == 1
    assert figures.values["satisfaction"] == pytest.approx(3.0)
    assert all(math.isnan(change) for change in figures.changes.values())
    # A reference outside the selection falls back to its latest cohort.
    fallback = overview.page_figures(conn, model, Filters(cohorts=("2014-2015",)), reference="2015-2016")
    assert (fallback.reference, fallback.previous) == ("2014-2015", None)


def test_the_home_page_of_an_empty_selection(conn, model):
    figures = overview.page_figures(conn, model, Filters(cohorts=("2016-2017",)))
    assert figures.interventions == 0
    assert figures.cohorts == ()
    assert figures.reference is None and figures.previous is None
    assert figures.values == {} and figures.changes == {}
    assert figures.ratings.empty
    assert figures.latest_quotes.empty
    assert figures.coverage["interventions"].sum() == 0


def test_the_home_page_follows_the_stores_anonymity_threshold():
    conn = make_store(threshold=6)
    figures = overview.page_figures(conn, load_model(conn), Filters())
    assert figures.ratings["intervention_id"].tolist() == ["b", "c"]
    assert math.isnan(figures.by_cohort.set_index("cohort").at["2014-2015", "satisfaction"])
    assert math.isnan(figures.changes["satisfaction"])
    assert figures.trend["mean"].isna().tolist() == [True, False]
