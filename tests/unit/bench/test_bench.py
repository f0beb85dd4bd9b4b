"""The benchmark: the page's fast path and the naive baseline give the same figures, and the
command reports what DESIGN.md promises (figures, not timings, are checked here)."""

from __future__ import annotations

import json

import pytest

from insights import cli, store
from insights.analytics import survey
from insights.bench import run as bench
from insights.filters import Filters


@pytest.fixture
def demo_survey(demo_conn):
    cube = survey.load_cube(demo_conn)
    return cube, survey.load_texts(demo_conn, cube)


def test_fast_and_naive_paths_agree_on_every_filter_change(demo_conn, demo_survey):
    cube, texts = demo_survey
    threshold = store.anonymity_threshold(demo_conn)
    for filters in bench.filter_sequence(cube.talks, cube.speakers):
        fast = bench.fast_page_figures(cube, texts, filters, threshold).frames()
        naive = bench.naive_page_figures(demo_conn, filters).frames()
        assert bench.figure_differences(fast, naive) == [], filters
        assert not fast["distribution"].empty


def test_the_paths_agree_where_the_threshold_hides_groups(demo_conn):
    # At 26 answers some talks, speakers and cohorts fall below the threshold, others do not.
    store.set_anonymity_threshold(demo_conn, 26)
    cube = survey.load_cube(demo_conn)
    texts = survey.load_texts(demo_conn, cube)
    filters = Filters(cohorts=("2014-2015",))
    fast = bench.fast_page_figures(cube, texts, filters, 26).frames()
    naive = bench.naive_page_figures(demo_conn, filters).frames()
    assert fast["talks"]["suppressed"].any() and not fast["talks"]["suppressed"].all()
    assert bench.figure_differences(fast, naive) == []


def test_figure_differences_notices_a_changed_number_or_label(demo_conn, demo_survey):
    cube, texts = demo_survey
    fast = bench.fast_page_figures(cube, texts, Filters(), 5).frames()
    naive = {name: frame.copy() for name, frame in fast.items()}
    naive["distribution"].loc[0, "mean"] += 0.01
    naive["terms"].loc[0, "word"] = "autre"
    assert bench.figure_differences(fast, naive) == [
        "distribution.mean: numbers differ",
        "terms.word: values differ",
    ]


def test_a_small_benchmark_reports_the_documented_keys(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    result = bench.run_benchmark(20_000, 2_000, rounds=1, naive_runs=2, directory=work)
    for key in ("responses", "quotes", "filter_change_ms", "filter_change_naive_ms", "peak_rss_mb"):
        assert key in result
    assert (result["responses"], result["quotes"]) == (20_000, 2_000)
    assert result["figures_match"], result["figure_differences"]
    assert result["filter_change_ms"] > 0 and result["filter_change_naive_ms"] > 0
    assert result["charts_ms"] > 0
    assert result["filter_changes_timed"] == 8  # one round of the eight filter changes
    assert result["naive_filter_changes_timed"] == 2
    assert 0 < result["peak_rss_mb"] < bench.GOAL_PEAK_RSS_MB
    assert "Changement de filtre" in bench.format_report(result)
    assert list(work.iterdir()) == []  # the temporary database is gone


def test_the_benchmark_can_keep_its_database(tmp_path):
    kept = tmp_path / "kept.sqlite"
    bench.run_benchmark(2_000, 200, rounds=1, naive_runs=1, keep=kept)
    conn = store.connect(kept)
    try:
        assert store.table_counts(conn)["responses"] == 2_000
        assert store.table_counts(conn)["quotes"] == 200
    finally:
        conn.close()
    with pytest.raises(FileExistsError):
        bench.run_benchmark(2_000, 200, keep=kept)


def test_the_bench_command_writes_one_json_object(monkeypatch, capsys):
    calls = {}

    def fake_run(responses, quotes, **options):
        calls.update(responses=responses, quotes=quotes, **options)
        return {"responses": responses, "quotes": quotes, "filter_change_ms": 1.0}

    monkeypatch.setattr(bench, "run_benchmark", fake_run)
    assert cli.main(["bench", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "responses": 1_000_000,
        "quotes": 100_000,
        "filter_change_ms": 1.0,
    }
    assert (calls["responses"], calls["quotes"]) == (1_000_000, 100_000)


def test_the_bench_command_refuses_a_size_of_zero(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["bench", "--responses", "0"])
    assert exit_info.value.code == cli.EXIT_USAGE
    assert "strictement positif" in capsys.readouterr().err


def test_the_bench_command_never_writes_into_an_existing_database(demo_db_path, capsys):
    assert cli.main(["bench", "--db", str(demo_db_path)]) == cli.EXIT_USAGE
    assert "existe déjà" in capsys.readouterr().err
