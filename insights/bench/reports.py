"""The reports' timings for `python -m insights bench`: a cohort report and a speaker's sheet built
and rendered (PDF and HTML), each beside a baseline timed in the same process, the Enquêtes
page's figures for the same cohort (what a filter change costs), so that the ratio moves less
than the times on a shared machine."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

from insights import reports, store
from insights.analytics import survey_page
from insights.analytics.model import load_model
from insights.filters import Filters

GOAL_COHORT_REPORT_MS = 5000.0
GOAL_SPEAKER_SHEET_MS = 1000.0


def _median_ms(action: Callable[[], Any], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def time_reports(path: str, rounds: int = 3) -> dict[str, Any]:
    """Median times (ms) over `rounds` for the latest cohort's report and the sheet of the
    speaker with most talks, each built from the model and rendered, with the baseline and the
    ratios to it."""
    conn = store.connect(path)
    try:
        model = load_model(conn)
        talks = model.interventions
        cohort = str(max(talks["cohort"]))
        counts = model.cube.speaker_talks.sum(axis=1)
        speaker = str(model.cube.speakers["speaker_id"].iloc[int(counts.argmax())])
        reports.render(reports.speaker_sheet(conn, model, speaker), "pdf")  # the compiler's first start
        figures: dict[str, float] = {
            "baseline_ms": _median_ms(
                lambda: survey_page.page_figures(conn, model, Filters(cohorts=(cohort,)), director=True),
                rounds,
            ),
            "cohort_report_pdf_ms": _median_ms(
                lambda: reports.render(reports.cohort_report(conn, model, cohort), "pdf"), rounds
            ),
            "cohort_report_html_ms": _median_ms(
                lambda: reports.render(reports.cohort_report(conn, model, cohort), "html"), rounds
            ),
            "speaker_sheet_pdf_ms": _median_ms(
                lambda: reports.render(reports.speaker_sheet(conn, model, speaker), "pdf"), rounds
            ),
            "speaker_sheet_html_ms": _median_ms(
                lambda: reports.render(reports.speaker_sheet(conn, model, speaker), "html"), rounds
            ),
        }
    finally:
        conn.close()
    baseline = max(figures["baseline_ms"], 1e-3)
    return {
        "interventions": len(talks),
        "cohort": cohort,
        "speaker_id": speaker,
        **figures,
        **{
            key.replace("_ms", "_ratio"): round(value / baseline, 1)
            for key, value in figures.items()
            if key != "baseline_ms"
        },
        "goal_cohort_report_ms": GOAL_COHORT_REPORT_MS,
        "goal_speaker_sheet_ms": GOAL_SPEAKER_SHEET_MS,
    }


def format_reports(timings: dict[str, dict[str, Any]]) -> list[str]:
    """The reports' lines of the benchmark's text report."""

    def n(value: float, decimals: int = 0) -> str:
        return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")

    lines = [
        "",
        "Rapports (médiane, PDF / HTML ; × témoin : les figures de la page Enquêtes pour la promotion)",
    ]
    for name, t in timings.items():
        lines.append(
            f"  {name} ({t['interventions']} interventions) : bilan {t['cohort']} "
            f"{n(t['cohort_report_pdf_ms'])} / {n(t['cohort_report_html_ms'])} ms "
            f"(× {n(t['cohort_report_pdf_ratio'], 1)}) ; fiche {t['speaker_id']} "
            f"{n(t['speaker_sheet_pdf_ms'])} / {n(t['speaker_sheet_html_ms'])} ms "
            f"(× {n(t['speaker_sheet_pdf_ratio'], 1)}) ; témoin {n(t['baseline_ms'], 1)} ms"
        )
    worst_report = max(t["cohort_report_pdf_ms"] for t in timings.values())
    worst_sheet = max(t["speaker_sheet_pdf_ms"] for t in timings.values())
    lines.append(
        f"Objectif bilan ≤ {n(GOAL_COHORT_REPORT_MS)} ms : "
        f"{'atteint' if worst_report <= GOAL_COHORT_REPORT_MS else 'NON atteint'} ; "
        f"fiche ≤ {n(GOAL_SPEAKER_SHEET_MS)} ms : "
        f"{'atteint' if worst_sheet <= GOAL_SPEAKER_SHEET_MS else 'NON atteint'}"
    )
    return lines
