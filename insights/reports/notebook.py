"""A student's notebook ("Mon carnet") as it is shown and exported: the saved published quotes with
their speakers and talks, grouped by theme, with the student's notes; as Markdown, CSV, and a
`Document` for the reports' PDF and HTML renderers.

Data text is escaped in the Markdown (`escape_markdown`), neutralised in the CSV (`csv_bytes`),
and escaped by each renderer in the PDF and HTML.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from insights import store
from insights.domain import THEME_IDS, THEME_LABELS
from insights.exporting import csv_bytes
from insights.formatting import escape_markdown, format_date, plural
from insights.quotes.search import QuoteHit, get_quote
from insights.reports.document import Document, Heading, Paragraph, Quote

NO_THEME = "Sans thème"


@dataclass(frozen=True)
class SavedQuote:
    """A saved quote as the wall shows it, with the student's note."""

    hit: QuoteHit
    note: str


def saved_quotes(conn: sqlite3.Connection, contents: store.NotebookContents) -> list[SavedQuote]:
    """The notebook's quotes still published, in saving order."""
    saved = []
    for entry in contents.entries:
        hit = get_quote(conn, entry.quote_id)
        if hit is not None:
            saved.append(SavedQuote(hit, entry.note))
    return saved


def theme_of(hit: QuoteHit) -> str:
    """The label of the quote's first theme, the one it is filed under."""
    return THEME_LABELS.get(hit.themes[0], hit.themes[0]) if hit.themes else NO_THEME


def by_theme(saved: Sequence[SavedQuote]) -> list[tuple[str, list[SavedQuote]]]:
    """The quotes grouped by their first theme, themes in the programme's order, "Sans thème" last;
    saving order within a theme."""
    order = [THEME_LABELS[theme] for theme in THEME_IDS] + [NO_THEME]
    groups: dict[str, list[SavedQuote]] = {}
    for item in saved:
        groups.setdefault(theme_of(item.hit), []).append(item)
    return sorted(
        groups.items(), key=lambda group: order.index(group[0]) if group[0] in order else len(order)
    )


def unavailable_text(count: int) -> str:
    """ "1 conseil n'est plus disponible" ("" for none)."""
    if count <= 0:
        return ""
    verb = "n'est plus disponible" if count == 1 else "ne sont plus disponibles"
    return f"{plural(count, 'conseil')} {verb}"


def source_text(hit: QuoteHit) -> str:
    """ "Name, title, organisation — « talk », date" (parts missing left out)."""
    who = ", ".join(part for part in (hit.speaker, hit.title, hit.organisation) if part)
    if hit.intervention_title:
        who += f" — « {hit.intervention_title} »"
        if hit.date:
            who += f", {format_date(hit.date)}"
    return who


def notebook_markdown(saved: Sequence[SavedQuote], unavailable: int = 0) -> str:
    """The notebook as a Markdown file: a section per theme, each quote as a block quote with its
    source and the note (data text escaped, so that it prints literally)."""
    lines = ["# Mon carnet — Paroles de pros", ""]
    lines.append(f"{plural(len(saved), 'conseil')} enregistré{'s' if len(saved) > 1 else ''}.")
    if unavailable:
        lines.append(f"{unavailable_text(unavailable)}.")
    for theme, items in by_theme(saved):
        lines += ["", f"## {escape_markdown(theme)}", ""]
        for item in items:
            lines.append(f"> « {escape_markdown(item.hit.text)} »")
            lines.append(">")
            lines.append(f"> — {escape_markdown(source_text(item.hit))}")
            if item.note:
                lines += ["", f"*Ma note :* {escape_markdown(' '.join(item.note.split()))}"]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


CSV_COLUMNS = [
    "Thème",
    "Citation",
    "Intervenant·e",
    "Fonction",
    "Organisation",
    "Intervention",
    "Date",
    "Ma note",
    "Identifiant",
]


def notebook_csv(saved: Sequence[SavedQuote]) -> bytes:
    """The notebook as CSV, one row per quote, in the order of the page."""
    rows = [
        [
            theme,
            item.hit.text,
            item.hit.speaker,
            item.hit.title,
            item.hit.organisation,
            item.hit.intervention_title or "",
            format_date(item.hit.date),
            item.note,
            item.hit.quote_id,
        ]
        for theme, items in by_theme(saved)
        for item in items
    ]
    return csv_bytes(CSV_COLUMNS, rows)


def notebook_document(saved: Sequence[SavedQuote], unavailable: int = 0) -> Document:
    """The notebook for the reports' renderers (PDF, HTML)."""
    document = Document(
        title="Mon carnet",
        subtitle="Paroles de pros — les conseils des intervenant·es que j'ai gardés",
        cover_lines=[f"{plural(len(saved), 'conseil')}"]
        + ([unavailable_text(unavailable)] if unavailable else []),
        outline=False,
    )
    for theme, items in by_theme(saved):
        document.add(Heading(theme))
        for item in items:
            document.add(Quote(item.hit.text, source_text(item.hit)))
            if item.note:
                document.add(Paragraph(f"Ma note : {item.note}", muted=True))
    if not saved:
        document.add(Paragraph("Aucun conseil enregistré pour l'instant."))
    return document
