"""How wide the page's column is, as the browser lays it out: the charts with a label left of each
bar and a note right of it need room that a phone lacks, and so does a computer's window of 900
pixels with the sidebar open. Streamlit does not tell the server that width, so:

- the first run guesses it from the window's width, which the served page writes in a cookie
  (`WINDOW_COOKIE`, see server.py), and from how Streamlit lays out its page at that width
  (`guessed_column`);
- a small component (`probe`, mounted by app.py on every page) measures the main column in the
  browser and reports when it is on the other side of `NARROW_BELOW` than the server thinks: when
  the guess was wrong (the sidebar closed, a zoom), or when the window or the sidebar changes. The
  page then runs again, laid out for it (`is_narrow`).

The component reports a change only, with a margin (`WIDE_FROM`) so that a scroll bar coming and
going cannot make the layout flip back and forth.
"""

from __future__ import annotations

import streamlit as st

KEY = "column_width"
STATE = "narrow"
_REPORTED = "_column_narrow"

WINDOW_COOKIE = "window_width"

NARROW_BELOW = 640
"""Pixels of column under which the charts put each label and note above its bar: a talk's label
(about 230 px), the bars (200 px at least) and the notes (210 px) side by side."""

WIDE_FROM = 664
"""Pixels of column from which a narrow column counts as wide again."""

# Streamlit's page at a window's width (measured with Streamlit 1.67): the sidebar, 300 px, is
# open from 769 px on; the column's margins are 16 px a side below 864 px, 80 px from there.
SIDEBAR_FROM, SIDEBAR_WIDTH = 769, 300
WIDE_MARGINS_FROM, NARROW_MARGIN, WIDE_MARGIN = 864, 16, 80

_JS = """
export default function ({ parentElement, setStateValue, data }) {
  const host = parentElement.host || parentElement;
  const column = host.closest('[data-testid="stMainBlockContainer"]');
  if (!column) return;
  let narrow = data.narrow;
  const report = () => {
    const style = getComputedStyle(column);
    const width = column.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (width <= 0) return;
    const next = narrow ? width < data.wide_from : width < data.narrow_below;
    if (next !== narrow) {
      narrow = next;
      setStateValue("narrow", next);
    }
  };
  const observer = new ResizeObserver(report);
  observer.observe(column);
  report();
  return () => observer.disconnect();
}
"""

_component = st.components.v2.component("paroles_de_pros.column_width", js=_JS)


def guessed_column(window_width: int) -> int:
    """The width of the page's column in a window `window_width` px wide, the sidebar as
    Streamlit first shows it (open on a wide enough window).

    >>> guessed_column(900), guessed_column(1440), guessed_column(400)
    (440, 980, 368)
    """
    sidebar = SIDEBAR_WIDTH if window_width >= SIDEBAR_FROM else 0
    margin = WIDE_MARGIN if window_width >= WIDE_MARGINS_FROM else NARROW_MARGIN
    return window_width - sidebar - 2 * margin


def _window_width() -> int | None:
    try:
        value = st.context.cookies.get(WINDOW_COOKIE)
    except Exception:  # no browser session (a page run alone)
        return None
    return int(value) if isinstance(value, str) and value.isdigit() else None


def is_narrow() -> bool:
    """Whether the page's column is narrower than `NARROW_BELOW`: as the browser last reported
    it, or before any report as guessed from the window's width (wide when unknown)."""
    reported = st.session_state.get(_REPORTED)
    if reported is not None:
        return bool(reported)
    window = _window_width()
    return window is not None and guessed_column(window) < NARROW_BELOW


def probe() -> None:
    """Mount the component that watches the column's width (nothing visible): a report that the
    column is on the other side of `NARROW_BELOW` reruns the page."""
    st.html(f"<style>.st-key-{KEY} {{ display: none !important; }}</style>")
    result = _component(
        key=KEY,
        data={STATE: is_narrow(), "narrow_below": NARROW_BELOW, "wide_from": WIDE_FROM},
        default={STATE: None},
        on_narrow_change=lambda: None,
    )
    reported = getattr(result, STATE, None)
    if reported is not None:
        st.session_state[_REPORTED] = bool(reported)
