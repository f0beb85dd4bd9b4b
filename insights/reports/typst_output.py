"""A report as a PDF, through Typst (the `typst` package: a self-contained compiler, no browser
and no network). Every piece of data text enters the Typst source as a string literal, which
Typst prints as it is: markup characters in a quote or a name (`#`, `$`, `*`, `]`, `@`, `<`)
never become markup."""

from __future__ import annotations

import logging
import re
from datetime import datetime

import typst

from insights.reports.document import Document, Figure, Heading, KeyFigures, Paragraph, Quote, Table

log = logging.getLogger(__name__)

FONTS = '("DejaVu Sans", "Libertinus Serif")'
"""Debian's DejaVu Sans when installed, else the serif font the compiler embeds: both cover
French accents, « », the apostrophe ’ and the narrow no-break space."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

ACCENT = 'rgb("#1d4e89")'
MUTED = 'rgb("#5b6770")'


def literal(text: object) -> str:
    """A Typst string literal printing `text` as it is."""
    clean = _CONTROL.sub("", str(text))
    escaped = clean.replace("\\", "\\\\").replace('"', '\\"').replace("\r\n", "\n").replace("\r", "\n")
    return '"' + escaped.replace("\n", "\\n") + '"'


def _content(text: object) -> str:
    """Data text as a content block."""
    return f"[#{literal(text)}]"


def _heading(block: Heading) -> str:
    return f"#heading(level: {block.level}, {literal(block.text)})"


def _paragraph(block: Paragraph) -> str:
    if block.muted:
        return f"#text(fill: {MUTED}, size: 9pt, {literal(block.text)})"
    return f"#par({literal(block.text)})"


def _key_figures(block: KeyFigures) -> str:
    cells = ", ".join(
        "box(width: 100%, inset: 6pt, stroke: 0.5pt + luma(200), radius: 3pt)["
        f"#text(size: 8pt, fill: {MUTED}, {literal(label)})\\ "
        f'#text(size: 15pt, weight: "bold", {literal(value)})\\ '
        f"#text(size: 8pt, fill: {MUTED}, {literal(detail)})]"
        for label, value, detail in block.items
    )
    columns = min(max(len(block.items), 1), 3)
    return f"#grid(columns: (1fr,) * {columns}, gutter: 6pt, {cells})"


def _table(block: Table) -> str:
    count = len(block.columns)
    align = ", ".join("right" if i in block.numeric else "left" for i in range(count))
    header = ", ".join(f"[#strong({literal(c)})]" for c in block.columns)
    cells = ", ".join(_content(cell) for row in block.rows for cell in row)
    relative = list(block.widths) or [1.0] * count
    widths = ", ".join(
        "auto" if i in block.numeric or not relative[i] else f"{relative[i]}fr" for i in range(count)
    )
    body = (
        f"table(columns: ({widths},), align: ({align},), inset: 4pt, stroke: 0.4pt + luma(190), "
        f"fill: (x, y) => if y == 0 {{ luma(235) }}, table.header({header}), {cells})"
    )
    if block.caption:
        return f"#figure({body}, caption: {_content(block.caption)}, kind: table)"
    return f"#{body}"


def _figure(block: Figure) -> str:
    image = f'image(bytes({literal(block.svg)}), format: "svg", width: 100%, alt: {literal(block.alt)})'
    if block.caption:
        return f"#figure({image}, caption: {_content(block.caption)})"
    return f"#{image}"


def _quote(block: Quote) -> str:
    return f"#quote(block: true, attribution: {_content(block.source)}, {_content(block.text)})"


_RENDER = {
    Heading: _heading,
    Paragraph: _paragraph,
    KeyFigures: _key_figures,
    Table: _table,
    Figure: _figure,
    Quote: _quote,
}


def typst_source(document: Document) -> str:
    """The report as Typst source."""
    lines = [
        f'#set document(title: {literal(document.title)}, author: "Paroles de pros")',
        f'#set text(lang: "fr", region: "FR", font: {FONTS}, size: 10pt)',
        "#set par(justify: false, leading: 0.6em)",
        '#set heading(numbering: "1.")',
        f"#show heading: set text(fill: {ACCENT})",
        "#show figure.caption: set text(size: 8.5pt)",
        "#show figure.where(kind: table): set block(breakable: true)",
        "#show figure.where(kind: table): set figure.caption(position: top)",
        "#set table(stroke: 0.4pt + luma(190))",
        "#show table: set text(size: 8.5pt)",
        f'#set page(paper: "a4", margin: (x: 1.8cm, y: 2cm), '
        f"footer: context align(center, text(size: 8pt, fill: {MUTED}, "
        f"[#{literal(document.title)} — page #counter(page).display() "
        "sur #counter(page).final().first()])))",
        # The cover: a page of its own for a report with a table of contents.
        "#v(5cm)" if document.outline else "#v(0.5cm)",
        f'#text(size: 24pt, weight: "bold", fill: {ACCENT}, {literal(document.title)})',
    ]
    if document.subtitle:
        lines.append(f"#v(4pt)\n#text(size: 14pt, {literal(document.subtitle)})")
    lines.append("#v(1cm)")
    lines.extend(f"#text(fill: {MUTED}, {literal(line)})\\" for line in document.cover_lines)
    if document.outline:
        lines.append('#pagebreak()\n#outline(title: "Sommaire", depth: 2)\n#pagebreak()')
    else:
        lines.append("#v(1cm)")
    for block in document.blocks:
        lines.append(_RENDER[type(block)](block))
        lines.append("")
    return "\n".join(lines) + "\n"


def render_pdf(document: Document, now: datetime | None = None) -> bytes:
    """The report as a tagged PDF (PDF/UA-1 where the content allows it)."""
    source = typst_source(document).encode("utf-8")
    stamp = (now or datetime.now()).timestamp()
    try:
        return typst.compile(source, format="pdf", pdf_standards=["ua-1"], timestamp=int(stamp))
    except RuntimeError as refusal:
        # Typst refuses PDF/UA when the content breaks one of its rules: the report still goes out.
        log.warning("Report printed without the PDF/UA-1 claim: %s", refusal)
        return typst.compile(source, format="pdf", timestamp=int(stamp))
