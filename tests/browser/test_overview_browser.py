"""A person opens the app, changes a filter and sees the indicators change."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import serve_app
from tests.browser.helpers import assert_no_exception, wait_until_ready


def metric_value(page: Page, label: str) -> str:
    card = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    return card.get_by_test_id("stMetricValue").inner_text()


def test_home_loads_and_a_filter_changes_the_kpis(page: Page, app_url: str):
    page.goto(app_url)
    wait_until_ready(page)
    expect(page.get_by_role("heading", name="Vue d'ensemble")).to_be_visible()
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg')
    before = metric_value(page, "Réponses")
    assert re.fullmatch(r"[\d\u202f]+", before)

    semester = page.get_by_test_id("stMultiSelect").filter(has_text="Semestre")
    semester.click()
    page.get_by_role("option", name="S1").click()
    page.keyboard.press("Escape")
    wait_until_ready(page)
    expect(page).to_have_url(re.compile(r"semestre=S1"))
    page.wait_for_function(
        """(before) => {
            const cards = [...document.querySelectorAll('[data-testid="stMetric"]')];
            const card = cards.find(c => c.innerText.includes('Réponses'));
            return card && card.querySelector('[data-testid="stMetricValue"]').innerText !== before;
        }""",
        arg=before,
    )
    assert metric_value(page, "Réponses") != before
    assert_no_exception(page)


def test_a_deep_link_as_first_request_gets_the_whole_app(page: Page, demo_db_template: Path, tmp_path: Path):
    """The first request after a start may be a shared link to a page: it still gets the
    navigation and the shared filters, read from the URL."""
    database = tmp_path / "insights.sqlite"
    shutil.copy(demo_db_template, database)
    with serve_app(database, tmp_path) as url:
        page.goto(f"{url}/themes?semestre=S2")
        wait_until_ready(page)
        expect(page.get_by_role("heading", name="Thèmes", exact=True)).to_be_visible()
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar.get_by_role("heading", name="Filtres")).to_be_visible()
        expect(page.get_by_test_id("stSidebarNav").get_by_role("link", name="Vue d'ensemble")).to_be_visible()
        expect(sidebar.get_by_text("common")).to_have_count(0)
        expect(sidebar.get_by_test_id("stMultiSelect").filter(has_text="Semestre")).to_contain_text("S2")
        assert_no_exception(page)
