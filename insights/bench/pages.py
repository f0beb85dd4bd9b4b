"""What a user waits for, page by page: each page's core computation (the one function of
`insights.analytics` it calls) over a series of filter changes, and each page's whole script run by
`streamlit.testing.v1.AppTest` on the benchmark's database: its first run after a server start
(a fresh process, every cache cold) and one sidebar filter change after another.

Each timing runs in a fresh process, so that its peak memory is its own, beside a baseline run in
the same process (an AppTest run of a one-line script), against which the page's times are also
given as ratios: the machines are shared, and a ratio moves less than a time when they are busy.
"""

from __future__ import annotations

import gc
import logging
import math
import os
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from insights import store
from insights.analytics import overview, speakers, survey_page, themes
from insights.analytics.model import Model, load_model
from insights.bench.data import filter_sequence
from insights.filters import Filters
from insights.quotes import search, wall

APP = Path(__file__).resolve().parents[2] / "app.py"

STUDENT_PAGES: tuple[str, ...] = ("overview.py", "quotes.py", "surveys.py", "speakers.py", "themes.py")
DIRECTOR_PAGES: tuple[str, ...] = ("reinvite.py",)
PAGES = STUDENT_PAGES + DIRECTOR_PAGES

# The sidebar's widget keys (pages/common.py) by filter field.
_WIDGETS = {"cohorts": "filter_cohorts", "semesters": "filter_semesters", "org_types": "filter_org_types",
            "themes": "filter_themes"}  # fmt: skip


def _quote_wall(conn: Any, model: Model, filters: Filters) -> Any:
    shown = wall.wall_filters("", filters)
    return (
        search.count_quotes(conn, shown),
        search.search_quotes(conn, shown, wall.PAGE_SIZE),
        search.theme_counts(conn, shown),
    )


def _surveys(conn: Any, model: Model, filters: Filters) -> Any:
    return survey_page.page_figures(conn, model, filters)


CORE: dict[str, Callable[[Any, Model, Filters], Any]] = {
    "overview.py": lambda conn, model, filters: overview.page_figures(conn, model, filters),
    "quotes.py": _quote_wall,
    "surveys.py": _surveys,
    "speakers.py": lambda conn, model, filters: speakers.directory_figures(model, filters),
    "themes.py": lambda conn, model, filters: themes.page_figures(conn, model, filters),
    "reinvite.py": lambda conn, model, filters: speakers.reinvite_figures(model, filters),
}
"""The one core function each page runs, as the page calls it."""


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (VmHWM: the current address space's peak, not
    the parent's at the fork, which getrusage would count)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (NaN for no value)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def summary(values: Sequence[float]) -> dict[str, float]:
    """Median and p95 of timings (ms), rounded."""
    return {"median_ms": round(statistics.median(values), 1), "p95_ms": round(percentile(values, 0.95), 1)}


@dataclass(frozen=True)
class CoreTimes:
    """The model's load and each page's core computation per filter change (ms)."""

    load_ms: float
    pages: dict[str, list[float]]
    peak_rss_mb: float


def time_core(path: str, rounds: int = 3) -> CoreTimes:
    """Load the model, then time each page's core function on every filter change of
    `filter_sequence`, `rounds` times over."""
    conn = store.connect(path)
    try:
        started = time.perf_counter()
        model = load_model(conn)
        load_ms = (time.perf_counter() - started) * 1000
        sequence = filter_sequence(model.interventions, model.speakers)
        pages: dict[str, list[float]] = {page: [] for page in CORE}
        for _ in range(rounds):
            for filters in sequence:
                for page, compute in CORE.items():
                    gc.collect()
                    start = time.perf_counter()
                    compute(conn, model, filters)
                    pages[page].append((time.perf_counter() - start) * 1000)
        return CoreTimes(load_ms, pages, peak_rss_mb())
    finally:
        conn.close()


@dataclass(frozen=True)
class ScriptTimes:
    """One page's whole script under AppTest in a fresh process: the first run, each filter
    change, each switch to it from another page, the baseline (a one-line script's run, same
    process) and the peak memory."""

    page: str
    first_ms: float
    changes_ms: list[float]
    switches_ms: list[float]
    baseline_ms: float
    peak_rss_mb: float
    problems: list[str] = field(default_factory=list)


def _app_test(path: str):  # -> AppTest; imported here: Streamlit is only needed by this timing
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1 import app_test as app_test_module

    class NavigationPagesManager(PagesManager):
        # As a running server does after its first st.navigation call: pages run through app.py.
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    app_test_module.PagesManager = NavigationPagesManager
    # AppTest runs scripts without a server: Streamlit says so at every run, which is expected here.
    # A filter, not a level: Streamlit resets its loggers' levels when it reads its configuration.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage()
    )
    os.environ["INSIGHTS_DB"] = path
    return AppTest


