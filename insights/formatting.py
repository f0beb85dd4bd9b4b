"""French formatting of numbers and dates, and escaping of data text shown in Markdown."""

from __future__ import annotations

import math
import re
from datetime import date, datetime

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# Streamlit's Markdown links bare addresses ("https://…", "www.…", "name@domain") and draws
# ":material/name:" icons whatever the escapes: an invisible word joiner where each would start
# keeps them plain text.
_AUTO_MARKUP_START = re.compile(
    r"(?i)(?<=\bhttp)(?=:)|(?<=\bhttps)(?=:)|(?<=\bwww)(?=\.)|(?<=@)(?=[\w-])|(?<=:)(?=material/)"
)
# In a label, ":name:", ":material/name:" and ":red[…]" become emoji, icons and colours whatever
# the backslashes.
_SHORTCODE_START = re.compile(r"(?<=:)(?=\S)")
WORD_JOINER = "\u2060"


def escape_markdown(text: str) -> str:
    """Make data text render literally in Streamlit Markdown (no formatting, links nor HTML)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _AUTO_MARKUP_START.sub(WORD_JOINER, text))


# What Markdown formats inside a widget's label (one line, no blocks, no HTML) besides the above:
# emphasis, code, strikethrough, links and images, LaTeX.
_LABEL_SPECIAL = re.compile(r"([\\`*_~\[\]$])")


def escape_label(text: str) -> str:
    """Make data text render literally in a widget's label, on one line.

    Lighter than `escape_markdown`: screen readers read the label as written, backslashes
    included, so only the characters that format a label are escaped ("Note : 4.5 (sur 5)" stays
    as it is)."""
    plain = _SHORTCODE_START.sub(WORD_JOINER, _AUTO_MARKUP_START.sub(WORD_JOINER, " ".join(text.split())))
    return _LABEL_SPECIAL.sub(r"\\\1", plain)


def quoted(text: str) -> str:
    """`text` between French quotation marks, held to them by no-break spaces (a line never starts
    with the closing mark)."""
    return f"«\u00a0{text}\u00a0»"


def format_number(value: float | int | None, decimals: int = 1) -> str:
    """`4.25` → `"4,3"` (French decimal comma, narrow no-break space between thousands);
    a missing value → `"–"`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def format_signed(value: float | None, decimals: int = 1) -> str:
    """A change with its sign: `+0,3`, `−2,0`; `"–"` when missing."""
    if value is None or math.isnan(value):
        return "–"
    sign = "+" if value >= 0 else "−"
    return sign + format_number(abs(value), decimals)


def format_percent(ratio: float | None, decimals: int = 0) -> str:
    """`0.734` → `"73 %"` (no-break space before the sign)."""
    if ratio is None or math.isnan(ratio):
        return "–"
    return f"{format_number(ratio * 100, decimals)}\u00a0%"


def format_date(value: str | date | datetime | None) -> str:
    """An ISO date (or datetime) → `"14/10/2015"`; empty when missing."""
    if value is None or value == "":
        return ""
    parsed = value if isinstance(value, date) else datetime.fromisoformat(str(value))
    return parsed.strftime("%d/%m/%Y")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """`1 réponse`, `3 réponses` (French: 0 and 1 take the singular)."""
    word = singular if count <= 1 else (plural_form or singular + "s")
    return f"{format_number(count, 0)} {word}"


def format_duration(seconds: float) -> str:
    """A wait in words, rounded up to the unit shown: `1 seconde`, `45 secondes`, `15 minutes`,
    `2 h 05`."""
    whole = max(1, math.ceil(seconds))
    if whole < 60:
        return plural(whole, "seconde")
    minutes = math.ceil(whole / 60)
    if minutes < 60:
        return plural(minutes, "minute")
    return f"{minutes // 60} h {minutes % 60:02d}"
