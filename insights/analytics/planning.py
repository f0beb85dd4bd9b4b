"""Planning the next cohort: the director's target mix (talks per cohort on each theme and by each
type of organisation), what the recent cohorts had against it, and the speakers who covered an
under-represented theme best (their usefulness summed from the answer counts).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from insights.analytics.cube import SurveyCube
from insights.analytics.stats import LIKERT_VALUES, is_suppressed, moments
from insights.analytics.themes import talk_theme_rows
from insights.domain import ANONYMITY_THRESHOLD, ORG_TYPES, THEME_IDS, THEME_LABELS
from insights.formatting import format_number, plural

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
    rows = talk_theme_rows(window, speakers)
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
    cube: SurveyCube,
    *,
    theme: str | None = None,
    org_type: str | None = None,
    threshold: int = ANONYMITY_THRESHOLD,
    limit: int = 3,
    min_mean: float = MIN_USEFULNESS,
) -> pd.DataFrame:
    """The speakers whose talks students found most useful, on `theme` or of `org_type`, over
    every cohort.

    A speaker's usefulness pools the answers about their talks that covered `theme` (or all their
    talks when only `org_type` is given); speakers under `threshold` answers, or whose mean
    usefulness is below `min_mean`, are left out.
    Columns: BEST_SPEAKER_COLUMNS (talks counted, last cohort met, n answers, mean usefulness and
    its 95% interval). Best mean first, then more answers, then name.
    """
    scope = cube.theme_mask(theme) if theme is not None else np.ones(len(cube.talks), dtype=bool)
    rows, counts = cube.speaker_counts("usefulness", scope)
    if counts.shape[1] != len(LIKERT_VALUES):
        counts = np.zeros((rows.size, len(LIKERT_VALUES)), dtype="int64")
    n, mean, low, high = moments(np.asarray(LIKERT_VALUES, dtype="float64"), counts)
    records = []
    for index, row in enumerate(rows):
        speaker = cube.speakers.iloc[row]
        if org_type is not None and speaker["org_type"] != org_type:
            continue
        if is_suppressed(int(n[index]), threshold) or mean[index] < min_mean:
            continue
        given = cube.speaker_talks[row] & scope
        records.append(
            {
                "speaker_id": speaker["speaker_id"],
                "name": speaker["name"],
                "organisation": speaker["organisation"],
                "org_type": speaker["org_type"],
                "talks": int(given.sum()),
                "last_cohort": max(cube.column["cohort"][given]),
                "n": int(n[index]),
                "mean": float(mean[index]),
                "low": float(low[index]),
                "high": float(high[index]),
            }
        )
    frame = pd.DataFrame(records, columns=BEST_SPEAKER_COLUMNS)
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
    cube: SurveyCube,
    cohorts: Sequence[str],
    targets: Targets,
    threshold: int = ANONYMITY_THRESHOLD,
    limit: int = 6,
    speakers_per_action: int = 3,
) -> list[PlanningAction]:
    """The under-represented themes and types of organisation over `cohorts`, largest shortfall
    relative to the target first (ties: themes before organisation types, then taxonomy order),
    at most `limit`, each with its best speakers over every cohort (see `best_speakers`)."""
    table = representation(cube.talks, cube.speakers, cohorts, targets)
    short = table[table["shortfall"] > 0].copy()
    short["relative"] = short["shortfall"] / short["target"]
    short["order"] = range(len(short))
    short = short.sort_values(["relative", "order"], ascending=[False, True]).head(limit)
    actions = []
    for row in short.itertuples(index=False):
        chosen = best_speakers(
            cube,
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


# --- display -------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class PlanningFigures:
    """The director's planning view: the recent cohorts, the actions and the representation table."""

    cohorts: list[str]
    actions: list[PlanningAction]
    representation: pd.DataFrame


def page_figures(
    cube: SurveyCube, targets: Targets, window: int, threshold: int = ANONYMITY_THRESHOLD
) -> PlanningFigures:
    """Planning over the `window` latest cohorts with talks, every talk considered (not the filters)."""
    cohorts = recent_cohorts(cube.talks, window)
    return PlanningFigures(
        cohorts=cohorts,
        actions=planning_actions(cube, cohorts, targets, threshold),
        representation=representation(cube.talks, cube.speakers, cohorts, targets),
    )
