"""The speakers' directory, profile and reinvite ranking on small hand-computed frames."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insights.analytics import speakers

SPEAKERS = pd.DataFrame(
    {
        "speaker_id": ["s1", "s2", "s3", "s4"],
        "name": ["Émilie Rousseau", "Bruno Martin", "Zoé Durand", "Aline Petit"],
        "title": ["CM", "Consultant", "Chargée de communication", "CM"],
        "organisation": ["Toits Solidaires", "Agence Houle", "Ville de Nantes", "Kpilot"],
        "org_type": ["association", "agence", "collectivité", "éditeur d'outil"],
        "sector": ["Solidarité", "Conseil", "Administration", "Logiciel"],
        "networks": ["Facebook;Instagram", "LinkedIn", "Facebook;X/Twitter", ""],
        "years_experience": pd.array([6, 12, 4, None], dtype="Int64"),
        "education": ["Master de sociologie", "Master communication", "BTS", ""],
        "bio": ["", "", "", ""],
    }
)

TALKS = pd.DataFrame(
    {
        "intervention_id": ["t1", "t2", "t3", "t4"],
        "date": ["2014-10-01", "2015-03-01", "2015-11-01", "2016-01-15"],
        "cohort": ["2014-2015", "2014-2015", "2015-2016", "2015-2016"],
        "semester": ["S1", "S2", "S1", "S1"],
        "speaker_ids": [["s1"], ["s2", "s1"], ["s2"], ["s3"]],
        "title": ["Associations", "Agence et association", "Le conseil", "La ville"],
        "format": ["témoignage de CM", "atelier", "témoignage de CM", "témoignage de CM"],
        "themes": [["conversation"], ["strategie"], ["outils"], ["crise"]],
        "tools": ["", "", "Hootsuite;Buffer", ""],
    }
)


def _scores() -> pd.DataFrame:
    # satisfaction, usefulness, recommend per response; t4 has only 2 responses.
    answers = {
        "t1": [(5, 5, 10), (4, 4, 9), (4, 5, 9), (5, 4, 8), (3, 3, 6)],
        "t2": [(4, 4, 9), (4, 3, 7), (3, 3, 5), (5, 5, 10), (4, 4, 8), (2, 2, 3)],
        "t3": [(2, 2, 4), (3, 3, 6), (2, 3, 5), (3, 2, 7), (1, 1, 0)],
        "t4": [(5, 5, 10), (5, 5, 10)],
    }
    rows = []
    for talk, values in answers.items():
        for index, (satisfaction, usefulness, recommend) in enumerate(values):
            rows.append(
                {
                    "response_id": f"{talk}-{index}",
                    "intervention_id": talk,
                    "satisfaction": float(satisfaction),
                    "usefulness": float(usefulness),
                    "clarity": float("nan") if talk == "t2" else 4.0,
                    "recommend": float(recommend),
                }
            )
    return pd.DataFrame(rows)


SCORES = _scores()
COUNTS = SCORES.groupby("intervention_id").size().rename("responses").reset_index()

QUOTES = pd.DataFrame(
    {
        "quote_id": ["q1", "q2", "q3", "q4", "q5", "q6"],
        "text": [
            "Écouter avant de parler.",
            "Le dernier mot revient à la communauté.",
            "Une citation proposée, pas encore publiée.",
            "Dit hors intervention.",
            "Le conseil, c'est d'abord écouter.",
            "La ville répond à tout le monde.",
        ],
        "speaker_id": ["s1", "s1", "s1", "s2", "s2", "s3"],
        "intervention_id": ["t1", "t2", "t2", None, "t3", "t4"],
        "themes": [["conversation"], ["conversation"], [], ["veille"], ["outils"], ["crise"]],
        "source": ["notes d'étudiant"] * 6,
        "status": ["publiée", "publiée", "proposée", "publiée", "publiée", "publiée"],
    }
)


def directory(interventions=TALKS, threshold=5, **kwargs):
    return speakers.speaker_directory(SPEAKERS, interventions, SCORES, QUOTES, threshold, **kwargs).set_index(
        "speaker_id"
    )


# --- directory --------------------------------------------------------------------------------


def test_the_directory_counts_talks_and_finds_the_latest_one():
    rows = directory()
    assert rows.loc[["s1", "s2", "s3"], "talks"].tolist() == [2, 2, 1]
    assert rows.loc[["s1", "s2", "s3"], "last_talk"].tolist() == ["2015-03-01", "2015-11-01", "2016-01-15"]
    assert "s4" not in rows.index  # no talk


def test_the_directory_averages_satisfaction_over_every_talk_of_the_speaker():
    rows = directory()
    # s1: t1 (5,4,4,5,3) and co-presented t2 (4,4,3,5,4,2): 43 / 11
    assert rows.at["s1", "satisfaction_n"] == 11
    assert rows.at["s1", "satisfaction"] == pytest.approx(43 / 11)
    assert (
        rows.at["s1", "satisfaction_low"] < rows.at["s1", "satisfaction"] < rows.at["s1", "satisfaction_high"]
    )


def test_the_directory_withholds_a_satisfaction_below_the_threshold():
    rows = directory()
    assert rows.at["s3", "satisfaction_n"] == 2
    assert math.isnan(rows.at["s3", "satisfaction"])
    assert math.isnan(rows.at["s3", "satisfaction_low"])
    assert not math.isnan(directory(threshold=2).at["s3", "satisfaction"])


def test_the_directory_covers_the_selected_talks_only():
    rows = directory(TALKS[TALKS["cohort"] == "2015-2016"])
    assert set(rows.index) == {"s2", "s3"}
    assert rows.at["s2", "talks"] == 1
    assert rows.at["s2", "satisfaction"] == pytest.approx(11 / 5)


def test_speakers_without_talks_are_listed_when_asked():
    rows = directory(TALKS.iloc[0:0], include_without_talks=True)
    assert list(rows.index) == ["s1", "s2", "s3", "s4"]
    assert rows.at["s4", "talks"] == 0
    assert rows.at["s4", "last_talk"] == ""
    assert rows.at["s4", "networks"] == []


def test_the_latest_quote_is_published_and_from_a_selected_talk_or_from_no_talk():
    rows = directory()
    assert rows.at["s1", "latest_quote"] == "Le dernier mot revient à la communauté."  # q3 is only proposed
    assert rows.at["s2", "latest_quote"] == "Le conseil, c'est d'abord écouter."  # t3 is newer than no talk
    only_2014 = directory(TALKS[TALKS["cohort"] == "2014-2015"])
    assert only_2014.at["s1", "latest_quote"] == "Le dernier mot revient à la communauté."
    # t3 is not selected: the quote from no known talk remains.
    assert only_2014.at["s2", "latest_quote"] == "Dit hors intervention."


def test_a_speaker_without_a_published_quote_has_none():
    quotes = QUOTES[QUOTES["speaker_id"] != "s3"]
    rows = speakers.speaker_directory(SPEAKERS, TALKS, SCORES, quotes).set_index("speaker_id")
    assert pd.isna(rows.at["s3", "latest_quote"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["s1", "s2", "s3", "s4"]),
        ("emilie", ["s1"]),
        ("ÉMILIE", ["s1"]),
        ("rousseau toits", ["s1"]),
        ("houle", ["s2"]),
        ("zoe nantes", ["s3"]),
        ("zoe houle", []),
        ("  ", ["s1", "s2", "s3", "s4"]),
    ],
)
def test_search_ignores_accents_and_case_and_needs_every_word(query, expected):
    rows = directory(include_without_talks=True).reset_index()
    assert speakers.search_directory(rows, query)["speaker_id"].tolist() == expected


def test_sector_and_network_filters_restrict_the_directory():
    rows = directory(include_without_talks=True).reset_index()
    assert speakers.search_directory(rows, sectors=["Conseil", "Logiciel"])["speaker_id"].tolist() == [
        "s2",
        "s4",
    ]
    assert speakers.search_directory(rows, networks=["Facebook"])["speaker_id"].tolist() == ["s1", "s3"]
    assert speakers.search_directory(rows, networks=["Instagram", "LinkedIn"])["speaker_id"].tolist() == [
        "s1",
        "s2",
    ]
    assert speakers.search_directory(rows, "zoe", networks=["LinkedIn"]).empty


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        # s3 is withheld (2 answers): rated ones first, best first.
        ("rating", ["s1", "s2", "s3", "s4"]),
        ("talks", ["s2", "s1", "s3", "s4"]),
        ("recency", ["s3", "s2", "s1", "s4"]),
        ("name", ["s4", "s2", "s1", "s3"]),
    ],
)
def test_the_directory_sorts(order, expected):
    rows = directory(include_without_talks=True).reset_index()
    assert speakers.sort_directory(rows, order)["speaker_id"].tolist() == expected


def test_an_unknown_sort_is_refused():
    with pytest.raises(ValueError, match="unknown sort"):
        speakers.sort_directory(directory().reset_index(), "popularity")


# --- profile ----------------------------------------------------------------------------------


def test_a_speakers_talks_list_the_latest_first_with_co_speakers_and_responses():
    talks = speakers.speaker_talks("s2", TALKS, COUNTS, SCORES)
    assert talks["intervention_id"].tolist() == ["t3", "t2"]
    assert talks["co_speakers"].tolist() == [[], ["s1"]]
    assert talks["responses"].tolist() == [5, 6]
    assert talks["tools"].tolist() == [["Hootsuite", "Buffer"], []]
    assert talks["satisfaction"].tolist() == pytest.approx([11 / 5, 22 / 6])


def test_a_talk_below_the_threshold_has_no_satisfaction():
    talks = speakers.speaker_talks("s3", TALKS, COUNTS, SCORES)
    assert talks["satisfaction_n"].tolist() == [2]
    assert math.isnan(talks["satisfaction"].iloc[0])


def test_question_ratings_compare_a_speaker_with_the_programme():
    ratings = speakers.question_ratings(["t3"], SCORES, ["satisfaction", "usefulness", "clarity"]).set_index(
        "question_id"
    )
    assert ratings.at["satisfaction", "label"] == "Satisfaction"
    assert ratings.at["satisfaction", "n"] == 5
    assert ratings.at["satisfaction", "mean"] == pytest.approx(11 / 5)
    assert ratings.at["satisfaction", "programme_n"] == 18
    assert ratings.at["satisfaction", "programme_mean"] == pytest.approx(SCORES["satisfaction"].mean())
    assert ratings.at["usefulness", "mean"] == pytest.approx(11 / 5)
    # clarity was not asked in t2: 12 answers in the programme.
    assert ratings.at["clarity", "programme_n"] == 12


def test_question_ratings_withhold_the_speakers_mean_below_the_threshold():
    ratings = speakers.question_ratings(["t4"], SCORES, ["satisfaction"])
    assert ratings["n"].tolist() == [2]
    assert math.isnan(ratings["mean"].iloc[0]) and math.isnan(ratings["high"].iloc[0])
    assert not math.isnan(ratings["programme_mean"].iloc[0])


def test_published_quotes_of_a_speaker_come_latest_first_with_their_talk():
    quotes = speakers.published_quotes("s2", QUOTES, TALKS)
    assert quotes["quote_id"].tolist() == ["q5", "q4"]
    assert quotes["intervention_title"].tolist() == ["Le conseil", ""]
    assert quotes["date"].tolist() == ["2015-11-01", ""]
    assert speakers.published_quotes("s1", QUOTES, TALKS)["quote_id"].tolist() == ["q2", "q1"]


# --- the takeaways students cite --------------------------------------------------------------

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
    expressions = speakers.frequent_expressions(TAKEAWAYS, min_answers=2)
    assert expressions["expression"].tolist() == [
        "Ne jamais répondre à chaud à un troll",
        "Garder son calme",
        "Pas besoin de répondre à deux heures du matin",
    ]
    assert expressions["answers"].tolist() == [4, 3, 2]
    # Shares are of the 9 non-empty answers.
    assert expressions["share"].tolist() == pytest.approx([4 / 9, 3 / 9, 2 / 9])


def test_an_expression_needs_at_least_the_minimum_of_answers():
    expressions = speakers.frequent_expressions(TAKEAWAYS, min_answers=4)
    assert expressions["expression"].tolist() == ["Ne jamais répondre à chaud à un troll"]
    assert speakers.frequent_expressions(TAKEAWAYS, min_answers=5).empty


def test_negations_are_kept_so_advice_keeps_its_meaning():
    expressions = speakers.frequent_expressions(["pas besoin de publier tous les jours"] * 3, min_answers=3)
    assert expressions["expression"].tolist() == ["Pas besoin de publier tous les jours"]


def test_a_lead_in_and_clause_boundaries_do_not_join_words():
    texts = ["Ce que je retiens : écouter la communauté", "Clairement : écouter la communauté"] * 2
    expressions = speakers.frequent_expressions(texts, min_answers=2)
    assert expressions["expression"].tolist() == ["Écouter la communauté"]
    # "retiens" and "écouter" are in different clauses: no expression spans the colon.
    assert speakers.frequent_expressions(["retiens : écouter", "retiens : écouter"], min_answers=2).empty


def test_an_answer_citing_an_expression_twice_counts_once():
    expressions = speakers.frequent_expressions(
        ["bad buzz, encore un bad buzz", "un bad buzz"], min_answers=2
    )
    assert expressions["answers"].tolist() == [2]


def test_the_limit_caps_the_expressions():
    texts = [f"mot{i} commun{i}" for i in range(10) for _ in range(2)]
    assert len(speakers.frequent_expressions(texts, min_answers=2, limit=3)) == 3


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.text(max_size=80)), max_size=25), st.integers(min_value=1, max_value=6)
)
def test_frequent_expressions_never_show_an_expression_below_the_minimum(texts, min_answers):
    expressions = speakers.frequent_expressions(texts, min_answers=min_answers)
    answered = sum(1 for t in texts if isinstance(t, str) and t.strip())
    assert (expressions["answers"] >= min_answers).all()
    assert (expressions["answers"] <= answered).all()
    assert expressions["expression"].map(lambda e: e == e.strip() and e != "").all()


# --- whom to invite again ---------------------------------------------------------------------


def test_the_reinvite_ranking_orders_by_nps_then_usefulness_and_flags_few_answers():
    ranking = speakers.reinvite_ranking(SPEAKERS, TALKS, SCORES)
    assert ranking["speaker_id"].tolist() == ["s1", "s2", "s3"]
    rows = ranking.set_index("speaker_id")
    # s1: recommend 10,9,9,8,6 + 9,7,5,10,8,3 -> 5 promoters, 3 detractors of 11
    assert rows.at["s1", "nps_n"] == 11
    assert rows.at["s1", "nps"] == pytest.approx(100 * (5 - 3) / 11)
    # s2: 9,7,5,10,8,3 + 4,6,5,7,0 -> 2 promoters, 6 detractors of 11
    assert rows.at["s2", "nps"] == pytest.approx(100 * (2 - 6) / 11)
    assert rows.at["s2", "usefulness"] == pytest.approx((21 + 11) / 11)
    assert not rows.at["s1", "below_threshold"]
    assert rows.at["s3", "below_threshold"]
    assert math.isnan(rows.at["s3", "nps"]) and math.isnan(rows.at["s3", "usefulness"])
    assert rows.at["s3", "nps_n"] == 2


def test_a_flagged_speaker_comes_after_the_others_even_with_a_better_score():
    ranking = speakers.reinvite_ranking(SPEAKERS, TALKS, SCORES, threshold=2)
    assert ranking["speaker_id"].tolist() == ["s3", "s1", "s2"]  # s3 counts now: NPS 100
    ranking = speakers.reinvite_ranking(SPEAKERS, TALKS, SCORES, threshold=6)
    # t3 alone has 5 answers: with the threshold at 6, s2 (11 answers) still counts.
    assert ranking["below_threshold"].tolist() == [False, False, True]


def test_usefulness_breaks_ties_of_nps():
    scores = SCORES.copy()
    scores["recommend"] = 10.0
    ranking = speakers.reinvite_ranking(SPEAKERS, TALKS, scores)
    s1_usefulness = ranking.set_index("speaker_id").at["s1", "usefulness"]
    s2_usefulness = ranking.set_index("speaker_id").at["s2", "usefulness"]
    assert s1_usefulness > s2_usefulness
    assert ranking["speaker_id"].tolist()[:2] == ["s1", "s2"]
