"""Which question of the catalogue each column of a survey export answers: the automatic guess (by
id, label or close wording), the director's choices, and their saving for the next file of a form.

A `Mapping` says, for each answer column of an export (by its unique key): answer a catalogue
question, become a new question, give the intervention, give the respondent's identity (hashed),
or be ignored; plus labels mapped to values by hand. Grid questions (`Titre [Ligne]`) are either
one question per row (`grid_mode = "question"`) or one intervention per row (`"intervention"`).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from insights.domain import SHORT_QUESTION_LABELS
from insights.ingest.formats import QUESTION, SourceColumn
from insights.ingest.scales import normalise_label
from insights.language.text import fold, terms

QUESTION_TARGET = "question"
NEW = "new"
IGNORE = "ignore"
INTERVENTION = "intervention"
RESPONDENT = "respondent"
UNMAPPED = ""
"""No decision yet: the director must choose (the command line reports it as a problem)."""

ACTIONS = (QUESTION_TARGET, NEW, INTERVENTION, RESPONDENT, IGNORE)

GRID_BY_QUESTION = "question"
GRID_BY_INTERVENTION = "intervention"

QUESTION_TYPE_LABELS: dict[str, str] = {
    "likert5": "échelle d'accord de 1 à 5",
    "choice": "choix parmi des options",
    "nps": "recommandation de 0 à 10",
    "text": "texte libre",
}

MATCH_THRESHOLD = 0.8
"""The lowest wording similarity (0–1) at which a column is matched to a question automatically."""


@dataclass(frozen=True)
class ColumnTarget:
    """What one column becomes.

    `action`: `question` (answers `question_id`), `new` (a new catalogue question `question_id` of
    `question_type` worded `label`), `intervention` (its cells name the intervention), `respondent`
    (its cells identify the respondent: hashed, never stored), `ignore`, or `""` (not decided).
    `values`: answer labels the director mapped by hand to a value (`""` = leave the answer out).
    """

    action: str = UNMAPPED
    question_id: str = ""
    question_type: str = ""
    label: str = ""
    values: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"action": self.action}
        for name in ("question_id", "question_type", "label"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        if self.values:
            data["values"] = dict(self.values)
        return data

    @classmethod
    def from_dict(cls, data: MappingABC[str, Any]) -> ColumnTarget:
        return cls(
            action=str(data.get("action", UNMAPPED)),
            question_id=str(data.get("question_id", "")),
            question_type=str(data.get("question_type", "")),
            label=str(data.get("label", "")),
            values={str(k): str(v) for k, v in dict(data.get("values", {})).items()},
        )


@dataclass(frozen=True)
class Mapping:
    """The director's (or the automatic) decisions for the columns of one form's export.

    `columns`: by column key. `intervention_values`: cell of the intervention column → intervention
    id. `grid_mode`: `question` or `intervention`; in `intervention` mode, `grid_questions` maps each
    grid's title to its target and `grid_rows` each row label to an intervention id (`""` = ignored).
    """

    columns: dict[str, ColumnTarget] = field(default_factory=dict)
    intervention_values: dict[str, str] = field(default_factory=dict)
    grid_mode: str = GRID_BY_QUESTION
    grid_questions: dict[str, ColumnTarget] = field(default_factory=dict)
    grid_rows: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(
            {
                "columns": {key: target.to_dict() for key, target in self.columns.items()},
                "intervention_values": self.intervention_values,
                "grid_mode": self.grid_mode,
                "grid_questions": {key: target.to_dict() for key, target in self.grid_questions.items()},
                "grid_rows": self.grid_rows,
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Mapping:
        data = json.loads(text)
        return cls(
            columns={k: ColumnTarget.from_dict(v) for k, v in data.get("columns", {}).items()},
            intervention_values=dict(data.get("intervention_values", {})),
            grid_mode=data.get("grid_mode", GRID_BY_QUESTION),
            grid_questions={k: ColumnTarget.from_dict(v) for k, v in data.get("grid_questions", {}).items()},
            grid_rows=dict(data.get("grid_rows", {})),
        )

    def with_column(self, key: str, target: ColumnTarget) -> Mapping:
        return replace(self, columns={**self.columns, key: target})

    def intervention_column(self) -> str | None:
        """The key of the column giving the intervention, if any."""
        return next((key for key, t in self.columns.items() if t.action == INTERVENTION), None)


# --- matching wordings ------------------------------------------------------------------------


_INCLUSIVE = re.compile(r"[·•](?:e|es|te|tes|ne|nes|ice|ices|rice|rices)\b|\((?:e|es|ne)\)")


def wording(text: str) -> str:
    """A wording reduced for comparison: folded, inclusive endings and punctuation removed."""
    return normalise_label(_INCLUSIVE.sub("", fold(text)))


def wording_similarity(a: str, b: str) -> float:
    """How close two question wordings are, from 0 to 1: the best of character similarity and the
    overlap of their French stems (stop words left out); 0.9 when one contains the other whole."""
    left, right = wording(a), wording(b)
    if not left or not right:
        return 0.0
    if left == right:
        return 1.0
    ratio = difflib.SequenceMatcher(None, left, right, autojunk=False).ratio()
    stems_left, stems_right = set(terms(left)), set(terms(right))
    overlap = (
        len(stems_left & stems_right) / len(stems_left | stems_right) if stems_left | stems_right else 0.0
    )
    contained = 0.9 if min(len(left), len(right)) >= 12 and (left in right or right in left) else 0.0
    return max(ratio, overlap, contained)


@dataclass(frozen=True)
class Suggestion:
    """The catalogue question a column's wording matches best, with the similarity."""

    question_id: str
    score: float


