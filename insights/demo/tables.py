"""The demo tables: their template columns and file names, the hand-written ones (speakers, career
steps, cohorts, interventions, quotes), and the calendar extended backwards for scale."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from insights import domain
from insights.demo.content import COHORTS, SPEAKERS, TALKS, Talk
from insights.demo.quotes import NO_TALK, PROPOSED_QUOTES, PUBLISHED_QUOTES, REFUSED_QUOTES
from insights.ingest.templates import TEMPLATES

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    template.filename.removesuffix(".csv"): template.columns
    + (domain.QUESTION_IDS if template.kind == "responses" else ())
    for template in TEMPLATES.values()
}
"""The template columns of each table, in file order (see docs/data-files.md); responses carry the default
instrument's questions."""

FILE_NAMES: dict[str, str] = {table: f"{table}.csv" for table in TABLE_COLUMNS}

SOURCE_NOTES = "notes d'étudiant"
SOURCE_SLIDES = "support"
SOURCE_VIDEO = "vidéo"
SOURCE_PROPOSAL = "proposition d'étudiant"
"""Where a quote was taken from (its `source`): a student's notes, the talk's slides, its video, or a
student's proposal."""

STATUS_ORDER = (domain.PUBLISHED, domain.PROPOSED, domain.REFUSED)
"""The quote statuses in the order the quotes table lists them."""


def _school_year(date: dt.date) -> str:
    start = date.year if date.month >= 9 else date.year - 1
    return f"{start}-{start + 1}"


def _semester(date: dt.date) -> str:
    return "S1" if date.month >= 9 or date.month == 1 else "S2"


def sorted_talks() -> list[Talk]:
    """The hand-written talks in date order: the row order of the interventions table."""
    return sorted(TALKS, key=lambda talk: talk.date)


def base_tables() -> dict[str, pd.DataFrame]:
    """Speakers, career steps, cohorts and interventions, straight from the hand-written content."""
    speakers = pd.DataFrame(
        {
            "speaker_id": [s["speaker_id"] for s in SPEAKERS],
            "name": [s["name"] for s in SPEAKERS],
            "title": [s["title"] for s in SPEAKERS],
            "organisation": [s["organisation"] for s in SPEAKERS],
            "org_type": [s["org_type"] for s in SPEAKERS],
            "sector": [s["sector"] for s in SPEAKERS],
            "networks": [domain.join_list(s["networks"]) for s in SPEAKERS],
            "years_experience": pd.array([s["years_experience"] for s in SPEAKERS], dtype="Int64"),
            "education": [s["education"] for s in SPEAKERS],
            "bio": [s["bio"] for s in SPEAKERS],
        }
    )
    steps = [(s["speaker_id"], *step) for s in SPEAKERS for step in s["career"]]
    career_steps = pd.DataFrame(
        {
            "speaker_id": [step[0] for step in steps],
            "year_from": pd.array([step[1] for step in steps], dtype="Int64"),
            "year_to": pd.array([step[2] for step in steps], dtype="Int64"),
            "role": [step[3] for step in steps],
            "organisation": [step[4] for step in steps],
        }
    )
    cohorts = pd.DataFrame(
        {"cohort": [c[0] for c in COHORTS], "size": pd.array([c[1] for c in COHORTS], dtype="Int64")}
    )
    rows = []
    numbers: dict[tuple[str, str], int] = {}
    for talk in sorted_talks():
        date = dt.date.fromisoformat(talk.date)
        cohort, semester = _school_year(date), _semester(date)
        numbers[cohort, semester] = numbers.get((cohort, semester), 0) + 1
        rows.append(
            {
                "intervention_id": f"{cohort}-{semester}-{numbers[cohort, semester]:02d}",
                "date": talk.date,
                "cohort": cohort,
                "semester": semester,
                "speaker_ids": domain.join_list(talk.speakers),
                "title": talk.title,
                "format": talk.format,
                "themes": domain.join_list(talk.themes),
                "tools": domain.join_list(talk.tools) if talk.tools else None,
            }
        )
    interventions = pd.DataFrame(rows, columns=list(TABLE_COLUMNS["interventions"]))
    return {
        "speakers": speakers,
        "career_steps": career_steps,
        "cohorts": cohorts,
        "interventions": interventions,
    }


