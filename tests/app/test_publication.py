"""Publication with AppTest: as a student, an unpublished talk's figures and its unreviewed comments
appear nowhere, whichever page or address with whatever parameters; the director publishes a
cohort from the Publication page and students see it, then unpublishes it and they no longer do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from insights import store
from insights.domain import PUBLISHED_RESULTS, REVIEWED
from tests.app.helpers import open_page, page_tables

ROOT = Path(__file__).resolve().parents[2]
LATEST = "2015-2016"  # the demo's cohort still in review


def shown_text(at: AppTest) -> str:
    """Everything a page shows as text: markdown, captions, metrics, tables and charts' data."""
    parts = [e.value for kind in ("markdown", "caption", "info", "warning", "success") for e in at.get(kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    parts += [element.proto.spec for element in at.get("plotly_chart")]
    return "\n".join(str(part) for part in parts)


@pytest.fixture
def unpublished(app_db: Path) -> dict:
    """The demo's first talk of the latest cohort (results reviewed, not published), its speaker,
    a theme, and its free-text answers that were never reviewed."""
    conn = store.connect(app_db)
    talks = store.load_interventions(conn)
    publication = store.load_publication(conn).set_index("intervention_id")["state"]
    talk = talks[(talks["cohort"] == LATEST) & (talks["semester"] == "S1")].iloc[0]
    assert publication[talk["intervention_id"]] == REVIEWED
    pending = store.review_queue(conn, talk["intervention_id"])["text"].tolist()
    conn.close()
    assert pending, "the demo leaves some of that talk's answers to review"
    return {
        "id": talk["intervention_id"],
        "title": talk["title"],
        "speaker": talk["speaker_ids"][0],
        "theme": talk["themes"][0],
        "pending": pending,
    }


ADDRESSES = [
    ("overview.py", {}),
    ("overview.py", {"promotion": LATEST}),
    ("surveys.py", {}),
    ("surveys.py", {"promotion": LATEST}),
    ("surveys.py", {"promotion": LATEST, "semestre": "S1"}),
    ("speakers.py", {}),
    ("themes.py", {}),
    ("themes.py", {"promotion": LATEST}),
]


@pytest.mark.parametrize(("page", "query"), ADDRESSES)
def test_a_students_page_shows_no_figure_nor_comment_of_an_unpublished_talk(unpublished, page, query):
    at = open_page(page, **query)
    text = shown_text(at)
    assert not [answer for answer in unpublished["pending"] if answer in text]
    for chart in at.get("plotly_chart"):
        figure = json.loads(chart.proto.spec)
        ids = [str(item) for trace in figure["data"] for item in json.dumps(trace.get("customdata", []))]
        assert unpublished["id"] not in "".join(ids)
        assert unpublished["title"][:30] not in json.dumps(figure["layout"].get("yaxis", {}))


def test_a_students_enquetes_on_the_cohort_in_review_says_it_is_not_published(unpublished):
    at = open_page("surveys.py", promotion=LATEST)
    assert not at.get("plotly_chart") and not at.dataframe
    assert any("pas encore publiés" in info.value for info in at.info)


def test_a_students_overview_of_the_cohort_in_review_shows_no_figure(unpublished):
    at = open_page("overview.py", promotion=LATEST)
    values = {m.label: m.value for m in at.metric}
    assert values["Interventions"] == "16"  # the programme is there…
    for label in ("Réponses", "Taux de réponse", "Satisfaction moyenne", "Réinviter (NPS)"):
        assert values[label] == "résultats non publiés"  # …its results are not


def test_a_students_speaker_profile_marks_the_unpublished_talk(unpublished):
    at = open_page("speakers.py", intervenant=unpublished["speaker"])
    talks = page_tables(at)[0].value
    row = talks[talks["title"].str.startswith(unpublished["title"][:30])].iloc[0]
    assert (row["satisfaction"], row["responses"]) == ("résultats non publiés", "—")


def test_a_students_theme_view_marks_the_unpublished_talk(unpublished):
    at = open_page("themes.py", promotion=LATEST, theme=unpublished["theme"])
    talks = next(frame.value for frame in at.dataframe if "usefulness" in frame.value.columns)
    row = talks[talks["title"] == unpublished["title"]].iloc[0]
    assert row["usefulness"] == "résultats non publiés"


def test_the_director_sees_everything(unpublished):
    at = open_page("surveys.py", director=True, promotion=LATEST, semestre="S1")
    assert at.get("plotly_chart")
    assert unpublished["id"] in shown_text(at)


def publication_page(**query: str) -> AppTest:
    """The Publication page, acting on the latest cohort as a whole (within the sidebar's filters)."""
    at = open_page("publication.py", director=True, **query)
    at.radio(key="publication_scope").set_value("cohort").run()
    at.selectbox(key="publication_cohort").set_value(LATEST).run()
    return at


def states(database: Path, semester: str) -> set[str]:
    conn = store.connect(database)
    try:
        talks = store.load_interventions(conn)
        chosen = set(
            talks.loc[(talks["cohort"] == LATEST) & (talks["semester"] == semester), "intervention_id"]
        )
        publication = store.load_publication(conn)
        return set(publication.loc[publication["intervention_id"].isin(chosen), "state"])
    finally:
        conn.close()


def test_publishing_talks_without_answers_is_refused_with_their_names(app_db, unpublished):
    conn = store.connect(app_db)
    store.write_interventions(
        conn,
        [{"intervention_id": "2015-2016-S2-99", "date": "2016-06-01", "cohort": LATEST, "semester": "S2",
          "title": "Intervention sans réponse", "format": "atelier", "tools": "", "speaker_ids": ["sp01"],
          "themes": ["crise"]}],
    )  # fmt: skip
    conn.close()
    at = publication_page()
    at.button(key="publication_publish").click().run()
    refusal = " ".join(e.value for e in at.error)
    assert "Aucune réponse au questionnaire" in refusal and "Intervention sans réponse" in refusal
    assert not [b for b in at.button if b.key == "publish_confirm"]  # nothing to confirm
    assert states(app_db, "S1") == {REVIEWED}


def test_publishing_then_unpublishing_from_the_page_shows_then_hides_talks(app_db, unpublished):
    # The first semester of the cohort in review: every talk has answers.
    at = publication_page(semestre="S1")
    at.button(key="publication_publish").click().run()
    preview = " ".join(e.value for e in at.markdown)
    assert "Les étudiant·es verront" in preview and "8 interventions" in preview
    at.button(key="publish_confirm").click().run()
    assert not at.exception, at.exception
    assert states(app_db, "S1") == {PUBLISHED_RESULTS}
    student = open_page("surveys.py", promotion=LATEST, semestre="S1")
    assert student.get("plotly_chart") and unpublished["id"] in shown_text(student)
    assert not [answer for answer in unpublished["pending"] if answer in shown_text(student)]

    at = publication_page(semestre="S1")
    at.button(key="publication_withdraw").click().run()
    assert states(app_db, "S1") == {REVIEWED}
    student = open_page("surveys.py", promotion=LATEST, semestre="S1")
    assert not student.get("plotly_chart") and unpublished["id"] not in shown_text(student)
    history = store.load_publication_history(store.connect(app_db))
    assert (history["intervention_id"] == unpublished["id"]).sum() >= 2  # published, then taken back
