"""Streamlit helpers shared by the pages: the database, cached tables, the sidebar filters,
quote cards and the demo banner."""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from insights import metrics, store
from insights.domain import LIKERT_QUESTION_IDS, ORG_TYPES, SEMESTERS, THEME_IDS, THEME_LABELS
from insights.filters import QUERY_KEYS, Filters, select_interventions
from insights.formatting import escape_markdown, format_date, format_signed


def _run_through_entry_point() -> None:
    """Rerun through `app.py` when Streamlit ran a page file on its own.

    A server sees the `pages/` folder and, until the entry point's first `st.navigation` call,
    runs a deep link such as `/speakers?intervenant=sp03` as a bare page script: no sidebar,
    no access check. Every page imports this module first, so leaving that mode here and
    rerunning (same page, same query parameters) sends the first visitor through `app.py`.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_run_through_entry_point()


@st.cache_resource(show_spinner="Préparation de la base de données…")
def _prepared(path: str) -> bool:
    """Create the database on first use and seed it with the demo dataset when empty."""
    from insights.templates import seed_demo_if_empty

    conn = store.connect(path)
    try:
        return seed_demo_if_empty(conn, store.DEMO_DIR)
    finally:
        conn.close()


def connection() -> sqlite3.Connection:
    """This browser session's connection to the database (opened, migrated and seeded once)."""
    path = str(store.default_db_path())
    _prepared(path)
    key = f"_connection::{path}"
    if key not in st.session_state:
        st.session_state[key] = store.connect(path)
    return st.session_state[key]


@dataclass(frozen=True)
class Tables:
    """The tables every page reads, as `store` loaders return them, plus survey aggregates.

    `scores`: numeric answers wide (`metrics.scores_by_response`) for the Likert questions and
    `recommend`; `response_counts`: responses per intervention.
    """

    cohorts: pd.DataFrame
    speakers: pd.DataFrame
    career_steps: pd.DataFrame
    interventions: pd.DataFrame
    quotes: pd.DataFrame
    response_counts: pd.DataFrame
    scores: pd.DataFrame
    anonymity_threshold: int
    demo: bool


@st.cache_data(show_spinner=False, max_entries=4)
def _load_tables(path: str, version: int) -> Tables:
    conn = store.connect(path)
    try:
        answers = store.load_answers(conn, [*LIKERT_QUESTION_IDS, "recommend"])
        return Tables(
            cohorts=store.load_cohorts(conn),
            speakers=store.load_speakers(conn),
            career_steps=store.load_career_steps(conn),
            interventions=store.load_interventions(conn),
            quotes=store.load_quotes(conn),
            response_counts=store.response_counts(conn),
            scores=metrics.scores_by_response(answers, [*LIKERT_QUESTION_IDS, "recommend"]),
            anonymity_threshold=store.anonymity_threshold(conn),
            demo=store.get_meta(conn, "demo_data") == "1",
        )
    finally:
        conn.close()


def tables() -> Tables:
    """The cached tables, reloaded only after a write (keyed by the data version)."""
    conn = connection()
    return _load_tables(str(store.default_db_path()), store.data_version(conn))


_WIDGET_KEYS = {name: f"filter_{name}" for name in QUERY_KEYS}


def sidebar_filters(data: Tables) -> Filters:
    """Draw the shared filters in the sidebar and keep them in the URL.

    The first run of a session starts from the URL's query parameters, so a shared link opens
    the same view; afterwards the widgets' state carries the filters across pages.
    """
    cohorts = data.cohorts["cohort"].tolist()
    if not st.session_state.get("_filters_initialised"):
        params = {key: st.query_params.get_all(key) for key in QUERY_KEYS.values()}
        initial = Filters.from_query_params(params, cohorts)
        for name, key in _WIDGET_KEYS.items():
            st.session_state[key] = list(getattr(initial, name))
        st.session_state["_filters_initialised"] = True

    with st.sidebar:
        st.header("Filtres", anchor=False)
        st.multiselect("Promotion(s)", cohorts, key=_WIDGET_KEYS["cohorts"], placeholder="Toutes")
        st.multiselect("Semestre", list(SEMESTERS), key=_WIDGET_KEYS["semesters"], placeholder="Les deux")
        st.multiselect(
            "Type d'organisation", list(ORG_TYPES), key=_WIDGET_KEYS["org_types"], placeholder="Tous"
        )
        st.multiselect(
            "Thème",
            list(THEME_IDS),
            format_func=THEME_LABELS.get,
            key=_WIDGET_KEYS["themes"],
            placeholder="Tous",
        )
    filters = Filters(**{name: tuple(st.session_state[key]) for name, key in _WIDGET_KEYS.items()})
    _write_query_params(filters)
    st.session_state["filters"] = filters
    return filters


def current_filters() -> Filters:
    """The filters drawn by the entry point for this run."""
    return st.session_state.get("filters", Filters())


def _write_query_params(filters: Filters) -> None:
    wanted = filters.to_query_params()
    for key in QUERY_KEYS.values():
        if key in wanted:
            if st.query_params.get_all(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


def selected_interventions(data: Tables, filters: Filters) -> pd.DataFrame:
    """The interventions the sidebar selects."""
    return select_interventions(data.interventions, data.speakers, filters)


def metric_delta(change: float, decimals: int, unit: str = "") -> str | int | None:
    """A change as `st.metric` reads it: None when unknown, 0 (grey) when nil, else a signed
    string with an ASCII minus, which is what sets the arrow's direction."""
    if math.isnan(change):
        return None
    if round(change, decimals) == 0:
        return 0
    return format_signed(change, decimals).replace("−", "-") + unit


def is_director() -> bool:
    """True when this session is in the programme director's space."""
    return st.session_state.get("role") == "director"


def demo_banner(data: Tables) -> None:
    if data.demo:
        st.caption(
            ":material/info: Données de démonstration : intervenant·es, réponses et citations sont fictifs. "
            "Importez vos propres données pour les remplacer."
        )


def quote_card(text: str, speaker: str, detail: str, when: str | None = None) -> None:
    """One quote, shown as literal text (never interpreted as HTML or Markdown)."""
    with st.container(border=True):
        st.markdown(f"« {escape_markdown(text)} »")
        caption = f"**{escape_markdown(speaker)}** — {escape_markdown(detail)}"
        if when:
            caption += f" · {escape_markdown(format_date(when))}"
        st.caption(caption)


@st.cache_data(show_spinner=False, max_entries=4)
def _load_text_answers(path: str, version: int, question_id: str) -> pd.DataFrame:
    conn = store.connect(path)
    try:
        answers = store.load_answers(conn, [question_id])
    finally:
        conn.close()
    return answers[["intervention_id", "value_text"]].reset_index(drop=True)


def text_answers(question_id: str) -> pd.DataFrame:
    """The free-text answers to one question (`intervention_id`, `value_text`), cached like the
    tables; no respondent key, so nothing shown from it can name a student."""
    conn = connection()
    return _load_text_answers(str(store.default_db_path()), store.data_version(conn), question_id)
