"""The home page ("Vue d'ensemble") with AppTest: indicators follow the shared filters."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from insights import store
from insights.domain import ORG_TYPES, THEME_IDS
from insights.filters import Filters, select_interventions

ROOT = Path(__file__).resolve().parents[2]


def open_home(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_home_shows_the_indicators_of_the_latest_cohort(app_db):
    at = open_home()
    assert at.title[0].value == "Vue d'ensemble"
    # 2015-2016's results are not published yet: students compare the latest cohort they may see.
    assert at.selectbox(key="overview_reference_cohort").value == "2014-2015"
    assert at.selectbox(key="overview_reference_cohort").options == ["2015-2016", "2014-2015", "2013-2014",
                                                                      "2012-2013", "2011-2012"]  # fmt: skip
    assert any("de la sélection (promotion 2015-2016) : résultats non publiés" in c.value for c in at.caption)
    labels = [m.label for m in at.metric]
    assert labels == [
        "Interventions",
        "Intervenant·es",
        "Réponses",
        "Taux de réponse",
        "Satisfaction moyenne",
        "Réinviter (NPS)",
    ]
    assert int(metric(at, "Interventions")) > 0
    assert "/5" in metric(at, "Satisfaction moyenne")
    assert len(at.get("plotly_chart")) == 2


def test_the_ratings_tables_give_every_mean_two_decimals_with_a_comma(app_db):
    """Rounded to 0.01 and shown in the browser's locale: "4,40" beside "4,38", never "4,4"."""
    at = open_home()
    ratings = [table for table in at.dataframe if "Satisfaction" in table.proto.columns]
    assert len(ratings) == 2, "the best and the weakest talks"
    for table in ratings:
        assert (table.value["mean"].round(2) == table.value["mean"]).all()
        mean_column = json.loads(table.proto.columns)["mean"]
        assert mean_column["label"] == "Satisfaction"
        assert mean_column["type_config"]["format"] == "localized"
        assert mean_column["type_config"]["step"] == 0.01


def test_changing_a_filter_changes_the_figures(app_db):
    at = open_home()
    before = (metric(at, "Interventions"), metric(at, "Réponses"))
    at.multiselect(key="filter_semesters").set_value(["S2"]).run()
    assert not at.exception
    after = (metric(at, "Interventions"), metric(at, "Réponses"))
    assert after != before
    assert int(after[0]) < int(before[0])
    semester_param = at.query_params["semestre"]
    assert (semester_param if isinstance(semester_param, list) else [semester_param]) == ["S2"]


def test_filters_are_read_from_the_url(app_db):
    at = open_home(promotion=["2013-2014"], theme=["crise"])
    assert at.multiselect(key="filter_cohorts").value == ["2013-2014"]
    assert at.multiselect(key="filter_themes").value == ["crise"]
    assert at.selectbox(key="overview_reference_cohort").value == "2013-2014"


def _empty_selection(conn) -> Filters:
    """A cohort, organisation type and theme that no talk of the demo matches."""
    interventions, speakers = store.load_interventions(conn), store.load_speakers(conn)
    for cohort in store.load_cohorts(conn)["cohort"]:
        for org_type in ORG_TYPES:
            for theme in THEME_IDS:
                filters = Filters(cohorts=(cohort,), org_types=(org_type,), themes=(theme,))
                if select_interventions(interventions, speakers, filters).empty:
                    return filters
    raise AssertionError("the demo has a talk for every cohort, organisation type and theme")


def test_a_selection_without_talks_says_so(app_db, demo_conn):
    filters = _empty_selection(demo_conn)
    at = open_home(**filters.to_query_params())
    assert not at.metric
    assert any("Aucune intervention" in i.value for i in at.info)


def test_demo_banner_is_shown_on_demo_data(app_db):
    at = open_home()
    assert any("Données de démonstration" in c.value for c in at.caption)


def test_an_unexpected_error_shows_a_french_message_not_a_traceback(app_db):
    conn = store.connect(app_db)
    conn.execute("DROP TABLE quote_themes")
    conn.close()
    at = open_home()
    assert not at.exception
    assert any("erreur inattendue" in e.value for e in at.error)
