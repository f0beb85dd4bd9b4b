"""Every page renders on the demo database without an exception (AppTest); director-only
pages are opened by a signed-in director."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages import registry
from pages.registry import director_only_pages
from tests.app.helpers import CHART_TABLE

ROOT = Path(__file__).resolve().parents[2]
# Every page of the registry, and the sign-in page the navigation routes students to.
PAGES = [page.file for page in registry.PAGES] + ["signin.py"]


def test_every_page_file_is_in_the_registry():
    helpers = {
        "column_width.py",
        "common.py",
        "import_mapping.py",
        "quote_sharing.py",
        "registry.py",
        "report_panels.py",
        "signin.py",
        "streamlit_words.py",
    }
    files = {p.name for p in (ROOT / "pages").glob("*.py")} - helpers
    assert files == {page.file for page in registry.PAGES}


def open_app(page: str | None = None, *, director: bool = False) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if director:
        at.session_state["role"] = "director"
    at.run()
    if page is not None:
        at.switch_page(str(ROOT / "pages" / page)).run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_exception(app_db, page):
    at = open_app(page, director=page in director_only_pages())
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title, "each page has a title"


@pytest.mark.parametrize("page", [*PAGES, "speakers.py?intervenant=sp07"])
def test_a_download_built_on_click_does_not_rerun_the_page(app_db, page):
    """A download whose file is built when clicked (`data` a callable) must not rerun the page:
    the rerun registers the file anew and can drop the one the browser is fetching, and under load
    the download never came. The director sees every download button."""
    page, _, speaker = page.partition("?intervenant=")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["role"] = "director"
    if speaker:
        at.query_params["intervenant"] = speaker
    at.run()
    at.switch_page(str(ROOT / "pages" / page)).run()
    assert not at.exception, at.exception
    deferred = [button.proto for button in at.get("download_button") if button.proto.deferred_file_id]
    assert [button.label for button in deferred if not button.ignore_rerun] == []
    if page in ("surveys.py", "data.py", "security.py") or speaker:
        assert deferred, "the page has downloads built on click"


def _explained_charts(at: AppTest) -> tuple[int, int, int]:
    """(charts, one-sentence summaries, data tables) on the page."""
    summaries = [caption for caption in at.caption if caption.value.startswith("En bref : ")]
    tables = [expander for expander in at.expander if expander.label == CHART_TABLE and expander.dataframe]
    return len(at.get("plotly_chart")), len(summaries), len(tables)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_links_the_accessibility_statement_and_explains_each_chart(app_db, page):
    at = open_app(page, director=page in director_only_pages())
    labels = [link.proto.label for link in at.get("page_link")]
    assert any(label.startswith("Accessibilité : ") for label in labels), labels
    charts, summaries, tables = _explained_charts(at)
    assert charts == summaries == tables, (charts, summaries, tables)


def test_a_speakers_profile_explains_each_of_its_charts(app_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["intervenant"] = "sp01"
    at.switch_page(str(ROOT / "pages" / "speakers.py")).run()
    charts, summaries, tables = _explained_charts(at)
    assert charts >= 2 and charts == summaries == tables, (charts, summaries, tables)
