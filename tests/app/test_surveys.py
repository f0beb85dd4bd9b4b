"""The "Enquêtes" page with AppTest: figures follow the filters, the anonymity threshold hides
small selections, and the comments are the director's alone."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from insights import store
from tests.app.helpers import page_tables

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "surveys.py")


def open_surveys(director: bool = False, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    if director:
        at.session_state["role"] = "director"
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def charts(at: AppTest) -> dict[str, dict]:
    """The page's plotly figures (figure JSON) by key (element ids end with "-<key>")."""
    return {
        element.proto.id.split("-", 2)[2]: json.loads(element.proto.spec)
        for element in at.get("plotly_chart")
    }


def _values(array) -> list:
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def test_the_page_draws_every_section(app_db):
    at = open_surveys()
    assert at.title[0].value == "Enquêtes"
    assert [m.label for m in at.metric] == [
        "Interventions",
        "Réponses",
        "Taux de réponse",
        "Satisfaction moyenne",
    ]
    # Students see the talks whose results are published (and with responses).
    conn = store.connect(app_db)
    states = store.load_publication(conn).merge(store.load_talk_responses(conn), on="intervention_id")
    conn.close()
    published = states[(states["state"] == "published") & (states["responses"] > 0)]
    assert 0 < int(metric(at, "Interventions")) == len(published) < len(states)
    assert "/5" in metric(at, "Satisfaction moyenne")
    subheaders = [s.value for s in at.subheader]
    for heading in (
        "Réponses par question",
        "Comparer les interventions",
        "Réinviter ?",
        "Une intervention ou un·e intervenant·e à la loupe",
        "La partie la plus utile, par format",
        "Évolution par promotion et semestre",
        "Ce qu'en disent les étudiant·es",
    ):
        assert heading in subheaders
    assert len(at.get("plotly_chart")) >= 11
    # Each chart's figures can be downloaded.
    assert len(at.get("download_button")) >= 10


def test_changing_the_filters_changes_the_numbers(app_db):
    at = open_surveys()
    before = (metric(at, "Interventions"), metric(at, "Réponses"), metric(at, "Satisfaction moyenne"))
    at.multiselect(key="filter_cohorts").set_value(["2013-2014"]).run()
    assert not at.exception
    after = (metric(at, "Interventions"), metric(at, "Réponses"), metric(at, "Satisfaction moyenne"))
    assert after != before
    assert int(after[0]) < int(before[0])
    # The heatmap now has only that cohort's columns.
    heatmap = next(fig for fig in charts(at).values() if fig["data"][0]["type"] == "heatmap")
    assert {x.split()[0] for x in heatmap["data"][0]["x"]} == {"2013-2014"}


def test_the_page_widgets_change_what_is_shown(app_db):
    at = open_surveys()
    before = charts(at)["survey_talks"]
    at.selectbox(key="survey_question").set_value("clarity").run()
    assert not at.exception
    after = charts(at)["survey_talks"]
    assert [_values(t["x"]) for t in after["data"]] != [_values(t["x"]) for t in before["data"]]
    at.segmented_control(key="survey_target_kind").set_value("speaker").run()
    assert not at.exception
    assert at.selectbox(key="survey_target_speaker").value is not None
    speaker = at.selectbox(key="survey_target_speaker").value
    conn = store.connect(app_db)
    name = store.load_speakers(conn).set_index("speaker_id").loc[speaker, "name"]
    conn.close()
    assert charts(at)["survey_pillars"]["data"][1]["name"] == name


def test_the_rankings_follow_the_column_width_the_browser_reported(app_db):
    """Labels beside the bars in a wide column; above them once the browser has measured the
    column narrow (`pages.column_width`), whatever the device says it is."""

    def layouts(at: AppTest) -> dict[str, bool]:
        figures = charts(at)
        return {
            key: figures[key]["layout"]["yaxis"].get("showticklabels", True)
            for key in ("survey_distribution", "survey_talks", "survey_nps_speakers")
        }

    at = open_surveys()
    assert set(layouts(at).values()) == {True}
    assert any("À droite de chaque barre" in caption.value for caption in at.caption)
    at.session_state["_column_narrow"] = True
    at.run()
    assert not at.exception
    assert set(layouts(at).values()) == {False}
    assert any("Au-dessus de chaque barre" in caption.value for caption in at.caption)


