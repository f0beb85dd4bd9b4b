"""The wall's search with the real model in Chromium: a misspelt query shows the corrected query's
results and a link back to the query as typed (a long question's, around its corrected word, whole
on a phone); a quote's card opens its "Conseils proches"."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from insights import store
from tests.browser.conftest import serve_app
from tests.browser.helpers import assert_no_exception, wait_until_ready
from tests.browser.test_accessibility_browser import CUT_TEXTS
from tests.browser.test_quotes_browser import cards, open_wall, search_for

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def semantic_url(
    demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory, e5_embedder
) -> Iterator[str]:
    """The app on a copy of the demo database whose quotes are embedded by the real model (which the
    server loads too)."""
    workdir = tmp_path_factory.mktemp("semantic")
    database = workdir / "insights.sqlite"
    shutil.copy(demo_db_template, database)
    conn = store.connect(database)
    with store.transaction(conn):
        store.refresh_quote_vectors(conn, e5_embedder)
    conn.close()
    with serve_app(database, workdir) as url:
        yield url


def test_a_misspelt_query_is_corrected_with_a_way_back_to_what_was_typed(page: Page, semantic_url: str):
    open_wall(page, semantic_url)
    search_for(page, "modérasion")
    line = page.locator(".st-key-wall_correction")
    expect(line).to_have_text(
        re.compile(r"Résultats pour «\smodération\s» — rechercher plutôt\s*«\smodérasion\s»\s\?")
    )
    expect(cards(page).first).to_contain_text(re.compile("modér", re.IGNORECASE))
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "correction.png"), full_page=False)
    assert_no_exception(page)
    line.get_by_role("button").click()
    wait_until_ready(page)
    expect(page.get_by_role("textbox", name="Rechercher un conseil")).to_have_value("modérasion")
    expect(page.locator(".st-key-wall_correction")).to_have_count(0)
    assert "tel_quel=" in page.url
    assert_no_exception(page)


def test_a_long_question_s_correction_is_read_whole_on_a_phone(browser: Browser, semantic_url: str):
    """The line names the corrected word with a few words around it: on a 390 px screen the whole
    sentence was cut short in the button, the misspelt word with it."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        open_wall(page, semantic_url)
        search_for(page, "Comment je fais si un inflenceur mécontent me menace de faire un bad buzz ?")
        line = page.locator(".st-key-wall_correction")
        expect(line.locator("strong")).to_have_text("influenceur")
        expect(line.get_by_role("button")).to_have_text(
            re.compile(r"«\s… si un inflenceur mécontent me …\s»\s\?")
        )
        assert page.evaluate(CUT_TEXTS, ".st-key-wall_correction *") == []
        assert_no_exception(page)
    finally:
        context.close()


def test_a_card_opens_its_nearby_advice(page: Page, semantic_url: str):
    open_wall(page, semantic_url, "?citation=q0106")
    focused = page.locator(".st-key-wall_focused")
    expect(focused).to_contain_text("Un troll cherche un public")
    focused.get_by_text("Conseils proches").click()
    nearby = focused.get_by_test_id("stExpanderDetails").get_by_test_id("stMarkdown")
    expect(nearby).to_have_count(3)
    for index in range(3):
        expect(nearby.nth(index)).not_to_contain_text("Un troll cherche un public")
        expect(nearby.nth(index).get_by_role("link")).to_have_attribute(
            "href", re.compile(r"\?citation=q\d+")
        )
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "conseils-proches.png"), full_page=False)
    assert_no_exception(page)
