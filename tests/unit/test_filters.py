"""The shared filters: selection of interventions and their round trip through the URL."""

from __future__ import annotations

import pandas as pd

from insights.filters import Filters, previous_cohort, select_interventions

SPEAKERS = pd.DataFrame(
    {
        "speaker_id": ["u", "g", "a"],
        "org_type": ["université / établissement public", "grand groupe", "agence"],
    }
)
TALKS = pd.DataFrame(
    {
        "intervention_id": ["t1", "t2", "t3", "t4"],
        "cohort": ["2014-2015", "2015-2016", "2015-2016", "2015-2016"],
        "semester": ["S1", "S1", "S2", "S2"],
        "speaker_ids": [["u"], ["g"], ["a", "u"], ["g"]],
        "themes": [["crise"], ["veille", "outils"], ["crise", "parcours"], ["strategie"]],
    }
)


def ids(frame):
    return frame["intervention_id"].tolist()


def test_no_filter_keeps_everything():
    assert ids(select_interventions(TALKS, SPEAKERS, Filters())) == ["t1", "t2", "t3", "t4"]


def test_filters_combine():
    filters = Filters(cohorts=("2015-2016",), semesters=("S2",))
    assert ids(select_interventions(TALKS, SPEAKERS, filters)) == ["t3", "t4"]


def test_org_type_matches_any_speaker_of_a_talk():
    filters = Filters(org_types=("université / établissement public",))
    assert ids(select_interventions(TALKS, SPEAKERS, filters)) == ["t1", "t3"]


def test_themes_match_any_of_the_chosen_themes():
    filters = Filters(themes=("outils", "parcours"))
    assert ids(select_interventions(TALKS, SPEAKERS, filters)) == ["t2", "t3"]


def test_query_params_round_trip():
    filters = Filters(
        cohorts=("2014-2015", "2015-2016"), semesters=("S1",), org_types=("agence",), themes=("crise",)
    )
    params = filters.to_query_params()
    assert params == {
        "promotion": ["2014-2015", "2015-2016"],
        "semestre": ["S1"],
        "organisation": ["agence"],
        "theme": ["crise"],
    }
    assert Filters.from_query_params(params, ["2014-2015", "2015-2016"]) == filters


def test_unknown_values_in_the_url_are_dropped():
    params = {"promotion": ["1999-2000", "2015-2016"], "theme": "<script>", "semestre": ["S3"]}
    assert Filters.from_query_params(params, ["2015-2016"]) == Filters(cohorts=("2015-2016",))


def test_previous_cohort():
    known = ["2013-2014", "2014-2015", "2015-2016"]
    assert previous_cohort("2015-2016", known) == "2014-2015"
    assert previous_cohort("2013-2014", known) is None
