"""Reports in Chromium: the signed-in director downloads the cohort report (PDF) and a speaker's
sheet (HTML), shares the speaker's private link, which opens the sheet alone in another browser,
then revokes it, after which the link shows a short French message."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from insights import store
from tests.browser.conftest import PASSWORD, start_director_app
from tests.browser.helpers import (
    assert_no_exception,
    blocking_violations,
    phone_context,
    sign_in_as_director,
    wait_until_ready,
)

SLOW = 60_000


@pytest.fixture(scope="module")
def served(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    database, serving = start_director_app(demo_db_template, tmp_path_factory.mktemp("reports"))
    with serving as url:
        yield url, database


def open_link(browser: Browser, url: str) -> tuple[Page, object]:
    """The link in a browser of its own (the speaker's), not the director's session."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1200, "height": 1000})
    speaker_page = context.new_page()
    speaker_page.goto(url)
    wait_until_ready(speaker_page, timeout=SLOW)
    return speaker_page, context


def test_downloads_and_the_speaker_link_before_and_after_revocation(page: Page, browser: Browser, served):
    url, database = served
    sign_in_as_director(page, url, "data", PASSWORD)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Intervenants").click()
    expect(page.get_by_role("heading", name="Intervenants", level=1)).to_be_visible(timeout=SLOW)
    wait_until_ready(page, timeout=SLOW)

    # The cohort report, as PDF.
    page.get_by_text("Bilan de la promotion (PDF ou HTML)").click()
    with page.expect_download(timeout=SLOW) as download_info:
        page.get_by_role("button", name="Télécharger (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "bilan-2015-2016.pdf"
    reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    assert "Bilan de la promotion 2015-2016" in reader.pages[0].extract_text()
    wait_until_ready(page, timeout=SLOW)

    # A speaker's profile: the sheet as HTML, then the private link.
    # Straight from the directory (no search in the address): the profile keeps its address, so
    # the panel's buttons below do not close it.
    expect(page.get_by_role("link", name="Voir le profil")).to_have_count(22, timeout=SLOW)
    wait_until_ready(page, timeout=SLOW)
    page.locator('a[href$="intervenant=sp07"]').click()
    expect(page.get_by_role("heading", name="Émilie Rousseau", level=1)).to_be_visible(timeout=SLOW)
    wait_until_ready(page, timeout=SLOW)
    with page.expect_download(timeout=SLOW) as download_info:
        page.get_by_role("button", name="Télécharger (HTML)").click()
    sheet = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert download_info.value.suggested_filename == "fiche-sp07.html"
    assert "Retour sur votre intervention" in sheet and "Émilie Rousseau" in sheet
    wait_until_ready(page, timeout=SLOW)

    page.get_by_role("button", name="Partager avec l'intervenant·e").click()
    wait_until_ready(page, timeout=SLOW)
    expect(page).to_have_url(re.compile(r"intervenant=sp07"))
    expect(page.get_by_role("heading", name="Émilie Rousseau", level=1)).to_be_visible()
    link = page.locator('[data-testid="stCode"] code').first.inner_text().strip()
    assert link.startswith(url) and "/?fiche=" in link
    assert_no_exception(page)

    speaker_page, context = open_link(page.context.browser or browser, link)
    expect(speaker_page.get_by_role("heading", name="Retour sur votre intervention")).to_be_visible(
        timeout=SLOW
    )
    expect(speaker_page.get_by_text("Émilie Rousseau").first).to_be_visible()
    assert speaker_page.locator('[data-testid="stSidebar"]').count() == 0
    assert speaker_page.locator('[data-testid="stSidebarNav"]').count() == 0
    assert speaker_page.get_by_text("Vue d'ensemble").count() == 0
    with speaker_page.expect_download(timeout=SLOW) as download_info:
        speaker_page.get_by_role("button", name="Télécharger la fiche (PDF)").click()
    assert Path(download_info.value.path()).read_bytes().startswith(b"%PDF-")
    context.close()

    conn = store.connect(database)
    try:
        assert len(store.load_share_openings(conn, "sp07")) == 1
    finally:
        conn.close()

    page.get_by_role("button", name="Révoquer le lien").click()
    wait_until_ready(page, timeout=SLOW)
    expect(page.get_by_text("Aucun lien actif.")).to_be_visible()

    speaker_page, context = open_link(browser, link)
    expect(speaker_page.get_by_text("Ce lien n'est plus actif")).to_be_visible(timeout=SLOW)
    expect(speaker_page.get_by_text("Retour sur votre intervention")).to_have_count(0)
    context.close()


def test_on_a_phone_the_speaker_s_sheet_scrolls_its_wide_tables_and_charts_sideways(browser: Browser, served):
    """A speaker opens the link on a phone: a table wider than the screen scrolls within its frame
    (by touch, or by keyboard once focused) rather than being cut at the screen's edge, and the
    charts keep a legible size instead of shrinking to the screen's width."""
    url, database = served
    conn = store.connect(database)
    try:
        token = store.create_share_link(conn, "sp04")
    finally:
        conn.close()
    context = phone_context(browser)
    try:
        page = context.new_page()
        page.goto(f"{url}/?fiche={token}")
        wait_until_ready(page, timeout=SLOW)
        expect(page.get_by_role("heading", name="Retour sur votre intervention")).to_be_visible(timeout=SLOW)
        viewport = page.viewport_size["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport
        tables = page.locator(".pdp-report table")
        assert tables.count() >= 3
        wide = 0
        for index in range(tables.count()):
            table = tables.nth(index)
            frame = table.locator("xpath=..")
            reach = frame.evaluate("e => [getComputedStyle(e).overflowX, e.scrollWidth, e.clientWidth]")
            table_width = table.evaluate("e => e.scrollWidth")
            assert reach[0] == "auto" and reach[1] >= table_width, (index, reach, table_width)
            if table_width > reach[2]:
                wide += 1
                frame.focus()
                page.keyboard.press("ArrowRight")
                page.wait_for_function("e => e.scrollLeft > 0", arg=frame.element_handle())
        assert wide >= 1  # the talks and the ratings are wider than a phone
        for image in page.locator(".pdp-report figure img").all():
            assert image.bounding_box()["width"] >= 600  # its 10 px text drawn at least at 9 px
        assert blocking_violations(page) == []
        assert_no_exception(page)
    finally:
        context.close()
