"""Paroles de pros: the entry point. Page config, navigation, shared sidebar, error boundary."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import streamlit as st

from insights import access, store
from pages import column_width, common, report_panels
from pages.registry import PAGES

HERE = Path(__file__).parent
# A file of the app's own: a material icon as page icon is fetched from a third-party font server.
PAGE_ICON = HERE / "pages" / "assets" / "icon.svg"
logger = logging.getLogger("paroles_de_pros")

st.set_page_config(
    page_title="Paroles de pros",
    page_icon=str(PAGE_ICON),
    layout="wide",
    initial_sidebar_state="auto",
)


def navigation(routes: list[access.Route]) -> dict[str, list[st.Page]]:
    """This session's pages by menu section, from its `routes` (`insights.access.navigation_routes`:
    for students, director-only pages are absent from the menu and their addresses open the
    sign-in)."""
    sections: dict[str, list[st.Page]] = {}
    for route in routes:
        sections.setdefault(route.section, []).append(
            st.Page(
                HERE / "pages" / route.file,
                title=route.title,
                icon=route.icon,
                url_path=route.url_path,
                default=route.default,
                visibility="visible" if route.visible else "hidden",
            )
        )
    return sections


def show_error(error: Exception) -> None:
    """The error boundary: a French message, never a traceback."""
    if isinstance(error, sqlite3.Error):
        error = store.translate(error) or error
    if isinstance(error, store.DatabaseUnusableError):
        logger.error("Database unusable: %s", error)
        common.unusable_database(error)
    elif isinstance(error, store.StoreError):
        st.error(str(error), icon=":material/error:")
    else:
        logger.error("Unexpected error on page %s", page.title, exc_info=error)
        st.error(common.UNEXPECTED_ERROR, icon=":material/error:")


def speaker_sheet() -> None:
    """The page a speaker's private link opens (`?fiche=…`): their sheet alone."""
    report_panels.speaker_link_view(str(st.query_params.get(report_panels.SHEET_PARAM, "")))


if st.query_params.get(report_panels.SHEET_PARAM):
    # A speaker's private link: their sheet and nothing else of the app (no menu, no sidebar).
    page = st.navigation([st.Page(speaker_sheet, title="Retour sur votre intervention")], position="hidden")
    try:
        page.run()
    except Exception as error:  # the boundary, as below
        show_error(error)
    st.stop()

common.refresh_access()
routes = access.navigation_routes(PAGES, director=common.is_director())
sections = navigation(routes)
# One flat menu: Streamlit draws section headers as <div>s inside the menu's <ul>, which screen
# readers then announce as a broken list. Director pages come last, in registry order.
entries = [entry for section in sections.values() for entry in section]
home = sections[""][0]  # the registry's first page, the default one
# Every route's address, the home page's file name included: Streamlit reserves it.
unknown = common.unknown_address({route.url_path for route in routes})
if unknown:
    entries.append(
        st.Page(
            lambda: common.page_not_found(unknown, home),
            title="Page introuvable",
            url_path=unknown,
            visibility="hidden",
        )
    )
page = st.navigation(entries)
if common.is_director() and page.url_path == access.SIGNIN_URL:
    st.switch_page(next(iter(sections.get(access.DIRECTOR_SECTION, [])), home))


try:
    data = common.model()
    if common.is_director() and common.director_sidebar():
        common.sign_out()
        st.switch_page(home)
    common.sidebar_filters(data)
    common.demo_banner(data)
    common.callback_error_notice()
    column_width.probe()
    page.run()  # a page that ends early (common.stop_page) draws the footer itself
    common.footer()
    common.access_notice_toast()
except Exception as error:  # the boundary: every error becomes a French message
    show_error(error)
