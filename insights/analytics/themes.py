"""Themes: what each cohort covered (talks, published quotes and tagged takeaways per theme, by
cohort and by organisation type), what students valued on each theme, and one theme closely.

Survey figures are summed from the answer counts of `insights.analytics.cube`; takeaways are the
answers to "Le conseil que je retiens", tagged with themes when they were written.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from insights import store
from insights.analytics.cube import SurveyCube, SurveyTexts
from insights.analytics.model import Model
from insights.analytics.stats import LIKERT_VALUES, estimate_from_counts, is_suppressed
from insights.domain import (
    ANONYMITY_THRESHOLD,
    ORG_TYPES,
    PILLARS,
    SHORT_QUESTION_LABELS,
    TAKEAWAY_QUESTION,
    THEME_IDS,
    THEME_LABELS,
)
from insights.filters import Filters
from insights.formatting import format_number, format_percent
from insights.language.text import tokenize

MEASURES: dict[str, str] = {
    "interventions": "Interventions",
    "quotes": "Citations publiées",
    "takeaways": "Conseils retenus",
}
"""What a coverage map counts, with its French label."""


SURVEY_QUESTIONS: tuple[str, ...] = ("usefulness", *PILLARS)
"""What students valued on a theme: usefulness and the programme's four fundamentals."""

THEME_ROW_COLUMNS = ["item_id", "theme", "cohort", "org_type"]


def _containing(frame: pd.DataFrame, column: str, value: str) -> pd.DataFrame:
    """The rows whose list in `column` holds `value` (an empty frame keeps its columns)."""
    mask = np.fromiter((value in values for values in frame[column]), dtype=bool, count=len(frame))
    return frame[mask]


# --- who gave each talk -------------------------------------------------------------------------


def talk_org_types(interventions: pd.DataFrame, speakers: pd.DataFrame) -> dict[str, list[str]]:
    """The organisation types of each talk's speakers, without repeats, in taxonomy order."""
    org_type_of = dict(zip(speakers["speaker_id"], speakers["org_type"], strict=True))
    rank = {org_type: index for index, org_type in enumerate(ORG_TYPES)}
    result: dict[str, list[str]] = {}
    for talk_id, speaker_ids in zip(
        interventions["intervention_id"], interventions["speaker_ids"], strict=True
    ):
        types = {org_type_of[s] for s in speaker_ids if s in org_type_of}
        result[talk_id] = sorted(types, key=lambda t: (rank.get(t, len(rank)), t))
    return result


def speaker_names(interventions: pd.DataFrame, speakers: pd.DataFrame) -> dict[str, str]:
    """Each talk's speakers' names, joined with commas, in the talk's order."""
    name_of = dict(zip(speakers["speaker_id"], speakers["name"], strict=True))
    return {
        talk_id: ", ".join(name_of.get(s, s) for s in speaker_ids)
        for talk_id, speaker_ids in zip(
            interventions["intervention_id"], interventions["speaker_ids"], strict=True
        )
    }


# --- coverage maps ------------------------------------------------------------------------------


def talk_theme_rows(interventions: pd.DataFrame, speakers: pd.DataFrame) -> pd.DataFrame:
    """The talks and the themes they covered, one row per (talk, theme, organisation type of its
    speakers). Columns: item_id (the talk), theme, cohort, org_type (None when unknown)."""
    org_types = talk_org_types(interventions, speakers)
    rows = [
        (talk_id, theme, cohort, org_type)
        for talk_id, cohort, themes in zip(
            interventions["intervention_id"], interventions["cohort"], interventions["themes"], strict=True
        )
        for theme in themes
        for org_type in org_types.get(talk_id) or [None]
    ]
    return pd.DataFrame(rows, columns=THEME_ROW_COLUMNS)


