"""Mur de citations in Chromium: a student searches, picks a theme, opens a quote's link, downloads
the results and proposes a quote, which the director publishes after signing in; hostile HTML in a
quote or a name shows as text on the wall and in the moderation queue, and the wall reads on a
phone-sized screen."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from insights import store
from insights.domain import PROPOSED, PUBLISHED
from insights.quotes.wall import MAX_QUERY_LENGTH, MAX_QUOTE_LENGTH
from tests.browser.conftest import PASSWORD, start_director_app
from tests.browser.helpers import (
    SIGNED_IN,
    assert_no_exception,
    phone_context,
    submit_password,
    wait_until_ready,
)

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
BARE_ADDRESSES = "https://evil.example/x, www.evil.example et pirate@evil.example"
HOSTILE_TEXT = f"Un commentaire piégé : {SCRIPT} et {IMAGE} restent du texte, comme {BARE_ADDRESSES}."
HOSTILE_PROPOSAL = f"Une proposition piégée {IMAGE} à modérer."
HOSTILE_NAME = "<b onmouseover=alert(2)>Pirate</b>"
NEW_QUOTE = "Quand la marque se trompe, un community manager le dit avant que les internautes le découvrent."


class WallServer:
    def __init__(self, url: str, database: Path) -> None:
        self.url = url
        self.database = database

    def find(self, text: str) -> tuple[str, str] | None:
        """(quote_id, status) of the quote with this text."""
        conn = store.connect(self.database)
        try:
            row = conn.execute("SELECT quote_id, status FROM quotes WHERE text = ?", (text,)).fetchone()
            return (row[0], row[1]) if row else None
        finally:
            conn.close()

    def status(self, quote_id: str) -> str | None:
        conn = store.connect(self.database)
        try:
            row = conn.execute("SELECT status FROM quotes WHERE quote_id = ?", (quote_id,)).fetchone()
            return row[0] if row else None
        finally:
            conn.close()


def _add_hostile_data(database: Path) -> None:
    conn = store.connect(database)
    try:
        store.write_speakers(
            conn,
            [
                {
                    "speaker_id": "sp99",
                    "name": HOSTILE_NAME,
                    "title": "[clic](javascript:alert(3))",
                    "organisation": "**Org** <i> www.evil.example",
                    "org_type": "agence",
                    "sector": "",
                    "networks": "",
                    "years_experience": None,
                    "education": "",
                    "bio": "",
                }
            ],
        )
        store.write_quotes(
            conn,
            [
                {
                    "quote_id": quote_id,
                    "text": text,
                    "speaker_id": "sp99",
                    "intervention_id": None,
                    "themes": ["crise"],
                    "source": "notes d'étudiant",
                    "status": status,
                }
                for quote_id, text, status in (
                    ("q9001", HOSTILE_TEXT, PUBLISHED),
                    ("q9002", HOSTILE_PROPOSAL, PROPOSED),
                )
            ],
        )
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


@pytest.fixture(scope="module")
def wall_server(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WallServer]:
    """The app on a copy of the demo database holding hostile quotes and names, with the director's
    password set (the access tests' server)."""
    database, serving = start_director_app(demo_db_template, tmp_path_factory.mktemp("wall"))
    _add_hostile_data(database)
    with serving as url:
        # The first request after start runs a page file alone; run the entry point once.
        yield WallServer(url, database)


@pytest.fixture
def dialogs(page: Page) -> list[str]:
    """Messages of any JavaScript dialog the page opens (there must be none)."""
    opened: list[str] = []

    def record(dialog) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return opened


def open_wall(page: Page, url: str, query: str = "") -> None:
    page.goto(url)
    wait_until_ready(page)
    page.goto(f"{url}/quotes{query}")
    wait_until_ready(page)
    expect(page.get_by_role("heading", name="Mur de citations")).to_be_visible()


def search_for(page: Page, words: str) -> None:
    box = page.get_by_role("textbox", name="Rechercher un conseil")
    box.fill(words)
    box.press("Enter")
    wait_until_ready(page)


def result_count(page: Page) -> Locator:
    return page.get_by_test_id("stMarkdown").filter(has_text=re.compile(r"^\d[\d\u202f]* citations?\b"))


def card(page: Page, quote_id: str) -> Locator:
    return page.locator(f".st-key-wall_card_{quote_id}")


def cards(page: Page) -> Locator:
    return page.locator("[class*='st-key-wall_card_']")


def open_tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=re.compile(f"^{re.escape(name)}")).click()
    wait_until_ready(page)


