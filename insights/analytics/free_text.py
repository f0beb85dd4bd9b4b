"""The survey's free-text figures: the terms students use most, a term's trend over cohorts, and
the comments themselves (the director's only), searched through the store's full-text index.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Sequence

import numpy as np
import pandas as pd

from insights import store
from insights.analytics.cube import SurveyCube, SurveyTexts
from insights.analytics.stats import suppress
from insights.domain import ANONYMITY_THRESHOLD
from insights.language.answers import answer_terms


def text_answer_count(texts: SurveyTexts, mask: np.ndarray, question_id: str) -> int:
    """Non-empty answers of the selection to a text question."""
    if question_id not in texts.question_ids:
        return 0
    return int(texts.answered[texts.question_ids.index(question_id)][mask].sum())


TERM_COLUMNS = ["term", "word", "answers", "share"]


def term_frequencies(
    texts: SurveyTexts,
    mask: np.ndarray,
    question_id: str,
    threshold: int = ANONYMITY_THRESHOLD,
    limit: int = 20,
) -> pd.DataFrame:
    """The terms most often used in the selection's answers to a text question.

    Columns: term (stem), word (its most frequent written form), answers (answers mentioning
    it), share (of the selection's non-empty answers). Terms mentioned in fewer than
    `threshold` answers are left out, and so is everything when the selection has fewer than
    `threshold` answers. Most frequent first (ties alphabetical), at most `limit` rows.
    """
    n = text_answer_count(texts, mask, question_id)
    if n < threshold:
        return pd.DataFrame(
            {"term": pd.Series(dtype="str"), "word": pd.Series(dtype="str"),
             "answers": pd.Series(dtype="int64"), "share": pd.Series(dtype="float64")}
        )  # fmt: skip
    counts = texts.mentions(question_id, mask)
    keep = np.flatnonzero(counts >= threshold)
    order = sorted(keep, key=lambda i: (-int(counts[i]), texts.words[i], texts.stems[i]))[:limit]
    return pd.DataFrame(
        {
            "term": pd.array([texts.stems[i] for i in order], dtype="str"),
            "word": pd.array([texts.words[i] for i in order], dtype="str"),
            "answers": np.array([counts[i] for i in order], dtype="int64"),
            "share": np.array([counts[i] / n for i in order], dtype="float64"),
        }
    )


TERM_TREND_COLUMNS = ["cohort", "n", "answers", "share", "suppressed"]


def term_trend(
    texts: SurveyTexts,
    cube: SurveyCube,
    mask: np.ndarray,
    question_id: str,
    term: str,
    threshold: int = ANONYMITY_THRESHOLD,
) -> pd.DataFrame:
    """The share of each cohort's answers (in the selection) that mention a term (a stem).

    Columns: TERM_TREND_COLUMNS, one row per cohort of the selection, in order; cohorts with
    fewer than `threshold` answers suppressed.
    """
    cohorts = cube.column["cohort"]
    present = sorted(set(cohorts[mask]))
    index = texts.term_index(term)
    q = texts.question_index(question_id)
    rows = []
    for cohort in present:
        group = mask & (cohorts == cohort)
        n = int(texts.answered[q][group].sum()) if q is not None else 0
        mentions = int(texts.mentions(question_id, group)[index]) if index is not None else 0
        rows.append({"cohort": cohort, "n": n, "answers": mentions, "share": mentions / n if n else math.nan})
    frame = pd.DataFrame(rows, columns=["cohort", "n", "answers", "share"])
    hidden = frame["n"].to_numpy(dtype="int64") < threshold
    return suppress(frame, hidden, ["n", "answers", "share"])[TERM_TREND_COLUMNS]


COMMENT_COLUMNS = ["intervention_id", "title", "date", "cohort", "question", "text", "review"]


def comments(
    conn: sqlite3.Connection,
    cube: SurveyCube,
    texts: SurveyTexts,
    mask: np.ndarray,
    question_ids: Sequence[str],
    *,
    query: str = "",
    threshold: int = ANONYMITY_THRESHOLD,
    limit: int = 200,
    public_only: bool = False,
) -> tuple[pd.DataFrame, int]:
    """The selection's free-text answers to `question_ids`, latest talks first (then question by
    question, latest answer first), at most `limit`, and how many there are in all.

    Only talks with at least `threshold` responses give their comments (a comment names its
    talk). `query` keeps the comments holding every term of it (accents, case and plurals
    folded), or, for a query of stop words only, its folded text. With `public_only`, the public
    answers only, as shown (their edited text, if any); `review` is each answer's review.
    Columns: COMMENT_COLUMNS.
    """
    allowed = np.flatnonzero(mask & (cube.responses >= threshold))[::-1]
    talk_ids = [str(t) for t in cube.column["intervention_id"][allowed]]
    wanted = [q for q in texts.question_ids if q in set(question_ids)]
    stems = list(dict.fromkeys(stem for stem, _ in answer_terms(query)))
    if stems:
        rows, total = store.search_comments(conn, talk_ids, wanted, stems, limit, public_only)
    elif query.strip():
        rows, total = store.comments_containing(conn, talk_ids, wanted, query, limit, public_only)
    else:
        rows = store.latest_comments(conn, talk_ids, wanted, limit, public_only)
        question_rows = [texts.question_ids.index(q) for q in wanted]
        total = int(texts.answered[np.ix_(question_rows, allowed)].sum()) if question_rows else 0
    positions = np.array([cube.positions[talk_id] for talk_id, _, _, _ in rows], dtype="int64")
    frame = pd.DataFrame(
        {
            "intervention_id": cube.column["intervention_id"][positions],
            "title": cube.column["title"][positions],
            "date": cube.column["date"][positions],
            "cohort": cube.column["cohort"][positions],
            "question": [cube.label(question_id) for _, question_id, _, _ in rows],
            "text": [text for _, _, text, _ in rows],
            "review": [review for _, _, _, review in rows],
        },
        columns=COMMENT_COLUMNS,
    )
    return frame, total
