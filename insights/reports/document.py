"""A report as a list of plain blocks (headings, paragraphs, tables, figures, quotes) holding data
text as it is: each renderer (`typst_output` for the PDF, `html_output` for the HTML page) escapes
it for its own language, so that a name or a quote with markup in it prints literally."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    muted: bool = False


@dataclass(frozen=True)
class KeyFigures:
    """Big numbers side by side: (label, value, detail) each."""

    items: Sequence[tuple[str, str, str]]


@dataclass(frozen=True)
class Table:
    """A table of text cells; `numeric` marks the columns aligned right."""

    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    numeric: Sequence[int] = ()
    caption: str = ""
    widths: Sequence[float] = ()
    """Relative widths of the text columns (0, and numeric columns, take what they need); even when
    empty."""


@dataclass(frozen=True)
class Figure:
    """A chart as an SVG document (its text drawn with the report's fonts) and its text
    alternative."""

    svg: str
    alt: str
    caption: str = ""


@dataclass(frozen=True)
class Quote:
    text: str
    source: str


Block = Heading | Paragraph | KeyFigures | Table | Figure | Quote


@dataclass
class Document:
    """A report: the cover (`title`, `subtitle`, `cover_lines`), whether it carries a table of
    contents, and its blocks in order."""

    title: str
    subtitle: str = ""
    cover_lines: list[str] = field(default_factory=list)
    outline: bool = True
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def text(self) -> str:
        """Every piece of text of the document, one a line (for searching it in tests)."""
        lines = [self.title, self.subtitle, *self.cover_lines]
        for block in self.blocks:
            if isinstance(block, Heading | Paragraph):
                lines.append(block.text)
            elif isinstance(block, KeyFigures):
                lines.extend(" ".join(item) for item in block.items)
            elif isinstance(block, Table):
                lines.append(" | ".join(block.columns))
                lines.extend(" | ".join(row) for row in block.rows)
            elif isinstance(block, Figure):
                lines.append(block.alt)
            elif isinstance(block, Quote):
                lines.extend([block.text, block.source])
        return "\n".join(lines)
