"""The app's pages, in menu order: the entry point builds the navigation from this registry, and
tests and tools read it without running the app (it imports nothing of Streamlit)."""

from __future__ import annotations

from typing import NamedTuple


class PageEntry(NamedTuple):
    """One page: its file in `pages/`, its menu title and icon, and whether only the director may
    open it (such a page calls `common.require_director()` first)."""

    file: str
    title: str
    icon: str
    director_only: bool


PAGES: tuple[PageEntry, ...] = (
    PageEntry("overview.py", "Vue d'ensemble", ":material/dashboard:", False),
    PageEntry("quotes.py", "Mur de citations", ":material/format_quote:", False),
    PageEntry("carnet.py", "Mon carnet", ":material/bookmarks:", False),
    PageEntry("surveys.py", "Enquêtes", ":material/analytics:", False),
    PageEntry("speakers.py", "Intervenants", ":material/groups:", False),
    PageEntry("themes.py", "Thèmes", ":material/category:", False),
    PageEntry("data.py", "Données", ":material/database:", True),
    PageEntry("publication.py", "Publication", ":material/publish:", True),
    PageEntry("reinvite.py", "Qui réinviter ?", ":material/event_repeat:", True),
    PageEntry("security.py", "Accès et sécurité", ":material/shield_lock:", True),
    PageEntry("accessibility.py", "Accessibilité", ":material/accessibility:", False),
)
"""The first page is the default one, open to students."""


def director_only_pages() -> list[str]:
    """The files of the director-only pages."""
    return [page.file for page in PAGES if page.director_only]
