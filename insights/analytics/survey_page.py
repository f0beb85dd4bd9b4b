"""The Enquêtes page as one computation: its widgets' choices in, every figure it shows out
(`page_figures`), which is what the page runs and what the benchmark times."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from insights.analytics.free_text import comments, term_frequencies, term_trend, text_answer_count
from insights.analytics.model import Model
from insights.analytics.survey import (
    SelectionSummary,
    choice_by_format,
    compare_with_references,
    likert_distribution,
    nps_by_speaker,
    nps_by_talk,
    pillar_profile,
    question_trends,
    response_rates,
    selection_summary,
    talk_distribution,
)
from insights.filters import Filters


def limit_rows(frame: pd.DataFrame, which: str, count: int = 15) -> pd.DataFrame:
    """The rows a ranked chart shows: "top" the first `count` shown (not suppressed) rows,
    "bottom" the last `count` (still best first), anything else every shown row."""
    shown = frame[~frame["suppressed"].astype(bool)]
    if which == "top":
        return shown.head(count).reset_index(drop=True)
    if which == "bottom":
        return shown.tail(count).reset_index(drop=True)
    return shown.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Chart selections


def talks_from_selection(points: Iterable[Mapping[str, Any]]) -> list[str]:
    """The intervention ids of the points selected in a chart whose traces carry the id as the
    first item of `customdata` (or as `customdata` itself), in order, without repeats."""
    found: dict[str, None] = {}
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list | tuple):
            data = data[0] if data else None
        if isinstance(data, str) and data:
            found[data] = None
    return list(found)


# ---------------------------------------------------------------------------------------------
# Every figure of the page for one selection (what the benchmark times)


@dataclass(frozen=True)
class PageChoices:
    """What the page's own widgets choose; `None` (or a choice no longer offered) picks the
    page's default, and `page_figures` returns the choices it used."""

    question_id: str | None = None
    ranking: str = "top"
    nps_question_id: str | None = None
    nps_ranking: str = "top"
    target_kind: str = "talk"
    target_talk: str | None = None
    target_speaker: str | None = None
    choice_question_id: str | None = None
    trend_question_id: str | None = None
    text_question_id: str | None = None
    comment_talks: tuple[str, ...] = ()
    term: str | None = None
    query: str = ""


RANKINGS = ("top", "bottom", "all")
TARGET_KINDS = ("talk", "speaker")
COMMENT_LIMIT = 200


@dataclass(frozen=True)
class PageFigures:
    """Every figure of the Enquêtes page for one selection and the page's choices (`choices`,
    resolved: each one is an option the page offers); `unpublished` counts the selected talks
    whose results this audience may not see, `shows_comments` whether it reads comments."""

    choices: PageChoices
    unpublished: int
    shows_comments: bool
    summary: SelectionSummary
    distribution: pd.DataFrame
    talks: pd.DataFrame
    nps_talks: pd.DataFrame
    nps_speakers: pd.DataFrame
    target_talks: pd.DataFrame
    target_speakers: pd.DataFrame
    pillars: pd.DataFrame
    comparison: pd.DataFrame
    choice_shares: pd.DataFrame
    trends: pd.DataFrame
    response_rates: pd.DataFrame
    text_answers: int
    terms: pd.DataFrame
    term_trend: pd.DataFrame
    comments: pd.DataFrame
    comment_total: int

    def frames(self) -> dict[str, pd.DataFrame]:
        """The figures' tables by name (the summary and counts as a one-row table; the widgets'
        options left out)."""
        summary = self.summary
        head = {
            "interventions": summary.interventions,
            "responses": summary.responses,
            "expected": summary.expected,
            "response_rate": summary.response_rate,
            "satisfaction_n": summary.satisfaction.n if summary.satisfaction else 0,
            "satisfaction": summary.satisfaction.mean if summary.satisfaction else math.nan,
            "nps_n": summary.recommend.n if summary.recommend else 0,
            "nps": summary.recommend.score if summary.recommend else math.nan,
            "text_answers": self.text_answers,
            "comment_total": self.comment_total,
        }
        skipped = (
            "choices",
            "unpublished",
            "shows_comments",
            "summary",
            "text_answers",
            "comment_total",
            "target_talks",
            "target_speakers",
        )
        named = {name: getattr(self, name) for name in self.__dataclass_fields__ if name not in skipped}
        return {"summary": pd.DataFrame([head]), **named}


def _pick(value: Any, options: Sequence[Any], default: Any) -> Any:
    return value if value in options else default


def _preferred(options: Sequence[str], preferred: str) -> str | None:
    return preferred if preferred in options else next(iter(options), None)


