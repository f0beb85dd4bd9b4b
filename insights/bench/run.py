"""`python -m insights bench`: generate data, load it into a database, and time what users wait for.

- Every page's whole script under AppTest (`insights.bench.pages`): its first run after a server
  start and a series of sidebar filter changes, median and p95, peak memory, and ratios to a
  baseline run in the same process.
- Each page's core computation per filter change, and the model's load.
- The Enquêtes page's figures against the naive baseline (`insights.bench.naive`), which must give
  the same figures.
- The quote search against a pandas scan (`insights.bench.search`).
- The reports: a cohort report and a speaker's sheet, at demo size and on the generated data
  (`insights.bench.reports`).
"""

from __future__ import annotations

import gc
import math
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from insights import store
from insights.analytics import survey_page
from insights.analytics.model import load_model
from insights.bench import load, naive, pages
from insights.bench import reports as report_bench
from insights.bench.data import filter_sequence, load_generated
from insights.bench.search import bench_search
from insights.bench.semantic import bench_semantic
from insights.bench.semantic import report_lines as semantic_report_lines
from insights.demo.generator import generate_scaled
from insights.language.embedding import use_embedder

DEFAULT_RESPONSES = 1_000_000
DEFAULT_QUOTES = 100_000
DEFAULT_SEED = 2016
GOAL_FIRST_RUN_MS = 2000.0
GOAL_FILTER_CHANGE_MS = 500.0
GOAL_PEAK_RSS_MB = 1000.0


@dataclass(frozen=True)
class FigureRun:
    """One path's Enquêtes figures for the first filter changes, with its times (ms) and memory."""

    times_ms: list[float]
    figures: list[dict[str, pd.DataFrame]]
    peak_rss_mb: float


def run_fast(path: str, count: int) -> FigureRun:
    """The app's Enquêtes figures (the page's own function, as the director sees it) for the first
    `count` filter changes of `filter_sequence`."""
    conn = store.connect(path)
    try:
        model = load_model(conn)
        times, figures = [], []
        for filters in filter_sequence(model.interventions, model.speakers)[:count]:
            start = time.perf_counter()
            result = survey_page.page_figures(conn, model, filters, director=True)
            times.append((time.perf_counter() - start) * 1000)
            figures.append(result.frames())
        return FigureRun(times, figures, pages.peak_rss_mb())
    finally:
        conn.close()


def run_naive(path: str, count: int) -> FigureRun:
    """The naive baseline on the first `count` filter changes of `filter_sequence`."""
    conn = store.connect(path)
    try:
        sequence = filter_sequence(store.load_interventions(conn), store.load_speakers(conn))[:count]
        times, figures = [], []
        for filters in sequence:
            start = time.perf_counter()
            figures.append(naive.naive_page_figures(conn, filters))
            times.append((time.perf_counter() - start) * 1000)
            gc.collect()
        return FigureRun(times, figures, pages.peak_rss_mb())
    finally:
        conn.close()


def generate(
    path: str, responses: int, quotes: int, seed: int, progress: Callable[[str], None]
) -> dict[str, float]:
    """Generate the data and load it into a new database at `path`; return the times (s)."""
    progress(f"Génération de {responses:,} réponses et {quotes:,} citations…".replace(",", "\u202f"))
    started = time.perf_counter()
    tables = generate_scaled(responses=responses, quotes=quotes, seed=seed)
    generated = time.perf_counter()
    progress(f"Chargement dans la base SQLite {path} (agrégats compris)…")
    conn = store.connect(path)
    try:
        with use_embedder(None):  # the semantic benchmark writes stand-in vectors (bench.semantic)
            load_generated(conn, tables)
        del tables
        gc.collect()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return {"generate_s": round(generated - started, 1), "load_s": round(time.perf_counter() - generated, 1)}


