"""The quote wall's pieces outside Streamlit: escaped and highlighted Markdown, cards, the CSV of the
results, the link parameter, the sidebar's filters, proposals and the moderation queue."""

from __future__ import annotations

import csv
import io
import random
import re
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from insights import store
from insights.domain import PROPOSED, PUBLISHED, REFUSED, THEME_IDS
from insights.exporting import neutralise
from insights.filters import Filters
from insights.formatting import WORD_JOINER, escape_markdown
from insights.language.spelling import Correction
from insights.quotes import search
from insights.quotes import wall as quote_wall
from insights.quotes.wall import InvalidProposalError

HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)> **gras** [lien](javascript:x) :red[rouge]"


def test_the_correction_is_told_with_the_query_as_typed_shown_literally():
    correction = Correction(original=f"e-reputasion {HOSTILE}", corrected="e-réputation", words=())
    assert plain(quote_wall.correction_markdown(correction)).replace("**", "") == (
        "Résultats pour «\u00a0e-réputation\u00a0» — rechercher plutôt"
    )
    label = quote_wall.as_typed_label(correction)
    assert plain(label) == f"«\u00a0e-reputasion {HOSTILE}\u00a0»\u00a0?"
    assert label.startswith("«\u00a0e-reputasion <script>")  # no backslash for a screen reader to read
    assert "**gras" not in label and ":red" not in label


def test_a_long_question_s_correction_is_told_around_its_corrected_words():
    typed = "Comment je fais si un inflenceur mécontent me menace de faire un bad buzz sur linkdin ?"
    searched = typed.replace("inflenceur", "influenceur").replace("linkdin", "linkedin")
    correction = Correction(typed, searched, (("inflenceur", "influenceur"), ("linkdin", "linkedin")))
    assert plain(quote_wall.correction_markdown(correction)) == (
        "Résultats pour «\u00a0… si un **influenceur** mécontent me … buzz sur **linkedin** ?\u00a0» — "
        "rechercher plutôt"
    )
    assert plain(quote_wall.as_typed_label(correction)) == (
        "«\u00a0… si un inflenceur mécontent me … buzz sur linkdin ?\u00a0»\u00a0?"
    )


def test_a_short_query_s_correction_is_told_whole_its_corrected_word_in_bold():
    correction = Correction(
        "un inflenceur fâché ?", "un influenceur fâché ?", (("inflenceur", "influenceur"),)
    )
    assert plain(quote_wall.correction_markdown(correction)) == (
        "Résultats pour «\u00a0un **influenceur** fâché ?\u00a0» — rechercher plutôt"
    )
    assert plain(quote_wall.as_typed_label(correction)) == "«\u00a0un inflenceur fâché ?\u00a0»\u00a0?"


def test_the_words_around_a_correction_are_shown_literally():
    typed = "Voici <b>un</b> inflenceur :red[vite] **gras** et puis plus loin encore"
    correction = Correction(
        typed, typed.replace("inflenceur", "influenceur"), (("inflenceur", "influenceur"),)
    )
    markdown = quote_wall.correction_markdown(correction)
    assert (
        plain(markdown)
        == "Résultats pour «\u00a0… un</b> **influenceur** :red[vite …\u00a0» — rechercher plutôt"
    )
    assert "</b>" not in markdown and ":red[" not in markdown  # escaped, never live
    label = quote_wall.as_typed_label(correction)
    assert plain(label) == "«\u00a0… un</b> inflenceur :red[vite …\u00a0»\u00a0?"
    assert ":red[" not in label


def plain(markdown: str) -> str:
    """What Streamlit displays for Markdown made of escaped text, `:blue[**…**]` highlights and the
    wall's quotation marks: the directives, escapes and invisible word joiners removed."""
    text = re.sub(r":blue\[\*\*(.*?)\*\*\]", r"\1", markdown, flags=re.DOTALL)
    return re.sub(r"\\(.)", r"\1", text).replace(WORD_JOINER, "")


# --- highlighting ---------------------------------------------------------------------------------


def test_highlight_wraps_each_span_and_escapes_every_piece():
    text = "Les *trolls* <b>, puis les trolls."
    spans = [(4, 12), (27, 33)]
    markdown = quote_wall.highlight_markdown(text, spans)
    assert markdown == ("Les :blue[**\\*trolls\\***] \\<b\\>, puis les :blue[**trolls**]\\.")
    assert plain(markdown) == text


