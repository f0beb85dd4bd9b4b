"""The performance benchmark (`python -m insights bench`): the Enquêtes page's figures for one
filter change, computed by the app's fast path and by a naive baseline, on generated data.

The fast path is what the page runs: answer counts per intervention built once per data version
(`survey.load_cube`, `survey.load_texts`), then, per filter change, the selection, a mask and
sums. The naive baseline is what a typical Streamlit app does on every rerun: reload every
answer from SQLite into pandas and recompute each figure from the raw answers (with
`metrics.mean_estimate` and `metrics.nps`). Both run in fresh processes, so that each one's peak
memory is its own; they must give the same figures.
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
import math
import resource
import sqlite3
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from insights import store
from insights.analytics import stats as metrics
from insights.analytics import survey
from insights.charts import survey as survey_charts
from insights.demo.generator import generate_scaled
from insights.domain import FORMATS, PILLARS, split_list
from insights.filters import Filters, select_interventions

DEFAULT_RESPONSES = 1_000_000
DEFAULT_QUOTES = 100_000
DEFAULT_SEED = 2016
GOAL_FILTER_CHANGE_MS = 150.0
GOAL_PEAK_RSS_MB = 1500.0


# ---------------------------------------------------------------------------------------------
# Loading generated data


def load_generated(conn: sqlite3.Connection, tables: dict[str, pd.DataFrame]) -> None:
    """Write `demo.generate_scaled` tables into a fresh database: the small tables through the
    store's upserts, responses and answers through its bulk path, in primary-key order."""
    cohorts = tables["cohorts"]
    store.write_cohorts(
        conn, [{"cohort": c, "size": int(s)} for c, s in zip(cohorts["cohort"], cohorts["size"], strict=True)]
    )
    store.write_speakers(
        conn,
        [
            {
                **{column: ("" if pd.isna(value) else value) for column, value in row.items()},
                "years_experience": None
                if pd.isna(row["years_experience"])
                else int(row["years_experience"]),
            }
            for row in tables["speakers"].to_dict("records")
        ],
    )
    store.write_interventions(
        conn,
        [
            {
                **row,
                "speaker_ids": split_list(row["speaker_ids"]),
                "themes": split_list(row["themes"]),
                "tools": "" if pd.isna(row["tools"]) else row["tools"],
            }
            for row in tables["interventions"].to_dict("records")
        ],
    )
    questions = store.load_questions(conn)
    responses = tables["responses"].sort_values("response_id", ignore_index=True)
    store.bulk_insert_responses(
        conn,
        zip(
            responses["response_id"].tolist(),
            responses["intervention_id"].tolist(),
            responses["submitted_at"].tolist(),
            responses["respondent"].tolist(),
            strict=True,
        ),
        _long_answers(responses, questions),
    )
    quotes = tables["quotes"]
    store.write_quotes(
        conn,
        [
            {
                "quote_id": row["quote_id"],
                "text": row["text"],
                "speaker_id": row["speaker_id"],
                "intervention_id": None if pd.isna(row["intervention_id"]) else row["intervention_id"],
                "themes": split_list(row["themes"]),
                "source": row["source"],
                "status": row["status"],
            }
            for row in quotes.to_dict("records")
        ],
    )


