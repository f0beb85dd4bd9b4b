"""LimeSurvey exports ("Responses > Export"), CSV or XLSX.

Headings are question codes (`id, submitdate, lastpage, startlanguage, seed, startdate,
datestamp…`, then `Q1`, `Q2[SQ001]`), full texts in the survey's language (`Response ID, Date
submitted…` or `ID de la réponse, Date de soumission…`), or both joined (`submitdate. Date
submitted`). Timing columns come last. A response without a submission date is unfinished.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from insights.ingest.formats.base import (
    IDENTITY,
    META,
    SOURCE_ID,
    STARTED,
    SUBMITTED,
    ExportFormat,
    SourceColumn,
    question_column,
    unique_keys,
)
from insights.language.text import fold

CODE_ROLES: dict[str, str] = {
    "id": SOURCE_ID,
    "submitdate": SUBMITTED,
    "lastpage": META,
    "startlanguage": META,
    "seed": META,
    "startdate": STARTED,
    "datestamp": META,
    "ipaddr": META,
    "refurl": META,
    "token": IDENTITY,
    "firstname": IDENTITY,
    "lastname": IDENTITY,
    "email": IDENTITY,
}
"""The fixed columns by code."""

TEXT_ROLES: dict[str, str] = {
    **{
        fold(text): role
        for text, role in (
            ("Response ID", SOURCE_ID), ("Date submitted", SUBMITTED), ("Last page", META),
            ("Start language", META), ("Seed", META), ("Date started", STARTED), ("Date last action", META),
            ("IP address", META), ("Referrer URL", META), ("Token", IDENTITY), ("Access code", IDENTITY),
            ("First name", IDENTITY), ("Last name", IDENTITY), ("Email address", IDENTITY),
            ("ID de la réponse", SOURCE_ID), ("Date de soumission", SUBMITTED), ("Dernière page", META),
            ("Langue de départ", META), ("Tête de série", META), ("Date de lancement", STARTED),
            ("Date de la dernière action", META), ("Adresse IP", META), ("URL référente", META),
            ("Code d'accès", IDENTITY), ("Jeton", IDENTITY), ("Prénom", IDENTITY), ("Nom", IDENTITY),
            ("Courriel", IDENTITY), ("Adresse courriel", IDENTITY),
        )
    },
}  # fmt: skip
"""The fixed columns by their full heading, English and French."""

FIRST_COLUMNS = (
    ("id", "submitdate", "lastpage"),
    ("response id", "date submitted", "last page"),
    ("id de la reponse", "date de soumission", "derniere page"),
)
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\[[^\]]*\])?(?:comment|other)?")
_TIMING = re.compile(
    r"interviewtime|grouptime\d+|.+time|(duree|temps|time) (pour|for|total|de l'entretien|totale?).*|total time",
)


def split_heading(text: str) -> tuple[str, str]:
    """(code, text) of a heading: `Q1. Votre avis` → (`Q1`, `Votre avis`); a bare code or text gives
    that code or text twice."""
    unescaped = html.unescape(text).replace("\u00a0", " ")
    head, separator, tail = unescaped.partition(". ")
    if separator and _CODE.fullmatch(head):
        return head, tail.strip()
    stripped = unescaped.strip()
    return (stripped if _CODE.fullmatch(stripped) else ""), stripped


class LimeSurvey(ExportFormat):
    name = "limesurvey"
    label = "LimeSurvey"
    id_prefix = "ls-"
    required_roles = (SUBMITTED, SOURCE_ID)
    role_headers = {SUBMITTED: "submitdate", SOURCE_ID: "id"}  # noqa: RUF012

    def matches(self, header: Sequence[str], xlsx_tables: Sequence[str] = ()) -> bool:
        if len(header) < 3:
            return False
        codes = tuple(fold(split_heading(cell)[0]) for cell in header[:3])
        texts = tuple(" ".join(fold(split_heading(cell)[1]).split()) for cell in header[:3])
        return codes in FIRST_COLUMNS or texts in FIRST_COLUMNS

    def classify(self, header: Sequence[str]) -> list[SourceColumn]:
        columns = []
        timings = False
        for index, (text, key) in enumerate(zip(header, unique_keys(header), strict=True)):
            code, wording = split_heading(text)
            folded_code, folded_text = fold(code), " ".join(fold(wording).split())
            timings = (
                timings or folded_code == "interviewtime" or folded_text.startswith(("duree", "total time"))
            )
            role = CODE_ROLES.get(folded_code) or TEXT_ROLES.get(folded_text)
            if (
                role is None
                and timings
                and (_TIMING.fullmatch(folded_code) or _TIMING.fullmatch(folded_text))
            ):
                role = META
            if role is not None:
                columns.append(SourceColumn(index, text, key, role, wording, code))
            else:
                columns.append(question_column(index, text, key, wording, code))
        return columns

    def is_complete(self, submitted: str) -> bool:
        return bool(submitted.strip())
