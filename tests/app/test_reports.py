"""Reports in the app (AppTest): the director's downloads on Enquêtes, Intervenants and Thèmes,
the speaker panel (share, revoke, openings), and the private link's page, which shows the sheet
and nothing else of the app."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from insights import store
from tests.app.helpers import open_page

ROOT = Path(__file__).resolve().parents[2]
REPORT_PANEL = "Bilan de la promotion (PDF ou HTML)"


def downloads(at: AppTest) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


@pytest.mark.parametrize("page", ["surveys.py", "speakers.py", "themes.py"])
def test_the_director_downloads_the_cohort_report_and_students_do_not(app_db, page):
    at = open_page(page, director=True)
    assert REPORT_PANEL in [e.label for e in at.expander]
    assert {"Télécharger (PDF)", "Télécharger (HTML)"} <= set(downloads(at))
    assert (
        at.selectbox(key=f"{page.removesuffix('.py').replace('surveys', 'survey')}_report_cohort").value
        == "2015-2016"
    )

    quotes = at.multiselect(
        key=f"{page.removesuffix('.py').replace('surveys', 'survey')}_report_quotes_2015-2016"
    )
    assert quotes.label == "Citations du bilan" and len(quotes.options) > 6
    quotes.set_value([quotes.options[3]]).run()
    assert not at.exception and not at.error

    student = open_page(page)
    assert REPORT_PANEL not in [e.label for e in student.expander]
    assert not [label for label in downloads(student) if label.startswith("Télécharger (PDF")]


def link_page(token: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["fiche"] = token
    at.run()
    assert not at.exception, at.exception
    return at


def html_text(at: AppTest) -> str:
    return "".join(element.proto.body for element in at.get("html"))


def test_the_speaker_panel_shares_and_revokes_the_link_that_opens_the_sheet_alone(app_db):
    at = open_page("speakers.py", director=True, intervenant="sp07")
    assert "Aucun lien actif." in [m.value for m in at.markdown]
    assert {"Télécharger (PDF)", "Télécharger (HTML)"} <= set(downloads(at))
    at.button(key="share_create").click().run()
    assert not at.exception, at.exception
    url = at.code[0].value
    assert "/?fiche=" in url
    token = url.split("fiche=", 1)[1]
    assert any("Lien actif depuis le" in m.value for m in at.markdown)

    sheet = link_page(token)
    body = html_text(sheet)
    assert "Retour sur votre intervention" in body and "Émilie Rousseau" in body
    assert not sheet.sidebar.children, "no sidebar: no menu, no filters"
    assert not sheet.title, "no page of the app besides the sheet"
    assert [b.proto.label for b in sheet.get("download_button")] == ["Télécharger la fiche (PDF)"]
    sheet.run()  # the same session again: one opening only
    conn = store.connect(app_db)
    try:
        assert len(store.load_share_openings(conn, "sp07")) == 1
    finally:
        conn.close()

    at.run()
    assert any("ouvert 1 fois" in m.value for m in at.markdown)
    assert len(at.dataframe) >= 1
    at.button(key="share_revoke").click().run()
    assert "Aucun lien actif." in [m.value for m in at.markdown]

    revoked = link_page(token)
    assert "Ce lien n'est plus actif" in revoked.warning[0].value
    assert not html_text(revoked) and not revoked.sidebar.children


def test_an_unknown_token_shows_a_short_message(app_db):
    at = link_page("not-a-token")
    assert "n'est pas valide" in at.warning[0].value
    assert not html_text(at)