def suggest_question(
    column: SourceColumn, catalogue: pd.DataFrame, threshold: float = MATCH_THRESHOLD
) -> Suggestion | None:
    """The catalogue question (columns question_id, label) that a column answers, judged from its code,
    its wording, or its grid row's wording; None when no question is close enough, or two are."""
    ids = {fold(q): q for q in catalogue["question_id"]}
    for candidate in (column.code, column.text, column.grid_row or ""):
        if candidate and fold(candidate.strip()) in ids:
            return Suggestion(ids[fold(candidate.strip())], 1.0)
    texts = [column.text] + ([column.grid_row] if column.grid_row else [])
    scores = sorted(
        (
            (max(wording_similarity(text, label) for text in texts), question_id)
            for question_id, label in zip(catalogue["question_id"], catalogue["label"], strict=True)
        ),
        reverse=True,
    )
    if not scores or scores[0][0] < threshold:
        return None
    if len(scores) > 1 and scores[1][0] > scores[0][0] - 0.05:
        return None  # two questions fit: the director decides
    return Suggestion(scores[0][1], round(scores[0][0], 3))


def match_intervention(value: str, interventions: pd.DataFrame) -> str | None:
    """The intervention a cell names: by id, by title, or as `id — title`; None when none or several."""
    text = value.strip()
    if not text:
        return None
    ids = set(interventions["intervention_id"])
    if text in ids:
        return text
    head = re.split(r"\s+[-–—:|]\s+", text, maxsplit=1)[0].strip()
    if head in ids:
        return head
    key = wording(text)
    titled = [
        i
        for i, title in zip(interventions["intervention_id"], interventions["title"], strict=True)
        if wording(title) == key
    ]
    return titled[0] if len(titled) == 1 else None


_INTERVENTION_HEADERS = re.compile(
    r"\b(intervention|intervention_id|intervenant|intervenante|conference|seance|talk|session|speaker)s?\b"
)