# --- a student --------------------------------------------------------------------------------------


def test_a_student_searches_picks_a_theme_opens_a_link_and_downloads(
    page: Page, wall_server: WallServer, dialogs
):
    open_wall(page, wall_server.url)
    expect(result_count(page)).to_have_text(re.compile("^175 citations"))
    expect(cards(page)).to_have_count(24)

    search_for(page, "trolls")
    expect(result_count(page)).to_have_text(re.compile("^5 citations"))
    expect(page).to_have_url(re.compile(r"[?&]q=trolls"))
    first = card(page, "q0106")
    expect(first).to_contain_text("« Un troll cherche un public.")
    expect(first.locator("strong", has_text="troll")).to_be_visible()  # the matched word, highlighted
    expect(first).to_contain_text("Antoine Lefèvre — Community manager, Nébula Games")
    expect(first).to_contain_text("26/03/2015")

    page.get_by_role("button", name="Conversation (2)").click()
    wait_until_ready(page)
    expect(result_count(page)).to_have_text(re.compile("^2 citations"))
    expect(page).to_have_url(re.compile(r"[?&]theme=conversation"))
    expect(cards(page)).to_have_count(2)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "citations-trolls.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["Identifiant", "Citation", "Intervenant·e"]
    assert [row[0] for row in rows[1:]] == ["q0032", "q0025"]  # the two cards, in the wall's order
    assert all("Conversation" in row[9] for row in rows[1:])

    link = page.locator(".st-key-wall_card_q0032 a", has_text="Lien")
    expect(link).to_have_attribute("href", "?citation=q0032")
    with page.context.expect_page() as new_tab:
        link.click()
    shared = new_tab.value
    wait_until_ready(shared)
    expect(shared).to_have_url(re.compile(r"/quotes\?citation=q0032$"))
    focused = shared.locator(".st-key-wall_focused")
    expect(focused).to_contain_text("Citation choisie")
    expect(focused).to_contain_text("Ne nourrissez pas le troll")
    shared.get_by_role("button", name="Voir tout le mur").click()
    wait_until_ready(shared)
    expect(shared.locator(".st-key-wall_focused")).to_have_count(0)
    expect(shared).not_to_have_url(re.compile("citation="))
    expect(cards(shared)).to_have_count(24)
    assert_no_exception(shared)
    shared.close()

    assert_no_exception(page)
    assert dialogs == []


def test_a_shared_search_address_opens_the_same_search_and_a_random_quote_can_be_drawn(
    page: Page, wall_server
):
    open_wall(page, wall_server.url, "?q=bad+buzz&theme=crise")
    expect(page.get_by_role("textbox", name="Rechercher un conseil")).to_have_value("bad buzz")
    expect(result_count(page)).to_have_text(re.compile("^12 citations"))
    expect(page.get_by_role("button", name="Gestion de crise (12)")).to_have_attribute("aria-pressed", "true")
    results = set(re.findall(r"st-key-wall_card_(q\d+)", page.content()))
    assert len(results) == 12
    page.get_by_role("button", name="Un conseil au hasard").click()
    wait_until_ready(page)
    expect(page.locator(".st-key-wall_focused")).to_contain_text("Citation choisie")
    expect(page).to_have_url(re.compile(r"citation=q\d+"))
    drawn = re.search(r"citation=(q\d+)", page.url).group(1)
    assert drawn in results
    expect(page.locator(".st-key-wall_focused a", has_text="Lien")).to_have_attribute(
        "href", f"?citation={drawn}"
    )
    assert_no_exception(page)


HINT_IS_DRAWN = """hint => {
    const place = hint.getBoundingClientRect();
    return hint.contains(document.elementFromPoint(place.right - 4, place.top + place.height / 2));
}"""