def time_script(path: str, page: str, changes: int = 8, director: bool = False) -> ScriptTimes:
    """Run `page` as a fresh server would (first run), then change the sidebar's filters
    `changes` times (the `filter_sequence`, from its second entry), then come back to it from
    another page as many times (a page switch); time each run."""
    app_test = _app_test(path)
    baseline_runs = []
    for _ in range(5):
        blank = app_test.from_string(
            "import streamlit as st\nst.write('Paroles de pros')", default_timeout=60
        )
        start = time.perf_counter()
        blank.run()
        baseline_runs.append((time.perf_counter() - start) * 1000)
    at = app_test.from_file(str(APP), default_timeout=600)
    if director:
        at.session_state["role"] = "director"
        at.session_state["_access_method"] = "password"
        at.session_state["_access_last_activity"] = time.time() + 10**9
    at.switch_page(f"pages/{page}")
    start = time.perf_counter()
    at.run()
    first_ms = (time.perf_counter() - start) * 1000
    problems = [f"{page}: {element.value}" for element in [*at.exception, *at.error]]
    conn = store.connect(path)
    try:
        sequence = filter_sequence(store.load_interventions(conn), store.load_speakers(conn))
    finally:
        conn.close()
    times = []
    for filters in (sequence * 2)[1 : changes + 1]:
        for name, key in _WIDGETS.items():
            at.multiselect(key=key).set_value(list(getattr(filters, name)))
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        problems += [f"{page} {filters}: {element.value}" for element in [*at.exception, *at.error]]
    other = "quotes.py" if page == "overview.py" else "overview.py"
    switches = []
    for _ in range(changes):
        at.switch_page(f"pages/{other}").run()
        at.switch_page(f"pages/{page}")
        start = time.perf_counter()
        at.run()
        switches.append((time.perf_counter() - start) * 1000)
        problems += [f"{page} (switch): {element.value}" for element in [*at.exception, *at.error]]
    return ScriptTimes(
        page, first_ms, times, switches, statistics.median(baseline_runs), peak_rss_mb(), problems
    )


def in_fresh_process(function: Callable[..., Any], *args: Any) -> Any:
    """Run `function(*args)` in a new Python process (spawned: nothing inherited) and return its result."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as executor:
        return executor.submit(function, *args).result()


def time_pages(
    path: str,
    pages: Sequence[str] = PAGES,
    starts: int = 3,
    changes: int = 8,
    progress: Callable[[str], None] = lambda message: None,
) -> dict[str, Any]:
    """Every page's whole script: `starts` first runs (each in a fresh process) and `changes`
    filter changes (in the first of them); median, p95, peak memory and ratios to the baseline."""
    results: dict[str, Any] = {}
    for page in pages:
        progress(f"Page {page} (AppTest)…")
        runs = [
            in_fresh_process(time_script, path, page, changes if index == 0 else 0, page in DIRECTOR_PAGES)
            for index in range(starts)
        ]
        first = [run.first_ms for run in runs]
        baseline = statistics.median(run.baseline_ms for run in runs)
        results[page] = {
            "first_run": summary(first),
            "filter_change": summary(runs[0].changes_ms),
            "page_switch": summary(runs[0].switches_ms),
            "baseline_ms": round(baseline, 1),
            "first_run_ratio": round(statistics.median(first) / baseline, 1),
            "filter_change_ratio": round(statistics.median(runs[0].changes_ms) / baseline, 1),
            "peak_rss_mb": round(max(run.peak_rss_mb for run in runs), 1),
            "problems": [problem for run in runs for problem in run.problems],
        }
    return results
