"""The benchmark: the Enquêtes page's figures and the naive baseline agree, the command reports the
keys of its contract, and whole pages run under AppTest without problems (figures and the shape of
the report are checked here, not timings)."""

from __future__ import annotations

import functools
import json
import math
import tempfile
from pathlib import Path

import pytest

from insights import cli, store
from insights.analytics import survey_page
from insights.analytics.model import load_model
from insights.bench import naive, pages
from insights.bench import run as bench
from insights.bench.data import filter_sequence
from insights.bench.search import QUERIES, bench_search
from insights.bench.semantic import bench_semantic
from insights.filters import Filters

CONTRACT_KEYS = (
    "responses",
    "quotes",
    "filter_change_ms",
    "filter_change_naive_ms",
    "search_p50_ms",
    "search_p95_ms",
    "search_scan_p95_ms",
    "peak_rss_mb",
    "pages",
)
"""What `python -m insights bench --json` promises."""

PAGE_KEYS = {
    "first_run",
    "filter_change",
    "page_switch",
    "baseline_ms",
    "first_run_ratio",
    "filter_change_ratio",
    "peak_rss_mb",
    "problems",
}


def shorten_the_search_bench(patch: pytest.MonkeyPatch) -> None:
    """Time three queries twice instead of every query five times, and the semantic search on a
    generated corpus of 300 quotes instead of 10,000: the same figures, sooner."""
    patch.setattr(bench, "bench_search", functools.partial(bench_search, queries=QUERIES[:3], repeats=2))

    def short_semantic(path, sizes, progress):
        return bench_semantic(path, (300,), progress, queries=QUERIES[:3], repeats=2)

    patch.setattr(bench, "bench_semantic", short_semantic)


def fast_frames(conn, model, filters: Filters) -> dict:
    """The Enquêtes page's figures as the page computes them, for the director."""
    figures = survey_page.page_figures(conn, model, filters, director=True)
    return figures.frames()


# --- the fast path and the naive baseline ---------------------------------------------------------


def test_fast_and_naive_paths_agree_on_every_filter_change(demo_conn):
    model = load_model(demo_conn)
    sequence = filter_sequence(model.interventions, model.speakers)
    assert len(set(sequence)) > 5
    for filters in sequence:
        fast = fast_frames(demo_conn, model, filters)
        assert naive.figure_differences(fast, naive.naive_page_figures(demo_conn, filters)) == [], filters
        assert not fast["distribution"].empty
        assert not fast["comments"].empty, "the director's comments are compared too"


def test_the_paths_agree_where_the_threshold_hides_groups(demo_conn):
    # At 26 answers some talks, speakers and cohorts fall below the threshold, others do not.
    store.set_anonymity_threshold(demo_conn, 26)
    model = load_model(demo_conn)
    assert model.anonymity_threshold == 26
    filters = Filters(cohorts=("2014-2015",))
    fast = fast_frames(demo_conn, model, filters)
    assert fast["talks"]["suppressed"].any() and not fast["talks"]["suppressed"].all()
    assert naive.figure_differences(fast, naive.naive_page_figures(demo_conn, filters)) == []


def test_figure_differences_notices_a_changed_number_or_label(demo_conn):
    fast = fast_frames(demo_conn, load_model(demo_conn), Filters())
    other = {name: frame.copy() for name, frame in fast.items()}
    other["distribution"].loc[0, "mean"] += 0.01
    other["terms"].loc[0, "word"] = "autre"
    assert naive.figure_differences(fast, other) == [
        "distribution.mean: numbers differ",
        "terms.word: values differ",
    ]


def test_figure_differences_notices_a_missing_table_or_row(demo_conn):
    fast = fast_frames(demo_conn, load_model(demo_conn), Filters())
    other = {name: frame.copy() for name, frame in fast.items() if name != "trends"}
    other["talks"] = other["talks"].iloc[1:]
    problems = naive.figure_differences(fast, other)
    assert "trends: missing from the naive figures" in problems
    assert [p for p in problems if p.startswith("talks: shape")]
    assert len(problems) == 2


# --- the whole benchmark --------------------------------------------------------------------------


