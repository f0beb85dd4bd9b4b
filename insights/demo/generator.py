"""Seeded generator of the demo dataset shipped in data/demo/, and of scaled data for the benchmarks.

`python -m insights.demo [DIR]` regenerates the template CSV files (default: data/demo/).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from insights import domain, store
from insights.demo.answers import (
    CASUAL_SPELLINGS,
    IMPROVE,
    IMPROVE_BLUNT_OPENERS,
    IMPROVE_CONNECTOR,
    IMPROVE_TOPIC_TEMPLATES,
    IMPROVE_TOPICS,
    TAKEAWAY_CLOSERS,
    TAKEAWAY_OPENERS,
    TAKEAWAY_SHORT,
    TAKEAWAY_WEAK,
    TAKEAWAYS,
)
from insights.demo.content import COHORTS, SPEAKERS, TALKS, Talk
from insights.demo.quotes import NO_TALK, PROPOSED_QUOTES, PUBLISHED_QUOTES, REFUSED_QUOTES
from insights.ingest.templates import TEMPLATES

DEFAULT_SEED = 2016
DEMO_DIR = store.DEMO_DIR

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    template.filename.removesuffix(".csv"): template.columns
    + (domain.QUESTION_IDS if template.kind == "responses" else ())
    for template in TEMPLATES.values()
}
"""The template columns of each table, in file order (see DESIGN.md); responses carry the default
instrument's questions."""

FILE_NAMES: dict[str, str] = {table: f"{table}.csv" for table in TABLE_COLUMNS}

_SOURCE_NOTES = "notes d'étudiant"
_SOURCE_SLIDES = "support"
_SOURCE_VIDEO = "vidéo"
_SOURCE_PROPOSAL = "proposition d'étudiant"
_STATUS_ORDER = (domain.PUBLISHED, domain.PROPOSED, domain.REFUSED)

# One independent random stream per part of the dataset, so that changing one part leaves the others as they were.
_STREAM_DEMO_RESPONSES = 1
_STREAM_SCALED_RESPONSES = 2
_STREAM_DEMO_QUOTES = 3
_STREAM_SCALED_QUOTES = 4
_STREAM_CALENDAR = 5

_SPEAKER_QUALITY: dict[str, float] = {speaker["speaker_id"]: speaker["quality"] for speaker in SPEAKERS}
_THEME_INDEX: dict[str, int] = {theme: i for i, theme in enumerate(domain.THEME_IDS)}
_PILLAR_THEMES: tuple[str, ...] = ("transparence", "conversation", "engagement", "enthousiasme")
"""The theme behind each pillar question, in the order of the pillar questions in the instrument."""

# Share of students who skip each Likert question (satisfaction … pillar_enthusiasm), then the others.
_LIKERT_SKIP = np.array([0.01, 0.015, 0.015, 0.03, 0.04, 0.04, 0.045, 0.045])
_BEST_PART_SKIP = 0.05
_RECOMMEND_SKIP = 0.035
_DROPOUT = 0.03
"""Share of students who stop after the first four questions."""

# How useful each part of the talk is, by format (columns in the order of domain.BEST_PARTS).
_BEST_PART_BASE = {
    "témoignage de CM": (0.22, 0.20, 0.06, 0.30, 0.14),
    "présentation d'outil": (0.03, 0.12, 0.03, 0.38, 0.42),
    "atelier": (0.04, 0.16, 0.05, 0.45, 0.25),
}
# Extra weight of a part when the talk covered the matching theme.
_BEST_PART_BOOST = {"parcours": (0, 0.18), "crise": (2, 0.26), "structure": (1, 0.08), "strategie": (1, 0.08)}


# ---------------------------------------------------------------------------------------------------------
# Public API