def run_benchmark(
    responses: int = DEFAULT_RESPONSES,
    quotes: int = DEFAULT_QUOTES,
    *,
    seed: int = DEFAULT_SEED,
    rounds: int = 3,
    naive_runs: int = 1,
    page_files: Sequence[str] = pages.PAGES,
    starts: int = 3,
    changes: int = 8,
    load_sessions: int = load.DEFAULT_SESSIONS,
    directory: Path | None = None,
    keep: Path | None = None,
    reuse: bool = False,
    semantic_sizes: Sequence[int] = (10_000,),
    progress: Callable[[str], None] = lambda message: None,
) -> dict[str, Any]:
    """Generate data into a temporary database (in `directory`, or the system's temporary
    directory), or into `keep` (which must not exist unless `reuse`, which then times the
    database already there), and time everything (see the module's docstring).

    Returns the keys the command line's contract names (responses, quotes, filter_change_ms,
    filter_change_naive_ms, search_p50_ms, search_p95_ms, search_scan_p95_ms, peak_rss_mb) and
    `pages` (each page's whole-script figures), `core` (each page's core computation), the
    speed-up against the naive baseline and whether both paths gave the same figures.
    """
    if keep is not None and keep.exists() and not reuse:
        raise FileExistsError(keep)
    with tempfile.TemporaryDirectory(dir=directory) as workdir:
        path = str(keep if keep is not None else Path(workdir) / "bench.sqlite")
        timings = {"generate_s": math.nan, "load_s": math.nan}
        if not (reuse and keep is not None and keep.exists()):
            timings = generate(path, responses, quotes, seed, progress)
        conn = store.connect(path)
        counts = store.table_counts(conn)
        conn.close()

        progress("Calcul de chaque page (fonction du cœur)…")
        core = pages.in_fresh_process(pages.time_core, path, rounds)
        progress("Figures de la page Enquêtes, chemin de l'application…")
        fast = pages.in_fresh_process(run_fast, path, naive_runs)
        progress(f"Chemin naïf ({naive_runs} changement(s) de filtre)…")
        slow = pages.in_fresh_process(run_naive, path, naive_runs)
        problems = [
            f"filtre {i + 1} : {problem}"
            for i, (a, b) in enumerate(zip(fast.figures, slow.figures, strict=True))
            for problem in naive.figure_differences(a, b)
        ]
        scripts = pages.time_pages(path, page_files, starts, changes, progress) if page_files else {}
        surveys = core.pages["surveys.py"]
        result: dict[str, Any] = {
            "responses": counts["responses"],
            "quotes": counts["quotes"],
            "answers": counts["answers"],
            "interventions": counts["interventions"],
            **timings,
            "model_load_ms": round(core.load_ms, 1),
            "filter_change_ms": round(statistics.median(surveys), 2),
            "filter_change_p95_ms": round(pages.percentile(surveys, 0.95), 2),
            "filter_change_naive_ms": round(statistics.median(slow.times_ms), 1),
            "speedup": round(
                statistics.median(slow.times_ms) / max(statistics.median(fast.times_ms), 1e-6), 1
            ),
            "core": {page: pages.summary(times) for page, times in core.pages.items()},
            "core_peak_rss_mb": round(core.peak_rss_mb, 1),
            "naive_peak_rss_mb": round(slow.peak_rss_mb, 1),
            "pages": scripts,
            "peak_rss_mb": round(
                max([core.peak_rss_mb, *(page["peak_rss_mb"] for page in scripts.values())]), 1
            ),
            "figures_match": not problems,
            "figure_differences": problems,
            "goal_first_run_ms": GOAL_FIRST_RUN_MS,
            "goal_filter_change_ms": GOAL_FILTER_CHANGE_MS,
            "goal_peak_rss_mb": GOAL_PEAK_RSS_MB,
        }
        progress("Rapports : bilan de promotion et fiche d'intervenant·e…")
        demo_path = str(load.demo_database(Path(workdir) / "demo.sqlite"))
        result["reports"] = {
            "demo": pages.in_fresh_process(report_bench.time_reports, demo_path, rounds),
            "generated": pages.in_fresh_process(report_bench.time_reports, path, rounds),
        }
        progress("Recherche de citations…")
        conn = store.connect(path)
        try:
            renamed = {"quotes": "search_published_quotes", "queries": "search_queries"}
            result.update({renamed.get(key, key): value for key, value in bench_search(conn).items()})
        finally:
            conn.close()
        result.update(bench_semantic(path, semantic_sizes, progress))
    if load_sessions:
        progress(
            f"{load_sessions} sessions d'étudiant simultanées dans le navigateur (données de démonstration)…"
        )
        result["load"] = load.bench_load(load_sessions, directory)
    return result


