"""The reports that leave the app: the cohort report for the programme council and the speaker's
sheet, each as PDF (Typst) or HTML, from the figures the pages show.

`cohort_report` and `speaker_sheet` build a `Document` (plain blocks holding data text as it is);
`render` turns it into PDF or HTML bytes, each renderer escaping the text for its language.
"""

from __future__ import annotations

from datetime import datetime

from insights.reports.cohort import cohort_quotes, cohort_report
from insights.reports.document import Document
from insights.reports.errors import ReportError
from insights.reports.html_output import html_body, render_html
from insights.reports.speaker import speaker_sheet
from insights.reports.typst_output import render_pdf, typst_source

FORMATS = ("pdf", "html")
MIME_TYPES = {"pdf": "application/pdf", "html": "text/html"}


def render(document: Document, fmt: str, now: datetime | None = None) -> bytes:
    """The document as `fmt` ("pdf" or "html")."""
    if fmt == "pdf":
        return render_pdf(document, now)
    if fmt == "html":
        return render_html(document)
    raise ReportError(f"Format inconnu : « {fmt} » (attendu : pdf ou html).")


def file_name(stem: str, fmt: str) -> str:
    """A download's file name: the stem with anything but letters, digits, - and _ replaced."""
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem).strip("-") or "rapport"
    return f"{safe}.{fmt}"


__all__ = [
    "FORMATS",
    "MIME_TYPES",
    "Document",
    "ReportError",
    "cohort_quotes",
    "cohort_report",
    "file_name",
    "html_body",
    "render",
    "render_html",
    "render_pdf",
    "speaker_sheet",
    "typst_source",
]
