"""Students' notebooks ("Mon carnet") as a session holds them, and the actions under a quote's
card: save or remove it in one click, and share it as an image with its alt text."""

from __future__ import annotations

import sqlite3

import streamlit as st

from insights import store
from pages import common

NOTEBOOK_PARAM = "carnet"
"""The query parameter of a notebook's link (`/carnet?carnet=CODE`): the notebook page opens it."""
NOTEBOOK_PAGE = "pages/carnet.py"
_NOTEBOOK = "_notebook_code"
_SHARE = "_share_quote"
CARD_FORMATS = {"square": "Carré 1080 × 1080 (Instagram)", "landscape": "Paysage 1200 × 627 (LinkedIn)"}


def notebook_code() -> str | None:
    """This session's notebook code (None before the first quote is saved or a link opened)."""
    return st.session_state.get(_NOTEBOOK)


def adopt_notebook(code: str) -> None:
    """Make the notebook of a link this session's."""
    st.session_state[_NOTEBOOK] = code


def notebook_url(code: str) -> str:
    """The notebook's link, to bookmark: this app's address, the notebook page and the code."""
    return f"{common.app_url()}/carnet?{NOTEBOOK_PARAM}={code}"


@common.guarded
def _toggle_saved(quote_id: str) -> None:
    conn = common.connection()
    code = notebook_code()
    if code is not None and not store.notebook_exists(conn, code):
        code = None
    if quote_id in store.notebook_quote_ids(conn, code):
        store.remove_quote(conn, code, quote_id)
        st.toast("Retiré de votre carnet.", icon=":material/bookmark_remove:")
        return
    if code is None:
        code = store.create_notebook(conn, session=common.session_key())
        adopt_notebook(code)
    store.save_quote(conn, code, quote_id)
    st.toast(
        "Enregistré dans votre carnet (menu «\u00a0Mon carnet\u00a0»).", icon=":material/bookmark_added:"
    )


def _ask_share(key: str, quote_id: str) -> None:
    st.session_state[_SHARE] = (key, quote_id)


def quote_actions(quote_id: str, key: str, saved: set[str] | None = None) -> None:
    """Under a quote's card: "Enregistrer" (or "Retirer") into the session's notebook in one click,
    and "Partager en image" (the card as PNG with its alt text, in a dialog). `key` tells apart
    two cards of the same quote on a page; `saved`: the notebook's ids when the caller has them."""
    if saved is None:
        saved = store.notebook_quote_ids(common.connection(), notebook_code())
    is_saved = quote_id in saved
    with st.container(horizontal=True, gap="small"):
        st.button(
            "Retirer" if is_saved else "Enregistrer",
            icon=":material/bookmark_remove:" if is_saved else ":material/bookmark_add:",
            key=f"{key}_save_{quote_id}",
            on_click=_toggle_saved,
            args=(quote_id,),
            type="tertiary",
            help="Retirer cette citation de mon carnet"
            if is_saved
            else "Enregistrer cette citation dans mon carnet",
        )
        st.button(
            "Partager en image",
            icon=":material/image:",
            key=f"{key}_share_{quote_id}",
            on_click=_ask_share,
            args=(key, quote_id),
            type="tertiary",
            help="Une image de la citation à publier (Instagram, LinkedIn), avec son texte alternatif",
        )
    if st.session_state.get(_SHARE) == (key, quote_id):
        del st.session_state[_SHARE]
        _share_dialog(quote_id)


@st.cache_data(show_spinner=False, max_entries=32)
def _card(
    _conn: sqlite3.Connection, path: str, version: int, quote_id: str, fmt: str
) -> tuple[bytes, str, str] | None:
    from insights.quotes import search
    from insights.reports import card

    hit = search.get_quote(_conn, quote_id)
    if hit is None:
        return None
    return card.render_card(hit, fmt), card.alt_text(hit), card.file_name(hit, fmt)


@st.dialog("Partager en image", width="large")
def _share_dialog(quote_id: str) -> None:
    fmt = st.radio(
        "Format",
        list(CARD_FORMATS),
        format_func=CARD_FORMATS.get,
        horizontal=True,
        key="share_format",
    )
    conn = common.connection()
    made = _card(conn, str(store.default_db_path()), store.data_version(conn), quote_id, fmt)
    if made is None:
        st.warning("Cette citation n'est plus publiée.", icon=":material/search_off:")
        return
    png, alt, name = made
    image_column, text_column = st.columns([1, 1], gap="medium")
    image_column.image(png, caption="Aperçu de la carte", width="stretch")
    with text_column:
        st.download_button(
            "Télécharger l'image (PNG)",
            png,
            file_name=name,
            mime="image/png",
            icon=":material/download:",
            key="share_png",
            on_click="ignore",
            type="primary",
        )
        st.markdown(
            "**Texte alternatif**, à coller avec votre publication pour les personnes qui ne voient pas l'image :"
        )
        st.code(alt, language=None, wrap_lines=True)
        st.download_button(
            "Télécharger le texte alternatif",
            alt.encode("utf-8"),
            file_name=name.removesuffix(".png") + "-texte-alternatif.txt",
            mime="text/plain",
            icon=":material/download:",
            key="share_alt",
            on_click="ignore",
        )
