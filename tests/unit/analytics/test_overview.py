"""The overview's indicators by cohort and their change against the previous cohort."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from insights.analytics import overview

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
COHORTS = pd.DataFrame({"cohort": ["2014-2015", "2015-2016"], "size": [10, 20]})
COUNTS = pd.DataFrame({"intervention_id": ["a", "b", "c"], "responses": [5, 10, 6]})


def _scores():
    rows = []
    for talk, satisfaction, recommend in [
        ("a", [3, 3, 3, 3, 3], [5, 6, 7, 8, 9]),
        ("b", [5] * 10, [10] * 10),
        ("c", [4, 4, 4, 4, 4, 4], [9, 9, 6, 6, 8, 8]),
    ]:
        for i, (s, r) in enumerate(zip(satisfaction, recommend, strict=True)):
            rows.append(
                {"response_id": f"{talk}{i}", "intervention_id": talk, "satisfaction": s, "recommend": r}
            )
    return pd.DataFrame(rows)


def test_kpis_by_cohort_hand_computed():
    table = overview.kpis_by_cohort(TALKS, COUNTS, _scores(), COHORTS, threshold=5).set_index("cohort")
    recent = table.loc["2015-2016"]
    assert recent["interventions"] == 2
    assert recent["speakers"] == 2
    assert recent["responses"] == 16
    assert recent["response_rate"] == pytest.approx(16 / 40)
    assert recent["satisfaction"] == pytest.approx((50 + 24) / 16)
    # 12 promoters, 2 passives, 2 detractors out of 16
    assert recent["nps"] == pytest.approx(100 * (12 - 2) / 16)
    older = table.loc["2014-2015"]
    assert older["nps"] == pytest.approx(100 * (1 - 2) / 5)


def test_kpis_below_the_threshold_are_hidden():
    table = overview.kpis_by_cohort(TALKS, COUNTS, _scores(), COHORTS, threshold=6).set_index("cohort")
    assert math.isnan(table.loc["2014-2015", "satisfaction"])
    assert math.isnan(table.loc["2014-2015", "nps"])
    assert not math.isnan(table.loc["2015-2016", "satisfaction"])


def test_kpi_changes_against_the_previous_cohort():
    table = overview.kpis_by_cohort(TALKS, COUNTS, _scores(), COHORTS, threshold=5)
    values, changes, previous = overview.kpi_changes(table, "2015-2016")
    assert previous == "2014-2015"
    assert values["interventions"] == 2
    assert changes["interventions"] == 1
    assert changes["satisfaction"] == pytest.approx(74 / 16 - 3)
    _, first_changes, none = overview.kpi_changes(table, "2014-2015")
    assert none is None and math.isnan(first_changes["responses"])


def test_kpi_changes_of_a_cohort_without_talks():
    table = overview.kpis_by_cohort(TALKS, COUNTS, _scores(), COHORTS, threshold=5)
    values, _, previous = overview.kpi_changes(table, "2016-2017")
    assert values["interventions"] == 0 and math.isnan(values["satisfaction"])
    assert previous == "2015-2016"


def test_latest_quotes_are_published_ones_of_the_selection_newest_first():
    quotes = pd.DataFrame(
        {
            "quote_id": ["q1", "q2", "q3", "q4"],
            "text": ["un", "deux", "trois", "quatre"],
            "speaker_id": ["sp1", "sp1", "sp2", "sp1"],
            "intervention_id": ["a", "b", "c", None],
            "themes": [["crise"]] * 4,
            "source": [""] * 4,
            "status": ["publiée", "publiée", "proposée", "publiée"],
        }
    )
    speakers = pd.DataFrame(
        {
            "speaker_id": ["sp1", "sp2"],
            "name": ["Ana", "Bo"],
            "title": ["CM", "CM"],
            "organisation": ["X", "Y"],
        }
    )
    latest = overview.latest_quotes(quotes, TALKS, speakers, limit=5)
    assert latest["quote_id"].tolist() == ["q2", "q1"]
    assert latest.loc[0, "name"] == "Ana"
