"""Small named helpers to drive the app in the browser."""

from __future__ import annotations

APP_READY = (
    '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
)


def wait_until_ready(page, timeout: float = 30_000) -> None:
    """Wait until the script has finished running and the app is connected."""
    page.wait_for_selector(APP_READY, timeout=timeout)


def assert_no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]'
    ).first.inner_text()
