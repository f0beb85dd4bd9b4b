"""The speakers: the directory (aggregates, search, filters, sorting), a speaker's profile (talks,
ratings against the programme, quotes, the takeaways students cite) and whom to invite again.

Every figure backed by survey answers is withheld (NaN) below the anonymity threshold.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from insights.analytics.stats import is_suppressed, mean_estimate, nps
from insights.domain import ANONYMITY_THRESHOLD, PUBLISHED, SHORT_QUESTION_LABELS, split_list
from insights.language.text import FRENCH_STOPWORDS, fold, stem, tokenize_spans


def talks_by_speaker(interventions: pd.DataFrame) -> dict[str, list[str]]:
    """The intervention ids of each speaker in `interventions` (`speaker_ids` lists), in order."""
    talks: dict[str, list[str]] = {}
    for talk_id, speaker_ids in zip(
        interventions["intervention_id"], interventions["speaker_ids"], strict=True
    ):
        for speaker_id in speaker_ids:
            talks.setdefault(speaker_id, []).append(talk_id)
    return talks


# --- the directory ----------------------------------------------------------------------------

DIRECTORY_COLUMNS = [
    "speaker_id",
    "name",
    "title",
    "organisation",
    "org_type",
    "sector",
    "networks",
    "years_experience",
    "education",
    "talks",
    "last_talk",
    "satisfaction_n",
    "satisfaction",
    "satisfaction_low",
    "satisfaction_high",
    "latest_quote",
]


def speaker_directory(
    speakers: pd.DataFrame,
    interventions: pd.DataFrame,
    scores: pd.DataFrame,
    quotes: pd.DataFrame,
    threshold: int = ANONYMITY_THRESHOLD,
    include_without_talks: bool = False,
) -> pd.DataFrame:
    """One row per speaker of the selected `interventions`, with what a directory card shows.

    Inputs as the store loaders give them (`interventions` already filtered), `scores` as from
    `metrics.scores_by_response` with a `satisfaction` column. A speaker is listed when one of
    their talks is selected, or always with `include_without_talks`. Figures cover the selected
    talks only: `talks` (count), `last_talk` (latest ISO date, "" without talks), the mean
    `satisfaction` with its 95% interval (NaN below `threshold` answers; `satisfaction_n` is
    always given), `latest_quote` (text of the latest published quote from a selected talk or
    from no known talk; missing when there is none). `networks` is a list. Columns: DIRECTORY_COLUMNS, in
    `speakers` order.
    """
    talks = talks_by_speaker(interventions)
    talk_dates = dict(zip(interventions["intervention_id"], interventions["date"], strict=True))
    satisfaction_by_talk = {
        key: frame["satisfaction"].to_numpy(dtype="float64")
        for key, frame in scores.groupby("intervention_id", sort=False)
    }
    latest = _latest_quotes(quotes, talk_dates)
    rows = []
    for speaker in speakers.itertuples(index=False):
        own_talks = talks.get(speaker.speaker_id, [])
        if not own_talks and not include_without_talks:
            continue
        answered = [satisfaction_by_talk[t] for t in own_talks if t in satisfaction_by_talk]
        estimate = mean_estimate(np.concatenate(answered) if answered else np.empty(0))
        hidden = is_suppressed(estimate.n, threshold)
        rows.append(
            {
                "speaker_id": speaker.speaker_id,
                "name": speaker.name,
                "title": speaker.title,
                "organisation": speaker.organisation,
                "org_type": speaker.org_type,
                "sector": speaker.sector,
                "networks": split_list(speaker.networks),
                "years_experience": speaker.years_experience,
                "education": speaker.education,
                "talks": len(own_talks),
                "last_talk": max((talk_dates[t] for t in own_talks), default=""),
                "satisfaction_n": estimate.n,
                "satisfaction": math.nan if hidden else estimate.mean,
                "satisfaction_low": math.nan if hidden else estimate.low,
                "satisfaction_high": math.nan if hidden else estimate.high,
                "latest_quote": latest.get(speaker.speaker_id),
            }
        )
    return pd.DataFrame(rows, columns=DIRECTORY_COLUMNS)


def _latest_quotes(quotes: pd.DataFrame, talk_dates: dict[str, str]) -> dict[str, str]:
    """The latest published quote of each speaker among quotes from the selected talks or from
    no known talk (those count as the oldest)."""
    published = quotes[quotes["status"] == PUBLISHED]
    best: dict[str, tuple[str, str, str]] = {}
    for quote_id, text, speaker_id, talk_id in zip(
        published["quote_id"],
        published["text"],
        published["speaker_id"],
        published["intervention_id"],
        strict=True,
    ):
        known_talk = isinstance(talk_id, str) and talk_id != ""
        if known_talk and talk_id not in talk_dates:
            continue
        candidate = (talk_dates[talk_id] if known_talk else "", quote_id, text)
        if speaker_id not in best or candidate[:2] > best[speaker_id][:2]:
            best[speaker_id] = candidate
    return {speaker_id: entry[2] for speaker_id, entry in best.items()}


def search_directory(
    directory: pd.DataFrame,
    query: str = "",
    sectors: Iterable[str] = (),
    networks: Iterable[str] = (),
) -> pd.DataFrame:
    """The directory rows matching a search and the page's own filters.

    `query`: every word must appear in the name or the organisation, accents and case ignored
    ("emilie toits" finds Émilie Rousseau of Toits Solidaires). `sectors`: the sector is one of
    them; `networks`: the speaker runs at least one of them. Empty means no restriction.
    """
    mask = pd.Series(True, index=directory.index)
    words = fold(query).split()
    if words:
        haystacks = (directory["name"].astype(str) + " " + directory["organisation"].astype(str)).map(fold)
        mask &= haystacks.map(lambda haystack: all(word in haystack for word in words))
    wanted_sectors = set(sectors)
    if wanted_sectors:
        mask &= directory["sector"].isin(wanted_sectors)
    wanted_networks = set(networks)
    if wanted_networks:
        mask &= directory["networks"].map(lambda runs: bool(wanted_networks.intersection(runs)))
    return directory[mask]


SORT_OPTIONS: dict[str, str] = {
    "recency": "Venue la plus récente",
    "rating": "Satisfaction",
    "talks": "Nombre d'interventions",
    "name": "Nom (A → Z)",
}
"""The directory's orders, by key, with their French labels."""