def test_a_selection_below_the_threshold_shows_no_figure(app_db):
    conn = store.connect(app_db)
    store.set_anonymity_threshold(conn, 100_000)
    conn.close()
    at = open_surveys(director=True)
    assert metric(at, "Réponses") == "moins de 100000 réponses"
    assert metric(at, "Satisfaction moyenne") == "moins de 100000 réponses"
    assert not at.get("plotly_chart")
    assert not at.dataframe
    assert any("aucune figure n'est affichée" in w.value for w in at.warning)


def test_talks_under_the_threshold_are_not_drawn(app_db):
    conn = store.connect(app_db)
    store.set_anonymity_threshold(conn, 26)
    counts = store.load_talk_responses(conn)
    talks = store.load_interventions(conn).set_index("intervention_id")
    conn.close()
    hidden = set(counts.loc[counts["responses"] < 26, "intervention_id"])
    assert hidden and len(hidden) < len(counts), "the demo has talks on both sides of 26 responses"
    at = open_surveys(director=True)
    at.segmented_control(key="survey_ranking").set_value("all").run()
    figures = charts(at)
    for key in ("survey_talks", "survey_nps_talks"):
        drawn = {y for trace in figures[key]["data"] for y in _values(trace["y"])}
        assert drawn and not drawn & hidden, key
    rates = {row[0] for trace in figures["survey_rates"]["data"] for row in trace["customdata"]}
    assert rates and not rates & hidden
    comments = page_tables(at)[0].value
    assert len(comments) > 0
    assert not set(comments["title"]) & set(talks.loc[list(hidden), "title"])
    assert any("moins de 26 réponses" in c.value for c in at.caption)
    assert any(
        c.value.endswith("avec moins de 26 réponses n'apparaissent pas (anonymat).") for c in at.caption
    )


def test_comments_and_their_search_are_for_the_director_only(app_db):
    student = open_surveys()
    assert not page_tables(student)
    assert not [t for t in student.text_input if t.key == "survey_comment_query"]
    assert any("ne sont pas publiés" in c.value for c in student.caption)
    # Students still see the most frequent terms.
    assert any("Les termes les plus employés" in m.value for m in student.markdown)

    director = open_surveys(director=True)
    table = page_tables(director)[0].value
    assert list(table.columns) == ["text", "title", "date", "cohort", "review"]
    assert len(table) == 200
    director.text_input(key="survey_comment_query").set_value("exemples concrets").run()
    assert not director.exception
    found = page_tables(director)[0].value
    assert 0 < len(found) < 200
    assert all("exemple" in text.lower() and "concret" in text.lower() for text in found["text"])


def test_choosing_talks_narrows_the_comments(app_db):
    conn = store.connect(app_db)
    counts = store.load_talk_responses(conn).set_index("intervention_id")["responses"]
    talk = store.load_interventions(conn).set_index("intervention_id")
    conn.close()
    chosen = next(i for i in reversed(talk.index) if counts.get(i, 0) >= 5)
    at = open_surveys(director=True)
    at.multiselect(key="survey_comment_talks").set_value([chosen]).run()
    assert not at.exception
    table = page_tables(at)[0].value
    assert set(table["title"]) == {talk.loc[chosen, "title"]}


def test_a_selection_without_talks_says_so(app_db):
    # No talk of the demo covers "outils" in 2011-2012's second semester with an association.
    at = open_surveys(
        promotion=["2011-2012"], semestre=["S2"], organisation=["association"], theme=["outils"]
    )
    assert not at.metric
    assert any("Aucune intervention" in i.value for i in at.info)
    assert not at.get("plotly_chart")
