"""The benchmark's naive baseline: what a typical Streamlit app does on every rerun. Every table and
every answer is read again from SQLite into pandas, and each figure of the Enquêtes page is
recomputed from the raw answers, with plain estimates over the values (`mean_of_values`,
`nps_of_values`). It must give the same figures as the app (`figure_differences`).
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from insights import store
from insights.analytics import survey
from insights.analytics.cube import LOW_PARTICIPATION, shorten, talk_label
from insights.analytics.free_text import COMMENT_COLUMNS, TERM_COLUMNS, TERM_TREND_COLUMNS
from insights.analytics.stats import (
    LIKERT_VALUES,
    NPS_VALUES,
    MeanEstimate,
    NpsBreakdown,
    nps_interval,
    t_critical_95,
)
from insights.analytics.survey import SelectionSummary
from insights.domain import FORMATS, PILLARS, SHORT_QUESTION_LABELS, split_list
from insights.filters import Filters, select_interventions
from insights.language.answers import answer_terms, representative_word


def _as_floats(values: Iterable[float] | np.ndarray | pd.Series) -> np.ndarray:
    """The values as a float array, NaN where missing or not a number (numeric input as is)."""
    if isinstance(values, np.ndarray | pd.Series) and values.dtype.kind in "fiu":
        return np.asarray(values, dtype="float64")
    return np.asarray(pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce"), dtype="float64")


def mean_of_values(values: Iterable[float] | np.ndarray | pd.Series) -> MeanEstimate:
    """Mean and Student 95% interval of the non-missing values.

    One answer gives a mean without interval; no answer gives NaN everywhere.
    """
    array = _as_floats(values)
    array = array[~np.isnan(array)]
    n = int(array.size)
    if n == 0:
        return MeanEstimate(0, math.nan, math.nan, math.nan)
    mean = float(array.mean())
    if n == 1:
        return MeanEstimate(1, mean, math.nan, math.nan)
    margin = t_critical_95(n - 1) * float(array.std(ddof=1)) / math.sqrt(n)
    return MeanEstimate(n, mean, mean - margin, mean + margin)


def nps_of_values(values: Iterable[float] | np.ndarray | pd.Series) -> NpsBreakdown:
    """The NPS breakdown of 0–10 answers; missing answers are ignored."""
    array = _as_floats(values)
    array = array[~np.isnan(array)]
    promoters = int((array >= 9).sum())
    detractors = int((array <= 6).sum())
    return NpsBreakdown(int(array.size), promoters, int(array.size) - promoters - detractors, detractors)


def naive_page_figures(
    conn: sqlite3.Connection, filters: Filters, director: bool = True
) -> dict[str, pd.DataFrame]:
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
    participation = store.load_publication_settings(conn).participation_threshold
    talks["low_participation"] = (talks["cohort_size"] > 0) & (
        talks["responses"] < participation * talks["cohort_size"]
    )
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
        estimate = mean_of_values(values(mine, question, LIKERT_VALUES))
        satisfaction = MeanEstimate(0, math.nan, math.nan, math.nan) if estimate.n < threshold else estimate
    nps_question = "recommend" if "recommend" in nps_ids else next(iter(nps_ids), None)
    if nps_question:
        recommend = nps_of_values(values(mine, nps_question, NPS_VALUES))
        if recommend.n < threshold:
            recommend = NpsBreakdown(0, 0, 0, 0)
    summary = SelectionSummary(
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
                **_likert_row(values(mine, q, LIKERT_VALUES), threshold),
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
            row.update(_likert_row(values(own, question, LIKERT_VALUES), threshold))
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
                            NPS_VALUES,
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
                "label": f"{speaker.name} ({shorten(speaker.organisation, 28)})"
                if speaker.organisation
                else speaker.name,
                "interventions": len(their),
                **_nps_row(values(own, nps_question, NPS_VALUES), threshold),
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
        own = _likert_row(values(target_answers, q, LIKERT_VALUES), threshold)
        everyone = _likert_row(values(answers, q, LIKERT_VALUES), threshold)
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
            row = _likert_row(values(group, q, LIKERT_VALUES), threshold)
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
            a = values(target_answers, q, LIKERT_VALUES).to_numpy()
            b = values(theirs, q, LIKERT_VALUES).to_numpy()
            ea, eb = mean_of_values(a), mean_of_values(b)
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
    comment_total = text_answers = 0
    if text_question:
        written = answers[answers["question_id"].isin(text_ids) & answers["value_text"].notna()].copy()
        written["value_text"] = written["value_text"].str.strip()
        written = written[written["value_text"] != ""]
        written["terms"] = written["value_text"].map(_terms_of)
        surfaces: dict[str, Counter[str]] = {}
        for found in written["terms"]:
            for stem, surface in found:
                surfaces.setdefault(stem, Counter())[surface] += 1
        word_of = {stem: representative_word(c) for stem, c in surfaces.items()}
        own_text = written[
            (written["question_id"] == text_question) & written["intervention_id"].isin(selected_ids)
        ]
        n = text_answers = len(own_text)
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
            terms = pd.DataFrame(columns=TERM_COLUMNS)
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
            term_trend = pd.DataFrame(trend_rows, columns=TERM_TREND_COLUMNS)
        if director:
            reviews = store.load_reviews(conn)
            keys = zip(reviews["response_id"], reviews["question_id"], strict=True)
            review_of = dict(zip(keys, reviews["status"], strict=True))
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
                    "review": [
                        review_of.get(key, "pending")
                        for key in zip(shown["response_id"], shown["question_id"], strict=True)
                    ],
                },
                columns=COMMENT_COLUMNS,
            )

    head = {
        "interventions": summary.interventions,
        "responses": summary.responses,
        "expected": summary.expected,
        "response_rate": summary.response_rate,
        "satisfaction_n": summary.satisfaction.n if summary.satisfaction else 0,
        "satisfaction": summary.satisfaction.mean if summary.satisfaction else math.nan,
        "nps_n": summary.recommend.n if summary.recommend else 0,
        "nps": summary.recommend.score if summary.recommend else math.nan,
        "text_answers": text_answers,
        "comment_total": comment_total,
    }
    return {
        "summary": pd.DataFrame([head]),
        "distribution": distribution,
        "talks": talk_frame,
        "nps_talks": nps_talks,
        "nps_speakers": nps_speakers,
        "pillars": pillar_frame,
        "comparison": comparison,
        "choice_shares": choice_frame,
        "trends": trends,
        "response_rates": rates,
        "terms": terms,
        "term_trend": term_trend,
        "comments": comments,
    }


class _Labels:
    def __init__(self, questions: pd.DataFrame) -> None:
        self.long = dict(zip(questions["question_id"], questions["label"], strict=True))

    def short(self, question_id: str) -> str:
        return SHORT_QUESTION_LABELS.get(question_id) or shorten(self.long.get(question_id, question_id), 40)


_TERMS_CACHE: dict[str, list[tuple[str, str]]] = {}


def _terms_of(text: str) -> list[tuple[str, str]]:
    # A typical app memoises an expensive pure function; this keeps the baseline honest.
    found = _TERMS_CACHE.get(text)
    if found is None:
        found = _TERMS_CACHE[text] = answer_terms(text)
    return found


def _talk_row(talk: Any) -> dict[str, Any]:
    return {
        "intervention_id": talk.intervention_id,
        "title": talk.title,
        "date": talk.date,
        "cohort": talk.cohort,
        "format": talk.format,
        "label": talk_label(talk.title, talk.date) + (LOW_PARTICIPATION if talk.low_participation else ""),
        "low_participation": bool(talk.low_participation),
    }


def _likert_row(answers: pd.Series, threshold: int) -> dict[str, Any]:
    estimate = mean_of_values(answers)
    counts = answers.value_counts()
    n = estimate.n
    hidden = n < threshold
    row: dict[str, Any] = {"n": n, "mean": estimate.mean, "low": estimate.low, "high": estimate.high}
    for value in LIKERT_VALUES:
        count = int(counts.get(float(value), 0))
        row[f"count_{value}"] = count
        row[f"share_{value}"] = count / n if n else math.nan
    row["agree"] = row["share_4"] + row["share_5"]
    if hidden:
        row = dict.fromkeys(row, math.nan)
    return {**row, "suppressed": hidden}


def _nps_row(answers: pd.Series, threshold: int) -> dict[str, Any]:
    breakdown = nps_of_values(answers)
    low, high = nps_interval(breakdown)
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
    margin = t_critical_95(max(1, int(freedom))) * math.sqrt(va + vb)
    return difference - margin, difference + margin


def _naive_sort(frame: pd.DataFrame, by: str, tie: str = "date", tie_ascending: bool = False) -> pd.DataFrame:
    return survey.sort_rows(frame.astype({"suppressed": bool}), by, tie, tie_ascending)


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
