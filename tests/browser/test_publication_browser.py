"""The director reviews free-text answers with the keyboard alone (p, r, s, the arrows), and
publishing or unpublishing a talk shows or hides its figures to a student at once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from insights import store
from tests.browser.conftest import PASSWORD, start_director_app
from tests.browser.helpers import assert_no_exception, sign_in_as_director, wait_until_ready


@pytest.fixture(scope="module")
def served(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    database, serving = start_director_app(demo_db_template, tmp_path_factory.mktemp("publication"))
    with serving as url:
        yield url, database


def pending_of(database: Path, talk_id: str) -> list[tuple[str, str]]:
    conn = store.connect(database)
    try:
        queue = store.review_queue(conn, talk_id)
        return list(zip(queue["response_id"], queue["question_id"], strict=True))
    finally:
        conn.close()


def decisions(database: Path, answers: list[tuple[str, str]]) -> list[str]:
    conn = store.connect(database)
    try:
        return [
            conn.execute(
                "SELECT review FROM answer_search WHERE response_id = ? AND question_id = ?", answer
            ).fetchone()[0]
            for answer in answers
        ]
    finally:
        conn.close()


def open_review(page: Page, url: str) -> None:
    sign_in_as_director(page, url, "publication", PASSWORD)
    expect(page.get_by_role("heading", name="Publication", exact=True)).to_be_visible(timeout=60_000)
    page.get_by_role("tab", name="Relecture des commentaires").click()
    expect(page.locator(".st-key-review_item")).to_be_visible(timeout=60_000)
    wait_until_ready(page, timeout=60_000)
    # The shortcuts' script is mounted a moment after the page is drawn.
    page.wait_for_function("() => document.__reviewKeys === true", timeout=30_000)


def test_the_review_queue_answers_to_the_keyboard(page: Page, served):
    url, database = served
    open_review(page, url)
    conn = store.connect(database)
    try:
        # The queue opens on the talk with the most answers to review (the latest on a tie).
        counts = store.review_counts(conn).merge(store.load_interventions(conn), on="intervention_id")
        talk = counts.sort_values(["pending", "date"], ascending=[False, False])["intervention_id"].iloc[0]
    finally:
        conn.close()
    queue = pending_of(database, talk)
    assert len(queue) >= 4, "the talk reviewed first has answers to review"
    page.get_by_text("Réponse 1 sur").click()  # the keyboard's focus on the page, off any field

    def decide(key: str, done: int) -> None:
        page.keyboard.press(key)
        done_text = re.compile(rf"^{done} réponses? relues? pendant cette session")
        expect(page.get_by_text(done_text)).to_be_visible(timeout=60_000)
        wait_until_ready(page, timeout=60_000)

    def move(key: str, position: int) -> None:
        page.keyboard.press(key)
        expect(page.get_by_text(re.compile(rf"^Réponse {position} sur"))).to_be_visible(timeout=60_000)
        wait_until_ready(page, timeout=60_000)

    decide("p", 1)  # the first answer: public; the next one slides in
    decide("r", 2)  # the second: private
    move("ArrowRight", 2)  # skip the third
    decide("s", 3)  # the fourth: removed
    move("ArrowLeft", 1)  # back to the third…
    decide("p", 4)  # …public
    assert decisions(database, queue[:5]) == ["public", "private", "public", "removed", "pending"]
    expect(page.get_by_text("4 réponses relues pendant cette session")).to_be_visible()
    assert_no_exception(page)


def test_typing_in_the_text_field_does_not_decide(page: Page, served):
    url, _ = served
    open_review(page, url)
    field = page.get_by_label("Texte montré", exact=False)
    expect(field).not_to_have_value("", timeout=30_000)
    before = field.input_value()
    field.click()
    page.keyboard.press("End")
    page.keyboard.type(" ps")
    expect(field).to_have_value(before + " ps")
    expect(page.get_by_text("pendant cette session")).to_have_count(0)
    assert_no_exception(page)


STUDENT_ADDRESSES = [
    "surveys?promotion=2015-2016&semestre=S1",
    "?promotion=2015-2016",
    "themes?promotion=2015-2016&semestre=S1",
]


def student_view(browser: Browser, url: str, address: str) -> str:
    """What a student's new session shows at an address: its main text, once every chart is drawn."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(f"{url}/{address}")
        wait_until_ready(page, timeout=60_000)
        page.wait_for_function(
            """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                 .every(c => c.querySelector('.main-svg'))""",
            timeout=60_000,
        )
        assert_no_exception(page)
        return page.get_by_test_id("stMain").inner_text()
    finally:
        context.close()


def test_publishing_shows_a_cohort_to_students_and_unpublishing_hides_it(
    browser: Browser, page: Page, served
):
    url, database = served
    conn = store.connect(database)
    try:
        talks = store.load_interventions(conn)
        first = talks[(talks["cohort"] == "2015-2016") & (talks["semester"] == "S1")]
        talk_id, title = first["intervention_id"].iloc[0], first["title"].iloc[0]
        hidden = store.review_queue(conn, talk_id)["text"].tolist()
    finally:
        conn.close()
    # In review: no figure, no comment, whichever address.
    for address in STUDENT_ADDRESSES:
        shown = student_view(browser, url, address)
        assert "résultats non publiés" in shown or "pas encore publiés" in shown
        assert not [text for text in hidden if text in shown]
    assert "pas encore publiés" in student_view(browser, url, STUDENT_ADDRESSES[0])

    # The director publishes the first semester of the cohort, from the page.
    sign_in_as_director(page, url, "publication?promotion=2015-2016&semestre=S1", PASSWORD)
    page.get_by_text("une promotion entière").click()
    wait_until_ready(page, timeout=60_000)
    page.get_by_role("button", name="Publier les résultats").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Les étudiant·es verront")).to_be_visible(timeout=60_000)
    dialog.get_by_role("button", name="Publier", exact=True).click()
    expect(page.get_by_text("Résultats publiés : 8 interventions.")).to_be_visible(timeout=60_000)
    shown = student_view(browser, url, STUDENT_ADDRESSES[0])
    assert "pas encore publiés" not in shown and "Réponses par question" in shown
    assert not [text for text in hidden if text in shown]  # still not reviewed: never shown

    # Unpublished: gone again at once.
    page.get_by_role("button", name="Dépublier").click()
    expect(page.get_by_text("Résultats marqués relus : 8 interventions.")).to_be_visible(timeout=60_000)
    assert "pas encore publiés" in student_view(browser, url, STUDENT_ADDRESSES[0])
    assert title
