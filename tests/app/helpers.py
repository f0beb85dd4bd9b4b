"""Opening a page under AppTest as a student or as the director."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def open_page(page: str, director: bool = False, **query: str) -> AppTest:
    """Run a page of the app (with these query parameters) and check it ran without an error."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    if director:
        at.session_state["role"] = "director"
    at.switch_page(str(ROOT / "pages" / page))
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


CHART_TABLE = "Données du graphique (tableau)"


def page_tables(at: AppTest) -> list:
    """The page's own tables, without the charts' data tables (`common.chart`)."""
    of_charts = {
        id(table) for expander in at.expander if expander.label == CHART_TABLE for table in expander.dataframe
    }
    return [table for table in at.dataframe if id(table) not in of_charts]