def looks_like_intervention_column(
    column: SourceColumn, values: Iterable[str], interventions: pd.DataFrame
) -> bool:
    """A column whose header speaks of the intervention and most of whose cells name one."""
    if not _INTERVENTION_HEADERS.search(wording(column.text)):
        return False
    cells = [v for v in values if v.strip()]
    if not cells:
        return False
    matched = sum(match_intervention(v, interventions) is not None for v in set(cells))
    return matched >= max(1, len(set(cells)) // 2)


# --- the automatic mapping and saved mappings -------------------------------------------------------


def new_question_id(text: str, taken: Iterable[str]) -> str:
    """An id for a new catalogue question from its wording: `q_` and its first words, made unique."""
    words = [w for w in re.findall(r"[a-z0-9]+", fold(text)) if len(w) > 2][:4] or ["question"]
    base = "q_" + "_".join(words)
    used = set(taken)
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}_{number}", number + 1
    return candidate


def automatic_mapping(
    columns: Sequence[SourceColumn],
    values: MappingABC[str, Sequence[str]],
    catalogue: pd.DataFrame,
    interventions: pd.DataFrame,
) -> Mapping:
    """The mapping the import proposes: each answer column matched to a question by code, label or
    close wording; a column naming interventions used as such; empty columns ignored; the rest
    left undecided. Grid rows are questions (`grid_mode = "question"`)."""
    targets: dict[str, ColumnTarget] = {}
    used: set[str] = set()
    for column in columns:
        if column.role != QUESTION:
            continue
        cells = values.get(column.key, ())
        if not any(cell.strip() for cell in cells):
            targets[column.key] = ColumnTarget(IGNORE)
            continue
        if looks_like_intervention_column(column, cells, interventions):
            targets[column.key] = ColumnTarget(INTERVENTION)
            continue
        suggestion = suggest_question(column, catalogue)
        if suggestion is not None and suggestion.question_id not in used:
            used.add(suggestion.question_id)
            targets[column.key] = ColumnTarget(QUESTION_TARGET, suggestion.question_id)
        else:
            targets[column.key] = ColumnTarget(UNMAPPED)
    mapping = Mapping(columns=targets)
    column_key = mapping.intervention_column()
    if column_key is not None:
        cells = {v.strip() for v in values.get(column_key, ()) if v.strip()}
        found = {cell: match_intervention(cell, interventions) for cell in sorted(cells)}
        mapping = replace(mapping, intervention_values={cell: i for cell, i in found.items() if i})
    return mapping


def grid_intervention_defaults(
    columns: Sequence[SourceColumn], catalogue: pd.DataFrame, interventions: pd.DataFrame
) -> tuple[dict[str, ColumnTarget], dict[str, str]]:
    """For `intervention` grid mode: each grid title's question (by wording) and each row label's
    intervention (by id or title), where they can be told automatically."""
    questions: dict[str, ColumnTarget] = {}
    rows: dict[str, str] = {}
    for title, grid in grid_groups(columns).items():
        title_column = SourceColumn(grid[0].index, title, title, QUESTION, title)
        suggestion = suggest_question(title_column, catalogue)
        questions[title] = (
            ColumnTarget(QUESTION_TARGET, suggestion.question_id) if suggestion else ColumnTarget(UNMAPPED)
        )
        for column in grid:
            row = column.grid_row or ""
            if row not in rows:
                rows[row] = match_intervention(row, interventions) or ""
    return questions, rows


def grid_groups(columns: Sequence[SourceColumn]) -> dict[str, list[SourceColumn]]:
    """Grid questions: each title with its row columns, for titles shared by two answer columns or more
    (a lone `Question [Commentaire]` is an ordinary column)."""
    groups: dict[str, list[SourceColumn]] = {}
    for column in columns:
        if column.role == QUESTION and column.is_grid and column.grid_title is not None:
            groups.setdefault(column.grid_title, []).append(column)
    return {title: grid for title, grid in groups.items() if len(grid) > 1}


def fingerprint(source: str, columns: Sequence[SourceColumn]) -> str:
    """A form's identity: its tool and its answer columns' wordings (so a copy of the form next year
    is recognised, and a form with other questions is not)."""
    wordings = [wording(c.header) for c in columns if c.role == QUESTION]
    digest = hashlib.sha256("\n".join([source, *wordings]).encode("utf-8")).hexdigest()
    return digest[:20]


