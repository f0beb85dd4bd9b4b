"""Paroles de pros: the entry point. Page config, navigation, shared sidebar, error boundary."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from pages import common

HERE = Path(__file__).parent
logger = logging.getLogger("paroles_de_pros")

st.set_page_config(
    page_title="Paroles de pros",
    page_icon=":material/record_voice_over:",
    layout="wide",
    initial_sidebar_state="expanded",
)

# (file, title, icon, director only). The first page is the default one.
PAGES: list[tuple[str, str, str, bool]] = [
    ("overview.py", "Vue d'ensemble", ":material/dashboard:", False),
    ("data.py", "Données", ":material/database:", True),
]


def visible_pages() -> list[st.Page]:
    director = common.is_director()
    return [
        st.Page(HERE / "pages" / file, title=title, icon=icon, default=index == 0, url_path=Path(file).stem)
        for index, (file, title, icon, director_only) in enumerate(PAGES)
        if director or not director_only
    ]


page = st.navigation(visible_pages())

try:
    data = common.tables()
    common.sidebar_filters(data)
    common.demo_banner(data)
    page.run()
except Exception:
    logger.exception("Unexpected error on page %s", page.title)
    st.error(
        "Une erreur inattendue est survenue et a été enregistrée dans le journal de l'application. "
        "Rechargez la page ; si le problème persiste, signalez-le au responsable de la formation.",
        icon=":material/error:",
    )
