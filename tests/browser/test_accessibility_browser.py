"""Accessibility in Chromium: axe-core 4 (WCAG 2.1 A and AA rules) finds no serious or critical
violation on any page, for a student and for the signed-in director; a student's main path works
with the keyboard alone, with a visible focus; and every student page reflows on a 320-pixel
screen without sideways scrolling."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from pages.registry import PAGES
from tests.browser import helpers
from tests.browser.conftest import PASSWORD
from tests.browser.helpers import (
    assert_no_exception,
    blocking_violations,
    phone_context,
    sign_in_as_director,
    wait_until_ready,
)

STUDENT_PAGES = [entry for entry in PAGES if not entry.director_only]


def open_from_menu(page: Page, title: str) -> None:
    helpers.open_from_menu(page, title)
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    assert_no_exception(page)


def test_no_page_has_a_serious_violation_for_a_student(page: Page, app_url: str) -> None:
    page.goto(app_url)
    wait_until_ready(page)
    found = {}
    for entry in STUDENT_PAGES:
        open_from_menu(page, entry.title)
        found[entry.title] = blocking_violations(page)
    assert found == {entry.title: [] for entry in STUDENT_PAGES}


def test_no_page_has_a_serious_violation_for_the_director(page: Page, director_app_url: str) -> None:
    sign_in_as_director(page, director_app_url, "security", PASSWORD)
    found = {}
    for entry in PAGES:
        open_from_menu(page, entry.title)
        found[entry.title] = blocking_violations(page)
    assert found == {entry.title: [] for entry in PAGES}


# --- Streamlit's own words ---------------------------------------------------------------------------


def test_streamlit_s_own_words_are_french_and_text_from_data_is_left_alone(
    page: Page, director_app_url: str
) -> None:
    """Streamlit writes some words in English whatever the app speaks; screen readers read them
    with French pronunciation in a French page. The served page writes them in French
    (`pages.streamlit_words`), and only inside the elements of Streamlit that write them."""
    sign_in_as_director(page, director_app_url, "data", PASSWORD)
    expect(page.get_by_test_id("stSkipToContent")).to_have_text("Aller au contenu principal")
    expect(page.get_by_role("button", name="Menu principal")).to_be_attached()
    expect(page.get_by_role("navigation", name="Pages de l'application")).to_be_attached()
    expect(page.locator("section[aria-label='Panneau latéral']")).to_be_attached()
    uploader = page.get_by_test_id("stFileUploaderDropzone").first
    expect(uploader.locator("button")).to_have_text(re.compile("Parcourir$"))
    expect(uploader).to_contain_text(re.compile(r"\d+ Mo par fichier • CSV, XLSX"))
    expect(page.get_by_role("button", name=re.compile("^Aide : ")).first).to_be_attached()
    english = "() => document.body.innerHTML.match(/Help for |Skip to main|MB per file|>Upload</g)"
    assert page.evaluate(english) is None
    # The lock beside the privacy note is drawn, and not read out as "lock icon".
    icon = page.locator('[role="img"][aria-label="lock icon"]').first
    expect(icon).to_be_visible()
    expect(icon).to_have_attribute("aria-hidden", "true")
    expect(page.get_by_role("img", name="lock icon")).to_have_count(0)
    page.get_by_role("button", name="Menu principal").click()
    expect(page.get_by_role("menuitem", name="Imprimer")).to_be_visible()
    expect(page.get_by_test_id("stMainMenuPopover")).to_contain_text(
        re.compile(r"Réalisé avec Streamlit v\d")
    )
    page.keyboard.press("Escape")

    # The same words in the page's content, as text from data would be, stay as they are.
    page.evaluate(
        """() => {
            for (const words of ['Skip to main content', 'Upload', 'Select all']) {
                const data = document.createElement('p');
                data.className = 'data-words';
                data.textContent = words;
                document.querySelector('[data-testid="stMain"]').append(data);
            }
        }"""
    )
    page.wait_for_timeout(300)  # the script runs on the next mutation records
    assert page.locator(".data-words").all_text_contents() == ["Skip to main content", "Upload", "Select all"]

    open_from_menu(page, "Enquêtes")
    page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first.click()
    expect(page.get_by_role("option", name="Tout sélectionner")).to_be_visible()
    page.keyboard.type("zzzz")
    expect(page.get_by_text("Aucun résultat", exact=True)).to_be_visible()
    page.keyboard.press("Escape")


# --- the keyboard alone -----------------------------------------------------------------------------


# The focus is visible when the focused element, or one of its three nearest ancestors, looks
# different focused and unfocused (outline, shadow, border or background).
FOCUS_CHANGES_THE_LOOK = """async () => {
    const settle = () => new Promise(resolve => setTimeout(resolve, 400));  // CSS transitions
    const element = document.activeElement;
    const look = () => {
        const nodes = [element, element.parentElement, element.parentElement?.parentElement,
                       element.parentElement?.parentElement?.parentElement].filter(Boolean);
        return nodes.map(node => {
            const s = getComputedStyle(node);
            return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor,
                    s.backgroundColor].join(' ');
        }).join('|');
    };
    await settle();
    const focused = look();
    element.blur();
    await settle();
    const unfocused = look();
    element.focus({focusVisible: true});
    await settle();
    if (!element.isConnected || document.activeElement !== element) return null;  // redrawn meanwhile
    return focused !== unfocused;
}"""


def tab_to(page: Page, matches: str, limit: int = 120) -> None:
    """Press Tab until the focused element matches the JavaScript predicate `matches` (given
    `element`); fail if it never does. The focus must be visible on it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(element => {matches})(document.activeElement)"):
            visible = page.evaluate(FOCUS_CHANGES_THE_LOOK)
            if visible is None:  # a rerun redrew the element while it was looked at: go round again
                wait_until_ready(page)
                continue
            assert visible, "the focused element shows no focus"
            return
    pytest.fail(f"the keyboard never reached: {matches}")


