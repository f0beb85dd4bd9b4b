"""The one filter model of the app: what the sidebar selects (cohorts, semesters, organisation
types, themes), down to the quote wall's own speakers and search text; how the filters select
talks, and how they travel in a URL."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from insights.domain import ORG_TYPES, SEMESTERS, THEME_IDS

# Query parameter name of each filter field.
QUERY_KEYS: dict[str, str] = {
    "cohorts": "promotion",
    "semesters": "semestre",
    "org_types": "organisation",
    "themes": "theme",
}


@dataclass(frozen=True)
class Filters:
    """What a page selects. An empty tuple means "no restriction".

    The sidebar sets the first four, shared by every page; the quote wall adds its speakers and
    its search text (`query`), which the quote search reads with the others.
    """

    cohorts: tuple[str, ...] = ()
    semesters: tuple[str, ...] = ()
    org_types: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    speaker_ids: tuple[str, ...] = ()
    query: str = ""

    def to_query_params(self) -> dict[str, list[str]]:
        """The non-empty sidebar filters as query parameters (lists of values)."""
        return {QUERY_KEYS[name]: list(values) for name, values in self._fields() if values}

    @classmethod
    def from_query_params(
        cls, params: Mapping[str, Iterable[str] | str], known_cohorts: Iterable[str]
    ) -> Filters:
        """Read filters from query parameters, dropping values that are not known options."""
        allowed = {
            "cohorts": tuple(known_cohorts),
            "semesters": SEMESTERS,
            "org_types": ORG_TYPES,
            "themes": THEME_IDS,
        }
        values: dict[str, tuple[str, ...]] = {}
        for name, key in QUERY_KEYS.items():
            raw = params.get(key, ())
            given = [raw] if isinstance(raw, str) else list(raw)
            values[name] = tuple(option for option in allowed[name] if option in given)
        return cls(**values)

    def _fields(self) -> list[tuple[str, tuple[str, ...]]]:
        return [(name, getattr(self, name)) for name in QUERY_KEYS]


def select_interventions(
    interventions: pd.DataFrame, speakers: pd.DataFrame, filters: Filters
) -> pd.DataFrame:
    """The interventions matching the filters.

    `interventions` as from `store.load_interventions` (speaker_ids and themes are lists);
    a talk matches an organisation type when one of its speakers has it, and a theme filter
    when it covered any of the chosen themes.
    """
    mask = pd.Series(True, index=interventions.index)
    if filters.cohorts:
        mask &= interventions["cohort"].isin(filters.cohorts)
    if filters.semesters:
        mask &= interventions["semester"].isin(filters.semesters)
    if filters.org_types:
        org_type_of = dict(zip(speakers["speaker_id"], speakers["org_type"], strict=True))
        wanted = set(filters.org_types)
        mask &= interventions["speaker_ids"].map(lambda ids: any(org_type_of.get(s) in wanted for s in ids))
    if filters.themes:
        wanted_themes = set(filters.themes)
        mask &= interventions["themes"].map(lambda themes: bool(wanted_themes.intersection(themes)))
    return interventions[mask]


def previous_cohort(cohort: str, known_cohorts: Iterable[str]) -> str | None:
    """The cohort just before `cohort` among the known ones, or None."""
    earlier = sorted(c for c in known_cohorts if c < cohort)
    return earlier[-1] if earlier else None