def demo_quotes(interventions: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The hand-written quotes, each tied to a talk of its speaker, numbered in the order of the talks."""
    talk_ids = interventions["intervention_id"].tolist()
    talk_speakers = [set(domain.split_list(cell)) for cell in interventions["speaker_ids"]]
    talk_themes = [set(domain.split_list(cell)) for cell in interventions["themes"]]
    cohorts = interventions["cohort"].tolist()
    records = [
        *((record, domain.PUBLISHED) for record in PUBLISHED_QUOTES),
        *((record, domain.PROPOSED) for record in PROPOSED_QUOTES),
        *((record, domain.REFUSED) for record in REFUSED_QUOTES),
    ]
    rows = []
    for position, (record, status) in enumerate(records):
        speaker, themes, text = record[0], record[1].split(), record[2]
        hint = record[3] if len(record) > 3 else None
        candidates = [i for i, ids in enumerate(talk_speakers) if speaker in ids]
        if hint == NO_TALK:
            talk = None
        else:
            if hint is not None:
                candidates = [i for i in candidates if talk_ids[i].startswith(hint)]
            elif status == domain.PROPOSED and candidates:
                # Proposals still waiting for moderation come from the speaker's latest visit.
                latest = max(cohorts[i] for i in candidates)
                candidates = [i for i in candidates if cohorts[i] == latest]
            if not candidates:
                raise ValueError(f"No talk of {speaker} for the quote {text[:40]!r}")
            fit = np.array([len(talk_themes[i] & set(themes)) ** 2 + 0.1 for i in candidates])
            talk = candidates[rng.choice(len(candidates), p=fit / fit.sum())]
        if status != domain.PUBLISHED:
            source = SOURCE_PROPOSAL
        elif hint is not None and hint != NO_TALK:
            source = SOURCE_NOTES
        else:
            source = rng.choice(
                [SOURCE_NOTES, SOURCE_SLIDES, SOURCE_VIDEO, SOURCE_PROPOSAL], p=[0.58, 0.2, 0.12, 0.1]
            )
        order = (STATUS_ORDER.index(status), talk is None, talk or 0, position)
        rows.append(
            (
                order,
                {
                    "text": text,
                    "speaker_id": speaker,
                    "intervention_id": None if talk is None else talk_ids[talk],
                    "themes": domain.join_list(themes),
                    "source": str(source),
                    "status": status,
                },
            )
        )
    rows.sort(key=lambda row: row[0])
    frame = pd.DataFrame([row for _, row in rows])
    frame.insert(0, "quote_id", [f"q{i:04d}" for i in range(1, len(frame) + 1)])
    return frame.loc[:, list(TABLE_COLUMNS["quotes"])]


def extend_calendar(
    interventions: pd.DataFrame, cohorts: pd.DataFrame, extra_cohorts: int, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add `extra_cohorts` earlier cohorts, each replaying the talks of one demo cohort years before."""
    demo_cohorts = cohorts["cohort"].tolist()
    first_start = int(demo_cohorts[0][:4])
    new_talks = [interventions]
    new_cohorts = [cohorts]
    for k in range(1, extra_cohorts + 1):
        start = first_start - k
        cohort = f"{start}-{start + 1}"
        source = demo_cohorts[-1 - (k - 1) % len(demo_cohorts)]
        shift = int(source[:4]) - start
        talks = interventions[interventions["cohort"] == source].copy()
        talks["date"] = [_years_earlier(date, shift) for date in talks["date"]]
        talks["cohort"] = cohort
        talks["intervention_id"] = [cohort + talk_id[len(source) :] for talk_id in talks["intervention_id"]]
        new_talks.append(talks)
        size = int(cohorts.loc[cohorts["cohort"] == source, "size"].iloc[0]) + int(rng.integers(-4, 5))
        new_cohorts.append(pd.DataFrame({"cohort": [cohort], "size": pd.array([size], dtype="Int64")}))
    all_talks = pd.concat(new_talks, ignore_index=True).sort_values(
        ["date", "intervention_id"], ignore_index=True
    )
    all_cohorts = pd.concat(new_cohorts, ignore_index=True).sort_values("cohort", ignore_index=True)
    return all_talks, all_cohorts


def _years_earlier(iso_date: str, years: int) -> str:
    date = dt.date.fromisoformat(iso_date)
    return date.replace(
        year=date.year - years, day=min(date.day, 28) if date.month == 2 else date.day
    ).isoformat()
