"""The "Thèmes" page with AppTest: coverage maps follow the filters, the theme view follows its
selector, and only the director plans against stored targets."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from insights import store
from insights.domain import THEME_IDS

ROOT = Path(__file__).resolve().parents[2]
VEILLE = THEME_IDS.index("veille")


def open_themes(role: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if role is not None:
        at.session_state["role"] = role
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(str(ROOT / "pages" / "themes.py")).run()
    assert not at.exception, at.exception
    return at


def chart(at: AppTest, key: str) -> dict:
    """The plotly figure drawn with `key`, as JSON."""
    for element in at.get("plotly_chart"):
        if element.proto.id.endswith(f"-{key}"):
            return json.loads(element.proto.spec)
    raise AssertionError(f"no chart {key!r}")


def _array(value) -> np.ndarray:
    if isinstance(value, dict):  # plotly ≥ 6 encodes numeric arrays
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    return np.asarray(value, dtype="float64")


def heatmap(at: AppTest, key: str) -> tuple[list[str], np.ndarray, list[list[str]]]:
    trace = chart(at, key)["data"][0]
    z = _array(trace["z"])
    return trace["x"], z.reshape(len(trace["y"]), -1), trace["text"]


def talks_table(at: AppTest):
    """The theme view's table of talks (AppTest does not expose a dataframe's key)."""
    return next(d.value for d in at.dataframe if "speakers" in d.value.columns)


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_the_page_shows_both_coverage_maps(app_db):
    at = open_themes()
    assert at.title[0].value == "Thèmes"
    assert [t.label for t in at.tabs] == ["Couverture", "Utilité et fondamentaux", "Un thème"]
    cohorts, z, text = heatmap(at, "themes_by_cohort")
    assert cohorts == ["2011-2012", "2012-2013", "2013-2014", "2014-2015", "2015-2016"]
    assert z.shape == (len(THEME_IDS), 5)
    assert text[0] == [str(int(v)) for v in z[0]]
    org_types, z_org, _ = heatmap(at, "themes_by_org_type")
    assert len(org_types) == 8 and z_org.shape == (len(THEME_IDS), 8)
    assert not at.error


def test_a_sidebar_filter_changes_the_heatmap(app_db):
    at = open_themes()
    _, before, _ = heatmap(at, "themes_by_cohort")
    at.multiselect(key="filter_semesters").set_value(["S2"]).run()
    assert not at.exception
    _, after, _ = heatmap(at, "themes_by_cohort")
    assert after.shape == before.shape
    assert (after <= before).all() and after.sum() < before.sum()
    at.multiselect(key="filter_cohorts").set_value(["2013-2014"]).run()
    cohorts, only, _ = heatmap(at, "themes_by_cohort")
    assert cohorts == ["2013-2014"]
    assert only.shape == (len(THEME_IDS), 1)


def test_counting_quotes_or_takeaways_changes_what_the_maps_show(app_db):
    at = open_themes()
    _, talks, _ = heatmap(at, "themes_by_cohort")
    at.radio(key="themes_measure").set_value("quotes").run()
    _, quotes, _ = heatmap(at, "themes_by_cohort")
    assert not np.array_equal(talks, quotes)
    at.radio(key="themes_measure").set_value("takeaways").run()
    assert not at.exception
    _, takeaways, text = heatmap(at, "themes_by_org_type")
    hidden = np.isnan(takeaways)
    assert hidden.any(), "the demo has cells of 1 to 4 takeaways"
    assert ((takeaways[~hidden] == 0) | (takeaways[~hidden] >= 5)).all()
    cells = [cell for row in text for cell in row]
    assert [cell for cell, gone in zip(cells, hidden.ravel(), strict=True) if gone] == ["< 5"] * int(
        hidden.sum()
    )


def test_the_theme_view_follows_its_selector(app_db):
    at = open_themes()
    assert at.selectbox(key="themes_theme").value == "crise"
    crisis_talks = talks_table(at)
    assert len(crisis_talks) == int(next(m.value for m in at.metric if m.label == "Interventions"))
    at.selectbox(key="themes_theme").set_value("outils").run()
    assert not at.exception
    tool_talks = talks_table(at)
    assert len(tool_talks) != len(crisis_talks)
    assert "Ce qu'ils et elles en ont retenu" in [s.value for s in at.subheader]
    results = chart(at, "themes_theme_scores")["data"][0]
    assert results["y"][0] == "Utilité"


def test_the_theme_filter_preselects_the_theme_view(app_db):
    at = open_themes(theme=["parcours"])
    assert at.selectbox(key="themes_theme").value == "parcours"


def test_a_selection_without_talks_says_so_on_every_tab(app_db):
    at = open_themes(promotion=["2011-2012"], organisation=["start-up"])
    assert not at.exception
    infos = [i.value for i in at.info]
    assert sum("Aucune intervention ne correspond aux filtres" in i for i in infos) == 2
    assert "Aucune intervention de la sélection n'a couvert ce thème." in infos
    assert "Aucune citation publiée sur ce thème pour cette sélection." in infos
    assert not at.get("plotly_chart")


def test_a_student_does_not_see_the_planning_nor_the_editor(app_db):
    at = open_themes()
    assert "Planifier la prochaine promotion" not in [t.label for t in at.tabs]
    assert not [n for n in at.number_input if n.key.startswith("target_")]
    assert "Enregistrer les objectifs" not in [b.label for b in at.button]
    assert "À réinviter" not in markdown_text(at)


def test_the_director_sets_a_target_and_the_planning_list_changes(app_db):
    at = open_themes(role="director")
    assert at.tabs[-1].label == "Planifier la prochaine promotion"
    assert "**Veille et innovation** · Thème" not in markdown_text(at)
    assert at.number_input(key=f"target_theme_{VEILLE}").value == 2

    at.number_input(key=f"target_theme_{VEILLE}").set_value(9)
    next(b for b in at.button if b.label == "Enregistrer les objectifs").click().run()
    assert not at.exception
    assert "**Veille et innovation** · Thème" in markdown_text(at)
    assert "Prévoir au moins 9 interventions sur ce thème" in markdown_text(at).replace("\\", "")

    conn = store.connect(app_db)
    try:
        stored = store.load_planning_targets(conn).set_index(["kind", "key"])["talks_per_cohort"]
    finally:
        conn.close()
    assert stored[("theme", "veille")] == 9

    at.button(key="planning_reset").click().run()
    assert not at.exception
    assert "**Veille et innovation** · Thème" not in markdown_text(at)
    assert at.number_input(key=f"target_theme_{VEILLE}").value == 2


def test_a_wider_window_changes_the_planning(app_db):
    at = open_themes(role="director")
    before = markdown_text(at)
    assert "(2013-2014 à 2015-2016)" in before.replace("\\", "")
    at.slider(key="planning_window").set_value(1).run()
    assert not at.exception
    assert "(2015-2016)" in markdown_text(at).replace("\\", "")
