"""Publication: who may see a talk's results, the director's view of every talk's state, and what
publishing a set of talks would show students.

The rules, applied by every page, the exports and the reports through the model
(`Model.results_mask`, `Model.texts_for`): the director sees everything; anyone else sees the
figures of talks whose results are published, and of their free-text answers only those reviewed
public, as the director left them (a name removed). On top of that, for everyone, no figure rests
on fewer answers than the anonymity threshold, and a talk under the participation threshold is
marked "(participation faible)".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from insights.analytics.model import Model
from insights.analytics.stats import is_suppressed
from insights.domain import PUBLISHED_RESULTS, RESULT_STATE_LABELS

STATUS_COLUMNS = [
    "intervention_id",
    "title",
    "date",
    "cohort",
    "state",
    "state_label",
    "responses",
    "rate",
    "low_participation",
    "below_threshold",
    "text_answers",
    "pending",
    "public",
    "reviewed_at",
    "published_at",
]


def publication_status(
    model: Model, publication: pd.DataFrame, reviews: pd.DataFrame, mask: np.ndarray
) -> pd.DataFrame:
    """Every selected talk as the director manages its publication, latest first: its state (and
    its French label), responses and response rate, whether participation is low or responses
    under the anonymity threshold, its free-text answers (how many in all, pending, public) and
    when it was last reviewed and published. `publication` and `reviews` as from
    `store.load_publication` and `store.review_counts`. Columns: STATUS_COLUMNS."""
    cube = model.cube
    positions = np.flatnonzero(mask)[::-1]
    dates = publication.set_index("intervention_id")
    texts = reviews.set_index("intervention_id")
    ids = cube.column["intervention_id"][positions]
    sizes = cube.column["cohort_size"][positions]
    responses = cube.responses[positions]
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = np.where(sizes > 0, responses / np.maximum(sizes, 1), np.nan)
    states = model.states[positions]

    def of(frame: pd.DataFrame, column: str, default: object) -> list:
        return [frame.at[i, column] if i in frame.index else default for i in ids]

    return pd.DataFrame(
        {
            "intervention_id": ids,
            "title": cube.column["label"][positions],
            "date": cube.column["date"][positions],
            "cohort": cube.column["cohort"][positions],
            "state": states,
            "state_label": [RESULT_STATE_LABELS[s] for s in states],
            "responses": responses.astype("int64"),
            "rate": rates,
            "low_participation": cube.column["low_participation"][positions].astype(bool),
            "below_threshold": [is_suppressed(int(n), model.anonymity_threshold) for n in responses],
            "text_answers": of(texts, "answers", 0),
            "pending": of(texts, "pending", 0),
            "public": of(texts, "public", 0),
            "reviewed_at": of(dates, "reviewed_at", ""),
            "published_at": of(dates, "published_at", ""),
        },
        columns=STATUS_COLUMNS,
    )


@dataclass(frozen=True)
class PublishPreview:
    """What publishing some talks would show students, for the confirmation."""

    talks: int
    already_published: int
    without_answers: list[str]
    responses: int
    below_threshold: int
    low_participation: int
    public_comments: int
    pending_comments: int
    comments_shown: bool


def publish_preview(model: Model, status: pd.DataFrame, talk_ids: list[str]) -> PublishPreview:
    """What students will see once `talk_ids` are published (`status` as from
    `publication_status`, covering those talks)."""
    rows = status[status["intervention_id"].isin(talk_ids)]
    return PublishPreview(
        talks=len(rows),
        already_published=int((rows["state"] == PUBLISHED_RESULTS).sum()),
        without_answers=rows.loc[rows["responses"] == 0, "intervention_id"].tolist(),
        responses=int(rows["responses"].sum()),
        below_threshold=int(rows["below_threshold"].sum()),
        low_participation=int(rows["low_participation"].sum()),
        public_comments=int(rows["public"].sum()),
        pending_comments=int(rows["pending"].sum()),
        comments_shown=model.settings.student_comments,
    )
