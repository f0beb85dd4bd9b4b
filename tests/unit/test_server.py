"""The served app's rules (`server.py`) and its configuration."""

from __future__ import annotations

import asyncio
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from insights.ingest import files
from pages.streamlit_words import FRENCH_WORDS_SCRIPT, TYPING_HINT_STYLE
from server import (
    FRENCH_NO_SCRIPT,
    HOME_NAME,
    POINTER_SCRIPT,
    FrenchPages,
    in_french,
    redirect_target,
    telling_the_pointer,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_page_is_declared_french_and_an_unexpected_tag_is_left_alone() -> None:
    page = (
        b'<!doctype html><html lang="en"><head><title>Streamlit</title></head>'
        b"<body><noscript><p>You need to enable JavaScript.</p>\n<p>Reading this</p></noscript><div></div>"
    )
    assert in_french(page) == (
        b'<!doctype html><html lang="fr"><head>'
        + FRENCH_WORDS_SCRIPT.encode()
        + TYPING_HINT_STYLE.encode()
        + b"<title>Paroles de pros</title></head><body>"
        + FRENCH_NO_SCRIPT
        + b"<div></div>"
    )
    assert in_french(b'<html data-theme="x">') == b'<html data-theme="x">'


def test_the_page_tells_the_app_its_pointer_before_its_own_scripts_run() -> None:
    page = b'<html lang="fr"><head><meta charset="UTF-8" /><script type="module" src="./index.js"></script>'
    told = telling_the_pointer(page)
    assert told.startswith(b'<html lang="fr"><head>' + POINTER_SCRIPT)
    assert b'document.cookie = "pointer="' in POINTER_SCRIPT and b"(pointer: coarse)" in POINTER_SCRIPT
    assert b'document.cookie = "window_width=" + innerWidth' in POINTER_SCRIPT
    assert telling_the_pointer(b"<html><body>") == b"<html><body>"


def test_the_upload_limit_lets_the_app_refuse_a_big_file_itself() -> None:
    """Streamlit's limit (MiB) is just above the app's (Mo): a file a little too big reaches the
    app's French message, a much bigger one never reaches the server's memory."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    streamlit_limit = config["server"]["maxUploadSize"] * 1024 * 1024
    assert files.max_import_bytes() < streamlit_limit < 1.1 * files.max_import_bytes()


def test_a_nested_address_leads_to_its_first_level_within_the_app_s_base_path() -> None:
    assert redirect_target("/programme/2019") == "/programme"
    assert redirect_target("/quotes/q12/") == "/quotes"
    assert redirect_target("/quotes") is None
    assert redirect_target("/quotes/") is None
    assert redirect_target("/") is None
    assert redirect_target("/paroles/quotes", base_url_path="paroles") is None
    assert redirect_target("/paroles/quotes/q12", base_url_path="/paroles/") == "/paroles/quotes"
    assert redirect_target("/ailleurs/quotes", base_url_path="paroles") is None


def test_the_home_page_s_file_name_leads_to_the_home_page() -> None:
    assert HOME_NAME == "overview"
    assert redirect_target("/overview") == "/"
    assert redirect_target("/overview/2019") == "/"
    assert redirect_target("/paroles/overview", base_url_path="paroles") == "/paroles/"
    assert redirect_target("/overviews") is None


def _serve(
    app, path: str, headers: list[tuple[bytes, bytes]], query: bytes = b""
) -> tuple[int, dict, bytes, list]:
    seen_headers: list = []

    async def inner(scope, receive, send):
        seen_headers.extend(scope["headers"])
        page = b'<html lang="en"><body>Paroles</body></html>'
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/html"), (b"content-length", str(len(page)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": page[:10], "more_body": True})
        await send({"type": "http.response.body", "body": page[10:]})

    sent: list = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": "GET", "path": path, "query_string": query, "headers": headers}
    # Its own thread: in the whole suite, the browser tests' Playwright keeps an event loop running
    # in the main thread, where `asyncio.run` refuses to start.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, app(inner)(scope, receive, send)).result()
    start = next(message for message in sent if message["type"] == "http.response.start")
    body = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), body, seen_headers


def test_the_middleware_rewrites_the_page_whole_and_fixes_its_length() -> None:
    status, headers, body, seen = _serve(FrenchPages, "/surveys", [(b"accept-encoding", b"gzip")])
    assert status == 200
    assert body == b'<html lang="fr"><body>Paroles</body></html>'
    assert headers[b"content-length"] == str(len(body)).encode()
    assert (b"accept-encoding", b"gzip") not in seen


def test_the_middleware_hides_the_metrics_and_leaves_assets_alone() -> None:
    status, _, body, _ = _serve(FrenchPages, "/_stcore/metrics", [])
    assert status == 404 and b"lang" not in body
    status, _, body, seen = _serve(FrenchPages, "/static/index.html", [(b"accept-encoding", b"gzip")])
    assert body.startswith(b'<html lang="en">')
    assert (b"accept-encoding", b"gzip") in seen


def test_the_page_at_a_nested_address_is_a_redirect_to_its_first_level() -> None:
    """Streamlit answers any address with its page, whose scripts are relative: at `/a/b` the
    browser would fetch them under `/a/` and show a blank page."""
    status, headers, body, _ = _serve(FrenchPages, "/programme/2019", [], query=b"theme=crise&x=%C3%A9")
    assert (status, headers[b"location"], body) == (302, b"/programme?theme=crise&x=%C3%A9", b"")
    status, headers, _, _ = _serve(FrenchPages, "/citations anciennes/été", [])
    assert headers[b"location"] == b"/citations%20anciennes"
    status, _, body, _ = _serve(FrenchPages, "/quotes", [])
    assert status == 200 and body.startswith(b'<html lang="fr">')
