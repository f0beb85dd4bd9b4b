"""Quote cards (`insights.reports.card`): both pixel sizes, every line within the margins for the
shortest and the longest published demo quote (and an overlong one), French typography, alt text."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image

from insights.domain import PUBLISHED
from insights.quotes import search
from insights.reports import card

NBSP = "\u00a0"


def _extremes(conn):
    rows = conn.execute(
        "SELECT quote_id FROM quotes WHERE status = ? ORDER BY length(text), quote_id", (PUBLISHED,)
    ).fetchall()
    return search.get_quote(conn, rows[0][0]), search.get_quote(conn, rows[-1][0])


def _within_margins(layout: card.CardLayout) -> None:
    left, top, right, bottom = layout.text_box
    m = layout.margin
    assert m <= left and right <= layout.width - m, (left, right)
    assert m <= top and bottom <= layout.height - m, (top, bottom)
    for line in layout.lines:  # and no two lines overlap
        others = [
            o for o in layout.lines if o is not line and o.box[1] < line.box[3] and line.box[1] < o.box[3]
        ]
        assert not others, (line.text, [o.text for o in others])


@pytest.mark.parametrize("fmt", ["square", "landscape"])
def test_shortest_and_longest_demo_quotes_stay_within_the_margins(demo_conn, fmt):
    shortest, longest = _extremes(demo_conn)
    assert len(longest.text) > 3 * len(shortest.text) / 2
    sizes = {}
    for hit in (shortest, longest):
        layout = card.layout_card(hit, fmt)
        _within_margins(layout)
        joined = " ".join(line.text for line in layout.lines if line.size == layout.quote_size)
        assert joined.replace(NBSP, " ").startswith("« ") and joined.endswith(f"{NBSP}»")
        assert "…" not in joined  # the whole quote is shown
        sizes[hit.quote_id] = layout.quote_size
    assert sizes[longest.quote_id] <= sizes[shortest.quote_id]


@pytest.mark.parametrize("fmt", ["square", "landscape"])
def test_an_overlong_quote_shrinks_and_is_cut_within_the_margins(demo_conn, fmt):
    _, longest = _extremes(demo_conn)
    overlong = replace(longest, text=" ".join([longest.text] * 4) + " Anticonstitutionnellement" * 3)
    layout = card.layout_card(overlong, fmt)
    _within_margins(layout)
    assert layout.quote_size < card.SPECS[fmt].quote_max


@pytest.mark.parametrize(("fmt", "size"), [("square", (1080, 1080)), ("landscape", (1200, 627))])
def test_the_png_has_the_format_pixel_size_and_the_theme_colour(demo_conn, fmt, size):
    _, hit = _extremes(demo_conn)
    image = Image.open(io.BytesIO(card.render_card(hit, fmt)))
    assert image.format == "PNG" and image.size == size
    colour = tuple(int(card.theme_colour(hit)[i : i + 2], 16) for i in (1, 3, 5))
    margin = card.SPECS[fmt].margin
    assert image.getpixel((margin + 2, size[1] // 2)) == colour  # the band
    assert image.getpixel((size[0] // 2, size[1] - 2)) == colour  # the bottom rule


def test_unknown_format_is_a_clear_error(demo_conn):
    _, hit = _extremes(demo_conn)
    with pytest.raises(card.CardError, match="Format inconnu"):
        card.layout_card(hit, "story")


def test_french_typography():
    assert card.french_typography("Vraiment ? Oui ! Deux points: voilà ; fin") == (
        f"Vraiment{NBSP}? Oui{NBSP}! Deux points{NBSP}: voilà{NBSP}; fin"
    )
    assert card.french_typography('Il dit "bonjour" ?!') == f"Il dit «{NBSP}bonjour{NBSP}»{NBSP}?!"
    assert card.french_typography("voir https://example.org") == "voir https://example.org"
    assert card.french_typography("Live à 20:30 : venez!") == f"Live à 20:30{NBSP}: venez{NBSP}!"
    assert card.french_typography("l'insulte") == "l’insulte"
    assert card.quoted('Dites "non" : merci') == f"«{NBSP}Dites “non”{NBSP}: merci{NBSP}»"


def test_alt_text_credits_the_speaker_and_the_talk(demo_conn):
    _, hit = _extremes(demo_conn)
    alt = card.alt_text(hit)
    for part in (hit.speaker, hit.organisation, hit.intervention_title, card.PROGRAMME_NAME):
        assert part.replace("'", "’") in alt.replace("'", "’")
    assert card.quoted(hit.text) in alt


def test_the_default_font_is_used_when_dejavu_is_absent(demo_conn, monkeypatch):
    shortest, _ = _extremes(demo_conn)
    monkeypatch.setattr(card, "FONT_DIRS", ())
    card.font_path.cache_clear()
    card._font.cache_clear()
    try:
        assert card.font_path() is None
        image = Image.open(io.BytesIO(card.render_card(shortest, "landscape")))
        assert image.size == (1200, 627)
        _within_margins(card.layout_card(shortest, "landscape"))
    finally:
        card.font_path.cache_clear()
        card._font.cache_clear()