def generate_demo(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """The demo dataset: six tables keyed like TABLE_COLUMNS, each with exactly the template columns.

    Speakers, careers, cohorts, talks and quotes are the hand-written content; survey answers are
    simulated from it. Deterministic for a seed.
    """
    tables = _base_tables()
    rng = np.random.default_rng([seed, _STREAM_DEMO_RESPONSES])
    talks = _talk_features(tables["interventions"], tables["cohorts"])
    # The interventions table lists the hand-written talks in date order, hence the alignment.
    quality = _speaker_quality(talks) + np.array([talk.shift for talk in _sorted_talks()])
    counts = _demo_answer_counts(talks, quality, rng)
    tables["responses"] = _simulate_responses(talks, quality, counts, rng, seed)
    tables["quotes"] = _demo_quotes(
        tables["interventions"], np.random.default_rng([seed, _STREAM_DEMO_QUOTES])
    )
    return {name: tables[name] for name in TABLE_COLUMNS}


def write_dataset(tables: dict[str, pd.DataFrame], directory: Path) -> None:
    """Write the six tables as template CSV files (UTF-8, comma-separated, LF line ends) into `directory`."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name, columns in TABLE_COLUMNS.items():
        frame = tables[name].loc[:, list(columns)]
        frame.to_csv(directory / FILE_NAMES[name], index=False, encoding="utf-8", lineterminator="\n")


def generate_responses(interventions: pd.DataFrame, cohorts: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """`n` simulated survey responses (the columns of responses.csv) spread over `interventions`.

    Talks get answers in proportion to their cohort's size and a talk-specific response rate; a talk
    may get more answers than its cohort has students when `n` is large (see `generate_scaled`).
    Vectorised: a million responses take a few seconds.
    """
    talks = _talk_features(interventions, cohorts)
    rng = np.random.default_rng([seed, _STREAM_SCALED_RESPONSES])
    quality = _speaker_quality(talks) + rng.normal(0.0, 0.3, len(talks.ids))
    weights = talks.sizes * rng.uniform(0.4, 0.95, len(talks.ids))
    counts = rng.multinomial(n, weights / weights.sum()) if len(talks.ids) else np.zeros(0, dtype=np.int64)
    return _simulate_responses(talks, quality, counts, rng, seed)


def generate_quotes(n: int, speakers: pd.DataFrame, interventions: pd.DataFrame, seed: int) -> pd.DataFrame:
    """`n` quotes (the columns of quotes.csv) recombined from the sentences of the hand-written quotes.

    Each quote opens with the first sentence of a hand-written quote of its theme, followed by up to
    two more sentences on the same theme (or a second one); it is attributed to the opening's speaker
    at one of their interventions when they have one (else to a random talk's speaker), a few to no
    known talk. Vectorised: 100,000 quotes take well under a second.
    """
    rng = np.random.default_rng([seed, _STREAM_SCALED_QUOTES])
    fragments = _quote_fragments()
    theme_count = len(domain.THEME_IDS)
    opening_sizes, sentence_sizes = fragments.opening_sizes, fragments.sentence_sizes

    primary = rng.choice(theme_count, n, p=opening_sizes / opening_sizes.sum())
    length = rng.choice(3, n, p=[0.5, 0.38, 0.12]) + 1
    mixed = (length >= 2) & (rng.random(n) < 0.35)
    secondary = rng.integers(0, theme_count - 1, n)
    secondary = np.where(secondary >= primary, secondary + 1, secondary)

    first = _draw(fragments.opening_offsets, opening_sizes, primary, rng)
    second = _draw(fragments.sentence_offsets, sentence_sizes, np.where(mixed, secondary, primary), rng)
    third = _draw(fragments.sentence_offsets, sentence_sizes, primary, rng)
    opening, second_text, third_text = (
        fragments.openings[first],
        fragments.sentences[second],
        fragments.sentences[third],
    )
    # A follower must not repeat the opening (a quote's own second sentence is welcome, a duplicate is not).
    has_second = (length >= 2) & (second_text != opening)
    has_third = (length >= 3) & (third_text != opening) & (third_text != second_text)
    text = opening.copy()
    text[has_second] = text[has_second] + " " + second_text[has_second]
    text[has_third] = text[has_third] + " " + third_text[has_third]

    theme_cells = np.empty((theme_count, theme_count + 1), dtype=object)
    for i, theme in enumerate(domain.THEME_IDS):
        theme_cells[i, theme_count] = theme
        for j, other in enumerate(domain.THEME_IDS):
            theme_cells[i, j] = domain.join_list([theme, other])
    themes = theme_cells[primary, np.where(mixed & has_second, secondary, theme_count)]

    speaker, intervention = _attribute(fragments.opening_speakers[first], speakers, interventions, rng)

    status_codes = rng.choice(3, n, p=[0.9, 0.07, 0.03])
    statuses = np.array(_STATUS_ORDER, dtype=object)[status_codes]
    sources = np.array([_SOURCE_NOTES, _SOURCE_SLIDES, _SOURCE_VIDEO, _SOURCE_PROPOSAL], dtype=object)[
        rng.choice(4, n, p=[0.58, 0.2, 0.12, 0.1])
    ]
    sources[status_codes != 0] = _SOURCE_PROPOSAL

    width = max(4, len(str(n)))
    quote_ids = np.array([f"q{i:0{width}d}" for i in range(1, n + 1)], dtype=object)
    columns = (quote_ids, text, speaker, intervention, themes, sources, statuses)
    return pd.DataFrame(dict(zip(TABLE_COLUMNS["quotes"], columns, strict=True)))


def generate_scaled(
    responses: int, quotes: int, seed: int, *, extra_cohorts: int = 11
) -> dict[str, pd.DataFrame]:
    """The demo's speakers and talks, plus `responses` simulated responses and `quotes` generated quotes.

    For scale, the calendar is extended backwards by `extra_cohorts` cohorts (2010-2011, 2009-2010…)
    replaying the demo's talks, and each cohort's size is raised so that no talk has more answers
    than students.
    """
    tables = _base_tables()
    interventions, cohorts = _extend_calendar(
        tables["interventions"],
        tables["cohorts"],
        extra_cohorts,
        np.random.default_rng([seed, _STREAM_CALENDAR]),
    )
    response_table = generate_responses(interventions, cohorts, responses, seed)
    per_talk = response_table["intervention_id"].value_counts()
    busiest = per_talk.groupby(interventions.set_index("intervention_id")["cohort"]).max()
    needed = np.ceil(cohorts["cohort"].map(busiest).fillna(0).to_numpy(dtype=float) / 0.95).astype(np.int64)
    cohorts = cohorts.assign(
        size=pd.array(np.maximum(cohorts["size"].to_numpy(dtype=np.int64), needed), dtype="Int64")
    )
    tables.update(
        cohorts=cohorts,
        interventions=interventions,
        responses=response_table,
        quotes=generate_quotes(quotes, tables["speakers"], interventions, seed),
    )
    return {name: tables[name] for name in TABLE_COLUMNS}


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the demo CSV files: `python -m insights.demo [DIR] [--seed N]`."""
    parser = argparse.ArgumentParser(
        prog="python -m insights.demo", description="Régénère le jeu de données de démonstration (CSV)."
    )
    parser.add_argument("directory", nargs="?", type=Path, default=DEMO_DIR, help="dossier de sortie")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"graine (défaut : {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    tables = generate_demo(args.seed)
    write_dataset(tables, args.directory)
    counts = ", ".join(f"{name} : {len(frame)}" for name, frame in tables.items())
    print(f"Jeu de démonstration écrit dans {args.directory} ({counts}).")
    return 0


# ---------------------------------------------------------------------------------------------------------
# Hand-written tables


def _school_year(date: dt.date) -> str:
    start = date.year if date.month >= 9 else date.year - 1
    return f"{start}-{start + 1}"


def _semester(date: dt.date) -> str:
    return "S1" if date.month >= 9 or date.month == 1 else "S2"


def _sorted_talks() -> list[Talk]:
    """The hand-written talks in date order: the row order of the interventions table."""
    return sorted(TALKS, key=lambda talk: talk.date)


def _base_tables() -> dict[str, pd.DataFrame]:
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
    for talk in _sorted_talks():
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


def _demo_quotes(interventions: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
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
            source = _SOURCE_PROPOSAL
        elif hint is not None and hint != NO_TALK:
            source = _SOURCE_NOTES
        else:
            source = rng.choice(
                [_SOURCE_NOTES, _SOURCE_SLIDES, _SOURCE_VIDEO, _SOURCE_PROPOSAL], p=[0.58, 0.2, 0.12, 0.1]
            )
        order = (_STATUS_ORDER.index(status), talk is None, talk or 0, position)
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


def _extend_calendar(
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


# ---------------------------------------------------------------------------------------------------------
# Survey simulation


@dataclass(frozen=True)
class _Talks:
    """Per-talk arrays the simulation needs, aligned with the rows of the interventions frame."""

    ids: np.ndarray  # object: intervention ids
    speakers: list[list[str]]
    cohort_index: np.ndarray  # int: position of the talk's cohort in `cohort_names`
    cohort_names: list[str]
    sizes: np.ndarray  # int: enrolled students of the talk's cohort
    formats: np.ndarray  # int: index in domain.FORMATS
    themes: np.ndarray  # bool (talks × themes)
    dates: np.ndarray  # datetime64[D]


def _talk_features(interventions: pd.DataFrame, cohorts: pd.DataFrame) -> _Talks:
    cohort_names = [str(c) for c in cohorts["cohort"]]
    size_of = dict(zip(cohort_names, cohorts["size"].astype(int), strict=True))
    unknown = sorted(set(interventions["cohort"]) - set(cohort_names))
    if unknown:
        raise ValueError(f"Interventions refer to cohorts missing from the cohorts table: {unknown}")
    themes = np.zeros((len(interventions), len(domain.THEME_IDS)), dtype=bool)
    for row, cell in enumerate(interventions["themes"]):
        for theme in domain.split_list(cell):
            themes[row, _THEME_INDEX[theme]] = True
    return _Talks(
        ids=interventions["intervention_id"].to_numpy(dtype=object),
        speakers=[domain.split_list(cell) for cell in interventions["speaker_ids"]],
        cohort_index=np.array([cohort_names.index(c) for c in interventions["cohort"]], dtype=np.int64),
        cohort_names=cohort_names,
        sizes=np.array([size_of[c] for c in interventions["cohort"]], dtype=np.int64),
        formats=np.array([domain.FORMATS.index(f) for f in interventions["format"]], dtype=np.int64),
        themes=themes,
        dates=np.array(list(interventions["date"]), dtype="datetime64[D]"),
    )


def _speaker_quality(talks: _Talks) -> np.ndarray:
    """The mean latent quality of each talk's speakers (hand-given for the demo's, hashed for others)."""

    def quality(speaker_id: str) -> float:
        if speaker_id in _SPEAKER_QUALITY:
            return _SPEAKER_QUALITY[speaker_id]
        digest = int(hashlib.sha256(speaker_id.encode()).hexdigest()[:8], 16)
        return 3.3 + 1.2 * (digest % 1000) / 1000

    return np.array([np.mean([quality(s) for s in ids]) if ids else 3.8 for ids in talks.speakers])


def _demo_answer_counts(talks: _Talks, quality: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Answers per demo talk: the cohort's usual response rate, lower after a weak talk, varying by talk."""
    usual_rate = {cohort: rate for cohort, _, rate in COHORTS}
    base = np.array([usual_rate[talks.cohort_names[i]] for i in talks.cohort_index])
    rate = np.clip(
        base + rng.normal(0.0, 0.08, len(base)) - 0.12 * np.clip(3.6 - quality, 0, None), 0.38, 0.97
    )
    counts = np.maximum(rng.binomial(talks.sizes, rate), 1)
    for i, talk in enumerate(_sorted_talks()):
        if talk.answers is not None:
            counts[i] = talk.answers
    return counts


def _respondent_key(seed: int, cohort: str, student: int) -> str:
    """A pseudonymous key for one student of a cohort: the same across the talks they answer about."""
    return hashlib.sha256(f"{seed}:{cohort}:{student}".encode()).hexdigest()[:12]


def _pick_students(talks: _Talks, counts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each answer, the index of the student (in their cohort) who gave it; no student twice per talk.

    Some students answer most surveys, others rarely: each has a stable propensity to answer.
    """
    students = np.empty(int(counts.sum()), dtype=np.int64)
    pool_sizes = np.maximum(talks.sizes, counts)
    propensity = {
        c: np.log(rng.uniform(0.2, 1.0, int(pool_sizes[talks.cohort_index == c].max(initial=0))))
        for c in range(len(talks.cohort_names))
    }
    position = 0
    for t, count in enumerate(counts):
        if count == 0:
            continue
        keys = propensity[talks.cohort_index[t]][: pool_sizes[t]] + rng.gumbel(size=pool_sizes[t])
        students[position : position + count] = np.argpartition(-keys, count - 1)[:count]
        position += count
    return students


def _simulate_responses(
    talks: _Talks, quality: np.ndarray, counts: np.ndarray, rng: np.random.Generator, seed: int
) -> pd.DataFrame:
    """Simulate `counts[t]` answers to talk t of quality `quality[t]`: one wide row per response.

    Each answer follows a latent score (talk quality + the student's leniency + noise); the Likert
    items, the recommendation and the free texts all derive from it, so they move together.
    """
    n = int(counts.sum())
    talk = np.repeat(np.arange(len(counts)), counts)
    cohort = talks.cohort_index[talk]

    student = _pick_students(talks, counts, rng)
    stride = int(student.max(initial=0)) + 1
    unique_codes, person = np.unique(cohort * stride + student, return_inverse=True)
    keys = np.array(
        [
            _respondent_key(seed, talks.cohort_names[code // stride], int(code % stride))
            for code in unique_codes
        ],
        dtype=object,
    )
    leniency = rng.normal(0.0, 0.4, len(unique_codes))[person]
    latent = quality[talk] + leniency + rng.normal(0.0, 0.45, n)

    # Talk-level deviations of each Likert item; a covered theme lifts the matching pillar.
    talk_items = rng.normal(0.0, 0.2, (len(counts), len(domain.LIKERT_QUESTION_IDS)))
    talk_items[:, 1] += np.array([0.05, -0.1, 0.15])[talks.formats]
    talk_items[:, 3] += np.array([0.0, -0.15, 0.2])[talks.formats]
    pillar_columns = [_THEME_INDEX[theme] for theme in _PILLAR_THEMES]
    talk_items[:, 4:8] += -1.0 + 1.2 * talks.themes[:, pillar_columns]

    dropout = rng.random(n) < _DROPOUT
    answers: dict[str, pd.api.extensions.ExtensionArray | np.ndarray] = {}
    for column, question in enumerate(domain.LIKERT_QUESTION_IDS):
        value = np.clip(np.rint(latent + talk_items[talk, column] + rng.normal(0.0, 0.55, n)), 1, 5)
        missing = rng.random(n) < _LIKERT_SKIP[column]
        if column >= 4:
            missing |= dropout
        answers[question] = pd.arrays.IntegerArray(value.astype(np.int64), missing)

    satisfaction_latent = latent + talk_items[talk, 0]
    answers["best_part"] = _best_parts(talks, talk, rng, dropout | (rng.random(n) < _BEST_PART_SKIP))
    recommend = np.clip(np.rint(2.4 * satisfaction_latent - 1.2 + rng.normal(0.0, 1.0, n)), 0, 10)
    answers["recommend"] = pd.arrays.IntegerArray(
        recommend.astype(np.int64), dropout | (rng.random(n) < _RECOMMEND_SKIP)
    )
    answers["takeaway"] = _takeaways(talks, talk, satisfaction_latent, dropout, rng)
    answers["improve"] = _improvements(talks, talk, satisfaction_latent, dropout, rng)
    submitted = _submission_times(talks, talk, rng)

    order = np.lexsort((submitted, talk))
    submitted = submitted[order].astype("datetime64[s]")
    width = max(6, len(str(n)))
    columns = {
        "response_id": _text_column(
            np.array([f"r{i:0{width}d}" for i in range(lo + 1, hi + 1)], dtype=object)
            for lo, hi in _chunks(n)
        ),
        "intervention_id": _text_column(talks.ids[talk[order[lo:hi]]] for lo, hi in _chunks(n)),
        "submitted_at": _text_column(np.datetime_as_string(submitted[lo:hi]) for lo, hi in _chunks(n)),
        "respondent": _text_column(keys[person[order[lo:hi]]] for lo, hi in _chunks(n)),
    }
    for question in domain.QUESTION_IDS:
        values = answers[question][order]
        if isinstance(values, np.ndarray):
            values = _text_column(values[lo:hi] for lo, hi in _chunks(n))
        columns[question] = values
    return pd.DataFrame(columns, columns=list(TABLE_COLUMNS["responses"]), copy=False)


_CHUNK_ROWS = 100_000


def _chunks(n: int) -> list[tuple[int, int]]:
    """Row ranges of at most _CHUNK_ROWS rows covering 0..n (one empty range when n is 0)."""
    return [(lo, min(lo + _CHUNK_ROWS, n)) for lo in range(0, max(n, 1), _CHUNK_ROWS)]


def _text_column(chunks: Iterable[np.ndarray]) -> pd.Series:
    """A string column built chunk by chunk, so that a million rows never exist as Python strings at once."""
    parts = [pd.Series(chunk, dtype="str") for chunk in chunks]
    return pd.concat(parts, ignore_index=True)


def _best_parts(talks: _Talks, talk: np.ndarray, rng: np.random.Generator, missing: np.ndarray) -> np.ndarray:
    weights = np.array([_BEST_PART_BASE[domain.FORMATS[f]] for f in talks.formats])
    for theme, (part, boost) in _BEST_PART_BOOST.items():
        weights[:, part] += boost * talks.themes[:, _THEME_INDEX[theme]]
    weights *= np.exp(rng.normal(0.0, 0.25, weights.shape))
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    draw = rng.random(len(talk))
    choice = np.zeros(len(talk), dtype=np.int64)
    for part in range(len(domain.BEST_PARTS) - 1):
        choice += draw > cumulative[talk, part]
    parts = np.array(domain.BEST_PARTS, dtype=object)[choice]
    parts[missing] = None
    return parts


def _submission_times(talks: _Talks, talk: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """When each answer came in: mostly the evening of the talk, some days later, a few after reminders."""
    n = len(talk)
    talk_end = rng.choice(np.array([12 * 60 + 15, 16 * 60 + 30, 17 * 60 + 15]), len(talks.ids))
    start = talks.dates.astype("datetime64[m]")[talk] + talk_end[talk].astype("timedelta64[m]")
    same_day = np.minimum(5 + rng.exponential(80.0, n), 330).astype(np.int64)
    later_day = np.where(rng.random(n) < 0.75, rng.integers(1, 4, n), rng.integers(4, 16, n))
    later = talks.dates.astype("datetime64[m]")[talk] + (
        later_day * 1440 + rng.integers(8 * 60, 23 * 60 + 30, n)
    ).astype("timedelta64[m]")
    return np.where(rng.random(n) < 0.5, start + same_day.astype("timedelta64[m]"), later)


# ---------------------------------------------------------------------------------------------------------
# Free-text answers


_KEEP_CAPITAL = re.compile(r"^(Google|Pinterest|Instagram|FAQ|CM|RAS|Twitter|Hootsuite|Buffer)\b")


def _lower_first(text: str) -> str:
    if _KEEP_CAPITAL.match(text) or len(text) < 2 or not text[1].islower():
        return text
    return text[0].lower() + text[1:]


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))


def _casual(text: str, rng: np.random.Generator) -> str:
    """Now and then, the way students type on a phone: no capital, no final period, a shortcut, no accents."""
    if rng.random() < 0.12:
        text = _lower_first(text)
    if rng.random() < 0.1:
        candidates = [pair for pair in CASUAL_SPELLINGS if pair[0] in text]
        if candidates:
            correct, casual = candidates[int(rng.integers(len(candidates)))]
            text = text.replace(correct, casual, 1)
    if rng.random() < 0.04:
        text = _strip_accents(text)
    if text.endswith(".") and not text.endswith("..."):
        ending = rng.random()
        if ending < 0.2:
            text = text[:-1]
        elif ending < 0.25:
            text = text[:-1] + " !!"
    return text


def _takeaway_pool(bank: Sequence[str], size: int, rng: np.random.Generator) -> list[str]:
    pool = []
    for _ in range(size):
        first = int(rng.integers(len(bank)))
        text = bank[first]
        if rng.random() < 0.18 and len(bank) > 1:
            second = (first + 1 + int(rng.integers(len(bank) - 1))) % len(bank)
            text = f"{text} {bank[second]}"
        if rng.random() < 0.2:
            text = TAKEAWAY_OPENERS[int(rng.integers(len(TAKEAWAY_OPENERS)))] + _lower_first(text)
        if rng.random() < 0.15:
            text += TAKEAWAY_CLOSERS[int(rng.integers(len(TAKEAWAY_CLOSERS)))]
        pool.append(_casual(text, rng))
    return pool


def _plain_pool(bank: Sequence[str], size: int, rng: np.random.Generator) -> list[str]:
    return [_casual(bank[int(rng.integers(len(bank)))], rng) for _ in range(size)]


def _stacked(pools: Sequence[list[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Concatenate pools into one array, with each pool's offset and size."""
    sizes = np.array([len(pool) for pool in pools], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    flat = np.array([text for pool in pools for text in pool], dtype=object)
    return flat, offsets, sizes


def _draw(offsets: np.ndarray, sizes: np.ndarray, pool: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each row, a random index into the stacked pool number `pool[row]`."""
    return offsets[pool] + (rng.random(len(pool)) * sizes[pool]).astype(np.int64)


def _takeaways(
    talks: _Talks, talk: np.ndarray, latent: np.ndarray, dropout: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """The advice each student retained: about one of the talk's themes, or vaguer after a weak talk."""
    theme_pools = [_takeaway_pool(TAKEAWAYS[theme], 240, rng) for theme in domain.THEME_IDS]
    weak_pool = _plain_pool(TAKEAWAY_WEAK, 40, rng)
    short_pool = _plain_pool(TAKEAWAY_SHORT, 30, rng)
    texts, offsets, sizes = _stacked([*theme_pools, weak_pool, short_pool])
    weak, short = len(theme_pools), len(theme_pools) + 1

    theme_count = talks.themes.sum(axis=1)
    theme_order = np.argsort(~talks.themes, axis=1, kind="stable")  # covered themes first
    n = len(talk)
    pick = (rng.random(n) * np.maximum(theme_count[talk], 1)).astype(np.int64)
    pool = theme_order[talk, pick]
    pool = np.where(rng.random(n) < 0.04, short, pool)
    pool = np.where((latent < 2.9) & (rng.random(n) < 0.55), weak, pool)

    answer = texts[_draw(offsets, sizes, pool, rng)]
    blank = dropout | (rng.random(n) < 0.36 + 0.22 * (latent < 3.0))
    answer[blank] = None
    return answer


def _improvement_pool(kind: str, size: int, rng: np.random.Generator) -> list[str]:
    bank = IMPROVE[kind]
    pool = []
    for _ in range(size):
        first = int(rng.integers(len(bank)))
        text = bank[first]
        if kind in ("general", "critical", "tool", "workshop") and rng.random() < 0.15:
            second = (first + 1 + int(rng.integers(len(bank) - 1))) % len(bank)
            text += IMPROVE_CONNECTOR + _lower_first(bank[second])
        if kind == "critical" and rng.random() < 0.25:
            text = IMPROVE_BLUNT_OPENERS[int(rng.integers(len(IMPROVE_BLUNT_OPENERS)))] + _lower_first(text)
        pool.append(_casual(text, rng))
    return pool


def _topic_pool(theme: str, size: int, rng: np.random.Generator) -> list[str]:
    topics = IMPROVE_TOPICS[theme]
    return [
        _casual(
            IMPROVE_TOPIC_TEMPLATES[int(rng.integers(len(IMPROVE_TOPIC_TEMPLATES)))].format(
                topic=topics[int(rng.integers(len(topics)))]
            ),
            rng,
        )
        for _ in range(size)
    ]


def _improvements(
    talks: _Talks, talk: np.ndarray, latent: np.ndarray, dropout: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """What each student would improve: praise after a good talk, criticism after a weak one, or more
    on one of the talk's themes."""
    kinds = ("positive", "general", "critical", "tool", "workshop")
    pools = [_improvement_pool(kind, 80, rng) for kind in kinds]
    pools += [_topic_pool(theme, 60, rng) for theme in domain.THEME_IDS]
    texts, offsets, sizes = _stacked(pools)
    n = len(talk)

    fmt = talks.formats[talk]
    specific = np.select(
        [fmt == 1, fmt == 2], [kinds.index("tool"), kinds.index("workshop")], kinds.index("general")
    )
    theme_count = talks.themes.sum(axis=1)
    theme_order = np.argsort(~talks.themes, axis=1, kind="stable")
    topic = (
        len(kinds) + theme_order[talk, (rng.random(n) * np.maximum(theme_count[talk], 1)).astype(np.int64)]
    )
    draw = rng.random(n)
    other = np.select([draw < 0.35, draw < 0.65], [kinds.index("general"), specific], topic)

    draw = rng.random(n)
    pool = np.select(
        [
            (latent >= 4.2) & (draw < 0.6),
            (latent >= 3.1) & (latent < 4.2) & (draw < 0.2),
            (latent < 3.1) & (draw < 0.65),
        ],
        [kinds.index("positive"), kinds.index("positive"), kinds.index("critical")],
        other,
    )
    answer = texts[_draw(offsets, sizes, pool, rng)]
    blank = dropout | (rng.random(n) < 0.55 + 0.12 * (latent > 4.3) - 0.2 * (latent < 3.0))
    answer[blank] = None
    return answer


# ---------------------------------------------------------------------------------------------------------
# Generated quotes


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý])")


@dataclass(frozen=True)
class _QuoteFragments:
    """The hand-written published quotes cut into sentences, stacked by theme."""

    openings: np.ndarray  # object: first sentences, grouped by theme
    opening_speakers: np.ndarray  # object: the speaker of each opening
    opening_offsets: np.ndarray
    opening_sizes: np.ndarray
    sentences: np.ndarray  # object: every sentence, grouped by theme
    sentence_offsets: np.ndarray
    sentence_sizes: np.ndarray


def _quote_fragments() -> _QuoteFragments:
    openings: dict[str, list[tuple[str, str]]] = {theme: [] for theme in domain.THEME_IDS}
    sentences: dict[str, list[str]] = {theme: [] for theme in domain.THEME_IDS}
    for record in PUBLISHED_QUOTES:
        speaker, themes = record[0], record[1].split()
        parts = [p if p.endswith((".", "!", "?")) else p + "." for p in _SENTENCE_END.split(record[2])]
        for theme in themes:
            openings[theme].append((parts[0], speaker))
            sentences[theme].extend(p for p in parts if p not in sentences[theme])
    opening_texts, opening_offsets, opening_sizes = _stacked(
        [[text for text, _ in openings[theme]] for theme in domain.THEME_IDS]
    )
    opening_speakers, _, _ = _stacked(
        [[speaker for _, speaker in openings[theme]] for theme in domain.THEME_IDS]
    )
    sentence_texts, sentence_offsets, sentence_sizes = _stacked(
        [sentences[theme] for theme in domain.THEME_IDS]
    )
    return _QuoteFragments(
        opening_texts,
        opening_speakers,
        opening_offsets,
        opening_sizes,
        sentence_texts,
        sentence_offsets,
        sentence_sizes,
    )


def _attribute(
    wanted: np.ndarray, speakers: pd.DataFrame, interventions: pd.DataFrame, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """A speaker and an intervention for each quote: the wanted speaker at one of their talks if they
    gave any, else a random talk and one of its speakers; about 3 % have no known talk."""
    n = len(wanted)
    talk_ids = interventions["intervention_id"].to_numpy(dtype=object)
    talk_speakers = [domain.split_list(cell) for cell in interventions["speaker_ids"]]
    speaker_ids = sorted({s for ids in talk_speakers for s in ids} | set(speakers["speaker_id"]))
    talks_of: dict[str, list[int]] = {s: [] for s in speaker_ids}
    for t, ids in enumerate(talk_speakers):
        for s in ids:
            talks_of[s].append(t)
    # Ragged lists of talks per speaker as one padded matrix, for vectorised picking.
    index_of = {s: i for i, s in enumerate(speaker_ids)}
    talk_count = np.array([len(talks_of[s]) for s in speaker_ids], dtype=np.int64)
    padded = np.zeros((len(speaker_ids), max(int(talk_count.max(initial=0)), 1)), dtype=np.int64)
    for s, talks in talks_of.items():
        padded[index_of[s], : len(talks)] = talks

    wanted_index = np.array([index_of.get(s, -1) for s in wanted], dtype=np.int64)
    known = wanted_index >= 0
    known[known] = talk_count[wanted_index[known]] > 0
    own_pick = (rng.random(n) * np.maximum(talk_count[np.maximum(wanted_index, 0)], 1)).astype(np.int64)
    own_talk = padded[np.maximum(wanted_index, 0), own_pick]
    random_talk = rng.integers(0, len(talk_ids), n)
    talk = np.where(known, own_talk, random_talk)

    first_speaker = np.array([ids[0] for ids in talk_speakers], dtype=object)
    last_speaker = np.array([ids[-1] for ids in talk_speakers], dtype=object)
    other_speaker = np.where(rng.random(n) < 0.5, first_speaker[talk], last_speaker[talk])
    speaker = np.where(known, wanted, other_speaker).astype(object)
    intervention = talk_ids[talk].astype(object)

    unknown = rng.random(n) < 0.03
    intervention[unknown] = None
    return speaker, intervention


if __name__ == "__main__":
    sys.exit(main())
