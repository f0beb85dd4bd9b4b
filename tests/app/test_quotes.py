"""Mur de citations with AppTest: search, theme chips with their counts, the speaker and sidebar
filters, a quote's link, a random quote, "Afficher plus", a student's proposal that appears nowhere,
and the director who publishes, edits, refuses and reconsiders it."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from insights import store
from insights.domain import PROPOSED, PUBLISHED, REFUSED
from insights.formatting import escape_markdown

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "quotes.py")
TROLL_QUOTE = "q0106"  # « Un troll cherche un public. … », Antoine Lefèvre, 26/03/2015
NEW_QUOTE = "Face à un bad buzz, on répond vite, on reconnaît l'erreur et on explique ce qu'on corrige."


def open_wall(*, director: bool = False, tab: str | None = None, **query_params: str | list[str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if director:
        at.session_state["role"] = "director"
    for key, value in query_params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE)
    if tab is not None:
        at.session_state["wall_tab"] = tab
    return run(at)


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def markdown(at: AppTest) -> list[str]:
    return [element.value for element in at.markdown]


def summary(at: AppTest) -> str:
    return next(text for text in markdown(at) if text.startswith("**") and "citation" in text)


def card_quotes(at: AppTest) -> list[str]:
    """The quotes of the cards (and of the focused quote), in order, as Markdown."""
    return [text for text in markdown(at) if text.startswith("«\u00a0")]


def card_links(at: AppTest) -> list[str]:
    return [text.rsplit("?citation=", 1)[1].rstrip(")]") for text in markdown(at) if "?citation=" in text]


def button(at: AppTest, label: str, key: str | None = None):
    if key is not None:
        return at.button(key=key)
    return next(b for b in at.button if b.label == label)


def quote_status(database: Path, quote_id: str) -> str | None:
    conn = store.connect(database)
    try:
        row = conn.execute("SELECT status FROM quotes WHERE quote_id = ?", (quote_id,)).fetchone()
        return row[0] if row else None
    finally:
        conn.close()


# --- the wall -------------------------------------------------------------------------------------


def test_the_wall_lists_every_published_quote_newest_first(app_db):
    at = open_wall()
    assert [title.value for title in at.title] == ["Mur de citations"]
    assert [tab.label for tab in at.tabs] == ["Citations", "Proposer une citation"]
    assert summary(at) == "**174 citations** :small[· les plus récentes d'abord]"
    assert len(card_quotes(at)) == 24
    assert button(at, "", key="wall_more").label == "Afficher plus (24 affichées sur 174)"


def test_afficher_plus_adds_cards(app_db):
    at = open_wall()
    button(at, "", key="wall_more").click()
    run(at)
    assert len(card_quotes(at)) == 48
    assert button(at, "", key="wall_more").label == "Afficher plus (48 affichées sur 174)"


def test_a_search_ranks_matching_quotes_and_highlights_the_words(app_db):
    at = open_wall()
    at.text_input(key="q").input("trolls")
    run(at)
    assert summary(at) == "**5 citations** :small[· par pertinence, puis les plus récentes]"
    quotes = card_quotes(at)
    assert quotes[0].startswith("«\u00a0Un :blue[**troll**] cherche un public\\.")
    assert card_links(at)[0] == TROLL_QUOTE
    assert any(":blue[**insulte**]" in quote for quote in quotes), "a synonym is found and highlighted"


def test_the_theme_chips_count_the_current_search_and_filter_it(app_db):
    at = open_wall()
    chips = at.pills(key="wall_themes")
    assert chips.options[0] == "Gestion de crise (52)"
    at.text_input(key="q").input("troll")
    run(at)
    assert at.pills(key="wall_themes").options[:3] == [
        "Gestion de crise (5)",
        "Transparence (0)",
        "Conversation (2)",
    ]
    at.pills(key="wall_themes").set_value(["conversation"])
    run(at)
    assert summary(at).startswith("**2 citations**")
    assert all(":blue-badge[Conversation]" in text for text in markdown(at) if "-badge[" in text)
    assert at.session_state["filter_themes"] == ["conversation"], "the chips are the sidebar's theme filter"
    assert at.query_params["theme"] == "conversation"


def test_the_sidebar_themes_preselect_the_chips(app_db):
    at = open_wall(theme="outils")
    assert at.pills(key="wall_themes").value == ["outils"]
    assert summary(at).startswith("**22 citations**")


def test_a_shared_search_address_opens_the_same_search(app_db):
    at = open_wall(q="bad buzz", theme="crise")
    assert at.text_input(key="q").value == "bad buzz"
    assert at.pills(key="wall_themes").value == ["crise"]
    assert summary(at).startswith("**12 citations**")


def test_the_speaker_filter_keeps_their_quotes(app_db):
    at = open_wall()
    speakers = at.multiselect(key="intervenant")
    assert "Antoine Lefèvre — Nébula Games" in speakers.options
    speakers.set_value(["sp13"])
    run(at)
    quotes = store.load_quotes(store.connect(app_db), status=PUBLISHED)
    theirs = int((quotes["speaker_id"] == "sp13").sum())
    assert theirs > 1
    assert summary(at).startswith(f"**{theirs} citations**")
    speaker_lines = [c.value for c in at.caption if c.value.startswith("**")]
    assert len(speaker_lines) == theirs
    assert all(line.startswith("**Antoine Lefèvre** — ") for line in speaker_lines)


def test_the_sidebar_cohort_filter_applies_and_can_be_removed_from_the_wall(app_db):
    at = open_wall()
    at.sidebar.multiselect(key="filter_cohorts").set_value(["2015-2016"])
    run(at)
    narrowed = summary(at)
    assert not narrowed.startswith("**174")
    assert any("Filtres du panneau latéral appliqués : Promotion 2015\\-2016" in c.value for c in at.caption)
    button(at, "", key="wall_clear_filters").click()
    run(at)
    assert summary(at).startswith("**174 citations**")
    assert at.session_state["filter_cohorts"] == []


def test_no_result_says_so(app_db):
    at = open_wall(q="zzzqqq")
    assert summary(at).startswith("**0 citation**")
    assert at.info[0].value.startswith("Aucune citation ne correspond.")
    assert at.download_button(key="wall_csv").disabled
    assert at.button(key="wall_random").disabled


# --- a quote's link and the random quote ---------------------------------------------------------------


def test_a_quote_link_opens_the_wall_on_that_quote_with_a_way_back(app_db):
    at = open_wall(citation=TROLL_QUOTE)
    assert card_quotes(at)[0].startswith("«\u00a0Un troll cherche un public\\.")
    assert any("Citation choisie" in caption.value for caption in at.caption)
    assert len(card_quotes(at)) == 25, "the quote, then the whole wall"
    button(at, "", key="wall_close").click()
    run(at)
    assert "citation" not in at.query_params
    assert len(card_quotes(at)) == 24
    assert not any("Citation choisie" in caption.value for caption in at.caption)


@pytest.mark.parametrize("quote_id", ["q0175", "q0182", "q9999"])
def test_a_link_to_a_quote_that_is_not_published_shows_nothing_of_it(app_db, quote_id):
    at = open_wall(citation=quote_id)
    assert at.warning[0].value == f"La citation {quote_id} n'existe pas ou n'est pas publiée."
    assert not any("L'outil ne fait pas le CM" in text for text in markdown(at))


def test_a_random_quote_is_shown_first_and_linked(app_db):
    at = open_wall(theme="outils")
    button(at, "", key="wall_random").click()
    run(at)
    drawn = at.query_params["citation"]
    assert card_links(at)[0] == drawn
    assert any("Citation choisie" in caption.value for caption in at.caption)
    assert "outils" in store.load_quotes(store.connect(app_db)).set_index("quote_id").loc[drawn, "themes"]


# --- proposing and moderating -------------------------------------------------------------------------


def propose(at: AppTest, text: str = NEW_QUOTE, speaker: str = "sp04") -> AppTest:
    at.text_area(key="prop_text").input(text)
    run(at)
    at.selectbox(key="prop_speaker").set_value(speaker)
    run(at)
    at.button(key="prop_submit").click()
    return run(at)


def test_themes_are_suggested_from_the_words_and_can_be_changed(app_db):
    at = open_wall(tab="Proposer une citation")
    at.text_area(key="prop_text").input(NEW_QUOTE)
    run(at)
    assert at.multiselect(key="prop_themes").value == ["transparence", "crise"]
    assert any("Suggérés d'après le texte : Transparence, Gestion de crise" in c.value for c in at.caption)
    at.multiselect(key="prop_themes").set_value(["crise"])
    run(at)
    at.text_area(key="prop_text").input(NEW_QUOTE + " Toujours.")
    run(at)
    assert at.multiselect(key="prop_themes").value == ["crise"], "a person's choice is not overwritten"
    at.button(key="prop_take_suggestion").click()
    run(at)
    assert at.multiselect(key="prop_themes").value == ["transparence", "crise"]


def test_a_proposal_is_confirmed_and_appears_nowhere(app_db):
    at = open_wall(tab="Proposer une citation")
    at.selectbox(key="prop_speaker").set_value("sp04")
    run(at)
    talks = at.selectbox(key="prop_talk")
    assert talks.options[0] == "Je ne sais pas" and len(talks.options) == 6
    talks.set_value("2014-2015-S1-07")
    run(at)
    at.text_area(key="prop_text").input(NEW_QUOTE)
    run(at)
    at.button(key="prop_submit").click()
    run(at)
    assert at.success[0].value.startswith("Merci, votre proposition est envoyée !")
    assert at.text_area(key="prop_text").value == ""
    assert quote_status(app_db, "q0185") == PROPOSED
    quote = store.load_quotes(store.connect(app_db)).set_index("quote_id").loc["q0185"]
    assert (quote["text"], quote["speaker_id"], quote["intervention_id"]) == (
        NEW_QUOTE,
        "sp04",
        "2014-2015-S1-07",
    )
    assert quote["themes"] == ["crise", "transparence"]

    wall = open_wall(q="reconnaît l'erreur explique corrige")
    assert not any("on explique ce qu" in text for text in card_quotes(wall))
    assert open_wall(citation="q0185").warning


def test_an_incomplete_proposal_lists_what_is_missing_and_stores_nothing(app_db):
    at = open_wall(tab="Proposer une citation")
    at.button(key="prop_submit").click()
    run(at)
    assert [error.value for error in at.error] == [
        "Saisissez la citation.",
        "Choisissez l'intervenant·e qui l'a dite.",
    ]
    assert quote_status(app_db, "q0185") is None


def test_proposing_a_quote_already_on_the_wall_says_so(app_db):
    at = propose(
        open_wall(tab="Proposer une citation"),
        "« Un troll cherche un public. Si vous lui répondez à chaud, vous lui en offrez un. »",
        "sp13",
    )
    assert at.info[0].value == "Merci ! Cette citation est déjà sur le mur : il n'y a rien de plus à faire."
    assert quote_status(app_db, "q0185") is None


def test_students_have_no_moderation_tab(app_db):
    at = open_wall(tab="Modération (7)")
    assert [tab.label for tab in at.tabs] == ["Citations", "Proposer une citation"]
    assert not any(b.key and b.key.startswith("mod_") for b in at.button)


def test_the_director_publishes_a_proposal_and_it_appears_at_once(app_db):
    propose(open_wall(tab="Proposer une citation"))
    at = open_wall(director=True, tab="Modération (8)")
    assert [tab.label for tab in at.tabs] == ["Citations", "Proposer une citation", "Modération (8)"]
    assert card_quotes(at)[0] == f"«\u00a0{escape_markdown(NEW_QUOTE)}\u00a0»"
    at.button(key="mod_publish_q0185").click()
    run(at)
    assert at.success[0].value == "Citation q0185 publiée : elle est sur le mur."
    assert [tab.label for tab in at.tabs][-1] == "Modération (7)"
    assert quote_status(app_db, "q0185") == PUBLISHED

    at.session_state["wall_tab"] = "Citations"
    run(at)
    at.text_input(key="q").input("reconnaît l'erreur")
    run(at)
    assert card_links(at)[0] == "q0185"
    assert ":blue[**reconnaît**]" in card_quotes(at)[0]


def test_the_director_edits_then_publishes(app_db):
    at = open_wall(director=True, tab="Modération (7)")
    at.button(key="mod_edit_q0175").click()
    run(at)
    assert at.text_area(key="mod_text_q0175").value == "L'outil ne fait pas le CM."
    at.text_area(key="mod_text_q0175").input("L'outil ne fait pas le community manager.")
    at.multiselect(key="mod_themes_q0175").set_value(["outils", "parcours"])
    run(at)
    at.button(key="mod_save_q0175").click()
    run(at)
    assert at.success[0].value == "Citation q0175 modifiée et publiée : elle est sur le mur."
    quote = store.load_quotes(store.connect(app_db)).set_index("quote_id").loc["q0175"]
    assert (quote["text"], quote["status"], quote["themes"]) == (
        "L'outil ne fait pas le community manager.",
        PUBLISHED,
        ["parcours", "outils"],  # in the taxonomy's order
    )


def test_an_edit_that_empties_the_text_is_refused(app_db):
    at = open_wall(director=True, tab="Modération (7)")
    at.button(key="mod_edit_q0175").click()
    run(at)
    at.text_area(key="mod_text_q0175").input("")
    run(at)
    at.button(key="mod_save_q0175").click()
    run(at)
    assert at.error[0].value == "Saisissez la citation."
    assert quote_status(app_db, "q0175") == PROPOSED


def test_the_director_refuses_then_reconsiders(app_db):
    at = open_wall(director=True, tab="Modération (7)")
    at.button(key="mod_refuse_q0181").click()
    run(at)
    assert quote_status(app_db, "q0181") == REFUSED
    assert [tab.label for tab in at.tabs][-1] == "Modération (6)"
    assert at.expander[0].label == "Citations refusées (4)"
    at.button(key="mod_reconsider_q0181").click()
    run(at)
    assert quote_status(app_db, "q0181") == PROPOSED
    assert at.expander[0].label == "Citations refusées (3)"
    assert at.success[0].value == "Citation q0181 remise dans les propositions en attente."


def test_a_student_proposing_too_often_is_asked_to_wait_and_keeps_the_text(app_db):
    at = open_wall(tab="Proposer une citation")
    for index in range(store.PROPOSAL_LIMITS.per_session):
        propose(at, f"{NEW_QUOTE} Variante {index}.")
        assert at.success, at.error
    propose(at, f"{NEW_QUOTE} Une de trop.")
    assert any("attendez un peu" in error.value for error in at.error)
    assert at.text_area(key="prop_text").value == f"{NEW_QUOTE} Une de trop."
    assert not at.exception


def test_the_director_handles_a_flood_of_proposals(app_db):
    conn = store.connect(app_db)
    for index in range(120):
        store.propose_quote(
            conn, f"Proposition en série numéro {index}", "sp02" if index % 2 else "sp03", None, []
        )
    conn.close()
    at = open_wall(director=True, tab="Modération (127)")
    publish_buttons = [b for b in at.button if b.key and b.key.startswith("mod_publish_")]
    assert len(publish_buttons) == 20, "a page at a time"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["En attente"] == "127"
    at.selectbox(key="mod_speaker_filter").set_value("sp02")
    run(at)
    at.text_input(key="mod_query").input("en série")
    run(at)
    at.button(key="mod_refuse_all").click()
    run(at)
    assert at.success[0].value == "60 propositions refusées : elles restent hors du mur."
    assert store.quote_status_counts(store.connect(app_db))[PROPOSED] == 67
    assert not at.exception


def test_a_proposal_during_a_long_import_gets_a_french_message_not_a_traceback(app_db, monkeypatch):
    monkeypatch.setenv("INSIGHTS_WRITE_WAIT", "0.3")
    at = open_wall(tab="Proposer une citation")
    holder = store.connect(app_db)
    holder.execute("BEGIN IMMEDIATE")  # an import holding the database
    try:
        propose(at)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not at.exception
    assert [error.value for error in at.error] == [store.BUSY_MESSAGE]
    assert quote_status(app_db, "q0185") is None
    propose(at)  # once the import is over, it goes through
    assert at.success[0].value.startswith("Merci, votre proposition est envoyée !")