def _long_answers(
    responses: pd.DataFrame, questions: pd.DataFrame
) -> Iterator[tuple[str, str, float | None, str | None]]:
    """(response_id, question_id, value_num, value_text) of a wide responses table, in
    (response_id, question_id) order, generated in chunks."""
    ids = sorted(q for q in questions["question_id"] if q in responses.columns)
    kinds = dict(zip(questions["question_id"], questions["type"], strict=True))
    keys, numbers, texts = [], [], []
    for index, question in enumerate(ids):
        column = responses[question]
        if kinds[question] in ("text", "choice"):
            present = column.fillna("").astype("str").str.strip().ne("").to_numpy()
            texts.append(column.to_numpy(dtype=object)[present])
            numbers.append(np.full(int(present.sum()), np.nan))
        else:
            present = column.notna().to_numpy()
            numbers.append(column.to_numpy(dtype="float64", na_value=np.nan)[present])
            texts.append(np.full(int(present.sum()), None, dtype=object))
        keys.append(np.flatnonzero(present) * len(ids) + index)
    key = np.concatenate(keys) if keys else np.zeros(0, dtype="int64")
    order = np.argsort(key, kind="stable")
    key, number, text = key[order], np.concatenate(numbers)[order], np.concatenate(texts)[order]
    response_ids = responses["response_id"].to_numpy(dtype=object)
    question_ids = np.array(ids, dtype=object)
    for start in range(0, key.size, 200_000):
        chunk = key[start : start + 200_000]
        values = [None if v != v else v for v in number[start : start + 200_000].tolist()]
        yield from zip(
            response_ids[chunk // len(ids)].tolist(),
            question_ids[chunk % len(ids)].tolist(),
            values,
            text[start : start + 200_000].tolist(),
            strict=True,
        )


# ---------------------------------------------------------------------------------------------
# The filter changes timed


def filter_sequence(interventions: pd.DataFrame, speakers: pd.DataFrame) -> list[Filters]:
    """A plausible series of filter changes: everything, the latest cohort, its first semester,
    an organisation type, a theme, two cohorts on a theme, the second semester, everything."""
    cohorts = sorted(interventions["cohort"].unique())
    latest = cohorts[-1:] if cohorts else []
    org_types = [t for t in speakers["org_type"].value_counts().index][:1]
    return [
        Filters(),
        Filters(cohorts=tuple(latest)),
        Filters(cohorts=tuple(latest), semesters=("S1",)),
        Filters(org_types=tuple(org_types)),
        Filters(themes=("crise",)),
        Filters(cohorts=tuple(cohorts[-2:]), themes=("conversation",)),
        Filters(semesters=("S2",)),
        Filters(),
    ]


def _peak_rss_mb() -> float:
    """This process's peak resident memory in MB.

    Linux's VmHWM is the peak of the current address space. getrusage's ru_maxrss would also
    count the parent's memory at the fork that started this process, which here holds the
    generated data.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass(frozen=True)
class RunResult:
    """One process's timings (ms) per filter change, its figures for the compared filters, its
    own build times, its peak resident memory, and (fast path) the time to draw the charts."""

    times_ms: list[float]
    figures: list[dict[str, pd.DataFrame]]
    build_ms: float
    text_build_ms: float
    peak_rss_mb: float
    chart_times_ms: list[float] = field(default_factory=list)


def run_fast(path: str, rounds: int, compare: int) -> RunResult:
    """The app's path: build the answer counts once, then time each filter change of
    `filter_sequence`, `rounds` times over; return the figures of the first `compare` ones."""
    conn = store.connect(path)
    try:
        started = time.perf_counter()
        cube = survey.load_cube(conn)
        built = time.perf_counter()
        texts = survey.load_texts(conn, cube)
        texts_built = time.perf_counter()
        threshold = store.anonymity_threshold(conn)
        sequence = filter_sequence(cube.talks, cube.speakers)
        times, chart_times, figures = [], [], []
        for round_number in range(rounds):
            for index, filters in enumerate(sequence):
                start = time.perf_counter()
                result = fast_page_figures(cube, texts, filters, threshold)
                computed = time.perf_counter()
                survey_charts.page_charts(result)
                times.append((computed - start) * 1000)
                chart_times.append((time.perf_counter() - computed) * 1000)
                if round_number == 0 and index < compare:
                    figures.append(result.frames())
        return RunResult(
            times,
            figures,
            (built - started) * 1000,
            (texts_built - built) * 1000,
            _peak_rss_mb(),
            chart_times,
        )
    finally:
        conn.close()


def fast_page_figures(
    cube: survey.SurveyCube, texts: survey.SurveyTexts, filters: Filters, threshold: int
) -> survey.PageFigures:
    """What the page computes on a filter change: the selection, then every figure."""
    selection = select_interventions(cube.talks, cube.speakers, filters)
    mask = cube.mask(selection["intervention_id"])
    return survey.page_figures(cube, texts, mask, threshold)


def run_naive(path: str, runs: int) -> RunResult:
    """The naive baseline on the first `runs` filter changes of `filter_sequence`."""
    conn = store.connect(path)
    try:
        sequence = filter_sequence(store.load_interventions(conn), store.load_speakers(conn))[:runs]
        times, figures = [], []
        for filters in sequence:
            start = time.perf_counter()
            result = naive_page_figures(conn, filters)
            times.append((time.perf_counter() - start) * 1000)
            figures.append(result.frames())
            del result
            gc.collect()
        return RunResult(times, figures, math.nan, math.nan, _peak_rss_mb())
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------
# The naive baseline: everything reloaded and recomputed from the raw answers


def naive_page_figures(
    conn: sqlite3.Connection, filters: Filters, director: bool = True
) -> survey.PageFigures:
    """The page's default figures as a typical app computes them on every rerun: every table and
    every answer read again from SQLite, each figure recomputed in pandas from the raw answers."""
    threshold = store.anonymity_threshold(conn)
    questions = store.load_questions(conn)
    interventions = store.load_interventions(conn)
    speakers = store.load_speakers(conn)
    cohorts = store.load_cohorts(conn)
    responses = store.load_responses(conn)
    answers = store.load_answers(conn)

    talks = interventions.sort_values(["date", "intervention_id"], ignore_index=True)
    size_of = dict(zip(cohorts["cohort"], cohorts["size"], strict=True))
    talks["cohort_size"] = [int(size_of.get(c, 0)) for c in talks["cohort"]]
    talks["position"] = np.arange(len(talks))
    selection = select_interventions(interventions, speakers, filters)
    selected = talks[talks["intervention_id"].isin(selection["intervention_id"])]
    selected_ids = set(selected["intervention_id"])
    response_count = responses.groupby("intervention_id").size()
    talks["responses"] = talks["intervention_id"].map(response_count).fillna(0).astype("int64")
    selected = talks[talks["intervention_id"].isin(selected_ids)]

    def of_type(kind: str) -> list[str]:
        return questions.loc[questions["type"] == kind, "question_id"].tolist()

    likert, nps_ids, choice_ids, text_ids = (
        of_type("likert5"),
        of_type("nps"),
        of_type("choice"),
        of_type("text"),
    )
    labels = _Labels(questions)
    mine = answers[answers["intervention_id"].isin(selected_ids)]

    def values(frame: pd.DataFrame, question: str, allowed: Sequence[int]) -> pd.Series:
        v = frame.loc[frame["question_id"] == question, "value_num"].dropna()
        return v[v.isin(allowed)]

    # Headline.
    responses_n = int(selected["responses"].sum())
    expected = int(selected["cohort_size"].sum())
    satisfaction = recommend = None
    if likert:
        question = "satisfaction" if "satisfaction" in likert else likert[0]
        estimate = metrics.mean_estimate(values(mine, question, survey.LIKERT_VALUES))
        satisfaction = (
            metrics.MeanEstimate(0, math.nan, math.nan, math.nan) if estimate.n < threshold else estimate
        )
    nps_question = "recommend" if "recommend" in nps_ids else next(iter(nps_ids), None)
    if nps_question:
        recommend = metrics.nps(values(mine, nps_question, survey.NPS_VALUES))
        if recommend.n < threshold:
            recommend = metrics.NpsBreakdown(0, 0, 0, 0)
    summary = survey.SelectionSummary(
        interventions=len(selected),
        responses=responses_n,
        expected=expected,
        response_rate=math.nan if responses_n < threshold or expected == 0 else responses_n / expected,
        suppressed=responses_n < threshold,
        satisfaction=satisfaction,
        recommend=recommend,
    )

    distribution = pd.DataFrame(
        [
            {
                "question_id": q,
                "label": labels.short(q),
                **_likert_row(values(mine, q, survey.LIKERT_VALUES), threshold),
            }
            for q in likert
        ],
        columns=survey.LIKERT_DISTRIBUTION_COLUMNS,
    )

    question = likert[0] if likert else None
    talk_rows = []
    for talk in selected.itertuples(index=False):
        own = mine[mine["intervention_id"] == talk.intervention_id]
        row = _talk_row(talk)
        if question:
            row.update(_likert_row(values(own, question, survey.LIKERT_VALUES), threshold))
        talk_rows.append(row)
    talk_frame = _naive_sort(pd.DataFrame(talk_rows, columns=survey.TALK_DISTRIBUTION_COLUMNS), "mean")

    nps_talks = _naive_sort(
        pd.DataFrame(
            [
                {
                    **_talk_row(t),
                    **_nps_row(
                        values(
                            mine[mine["intervention_id"] == t.intervention_id],
                            nps_question,
                            survey.NPS_VALUES,
                        ),
                        threshold,
                    ),
                }
                for t in selected.itertuples(index=False)
            ],
            columns=survey.NPS_TALK_COLUMNS,
        ),
        "score",
    )

    speaker_rows = []
    for speaker in speakers.itertuples(index=False):
        their = selected[[speaker.speaker_id in ids for ids in selected["speaker_ids"]]]
        if their.empty:
            continue
        own = mine[mine["intervention_id"].isin(set(their["intervention_id"]))]
        speaker_rows.append(
            {
                "speaker_id": speaker.speaker_id,
                "name": speaker.name,
                "organisation": speaker.organisation,
                "label": f"{speaker.name} ({survey._shorten(speaker.organisation, 28)})"
                if speaker.organisation
                else speaker.name,
                "interventions": len(their),
                **_nps_row(values(own, nps_question, survey.NPS_VALUES), threshold),
            }
        )
    nps_speakers = _naive_sort(
        pd.DataFrame(speaker_rows, columns=survey.NPS_SPEAKER_COLUMNS),
        "score",
        tie="name",
        tie_ascending=True,
    )

    eligible = selected[selected["responses"] >= threshold]
    target_id = eligible["intervention_id"].iloc[-1] if len(eligible) else None
    target_answers = answers[answers["intervention_id"] == target_id]
    pillars = []
    for q in [q for q in PILLARS if q in likert]:
        own = _likert_row(values(target_answers, q, survey.LIKERT_VALUES), threshold)
        everyone = _likert_row(values(answers, q, survey.LIKERT_VALUES), threshold)
        pillars.append(
            {
                "question_id": q,
                "label": PILLARS[q],
                **{k: own[k] for k in ("n", "mean", "low", "high", "suppressed")},
                **{f"programme_{k}": everyone[k] for k in ("n", "mean", "low", "high")},
            }
        )
    pillar_frame = pd.DataFrame(pillars, columns=survey.PILLAR_COLUMNS)

    choice_question = "best_part" if "best_part" in choice_ids else next(iter(choice_ids), None)
    choice_frame = pd.DataFrame(columns=survey.CHOICE_COLUMNS)
    if choice_question:
        catalogue = split_list(questions.loc[questions["question_id"] == choice_question, "options"].iloc[0])
        given = answers.loc[answers["question_id"] == choice_question, "value_text"].dropna().astype(str)
        options = [*catalogue, *sorted({v for v in given if v and v not in catalogue})]
        chosen = mine[mine["question_id"] == choice_question].merge(
            talks[["intervention_id", "format"]], on="intervention_id"
        )
        present = list(dict.fromkeys(selected["format"]))
        ordered = [f for f in FORMATS if f in present] + sorted(f for f in present if f not in FORMATS)
        rows = []
        for name in ordered:
            picked = chosen.loc[chosen["format"] == name, "value_text"]
            picked = picked[picked.isin(options)]
            n = len(picked)
            counts = picked.value_counts()
            for option in options:
                hidden = n < threshold
                count = int(counts.get(option, 0))
                rows.append(
                    {
                        "format": name,
                        "option": option,
                        "answers": math.nan if hidden else count,
                        "share": math.nan if hidden else count / n,
                        "n": math.nan if hidden else n,
                        "suppressed": hidden,
                    }
                )
        choice_frame = pd.DataFrame(rows, columns=survey.CHOICE_COLUMNS)

    with_keys = mine.merge(talks[["intervention_id", "cohort", "semester"]], on="intervention_id")
    trend_rows = []
    keys = selected[["cohort", "semester"]].drop_duplicates().sort_values(["cohort", "semester"])
    for q in likert:
        for cohort, semester in keys.itertuples(index=False):
            group = with_keys[(with_keys["cohort"] == cohort) & (with_keys["semester"] == semester)]
            row = _likert_row(values(group, q, survey.LIKERT_VALUES), threshold)
            trend_rows.append(
                {"question_id": q, "label": labels.short(q), "cohort": cohort, "semester": semester,
                 **{k: row[k] for k in ("n", "mean", "low", "high", "suppressed")}}
            )  # fmt: skip
    trends = pd.DataFrame(trend_rows, columns=survey.TREND_COLUMNS)

    rate_rows = []
    for talk in selected.itertuples(index=False):
        hidden = talk.responses < threshold
        rate = talk.responses / talk.cohort_size if talk.cohort_size > 0 else math.nan
        rate_rows.append(
            {
                **_talk_row(talk),
                "semester": talk.semester,
                "responses": math.nan if hidden else talk.responses,
                "cohort_size": talk.cohort_size,
                "rate": math.nan if hidden else rate,
                "suppressed": hidden,
            }
        )
    rates = pd.DataFrame(rate_rows, columns=survey.RESPONSE_RATE_COLUMNS)

    comparison_rows = []
    target_formats = sorted(set(talks.loc[talks["intervention_id"] == target_id, "format"]))
    same_format_ids = set(talks.loc[talks["format"].isin(target_formats), "intervention_id"]) - {target_id}
    other_ids = set(talks["intervention_id"]) - {target_id}
    references = [
        (survey.PROGRAMME_REFERENCE, other_ids),
        ("Même format" + (f" ({', '.join(target_formats)})" if target_formats else ""), same_format_ids),
    ]
    for reference, ids in references:
        theirs = answers[answers["intervention_id"].isin(ids)]
        for q in likert:
            a = values(target_answers, q, survey.LIKERT_VALUES).to_numpy()
            b = values(theirs, q, survey.LIKERT_VALUES).to_numpy()
            ea, eb = metrics.mean_estimate(a), metrics.mean_estimate(b)
            low, high = _welch(a, b)
            hidden = min(ea.n, eb.n) < threshold
            figures = {
                "n": ea.n, "mean": ea.mean, "low": ea.low, "high": ea.high,
                "reference_n": eb.n, "reference_mean": eb.mean, "reference_low": eb.low,
                "reference_high": eb.high, "difference": ea.mean - eb.mean,
                "difference_low": low, "difference_high": high,
            }  # fmt: skip
            comparison_rows.append(
                {
                    "question_id": q,
                    "label": labels.short(q),
                    "reference": reference,
                    **{k: (math.nan if hidden else v) for k, v in figures.items()},
                    "suppressed": hidden,
                }
            )
    comparison = pd.DataFrame(comparison_rows, columns=survey.COMPARISON_COLUMNS)

    text_question = next(iter(text_ids), None)
    terms = term_trend = comments = pd.DataFrame()
    comment_total = 0
    if text_question:
        written = answers[answers["question_id"].isin(text_ids) & answers["value_text"].notna()].copy()
        written["value_text"] = written["value_text"].str.strip()
        written = written[written["value_text"] != ""]
        written["terms"] = written["value_text"].map(_terms_of)
        surfaces: dict[str, Counter[str]] = {}
        for found in written["terms"]:
            for stem, surface in found:
                surfaces.setdefault(stem, Counter())[surface] += 1
        word_of = {stem: survey.representative_word(c) for stem, c in surfaces.items()}
        own_text = written[
            (written["question_id"] == text_question) & written["intervention_id"].isin(selected_ids)
        ]
        n = len(own_text)
        mentions = Counter(stem for found in own_text["terms"] for stem in {s for s, _ in found})
        if n >= threshold:
            top = sorted(
                (s for s, c in mentions.items() if c >= threshold),
                key=lambda s: (-mentions[s], word_of[s], s),
            )[:20]
            terms = pd.DataFrame(
                {
                    "term": pd.array(top, dtype="str"),
                    "word": pd.array([word_of[s] for s in top], dtype="str"),
                    "answers": np.array([mentions[s] for s in top], dtype="int64"),
                    "share": np.array([mentions[s] / n for s in top], dtype="float64"),
                }
            )
        else:
            terms = pd.DataFrame(columns=survey.TERM_COLUMNS)
        if len(terms):
            term = terms["term"].iloc[0]
            trend_rows = []
            with_cohort = own_text.merge(talks[["intervention_id", "cohort"]], on="intervention_id")
            for cohort in sorted(selected["cohort"].unique()):
                group = with_cohort[with_cohort["cohort"] == cohort]
                count = int(sum(term in {s for s, _ in found} for found in group["terms"]))
                hidden = len(group) < threshold
                trend_rows.append(
                    {
                        "cohort": cohort,
                        "n": math.nan if hidden else len(group),
                        "answers": math.nan if hidden else count,
                        "share": math.nan if hidden or not len(group) else count / len(group),
                        "suppressed": hidden,
                    }
                )
            term_trend = pd.DataFrame(trend_rows, columns=survey.TERM_TREND_COLUMNS)
        if director:
            allowed = set(selected.loc[selected["responses"] >= threshold, "intervention_id"])
            shown = own_text[own_text["intervention_id"].isin(allowed)].merge(
                talks[["intervention_id", "title", "date", "cohort", "position"]], on="intervention_id"
            )
            shown = shown.sort_values(["position", "response_id"], ascending=[False, False])
            comment_total = len(shown)
            shown = shown.head(200)
            comments = pd.DataFrame(
                {
                    "intervention_id": shown["intervention_id"].to_numpy(),
                    "title": shown["title"].to_numpy(),
                    "date": shown["date"].to_numpy(),
                    "cohort": shown["cohort"].to_numpy(),
                    "question": [labels.short(q) for q in shown["question_id"]],
                    "text": shown["value_text"].to_numpy(),
                },
                columns=survey.COMMENT_COLUMNS,
            )

    return survey.PageFigures(
        summary=summary,
        distribution=distribution,
        talks=talk_frame,
        nps_talks=nps_talks,
        nps_speakers=nps_speakers,
        pillars=pillar_frame,
        choices=choice_frame,
        trends=trends,
        response_rates=rates,
        comparison=comparison,
        terms=terms,
        term_trend=term_trend,
        comments=comments,
        comment_total=comment_total,
    )


class _Labels:
    def __init__(self, questions: pd.DataFrame) -> None:
        self.long = dict(zip(questions["question_id"], questions["label"], strict=True))

    def short(self, question_id: str) -> str:
        from insights.domain import SHORT_QUESTION_LABELS

        return SHORT_QUESTION_LABELS.get(question_id) or survey._shorten(
            self.long.get(question_id, question_id), 40
        )


_TERMS_CACHE: dict[str, list[tuple[str, str]]] = {}


def _terms_of(text: str) -> list[tuple[str, str]]:
    # A typical app memoises an expensive pure function; this keeps the baseline honest.
    found = _TERMS_CACHE.get(text)
    if found is None:
        found = _TERMS_CACHE[text] = survey.text_terms(text)
    return found


def _talk_row(talk: Any) -> dict[str, Any]:
    return {
        "intervention_id": talk.intervention_id,
        "title": talk.title,
        "date": talk.date,
        "cohort": talk.cohort,
        "format": talk.format,
        "label": survey.talk_label(talk.title, talk.date),
    }


def _likert_row(answers: pd.Series, threshold: int) -> dict[str, Any]:
    estimate = metrics.mean_estimate(answers)
    counts = answers.value_counts()
    n = estimate.n
    hidden = n < threshold
    row: dict[str, Any] = {"n": n, "mean": estimate.mean, "low": estimate.low, "high": estimate.high}
    for value in survey.LIKERT_VALUES:
        count = int(counts.get(float(value), 0))
        row[f"count_{value}"] = count
        row[f"share_{value}"] = count / n if n else math.nan
    row["agree"] = row["share_4"] + row["share_5"]
    if hidden:
        row = dict.fromkeys(row, math.nan)
    return {**row, "suppressed": hidden}


def _nps_row(answers: pd.Series, threshold: int) -> dict[str, Any]:
    breakdown = metrics.nps(answers)
    low, high = survey.nps_interval(breakdown)
    n = breakdown.n
    row: dict[str, Any] = {
        "n": n,
        "detractors": breakdown.detractors,
        "passives": breakdown.passives,
        "promoters": breakdown.promoters,
        "share_detractors": breakdown.detractors / n if n else math.nan,
        "share_passives": breakdown.passives / n if n else math.nan,
        "share_promoters": breakdown.promoters / n if n else math.nan,
        "score": breakdown.score,
        "low": low,
        "high": high,
    }
    hidden = n < threshold
    if hidden:
        row = dict.fromkeys(row, math.nan)
    return {**row, "suppressed": hidden}


def _welch(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    if len(a) < 2 or len(b) < 2:
        return math.nan, math.nan
    va, vb = float(np.var(a, ddof=1)) / len(a), float(np.var(b, ddof=1)) / len(b)
    difference = float(a.mean() - b.mean())
    if va + vb == 0:
        return difference, difference
    freedom = (va + vb) ** 2 / (va * va / (len(a) - 1) + vb * vb / (len(b) - 1))
    margin = metrics.t_critical_95(max(1, int(freedom))) * math.sqrt(va + vb)
    return difference - margin, difference + margin


def _naive_sort(frame: pd.DataFrame, by: str, tie: str = "date", tie_ascending: bool = False) -> pd.DataFrame:
    return survey._sort_rows(frame.astype({"suppressed": bool}), by, tie, tie_ascending)


# ---------------------------------------------------------------------------------------------
# Comparing the two paths


def figure_differences(fast: dict[str, pd.DataFrame], naive: dict[str, pd.DataFrame]) -> list[str]:
    """What differs between two `PageFigures.frames()` (empty when they agree): same tables,
    columns and rows; labels equal; numbers equal to 1e-9 (missing equals missing)."""
    problems = []
    for name in fast:
        a, b = fast[name], naive.get(name)
        if b is None:
            problems.append(f"{name}: missing from the naive figures")
            continue
        if list(a.columns) != list(b.columns) or len(a) != len(b):
            problems.append(f"{name}: shape {list(a.columns)}×{len(a)} vs {list(b.columns)}×{len(b)}")
            continue
        for column in a.columns:
            left, right = a[column], b[column]
            if pd.api.types.is_numeric_dtype(left.dtype) or pd.api.types.is_numeric_dtype(right.dtype):
                x = pd.to_numeric(left, errors="coerce").astype("float64").to_numpy()
                y = pd.to_numeric(right, errors="coerce").astype("float64").to_numpy()
                if not np.allclose(x, y, rtol=1e-9, atol=1e-9, equal_nan=True):
                    problems.append(f"{name}.{column}: numbers differ")
            elif [str(v) for v in left] != [str(v) for v in right]:
                problems.append(f"{name}.{column}: values differ")
    return problems


# ---------------------------------------------------------------------------------------------
# The whole benchmark


def _in_fresh_process(function: Callable[..., RunResult], *args: Any) -> RunResult:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as executor:
        return executor.submit(function, *args).result()


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def run_benchmark(
    responses: int = DEFAULT_RESPONSES,
    quotes: int = DEFAULT_QUOTES,
    *,
    seed: int = DEFAULT_SEED,
    rounds: int = 3,
    naive_runs: int = 1,
    directory: Path | None = None,
    keep: Path | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> dict[str, Any]:
    """Generate data, load it into a temporary database (in `directory`, or the system's
    temporary directory) and time both paths. With `keep`, the database is written there
    instead and kept (the path must not exist yet), e.g. to run the app at that scale.

    Returns the figures DESIGN.md names (responses, quotes, filter_change_ms,
    filter_change_naive_ms, peak_rss_mb) and more: the slowest and 95th-percentile filter
    change, the speed-up, the one-off build times, each path's peak memory, and whether both
    paths gave the same figures. Adds the search figures when `insights.search.bench_search`
    exists.
    """
    if keep is not None and keep.exists():
        raise FileExistsError(keep)
    with tempfile.TemporaryDirectory(dir=directory) as workdir:
        path = str(keep if keep is not None else Path(workdir) / "bench.sqlite")
        progress(f"Génération de {responses:,} réponses et {quotes:,} citations…".replace(",", "\u202f"))
        started = time.perf_counter()
        tables = generate_scaled(responses=responses, quotes=quotes, seed=seed)
        generated = time.perf_counter()
        progress(
            f"Chargement dans la base SQLite {path}…"
            if keep
            else "Chargement dans une base SQLite temporaire…"
        )
        conn = store.connect(path)
        load_generated(conn, tables)
        interventions = len(tables["interventions"])
        del tables
        gc.collect()
        loaded = time.perf_counter()
        answers = store.table_counts(conn)["answers"]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

        progress("Chemin rapide (celui de l'application)…")
        fast = _in_fresh_process(run_fast, path, rounds, naive_runs)
        progress(f"Chemin naïf ({naive_runs} changement(s) de filtre)…")
        naive = _in_fresh_process(run_naive, path, naive_runs)
        problems = [
            f"filtre {i + 1} : {problem}"
            for i, (a, b) in enumerate(zip(fast.figures, naive.figures, strict=True))
            for problem in figure_differences(a, b)
        ]
        result: dict[str, Any] = {
            "responses": responses,
            "quotes": quotes,
            "answers": answers,
            "interventions": interventions,
            "filter_change_ms": round(statistics.median(fast.times_ms), 2),
            "filter_change_p95_ms": round(_percentile(fast.times_ms, 0.95), 2),
            "filter_change_max_ms": round(max(fast.times_ms), 2),
            "filter_changes_timed": len(fast.times_ms),
            "charts_ms": round(statistics.median(fast.chart_times_ms), 2),
            "filter_change_with_charts_ms": round(
                statistics.median(a + b for a, b in zip(fast.times_ms, fast.chart_times_ms, strict=True)), 2
            ),
            "filter_change_naive_ms": round(statistics.median(naive.times_ms), 1),
            "naive_filter_changes_timed": len(naive.times_ms),
            "speedup": round(statistics.median(naive.times_ms) / statistics.median(fast.times_ms), 1),
            "peak_rss_mb": round(fast.peak_rss_mb, 1),
            "naive_peak_rss_mb": round(naive.peak_rss_mb, 1),
            "cube_build_ms": round(fast.build_ms, 1),
            "text_build_ms": round(fast.text_build_ms, 1),
            "generate_s": round(generated - started, 1),
            "load_peak_rss_mb": round(_peak_rss_mb(), 1),
            "load_s": round(loaded - generated, 1),
            "figures_match": not problems,
            "figure_differences": problems,
            "goal_filter_change_ms": GOAL_FILTER_CHANGE_MS,
            "goal_peak_rss_mb": GOAL_PEAK_RSS_MB,
        }
        result.update(_search_figures(conn, progress))
        conn.close()
    return result


def _search_figures(conn: sqlite3.Connection, progress: Callable[[str], None]) -> dict[str, Any]:
    """The quote search's figures (`insights.search.bench_search`) on the generated quotes, when
    the search module offers them; its own counts are renamed so as not to hide ours."""
    if importlib.util.find_spec("insights.quotes.search") is None:
        return {}
    bench_search = getattr(importlib.import_module("insights.quotes.search"), "bench_search", None)
    if bench_search is None:
        return {}
    progress("Recherche de citations…")
    renamed = {"quotes": "search_published_quotes", "queries": "search_queries"}
    return {renamed.get(key, key): value for key, value in bench_search(conn).items()}


def format_report(result: dict[str, Any]) -> str:
    """The benchmark's result as a table a person reads."""

    def number(value: float, decimals: int = 1) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")

    fast, naive = result["filter_change_ms"], result["filter_change_naive_ms"]
    lines = [
        f"Données : {number(result['responses'], 0)} réponses ({number(result['answers'], 0)} réponses "
        f"aux questions), {number(result['quotes'], 0)} citations, {result['interventions']} interventions",
        f"Génération {number(result['generate_s'])} s · chargement SQLite {number(result['load_s'])} s",
        "",
        f"{'Mesure':<52}{'Valeur':>16}",
        f"{'-' * 68}",
        f"{'Changement de filtre, chemin de l’application (médiane)':<52}{number(fast, 1) + ' ms':>16}",
        f"{'  95e centile / pire cas':<52}{number(result['filter_change_p95_ms']) + ' / ' + number(result['filter_change_max_ms']) + ' ms':>16}",
        f"{'  nombre de changements mesurés':<52}{result['filter_changes_timed']:>16}",
        f"{'Construction des 12 graphiques plotly (médiane)':<52}{number(result['charts_ms']) + ' ms':>16}",
        f"{'Figures et graphiques (médiane)':<52}{number(result['filter_change_with_charts_ms']) + ' ms':>16}",
        f"{'Changement de filtre, chemin naïf (médiane)':<52}{number(naive, 0) + ' ms':>16}",
        f"{'  nombre de changements mesurés':<52}{result['naive_filter_changes_timed']:>16}",
        f"{'Rapport naïf / application':<52}{'× ' + number(result['speedup'], 0):>16}",
        f"{'Construction unique des comptes (par version)':<52}{number(result['cube_build_ms'] / 1000) + ' s':>16}",
        f"{'Construction unique des termes (par version)':<52}{number(result['text_build_ms'] / 1000) + ' s':>16}",
        f"{'Mémoire maximale, chemin de l’application':<52}{number(result['peak_rss_mb'], 0) + ' Mo':>16}",
        f"{'Mémoire maximale, chemin naïf':<52}{number(result['naive_peak_rss_mb'], 0) + ' Mo':>16}",
        f"{'Mémoire maximale, génération et chargement':<52}{number(result['load_peak_rss_mb'], 0) + ' Mo':>16}",
        f"{'Mêmes figures sur les deux chemins':<52}{('oui' if result['figures_match'] else 'NON'):>16}",
    ]
    for key, label in (
        ("search_p50_ms", "Recherche de citations (médiane)"),
        ("search_p95_ms", "Recherche de citations (95e centile)"),
        ("search_scan_p95_ms", "Recherche par balayage pandas (95e centile)"),
    ):
        if key in result:
            lines.append(f"{label:<52}{number(result[key]) + ' ms':>16}")
    goal_time = fast <= GOAL_FILTER_CHANGE_MS
    goal_memory = result["peak_rss_mb"] < GOAL_PEAK_RSS_MB
    lines += [
        "",
        f"Objectif ≤ {number(GOAL_FILTER_CHANGE_MS, 0)} ms par changement de filtre : {'atteint' if goal_time else 'NON atteint'}",
        f"Objectif < {number(GOAL_PEAK_RSS_MB, 0)} Mo de mémoire : {'atteint' if goal_memory else 'NON atteint'}",
    ]
    if result["figure_differences"]:
        lines += ["", "Différences :", *result["figure_differences"][:20]]
    return "\n".join(lines)
