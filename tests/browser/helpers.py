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


class DirectorSignInUnavailable(Exception):
    """The app offers no director sign-in yet: the access feature (issue 8) brings it."""


def sign_in_as_director(page, app_url: str) -> None:
    """Open the director's space the way the director does, through the app's sign-in.

    The step to wire when the access feature lands: sign in through its form (the app started with
    a director password in its secrets), then return with the director's space open. Until then
    the app has no sign-in, and no test may set the role behind the app's back.
    """
    raise DirectorSignInUnavailable(
        f"{app_url}: no director sign-in in this version of the app (it comes with the access feature)"
    )
