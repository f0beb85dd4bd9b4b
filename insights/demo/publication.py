"""The demo's publication and review: the oldest cohorts' results published, the latest cohort's
still in review (its first semester read by the director, its second still collecting), and the
director's decisions on the students' free-text answers (most of the published talks' answers
reviewed, a third of the latest cohort's)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from insights import domain
from insights.demo.answers import IMPROVE_BLUNT_OPENERS
from insights.demo.tables import TABLE_COLUMNS

REVIEWED_SHARES = {
    domain.PUBLISHED_RESULTS: 0.9,
    domain.REVIEWED: 0.5,
    domain.COLLECTING: 0.2,
}
"""The share of a talk's free-text answers the director has reviewed, by the talk's results
state: nearly all of a published talk's, half of a talk being reviewed, a few of one still
collecting (the latest cohort's together: about a third)."""

DECISIONS: dict[str, tuple[float, float, float]] = {
    "takeaway": (0.92, 0.05, 0.03),
    "improve": (0.74, 0.2, 0.06),
}
"""The chances that a reviewed answer is made public, private or removed (REVIEW_STATUSES order),
by question: criticism (what to improve) is kept for the speaker more often than advice."""

BLUNT_DECISIONS = (0.5, 0.4, 0.1)
"""The same for a blunt criticism ("Franchement, …"): half of them made public softened, their
blunt opener removed (an edited text), most of the others kept private."""


def result_states(interventions: pd.DataFrame) -> list[str]:
    """Each talk's results state: every cohort but the latest published; the latest cohort's
    first-semester talks reviewed, its second-semester talks still collecting."""
    latest = max(interventions["cohort"], default=None)
    return [
        domain.PUBLISHED_RESULTS
        if cohort != latest
        else domain.REVIEWED
        if semester == domain.SEMESTERS[0]
        else domain.COLLECTING
        for cohort, semester in zip(interventions["cohort"], interventions["semester"], strict=True)
    ]


def _softened(text: str) -> str | None:
    """A blunt criticism without its opener ("Franchement, trop long" → "Trop long"), or None."""
    for opener in IMPROVE_BLUNT_OPENERS:
        if text.startswith(opener) and len(text) > len(opener):
            rest = text[len(opener) :]
            return rest[0].upper() + rest[1:]
    return None


def demo_reviews(
    interventions: pd.DataFrame, responses: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """The director's reviews of the free-text answers (the columns of reviews.csv), sorted by
    response then question. Each answer is reviewed with its talk's REVIEWED_SHARES chance, then
    made public, private or removed with its question's DECISIONS chances; `text` is the edited
    text (None: as written)."""
    states = dict(zip(interventions["intervention_id"], interventions["results"], strict=True))
    questions = [q.id for q in domain.DEFAULT_INSTRUMENT if q.type == "text"]
    rows = []
    for question_id in questions:
        answered = responses[responses[question_id].fillna("").astype(str).str.strip() != ""]
        share = answered["intervention_id"].map(states).map(REVIEWED_SHARES).to_numpy(dtype=float)
        reviewed = rng.random(len(answered)) < share
        decision = rng.random(len(answered))
        for response_id, text, is_reviewed, draw in zip(
            answered["response_id"], answered[question_id], reviewed, decision, strict=True
        ):
            if not is_reviewed:
                continue
            softened = _softened(text) if question_id == "improve" else None
            chances = BLUNT_DECISIONS if softened is not None else DECISIONS[question_id]
            pick = min(int(np.searchsorted(np.cumsum(chances), draw, side="right")), len(chances) - 1)
            status = domain.REVIEW_STATUSES[pick]
            edited = softened if status == domain.PUBLIC else None
            rows.append((response_id, question_id, status, edited))
    rows.sort(key=lambda row: (row[0], row[1]))
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS["reviews"]))