def sort_directory(directory: pd.DataFrame, by: str) -> pd.DataFrame:
    """The directory in one of the SORT_OPTIONS orders.

    "rating": best satisfaction first, withheld ratings last (more answers first among them);
    "talks": most talks first, then the most recent; "recency": latest talk first; "name":
    alphabetical, accents ignored. Ties are broken by name.
    """
    if by not in SORT_OPTIONS:
        raise ValueError(f"unknown sort {by!r}; expected one of {sorted(SORT_OPTIONS)}")
    frame = directory.assign(_name=directory["name"].astype(str).map(fold))
    if by == "rating":
        frame = frame.assign(_rated=frame["satisfaction"].notna())
        keys, ascending = ["_rated", "satisfaction", "satisfaction_n", "_name"], [False, False, False, True]
    elif by == "talks":
        keys, ascending = ["talks", "last_talk", "_name"], [False, False, True]
    elif by == "recency":
        keys, ascending = ["last_talk", "_name"], [False, True]
    else:
        keys, ascending = ["_name"], [True]
    ordered = frame.sort_values(keys, ascending=ascending, na_position="last", kind="stable")
    return ordered.drop(columns=[c for c in ("_name", "_rated") if c in ordered]).reset_index(drop=True)


# --- a speaker's profile ----------------------------------------------------------------------

TALK_COLUMNS = [
    "intervention_id",
    "date",
    "cohort",
    "semester",
    "title",
    "format",
    "themes",
    "tools",
    "co_speakers",
    "responses",
    "satisfaction_n",
    "satisfaction",
]