def test_a_student_searches_filters_and_opens_a_quote_with_the_keyboard_alone(
    page: Page, app_url: str
) -> None:
    page.goto(f"{app_url}/quotes")
    wait_until_ready(page)
    expect(page.get_by_role("textbox", name="Rechercher un conseil")).to_be_visible()
    expect(page.locator("[class*='st-key-wall_card_']").first).to_be_visible()  # the page is drawn
    tab_to(page, "element.getAttribute('aria-label') === 'Rechercher un conseil'")
    page.keyboard.type("trolls")
    page.keyboard.press("Enter")
    wait_until_ready(page)
    expect(page).to_have_url(re.compile(r"[?&]q=trolls"))

    # The theme chips are one stop of the Tab order; the arrows move between them.
    tab_to(page, "element.tagName === 'BUTTON' && /\\(\\d+\\)$/.test(element.innerText.trim())")
    for _ in range(20):
        if page.evaluate("document.activeElement.innerText.startsWith('Conversation (')"):
            break
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    wait_until_ready(page)
    expect(page).to_have_url(re.compile(r"[?&]theme=conversation"))
    wait_until_ready(page)  # the address changes as the rerun starts: let it draw the cards
    expect(page.locator("[class*='st-key-wall_card_']").first).to_be_visible()

    tab_to(page, "element.tagName === 'A' && element.innerText.trim().endsWith('Lien')")
    href = page.evaluate("document.activeElement.getAttribute('href')")
    with page.context.expect_page() as new_tab:
        page.keyboard.press("Enter")
    shared = new_tab.value
    wait_until_ready(shared)
    expect(shared).to_have_url(re.compile(re.escape(href.lstrip("?")) + "$"))
    expect(shared.locator(".st-key-wall_focused")).to_contain_text("Citation choisie")
    assert_no_exception(shared)


# --- zoom and reflow ----------------------------------------------------------------------------------


