"""Quote cards to share: a PNG of one published quote, square (1080×1080, Instagram) or landscape
(1200×627, LinkedIn), with the speaker credited, the talk and its date, the theme's colour and the
programme's name, and its alternative text ready to paste.

The layout is computed first (`layout_card`: every piece of text with its box), then drawn
(`render_card`), so that tests check the geometry: the quote's font shrinks, and its lines wrap,
until everything lies within the margins. French typography applies (`french_typography`).
Fonts: DejaVu Sans (Debian's fonts-dejavu-core, full French coverage); Pillow's default font when
it is absent.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from insights.charts.palette import PRIMARY, THEME_COLOURS
from insights.domain import THEME_LABELS
from insights.formatting import format_date
from insights.quotes.search import QuoteHit

PROGRAMME_NAME = "Paroles de pros · Licence professionnelle community management"
"""The signature of every card: the cards are posted publicly under the programme's name."""

FORMATS: dict[str, tuple[int, int]] = {"square": (1080, 1080), "landscape": (1200, 627)}
"""Pixel sizes: square for Instagram, landscape for LinkedIn."""

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"

NBSP = "\u00a0"
INK = "#1F2328"
MUTED_INK = "#4B5563"
BACKGROUND = "#FFFFFF"


class CardError(ValueError):
    """A card that cannot be made (unknown format, quote not published)."""


@dataclass(frozen=True)
class Spec:
    """The proportions of one format: margins, the coloured band, font sizes."""

    margin: int
    band: int
    quote_max: int
    quote_min: int
    credit: int
    detail: int
    footer: int
    gap: int


SPECS = {
    "square": Spec(margin=84, band=18, quote_max=64, quote_min=22, credit=34, detail=26, footer=24, gap=28),
    "landscape": Spec(
        margin=56, band=14, quote_max=46, quote_min=16, credit=28, detail=22, footer=20, gap=16
    ),
}


@dataclass(frozen=True)
class TextBox:
    """One line of text at (x, y) (its top-left corner) with its measured box."""

    text: str
    x: int
    y: int
    box: tuple[int, int, int, int]
    size: int
    bold: bool = False
    colour: str = INK


@dataclass(frozen=True)
class CardLayout:
    width: int
    height: int
    margin: int
    colour: str
    quote_size: int
    lines: list[TextBox]

    @property
    def text_box(self) -> tuple[int, int, int, int]:
        """The box holding every piece of text: (left, top, right, bottom)."""
        return (
            min(line.box[0] for line in self.lines),
            min(line.box[1] for line in self.lines),
            max(line.box[2] for line in self.lines),
            max(line.box[3] for line in self.lines),
        )


# --- French typography -----------------------------------------------------------------------------

_SPACE_BEFORE = re.compile(r"[ \u00a0\u202f]*([;:!?»])")
_SPACE_AFTER = re.compile(r"(«)[ \u00a0\u202f]*")


def french_typography(text: str) -> str:
    """French typography: straight double quotes become « guillemets », apostrophes become ’, and
    a non-breaking space goes before ; : ! ? » and after «, replacing an ordinary one (none inside
    a time or an address such as 20:30 or https://, nor between doubled marks such as "?!")."""
    text = " ".join(text.split()).replace("'", "’")
    parts = text.split('"')
    if len(parts) % 2 == 1 and len(parts) > 1:
        text = "".join(part if i % 2 == 0 else f"«{part}»" for i, part in enumerate(parts))

    def before(match: re.Match[str]) -> str:
        start = match.start()
        previous = text[start - 1] if start > 0 else ""
        mark = match.group(1)
        if not previous or previous in ";:!?«" + NBSP:
            return mark
        following = text[match.end() : match.end() + 1]
        if mark != "»" and following and not following.isspace() and following not in ";:!?»).,”…":
            return match.group(0)  # inside a word, a time or an address: 20:30, https://
        return NBSP + mark

    text = _SPACE_BEFORE.sub(before, text)
    return _SPACE_AFTER.sub(lambda m: m.group(1) + NBSP, text)


def quoted(text: str) -> str:
    """The quote in « guillemets », inner guillemets turned to “ ”, with French spacing."""
    inner = french_typography(text).replace("«" + NBSP, "“").replace(NBSP + "»", "”")
    inner = inner.replace("«", "“").replace("»", "”")
    return f"«{NBSP}{inner}{NBSP}»"


# --- fonts and measuring ---------------------------------------------------------------------------


@lru_cache(maxsize=2)
def font_path(bold: bool = False) -> Path | None:
    """DejaVu Sans (bold or regular) when installed, else None."""
    name = BOLD if bold else REGULAR
    for directory in FONT_DIRS:
        if (directory / name).is_file():
            return directory / name
    return None


@lru_cache(maxsize=64)
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = font_path(bold)
    if path is not None:
        return ImageFont.truetype(str(path), size)
    try:
        return ImageFont.load_default(size)
    except (TypeError, OSError):  # very old Pillow, or no FreeType: the fixed bitmap font
        return ImageFont.load_default()


def _width(text: str, size: int, bold: bool = False) -> int:
    return int(_font(size, bold).getlength(text))