def speaker_talks(
    speaker_id: str,
    interventions: pd.DataFrame,
    response_counts: pd.DataFrame,
    scores: pd.DataFrame,
    threshold: int = ANONYMITY_THRESHOLD,
) -> pd.DataFrame:
    """The talks a speaker gave, latest first, each with its responses and mean satisfaction
    (NaN below `threshold` answers). `co_speakers`: the other speakers' ids.

    Columns: TALK_COLUMNS.
    """
    own = interventions[interventions["speaker_ids"].map(lambda ids: speaker_id in ids)]
    counts = dict(zip(response_counts["intervention_id"], response_counts["responses"], strict=True))
    satisfaction_by_talk = {key: frame["satisfaction"] for key, frame in scores.groupby("intervention_id")}
    rows = []
    for talk in own.itertuples(index=False):
        estimate = mean_estimate(satisfaction_by_talk.get(talk.intervention_id, []))
        rows.append(
            {
                "intervention_id": talk.intervention_id,
                "date": talk.date,
                "cohort": talk.cohort,
                "semester": talk.semester,
                "title": talk.title,
                "format": talk.format,
                "themes": list(talk.themes),
                "tools": split_list(talk.tools),
                "co_speakers": [s for s in talk.speaker_ids if s != speaker_id],
                "responses": int(counts.get(talk.intervention_id, 0)),
                "satisfaction_n": estimate.n,
                "satisfaction": math.nan if is_suppressed(estimate.n, threshold) else estimate.mean,
            }
        )
    frame = pd.DataFrame(rows, columns=TALK_COLUMNS)
    return frame.sort_values(["date", "intervention_id"], ascending=False, ignore_index=True)


RATING_COLUMNS = [
    "question_id",
    "label",
    "n",
    "mean",
    "low",
    "high",
    "programme_n",
    "programme_mean",
    "programme_low",
    "programme_high",
]


def question_ratings(
    talk_ids: Iterable[str],
    scores: pd.DataFrame,
    question_ids: Sequence[str],
    threshold: int = ANONYMITY_THRESHOLD,
) -> pd.DataFrame:
    """The mean answer to each question over the given talks, beside the programme's mean over
    every response of `scores`, both with n and a 95% interval.

    A mean and its interval are NaN below `threshold` answers (n is always given). `label` is
    the question's short French label. Columns: RATING_COLUMNS, in `question_ids` order.
    """
    own = scores[scores["intervention_id"].isin(set(talk_ids))]
    rows = []
    for question_id in question_ids:
        speaker = mean_estimate(own[question_id]) if question_id in own else mean_estimate([])
        programme = mean_estimate(scores[question_id]) if question_id in scores else mean_estimate([])
        hidden = is_suppressed(speaker.n, threshold)
        programme_hidden = is_suppressed(programme.n, threshold)
        rows.append(
            {
                "question_id": question_id,
                "label": SHORT_QUESTION_LABELS.get(question_id, question_id),
                "n": speaker.n,
                "mean": math.nan if hidden else speaker.mean,
                "low": math.nan if hidden else speaker.low,
                "high": math.nan if hidden else speaker.high,
                "programme_n": programme.n,
                "programme_mean": math.nan if programme_hidden else programme.mean,
                "programme_low": math.nan if programme_hidden else programme.low,
                "programme_high": math.nan if programme_hidden else programme.high,
            }
        )
    return pd.DataFrame(rows, columns=RATING_COLUMNS)


QUOTE_COLUMNS = ["quote_id", "text", "themes", "intervention_title", "date"]


def published_quotes(speaker_id: str, quotes: pd.DataFrame, interventions: pd.DataFrame) -> pd.DataFrame:
    """A speaker's published quotes, latest talk first (quotes from no known talk last), with
    the talk's title and date ("" when unknown). Columns: QUOTE_COLUMNS."""
    own = quotes[(quotes["speaker_id"] == speaker_id) & (quotes["status"] == PUBLISHED)]
    talks = interventions.set_index("intervention_id")
    rows = []
    for quote in own.itertuples(index=False):
        known = isinstance(quote.intervention_id, str) and quote.intervention_id in talks.index
        rows.append(
            {
                "quote_id": quote.quote_id,
                "text": quote.text,
                "themes": list(quote.themes),
                "intervention_title": talks.at[quote.intervention_id, "title"] if known else "",
                "date": talks.at[quote.intervention_id, "date"] if known else "",
            }
        )
    frame = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    return frame.sort_values(["date", "quote_id"], ascending=[False, True], ignore_index=True)


# --- the takeaways students cite --------------------------------------------------------------

