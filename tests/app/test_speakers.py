"""The speakers page and the director's reinvite page with AppTest: filters change the directory,
the URL opens a profile, and figures under the anonymity threshold are withheld."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from insights import store
from tests.app.helpers import page_tables

ROOT = Path(__file__).resolve().parents[2]
SPEAKERS_PAGE = str(ROOT / "pages" / "speakers.py")
REINVITE_PAGE = str(ROOT / "pages" / "reinvite.py")


def open_page(page: str, director: bool = False, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if director:
        at.session_state["role"] = "director"
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def card_ids(at: AppTest) -> list[str]:
    """The speaker ids the directory's cards link to, in order."""
    links = [link for link in at.page_link if link.value == "Voir le profil"]
    return [link.proto.query_string.split("intervenant=")[1].split("&")[0] for link in links]


def caption_texts(at: AppTest) -> list[str]:
    return [caption.value for caption in at.caption]


def test_the_directory_lists_every_speaker_with_links_to_their_profiles(app_db):
    at = open_page(SPEAKERS_PAGE)
    assert at.title[0].value == "Intervenants"
    ids = card_ids(at)
    assert len(ids) == 22
    assert len(set(ids)) == 22
    assert any("22 intervenant·es" in text for text in caption_texts(at))
    # Default order: the latest talk first (Thomas Nguyen, 28/04/2016 in the demo).
    assert ids[0] == "sp04"


def test_a_sidebar_filter_keeps_the_speakers_of_matching_talks(app_db, demo_conn):
    at = open_page(SPEAKERS_PAGE)
    at.multiselect(key="filter_org_types").set_value(["agence"]).run()
    assert not at.exception
    agencies = set(store.load_speakers(demo_conn).query("org_type == 'agence'")["speaker_id"])
    # A talk co-presented with an agency speaker also lists the other speaker.
    assert agencies <= set(card_ids(at)) < set(card_ids(open_page(SPEAKERS_PAGE)))


def test_the_cohort_filter_comes_from_the_url_and_is_kept_in_the_profile_links(app_db):
    at = open_page(SPEAKERS_PAGE, promotion=["2011-2012"])
    ids = card_ids(at)
    assert 0 < len(ids) < 22
    link = next(link for link in at.page_link if link.value == "Voir le profil")
    assert "promotion=2011-2012" in link.proto.query_string


def test_search_ignores_accents(app_db):
    at = open_page(SPEAKERS_PAGE)
    at.text_input(key="recherche_annuaire").set_value("EMILIE").run()
    assert card_ids(at) == ["sp07"]
    at.text_input(key="recherche_annuaire").set_value("agence houle").run()
    assert card_ids(at) == ["sp03"]
    at.text_input(key="recherche_annuaire").set_value("personne de ce nom").run()
    assert card_ids(at) == []
    assert any("Aucun·e intervenant·e" in info.value for info in at.info)


def test_sector_network_and_sort_change_the_list(app_db):
    at = open_page(SPEAKERS_PAGE)
    at.multiselect(key="secteur").set_value(["Administration territoriale"]).run()
    assert sorted(card_ids(at)) == ["sp05", "sp15"]
    at.multiselect(key="secteur").set_value([]).run()
    at.multiselect(key="reseau").set_value(["Twitch"]).run()
    assert card_ids(at) == ["sp13"]
    at.multiselect(key="reseau").set_value([]).run()
    at.selectbox(key="classement").set_value("name").run()
    names = [m.value.strip("*") for m in at.markdown if m.value.startswith("**")]
    assert names[0] == "Antoine Lefèvre"
    at.selectbox(key="classement").set_value("talks").run()
    assert card_ids(at)[:2] == ["sp04", "sp09"]  # five talks each


def test_the_routes_tab_counts_who_came_without_a_communication_degree(app_db):
    at = open_page(SPEAKERS_PAGE)
    metric = next(m for m in at.metric if m.label == "Venu·es sans diplôme de communication")
    assert metric.value == "15 sur 22"
    assert len(at.get("plotly_chart")) == 3


def test_the_url_opens_a_profile_and_the_back_button_closes_it(app_db):
    at = open_page(SPEAKERS_PAGE, intervenant="sp07")
    assert at.title[0].value == "Émilie Rousseau"
    labels = [m.label for m in at.metric]
    assert labels == ["Interventions", "Réponses au questionnaire", "Satisfaction", "Réinviter (NPS)"]
    assert next(m.value for m in at.metric if m.label == "Interventions") == "4"
    assert "/5" in next(m.value for m in at.metric if m.label == "Satisfaction")
    charts = {chart.proto.id for chart in at.get("plotly_chart")}
    assert len(charts) == 3  # timeline, ratings, NPS
    subheaders = [s.value for s in at.subheader]
    assert subheaders == [
        "Parcours",
        "Ses interventions",
        "Ce qu'en disent les étudiant·es",
        "Ses citations publiées",
    ]
    assert not card_ids(at)

    at.button(key="profile_back").click().run()
    assert not at.exception
    assert at.title[0].value == "Intervenants"
    assert "intervenant" not in at.query_params
    assert len(card_ids(at)) == 22