def assert_hint_under(box: Locator, hint: Locator) -> None:
    """The typing hint stands under the text box, where it is drawn (not clipped by its element)."""
    typed, shown = box.bounding_box(), hint.bounding_box()
    assert shown["y"] >= typed["y"] + typed["height"], (typed, shown)  # under the text, not over it
    assert hint.evaluate(HINT_IS_DRAWN), "the hint is hidden at its place"


def test_a_long_question_is_readable_while_it_is_typed(page: Page, wall_server) -> None:
    """While a text box is typed in, Streamlit shows a hint (press Enter, the count of characters):
    in French, and under the box, so that the end of a long question is not hidden under it."""
    open_wall(page, wall_server.url)
    box = page.get_by_role("textbox", name="Rechercher un conseil")
    question = "Est-ce que je peux tutoyer les abonnés quand je gère le compte d'une banque ?"
    box.click()
    page.keyboard.type(question)
    hint = page.get_by_test_id("stTextInput").filter(has=box).get_by_test_id("InputInstructions")
    expect(hint).to_have_text(re.compile(rf"^Entrée pour valider\s*{len(question)}/{MAX_QUERY_LENGTH}$"))
    assert_hint_under(box, hint)
    box.press("Enter")
    wait_until_ready(page)
    expect(page).to_have_url(re.compile(r"[?&]q=Est-ce"))
    expect(hint).to_have_text(f"{len(question)}/{MAX_QUERY_LENGTH}")  # applied: the count stays

    open_tab(page, "Proposer une citation")
    area = page.get_by_role("textbox", name="La citation")
    area.click()
    page.keyboard.type("Un conseil noté pendant l'intervention, ")
    hint = page.get_by_test_id("stTextArea").filter(has=area).get_by_test_id("InputInstructions")
    expect(hint).to_have_text(re.compile(r"^(Ctrl|⌘)\+Entrée pour valider\s*\d+/\d+$"))
    assert_hint_under(area, hint)
    assert_no_exception(page)


def test_on_a_phone_a_text_area_s_hint_is_only_its_count(browser: Browser, wall_server) -> None:
    """A touch keyboard has no Ctrl key and its Enter writes a new line: the text is taken when the
    student leaves the box, so "Ctrl+Entrée pour valider" would mislead; the count stays."""
    context = phone_context(browser, 390)
    try:
        page = context.new_page()
        open_wall(page, wall_server.url)
        open_tab(page, "Proposer une citation")
        area = page.get_by_role("textbox", name="La citation")
        area.click()
        advice = "Un conseil noté pendant l'intervention"
        page.keyboard.type(advice)
        hint = page.get_by_test_id("stTextArea").filter(has=area).get_by_test_id("InputInstructions")
        expect(hint).to_have_text(f"{len(advice)}/{MAX_QUOTE_LENGTH}", use_inner_text=True)
        expect(hint.get_by_text(re.compile("Entrée"))).to_be_hidden()
        assert_hint_under(area, hint)
    finally:
        context.close()


# --- safety ----------------------------------------------------------------------------------------


def assert_shown_as_text(container: Locator, *fragments: str) -> None:
    expect(container).to_be_visible()
    text = container.inner_text()
    for fragment in fragments:
        assert fragment in text, (fragment, text)
    assert container.locator("img, script, b, i, iframe").count() == 0
    assert container.locator("a[href^='javascript']").count() == 0


def test_hostile_html_in_a_quote_and_a_name_shows_literally_on_the_wall(page: Page, wall_server, dialogs):
    open_wall(page, wall_server.url)
    search_for(page, "commentaire piégé")
    hostile = card(page, "q9001")
    assert_shown_as_text(hostile, SCRIPT, IMAGE, HOSTILE_NAME, "[clic](javascript:alert(3))", "**Org** <i>")
    expect(hostile.locator("strong", has_text="piégé")).to_be_visible()
    expect(hostile.get_by_text("evil.example", exact=False).first).to_be_visible()
    expect(hostile.locator("a[href*='evil']")).to_have_count(0)  # bare addresses stay text
    hostile.hover()
    assert_no_exception(page)
    assert dialogs == []


# --- proposing, then publishing as the director ----------------------------------------------------------