# Punctuation that ends a clause: an expression never runs across it, so that a lead-in such as
# "Ce que je retiens :" or "Surtout," does not glue itself to the advice that follows.
_CLAUSE_BREAK = re.compile(r"[.!?;:,()\[\]«»\"“”…–—/\n]")

# A short lead-in ending with a colon ("Ce que je retiens :", "Le conseil principal :") is not advice.
_LEAD_IN = re.compile(r"^[^.!?:\n]{0,40}:")

NEGATIONS: frozenset[str] = frozenset({"ne", "pas", "jamais", "sans", "aucun", "aucune", "rien", "ni"})
"""Folded stop words kept in expressions: without them "pas besoin de répondre la nuit" would read
as its opposite."""

EXPRESSION_COLUMNS = ["expression", "answers", "share"]


def frequent_expressions(
    texts: Iterable[str | None],
    min_answers: int = ANONYMITY_THRESHOLD,
    max_words: int = 10,
    limit: int = 8,
    overlap: float = 0.8,
) -> pd.DataFrame:
    """The expressions most free-text answers share, each cited by at least `min_answers` answers.

    An expression is a run of 2 to `max_words` content words within one clause, compared by
    stems (accents, case, plurals and stop words ignored: "répondre à chaud à un troll" and
    "Ne jamais repondre a chaud aux trolls" share one). A shorter expression is dropped when a
    longer one containing it is cited by nearly as many answers (`overlap`), and one mostly cited
    by the same answers as a kept expression at least as long, sharing a word with it, is
    skipped: each piece of advice appears once, in full. Shown in its most frequent wording. Columns: expression, answers (count),
    share (of the non-empty answers); most cited first, at most `limit` rows.
    """
    answers = [text for text in texts if isinstance(text, str) and text.strip()]
    citing: dict[tuple[str, ...], set[int]] = {}
    wordings: dict[tuple[str, ...], Counter[str]] = {}
    for index, text in enumerate(answers):
        for key, wording in _expressions_of(text, max_words):
            citing.setdefault(key, set()).add(index)
            wordings.setdefault(key, Counter())[wording] += 1
    frequent = {key: ids for key, ids in citing.items() if len(ids) >= max(min_answers, 1)}
    # A frequent expression is absorbed by a longer one holding it that nearly as many cite.
    absorbed: set[tuple[str, ...]] = set()
    for key, ids in frequent.items():
        for part in _parts(key):
            if part in frequent and len(ids) >= overlap * len(frequent[part]):
                absorbed.add(part)
    maximal = {key: ids for key, ids in frequent.items() if key not in absorbed}
    kept: list[tuple[tuple[str, ...], set[int]]] = []
    for key, ids in sorted(maximal.items(), key=lambda item: (-len(item[1]), -len(item[0]), item[0])):
        if any(
            len(other) >= len(key) and set(key) & set(other) and len(ids & other_ids) >= overlap * len(ids)
            for other, other_ids in kept
        ):
            continue
        kept.append((key, ids))
        if len(kept) == limit:
            break
    rows = [
        {
            "expression": _display(_preferred_wording(wordings[key])),
            "answers": len(ids),
            "share": len(ids) / len(answers),
        }
        for key, ids in kept
    ]
    return pd.DataFrame(rows, columns=EXPRESSION_COLUMNS)


