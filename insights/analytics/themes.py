"""Themes: what each cohort covered (talks, quotes and tagged takeaways per theme, by cohort and
by organisation type), what students valued on each theme, and what to plan for the next cohort
against the director's target mix.

Inputs are the frames of `store` loaders (`load_interventions`, `load_speakers`, `load_quotes`),
the wide scores of `metrics.scores_by_response`, and the takeaways of `tagged_takeaways`.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from insights import store
from insights.analytics.stats import is_suppressed, mean_estimate
from insights.domain import (
    ANONYMITY_THRESHOLD,
    ORG_TYPES,
    PILLARS,
    PUBLISHED,
    SHORT_QUESTION_LABELS,
    THEME_IDS,
    THEME_LABELS,
)
from insights.formatting import format_number, format_percent, plural
from insights.language.tagger import suggest_themes
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


# --- the takeaways, tagged ----------------------------------------------------------------------

TAKEAWAY_COLUMNS = ["response_id", "intervention_id", "text", "themes"]


def tag_takeaways(answers: pd.DataFrame) -> pd.DataFrame:
    """The `takeaway` answers with the themes the tagger suggests for each.

    `answers` as from `store.load_answers(conn, ["takeaway"])`. Columns: TAKEAWAY_COLUMNS
    (`themes` a list of theme ids, possibly empty). Blank answers are left out; the respondent
    key is never carried.
    """
    texts = answers[answers["question_id"] == "takeaway"]
    rows = []
    for response_id, talk_id, text in zip(
        texts["response_id"], texts["intervention_id"], texts["value_text"], strict=True
    ):
        if not isinstance(text, str) or not text.strip():
            continue
        rows.append((response_id, talk_id, text.strip(), suggest_themes(text)))
    return pd.DataFrame(rows, columns=TAKEAWAY_COLUMNS)


def tagged_takeaways(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every takeaway of the database, tagged (see `tag_takeaways`)."""
    return tag_takeaways(store.load_answers(conn, ["takeaway"]))


# --- coverage maps ------------------------------------------------------------------------------


def _talk_theme_rows(interventions: pd.DataFrame, org_types: Mapping[str, list[str]]) -> list[tuple]:
    return [
        (talk_id, theme, cohort, org_type)
        for talk_id, cohort, themes in zip(
            interventions["intervention_id"], interventions["cohort"], interventions["themes"], strict=True
        )
        for theme in themes
        for org_type in org_types.get(talk_id) or [None]
    ]