def test_an_unknown_speaker_in_the_url_shows_the_directory_with_a_warning(app_db):
    at = open_page(SPEAKERS_PAGE, intervenant="sp99")
    assert at.title[0].value == "Intervenants"
    assert at.warning and "n'existe pas" in at.warning[0].value
    assert len(card_ids(at)) == 22


def test_the_profile_shows_the_takeaways_students_share(app_db):
    def expressions(at: AppTest):
        frames = [frame.value for frame in at.dataframe]
        takeaways = next(frame for frame in frames if "expression" in frame.columns)
        assert (takeaways["answers"] >= 5).all()
        assert "respondent" not in takeaways.columns
        return dict(zip(takeaways["expression"], takeaways["answers"], strict=True))

    director = expressions(open_page(SPEAKERS_PAGE, director=True, intervenant="sp09"))
    students = expressions(open_page(SPEAKERS_PAGE, intervenant="sp09"))
    assert "Penser aux indicateurs dès le début de la stratégie" in director
    # Students read the takeaways reviewed public of published talks only: fewer, never more.
    assert students and all(director.get(e, 0) >= n for e, n in students.items())
    assert sum(students.values()) < sum(director.values())


@pytest.fixture
def strict_threshold_db(app_db):
    """The demo database with an anonymity threshold no speaker reaches (1,000 answers)."""
    conn = store.connect(app_db)
    store.set_anonymity_threshold(conn, 1000)
    conn.close()
    return app_db


def test_ratings_under_the_threshold_are_withheld_on_the_profile(strict_threshold_db):
    at = open_page(SPEAKERS_PAGE, intervenant="sp07")
    assert next(m.value for m in at.metric if m.label == "Satisfaction") == "moins de 1000 réponses"
    assert next(m.value for m in at.metric if m.label == "Réinviter (NPS)") == "moins de 1000 réponses"
    infos = " ".join(info.value for info in at.info)
    assert "les évaluations ne sont pas affichées" in infos
    assert "le NPS n'est pas affiché" in infos
    assert "rien n'est affiché" in infos
    assert len(at.get("plotly_chart")) == 1  # the career timeline only
    talks = next(frame.value for frame in at.dataframe if "satisfaction" in frame.value.columns)
    # Their talks of the cohort being reviewed are not published yet.
    assert set(talks["satisfaction"]) == {"moins de 1000 réponses", "résultats non publiés"}


def test_ratings_under_the_threshold_are_withheld_in_the_directory(strict_threshold_db):
    at = open_page(SPEAKERS_PAGE)
    card_lines = [m.value for m in at.markdown if "intervention" in m.value and "satisfaction" in m.value]
    assert len(card_lines) == 22
    assert all("satisfaction : moins de 1000 réponses" in line for line in card_lines)


def test_speaker_text_is_shown_literally(app_db):
    conn = store.connect(app_db)
    store.write_speakers(
        conn,
        [
            {
                "speaker_id": "sp90",
                "name": "**Gras** <img src=x onerror=alert(1)>",
                "title": "[lien](javascript:alert(1))",
                "organisation": "Org",
                "org_type": "agence",
                "sector": "",
                "networks": "",
                "years_experience": None,
                "education": "",
                "bio": "",
            }
        ],
    )
    conn.close()
    at = open_page(SPEAKERS_PAGE, intervenant="sp90")
    assert at.title[0].value == r"\*\*Gras\*\* \<img src=x onerror=alert\(1\)\>"
    assert not any(m.allow_html for m in at.markdown)
    assert any(r"\[lien\]\(javascript\:alert\(1\)\)" in m.value for m in at.markdown)


def test_the_reinvite_page_is_for_the_director_only(app_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(REINVITE_PAGE).run()


def test_the_reinvite_page_run_on_its_own_still_checks_the_role(app_db):
    at = AppTest.from_file(REINVITE_PAGE, default_timeout=60).run()
    assert not at.exception
    # the sign-in (its form, or how to set a password when none is), never the page
    assert any("mot de passe" in w.value for w in at.warning) or any(
        field.label == "Mot de passe" for field in at.text_input
    )
    assert not at.dataframe


def test_the_reinvite_page_ranks_speakers_by_nps(app_db):
    at = open_page(REINVITE_PAGE, director=True)
    assert at.title[0].value == "Qui réinviter ?"
    table = page_tables(at)[0].value
    assert len(table) == 22
    assert table["rank"].tolist() == list(range(1, 23))
    assert table["nps"].is_monotonic_decreasing
    assert table["profile"].iloc[0].startswith("speakers?intervenant=")
    assert len(at.get("plotly_chart")) == 1


def test_the_reinvite_page_flags_speakers_under_the_threshold(app_db):
    conn = store.connect(app_db)
    store.set_anonymity_threshold(conn, 100)
    conn.close()
    at = open_page(REINVITE_PAGE, director=True)
    table = page_tables(at)[0].value
    flagged = table[table["flag"] != ""]
    assert len(flagged) > 0
    assert flagged["rank"].isna().all()
    assert flagged["nps"].isna().all()
    assert (flagged["nps_n"] < 100).any()
    # Flagged rows come last.
    assert table["flag"].tolist() == sorted(table["flag"].tolist(), key=bool)
    assert next(m.value for m in at.metric if m.label == "À confirmer") == str(len(flagged))