def coverage(
    model: Model,
    mask: np.ndarray,
    measure: str,
    org_types: Sequence[str] = ORG_TYPES,
    texts: SurveyTexts | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What a coverage map counts over the selected talks, by theme × cohort and by theme ×
    organisation type (see `coverage_matrix`): the talks and the themes they covered; the
    published quotes of the talks and their hand-given themes (organisation type: the quote's
    speaker's); or the takeaways answered about the talks and their tagged themes (counted in
    `texts`: every answer by default, `model.public_texts` for the public ones).
    """
    cube = model.cube
    cohorts = sorted(set(cube.column["cohort"][mask]))
    if measure == "interventions":
        rows = talk_theme_rows(cube.talks[mask], model.speakers)
        return coverage_matrix(rows, "cohort", cohorts), coverage_matrix(rows, "org_type", org_types)
    if measure == "quotes":
        selected = set(cube.column["intervention_id"][mask])
        quotes = model.quote_themes[model.quote_themes["intervention_id"].isin(selected)]
        quotes = quotes.assign(
            cohort=quotes["intervention_id"].map(
                dict(zip(cube.column["intervention_id"], cube.column["cohort"], strict=True))
            )
        )
        return _count_matrix(quotes, "cohort", cohorts, "quotes"), _count_matrix(
            quotes, "org_type", org_types, "quotes"
        )
    if measure == "takeaways":
        tagged = (texts or model.texts).tagged.get(TAKEAWAY_QUESTION)
        if tagged is None:
            tagged = np.zeros((len(cube.talks), len(THEME_IDS)), dtype="int64")
        talk_types = talk_org_types(cube.talks, model.speakers)
        per_talk = [
            (theme, cube.column["cohort"][t], cube.column["intervention_id"][t], int(tagged[t, k]))
            for t in np.flatnonzero(mask)
            for k, theme in enumerate(THEME_IDS)
            if tagged[t, k]
        ]
        by_cohort = pd.DataFrame(per_talk, columns=["theme", "cohort", "talk", "answers"])
        # A talk's takeaways count once for each type of organisation among its speakers.
        by_org_type = pd.DataFrame(
            [
                (theme, org_type, answers)
                for theme, _, talk, answers in per_talk
                for org_type in talk_types.get(talk, [])
            ],
            columns=["theme", "org_type", "answers"],
        )
        return (
            _count_matrix(by_cohort, "cohort", cohorts, "answers"),
            _count_matrix(by_org_type, "org_type", org_types, "answers"),
        )
    raise ValueError(f"unknown measure {measure!r} (expected one of {', '.join(MEASURES)})")


def _count_matrix(counts: pd.DataFrame, by: str, columns: Sequence[str], value: str) -> pd.DataFrame:
    """Sums of `value` per theme (rows, taxonomy order) and `by` value (`columns`), 0 elsewhere."""
    sums = counts.dropna(subset=[by]).groupby(["theme", by])[value].sum()
    matrix = sums.unstack(by) if not sums.empty else pd.DataFrame()
    matrix = matrix.reindex(index=list(THEME_IDS), columns=list(columns)).fillna(0).astype("int64")
    matrix.index.name = "theme"
    matrix.columns.name = by
    return matrix


def coverage_matrix(rows: pd.DataFrame, by: str, columns: Sequence[str]) -> pd.DataFrame:
    """Distinct items per theme (rows, taxonomy order) and `by` value (`columns`, in the given
    order): every theme and column present, 0 where nothing was counted.

    `rows` as from `theme_rows`; `by` is "cohort" or "org_type". An item counts once per cell.
    """
    if by not in ("cohort", "org_type"):
        raise ValueError(f"unknown axis {by!r}")
    distinct = rows.dropna(subset=[by]).drop_duplicates(["item_id", "theme", by])
    counts = distinct.groupby(["theme", by]).size()
    matrix = counts.unstack(by) if not counts.empty else pd.DataFrame()
    matrix = matrix.reindex(index=list(THEME_IDS), columns=list(columns)).fillna(0).astype("int64")
    matrix.index.name = "theme"
    matrix.columns.name = by
    return matrix


def missed_themes(matrix: pd.DataFrame) -> list[str]:
    """The themes (rows of a coverage matrix) with nothing counted in any column."""
    return [theme for theme in matrix.index if not (matrix.loc[theme].fillna(0) > 0).any()]


def suppress_small_counts(matrix: pd.DataFrame, threshold: int = ANONYMITY_THRESHOLD) -> pd.DataFrame:
    """Counts of answers as floats, with the cells from 1 to `threshold` − 1 set to NaN (not shown)."""
    return matrix.astype("float64").mask((matrix > 0) & (matrix < threshold))


# --- what students valued -------------------------------------------------------------------------

SURVEY_COLUMNS = ["theme", "question_id", "n", "mean", "low", "high"]


def _estimate(cube: SurveyCube, question_id: str, mask: np.ndarray):
    counts = (
        cube.counts[question_id][mask].sum(axis=0)
        if question_id in cube.counts
        else np.zeros(5, dtype="int64")
    )
    return estimate_from_counts(LIKERT_VALUES, counts)


def survey_by_theme(
    cube: SurveyCube,
    mask: np.ndarray,
    themes: Iterable[str] = THEME_IDS,
    threshold: int = ANONYMITY_THRESHOLD,
) -> pd.DataFrame:
    """Usefulness and the four fundamentals over the answers about the selected talks of each theme.

    Columns: SURVEY_COLUMNS, one row per theme and question of SURVEY_QUESTIONS, in that order;
    `n` is always given, `mean`, `low` and `high` are NaN where fewer than `threshold` answers
    back them (or one answer gives no interval).
    """
    rows = []
    for theme in themes:
        scope = mask & cube.theme_mask(theme)
        for question in SURVEY_QUESTIONS:
            estimate = _estimate(cube, question, scope)
            hidden = is_suppressed(estimate.n, threshold)
            rows.append(
                {
                    "theme": theme,
                    "question_id": question,
                    "n": estimate.n,
                    "mean": math.nan if hidden else estimate.mean,
                    "low": math.nan if hidden else estimate.low,
                    "high": math.nan if hidden else estimate.high,
                }
            )
    return pd.DataFrame(rows, columns=SURVEY_COLUMNS).astype({"n": "int64"})


RETENTION_COLUMNS = ["theme", "answers", "on_theme", "share"]


def _takeaway_counts(cube: SurveyCube, texts: SurveyTexts) -> tuple[np.ndarray, np.ndarray]:
    """Takeaways answered per talk, and those tagged with each theme (talks × THEME_IDS)."""
    q = texts.question_index(TAKEAWAY_QUESTION)
    answered = texts.answered[q] if q is not None else np.zeros(len(cube.talks), dtype="int64")
    tagged = texts.tagged.get(TAKEAWAY_QUESTION, np.zeros((len(cube.talks), len(THEME_IDS)), dtype="int64"))
    return answered, tagged


def takeaway_retention(
    cube: SurveyCube,
    texts: SurveyTexts,
    mask: np.ndarray,
    themes: Iterable[str] = THEME_IDS,
    threshold: int = ANONYMITY_THRESHOLD,
) -> pd.DataFrame:
    """How often the advice students retained from a theme's talks is about that theme.

    Columns: theme, answers (takeaways answered about the selected talks that covered the theme),
    on_theme (those the tagger tags with the theme), share (on_theme / answers; NaN under
    `threshold` answers).
    """
    answered, tagged = _takeaway_counts(cube, texts)
    rows = []
    for theme in themes:
        scope = mask & cube.theme_mask(theme)
        count = int(answered[scope].sum())
        on_theme = int(tagged[scope, THEME_IDS.index(theme)].sum())
        rows.append(
            {
                "theme": theme,
                "answers": count,
                "on_theme": on_theme,
                "share": math.nan if is_suppressed(count, threshold) else on_theme / count,
            }
        )
    return pd.DataFrame(rows, columns=RETENTION_COLUMNS).astype({"answers": "int64", "on_theme": "int64"})


# --- one theme ------------------------------------------------------------------------------------

THEME_TALK_COLUMNS = [
    "intervention_id",
    "date",
    "cohort",
    "title",
    "speakers",
    "format",
    "responses",
    "usefulness_n",
    "usefulness",
    "results_shown",
]


def theme_talks(
    cube: SurveyCube,
    mask: np.ndarray,
    theme: str,
    threshold: int = ANONYMITY_THRESHOLD,
    rated: np.ndarray | None = None,
) -> pd.DataFrame:
    """The selected talks that covered `theme`, latest first, with their usefulness.

    Columns: THEME_TALK_COLUMNS; `responses` counts the talk's responses, `usefulness` is the
    mean usefulness (1–5) over `usefulness_n` answers, NaN under `threshold` answers. A talk
    outside `rated` (every talk is when not given) shows no figure (`results_shown` False).
    """
    positions = np.flatnonzero(mask & cube.theme_mask(theme))
    names = speaker_names(cube.talks.iloc[positions], cube.speakers)
    rows = []
    for position in positions:
        talk_id = cube.column["intervention_id"][position]
        shown = rated is None or bool(rated[position])
        estimate = _estimate(cube, "usefulness", cube.mask([talk_id] if shown else []))
        rows.append(
            {
                "intervention_id": talk_id,
                "date": cube.column["date"][position],
                "cohort": cube.column["cohort"][position],
                "title": cube.column["title"][position],
                "speakers": names[talk_id],
                "format": cube.column["format"][position],
                "responses": int(cube.responses[position]) if shown else pd.NA,
                "usefulness_n": estimate.n if shown else pd.NA,
                "usefulness": math.nan if is_suppressed(estimate.n, threshold) else estimate.mean,
                "results_shown": shown,
            }
        )
    frame = pd.DataFrame(rows, columns=THEME_TALK_COLUMNS)
    return frame.sort_values(["date", "intervention_id"], ascending=[False, True], ignore_index=True)


def theme_speaker_count(cube: SurveyCube, mask: np.ndarray, theme: str) -> int:
    """How many distinct speakers gave the selected talks that covered `theme`."""
    return int(cube.speaker_talks[:, mask & cube.theme_mask(theme)].any(axis=1).sum())


@dataclass(frozen=True)
class TakeawaySummary:
    """What students retained on a theme: `tagged` of the `answers` about the selected talks are
    tagged with it; `examples` are a few of them, only when `tagged` reaches the threshold."""

    answers: int
    tagged: int
    examples: tuple[str, ...]
    threshold: int

    @property
    def shown(self) -> bool:
        return not is_suppressed(self.tagged, self.threshold)


def theme_takeaways(
    conn: sqlite3.Connection,
    cube: SurveyCube,
    texts: SurveyTexts,
    mask: np.ndarray,
    theme: str,
    threshold: int = ANONYMITY_THRESHOLD,
    examples: int = 5,
    public_only: bool = False,
) -> TakeawaySummary:
    """The takeaways about the selected talks that the tagger tagged with `theme`.

    Examples differ by more than case, accents and punctuation: first those whose best theme is
    `theme`, shortest first; none when fewer than `threshold` takeaways are tagged.
    """
    answered, tagged = _takeaway_counts(cube, texts)
    count = int(tagged[mask, THEME_IDS.index(theme)].sum())
    chosen: list[str] = []
    if not is_suppressed(count, threshold):
        talk_ids = [str(t) for t in cube.column["intervention_id"][mask]]
        # One example per answer whatever its spelling: the accented one, else the first.
        spellings: dict[str, str] = {}
        best: dict[str, bool] = {}
        for text, is_best in store.theme_examples(
            conn, talk_ids, TAKEAWAY_QUESTION, theme, public_only=public_only
        ):
            key = " ".join(tokenize(text))
            known = spellings.get(key)
            if known is None or (known.isascii() and not text.isascii()):
                spellings[key] = text
                best[text] = is_best
        ranked = sorted(spellings.values(), key=lambda text: (not best[text], len(text), text))
        chosen = ranked[:examples]
    return TakeawaySummary(int(answered[mask].sum()), count, tuple(chosen), threshold)


# --- display --------------------------------------------------------------------------------------


def format_estimate(mean: float, low: float, high: float, threshold: int) -> str:
    """`4,13 ± 0,06` (mean and half-width of the 95% interval), or the anonymity notice."""
    if math.isnan(mean):
        return f"moins de {threshold} réponses"
    if math.isnan(low) or math.isnan(high):
        return format_number(mean, 2)
    return f"{format_number(mean, 2)} ± {format_number((high - low) / 2, 2)}"


def survey_table(
    survey: pd.DataFrame, retention: pd.DataFrame, threshold: int = ANONYMITY_THRESHOLD
) -> pd.DataFrame:
    """One row per theme for display: French labels, answers, each survey question as
    "mean ± margin", and the share of takeaways on the theme.

    `survey` as from `survey_by_theme`, `retention` as from `takeaway_retention`. Columns:
    Thème, Réponses, the short labels of SURVEY_QUESTIONS, Conseils sur le thème.
    """
    shares = retention.set_index("theme")
    rows = []
    for theme, frame in survey.groupby("theme", sort=False):
        by_question = frame.set_index("question_id")
        row: dict[str, object] = {
            "Thème": THEME_LABELS.get(theme, theme),
            "Réponses": int(by_question.at["usefulness", "n"]),
        }
        for question in SURVEY_QUESTIONS:
            mean, low, high = (float(by_question.at[question, c]) for c in ("mean", "low", "high"))
            row[SHORT_QUESTION_LABELS[question]] = format_estimate(mean, low, high, threshold)
        if theme in shares.index:
            share = float(shares.at[theme, "share"])
            on_theme, answers = int(shares.at[theme, "on_theme"]), int(shares.at[theme, "answers"])
            row["Conseils sur le thème"] = (
                f"moins de {threshold} réponses"
                if math.isnan(share)
                else f"{format_percent(share)} ({on_theme} sur {answers})"
            )
        rows.append(row)
    return pd.DataFrame(rows)


def format_mean_n(mean: float, n: int, threshold: int) -> str:
    """`4,33 (n = 30)`, or the anonymity notice when the mean is hidden."""
    if math.isnan(mean):
        return f"moins de {threshold} réponses"
    return f"{format_number(mean, 2)} (n = {n})"


# --- the page -------------------------------------------------------------------------------------

THEME_QUOTES_SHOWN = 200
"""The latest quotes of a theme the page lists (it says how many there are in all)."""


def theme_quote_count(model: Model, mask: np.ndarray, theme: str) -> int:
    """How many published quotes of the selected talks are tagged with `theme`."""
    selected = set(model.cube.column["intervention_id"][mask])
    counts = model.quote_themes
    return int(
        counts.loc[(counts["theme"] == theme) & counts["intervention_id"].isin(selected), "quotes"].sum()
    )


@dataclass(frozen=True)
class ThemesFigures:
    """Everything the Thèmes page shows for one selection, measure and theme (the director's
    planning aside: `insights.analytics.planning`)."""

    interventions: int
    unpublished: int
    measure: str
    by_cohort: pd.DataFrame
    by_org_type: pd.DataFrame
    missed: list[str]
    survey: pd.DataFrame
    retention: pd.DataFrame
    theme: str
    talks: pd.DataFrame
    quotes: pd.DataFrame
    quote_count: int
    takeaways: TakeawaySummary
    speaker_count: int
    theme_survey: pd.DataFrame


def page_figures(
    conn: sqlite3.Connection,
    model: Model,
    filters: Filters,
    measure: str = "interventions",
    theme: str | None = None,
    director: bool = False,
) -> ThemesFigures:
    """The Thèmes page for the sidebar's `filters`, the coverage `measure` and one `theme` (the
    first theme of the filters, else the first of the taxonomy, when not given), as its audience
    may see it: for anyone but the director, the survey's figures and the takeaways of the talks
    whose results are published, and the takeaways reviewed public only."""
    threshold = model.anonymity_threshold
    cube = model.cube
    texts = model.texts_for(director)
    selected = model.mask(filters)
    visible = model.results_mask(director)
    mask = selected & visible
    measure = measure if measure in MEASURES else "interventions"
    theme = theme if theme in THEME_IDS else (filters.themes[0] if filters.themes else THEME_IDS[0])
    counted = mask if measure == "takeaways" else selected
    by_cohort, by_org_type = coverage(model, counted, measure, list(filters.org_types) or ORG_TYPES, texts)
    if measure == "takeaways":
        by_cohort = suppress_small_counts(by_cohort, threshold)
        by_org_type = suppress_small_counts(by_org_type, threshold)
    talk_ids = [str(t) for t in cube.column["intervention_id"][selected]]
    return ThemesFigures(
        interventions=int(selected.sum()),
        unpublished=int((selected & ~visible).sum()),
        measure=measure,
        by_cohort=by_cohort,
        by_org_type=by_org_type,
        missed=missed_themes(by_cohort) if measure == "interventions" else [],
        survey=survey_by_theme(cube, mask, threshold=threshold),
        retention=takeaway_retention(cube, texts, mask, threshold=threshold),
        theme=theme,
        talks=theme_talks(cube, selected, theme, threshold, rated=visible),
        quotes=store.theme_quotes(conn, talk_ids, theme, THEME_QUOTES_SHOWN),
        quote_count=theme_quote_count(model, selected, theme),
        takeaways=theme_takeaways(conn, cube, texts, mask, theme, threshold, public_only=not director),
        speaker_count=theme_speaker_count(cube, selected, theme),
        theme_survey=survey_by_theme(cube, mask, [theme], threshold),
    )