def theme_rows(
    measure: str,
    interventions: pd.DataFrame,
    speakers: pd.DataFrame,
    quotes: pd.DataFrame | None = None,
    takeaways: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """What a coverage map counts, one row per (item, theme, organisation type).

    `measure` is a key of MEASURES: the selected talks and the themes they covered; the published
    quotes of the selected talks and their hand-given themes (organisation type: the quote's
    speaker's); or the takeaways answered about the selected talks and their tagged themes.
    Columns: item_id, theme, cohort, org_type (None when unknown).
    """
    org_types = talk_org_types(interventions, speakers)
    if measure == "interventions":
        rows = _talk_theme_rows(interventions, org_types)
    elif measure == "quotes":
        if quotes is None:
            raise ValueError("the quotes measure needs the quotes")
        cohort_of = dict(zip(interventions["intervention_id"], interventions["cohort"], strict=True))
        org_type_of = dict(zip(speakers["speaker_id"], speakers["org_type"], strict=True))
        published = quotes[(quotes["status"] == PUBLISHED) & quotes["intervention_id"].isin(cohort_of)]
        rows = [
            (quote_id, theme, cohort_of[talk_id], org_type_of.get(speaker_id))
            for quote_id, talk_id, speaker_id, themes in zip(
                published["quote_id"],
                published["intervention_id"],
                published["speaker_id"],
                published["themes"],
                strict=True,
            )
            for theme in themes
        ]
    elif measure == "takeaways":
        if takeaways is None:
            raise ValueError("the takeaways measure needs the tagged takeaways")
        cohort_of = dict(zip(interventions["intervention_id"], interventions["cohort"], strict=True))
        selected = takeaways[takeaways["intervention_id"].isin(cohort_of)]
        rows = [
            (response_id, theme, cohort_of[talk_id], org_type)
            for response_id, talk_id, themes in zip(
                selected["response_id"], selected["intervention_id"], selected["themes"], strict=True
            )
            for theme in themes
            for org_type in org_types.get(talk_id) or [None]
        ]
    else:
        raise ValueError(f"unknown measure {measure!r} (expected one of {', '.join(MEASURES)})")
    return pd.DataFrame(rows, columns=THEME_ROW_COLUMNS)


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


def _theme_talk_ids(interventions: pd.DataFrame, theme: str) -> set[str]:
    return {
        talk_id
        for talk_id, themes in zip(interventions["intervention_id"], interventions["themes"], strict=True)
        if theme in themes
    }


def survey_by_theme(
    interventions: pd.DataFrame,
    scores: pd.DataFrame,
    themes: Iterable[str] = THEME_IDS,
    threshold: int = ANONYMITY_THRESHOLD,
) -> pd.DataFrame:
    """Usefulness and the four fundamentals over the answers about the talks of each theme.

    Columns: SURVEY_COLUMNS, one row per theme and question of SURVEY_QUESTIONS, in that order;
    `n` is always given, `mean`, `low` and `high` are NaN where fewer than `threshold` answers
    back them (or one answer gives no interval).
    """
    rows = []
    for theme in themes:
        answers = scores[scores["intervention_id"].isin(_theme_talk_ids(interventions, theme))]
        for question in SURVEY_QUESTIONS:
            estimate = mean_estimate(answers[question]) if question in answers else mean_estimate([])
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


def takeaway_retention(
    interventions: pd.DataFrame,
    takeaways: pd.DataFrame,
    themes: Iterable[str] = THEME_IDS,
    threshold: int = ANONYMITY_THRESHOLD,
) -> pd.DataFrame:
    """How often the advice students retained from a theme's talks is about that theme.

    Columns: theme, answers (takeaways answered about the selected talks that covered the theme),
    on_theme (those the tagger tags with the theme), share (on_theme / answers; NaN under
    `threshold` answers).
    """
    rows = []
    for theme in themes:
        answered = takeaways[takeaways["intervention_id"].isin(_theme_talk_ids(interventions, theme))]
        on_theme = len(_containing(answered, "themes", theme))
        count = len(answered)
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
]


def theme_talks(
    interventions: pd.DataFrame,
    speakers: pd.DataFrame,
    scores: pd.DataFrame,
    theme: str,
    threshold: int = ANONYMITY_THRESHOLD,
) -> pd.DataFrame:
    """The selected talks that covered `theme`, latest first, with their usefulness.

    Columns: THEME_TALK_COLUMNS; `responses` counts the answers with a score, `usefulness` is the
    mean usefulness (1–5) over `usefulness_n` answers, NaN under `threshold` answers.
    """
    talks = _containing(interventions, "themes", theme)
    names = speaker_names(talks, speakers)
    by_talk = {key: frame for key, frame in scores.groupby("intervention_id")}
    rows = []
    for talk in talks.itertuples(index=False):
        answers = by_talk.get(talk.intervention_id)
        estimate = mean_estimate(answers["usefulness"]) if answers is not None else mean_estimate([])
        rows.append(
            {
                "intervention_id": talk.intervention_id,
                "date": talk.date,
                "cohort": talk.cohort,
                "title": talk.title,
                "speakers": names[talk.intervention_id],
                "format": talk.format,
                "responses": 0 if answers is None else len(answers),
                "usefulness_n": estimate.n,
                "usefulness": math.nan if is_suppressed(estimate.n, threshold) else estimate.mean,
            }
        )
    frame = pd.DataFrame(rows, columns=THEME_TALK_COLUMNS)
    return frame.sort_values(["date", "intervention_id"], ascending=[False, True], ignore_index=True)


def theme_speaker_count(interventions: pd.DataFrame, theme: str) -> int:
    """How many distinct speakers gave the selected talks that covered `theme`."""
    talk_ids = _theme_talk_ids(interventions, theme)
    return len(
        {
            speaker
            for talk_id, speaker_ids in zip(
                interventions["intervention_id"], interventions["speaker_ids"], strict=True
            )
            if talk_id in talk_ids
            for speaker in speaker_ids
        }
    )


