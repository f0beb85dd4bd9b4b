"""French formatting and the escaping of data text."""

from __future__ import annotations

import math
import re

import pytest

from insights.formatting import (
    WORD_JOINER,
    escape_label,
    escape_markdown,
    format_date,
    format_duration,
    format_number,
    format_percent,
    format_signed,
    plural,
    quoted,
)


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (4.25, 2, "4,25"),
        (4.26, 1, "4,3"),
        (1234567, 0, "1\u202f234\u202f567"),
        (math.nan, 1, "–"),
        (None, 1, "–"),
    ],
)
def test_format_number(value, decimals, text):
    assert format_number(value, decimals) == text


def test_format_signed_and_percent():
    assert format_signed(0.3) == "+0,3"
    assert format_signed(-2) == "−2,0"
    assert format_percent(0.734) == "73\u00a0%"


def test_format_date_is_french():
    assert format_date("2015-10-14") == "14/10/2015"
    assert format_date("2015-10-14T18:32:00") == "14/10/2015"
    assert format_date(None) == ""


def test_plural():
    assert plural(1, "réponse") == "1 réponse"
    assert plural(3, "réponse") == "3 réponses"


@pytest.mark.parametrize(
    "text",
    [
        "**gras**",
        "[lien](javascript:alert(1))",
        "<script>alert(1)</script>",
        "# titre",
        "a_b_c",
        ":material/home:",
    ],
)
def test_escape_markdown_neutralises_every_markup_character(text):
    escaped = escape_markdown(text)
    unescaped = escaped.replace("\\", "").replace(WORD_JOINER, "")
    assert unescaped == text.replace("\\", "")
    for character in "*[]()<>#_:":
        assert f"\\{character}" in escaped or character not in text


HOSTILE_LABEL = (
    "![x](http://127.0.0.1:9/p.png) **gras** [lien](https://a.b) `code` ~~barré~~ $x$ :material/home:"
)


def test_escape_label_neutralises_what_a_label_formats():
    escaped = escape_label(HOSTILE_LABEL + "\nw@x.fr www.x.fr")
    assert not re.search(r"(?<!\\)[\[\]`*~$]", escaped)
    for start in (":m", "@x", "www.", "http:"):
        assert start not in escaped
    assert "\n" not in escaped
    assert escaped.replace("\\", "").replace(WORD_JOINER, "") == HOSTILE_LABEL + " w@x.fr www.x.fr"


def test_escape_label_leaves_ordinary_punctuation_for_screen_readers():
    """A label is read aloud as written, backslashes included: ordinary text keeps none."""
    text = "Note : 4.5 (sur 5) - le # du slogan, 1. oui + non ! <3 « ok » {a} a|b"
    assert escape_label(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "https://evil.example/x",
        "HTTP://A.B",
        "www.evil.example",
        "moi@evil.example",
        "mailto:moi@evil.example",
    ],
)
def test_escape_markdown_keeps_bare_addresses_from_becoming_links(text):
    """Markdown links bare addresses even when escaped: a word joiner breaks each pattern's start,
    and the text reads the same once the invisible joiners are removed."""
    escaped = escape_markdown(text)
    assert WORD_JOINER in escaped
    assert not re.search(r"(?i)https?\\?:|www\\?\.|@[\w-]", escaped)
    assert escaped.replace(WORD_JOINER, "").replace("\\", "") == text


def test_escape_markdown_keeps_icon_names_from_becoming_icons():
    """Streamlit draws ":material/name:" as an icon even when its colons are escaped."""
    escaped = escape_markdown("Votre ressenti :material/home: ici")
    assert ":material" not in escaped.replace("\\", "")
    assert escaped.replace(WORD_JOINER, "").replace("\\", "") == "Votre ressenti :material/home: ici"


def test_escape_markdown_leaves_ordinary_words_alone():
    assert escape_markdown("un httpservice et la wwwébradio") == "un httpservice et la wwwébradio"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "1 seconde"),
        (0.2, "1 seconde"),
        (1, "1 seconde"),
        (1.5, "2 secondes"),
        (59, "59 secondes"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (15 * 60, "15 minutes"),
        (3600, "1 h 00"),
        (3900, "1 h 05"),
    ],
)
def test_format_duration_rounds_a_wait_up(seconds, text):
    assert format_duration(seconds) == text


def test_quoted_text_keeps_its_french_quotation_marks_on_its_lines():
    assert quoted("Un troll cherche un public.") == "«\u00a0Un troll cherche un public.\u00a0»"