def test_highlight_without_spans_is_the_escaped_text():
    assert quote_wall.highlight_markdown(HOSTILE, []) == escape_markdown(HOSTILE)


def test_highlight_clips_spans_to_the_text_and_to_the_previous_span():
    assert quote_wall.highlight_markdown("abc", [(0, 2), (1, 3), (5, 9)]) == ":blue[**ab**]:blue[**c**]"


def test_highlight_leaves_surrounding_spaces_outside_the_emphasis():
    assert quote_wall.highlight_markdown("un bad buzz ici", [(2, 12)]) == "un :blue[**bad buzz**] ici"
    assert quote_wall.highlight_markdown("a \n b", [(1, 4)]) == "a \n b"


def unescaped(markdown: str, special: str) -> int:
    """How many times `special` occurs in `markdown` as Markdown syntax (not backslash-escaped)."""
    return sum(token == special for token in re.findall(r"\\.|.", markdown, flags=re.DOTALL))


@given(st.text(max_size=80), st.lists(st.tuples(st.integers(0, 90), st.integers(0, 90)), max_size=5))
def test_highlight_always_shows_the_text_literally(text, raw_spans):
    spans = sorted((min(a, b), max(a, b)) for a, b in raw_spans)
    markdown = quote_wall.highlight_markdown(text, spans)
    assert plain(markdown) == text
    highlights = markdown.count(":blue[**")
    assert unescaped(markdown, "*") == 4 * highlights
    assert unescaped(markdown, "[") == unescaped(markdown, "]") == highlights
    for special in "<>_`#()!|":
        assert unescaped(markdown, special) == 0


def test_quote_markdown_highlights_what_the_search_matched():
    markdown = quote_wall.quote_markdown("Les Trolls ? On ne les nourrit pas.", "troll")
    assert markdown == "«\u00a0Les :blue[**Trolls**] ? On ne les nourrit pas\\.\u00a0»"
    assert quote_wall.quote_markdown(HOSTILE) == f"«\u00a0{escape_markdown(HOSTILE)}\u00a0»"


def test_quote_markdown_of_hostile_text_matched_by_the_query_stays_escaped():
    markdown = quote_wall.quote_markdown(HOSTILE, "script alert")
    assert ":blue[**script**]" in markdown and ":blue[**alert**]" in markdown
    assert "<" not in markdown.replace("\\<", "")
    assert plain(markdown) == f"«\u00a0{HOSTILE}\u00a0»"


# --- cards ----------------------------------------------------------------------------------------


def test_a_card_shows_speaker_talk_date_themes_and_link(demo_conn):
    hit = search.get_quote(demo_conn, "q0106", "troll")
    card = quote_wall.card(hit, "troll", selected_themes=["crise"])
    assert card.quote.startswith("«\u00a0Un :blue[**troll**] cherche un public\\.")
    assert card.speaker == "**Antoine Lefèvre** — Community manager, Nébula Games"
    assert card.talk.endswith(" · 26/03/2015")
    assert card.themes == ":blue-badge[Gestion de crise]"
    assert card.link == "?citation=q0106"


def test_speaker_and_talk_lines_escape_data_and_skip_missing_parts():
    assert quote_wall.speaker_markdown("A <b>", "", "Org [x]") == "**A \\<b\\>** — Org \\[x\\]"
    assert quote_wall.speaker_markdown("Solo", "", "") == "**Solo**"
    assert quote_wall.talk_markdown(None, None) == "Intervention non précisée"
    assert (
        quote_wall.talk_markdown("Atelier #1", "2015-11-24")
        == ":material/co_present: Atelier \\#1 · 24/11/2015"
    )


def test_theme_badges_use_labels_and_mark_the_selected_themes():
    assert quote_wall.theme_badges(["crise", "outils"], ["outils"]) == (
        ":gray-badge[Gestion de crise] :blue-badge[Outils]"
    )
    assert quote_wall.theme_badges([]) == ""


def test_labels_of_counts_are_french():
    assert quote_wall.results_label(0) == "0 citation"
    assert quote_wall.results_label(1) == "1 citation"
    assert quote_wall.results_label(1234) == "1\u202f234 citations"
    assert quote_wall.theme_chip_label("crise", {"crise": 12}) == "Gestion de crise (12)"
    assert quote_wall.theme_chip_label("outils", {}) == "Outils (0)"


# --- the search the wall runs -------------------------------------------------------------------------


