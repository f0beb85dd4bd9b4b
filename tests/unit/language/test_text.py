"""The French text pipeline: folding, words, elisions, stems and stop words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from insights.language.text import (
    FRENCH_STOPWORDS,
    fold,
    is_stopword,
    stem,
    stem_text,
    terms,
    tokenize,
    tokenize_spans,
    words_text,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Réseaux SOCIAUX", "reseaux sociaux"),
        ("À côté, déjà, où, naïf, Noël, ça", "a cote, deja, ou, naif, noel, ca"),
        ("Œuvre, cœur, Æsthète, ex æquo", "oeuvre, coeur, aesthete, ex aequo"),
        ("l’écoute, l‘écoute, lʼécoute, l`écoute", "l'ecoute, l'ecoute, l'ecoute, l'ecoute"),
        ("e\u0301cole", "ecole"),  # decomposed accent
        ("ﬁdèle", "fidele"),  # typographic ligature
        ("plain ascii", "plain ascii"),
        ("", ""),
    ],
)
def test_fold_lowercases_and_removes_accents_ligatures_and_curly_apostrophes(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("d'écoute", ["ecoute"]),
        ("l'innovation", ["innovation"]),
        ("L’innovation", ["innovation"]),
        ("qu'il", ["il"]),
        ("j'ai", ["ai"]),
        ("n'est", ["est"]),
        ("c’est", ["est"]),
        ("s'impliquer", ["impliquer"]),
        ("jusqu'à lorsqu'on puisqu'elle", ["a", "on", "elle"]),
        ("aujourd'hui", ["aujourdhui"]),
        ("burn-out", ["burn", "out"]),
        ("Un troll, sur notre page !", ["un", "troll", "sur", "notre", "page"]),
        ("2 000 abonnés", ["2", "000", "abonnes"]),
        ("l'", ["l"]),
        ("🙂 <b>gras</b>", ["b", "gras", "b"]),
    ],
)
def test_tokenize_gives_folded_words_without_elided_articles(text: str, words: list[str]) -> None:
    assert tokenize(text) == words


def test_tokenize_spans_point_into_the_original_text() -> None:
    text = "Œuvre d’écoute, l'innovation."
    assert [(t.word, text[t.start : t.end]) for t in tokenize_spans(text)] == [
        ("oeuvre", "Œuvre"),
        ("ecoute", "écoute"),
        ("innovation", "innovation"),
    ]


@pytest.mark.parametrize(
    "forms",
    [
        ("troll", "trolls", "Trolls"),
        ("passionnée", "passionné", "passionnés", "passionnees", "passionne", "passion"),
        ("réseaux", "reseaux", "réseau", "reseau"),
        ("diplômé", "diplôme", "diplome", "diplômée", "diplômés", "diplomes"),
        ("innovation", "innovations", "innover"),
        ("écoute", "ecoute", "écouter"),
        ("modération", "moderation", "modérer", "moderer"),
        ("commentaire", "commentaires"),
        ("polémique", "polemiques"),
        ("hater", "haters"),
        ("insatisfait", "insatisfaits"),
    ],
)
def test_stem_conflates_plurals_genders_and_accents(forms: tuple[str, ...]) -> None:
    assert len({stem(form) for form in forms}) == 1


@pytest.mark.parametrize(
    ("one", "other"), [("troll", "trolley"), ("page", "pagaille"), ("veille", "vieille")]
)
def test_stem_keeps_different_words_apart(one: str, other: str) -> None:
    assert stem(one) != stem(other)


def test_stopwords_are_folded_function_words() -> None:
    assert {"le", "la", "les", "de", "des", "du", "un", "une", "et", "ou", "a", "est", "sont", "notre"} <= (
        FRENCH_STOPWORDS
    )
    assert all(word == fold(word) for word in FRENCH_STOPWORDS)
    assert is_stopword("Où") and is_stopword("été")
    assert not any(is_stopword(word) for word in ["troll", "page", "crise", "diplome", "veille", "com"])


def test_terms_are_the_stems_of_content_words() -> None:
    assert terms("Un troll sur notre page") == ["troll", "pag"]
    assert terms("Un troll sur notre page", drop_stopwords=False) == [
        stem(w) for w in ["un", "troll", "sur", "notre", "page"]
    ]
    assert terms("le la les") == []


def test_index_columns() -> None:
    assert words_text("Le bad buzz d’hier") == "le bad buzz hier"
    assert stem_text("Le bad buzz d’hier") == " ".join([stem("bad"), stem("buzz"), stem("hier")])
    assert stem_text("Les trolls") == stem_text("le troll") == "troll"


@given(st.text())
def test_folding_is_character_by_character(text: str) -> None:
    assert fold(text) == "".join(fold(char) for char in text)


@given(st.text())
def test_tokenize_spans_agree_with_tokenize(text: str) -> None:
    tokens = tokenize_spans(text)
    assert [t.word for t in tokens] == tokenize(text)
    for token in tokens:
        assert 0 <= token.start < token.end <= len(text)
        assert token.word in fold(text[token.start : token.end]).replace("'", "")


@given(st.text())
def test_pipeline_output_is_plain_words(text: str) -> None:
    for word in tokenize(text):
        assert word and word.isalnum()
    assert all(term.isalnum() for term in stem_text(text).split())
