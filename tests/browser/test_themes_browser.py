"""A person opens the themes page from the navigation, reads the coverage heatmap, switches what
it counts and opens one theme's view."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import (
    assert_no_exception,
    assert_tick_labels_readable,
    phone_context,
    side_by_side,
    wait_until_ready,
)

HEATMAP_CELLS = '[data-testid="stPlotlyChart"] .heatmaplayer'


def test_themes_page_draws_the_heatmap_and_the_theme_view(page: Page, app_url: str):
    page.goto(app_url)
    wait_until_ready(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Thèmes").click()
    wait_until_ready(page)
    expect(page.get_by_role("heading", name="Thèmes", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Interventions par thème et par promotion")).to_be_visible()
    page.wait_for_selector(HEATMAP_CELLS)
    first = page.locator('[data-testid="stPlotlyChart"]').first
    expect(first.get_by_text("Gestion de crise", exact=True)).to_be_visible()
    expect(first.get_by_text("2015-2016", exact=True)).to_be_visible()
    assert page.locator(HEATMAP_CELLS).count() == 2
    assert_no_exception(page)

    page.get_by_test_id("stRadioGroup").get_by_text("Citations publiées", exact=True).click()
    wait_until_ready(page)
    expect(page.get_by_role("heading", name="Citations publiées par thème et par promotion")).to_be_visible()
    page.wait_for_selector(HEATMAP_CELLS)
    assert_no_exception(page)

    page.get_by_role("tab", name="Un thème").click()
    expect(page.get_by_role("heading", name="Ce que les étudiant·es en ont pensé")).to_be_visible()
    expect(page.get_by_test_id("stMetric").filter(has_text="Interventions")).to_be_visible()
    expect(page.get_by_role("heading", name="Les citations")).to_be_visible()
    expect(page.get_by_test_id("stMarkdownContainer").filter(has_text="« ").first).to_be_visible()
    assert "Planifier la prochaine promotion" not in page.get_by_role("tab").all_inner_texts()
    assert_no_exception(page)


def heatmap_columns(page: Page, app_url: str, key: str, count: int):
    """The tick labels under the themes page's heatmap `key`, once it has drawn its `count` columns."""
    page.goto(f"{app_url}/themes")
    wait_until_ready(page)
    labels = page.locator(f".st-key-{key} .xtick text")
    expect(labels.first).to_be_attached(timeout=60_000)
    # The chart, not a label: plotly may draw its ticks again once it knows its width.
    page.locator(f".st-key-{key}").scroll_into_view_if_needed()
    expect(labels).to_have_count(count)
    return labels


def test_on_a_phone_the_cohorts_under_the_heatmap_do_not_overlap(browser: Browser, app_url: str):
    """Five cohorts do not fit side by side under a phone-sized heatmap: plotly tilts them rather
    than print them over one another."""
    context = browser.new_context(viewport={"width": 400, "height": 850}, locale="fr-FR")
    try:
        page = context.new_page()
        labels = heatmap_columns(page, app_url, "themes_by_cohort", 5)
        assert_tick_labels_readable(labels)
        assert_no_exception(page)
    finally:
        context.close()


def test_on_a_phone_the_organisation_types_under_the_heatmap_stand_apart(browser: Browser, app_url: str):
    """Eight organisation types, some on two lines, under a phone-sized heatmap: each on one line,
    upright, beside the next; tilted, the lines of one ran over its neighbours'."""
    context = phone_context(browser)
    try:
        page = context.new_page()
        labels = heatmap_columns(page, app_url, "themes_by_org_type", 8)
        boxes = [labels.nth(index).bounding_box() for index in range(8)]
        assert side_by_side(boxes), boxes
        texts = [labels.nth(index).text_content() for index in range(8)]
        assert "université / établissement public" in texts
        assert_no_exception(page)
    finally:
        context.close()
