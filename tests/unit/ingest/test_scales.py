"""Answers written as labels (French and English agreement and satisfaction scales) or digits."""

from __future__ import annotations

import pytest

from insights.ingest.scales import answer_parser, likert_value, nps_value, scale_level
from insights.ingest.validation import InvalidCell


@pytest.mark.parametrize(
    ("cell", "level"),
    [
        ("Pas du tout d'accord", 1), ("Plutôt pas d’accord", 2), ("Ni d'accord, ni pas d'accord", 3),
        ("Plutôt d'accord", 4), ("Tout à fait d'accord", 5), ("TOUT A FAIT D'ACCORD", 5),
        ("Strongly disagree", 1), ("Disagree", 2), ("Neither agree nor disagree", 3), ("Agree", 4),
        ("Strongly agree", 5), ("Très insatisfait", 1), ("Peu satisfaite", 2), ("Moyennement satisfait(e)", 3),
        ("Satisfait·e", 4), ("Très satisfait·e", 5), ("Very dissatisfied", 1), ("Dissatisfied", 2),
        ("Neutral", 3), ("Satisfied", 4), ("Very satisfied", 5), ("Non, pas du tout", 1), ("Oui, tout à fait", 5),
        ("Strongly Agree (1)", 5), ("4. Plutôt d'accord", 4), ("(2) Disagree", 2),
        ("Tout à fait d'accord / Strongly agree", 5), ("5 पूर्णपणे सहमत (Strongly agree)", 5),
        ("4. सहमत नाही (Disagree)", 2),
    ],
)  # fmt: skip
def test_scale_labels_give_their_level(cell, level):
    assert likert_value(cell) == float(level)


@pytest.mark.parametrize(("cell", "value"), [("4", 4.0), ("4.0", 4.0), ("(3):", 3.0), ("7", 7.0), ("0", 0.0)])
def test_digits_are_read_as_numbers_whose_range_the_schema_checks(cell, value):
    assert likert_value(cell) == value


def test_a_label_naming_two_levels_is_refused():
    with pytest.raises(InvalidCell, match="ambigu"):
        scale_level("Strongly agree / Pas d'accord")


@pytest.mark.parametrize("cell", ["Très bon", "je ne sais pas", "Oui"])
def test_an_unknown_label_is_refused(cell):
    with pytest.raises(InvalidCell, match="libellé"):
        likert_value(cell)


def test_recommendation_scores_are_whole_numbers():
    assert nps_value("10") == 10.0
    with pytest.raises(InvalidCell, match="0 à 10"):
        nps_value("très probable")


def test_labels_mapped_by_hand_come_first_and_may_be_left_out():
    parse = answer_parser("likert5", value_map={"Je ne sais pas": "", "Bof": "2"})
    assert parse("je ne sais pas") == ""
    assert parse("BOF") == 2.0
    assert parse("Plutôt d'accord") == 4.0


def test_choice_options_are_matched_loosely_and_given_their_spelling():
    parse = answer_parser("choice", ("gestion de crise", "échange"))
    assert parse("Gestion de crise") == "gestion de crise"
    assert parse("ECHANGE") == "échange"
    with pytest.raises(InvalidCell, match="parmi"):
        parse("le buffet")


def test_text_answers_are_kept_as_written():
    assert answer_parser("text")("Écouter,\navant de parler") == "Écouter,\navant de parler"
