"""The benchmark's reports timings (`insights.bench.reports`)."""

from __future__ import annotations

from insights.bench import reports as report_bench


def test_the_reports_are_timed_beside_a_baseline_and_reported_in_french(demo_db_path):
    timings = report_bench.time_reports(str(demo_db_path), rounds=1)
    assert timings["interventions"] == 69 and timings["cohort"] == "2015-2016"
    for key in ("cohort_report_pdf", "cohort_report_html", "speaker_sheet_pdf", "speaker_sheet_html"):
        assert timings[f"{key}_ms"] > 0
        assert timings[f"{key}_ratio"] == round(timings[f"{key}_ms"] / timings["baseline_ms"], 1)
    lines = "\n".join(report_bench.format_reports({"demo": timings}))
    assert "demo (69 interventions) : bilan 2015-2016" in lines
    assert "Objectif bilan ≤ 5\u202f000 ms" in lines
