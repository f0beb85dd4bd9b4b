"""A person searches the speakers' directory, opens a profile, comes back; a profile link opened
first on a fresh server goes through the app's entry point and shows data text literally."""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from insights import store
from tests.browser.conftest import PASSWORD, serve_app
from tests.browser.helpers import (
    assert_no_exception,
    phone_context,
    side_by_side,
    sign_in_as_director,
    wait_until_ready,
)

# A page run with plotly charts takes a few seconds on a busy machine.
SLOW = 30_000

HOSTILE_NAME = 'Zed <img src=x onerror="window.injected=1"> **gras**'


def profile_links(page: Page):
    return page.get_by_role("link", name="Voir le profil")


def search_box(page: Page):
    return page.get_by_role("textbox", name="Rechercher un nom ou une organisation")


def test_from_the_directory_to_a_profile_and_back(page: Page, app_url: str):
    page.goto(f"{app_url}/speakers")
    wait_until_ready(page)
    expect(page.get_by_role("heading", name="Intervenants", level=1)).to_be_visible()
    expect(profile_links(page)).to_have_count(22, timeout=SLOW)

    search_box(page).fill("rousseau")
    search_box(page).press("Enter")
    expect(profile_links(page)).to_have_count(1, timeout=SLOW)
    wait_until_ready(page)

    profile_links(page).click()
    expect(page.get_by_role("heading", name="Émilie Rousseau", level=1)).to_be_visible(timeout=SLOW)
    expect(page).to_have_url(re.compile(r"/speakers\?.*intervenant=sp07"))
    wait_until_ready(page)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg')
    expect(page.get_by_role("heading", name="Ses citations publiées")).to_be_visible()
    assert_no_exception(page)

    page.get_by_role("button", name="Retour à l'annuaire").click()
    expect(page.get_by_role("heading", name="Intervenants", level=1)).to_be_visible(timeout=SLOW)
    wait_until_ready(page)
    expect(page).not_to_have_url(re.compile(r"[?&]intervenant="))
    expect(search_box(page)).to_have_value("rousseau")
    expect(profile_links(page)).to_have_count(1, timeout=SLOW)
    assert_no_exception(page)