@pytest.mark.parametrize("phone", [False, True], ids=["zoomed", "phone"])
@pytest.mark.parametrize("entry", STUDENT_PAGES, ids=lambda entry: Path(entry.file).stem)
def test_a_student_page_reflows_on_a_320_pixel_screen(browser: Browser, app_url: str, entry, phone) -> None:
    """At 320 px: a desktop browser zoomed to 400 %, or a small phone (its own chart layouts)."""
    if phone:
        context = phone_context(browser, width=320)
    else:
        context = browser.new_context(viewport={"width": 320, "height": 640}, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(f"{app_url}/{Path(entry.file).stem}")
        wait_until_ready(page)
        page.wait_for_timeout(500)
        assert_no_exception(page)
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{entry.title} scrolls sideways: {widths}"
    finally:
        context.close()


@contextmanager
def whole_page(browser: Browser, url: str, width: int, height: int = 900) -> Iterator[Page]:
    """A page opened at `url` in a window `width` px wide, once it is wholly drawn: every page
    ends with the footer's link."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(url)
        footer = page.get_by_test_id("stMain").get_by_role("link", name=re.compile("^Accessibilité :"))
        expect(footer).to_be_visible(timeout=30_000)  # as long as `wait_until_ready` allows
        wait_until_ready(page)
        assert_no_exception(page)
        yield page
    finally:
        context.close()


CUT_TEXTS = """(where) => [...document.querySelectorAll(where)].filter(
    e => getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1
    && e.innerText.trim()).map(e => e.innerText.trim())"""
"""The texts cut short with an ellipsis among the elements a CSS selector finds."""
FIGURES_AND_BUTTONS = '[data-testid="stMain"] [data-testid="stMetric"] *, [data-testid="stMain"] button *'
CUT_CHOICES = """() => {
    const column = document.querySelector('[data-testid="stMainBlockContainer"]');
    const room = column.clientWidth - parseFloat(getComputedStyle(column).paddingLeft)
        - parseFloat(getComputedStyle(column).paddingRight);
    return [...column.querySelectorAll('[data-testid="stSelectbox"]')].filter(box => {
        const input = box.querySelector('input'), missing = input.scrollWidth - input.clientWidth;
        return missing > 1 && box.getBoundingClientRect().width + missing <= room;
    }).map(box => box.querySelector('input').value)}"""
"""The chosen options of the page's select boxes that their box shows cut short, though the
page's column has room for them whole."""


@pytest.mark.parametrize("width", [1024, 1280])
def test_no_headline_figure_button_label_or_choice_is_cut_with_the_sidebar_open(
    browser: Browser, app_url: str, width: int
) -> None:
    """1024 px with the sidebar open (a tablet held sideways, a laptop zoomed in), and a laptop's
    1280 px: a figure cut to "3,9…", a button to "Un co…" or a sort order to "Venue la plus réce"
    would hide what the card, the button or the choice is."""
    cut, figures = {}, 0
    for entry in STUDENT_PAGES:
        with whole_page(browser, f"{app_url}/{Path(entry.file).stem}", width, 768) as page:
            expect(page.get_by_test_id("stSidebar")).to_be_visible()
            figures += page.get_by_test_id("stMetric").count()
            if texts := page.evaluate(CUT_TEXTS, FIGURES_AND_BUTTONS) + page.evaluate(CUT_CHOICES):
                cut[entry.title] = texts
    assert figures >= 10
    assert not cut, f"cut at {width} px: {cut}"


@pytest.mark.parametrize(("width", "columns"), [(800, 1), (1024, 2), (1440, 3)])
@pytest.mark.parametrize(("path", "card"), [("quotes", "wall_card_"), ("speakers", "speaker_card_")])
def test_cards_keep_a_readable_width_from_a_tablet_to_a_wide_screen(
    browser: Browser, app_url: str, width: int, columns: int, path: str, card: str
) -> None:
    """The sidebar open: a tablet upright (800 px), sideways (1024 px), a laptop (1440 px). Three
    equal columns at every width left 130 px cards on a tablet, their labels cut short."""
    with whole_page(browser, f"{app_url}/{path}", width) as page:
        expect(page.get_by_test_id("stSidebar")).to_be_visible()
        cards = page.locator(f'[class*="st-key-{card}"]')
        boxes = [cards.nth(index).bounding_box() for index in range(min(cards.count(), 6))]
        assert len(boxes) == 6
        assert len({round(box["x"]) for box in boxes}) == columns, boxes
        assert min(box["width"] for box in boxes) >= 240, boxes
        assert page.evaluate(CUT_TEXTS, '[data-testid="stMain"] *') == []


CHOICE_SCROLLS = """() => [...document.querySelectorAll('[data-testid="stMain"] *')].filter(
    e => e.scrollWidth > e.clientWidth + 1 && (e.innerText || '').includes('un·e intervenant·e')
    && ['auto', 'scroll', 'hidden'].includes(getComputedStyle(e).overflowX)).map(e => e.className)"""


CHART_ROWS = {
    "survey_talk": ("surveys", None, "survey_pillars"),
    "survey_trends": ("surveys", None, "survey_trends"),
    "overview": ("", None, "overview_charts"),
    "theme": ("themes", "Un thème", "theme_detail"),
    "speaker_profile": ("speakers?intervenant=sp02", None, "speaker_ratings"),
}
"""Rows of two columns, a chart in the first (`common.reflowing_columns`): page, tab, row."""


@pytest.mark.parametrize(("width", "beside"), [(900, False), (1440, True)])
@pytest.mark.parametrize("row", list(CHART_ROWS))
def test_two_charts_of_a_row_stand_one_under_the_other_when_the_page_is_narrow(
    browser: Browser, app_url: str, width: int, beside: bool, row: str
) -> None:
    """Beside each other on a laptop, one under the other in a small window with the sidebar
    open, where side by side they were 200 px wide and their labels cut ("estion de crise", a
    heatmap's legend)."""
    path, tab, name = CHART_ROWS[row]
    with whole_page(browser, f"{app_url}/{path}", width) as page:
        if tab:
            page.get_by_role("tab", name=tab).click()
        columns = page.locator(f".st-key-columns_{name} > div")
        columns.first.scroll_into_view_if_needed()
        expect(columns.first.locator(".main-svg").first).to_be_visible()
        assert columns.count() == 2
        boxes = [columns.nth(index).bounding_box() for index in range(2)]
        assert helpers.side_by_side(boxes) is beside, boxes
        assert min(box["width"] for box in boxes) >= (340 if beside else 400), boxes
        if row == "survey_talk":
            # The choice above them shows both its options (in a third of the row, they scrolled).
            assert page.evaluate(CHOICE_SCROLLS) == []


CHART_TEXTS = """(key) => {
    const chart = document.querySelector(`.st-key-${key}:not([data-stale="true"]) .main-svg`);
    const box = chart.getBoundingClientRect();
    const texts = [...chart.parentElement.querySelectorAll('.ytick text, .annotation-text')];
    return {
        ticks: chart.parentElement.querySelectorAll('.ytick text').length,
        outside: texts.filter(t => {
            const r = t.getBoundingClientRect();
            return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1);
        }).map(t => t.textContent),
    };
}"""
"""A chart's row labels drawn as ticks, and its texts (ticks, notes) reaching past its edges."""
RANKINGS = ("survey_talks", "survey_nps_speakers")


def ranking_texts(page: Page, key: str) -> dict:
    chart = page.locator(f'.st-key-{key}:not([data-stale="true"])')
    chart.scroll_into_view_if_needed()
    expect(chart.locator(".main-svg").first).to_be_visible()
    return page.evaluate(CHART_TEXTS, key)


@pytest.mark.parametrize("width", [900, 1440])
def test_ranking_charts_are_laid_out_for_the_column_they_get(
    browser: Browser, app_url: str, width: int
) -> None:
    """A talk's label left of its bar and its mean right of it need a column of 640 px: in a
    small window with the sidebar open (a column of 440 px) the labels were cut at their start
    and the figures at their end. There each label and figure stand above the bar; closing the
    sidebar gives the column room again, and the labels go back beside the bars."""
    with whole_page(browser, f"{app_url}/surveys", width) as page:
        for key in RANKINGS:
            texts = ranking_texts(page, key)
            assert texts["outside"] == [], (key, texts["outside"])
            assert (texts["ticks"] == 0) is (width == 900), (key, texts["ticks"])
        if width == 900:
            page.get_by_test_id("stSidebar").hover()
            page.get_by_test_id("stSidebarCollapseButton").get_by_role("button").click()
            ticks = page.locator('.st-key-survey_talks:not([data-stale="true"]) .ytick text')
            expect(ticks).to_have_count(15)
            wait_until_ready(page)
            for key in RANKINGS:
                texts = ranking_texts(page, key)
                assert texts["outside"] == [] and texts["ticks"] > 0, (key, texts)


@pytest.mark.parametrize(("width", "columns"), [(900, 1), (1440, 2)])
@pytest.mark.parametrize(
    ("path", "grid"), [("", "latest_quotes"), ("speakers?intervenant=sp02", "speaker_quotes")]
)
def test_quote_cards_stand_two_a_row_at_most_and_one_when_narrow(
    browser: Browser, app_url: str, width: int, columns: int, path: str, grid: str
) -> None:
    """The quotes of the overview and of a speaker's profile: two a row on a laptop, one in a
    small window with the sidebar open, where two equal columns made them 200 px wide."""
    with whole_page(browser, f"{app_url}/{path}", width) as page:
        cards = page.locator(f".st-key-grid_{grid} > div")
        expect(cards.first).to_be_visible()
        boxes = [cards.nth(index).bounding_box() for index in range(cards.count())]
        assert len(boxes) >= 3
        assert len({round(box["x"]) for box in boxes}) == columns, boxes
        assert min(box["width"] for box in boxes) >= 288, boxes