def wrap(text: str, size: int, width: int, bold: bool = False) -> list[str]:
    """Lines of `text` no wider than `width` pixels, broken at ordinary spaces only (a non-breaking
    space keeps its neighbours together); a word wider than the line is cut."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if _width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while _width(word, size, bold) > width:
            cut = len(word)
            while cut > 1 and _width(word[:cut], size, bold) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _line_height(size: int, spacing: float = 1.3) -> int:
    return round(size * spacing)


# --- the card ---------------------------------------------------------------------------------------


def theme_colour(hit: QuoteHit) -> str:
    """The colour of the quote's first theme (the palette's primary colour without a theme)."""
    return THEME_COLOURS.get(hit.themes[0], PRIMARY) if hit.themes else PRIMARY


def credit_lines(hit: QuoteHit) -> tuple[str, str, str]:
    """The speaker's name, "title, organisation", and "talk — date" (parts missing left out)."""
    role = ", ".join(part for part in (hit.title, hit.organisation) if part)
    talk = ""
    if hit.intervention_title:
        talk = f"«{NBSP}{hit.intervention_title}{NBSP}»"
        if hit.date:
            talk += f"{NBSP}—{NBSP}{format_date(hit.date)}"
    return hit.speaker, french_typography(role), talk


def layout_card(hit: QuoteHit, fmt: str = "square") -> CardLayout:
    """Where every line goes: the theme's label at the top, the quote at the largest size that
    fits, the credit under it, the programme's name at the bottom, all within the margins."""
    if fmt not in FORMATS:
        raise CardError(f"Format inconnu : « {fmt} » (attendu : {' ou '.join(FORMATS)}).")
    width, height = FORMATS[fmt]
    spec = SPECS[fmt]
    inner_left = spec.margin + spec.band + spec.gap
    text_width = width - spec.margin - inner_left
    colour = theme_colour(hit)

    lines: list[TextBox] = []

    def place(text: str, y: int, size: int, bold: bool = False, colour: str = INK) -> int:
        font = _font(size, bold)
        box = font.getbbox(text)
        lines.append(
            TextBox(
                text,
                inner_left,
                y,
                (inner_left + box[0], y + box[1], inner_left + box[2], y + box[3]),
                size,
                bold,
                colour,
            )
        )
        return y + _line_height(size)

    theme = " · ".join(THEME_LABELS.get(theme, theme) for theme in hit.themes[:2]) or "Conseil de pro"
    top = spec.margin
    after_theme = place(
        wrap(theme.upper(), spec.detail, text_width, True)[0], top, spec.detail, True, MUTED_INK
    )

    name, role, talk = credit_lines(hit)
    credit: list[tuple[str, int, bool, str]] = [
        (line, spec.credit, True, INK) for line in wrap(name, spec.credit, text_width, True)
    ]
    for part in (role, talk):
        if part:
            credit += [(line, spec.detail, False, MUTED_INK) for line in wrap(part, spec.detail, text_width)]
    credit_height = sum(_line_height(size) for _, size, _, _ in credit)
    footer_lines = wrap(PROGRAMME_NAME, spec.footer, text_width, True)
    footer_height = sum(_line_height(spec.footer) for _ in footer_lines)
    footer_top = height - spec.margin - footer_height
    credit_top = footer_top - spec.gap - credit_height
    quote_top = after_theme + spec.gap
    quote_room = credit_top - spec.gap - quote_top

    text = quoted(hit.text)
    size = spec.quote_max
    while True:
        quote_lines = wrap(text, size, text_width)
        needed = len(quote_lines) * _line_height(size, 1.25)
        if needed <= quote_room or size <= spec.quote_min:
            break
        size -= 2
    if needed > quote_room:  # longer than any card can hold at a readable size: cut with an ellipsis
        keep = max(1, quote_room // _line_height(size, 1.25))
        quote_lines = quote_lines[:keep]
        quote_lines[-1] = _ellipsised(quote_lines[-1], size, text_width)

    # The quote is centred vertically in its room.
    y = quote_top + max(0, (quote_room - len(quote_lines) * _line_height(size, 1.25)) // 2)
    for line in quote_lines:
        place(line, y, size)
        y += _line_height(size, 1.25)
    y = credit_top
    for line, line_size, bold, line_colour in credit:
        y = place(line, y, line_size, bold, line_colour)
    y = footer_top
    for line in footer_lines:
        y = place(line, y, spec.footer, True, INK)
    return CardLayout(width, height, spec.margin, colour, size, lines)


def _ellipsised(line: str, size: int, width: int) -> str:
    while line and _width(line + f"…{NBSP}»", size) > width:
        line = line[:-1]
    return line.rstrip() + f"…{NBSP}»"


def render_card(hit: QuoteHit, fmt: str = "square") -> bytes:
    """The card as PNG bytes."""
    layout = layout_card(hit, fmt)
    spec = SPECS[fmt]
    image = Image.new("RGB", (layout.width, layout.height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    # The theme's colour: a band along the left margin, and a thin rule at the bottom.
    draw.rectangle(
        (spec.margin, spec.margin, spec.margin + spec.band - 1, layout.height - spec.margin - 1),
        fill=layout.colour,
    )
    draw.rectangle((0, layout.height - spec.band // 2, layout.width, layout.height), fill=layout.colour)
    for line in layout.lines:
        draw.text((line.x, line.y), line.text, font=_font(line.size, line.bold), fill=line.colour)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def alt_text(hit: QuoteHit) -> str:
    """The image's alternative text, ready to paste with the post."""
    name, role, talk = credit_lines(hit)
    speaker = f"{name}, {role}" if role else name
    theme = ", ".join(THEME_LABELS.get(theme, theme) for theme in hit.themes) or "sans thème"
    parts = [f"Carte citation. {quoted(hit.text)} {speaker}."]
    if hit.intervention_title:
        parts.append(f"Intervention {talk}.")
    parts.append(f"Thème{NBSP}: {theme}. {PROGRAMME_NAME}.")
    return " ".join(parts)


def file_name(hit: QuoteHit, fmt: str) -> str:
    return f"citation-{hit.quote_id}-{fmt}.png"