def merge_saved(automatic: Mapping, saved: Mapping, keys: Iterable[str]) -> Mapping:
    """The automatic mapping with the saved decisions on top, for the columns this file has."""
    present = set(keys)
    columns = dict(automatic.columns)
    for key, target in saved.columns.items():
        if key in present and target.action != UNMAPPED:
            columns[key] = target
    return Mapping(
        columns=columns,
        intervention_values={**automatic.intervention_values, **saved.intervention_values},
        grid_mode=saved.grid_mode,
        grid_questions={**automatic.grid_questions, **saved.grid_questions},
        grid_rows={**automatic.grid_rows, **saved.grid_rows},
    )


def best_saved_mapping(
    saved: pd.DataFrame, fingerprint_: str, headers: Sequence[str]
) -> tuple[Mapping, bool] | None:
    """The saved mapping of this form (exact fingerprint: True), else the saved mapping of the same tool
    that shares the most headers with it, if at least half (False); None when there is none."""
    if saved.empty:
        return None
    exact = saved[saved["fingerprint"] == fingerprint_]
    if not exact.empty:
        return Mapping.from_json(exact["mapping"].iloc[0]), True
    mine = set(headers)
    best, best_overlap = None, 0.0
    for their_headers, mapping_json in zip(saved["headers"], saved["mapping"], strict=True):
        overlap = len(mine & set(their_headers)) / max(1, len(mine))
        if overlap > best_overlap:
            best, best_overlap = mapping_json, overlap
    if best is None or best_overlap < 0.5:
        return None
    return Mapping.from_json(best), False


# --- the mapping form's choices ------------------------------------------------------------------


def target_options(question_ids: Sequence[str], *, for_grid: bool = False) -> list[str]:
    """The choices offered for a column, encoded as text (see `option_target`): undecided, ignore,
    intervention, respondent (not for a grid's question), a new question of each type, each catalogue
    question."""
    fixed = [UNMAPPED, IGNORE] + ([] if for_grid else [INTERVENTION, RESPONDENT])
    return (
        fixed
        + [f"{NEW}:{t}" for t in QUESTION_TYPE_LABELS]
        + [f"{QUESTION_TARGET}:{q}" for q in question_ids]
    )


def target_option(target: ColumnTarget) -> str:
    """The encoded choice of a target (its hand-made values aside)."""
    if target.action == QUESTION_TARGET:
        return f"{QUESTION_TARGET}:{target.question_id}"
    if target.action == NEW:
        return f"{NEW}:{target.question_type}"
    return target.action


def option_target(option: str, values: MappingABC[str, str] | None = None) -> ColumnTarget:
    """The target an encoded choice stands for, with the hand-made values kept."""
    action, _, detail = option.partition(":")
    kept = dict(values or {})
    if action == QUESTION_TARGET:
        return ColumnTarget(QUESTION_TARGET, question_id=detail, values=kept)
    if action == NEW:
        return ColumnTarget(NEW, question_type=detail, values=kept)
    return ColumnTarget(action)


def option_label(option: str, question_labels: MappingABC[str, str]) -> str:
    """A choice as the mapping form shows it, in French: a catalogue question by its short name
    (`Satisfaction`) or the start of its wording, then its id."""
    action, _, detail = option.partition(":")
    if action == QUESTION_TARGET:
        label = SHORT_QUESTION_LABELS.get(detail) or question_labels.get(detail, "")
        short = label if len(label) <= 40 else label[:39] + "…"
        return f"{short} ({detail})"
    if action == NEW:
        return f"Nouvelle question : {QUESTION_TYPE_LABELS.get(detail, detail)}"
    return {
        UNMAPPED: "— à choisir —",
        IGNORE: "Ignorer cette colonne",
        INTERVENTION: "Donne l'intervention",
        RESPONDENT: "Identifie le répondant (empreinte seulement)",
    }.get(action, action)