def test_the_sidebar_filters_map_onto_the_search():
    sidebar = Filters(cohorts=("2015-2016",), semesters=("S1",), org_types=("agence",), themes=("crise",))
    shown = quote_wall.wall_filters("  un troll  ", sidebar, ["sp04"])
    assert shown == Filters(
        cohorts=("2015-2016",),
        semesters=("S1",),
        org_types=("agence",),
        themes=("crise",),
        speaker_ids=("sp04",),
        query="un troll",
    )
    # The wall's own speakers and text replace whatever the filters held.
    again = quote_wall.wall_filters(None, shown)
    assert (again.query, again.speaker_ids, again.themes) == ("", (), ("crise",))


def test_a_very_long_query_is_cut():
    assert len(quote_wall.wall_filters("x" * 1000, Filters()).query) == quote_wall.MAX_QUERY_LENGTH


def test_the_wall_counts_and_lists_the_same_quotes(demo_conn):
    shown = quote_wall.wall_filters("bad buzz", Filters(themes=("crise",)))
    hits = search.search_quotes(demo_conn, shown, 500)
    assert search.count_quotes(demo_conn, shown) == len(hits) > 0
    assert all("crise" in hit.themes for hit in hits)


def test_the_theme_chips_count_the_search_whatever_theme_is_chosen(demo_conn):
    shown = quote_wall.wall_filters("", Filters(cohorts=("2014-2015", "2015-2016"), themes=("crise",)))
    counts = search.theme_counts(demo_conn, shown)
    assert counts == search.theme_counts(demo_conn, replace(shown, themes=()))
    assert counts["crise"] == search.count_quotes(demo_conn, shown) > 0
    # Another chip counts what choosing it instead would show, not its overlap with "crise".
    assert counts["transparence"] == search.count_quotes(demo_conn, replace(shown, themes=("transparence",)))
    overlap = sum("transparence" in hit.themes for hit in search.search_quotes(demo_conn, shown, 1000))
    assert counts["transparence"] > overlap


def test_the_semester_filter_keeps_quotes_of_talks_of_that_semester(demo_conn):
    interventions = store.load_interventions(demo_conn).set_index("intervention_id")
    for semester in ("S1", "S2"):
        hits = search.search_quotes(demo_conn, Filters(semesters=(semester,)), 1000)
        assert hits
        assert {interventions.loc[hit.intervention_id, "semester"] for hit in hits} == {semester}
    both = search.count_quotes(demo_conn, Filters(semesters=("S1", "S2")))
    everything = search.count_quotes(demo_conn, Filters())
    no_talk = sum(
        1 for hit in search.search_quotes(demo_conn, Filters(), 1000) if hit.intervention_id is None
    )
    assert no_talk > 0
    assert both == everything - no_talk


def test_theme_counts_follow_the_semester_filter(demo_conn):
    s1 = search.theme_counts(demo_conn, Filters(semesters=("S1",)))
    s2 = search.theme_counts(demo_conn, Filters(semesters=("S2",)))
    for theme in THEME_IDS:
        assert s1[theme] == search.count_quotes(demo_conn, Filters(themes=(theme,), semesters=("S1",)))
    assert s1 != s2


def test_a_random_quote_comes_from_the_results(demo_conn):
    rng = random.Random(7)
    with_query = quote_wall.wall_filters("troll", Filters())
    allowed = {hit.quote_id for hit in search.search_quotes(demo_conn, with_query, 100)}
    drawn = {quote_wall.draw_quote(demo_conn, with_query, rng).quote_id for _ in range(20)}
    assert drawn <= allowed and len(drawn) > 1
    in_theme = quote_wall.draw_quote(demo_conn, Filters(themes=("outils",)), rng)
    assert "outils" in in_theme.themes
    theirs = quote_wall.draw_quote(demo_conn, quote_wall.wall_filters("", Filters(), ["sp04"]), rng)
    assert theirs.speaker_id == "sp04"
    assert quote_wall.draw_quote(demo_conn, Filters(query="zzzzqqq"), rng) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("q0042", "q0042"),
        (" q0042 ", "q0042"),
        (None, None),
        ("", None),
        ("q 42", None),
        ("<script>", None),
        ("x" * 41, None),
    ],
)
def test_the_link_parameter_is_read_as_an_id_or_ignored(value, expected):
    assert quote_wall.parse_quote_param(value) == expected


