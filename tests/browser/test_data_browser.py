"""The director imports a survey export on the "Données" page: uploads it, maps the column the app
could not match, picks the talk, imports, and sees the report; a student never reaches the page."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from insights.formatting import WORD_JOINER
from tests.browser.conftest import PASSWORD
from tests.browser.helpers import (
    assert_no_exception,
    sign_in_as_director,
    wait_until_ready,
)
from tests.survey_exports import GOOGLE_FR, GOOGLE_FR_UNKNOWN

ROOT = Path(__file__).resolve().parents[2]
TALK = "2015-2016-S1-02 — Une université sur les réseaux sociaux : parcours, crises et passion (08/10/2015)"


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option of the selectbox whose label is `label`, typing to filter its long list."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
    wait_until_ready(page)


def test_a_student_cannot_open_the_data_page(page: Page, app_url: str):
    page.goto(f"{app_url}/data")
    wait_until_ready(page)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible()
    expect(nav.get_by_text("Données", exact=True)).to_have_count(0)
    expect(page.get_by_role("heading", name="Données")).to_have_count(0)
    expect(page.get_by_test_id("stFileUploaderDropzoneInput")).to_have_count(0)
    assert_no_exception(page)


def test_the_director_uploads_a_google_export_and_maps_a_column(page: Page, director_app_url: str):
    sign_in_as_director(page, director_app_url, "data", PASSWORD)
    expect(page.get_by_role("heading", name="Données")).to_be_visible()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(GOOGLE_FR))
    expect(page.get_by_text("Format : Google Forms · CSV, encodage UTF-8")).to_be_visible(timeout=30_000)
    wait_until_ready(page)
    expect(page.get_by_text("1 colonne à associer avant l'import.")).to_be_visible()
    expect(page.get_by_text("jamais enregistrés").first).to_be_visible()

    choose(page, f"Correspondance de « {GOOGLE_FR_UNKNOWN} »", "Nouvelle question : texte libre")
    expect(page.get_by_text("1 colonne à associer avant l'import.")).to_have_count(0)
    choose(page, "Intervention de tout le fichier", TALK)
    page.get_by_role("button", name="Importer").click()
    wait_until_ready(page)
    expect(
        page.get_by_text(
            f"{GOOGLE_FR.name} : 6 ajouté(s), 0 mis à jour, 0 inchangé(s) ; 1 question ajoutée au questionnaire."
        )
    ).to_be_visible(timeout=30_000)
    expect(
        page.get_by_text("Correspondances mémorisées pour les prochains fichiers de ce formulaire.")
    ).to_be_visible()
    assert_no_exception(page)


HOSTILE = "![x](http://127.0.0.1:9/pixel.png) **gras** [lien](https://evil.example) :material/home: $x^2$"


def test_an_exports_headers_and_answers_are_shown_as_written_in_the_form(
    page: Page, director_app_url: str, tmp_path: Path
):
    """A column's title and a student's answer reach the mapping form's labels, which read Markdown:
    nothing of them is formatted, linked or loaded."""
    export = tmp_path / "Retours (réponses).csv"
    export.write_text(
        f'Horodateur,"Globalement, je suis satisfait·e de cette intervention",{HOSTILE}\r\n'
        f'08/10/2015 18:04:11,"{HOSTILE}",oui\r\n'
        "08/10/2015 18:07:45,Tout à fait d'accord,non",
        encoding="utf-8",
    )
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in_as_director(page, director_app_url, "data", PASSWORD)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(export))
    expect(page.get_by_text("Réponses non reconnues (1)")).to_be_visible(timeout=30_000)
    wait_until_ready(page)

    labels = page.get_by_test_id("stWidgetLabel")
    shown = [text.replace(WORD_JOINER, "") for text in labels.all_text_contents()]
    assert f"Correspondance de « {HOSTILE} »" in shown
    assert f"« {HOSTILE} » (Globalement, je suis satisfait·e de cette intervention)" in shown
    for markup in ("img", "a", "strong", "code", ".katex", "[role=img]"):
        expect(labels.locator(markup)).to_have_count(0)
    assert not [url for url in requested if "127.0.0.1:9" in url or "evil.example" in url]
    assert_no_exception(page)
