"""Small named helpers to drive the app in the browser."""

from __future__ import annotations

import itertools

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

APP_READY = (
    '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
)


PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)


def _touch_context(browser, width: int, height: int, agent: str):
    return browser.new_context(
        viewport={"width": width, "height": height},
        locale="fr-FR",
        user_agent=agent,
        is_mobile=True,
        has_touch=True,
    )


def phone_context(browser, width: int = 400):
    """A browser context as a phone presents itself: `width` px wide, touch, and a phone's
    User-Agent, from which the app picks its phone layouts (`common.on_a_phone`)."""
    return _touch_context(browser, width, 850, PHONE_AGENT)


TABLET_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)


def tablet_context(browser):
    """A browser context as an Android tablet presents itself: 800 px wide, touch, and a
    User-Agent without "Mobi", which keeps the desktop layouts (`common.on_a_touch_screen`)."""
    return _touch_context(browser, 800, 1280, TABLET_AGENT)


IPAD_DESKTOP_AGENT = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15"
)


def ipad_desktop_context(browser):
    """A browser context as an iPad asking for the desktop site (Safari's default) presents
    itself: touch, and a Mac's User-Agent. Only the page's pointer ("coarse") tells it apart."""
    return _touch_context(browser, 1024, 1366, IPAD_DESKTOP_AGENT)


def swipe_up(page, x: float, y: float, distance: float = 250) -> float:
    """A finger put down at (`x`, `y`) and moved `distance` pixels up, as one scrolls down a page
    on a phone (raw touch events: Playwright only taps). Returns how far the page scrolled."""
    session = page.context.new_cdp_session(page)
    scrolled = "() => document.querySelector('[data-testid=stMain]').scrollTop"
    before = page.evaluate(scrolled)
    session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        point = {"x": x, "y": y - distance * step / 10}
        session.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        page.wait_for_timeout(16)
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(800)  # the scroll's momentum
    session.detach()
    return page.evaluate(scrolled) - before


SIGNED_IN = "Espace responsable ouvert"  # the director's sidebar, once signed in


def wait_until_ready(page, timeout: float = 30_000) -> None:
    """Wait until the script has finished running and the app is connected."""
    page.wait_for_selector(APP_READY, timeout=timeout)


def assert_no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]'
    ).first.inner_text()


def side_by_side(boxes: list[dict], gap: float = 0.0) -> bool:
    """Whether bounding boxes, taken left to right, each end at least `gap` pixels before the next."""
    ordered = sorted(boxes, key=lambda box: box["x"])
    return all(left["x"] + left["width"] + gap <= right["x"] for left, right in itertools.pairwise(ordered))


def assert_tick_labels_readable(labels) -> None:
    """A plotly axis's tick labels (a locator of its `.xtick text`) side by side without overlap,
    or all tilted (plotly tilts them when they would overlap, unless an angle is forced)."""
    boxes = [labels.nth(index).bounding_box() for index in range(labels.count())]
    assert len(boxes) >= 2, boxes
    tilted = all(
        "rotate(" in (labels.nth(index).get_attribute("transform") or "") for index in range(len(boxes))
    )
    assert side_by_side(boxes) or tilted, boxes


def open_from_menu(page, title: str) -> None:
    """Open a page from the menu and wait for its own run. A click that lands while the app is
    still redrawing the menu (just after a sign-in, on a loaded machine) can be lost: the link is
    then clicked again, at most twice more."""
    link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True)
    for attempt in range(3):
        wait_until_ready(page, timeout=60_000)
        link.click()
        try:
            expect(link).to_have_attribute("aria-current", "page", timeout=20_000)
            break
        except AssertionError:
            if attempt == 2:
                raise
    wait_until_ready(page, timeout=60_000)


def sign_in_as_director(page, app_url: str, page_path: str, password: str) -> None:
    """Open a director page's address and sign in on the sign-in form it shows, as the director
    does; the same address then shows the page. (A reload starts a new session: navigate by the
    menu afterwards.)

    Returns once the director's space is open. Right after the click, the app can still show the
    sign-in's previous run as finished: a menu click then would interrupt the sign-in's run and
    drop the form's submission, and the walk would go on as a student."""
    page.goto(f"{app_url}/{page_path}")
    wait_until_ready(page)
    submit_password(page, password)
    expect(page.get_by_text(SIGNED_IN)).to_be_visible(timeout=60_000)
    wait_until_ready(page, timeout=60_000)


def submit_password(page, password: str) -> None:
    """Fill the sign-in form's password and submit it."""
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    wait_until_ready(page)


WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}


def blocking_violations(page) -> list[str]:
    """axe-core's serious and critical violations of WCAG 2.1 A and AA on the page as it stands."""
    page.wait_for_timeout(500)  # charts finish drawing after the script ends
    results = Axe().run(page, options=WCAG_21_AA).response
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']}"
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ]