def page_figures(
    conn: sqlite3.Connection,
    model: Model,
    filters: Filters,
    choices: PageChoices = PageChoices(),
    director: bool = False,
) -> PageFigures:
    """Every figure of the Enquêtes page for the sidebar's `filters` and the page's choices, as
    its audience may see them: the director, every selected talk and every comment; anyone else,
    the selected talks whose results are published, and their public comments when the director
    chose to show them (none otherwise)."""
    cube, threshold = model.cube, model.anonymity_threshold
    selected = model.mask(filters)
    visible = model.results_mask(director)
    mask = selected & visible
    texts = model.texts_for(director)
    likert, nps_ids = cube.question_ids("likert5"), cube.question_ids("nps")
    choice_ids, text_ids = cube.question_ids("choice"), cube.question_ids("text")
    eligible = np.flatnonzero(mask & (cube.responses >= threshold))[::-1]
    target_talks = cube.talks.iloc[eligible][["intervention_id", "title", "date", "cohort"]].reset_index(
        drop=True
    )
    target_speakers = cube.speakers.loc[cube.speaker_talks[:, mask].any(axis=1), ["speaker_id", "name"]]
    target_speakers = target_speakers.reset_index(drop=True)
    resolved = replace(
        choices,
        question_id=_pick(choices.question_id, likert, next(iter(likert), None)),
        ranking=_pick(choices.ranking, RANKINGS, "top"),
        nps_question_id=_pick(choices.nps_question_id, nps_ids, _preferred(nps_ids, "recommend")),
        nps_ranking=_pick(choices.nps_ranking, RANKINGS, "top"),
        target_kind=_pick(choices.target_kind, TARGET_KINDS, "talk"),
        target_talk=_pick(
            choices.target_talk,
            list(target_talks["intervention_id"]),
            next(iter(target_talks["intervention_id"]), None),
        ),
        target_speaker=_pick(
            choices.target_speaker,
            list(target_speakers["speaker_id"]),
            next(iter(target_speakers["speaker_id"]), None),
        ),
        choice_question_id=_pick(choices.choice_question_id, choice_ids, _preferred(choice_ids, "best_part")),
        trend_question_id=_pick(choices.trend_question_id, likert, next(iter(likert), None)),
        text_question_id=_pick(choices.text_question_id, text_ids, next(iter(text_ids), None)),
        comment_talks=tuple(t for t in choices.comment_talks if t in set(target_talks["intervention_id"])),
    )
    if resolved.target_kind == "speaker" and resolved.target_speaker is not None:
        target = cube.speaker_mask(resolved.target_speaker) & mask
    else:
        target = cube.mask([resolved.target_talk] if resolved.target_talk else [])
    scope = cube.mask(resolved.comment_talks) & mask if resolved.comment_talks else mask
    empty = pd.DataFrame()
    text_question = resolved.text_question_id
    terms = term_frequencies(texts, scope, text_question, threshold) if text_question else empty
    term_options = list(terms["term"]) if len(terms) else []
    resolved = replace(resolved, term=_pick(choices.term, term_options, next(iter(term_options), None)))
    shows_comments = director or model.settings.student_comments
    if shows_comments and text_question:
        comment_frame, comment_total = comments(
            conn,
            cube,
            texts,
            scope,
            [text_question],
            query=choices.query,
            threshold=threshold,
            limit=COMMENT_LIMIT,
            public_only=not director,
        )
    else:
        comment_frame, comment_total = empty, 0
    question, nps_question = resolved.question_id, resolved.nps_question_id
    return PageFigures(
        choices=resolved,
        unpublished=int((selected & ~visible).sum()),
        shows_comments=shows_comments,
        summary=selection_summary(cube, mask, threshold),
        distribution=likert_distribution(cube, mask, threshold),
        talks=talk_distribution(cube, mask, question, threshold) if question else empty,
        nps_talks=nps_by_talk(cube, mask, nps_question, threshold) if nps_question else empty,
        nps_speakers=nps_by_speaker(cube, mask, nps_question, threshold) if nps_question else empty,
        target_talks=target_talks,
        target_speakers=target_speakers,
        pillars=pillar_profile(cube, target, threshold, programme=visible),
        comparison=compare_with_references(cube, target, threshold, programme=visible),
        choice_shares=(
            choice_by_format(cube, mask, resolved.choice_question_id, threshold)
            if resolved.choice_question_id
            else empty
        ),
        trends=question_trends(cube, mask, threshold),
        response_rates=response_rates(cube, mask, threshold),
        text_answers=text_answer_count(texts, scope, text_question) if text_question else 0,
        terms=terms,
        term_trend=(
            term_trend(texts, cube, scope, text_question, resolved.term, threshold)
            if resolved.term
            else empty
        ),
        comments=comment_frame,
        comment_total=comment_total,
    )
