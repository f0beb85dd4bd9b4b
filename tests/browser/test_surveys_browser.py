"""A person opens "Enquêtes" from the navigation, sees the charts drawn, and clicks a talk's bar
to read about that talk."""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from pages.column_width import NARROW_BELOW
from tests.browser.helpers import (
    assert_no_exception,
    assert_tick_labels_readable,
    ipad_desktop_context,
    phone_context,
    side_by_side,
    swipe_up,
    tablet_context,
    wait_until_ready,
)

CHART_DRAWN = '[data-testid="stPlotlyChart"] .main-svg'


def open_surveys(page: Page, app_url: str) -> None:
    page.goto(app_url)
    wait_until_ready(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Enquêtes").click()
    expect(page.get_by_role("heading", name="Enquêtes", exact=True)).to_be_visible(timeout=60_000)
    wait_until_ready(page, timeout=60_000)


def test_the_survey_page_draws_its_charts(page: Page, app_url: str):
    open_surveys(page, app_url)
    page.wait_for_selector(CHART_DRAWN, timeout=60_000)
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(12, timeout=60_000)
    for key in ("survey_distribution", "survey_talks", "survey_heatmap", "survey_terms"):
        expect(page.locator(f".st-key-{key} .main-svg").first).to_be_attached(timeout=60_000)
    # Eight cohort-semesters under the half-width heatmap: tilted rather than printed over one another.
    cohort_semesters = page.locator(".st-key-survey_heatmap .xtick text")
    expect(cohort_semesters).to_have_count(8)
    assert_tick_labels_readable(cohort_semesters)
    # The distribution chart draws one bar per question, and its numbers.
    expect(page.locator(".st-key-survey_distribution .barlayer .point").first).to_be_visible()
    expect(page.get_by_text("Réponses par question")).to_be_visible()
    assert page.get_by_role("button", name="Télécharger les données (CSV)").count() >= 10
    assert_no_exception(page)


def test_clicking_a_talk_bar_narrows_the_free_text_section(page: Page, app_url: str):
    open_surveys(page, app_url)
    chart = page.locator(".st-key-survey_talks")
    chart.locator(".main-svg").first.wait_for(timeout=60_000)
    talks = page.get_by_test_id("stMultiSelect").filter(has_text="Interventions")
    chips = talks.locator("[data-tag]")
    expect(chips).to_have_count(0)

    # The third bar's "Tout à fait d'accord" segment (the first bars sit under plotly's toolbar).
    # Plotly listens on its drag layer, above the bars, so the mouse goes where the bar is drawn.
    bar = chart.locator(".barlayer .trace").last.locator(".point").nth(2)
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    # Plotly picks the clicked bar from the hover it computed: wait for its label first.
    expect(chart.locator(".hoverlayer .hovertext").first).to_be_visible(timeout=30_000)
    page.mouse.click(x, y)
    wait_until_ready(page, timeout=60_000)
    expect(chips.first).to_be_attached(timeout=60_000)
    label = chart.locator(".yaxislayer-above text").nth(2).text_content()
    title, day = label.split(" · ")
    chosen = chips.first.get_attribute("aria-label")
    assert chosen.startswith(title.rstrip("…")) and chosen.endswith(day)
    assert talks.locator('[data-tag-index="1"]').count() == 0  # that talk alone
    assert_no_exception(page)


def test_the_talk_ranking_s_legend_keeps_to_two_rows_below_the_toolbar(page: Page, app_url: str):
    """Long talk titles narrow the plot area: the legend also takes the margin where the figures
    are, and the toolbar that hovering shows stays above it."""
    open_surveys(page, app_url)
    chart = page.locator(".st-key-survey_talks")
    chart.locator(".main-svg").first.wait_for(timeout=60_000)
    chart.scroll_into_view_if_needed()
    entries = chart.locator(".legend .traces")
    expect(entries).to_have_count(5)
    boxes = [entries.nth(index).bounding_box() for index in range(5)]
    assert len({round(box["y"]) for box in boxes}) <= 2, boxes
    plot = chart.locator(".barlayer").bounding_box()
    page.mouse.move(plot["x"] + plot["width"] / 2, plot["y"] + plot["height"] / 2)
    toolbar = chart.locator(".modebar")
    expect(toolbar).to_be_visible()
    toolbar_box = toolbar.bounding_box()
    assert toolbar_box["y"] + toolbar_box["height"] <= min(box["y"] for box in boxes)
    assert_no_exception(page)


def test_on_a_phone_the_trend_heatmap_s_means_stay_apart(browser: Browser, app_url: str):
    """Eight cohort-semesters in a phone's width: each cell's mean is drawn small enough to stay
    in its cell, apart from its neighbours, instead of running into them."""
    context = browser.new_context(viewport={"width": 400, "height": 850}, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(f"{app_url}/surveys")
        wait_until_ready(page, timeout=60_000)
        means = page.locator(".st-key-survey_heatmap .heatmaplayer text")
        expect(means.first).to_be_attached(timeout=60_000)
        page.locator(".st-key-survey_heatmap").scroll_into_view_if_needed()  # not a cell: plotly redraws them
        boxes = [means.nth(index).bounding_box() for index in range(means.count())]
        assert len(boxes) >= 8 * 8
        rows = itertools.groupby(sorted(boxes, key=lambda box: round(box["y"])), lambda box: round(box["y"]))
        for _, row in rows:
            cells = list(row)
            assert side_by_side(cells, gap=4), cells
        assert_no_exception(page)
    finally:
        context.close()


def test_on_a_phone_talks_are_ranked_on_bars_the_width_of_the_screen(browser: Browser, app_url: str):
    """On a phone, each talk's title, date and figures are written above its bar: beside it, they
    left the bars a few pixels and ran past the screen's edge."""
    context = phone_context(browser)
    try:
        page = context.new_page()
        page.goto(f"{app_url}/surveys")
        wait_until_ready(page, timeout=60_000)
        chart = page.locator(".st-key-survey_talks")
        chart.locator(".main-svg").first.wait_for(timeout=60_000)
        chart.scroll_into_view_if_needed()
        figure_box = chart.locator(".main-svg").first.bounding_box()
        plot_box = chart.locator(".nsewdrag").first.bounding_box()
        assert plot_box["width"] >= 0.9 * figure_box["width"], (plot_box, figure_box)
        notes = chart.locator(".annotation")
        expect(notes).to_have_count(15)
        boxes = [notes.nth(index).bounding_box() for index in range(15)]
        for box in boxes:
            assert (
                figure_box["x"] <= box["x"]
                and box["x"] + box["width"] <= figure_box["x"] + figure_box["width"]
            )
        # One above the other, the first below the legend, each holding its talk's mean and n.
        ordered = sorted(boxes, key=lambda box: box["y"])
        assert all(upper["y"] + upper["height"] <= lower["y"] for upper, lower in itertools.pairwise(ordered))
        legend = chart.locator(".legend").bounding_box()
        assert legend["y"] + legend["height"] <= ordered[0]["y"]
        first = notes.first.text_content()
        assert " · " in first and "n = " in first
        assert_no_exception(page)
    finally:
        context.close()


TOUCH_DEVICES = {"phone": phone_context, "tablet": tablet_context, "ipad-desktop-site": ipad_desktop_context}


@pytest.mark.parametrize("device", TOUCH_DEVICES)
def test_on_a_touch_screen_a_swipe_over_a_chart_scrolls_the_page_and_a_tap_shows_its_figures(
    browser: Browser, app_url: str, device: str
):
    """A finger swiping up over a chart scrolled nothing: it zoomed the chart, or panned it in the
    charts one could select bars in, and the talks' ranking is taller than a phone's screen. A tap
    showed plotly's toolbar over the legend. A touch screen's charts now only answer a tap, which
    shows a bar's figures and leaves the axes as they were, and the page tells how to reach a
    talk's comments without selecting it. A tablet lays its charts out for its column, as a
    desktop does. An iPad asking for the desktop site, which says "Macintosh", is known by its
    pointer (`server.py`)."""
    context = TOUCH_DEVICES[device](browser)
    try:
        page = context.new_page()
        page.goto(f"{app_url}/surveys")
        wait_until_ready(page, timeout=60_000)
        height = page.viewport_size["height"]
        for key in ("survey_distribution", "survey_talks"):
            chart = page.locator(f".st-key-{key}")
            chart.locator(".main-svg").first.wait_for(timeout=60_000)
            chart.scroll_into_view_if_needed()
            # The finger goes down on the plot area, where plotly listens.
            box = chart.locator(".nsewdrag").first.bounding_box()
            top, bottom = max(box["y"], 0), min(box["y"] + box["height"], height)
            assert bottom - top > 100, (key, box)
            assert swipe_up(page, box["x"] + box["width"] / 2, (top + bottom) / 2) > 150, key
            # A wide segment ("Tout à fait d'accord") in the middle of the screen, not under the
            # app's header, once the scroll has settled.
            bar = chart.locator(".barlayer .trace").last.locator(".point").nth(3)
            bar.evaluate("segment => segment.scrollIntoView({block: 'center'})")
            page.wait_for_timeout(500)
            bar_box = bar.bounding_box()
            ranges = "plot => [plot._fullLayout.xaxis.range, plot._fullLayout.yaxis.range]"
            drawn = chart.locator(".js-plotly-plot").evaluate(ranges)
            page.touchscreen.tap(bar_box["x"] + bar_box["width"] / 2, bar_box["y"] + bar_box["height"] / 2)
            expect(chart.locator(".hoverlayer .hovertext")).to_have_count(1)
            page.wait_for_timeout(500)  # a reset of the axes would be drawn by now
            assert chart.locator(".js-plotly-plot").evaluate(ranges) == drawn, key
            expect(chart.locator(".modebar")).to_have_count(0)
        # The talks' titles stand beside their bars where the column has room for them, above them
        # elsewhere: on a phone, and on a tablet whose sidebar is open.
        column = page.locator(".st-key-survey_talks").bounding_box()["width"]
        titles_beside = page.locator(".st-key-survey_talks .yaxislayer-above text")
        assert (titles_beside.count() >= 15) == (column >= NARROW_BELOW), (device, column)
        expect(page.get_by_text("choisissez-la dans « Interventions »").first).to_be_visible()
        assert_no_exception(page)
    finally:
        context.close()


def test_a_chart_s_figures_download_as_csv(page: Page, app_url: str):
    """The CSV is made when the button is clicked: what arrives is the chart's table in French."""
    open_surveys(page, app_url)
    page.wait_for_selector(CHART_DRAWN, timeout=60_000)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger les données (CSV)").first.click()
    download = download_info.value
    assert download.suggested_filename == "reponses_par_question.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["Question", "Réponses", "Moyenne (1 à 5)"]
    assert [row[0] for row in rows[1:3]] == ["Satisfaction", "Utilité"]
    assert "," in rows[1][2]  # French decimals
    assert_no_exception(page)