@lru_cache(maxsize=20_000)
def _expressions_of(text: str, max_words: int) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Each expression (tuple of stems) of one answer with its wording in the answer (cached:
    short answers often repeat word for word)."""
    lead_in = _LEAD_IN.match(text)
    offset = lead_in.end() if lead_in else 0
    clauses: list[list[tuple[str, int, int]]] = [[]]
    clause_starts: list[int | None] = [None]  # where each clause's first word starts
    previous_end = offset
    for token in tokenize_spans(text):
        if token.start < offset:
            continue
        if _CLAUSE_BREAK.search(text, previous_end, token.start):
            clauses.append([])
            clause_starts.append(None)
        if clause_starts[-1] is None:
            clause_starts[-1] = token.start
        previous_end = token.end
        if token.word in NEGATIONS:
            clauses[-1].append((token.word, token.start, token.end))
        elif token.word not in FRENCH_STOPWORDS:
            clauses[-1].append((stem(token.word), token.start, token.end))
    found: dict[tuple[str, ...], str] = {}
    for clause, clause_start in zip(clauses, clause_starts, strict=True):
        for size in range(2, max_words + 1):
            for start in range(len(clause) - size + 1):
                window = clause[start : start + size]
                key = tuple(word for word, _, _ in window)
                if key[-1] in NEGATIONS or sum(word not in NEGATIONS for word in key) < 2:
                    continue
                # An expression that opens its clause keeps the clause's first words ("Une ligne…").
                begin = clause_start if start == 0 and clause_start is not None else window[0][1]
                found.setdefault(key, text[begin : window[-1][2]])
    return tuple(found.items())


def _parts(key: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """The shorter runs of at least two words inside an expression."""
    for size in range(2, len(key)):
        for start in range(len(key) - size + 1):
            yield key[start : start + size]


def _preferred_wording(wordings: Counter[str]) -> str:
    """The most frequent wording; on a tie, the one written with accents, then the first."""
    return max(wordings.items(), key=lambda item: (item[1], sum(not c.isascii() for c in item[0])))[0]


def _display(wording: str) -> str:
    wording = " ".join(wording.split())
    return wording[:1].upper() + wording[1:]


# --- whom to invite again ---------------------------------------------------------------------

REINVITE_COLUMNS = [
    "speaker_id",
    "name",
    "organisation",
    "org_type",
    "talks",
    "last_talk",
    "nps_n",
    "nps",
    "usefulness_n",
    "usefulness",
    "usefulness_low",
    "usefulness_high",
    "below_threshold",
]


def reinvite_ranking(
    speakers: pd.DataFrame,
    interventions: pd.DataFrame,
    scores: pd.DataFrame,
    threshold: int = ANONYMITY_THRESHOLD,
) -> pd.DataFrame:
    """The speakers of the selected talks ranked by "réinviter" NPS, then by usefulness.

    `scores` needs `recommend` (0–10) and `usefulness` (1–5) columns. `nps` and `usefulness`
    (with its interval) are NaN below `threshold` answers, and `below_threshold` flags the rows
    where either is withheld; flagged rows come after the others (ranked by what they show).
    Columns: REINVITE_COLUMNS.
    """
    talks = talks_by_speaker(interventions)
    talk_dates = dict(zip(interventions["intervention_id"], interventions["date"], strict=True))
    by_talk = {
        key: (frame["recommend"].to_numpy(dtype="float64"), frame["usefulness"].to_numpy(dtype="float64"))
        for key, frame in scores.groupby("intervention_id", sort=False)
    }
    rows = []
    for speaker in speakers.itertuples(index=False):
        own_talks = talks.get(speaker.speaker_id)
        if not own_talks:
            continue
        answered = [by_talk[t] for t in own_talks if t in by_talk]
        recommend = nps(np.concatenate([r for r, _ in answered]) if answered else np.empty(0))
        usefulness = mean_estimate(np.concatenate([u for _, u in answered]) if answered else np.empty(0))
        nps_hidden = is_suppressed(recommend.n, threshold)
        usefulness_hidden = is_suppressed(usefulness.n, threshold)
        rows.append(
            {
                "speaker_id": speaker.speaker_id,
                "name": speaker.name,
                "organisation": speaker.organisation,
                "org_type": speaker.org_type,
                "talks": len(own_talks),
                "last_talk": max(talk_dates[t] for t in own_talks),
                "nps_n": recommend.n,
                "nps": math.nan if nps_hidden else recommend.score,
                "usefulness_n": usefulness.n,
                "usefulness": math.nan if usefulness_hidden else usefulness.mean,
                "usefulness_low": math.nan if usefulness_hidden else usefulness.low,
                "usefulness_high": math.nan if usefulness_hidden else usefulness.high,
                "below_threshold": nps_hidden or usefulness_hidden,
            }
        )
    frame = pd.DataFrame(rows, columns=REINVITE_COLUMNS)
    frame["_name"] = frame["name"].astype(str).map(fold)
    frame = frame.sort_values(
        ["below_threshold", "nps", "usefulness", "nps_n", "_name"],
        ascending=[True, False, False, False, True],
        na_position="last",
        kind="stable",
    )
    return frame.drop(columns="_name").reset_index(drop=True)
