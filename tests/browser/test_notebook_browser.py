"""Mon carnet and quote cards in Chromium: a student saves two quotes from the wall, reopens the
notebook's link in a new browser (no shared session) and finds them, then downloads a quote's card
in both formats and its alt text."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, Page, expect

from insights import store
from tests.browser.helpers import assert_no_exception, wait_until_ready


def _quote_text(conn, quote_id: str) -> str:
    return conn.execute("SELECT text FROM quotes WHERE quote_id = ?", (quote_id,)).fetchone()[0]


def test_a_student_saves_two_quotes_reopens_the_link_elsewhere_and_shares_a_card(
    page: Page, browser: Browser, app_url: str, demo_db_template: Path
):
    page.goto(app_url)
    wait_until_ready(page)
    page.goto(f"{app_url}/quotes")
    wait_until_ready(page)
    cards = page.locator('[class*="st-key-wall_card_"]')
    expect(cards.first).to_be_visible()
    ids = []
    for index in (0, 1):
        card = cards.nth(index)
        classes = card.get_attribute("class") or ""
        ids.append(re.search(r"st-key-wall_card_(\S+)", classes).group(1))
        card.get_by_role("button", name="Enregistrer").click()
        wait_until_ready(page)
        expect(cards.nth(index).get_by_role("button", name="Retirer")).to_be_visible()
        assert_no_exception(page)
    expect(cards.nth(2).get_by_role("button", name="Enregistrer")).to_be_visible()

    page.get_by_role("link", name="Mon carnet").click()
    wait_until_ready(page)
    expect(page.get_by_role("heading", name="Mon carnet")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/carnet\?carnet=[A-Za-z0-9_-]{22}$"))
    link = page.locator(".st-key-notebook_link [data-testid='stCode']").inner_text().strip()
    assert re.fullmatch(r"http://[^/]+/carnet\?carnet=[A-Za-z0-9_-]{22}", link), link

    conn = store.connect(demo_db_template)
    try:
        texts = {quote_id: _quote_text(conn, quote_id) for quote_id in ids}
    finally:
        conn.close()

    # Another browser, nothing shared but the link.
    elsewhere = browser.new_context(
        locale="fr-FR", viewport={"width": 1400, "height": 1000}, accept_downloads=True
    )
    try:
        other = elsewhere.new_page()
        other.goto(link)
        wait_until_ready(other)
        assert_no_exception(other)
        expect(other.get_by_role("heading", name="Mon carnet")).to_be_visible()
        expect(other.get_by_text("2 conseils dans votre carnet")).to_be_visible()
        for quote_id, text in texts.items():
            expect(other.locator(f".st-key-notebook_quote_{quote_id}")).to_contain_text(text[:40])

        # The card of the first quote, square then landscape, and its alt text.
        box = other.locator(f".st-key-notebook_quote_{ids[0]}")
        box.get_by_role("button", name="Partager en image").click()
        dialog = other.get_by_role("dialog")
        expect(dialog.get_by_role("button", name="Télécharger l'image (PNG)")).to_be_visible(timeout=30_000)
        with other.expect_download() as square:
            dialog.get_by_role("button", name="Télécharger l'image (PNG)").click()
        assert square.value.suggested_filename == f"citation-{ids[0]}-square.png"
        assert Image.open(io.BytesIO(Path(square.value.path()).read_bytes())).size == (1080, 1080)

        dialog.get_by_text("Paysage 1200 × 627 (LinkedIn)").click()
        # The preview (and the download with it) is the landscape card once the dialog has rerun.
        other.wait_for_function(
            "() => { const img = document.querySelector('[role=dialog] img');"
            " return img && img.complete && img.naturalWidth > 1.5 * img.naturalHeight; }",
            timeout=30_000,
        )
        wait_until_ready(other)
        with other.expect_download() as landscape:
            dialog.get_by_role("button", name="Télécharger l'image (PNG)").click()
        assert landscape.value.suggested_filename == f"citation-{ids[0]}-landscape.png"
        assert Image.open(io.BytesIO(Path(landscape.value.path()).read_bytes())).size == (1200, 627)

        with other.expect_download() as alt:
            dialog.get_by_role("button", name="Télécharger le texte alternatif").click()
        alt_text = Path(alt.value.path()).read_text(encoding="utf-8")
        assert alt_text.startswith("Carte citation. «") and "Paroles de pros" in alt_text
        words = texts[ids[0]].replace("'", "’").split()
        assert " ".join(words[:3]) in alt_text.replace("\u00a0", " ")
        expect(dialog.locator("[data-testid='stCode']")).to_contain_text("Carte citation.")
    finally:
        elsewhere.close()