def sign_in_as_director(page: Page, url: str) -> None:
    page.goto(url)
    wait_until_ready(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Espace responsable").click()
    wait_until_ready(page)
    submit_password(page, PASSWORD)
    expect(page.get_by_text(SIGNED_IN)).to_be_visible(timeout=60_000)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Mur de citations").click()
    wait_until_ready(page)


def test_a_proposal_appears_only_once_the_director_publishes_it(
    browser: Browser, page: Page, wall_server, dialogs
):
    open_wall(page, wall_server.url)
    open_tab(page, "Proposer une citation")
    text = page.get_by_label("La citation")
    text.fill(NEW_QUOTE)
    text.press("Tab")
    wait_until_ready(page)
    expect(page.get_by_text(re.compile("Suggérés d'après le texte"))).to_be_visible()
    page.get_by_role("combobox", name="Intervenant·e").click()
    page.get_by_role("option", name="Thomas Nguyen — Thomas Nguyen Conseil").click()
    wait_until_ready(page)
    page.get_by_role("button", name="Envoyer la proposition").click()
    wait_until_ready(page)
    expect(page.get_by_text("Merci, votre proposition est envoyée !", exact=False)).to_be_visible()
    quote_id, status = wall_server.find(NEW_QUOTE)
    assert (quote_id, status) == ("q9003", PROPOSED), "the next id after the hostile q9001 and q9002"
    expect(page.get_by_role("tab", name=re.compile("^Modération"))).to_have_count(0)

    open_tab(page, "Citations")
    search_for(page, "marque se trompe")
    expect(card(page, quote_id)).to_have_count(0)

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    director = context.new_page()
    director.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        sign_in_as_director(director, wall_server.url)
        open_tab(director, "Modération")
        expect(director.get_by_role("tab", name="Modération (9)")).to_be_visible()
        assert_shown_as_text(director.locator(".st-key-mod_item_q9002"), HOSTILE_PROPOSAL, HOSTILE_NAME)
        entry = director.locator(f".st-key-mod_item_{quote_id}")
        expect(entry).to_contain_text(NEW_QUOTE)
        entry.get_by_role("button", name="Publier").click()
        wait_until_ready(director)
        expect(director.get_by_text(f"Citation {quote_id} publiée : elle est sur le mur.")).to_be_visible()
        expect(director.get_by_role("tab", name="Modération (8)")).to_be_visible()
        assert wall_server.status(quote_id) == PUBLISHED
        assert_no_exception(director)
    finally:
        context.close()

    search_for(page, "la marque se trompe")
    expect(card(page, quote_id)).to_contain_text(NEW_QUOTE.split(",")[0])
    assert_no_exception(page)
    assert dialogs == []


# --- a narrow screen ------------------------------------------------------------------------------------


def test_on_a_phone_the_menu_is_folded_and_the_cards_stack_in_order_without_sideways_scrolling(
    browser: Browser, wall_server
):
    context = browser.new_context(viewport={"width": 420, "height": 900}, locale="fr-FR")
    try:
        page = context.new_page()
        open_wall(page, wall_server.url, "?q=troll")
        # The menu and the filters wait behind their button rather than cover the wall.
        expand_menu = page.get_by_test_id("stExpandSidebarButton")
        expect(expand_menu).to_have_attribute("aria-expanded", "false")
        expect(page.get_by_test_id("stSidebar")).not_to_be_in_viewport()
        expect(page.get_by_role("textbox", name="Rechercher un conseil")).to_be_in_viewport()
        # The five quotes with the word, and once the quotes are embedded (the director published
        # one above), the ones near in meaning.
        expect(result_count(page)).to_have_text(re.compile(r"^([5-9]|1\d) citations"))
        boxes = [cards(page).nth(index).bounding_box() for index in range(5)]
        assert len({round(box["x"]) for box in boxes}) == 1, "one column"
        assert [box["y"] for box in boxes] == sorted(box["y"] for box in boxes), "in ranking order"
        assert all(box["x"] + box["width"] <= 420 for box in boxes)
        assert page.evaluate("document.documentElement.scrollWidth") <= 420
        expand_menu.click()
        expect(page.get_by_test_id("stSidebar")).to_be_in_viewport()
        assert_no_exception(page)
    finally:
        context.close()