@pytest.fixture(scope="module")
def fresh_app_url(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server nobody has visited yet, on a demo copy holding a speaker with a hostile name."""
    workdir = tmp_path_factory.mktemp("fresh_server")
    database = workdir / "insights.sqlite"
    shutil.copy(demo_db_template, database)
    conn = store.connect(database)
    row = {
        "speaker_id": "sp90",
        "name": HOSTILE_NAME,
        "title": "CM",
        "organisation": "<b>Org</b>",
        "org_type": "agence",
        "sector": "",
        "networks": "",
        "years_experience": None,
        "education": "",
        "bio": "",
    }
    store.write_speakers(conn, [row])
    conn.close()
    with serve_app(database, workdir) as url:
        yield url


def test_a_profile_link_opened_first_runs_through_the_entry_point(page: Page, fresh_app_url: str):
    page.goto(f"{fresh_app_url}/speakers?intervenant=sp03")
    wait_until_ready(page)
    expect(page.get_by_role("heading", name="Sophie Garnier", level=1)).to_be_visible(timeout=SLOW)
    # The entry point ran: the shared filters and the app's navigation are there.
    expect(page.get_by_role("heading", name="Filtres")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav").get_by_text("Vue d'ensemble")).to_be_visible()
    assert_no_exception(page)


def test_a_hostile_name_is_shown_as_text(page: Page, fresh_app_url: str):
    page.goto(f"{fresh_app_url}/speakers?intervenant=sp90")
    wait_until_ready(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(HOSTILE_NAME, timeout=SLOW)
    expect(page.get_by_text("<b>Org</b>")).to_be_visible()
    assert page.locator('[data-testid="stMain"] img[src="x"]').count() == 0
    assert page.evaluate("window.injected") is None
    assert_no_exception(page)


def _overlap(one: dict, other: dict) -> bool:
    return (
        one["x"] < other["x"] + other["width"]
        and other["x"] < one["x"] + one["width"]
        and one["y"] < other["y"] + other["height"]
        and other["y"] < one["y"] + one["height"]
    )


def test_on_a_phone_the_career_routes_name_every_family_apart(browser: Browser, app_url: str):
    """Three columns of careers in a phone's width: the families' names stay within the chart and
    clear of one another (on one line, the middle column's ran into the last one's)."""
    context = phone_context(browser)
    try:
        page = context.new_page()
        page.goto(f"{app_url}/speakers")
        wait_until_ready(page)
        page.get_by_role("tab", name="Des parcours variés").click()
        chart = page.locator(".js-plotly-plot").filter(has=page.locator(".sankey")).first
        names = chart.locator(".node-label")
        expect(names.first).to_be_attached(timeout=60_000)
        chart.scroll_into_view_if_needed()
        figure = chart.locator(".main-svg").first.bounding_box()
        # Plotly slides the nodes into place: read the names once they stand still.
        boxes: list[dict] = []
        for _ in range(20):
            previous, boxes = boxes, [names.nth(index).bounding_box() for index in range(names.count())]
            if boxes == previous:
                break
            page.wait_for_timeout(300)
        assert len(boxes) >= 12
        for box in boxes:
            assert figure["x"] <= box["x"] and box["x"] + box["width"] <= figure["x"] + figure["width"] + 1, (
                box
            )
        clashes = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if _overlap(a, b)]
        assert clashes == []
        assert_no_exception(page)
    finally:
        context.close()


def test_on_a_phone_a_career_timeline_keeps_its_steps_apart(browser: Browser, app_url: str):
    """A speaker's steps in a phone's width: roles and organisations on short lines, each row tall
    enough for its lines, none running into the next, nor the education into the legend; the
    education within the chart and the years side by side (on long lines, the labels took half
    the width, the education ran past the edge and the years stood on end, run together)."""
    context = phone_context(browser)
    try:
        page = context.new_page()
        page.goto(f"{app_url}/speakers")
        wait_until_ready(page)
        for index in range(3):  # a few speakers, with long and short careers
            profile_links(page).nth(index).click()
            wait_until_ready(page)
            chart = page.locator(".st-key-profile_timeline")
            steps = chart.locator(".ytick text")
            expect(steps.first).to_be_attached(timeout=60_000)
            chart.scroll_into_view_if_needed()
            boxes = sorted(
                (steps.nth(row).bounding_box() for row in range(steps.count())), key=lambda box: box["y"]
            )
            assert len(boxes) >= 3
            assert all(
                upper["y"] + upper["height"] <= lower["y"] for upper, lower in itertools.pairwise(boxes)
            )
            education = chart.locator(".scatterlayer .textpoint").first.bounding_box()
            legend = chart.locator(".legend").bounding_box()
            assert legend["y"] + legend["height"] <= education["y"] + 1
            figure = chart.locator(".main-svg").first.bounding_box()
            assert education["x"] + education["width"] <= figure["x"] + figure["width"], education
            years = chart.locator(".xtick text")
            assert side_by_side([years.nth(tick).bounding_box() for tick in range(years.count())], gap=4)
            # The ratings' long axis title on short lines, within the chart (plotly does not wrap it).
            ratings = page.locator(".st-key-profile_ratings")
            ratings.scroll_into_view_if_needed()
            title = ratings.locator(".g-xtitle").bounding_box()
            frame = ratings.locator(".main-svg").first.bounding_box()
            assert frame["x"] <= title["x"] and title["x"] + title["width"] <= frame["x"] + frame["width"], (
                title
            )
            page.go_back()
            wait_until_ready(page)
        assert_no_exception(page)
    finally:
        context.close()


def test_on_a_phone_who_to_invite_again_keeps_its_two_halves_apart(browser: Browser, director_app_url: str):
    """The NPS and the usefulness side by side in a phone's width: their titles, their ticks and
    the scores stay apart (the titles on one line ran into each other, "100" into "1")."""
    context = phone_context(browser)
    try:
        page = context.new_page()
        sign_in_as_director(page, director_app_url, "reinvite", PASSWORD)
        chart = page.locator(".js-plotly-plot").first
        expect(chart.locator(".barlayer .point").first).to_be_attached(timeout=60_000)
        chart.scroll_into_view_if_needed()
        titles = chart.locator(".annotation")
        assert titles.count() == 2
        assert side_by_side([titles.nth(index).bounding_box() for index in range(2)], gap=4)
        ticks = chart.locator(".xtick text, .x2tick text")
        assert ticks.count() >= 5
        assert side_by_side([ticks.nth(index).bounding_box() for index in range(ticks.count())], gap=4)
        # Every NPS clear of the names, the demo's "−77" included (beside its bar, it touched them).
        names = chart.locator(".ytick text")
        names_end = max(box["x"] + box["width"] for box in (name.bounding_box() for name in names.all()))
        scores = chart.locator(".bartext")
        assert scores.count() >= 20
        assert all(score.bounding_box()["x"] >= names_end + 2 for score in scores.all())
        assert_no_exception(page)
    finally:
        context.close()