THEME_QUOTE_COLUMNS = ["quote_id", "text", "name", "title", "organisation", "date", "cohort"]


def theme_quotes(
    quotes: pd.DataFrame, interventions: pd.DataFrame, speakers: pd.DataFrame, theme: str
) -> pd.DataFrame:
    """The published quotes tagged with `theme` from the selected talks, latest talk first.

    Columns: THEME_QUOTE_COLUMNS (name, title and organisation are the speaker's).
    """
    published = _containing(quotes[quotes["status"] == PUBLISHED], "themes", theme)
    joined = published.merge(
        interventions[["intervention_id", "date", "cohort"]], on="intervention_id"
    ).merge(speakers[["speaker_id", "name", "title", "organisation"]], on="speaker_id")
    joined = joined.sort_values(["date", "quote_id"], ascending=[False, True], ignore_index=True)
    return joined[THEME_QUOTE_COLUMNS]


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
    takeaways: pd.DataFrame,
    interventions: pd.DataFrame,
    theme: str,
    threshold: int = ANONYMITY_THRESHOLD,
    examples: int = 5,
) -> TakeawaySummary:
    """The takeaways about the selected talks that the tagger tags with `theme`.

    Examples differ by more than case, accents and punctuation: first those whose best theme is
    `theme`, shortest first; none when fewer than `threshold` takeaways are tagged.
    """
    selected = takeaways[takeaways["intervention_id"].isin(set(interventions["intervention_id"]))]
    tagged = _containing(selected, "themes", theme)
    chosen: list[str] = []
    if not is_suppressed(len(tagged), threshold):
        # One example per answer whatever its spelling: the accented one, else the first.
        spellings: dict[str, str] = {}
        best_theme: dict[str, str] = {}
        for text, tags in zip(tagged["text"], tagged["themes"], strict=True):
            key = " ".join(tokenize(text))
            known = spellings.get(key)
            if known is None or (known.isascii() and not text.isascii()):
                spellings[key] = text
                best_theme[text] = tags[0]
        ranked = sorted(spellings.values(), key=lambda text: (best_theme[text] != theme, len(text), text))
        chosen = ranked[:examples]
    return TakeawaySummary(len(selected), len(tagged), tuple(chosen), threshold)


# --- planning the next cohort ---------------------------------------------------------------------

DEFAULT_THEME_TARGETS: dict[str, int] = {
    "crise": 4,
    "transparence": 3,
    "conversation": 4,
    "engagement": 3,
    "enthousiasme": 3,
    "structure": 3,
    "strategie": 3,
    "veille": 2,
    "parcours": 3,
    "outils": 2,
}
"""Talks per cohort on each theme when the director has set nothing: crisis handling and the
conversation in most talks, each other fundamental at least three times, tools and watch twice."""

DEFAULT_ORG_TYPE_TARGETS: dict[str, int] = {
    "université / établissement public": 1,
    "grand groupe": 2,
    "agence": 2,
    "start-up": 1,
    "collectivité": 1,
    "association": 1,
    "indépendant": 1,
    "éditeur d'outil": 1,
}
"""Talks per cohort by each type of organisation when the director has set nothing: every type
met each year, agencies and large groups (where most graduates start) twice."""

THEME_KIND = "theme"
ORG_TYPE_KIND = "org_type"


@dataclass(frozen=True)
class Targets:
    """The target mix: talks per cohort on each theme and by each type of organisation."""

    themes: Mapping[str, int]
    org_types: Mapping[str, int]

    def rows(self) -> list[tuple[str, str, int]]:
        """As `store.write_planning_targets` takes them."""
        return [(THEME_KIND, key, value) for key, value in self.themes.items()] + [
            (ORG_TYPE_KIND, key, value) for key, value in self.org_types.items()
        ]


DEFAULT_TARGETS = Targets(DEFAULT_THEME_TARGETS, DEFAULT_ORG_TYPE_TARGETS)


def targets_from_store(stored: pd.DataFrame) -> Targets:
    """The stored targets (`store.load_planning_targets`) over the defaults; unknown keys ignored."""
    themes = dict(DEFAULT_THEME_TARGETS)
    org_types = dict(DEFAULT_ORG_TYPE_TARGETS)
    for kind, key, value in zip(stored["kind"], stored["key"], stored["talks_per_cohort"], strict=True):
        table = themes if kind == THEME_KIND else org_types if kind == ORG_TYPE_KIND else None
        if table is not None and key in table:
            table[key] = int(value)
    return Targets(themes, org_types)


