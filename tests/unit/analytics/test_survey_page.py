"""The Enquêtes page as one computation (`insights.analytics.survey_page`): its helpers, its
choices, and what it shows a student and the director."""

from __future__ import annotations

import numpy as np

from insights.analytics import survey, survey_page
from tests.unit.survey_fixtures import make_cube

ALL = np.array([True, True, True])


def test_limit_rows_keeps_shown_rows_only():
    talks = survey.talk_distribution(make_cube(), ALL, "satisfaction", threshold=5)
    assert survey_page.limit_rows(talks, "top", 1)["intervention_id"].tolist() == ["t1"]
    assert survey_page.limit_rows(talks, "bottom", 1)["intervention_id"].tolist() == ["t2"]
    assert survey_page.limit_rows(talks, "all")["intervention_id"].tolist() == ["t1", "t2"]


def test_talks_from_selection_reads_the_ids_in_customdata():
    points = [
        {"customdata": ["t2", "label", 3, 50.0]},
        {"customdata": "t1"},
        {"customdata": ["t2", "label", 1, 20.0]},
        {"x": 1},
    ]
    assert survey_page.talks_from_selection(points) == ["t2", "t1"]
    assert survey_page.talks_from_selection([]) == []


# --- free text -----------------------------------------------------------------------------------