def test_a_quote_link_is_relative_and_read_back():
    link = quote_wall.quote_link("q0042")
    assert link == "?citation=q0042"
    assert quote_wall.parse_quote_param(link.split("=", 1)[1]) == "q0042"


def test_the_filters_summary_names_the_sidebar_filters_that_narrow_the_wall():
    assert quote_wall.filters_summary(Filters()) == ""
    # Themes are the wall's chips, speakers and text its own widgets: not repeated here.
    assert quote_wall.filters_summary(Filters(themes=("crise",), speaker_ids=("sp1",), query="x")) == ""
    assert quote_wall.filters_summary(Filters(cohorts=("2015-2016",))) == "Promotion 2015\\-2016"
    summary = quote_wall.filters_summary(
        Filters(
            cohorts=("2015-2016", "2016-2017"), semesters=("S2", "S1"), org_types=("agence", "grand groupe")
        )
    )
    assert summary == (
        "Promotions 2015\\-2016, 2016\\-2017 · Semestre S1, S2 · Organisations \\: grand groupe, agence"
    )


def test_get_quote_returns_published_quotes_only(demo_conn):
    assert search.get_quote(demo_conn, "q0106").speaker == "Antoine Lefèvre"
    assert search.get_quote(demo_conn, "q0175") is None  # proposed
    assert search.get_quote(demo_conn, "q0182") is None  # refused
    assert search.get_quote(demo_conn, "nope") is None


# --- CSV ----------------------------------------------------------------------------------------


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode()), "a byte order mark, for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_csv_holds_the_results_in_order_with_french_headers_and_dates(demo_conn):
    hits = search.search_quotes(demo_conn, Filters(query="troll"), 100)
    rows = read_csv(quote_wall.hits_csv(hits))
    assert rows[0] == list(quote_wall.CSV_HEADER)
    assert [row[0] for row in rows[1:]] == [hit.quote_id for hit in hits]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Date"] == "26/03/2015"
    assert first["Thèmes"] == "Gestion de crise"
    assert first["Intervenant·e"] == "Antoine Lefèvre"


def test_the_csv_neutralises_cells_that_a_spreadsheet_would_run(demo_conn):
    hit = search.get_quote(demo_conn, "q0106")
    hostile = [
        hit.__class__(**{**hit.__dict__, "text": text, "speaker": "@admin"})
        for text in ('=HYPERLINK("http://x")', "+33 6 12", "-1 pour lui", "\tcaché")
    ]
    rows = read_csv(quote_wall.hits_csv(hostile))
    assert [row[1] for row in rows[1:]] == [
        '\'=HYPERLINK("http://x")',
        "'+33 6 12",
        "'-1 pour lui",
        "'\tcaché",
    ]
    assert {row[2] for row in rows[1:]} == {"'@admin"}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),  # so that removing one quote always gives the text back
        ("'bonjour", "'bonjour"),
        ("Un - tiret", "Un - tiret"),
        ("", ""),
    ],
)
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("", "citations.csv"),
        ("Bad buzz !", "citations-bad-buzz.csv"),
        ('"ligne éditoriale"', "citations-ligne-editoriale.csv"),
        ("<>", "citations.csv"),
    ],
)
def test_the_csv_file_is_named_after_the_search(query, name):
    assert quote_wall.csv_file_name(quote_wall.wall_filters(query, Filters())) == name


# --- proposals ----------------------------------------------------------------------------------------


def test_a_valid_proposal_is_cleaned(demo_conn):
    speakers, interventions = store.load_speakers(demo_conn), store.load_interventions(demo_conn)
    proposal = quote_wall.check_proposal(
        "  « Ne nourrissez   pas le troll. »  ",
        "sp04",
        "2012-2013-S1-05",
        ["conversation", "crise", "crise"],
        speakers,
        interventions,
    )
    assert proposal == quote_wall.Proposal(
        "Ne nourrissez pas le troll.", "sp04", "2012-2013-S1-05", ("crise", "conversation")
    )
    unknown_talk = quote_wall.check_proposal(
        "Une phrase assez longue.", "sp04", "", [], speakers, interventions
    )
    assert unknown_talk.intervention_id is None