def recent_cohorts(interventions: pd.DataFrame, window: int) -> list[str]:
    """The `window` latest cohorts that had at least one talk, oldest first."""
    cohorts = sorted(set(interventions["cohort"]))
    return cohorts[-window:] if window > 0 else []


REPRESENTATION_COLUMNS = ["kind", "key", "label", "talks", "per_cohort", "latest", "target", "shortfall"]


def representation(
    interventions: pd.DataFrame, speakers: pd.DataFrame, cohorts: Sequence[str], targets: Targets
) -> pd.DataFrame:
    """Talks per cohort on each theme and by each type of organisation over `cohorts`, against
    the targets.

    Columns: REPRESENTATION_COLUMNS: kind ("theme" or "org_type"), key, label (French), talks
    (over the cohorts), per_cohort (talks / number of cohorts), latest (talks in the last of
    `cohorts`), target, shortfall (target − per_cohort when positive, else 0). Themes first, in
    taxonomy order, then organisation types.
    """
    window = interventions[interventions["cohort"].isin(cohorts)]
    rows = theme_rows("interventions", window, speakers)
    latest_cohort = cohorts[-1] if cohorts else None
    count = max(len(cohorts), 1)

    def _row(kind: str, key: str, label: str, items: pd.DataFrame, target: int) -> dict[str, object]:
        talks = items["item_id"].nunique()
        per_cohort = talks / count
        return {
            "kind": kind,
            "key": key,
            "label": label,
            "talks": talks,
            "per_cohort": per_cohort,
            "latest": items.loc[items["cohort"] == latest_cohort, "item_id"].nunique(),
            "target": target,
            "shortfall": max(target - per_cohort, 0.0),
        }

    result = [
        _row(THEME_KIND, theme, THEME_LABELS[theme], rows[rows["theme"] == theme], targets.themes[theme])
        for theme in THEME_IDS
    ] + [
        _row(
            ORG_TYPE_KIND,
            org_type,
            org_type[:1].upper() + org_type[1:],
            rows[rows["org_type"] == org_type],
            targets.org_types[org_type],
        )
        for org_type in ORG_TYPES
    ]
    return pd.DataFrame(result, columns=REPRESENTATION_COLUMNS)


MIN_USEFULNESS = 3.5
"""The mean usefulness (1–5) a speaker needs to be suggested again: halfway between "neither
agree nor disagree" and "rather agree"."""

BEST_SPEAKER_COLUMNS = [
    "speaker_id",
    "name",
    "organisation",
    "org_type",
    "talks",
    "last_cohort",
    "n",
    "mean",
    "low",
    "high",
]


def best_speakers(
    interventions: pd.DataFrame,
    speakers: pd.DataFrame,
    scores: pd.DataFrame,
    *,
    theme: str | None = None,
    org_type: str | None = None,
    threshold: int = ANONYMITY_THRESHOLD,
    limit: int = 3,
    min_mean: float = MIN_USEFULNESS,
) -> pd.DataFrame:
    """The speakers whose talks students found most useful, on `theme` or of `org_type`.

    A speaker's usefulness pools the answers about their talks that covered `theme` (or all their
    talks when only `org_type` is given); speakers under `threshold` answers, or whose mean
    usefulness is below `min_mean`, are left out.
    Columns: BEST_SPEAKER_COLUMNS (talks counted, last cohort met, n answers, mean usefulness and
    its 95% interval). Best mean first, then more answers, then name.
    """
    talks = interventions
    if theme is not None:
        talks = _containing(talks, "themes", theme)
    candidates = speakers if org_type is None else speakers[speakers["org_type"] == org_type]
    by_talk = {key: frame["usefulness"] for key, frame in scores.groupby("intervention_id")}
    rows = []
    for speaker in candidates.itertuples(index=False):
        given = _containing(talks, "speaker_ids", speaker.speaker_id)
        if given.empty:
            continue
        values = [by_talk[t] for t in given["intervention_id"] if t in by_talk]
        estimate = mean_estimate(pd.concat(values) if values else [])
        if is_suppressed(estimate.n, threshold) or estimate.mean < min_mean:
            continue
        rows.append(
            {
                "speaker_id": speaker.speaker_id,
                "name": speaker.name,
                "organisation": speaker.organisation,
                "org_type": speaker.org_type,
                "talks": len(given),
                "last_cohort": max(given["cohort"]),
                "n": estimate.n,
                "mean": estimate.mean,
                "low": estimate.low,
                "high": estimate.high,
            }
        )
    frame = pd.DataFrame(rows, columns=BEST_SPEAKER_COLUMNS)
    frame = frame.sort_values(["mean", "n", "name"], ascending=[False, False, True], ignore_index=True)
    return frame.head(limit)


