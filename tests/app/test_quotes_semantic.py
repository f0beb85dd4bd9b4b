"""Mur de citations with the real model (multilingual-e5-small): a misspelt query is corrected with a
way back to the query as typed, a situation told in other words finds its advice, and each card
offers its "Conseils proches"."""

from __future__ import annotations

from tests.app.test_quotes import card_links, card_quotes, markdown, open_wall, run, summary

MODERATION_QUOTE = "n'est pas censurer"  # « Modérer n'est pas censurer. … » (its first word highlighted)


def correction_line(at) -> str | None:
    return next((text for text in markdown(at) if text.startswith("Résultats pour")), None)


def test_a_misspelt_query_shows_the_results_of_the_correction_and_offers_the_query_as_typed(real_app_db):
    at = open_wall(q="modérasion")
    line = correction_line(at)
    assert line is not None
    as_typed = at.button(key="wall_as_typed")
    sentence = f"{line} {as_typed.label}".replace("**", "").replace("\u00a0", " ")
    assert sentence == "Résultats pour « modération » — rechercher plutôt « modérasion » ?"
    assert any(MODERATION_QUOTE in quote for quote in card_quotes(at)[:3])
    assert at.text_input(key="q").value == "modérasion"  # the box keeps what was typed

    as_typed.click()
    run(at)
    assert correction_line(at) is None
    assert at.query_params["tel_quel"] in ("modérasion", ["modérasion"])
    # No quote has the word as typed: only the semantic side answers, with fewer quotes.
    assert int(summary(at).split()[0].strip("*")) < int(
        summary(open_wall(q="modération")).split()[0].strip("*")
    )

    at.text_input(key="q").input("inflenceur")  # another query is corrected again
    run(at)
    assert correction_line(at).replace("**", "").replace("\u00a0", " ") == (
        "Résultats pour « influenceur » — rechercher plutôt"
    )


def test_a_long_question_s_correction_is_told_by_its_corrected_word(real_app_db):
    """The line names the word that changed, with a few words around it, not the whole sentence
    (cut by the page's width); the button still searches the whole question as typed."""
    question = "Comment je fais si un inflenceur mécontent me menace de faire un bad buzz ?"
    at = open_wall(q=question)
    line = correction_line(at).replace("\u00a0", " ")
    assert line == "Résultats pour « … si un **influenceur** mécontent me … » — rechercher plutôt"
    as_typed = at.button(key="wall_as_typed")
    assert as_typed.label.replace("\u00a0", " ") == "« … si un inflenceur mécontent me … » ?"
    as_typed.click()
    run(at)
    assert correction_line(at) is None
    assert at.query_params["tel_quel"] in (question, [question])


def test_a_known_word_is_not_corrected(real_app_db):
    at = open_wall(q="banque")
    assert correction_line(at) is None


def test_a_situation_in_other_words_finds_the_advice(real_app_db):
    at = open_wall(q="un journaliste m'appelle pour avoir notre réaction")
    assert not summary(at).startswith("**0 citation")
    assert any("journaliste" in quote.lower() for quote in card_quotes(at)[:3])


def test_each_card_offers_nearby_quotes_other_than_itself(real_app_db):
    at = open_wall(citation="q0106")  # « Un troll cherche un public. … »
    expanders = [e for e in at.expander if e.label == "Conseils proches"]
    assert expanders, "a card has its Conseils proches"
    first = expanders[0]
    nearby = [element.value for element in first.markdown]
    assert len(nearby) == 3
    links = [text.rsplit("?citation=", 1)[1].rstrip(")]") for text in nearby]
    assert "q0106" not in links and len(set(links)) == 3
    assert card_links(at)[0] == "q0106"
    # Its neighbours in meaning: answering someone in public, whom the answer is really for.
    assert sum("répon" in text for text in nearby) >= 2