@pytest.mark.parametrize(
    ("text", "speaker", "talk", "themes", "problem"),
    [
        ("", "sp04", None, [], "Saisissez la citation."),
        ("« »", "sp04", None, [], "Saisissez la citation."),
        ("Court", "sp04", None, [], "trop courte"),
        ("x" * 601, "sp04", None, [], "trop longue"),
        ("Une phrase assez longue.", None, None, [], "Choisissez l'intervenant·e"),
        ("Une phrase assez longue.", "sp99", None, [], "inconnu·e"),
        ("Une phrase assez longue.", "sp04", "2011-2012-S1-01", [], "n'est pas celle"),
        ("Une phrase assez longue.", "sp04", None, ["crise", "nope"], "Thème inconnu : nope."),
    ],
)
def test_an_invalid_proposal_says_what_is_wrong(demo_conn, text, speaker, talk, themes, problem):
    with pytest.raises(InvalidProposalError) as error:
        quote_wall.check_proposal(
            text, speaker, talk, themes, store.load_speakers(demo_conn), store.load_interventions(demo_conn)
        )
    assert any(problem in message for message in error.value.problems), error.value.problems


def test_every_problem_is_listed_at_once(demo_conn):
    with pytest.raises(InvalidProposalError) as error:
        quote_wall.check_proposal(
            "", None, None, ["nope"], store.load_speakers(demo_conn), store.load_interventions(demo_conn)
        )
    assert len(error.value.problems) == 3


def test_talk_options_list_the_speakers_talks_newest_first_after_i_dont_know(demo_conn):
    options = quote_wall.talk_options(store.load_interventions(demo_conn), "sp04")
    assert next(iter(options)) == quote_wall.UNKNOWN_TALK
    assert options[quote_wall.UNKNOWN_TALK] == "Je ne sais pas"
    labels = list(options.values())[1:]
    assert labels[0].startswith("28/04/2016 · ") and labels[0].endswith("(2015-2016)")
    assert len(labels) == 5
    assert quote_wall.talk_options(store.load_interventions(demo_conn), None) == {"": "Je ne sais pas"}


def test_speaker_options_are_sorted_by_name(demo_conn):
    options = quote_wall.speaker_options(store.load_speakers(demo_conn))
    names = list(options.values())
    assert names == sorted(names, key=str.lower)
    assert options["sp04"] == "Thomas Nguyen — Thomas Nguyen Conseil"


# --- moderation ---------------------------------------------------------------------------------------


def test_the_queue_lists_proposals_newest_first_with_speaker_and_talk(demo_conn):
    speakers, interventions = store.load_speakers(demo_conn), store.load_interventions(demo_conn)
    queue = quote_wall.moderation_items(store.load_quotes(demo_conn, PROPOSED), speakers, interventions)
    assert [item.quote_id for item in queue] == [f"q0{n}" for n in range(181, 174, -1)]
    item = queue[-1]
    assert (item.text, item.themes) == ("L'outil ne fait pas le CM.", ("outils",))
    assert item.talk.endswith(" · 01/10/2015")
    assert item.speaker == quote_wall.speaker_options(speakers)[item.speaker_id]
    refused = quote_wall.moderation_items(store.load_quotes(demo_conn, REFUSED), speakers, interventions)
    assert [item.quote_id for item in refused] == ["q0184", "q0183", "q0182"]
    published = quote_wall.moderation_items(store.load_quotes(demo_conn, PUBLISHED), speakers, interventions)
    assert len(published) == 174
    assert not {item.quote_id for item in queue} & {item.quote_id for item in published}


def test_a_queue_entry_without_a_known_talk_says_so(demo_conn):
    speakers, interventions = store.load_speakers(demo_conn), store.load_interventions(demo_conn)
    quotes = store.load_quotes(demo_conn, PROPOSED)
    quotes.loc[quotes["quote_id"] == "q0181", "intervention_id"] = None
    quotes.loc[quotes["quote_id"] == "q0180", "intervention_id"] = "nope"
    by_id = {item.quote_id: item for item in quote_wall.moderation_items(quotes, speakers, interventions)}
    assert by_id["q0181"].talk == by_id["q0180"].talk == "Intervention non précisée"


def test_a_queue_entry_is_escaped():
    item = quote_wall.ModerationItem(
        "q1", HOSTILE, "sp1", "<b>Nom</b>", None, "Intervention non précisée", ("crise",), "x"
    )
    markdown = quote_wall.moderation_markdown(item)
    assert markdown["quote"] == f"«\u00a0{escape_markdown(HOSTILE)}\u00a0»"
    assert markdown["details"].startswith("\\<b\\>Nom\\</b\\>")
    assert markdown["themes"] == ":gray-badge[Gestion de crise]"