@dataclass(frozen=True)
class PlanningAction:
    """A theme or type of organisation the recent cohorts met less than the target, and the
    speakers who covered it best."""

    kind: str
    key: str
    label: str
    per_cohort: float
    latest: int
    target: int
    shortfall: float
    speakers: pd.DataFrame


def planning_actions(
    interventions: pd.DataFrame,
    speakers: pd.DataFrame,
    scores: pd.DataFrame,
    cohorts: Sequence[str],
    targets: Targets,
    threshold: int = ANONYMITY_THRESHOLD,
    limit: int = 6,
    speakers_per_action: int = 3,
) -> list[PlanningAction]:
    """The under-represented themes and types of organisation over `cohorts`, largest shortfall
    relative to the target first (ties: themes before organisation types, then taxonomy order),
    at most `limit`, each with its best speakers over every cohort (see `best_speakers`)."""
    table = representation(interventions, speakers, cohorts, targets)
    short = table[table["shortfall"] > 0].copy()
    short["relative"] = short["shortfall"] / short["target"]
    short["order"] = range(len(short))
    short = short.sort_values(["relative", "order"], ascending=[False, True]).head(limit)
    actions = []
    for row in short.itertuples(index=False):
        chosen = best_speakers(
            interventions,
            speakers,
            scores,
            theme=row.key if row.kind == THEME_KIND else None,
            org_type=row.key if row.kind == ORG_TYPE_KIND else None,
            threshold=threshold,
            limit=speakers_per_action,
        )
        actions.append(
            PlanningAction(
                row.kind, row.key, row.label, row.per_cohort, row.latest, row.target, row.shortfall, chosen
            )
        )
    return actions


# --- display tables -------------------------------------------------------------------------------


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


def cohort_span(cohorts: Sequence[str]) -> str:
    """`2013-2014 à 2015-2016`, or the single cohort."""
    if not cohorts:
        return ""
    return cohorts[0] if len(cohorts) == 1 else f"{cohorts[0]} à {cohorts[-1]}"


def action_summary(action: PlanningAction, cohorts: Sequence[str]) -> str:
    """What the recent cohorts had against the target, and what to plan, in French plain text."""
    subject = "sur ce thème" if action.kind == THEME_KIND else f"de type « {action.key} »"
    recent = (
        f"{format_number(action.per_cohort, 1)} par promotion en moyenne ({cohort_span(cohorts)}), "
        f"{format_number(action.latest, 0)} dans la dernière ; objectif : {action.target} par promotion."
    )
    return f"{recent} Prévoir au moins {plural(action.target, 'intervention')} {subject} pour la prochaine promotion."


def speaker_line(speaker: Mapping[str, object] | pd.Series) -> str:
    """`Name (Organisation) : utilité 4,38 /5 ± 0,19, n = 56, dernière venue en 2014-2015`."""
    margin = (float(speaker["high"]) - float(speaker["low"])) / 2
    organisation = f" ({speaker['organisation']})" if speaker["organisation"] else ""
    return (
        f"{speaker['name']}{organisation} : utilité {format_number(float(speaker['mean']), 2)} /5 "
        f"± {format_number(margin, 2)}, n = {int(speaker['n'])}, dernière venue en {speaker['last_cohort']}"
    )


def format_mean_n(mean: float, n: int, threshold: int) -> str:
    """`4,33 (n = 30)`, or the anonymity notice when the mean is hidden."""
    if math.isnan(mean):
        return f"moins de {threshold} réponses"
    return f"{format_number(mean, 2)} (n = {n})"