def test_the_bench_command_writes_the_contract_as_one_json_object(tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))  # where the temporary database goes
    # The real benchmark, with one round of the pages' core timings and a shorter search bench.
    monkeypatch.setattr(bench, "run_benchmark", functools.partial(bench.run_benchmark, rounds=1))
    shorten_the_search_bench(monkeypatch)
    args = ["bench", "--responses", "2000", "--quotes", "200", "--pages", "surveys.py", "--starts", "1"]
    args += ["--load-sessions", "0"]  # the browser suite runs the load walk
    assert cli.main([*args, "--json"]) == cli.EXIT_OK
    result = json.loads(capsys.readouterr().out)
    for key in CONTRACT_KEYS:
        assert key in result, key
    assert (result["responses"], result["quotes"]) == (2_000, 200)
    assert result["figures_match"], result["figure_differences"]
    assert result["filter_change_ms"] > 0 and result["filter_change_naive_ms"] > 0
    assert 0 < result["search_p50_ms"] <= result["search_p95_ms"] and result["search_scan_p95_ms"] > 0
    assert 0 < result["search_published_quotes"] <= 200 and result["search_queries"] == 3
    # The semantic search: a generated corpus, then the main database, each fully given stand-in vectors.
    small, main = result["semantic_corpora"]
    assert small["published_quotes"] == small["vectors_added"] > 0
    assert main["published_quotes"] == result["search_published_quotes"] == main["vectors_added"]
    for corpus in (small, main):
        assert 0 < corpus["fused_p50_ms"] <= corpus["fused_p95_ms"]
        assert 0 < corpus["lexical_p50_ms"] <= corpus["lexical_p95_ms"]
        assert corpus["db_growth_bytes_per_quote"] >= 4 * 384  # a float32 vector at least
    assert result["indexing_quotes_per_s"] > 0
    assert 0 < result["peak_rss_mb"] < bench.GOAL_PEAK_RSS_MB
    assert set(result["core"]) == set(pages.CORE)
    assert result["core"]["surveys.py"]["median_ms"] == pytest.approx(result["filter_change_ms"], abs=0.1)
    assert list(result["pages"]) == ["surveys.py"]
    surveys = result["pages"]["surveys.py"]
    assert set(surveys) == PAGE_KEYS
    assert surveys["problems"] == []
    assert surveys["first_run"]["median_ms"] > 0 and surveys["filter_change"]["median_ms"] > 0
    assert result["peak_rss_mb"] >= surveys["peak_rss_mb"] > 0
    assert list(work.iterdir()) == []  # the temporary database is gone


