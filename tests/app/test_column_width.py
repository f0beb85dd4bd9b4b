"""The first run's guess of the page's column width (`pages.column_width`), before the browser
has measured it."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from pages import column_width


@pytest.mark.parametrize(
    ("window", "column"),
    [
        (390, 358),  # a phone: no sidebar, narrow margins
        (800, 468),  # the sidebar open, narrow margins
        (900, 440),  # the sidebar open, wide margins
        (1440, 980),
    ],
)
def test_the_column_is_the_window_less_the_sidebar_and_margins(window, column):
    assert column_width.guessed_column(window) == column


def _narrow(monkeypatch, window: int | None, reported: bool | None) -> bool:
    monkeypatch.setattr(column_width, "_window_width", lambda: window)

    def script(reported):
        import streamlit as st

        from pages import column_width

        if reported is not None:
            st.session_state["_column_narrow"] = reported
        st.write("narrow" if column_width.is_narrow() else "wide")

    at = AppTest.from_function(script, args=(reported,)).run()
    assert not at.exception
    return at.markdown[0].value == "narrow"


def test_the_first_run_guesses_from_the_window_and_a_report_overrides_it(monkeypatch):
    assert _narrow(monkeypatch, 900, None) is True
    assert _narrow(monkeypatch, 1440, None) is False
    assert _narrow(monkeypatch, None, None) is False  # unknown: the desktop layout
    assert _narrow(monkeypatch, 1440, True) is True
    assert _narrow(monkeypatch, 900, False) is False
