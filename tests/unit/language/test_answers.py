"""The free-text pipeline (`insights.language.answers`): terms and their shown word, and the
expressions students share."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insights.language.answers import (
    EXPRESSION_COLUMNS,
    answer_terms,
    frequent_expressions,
    representative_word,
)


def test_the_word_shown_for_a_term_is_its_most_written_accented_spelling():
    assert representative_word(Counter({"écouter": 1, "ecouter": 1, "écoute": 1})) == "écouter"
    assert representative_word(Counter({"reseaux": 3, "réseaux": 2, "réseau": 4})) == "réseaux"
    assert representative_word(Counter({"veille": 2})) == "veille"


def test_text_terms_fold_accents_case_and_plurals_and_drop_stop_words():
    terms = answer_terms("Les TROLLS ne se nourrissent pas : écouter, Écoute, 2024 !")
    stems = [stem for stem, _ in terms]
    assert "le" not in stems and "pas" not in stems and "2024" not in stems
    assert stems.count(stems[0]) == 1 and stems[0] == answer_terms("troll")[0][0]
    assert terms[0][1] == "trolls"
    assert answer_terms("écoute")[0][0] == answer_terms("Ecoutes")[0][0]


# --- the expressions students share -----------------------------------------------------------

TAKEAWAYS = [
    "Ne jamais répondre à chaud à un troll.",
    "ne jamais repondre a chaud aux trolls",
    "Ce que je retiens : ne jamais répondre à chaud à un troll, garder son calme.",
    "Surtout, ne jamais répondre à chaud à un troll",
    "Garder son calme face aux insultes.",
    "Garder son calme, toujours.",
    "Pas besoin de répondre à deux heures du matin.",
    "Pas besoin de répondre à deux heures du matin",
    "Les exemples concrets.",
    "",
    None,
]


def test_frequent_expressions_group_variants_and_count_answers():
    expressions = frequent_expressions(TAKEAWAYS, min_answers=2)
    assert list(expressions.columns) == EXPRESSION_COLUMNS
    assert expressions["expression"].tolist() == [
        "Ne jamais répondre à chaud à un troll",
        "Garder son calme",
        "Pas besoin de répondre à deux heures du matin",
    ]
    assert expressions["answers"].tolist() == [4, 3, 2]
    # Shares are of the 9 non-empty answers.
    assert expressions["share"].tolist() == pytest.approx([4 / 9, 3 / 9, 2 / 9])


def test_an_expression_needs_at_least_the_minimum_of_answers():
    expressions = frequent_expressions(TAKEAWAYS, min_answers=4)
    assert expressions["expression"].tolist() == ["Ne jamais répondre à chaud à un troll"]
    assert frequent_expressions(TAKEAWAYS, min_answers=5).empty


def test_negations_are_kept_so_advice_keeps_its_meaning():
    expressions = frequent_expressions(["pas besoin de publier tous les jours"] * 3, min_answers=3)
    assert expressions["expression"].tolist() == ["Pas besoin de publier tous les jours"]


def test_a_lead_in_and_clause_boundaries_do_not_join_words():
    texts = ["Ce que je retiens : écouter la communauté", "Clairement : écouter la communauté"] * 2
    expressions = frequent_expressions(texts, min_answers=2)
    assert expressions["expression"].tolist() == ["Écouter la communauté"]
    # "retiens" and "écouter" are in different clauses: no expression spans the colon.
    assert frequent_expressions(["retiens : écouter", "retiens : écouter"], min_answers=2).empty


def test_an_answer_citing_an_expression_twice_counts_once():
    expressions = frequent_expressions(["bad buzz, encore un bad buzz", "un bad buzz"], min_answers=2)
    assert expressions["answers"].tolist() == [2]


def test_the_limit_caps_the_expressions():
    texts = [f"mot{i} commun{i}" for i in range(10) for _ in range(2)]
    assert len(frequent_expressions(texts, min_answers=2, limit=3)) == 3
    assert len(frequent_expressions(texts, min_answers=2, limit=20)) == 10


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.text(max_size=80)), max_size=25), st.integers(min_value=1, max_value=6)
)
def test_frequent_expressions_never_show_an_expression_below_the_minimum(texts, min_answers):
    expressions = frequent_expressions(texts, min_answers=min_answers)
    answered = sum(1 for t in texts if isinstance(t, str) and t.strip())
    assert (expressions["answers"] >= min_answers).all()
    assert (expressions["answers"] <= answered).all()
    assert expressions["expression"].map(lambda e: e == e.strip() and e != "").all()