@pytest.fixture(scope="module")
def kept(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A small benchmark run (no whole page) that keeps its database, and its result."""
    path = tmp_path_factory.mktemp("bench") / "kept.sqlite"
    with pytest.MonkeyPatch.context() as patch:
        shorten_the_search_bench(patch)
        return path, bench.run_benchmark(
            1_000, 100, rounds=1, naive_runs=2, page_files=(), keep=path, load_sessions=0
        )


def test_the_benchmark_keeps_its_database(kept):
    path, result = kept
    assert (result["responses"], result["quotes"]) == (1_000, 100)
    assert result["figures_match"], result["figure_differences"]
    assert result["pages"] == {}
    assert result["generate_s"] >= 0 and result["load_s"] >= 0
    report = bench.format_report(result)
    assert "mêmes figures : oui" in report and "Pages entières" not in report
    conn = store.connect(path)
    try:
        assert store.table_counts(conn)["responses"] == 1_000
        assert store.table_counts(conn)["quotes"] == 100
    finally:
        conn.close()
    with pytest.raises(FileExistsError):
        bench.run_benchmark(2_000, 200, keep=path, load_sessions=0)


def test_a_kept_database_is_measured_again_as_it_is(kept, monkeypatch):
    path, _ = kept
    shorten_the_search_bench(monkeypatch)
    # Reused, the database is measured as it is: its sizes, not the ones asked for.
    again = bench.run_benchmark(
        2_000, 200, rounds=1, naive_runs=1, page_files=(), keep=path, reuse=True, load_sessions=0
    )
    assert (again["responses"], again["quotes"]) == (1_000, 100)
    assert math.isnan(again["generate_s"]) and math.isnan(again["load_s"])
    assert again["figures_match"], again["figure_differences"]
    assert "Génération – s" in bench.format_report(again)


def test_time_script_runs_a_page_then_changes_its_filters_without_problems(kept):
    path, _ = kept
    # A fresh process, as the benchmark does: AppTest's settings stay out of this one.
    times = pages.in_fresh_process(pages.time_script, str(path), "surveys.py", 3)
    assert times.page == "surveys.py"
    assert times.first_ms > 0 and times.baseline_ms > 0
    assert len(times.changes_ms) == 3 and all(ms > 0 for ms in times.changes_ms)
    assert len(times.switches_ms) == 3 and all(ms > 0 for ms in times.switches_ms)
    assert times.problems == []
    assert times.peak_rss_mb > 0


# --- the command line -----------------------------------------------------------------------------


@pytest.fixture
def fake_run(monkeypatch):
    """Replace the benchmark by a stub recording its arguments."""
    calls = {}

    def fake(responses, quotes, **options):
        calls.update(responses=responses, quotes=quotes, **options)
        return {"responses": responses, "quotes": quotes, "filter_change_ms": 1.0}

    monkeypatch.setattr(bench, "run_benchmark", fake)
    return calls


def test_the_bench_command_passes_its_options(fake_run, capsys):
    assert cli.main(["bench", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "responses": 1_000_000,
        "quotes": 100_000,
        "filter_change_ms": 1.0,
    }
    assert (fake_run["responses"], fake_run["quotes"]) == (1_000_000, 100_000)
    assert list(fake_run["page_files"]) == list(pages.PAGES)
    assert (fake_run["starts"], fake_run["keep"], fake_run["reuse"]) == (3, None, False)
    assert fake_run["load_sessions"] == 20
    assert cli.main(["bench", "--load-sessions", "0", "--json"]) == 0
    assert fake_run["load_sessions"] == 0
    assert cli.main(["bench", "--pages", "aucune", "--starts", "2", "--json"]) == 0
    assert (list(fake_run["page_files"]), fake_run["starts"]) == ([], 2)
    assert cli.main(["bench", "--pages", " quotes.py, surveys.py ", "--json"]) == 0
    assert list(fake_run["page_files"]) == ["quotes.py", "surveys.py"]


def test_the_bench_command_reuses_an_existing_database_when_asked(fake_run, demo_db_path, capsys):
    assert cli.main(["bench", "--db", str(demo_db_path), "--reuse", "--json"]) == 0
    assert (fake_run["keep"], fake_run["reuse"]) == (demo_db_path, True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pages", "surveys.py,nope.py"], "Page(s) inconnue(s) : nope.py"),
        (["--reuse"], "--reuse mesure une base déjà générée"),
    ],
)
def test_the_bench_command_refuses_unknown_pages_and_reuse_without_a_database(
    fake_run, capsys, args, message
):
    assert cli.main(["bench", *args]) == cli.EXIT_USAGE
    assert message in capsys.readouterr().err
    assert fake_run == {}, "nothing was run"


def test_the_bench_command_refuses_a_size_of_zero(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["bench", "--responses", "0"])
    assert exit_info.value.code == cli.EXIT_USAGE
    assert "strictement positif" in capsys.readouterr().err


def test_the_bench_command_never_writes_into_an_existing_database(fake_run, demo_db_path, capsys):
    assert cli.main(["bench", "--db", str(demo_db_path)]) == cli.EXIT_USAGE
    assert "existe déjà" in capsys.readouterr().err
    assert fake_run == {}


def test_the_load_report_gives_both_times_the_ratio_the_memory_and_the_problems():
    figures = {
        "sessions": 20,
        "single": {"median_ms": 900.0, "p95_ms": 1500.0},
        "loaded": {"median_ms": 6000.0, "p95_ms": 12000.0},
        "p95_ratio": 8.0,
        "steps": 120,
        "problems": ["quotes : Une erreur inattendue"],
        "server_rss_mb": {"before": 190.0, "peak": 240.0, "after": 230.0},
    }
    report = "\n".join(bench.format_load(figures))
    assert "une session seule : médiane 900 ms, p95 1\u202f500 ms" in report
    assert "20 sessions : médiane 6\u202f000 ms, p95 12\u202f000 ms (p95 × 8,0) sur 120 étapes" in report
    assert "190 Mo avant, 240 Mo au plus, 230 Mo après" in report
    assert "quotes : Une erreur inattendue" in report
    assert bench.format_load({"skipped": "Chromium introuvable"}) == [
        "Charge : non mesurée (Chromium introuvable)"
    ]


def test_the_semantic_bench_says_so_when_no_model_runs():
    from insights.bench.semantic import report_lines
    from insights.language.embedding import use_embedder

    with use_embedder(None):
        result = bench_semantic(None, (50,))
    assert result == {"semantic_unavailable": "modèle d'embeddings indisponible"}
    assert report_lines(result, bench._number) == [
        "Recherche sémantique : non mesurée (modèle d'embeddings indisponible)."
    ]
