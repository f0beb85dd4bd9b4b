"""Seeded generator of the demo dataset shipped in data/demo/, and of scaled data for the benchmarks:
the entry points, their random streams, and the quotes recombined at any size.

`python -m insights.demo [DIR]` regenerates the template CSV files (default: data/demo/).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from insights import domain, store
from insights.demo.free_text import draw_indices, stacked
from insights.demo.publication import demo_reviews, result_states
from insights.demo.quotes import PUBLISHED_QUOTES
from insights.demo.simulation import demo_answer_counts, simulate_responses, speaker_quality, talk_features
from insights.demo.tables import (
    FILE_NAMES,
    SOURCE_NOTES,
    SOURCE_PROPOSAL,
    SOURCE_SLIDES,
    SOURCE_VIDEO,
    STATUS_ORDER,
    TABLE_COLUMNS,
    base_tables,
    demo_quotes,
    extend_calendar,
    sorted_talks,
)

DEFAULT_SEED = 2016
DEMO_DIR = store.DEMO_DIR

# One independent random stream per part of the dataset, so that changing one part leaves the others as they were.
_STREAM_DEMO_RESPONSES = 1
_STREAM_SCALED_RESPONSES = 2
_STREAM_DEMO_QUOTES = 3
_STREAM_SCALED_QUOTES = 4
_STREAM_CALENDAR = 5
_STREAM_DEMO_REVIEWS = 6


# ---------------------------------------------------------------------------------------------------------
# Public API


def generate_demo(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """The demo dataset: seven tables keyed like TABLE_COLUMNS, each with exactly the template columns.

    Speakers, careers, cohorts, talks and quotes are the hand-written content; survey answers are
    simulated from it, and so are the results states (the latest cohort's still in review) and
    the director's reviews of the free-text answers. Deterministic for a seed.
    """
    tables = base_tables()
    tables["interventions"]["results"] = result_states(tables["interventions"])
    rng = np.random.default_rng([seed, _STREAM_DEMO_RESPONSES])
    talks = talk_features(tables["interventions"], tables["cohorts"])
    # The interventions table lists the hand-written talks in date order, hence the alignment.
    quality = speaker_quality(talks) + np.array([talk.shift for talk in sorted_talks()])
    counts = demo_answer_counts(talks, quality, rng)
    tables["responses"] = simulate_responses(talks, quality, counts, rng, seed)
    tables["quotes"] = demo_quotes(
        tables["interventions"], np.random.default_rng([seed, _STREAM_DEMO_QUOTES])
    )
    tables["reviews"] = demo_reviews(
        tables["interventions"], tables["responses"], np.random.default_rng([seed, _STREAM_DEMO_REVIEWS])
    )
    return {name: tables[name] for name in TABLE_COLUMNS}


def write_dataset(tables: dict[str, pd.DataFrame], directory: Path) -> None:
    """Write the seven tables as template CSV files (UTF-8, comma-separated, LF line ends) into `directory`."""
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
    talks = talk_features(interventions, cohorts)
    rng = np.random.default_rng([seed, _STREAM_SCALED_RESPONSES])
    quality = speaker_quality(talks) + rng.normal(0.0, 0.3, len(talks.ids))
    weights = talks.sizes * rng.uniform(0.4, 0.95, len(talks.ids))
    counts = rng.multinomial(n, weights / weights.sum()) if len(talks.ids) else np.zeros(0, dtype=np.int64)
    return simulate_responses(talks, quality, counts, rng, seed)


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

    first = draw_indices(fragments.opening_offsets, opening_sizes, primary, rng)
    second = draw_indices(
        fragments.sentence_offsets, sentence_sizes, np.where(mixed, secondary, primary), rng
    )
    third = draw_indices(fragments.sentence_offsets, sentence_sizes, primary, rng)
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
    statuses = np.array(STATUS_ORDER, dtype=object)[status_codes]
    sources = np.array([SOURCE_NOTES, SOURCE_SLIDES, SOURCE_VIDEO, SOURCE_PROPOSAL], dtype=object)[
        rng.choice(4, n, p=[0.58, 0.2, 0.12, 0.1])
    ]
    sources[status_codes != 0] = SOURCE_PROPOSAL

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
    than students. Results states follow the demo's rule (every cohort but the latest published);
    the reviews table is empty (the benchmark's loader marks answers public in bulk).
    """
    tables = base_tables()
    interventions, cohorts = extend_calendar(
        tables["interventions"],
        tables["cohorts"],
        extra_cohorts,
        np.random.default_rng([seed, _STREAM_CALENDAR]),
    )
    interventions["results"] = result_states(interventions)
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
        reviews=pd.DataFrame(columns=list(TABLE_COLUMNS["reviews"])),
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
    opening_texts, opening_offsets, opening_sizes = stacked(
        [[text for text, _ in openings[theme]] for theme in domain.THEME_IDS]
    )
    opening_speakers, _, _ = stacked(
        [[speaker for _, speaker in openings[theme]] for theme in domain.THEME_IDS]
    )
    sentence_texts, sentence_offsets, sentence_sizes = stacked(
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