def _number(value: float | None, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def format_load(figures: dict[str, Any]) -> list[str]:
    """The load part of the report."""
    if "skipped" in figures:
        return [f"Charge : non mesurée ({figures['skipped']})"]
    n = _number
    single, loaded, memory = figures["single"], figures["loaded"], figures["server_rss_mb"]
    lines = [
        f"Charge : pages d'étudiant et recherche dans le navigateur, {figures['sessions']} sessions simultanées "
        "(données de démonstration)",
        f"  une session seule : médiane {n(single['median_ms'], 0)} ms, p95 {n(single['p95_ms'], 0)} ms",
        f"  {figures['sessions']} sessions : médiane {n(loaded['median_ms'], 0)} ms, p95 {n(loaded['p95_ms'], 0)} ms "
        f"(p95 × {n(figures['p95_ratio'])}) sur {figures['steps']} étapes",
        f"  mémoire du serveur : {n(memory['before'], 0)} Mo avant, {n(memory['peak'], 0)} Mo au plus, "
        f"{n(memory['after'], 0)} Mo après",
    ]
    if figures["problems"]:
        lines += [
            f"  Problèmes ({len(figures['problems'])}) :",
            *(f"    {p}" for p in figures["problems"][:10]),
        ]
    return lines


def format_report(result: dict[str, Any]) -> str:
    """The benchmark's result as tables a person reads."""
    n = _number
    lines = [
        f"Données : {n(result['responses'], 0)} réponses ({n(result['answers'], 0)} réponses aux questions), "
        f"{n(result['quotes'], 0)} citations, {result['interventions']} interventions",
        f"Génération {n(result['generate_s'])} s · chargement SQLite et agrégats {n(result['load_s'])} s · "
        f"lecture du modèle {n(result['model_load_ms'])} ms",
    ]
    if result["pages"]:
        lines += [
            "",
            "Pages entières (AppTest), médiane et p95 : premier lancement après démarrage du serveur,",
            "changement de filtre, retour sur la page depuis une autre",
            f"{'Page':<14}{'1er lancement':>20}{'filtre':>18}{'changement de page':>22}{'× témoin':>12}"
            f"{'mémoire':>10}",
            "-" * 96,
        ]
        for page, figures in result["pages"].items():
            cells = [
                f"{n(figures[k]['median_ms'], 0)} / {n(figures[k]['p95_ms'], 0)} ms"
                for k in ("first_run", "filter_change", "page_switch")
            ]
            lines.append(
                f"{page:<14}{cells[0]:>20}{cells[1]:>18}{cells[2]:>22}"
                f"{n(figures['first_run_ratio']) + ' / ' + n(figures['filter_change_ratio']):>12}"
                f"{n(figures['peak_rss_mb'], 0) + ' Mo':>10}"
            )
        lines.append(
            "× témoin : temps divisés par celui d'un script d'une ligne lancé dans le même processus "
            f"({n(statistics.median(p['baseline_ms'] for p in result['pages'].values()))} ms)."
        )
    lines += ["", "Calcul du cœur de chaque page par changement de filtre (médiane / p95)"]
    for page, figures in result["core"].items():
        lines.append(f"  {page:<14}{n(figures['median_ms']) + ' ms':>12}{n(figures['p95_ms']) + ' ms':>12}")
    lines += [
        "",
        f"Figures de la page Enquêtes : {n(result['filter_change_ms'])} ms (p95 {n(result['filter_change_p95_ms'])} ms) "
        f"contre {n(result['filter_change_naive_ms'], 0)} ms pour le chemin naïf (× {n(result['speedup'], 0)}) ; "
        f"mêmes figures : {'oui' if result['figures_match'] else 'NON'}",
        f"Mémoire maximale : {n(result['peak_rss_mb'], 0)} Mo (chemin naïf : {n(result['naive_peak_rss_mb'], 0)} Mo)",
    ]
    if "search_p95_ms" in result:
        lines.append(
            f"Recherche de citations : p50 {n(result['search_p50_ms'])} ms, p95 {n(result['search_p95_ms'])} ms "
            f"(balayage pandas p95 {n(result['search_scan_p95_ms'])} ms)"
        )
    lines += semantic_report_lines(result, n)
    if "reports" in result:
        lines += report_bench.format_reports(result["reports"])
    if result["pages"]:
        slowest_first = max(p["first_run"]["p95_ms"] for p in result["pages"].values())
        slowest_change = max(p["filter_change"]["p95_ms"] for p in result["pages"].values())
        lines += [
            "",
            f"Objectif premier lancement ≤ {n(GOAL_FIRST_RUN_MS, 0)} ms : "
            f"{'atteint' if slowest_first <= GOAL_FIRST_RUN_MS else 'NON atteint'} (pire p95 {n(slowest_first, 0)} ms)",
            f"Objectif changement de filtre ≤ {n(GOAL_FILTER_CHANGE_MS, 0)} ms : "
            f"{'atteint' if slowest_change <= GOAL_FILTER_CHANGE_MS else 'NON atteint'} (pire p95 {n(slowest_change, 0)} ms)",
        ]
    lines.append(
        f"Objectif mémoire < {n(GOAL_PEAK_RSS_MB, 0)} Mo : "
        f"{'atteint' if result['peak_rss_mb'] < GOAL_PEAK_RSS_MB else 'NON atteint'}"
    )
    if "load" in result:
        lines += ["", *format_load(result["load"])]
    problems = result["figure_differences"] + [
        p for page in result["pages"].values() for p in page["problems"]
    ]
    if problems:
        lines += ["", "Problèmes :", *problems[:20]]
    return "\n".join(lines)
