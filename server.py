"""The served app: `app.py` behind rules of the web layer that Streamlit has no option for.

`streamlit run server.py` finds the `app` below and serves `app.py` through it. The rules:

- the page declares French (`<html lang="fr">`): Streamlit's page says `en` whatever the app
  speaks, and screen readers would read French with English pronunciation. Its title and its
  text without JavaScript are French, and it writes in French the words Streamlit writes in
  English (the skip link, the uploader's button, the help buttons' names, the hint under a text
  box being typed in…: `streamlit_words`), that hint under the box rather than over the typed text;
- the page tells the app whether the screen's main pointer is a finger (a cookie,
  `common.POINTER_COOKIE`), which the User-Agent of an iPad in desktop mode does not say, and how
  wide its window is (`column_width.WINDOW_COOKIE`), from which the first run guesses the width
  of the page's column;
- `/_stcore/metrics`, Streamlit's public usage counters, answers 404;
- an address nested below a page (`/programme/2019`, an old link) is sent to its first level
  (`/programme`): Streamlit's page loads its scripts relative to the address, so it would stay
  blank there, and its pages have one level only. The app then shows that page, or its own
  "Page introuvable";
- the home page's file name (`/overview`) is sent to the home page's address (`/`), which
  Streamlit answers there instead of an English "Page not found" over it.

They are a small ASGI middleware, so a Streamlit upgrade that changes its page keeps working:
the page is served unchanged if its `<html>` or `<head>` tag is not the expected one (a test says so).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import streamlit as st
from starlette.middleware import Middleware
from streamlit.runtime.pages_manager import PagesManager

from pages.column_width import WINDOW_COOKIE
from pages.common import POINTER_COOKIE
from pages.registry import PAGES
from pages.streamlit_words import FRENCH_WORDS_SCRIPT, TYPING_HINT_STYLE

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ENGLISH_DOCUMENT = b'<html lang="en">'
FRENCH_DOCUMENT = b'<html lang="fr">'
HIDDEN_PATHS = ("/_stcore/metrics",)
# Paths whose answers are never the app's HTML page: left untouched, compressed as usual.
ASSET_PREFIXES = ("/_stcore/", "/static/", "/media/", "/component/", "/app/static/")


DOCUMENT_HEAD = b"<head>"
STREAMLIT_TITLE = b"<title>Streamlit</title>"
FRENCH_TITLE = b"<title>Paroles de pros</title>"  # until the app's first run sets the page's own
NO_SCRIPT = re.compile(rb"<noscript>.*?</noscript>", re.DOTALL)
FRENCH_NO_SCRIPT = (
    b"<noscript><p>Paroles de pros a besoin de JavaScript : activez-le dans votre navigateur pour "
    b"afficher l'application.</p></noscript>"
)


def in_french(page: bytes) -> bytes:
    """The HTML page in French: its document language, its title and its text for a browser
    without JavaScript, and first in its head the script that writes Streamlit's own words in
    French and the style that keeps the typing hint off the typed text (`pages.streamlit_words`)."""
    page = page.replace(ENGLISH_DOCUMENT, FRENCH_DOCUMENT, 1).replace(STREAMLIT_TITLE, FRENCH_TITLE, 1)
    page = NO_SCRIPT.sub(lambda _: FRENCH_NO_SCRIPT, page, count=1)
    return page.replace(DOCUMENT_HEAD, DOCUMENT_HEAD + (FRENCH_WORDS_SCRIPT + TYPING_HINT_STYLE).encode(), 1)


# Run before the app's scripts open their connection, whose request carries the cookies to the app.
POINTER_SCRIPT = (
    f'<script>document.cookie = "{POINTER_COOKIE}=" + '
    '(matchMedia("(pointer: coarse)").matches ? "coarse" : "fine") + "; path=/; SameSite=Lax";'
    f'document.cookie = "{WINDOW_COOKIE}=" + innerWidth + "; path=/; SameSite=Lax";</script>'
).encode()


def telling_the_pointer(page: bytes) -> bytes:
    """The HTML page with, first in its head, the script that tells the app the main pointer and
    the window's width."""
    return page.replace(DOCUMENT_HEAD, DOCUMENT_HEAD + POINTER_SCRIPT, 1)


HOME_NAME = Path(PAGES[0].file).stem


def redirect_target(path: str, base_url_path: str = "", home: str = HOME_NAME) -> str | None:
    """Where to send the browser instead of the page asked at `path`, None to serve it: a path
    nested below a page goes to its first level (`/programme/2019` → `/programme`), the home
    page's file name to the home page (`/overview` → `/`). `base_url_path` is the server's
    `server.baseUrlPath`, where the app's pages start."""
    base = f"/{base_url_path.strip('/')}" if base_url_path.strip("/") else ""
    if base and path != base and not path.startswith(f"{base}/"):
        return None
    levels = [level for level in path[len(base) :].split("/") if level]
    if levels and levels[0] == home:
        return f"{base}/"
    return f"{base}/{levels[0]}" if len(levels) > 1 else None


def _is_hidden(path: str) -> bool:
    return any(path.endswith(hidden) for hidden in HIDDEN_PATHS)


def _may_be_page(path: str) -> bool:
    return not any(prefix in path for prefix in ASSET_PREFIXES)


class FrenchPages:
    """Pure ASGI middleware: sets the page's language, hides the metrics endpoint."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if _is_hidden(path):
            await _not_found(send)
            return
        if scope.get("method") != "GET" or not _may_be_page(path):
            await self.app(scope, receive, send)
            return
        # The page is rewritten uncompressed: ask the app for it without compression.
        headers = [(name, value) for name, value in scope["headers"] if name != b"accept-encoding"]
        target = redirect_target(path, str(st.get_option("server.baseUrlPath") or ""))
        location = None
        if target is not None:
            query = scope.get("query_string", b"")
            location = quote(target).encode("ascii") + (b"?" + query if query else b"")
        await self.app({**scope, "headers": headers}, receive, _PageRewriter(send, location))


class _PageRewriter:
    """Holds an HTML answer until its end to set its language; passes anything else through. The
    page asked for at an address to correct is answered instead by a redirect (`redirect_to`)."""

    def __init__(self, send: Send, redirect_to: bytes | None = None) -> None:
        self.send = send
        self.redirect_to = redirect_to
        self.redirected = False
        self.start: Message | None = None
        self.body: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if self.redirected:
            return
        if message["type"] == "http.response.start":
            content_type = dict(message.get("headers", [])).get(b"content-type", b"")
            if content_type.startswith(b"text/html"):
                if self.redirect_to and message["status"] == 200:
                    self.redirected = True
                    await _redirect(send=self.send, location=self.redirect_to)
                else:
                    self.start = message
                return
            await self.send(message)
            return
        if self.start is None or message["type"] != "http.response.body":
            await self.send(message)
            return
        self.body.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        page = telling_the_pointer(in_french(b"".join(self.body)))
        headers = [
            (name, str(len(page)).encode() if name == b"content-length" else value)
            for name, value in self.start.get("headers", [])
        ]
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": page})


async def _redirect(send: Send, location: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 302,
            "headers": [(b"location", location), (b"content-length", b"0")],
        }
    )
    await send({"type": "http.response.body", "body": b""})


async def _not_found(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 404,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": b"Not Found"})


# app.py declares the pages (`st.navigation`): `pages/` is not a legacy pages folder. Said before
# the first session, so that its first request, a deep link or an unknown address included, goes
# through app.py's navigation (`streamlit run app.py` learns it in that run: `common`).
PagesManager.uses_pages_directory = False
app = st.App("app.py", middleware=[Middleware(FrenchPages)])
