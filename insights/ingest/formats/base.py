"""What every survey export has in common: column roles, the column record, the format base class."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from insights.ingest.dates import Order
from insights.language.text import fold

SUBMITTED = "submitted_at"
"""The submission time: stored with the response."""
SOURCE_ID = "source_id"
"""The tool's own number of the response: part of the response's key."""
STARTED = "started"
"""When the respondent opened the form: part of the response's key, not stored."""
IDENTITY = "identity"
"""An e-mail address, a name, a token: only its salted hash is kept, as the respondent key."""
META = "meta"
"""The tool's bookkeeping (last page, language, IP address, timings, quiz points): ignored."""
QUESTION = "question"
"""An answer column, to be mapped to a question of the catalogue."""

ROLE_LABELS: dict[str, str] = {
    SUBMITTED: "date de soumission",
    SOURCE_ID: "numéro de réponse de l'outil",
    STARTED: "date de début",
    IDENTITY: "identité du répondant (jamais enregistrée : hachée)",
    META: "information technique de l'outil (ignorée)",
    QUESTION: "question",
}

_GRID = re.compile(r"^(.*?)\s*\[(.*)\]$", re.DOTALL)
_IDENTITY_HEADERS = frozenset(
    fold(text)
    for text in (
        "adresse e-mail", "adresse email", "adresse mail", "adresse électronique", "adresse courriel",
        "adresse de messagerie", "courriel", "e-mail", "email", "email address", "mail", "votre e-mail",
        "votre adresse e-mail", "votre email", "nom", "prénom", "nom et prénom", "prénom et nom", "nom prénom",
        "prénom nom", "nom complet", "nom de famille", "votre nom", "votre prénom", "vos nom et prénom",
        "name", "full name", "your name", "first name", "last name", "surname", "numéro étudiant",
        "numero etudiant", "n° étudiant", "numéro d'étudiant", "student id", "student number",
        "identifiant", "matricule",
    )
)  # fmt: skip


def is_identity_header(text: str) -> bool:
    """True for a column asking who answers (e-mail, name, student number): never stored as such."""
    words = " ".join(re.sub(r"[^\w'°@-]+", " ", fold(text)).split())
    return words in _IDENTITY_HEADERS


@dataclass(frozen=True)
class SourceColumn:
    """One column of an export, as the import sees it.

    `key` is unique in the file (`header`, or `header (2)` for the second column of that header);
    `text` is the wording to match (HTML entities decoded, a LimeSurvey code prefix removed);
    `grid_title`/`grid_row` split a grid's `Titre [Ligne]` header.
    """

    index: int
    header: str
    key: str
    role: str
    text: str
    code: str = ""
    grid_title: str | None = None
    grid_row: str | None = None

    @property
    def is_grid(self) -> bool:
        return self.grid_row is not None


def unique_keys(header: Sequence[str]) -> list[str]:
    """Each header made unique: the second `Note` becomes `Note (2)`; a blank one `colonne n° 7`."""
    seen: dict[str, int] = {}
    keys = []
    for index, text in enumerate(header):
        base = text if text.strip() else f"colonne n° {index + 1}"
        seen[base] = seen.get(base, 0) + 1
        keys.append(base if seen[base] == 1 else f"{base} ({seen[base]})")
    return keys


def question_column(
    index: int, header: str, key: str, text: str | None = None, code: str = ""
) -> SourceColumn:
    """An answer column (or an identity column, judged by its wording), split when it is a grid row."""
    wording = " ".join(html.unescape(text if text is not None else header).replace("\u00a0", " ").split())
    role = IDENTITY if is_identity_header(wording) else QUESTION
    match = _GRID.match(html.unescape(text if text is not None else header).replace("\u00a0", " "))
    if match and role == QUESTION and match[1].strip():
        return SourceColumn(index, header, key, role, wording, code, " ".join(match[1].split()), match[2])
    return SourceColumn(index, header, key, role, wording, code)


class ExportFormat:
    """A survey tool's export. Subclasses say how to recognise it and what each column is."""

    name: str = ""
    """The `--format` name: `google-forms`, `microsoft-forms`, `limesurvey`."""
    label: str = ""
    """The tool's name as the page shows it."""
    id_prefix: str = ""
    """The start of the response ids this import makes (`gf-`, `ms-`, `ls-`)."""
    required_roles: tuple[str, ...] = (SUBMITTED,)
    """The roles every export of this tool has a column for."""
    role_headers: dict[str, str] = {}  # noqa: RUF012  (read-only class data)
    """The usual header of each required role, to name a missing one."""

    def matches(self, header: Sequence[str], xlsx_tables: Sequence[str] = ()) -> bool:
        """True when a row with these cells is this tool's header row."""
        raise NotImplementedError

    def classify(self, header: Sequence[str]) -> list[SourceColumn]:
        """Every column of the header row with its role."""
        raise NotImplementedError

    def date_order(self, header: Sequence[str]) -> Order | None:
        """The day/month order of the submission dates when the header's language tells it."""
        return None

    def is_complete(self, submitted: str) -> bool:
        """Whether a response was submitted (LimeSurvey also exports unfinished ones)."""
        return True


def folded(header: Sequence[str]) -> list[str]:
    """The header's cells folded for comparison (case, accents, spaces)."""
    return [" ".join(fold(cell).split()) for cell in header]
