"""The speakers' directory, profile and reinvite ranking (`insights.analytics.speakers`) on a small
hand-computed survey, written to an in-memory store and read back as the app reads it."""

from __future__ import annotations

import math
import sqlite3

import numpy as np
import pandas as pd
import pytest

from insights import store
from insights.analytics import speakers
from insights.analytics.model import Model, load_model
from insights.bench.naive import mean_of_values, nps_of_values
from insights.filters import Filters
from tests.unit.survey_fixtures import publish_all

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
COHORTS = [{"cohort": "2014-2015", "size": 20}, {"cohort": "2015-2016", "size": 25}]

# (satisfaction, usefulness, recommend) of each response (None: skipped); t4 has only 2 responses.
ANSWERS: dict[str, list[tuple[int, int, int]]] = {
    "t1": [(5, 5, 10), (4, 4, 9), (4, 5, 9), (5, 4, 8), (3, 3, 6)],
    "t2": [(4, 4, 9), (4, 3, 7), (3, 3, 5), (5, 5, 10), (4, 4, 8), (2, 2, 3)],
    "t3": [(2, 2, 4), (3, 3, 6), (2, 3, 5), (3, 2, 7), (1, 1, 0)],
    "t4": [(5, 5, 10), (5, 5, 10)],
}
NO_CLARITY = {"t2"}  # clarity (4 everywhere else) was not asked in t2

# "Le conseil que je retiens", given by the first responses of each talk.
TAKEAWAYS: dict[str, list[str]] = {
    "t1": [
        "Ne jamais répondre à chaud à un troll.",
        "ne jamais repondre a chaud aux trolls",
        "Ce que je retiens : ne jamais répondre à chaud à un troll, garder son calme.",
        "Surtout, ne jamais répondre à chaud à un troll",
        "Garder son calme face aux insultes.",
    ],
    "t2": ["Ne jamais répondre à chaud à un troll", "Les exemples concrets."],
    "t3": ["Garder son calme, toujours."],
}

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


def make_store(answers=ANSWERS, threshold: int | None = None) -> sqlite3.Connection:
    conn = store.connect(":memory:")
    store.write_cohorts(conn, COHORTS)
    store.write_speakers(
        conn,
        [
            {
                "speaker_id": row["speaker_id"],
                **{column: None if pd.isna(row[column]) else row[column] for column in store.SPEAKER_COLUMNS},
            }
            for row in SPEAKERS.to_dict("records")
        ],
    )
    store.write_interventions(conn, TALKS.to_dict("records"))
    store.write_quotes(conn, QUOTES.astype(object).where(QUOTES.notna(), None).to_dict("records"))
    responses, values = [], []
    for talk, rows in answers.items():
        takeaways = TAKEAWAYS.get(talk, [])
        for index, (satisfaction, usefulness, recommend) in enumerate(rows):
            response_id = f"{talk}-{index}"
            responses.append(
                {"response_id": response_id, "intervention_id": talk, "submitted_at": "", "respondent": ""}
            )
            values += [
                (response_id, question, float(value), None)
                for question, value in zip(
                    ("satisfaction", "usefulness", "recommend"),
                    (satisfaction, usefulness, recommend),
                    strict=True,
                )
                if value is not None  # a skipped question
            ]
            if talk not in NO_CLARITY:
                values.append((response_id, "clarity", 4.0, None))
            if index < len(takeaways):
                values.append((response_id, "takeaway", None, takeaways[index]))
    store.write_responses(conn, responses, values)
    publish_all(conn)
    if threshold is not None:
        store.set_anonymity_threshold(conn, threshold)
    return conn


@pytest.fixture(scope="module")
def conn() -> sqlite3.Connection:
    return make_store()


@pytest.fixture(scope="module")
def model(conn) -> Model:
    return load_model(conn)


def values(question: int, talks=("t1", "t2", "t3", "t4"), answers=ANSWERS) -> list[int]:
    """The raw answers to one question (0 satisfaction, 1 usefulness, 2 recommend) of some talks."""
    return [row[question] for talk in talks for row in answers[talk]]


def everything(model: Model) -> np.ndarray:
    return np.ones(len(model.cube.talks), dtype=bool)


def directory(model: Model, mask=None, threshold=5, latest_quotes=None, **kwargs) -> pd.DataFrame:
    return speakers.speaker_directory(
        model.cube,
        everything(model) if mask is None else mask,
        model.latest_quotes if latest_quotes is None else latest_quotes,
        threshold,
        **kwargs,
    ).set_index("speaker_id")


def test_the_store_holds_the_hand_written_survey(model):
    # Guards the fixture the hand-computed figures below rely on.
    assert model.cube.talks["intervention_id"].tolist() == ["t1", "t2", "t3", "t4"]
    assert model.cube.responses.tolist() == [5, 6, 5, 2]
    assert model.anonymity_threshold == 5


# --- directory --------------------------------------------------------------------------------


def test_the_directory_counts_talks_and_finds_the_latest_one(model):
    rows = directory(model)
    assert rows.loc[["s1", "s2", "s3"], "talks"].tolist() == [2, 2, 1]
    assert rows.loc[["s1", "s2", "s3"], "last_talk"].tolist() == ["2015-03-01", "2015-11-01", "2016-01-15"]
    assert "s4" not in rows.index  # no talk
    assert list(rows.columns) == speakers.DIRECTORY_COLUMNS[1:]


def test_the_directory_averages_satisfaction_over_every_talk_of_the_speaker(model):
    rows = directory(model)
    # s1: t1 (5,4,4,5,3) and co-presented t2 (4,4,3,5,4,2): 43 / 11
    assert rows.at["s1", "satisfaction_n"] == 11
    assert rows.at["s1", "satisfaction"] == pytest.approx(43 / 11)
    oracle = mean_of_values(values(0, ("t1", "t2")))
    assert rows.at["s1", "satisfaction_low"] == pytest.approx(oracle.low)
    assert rows.at["s1", "satisfaction_high"] == pytest.approx(oracle.high)
    assert (
        rows.at["s1", "satisfaction_low"] < rows.at["s1", "satisfaction"] < rows.at["s1", "satisfaction_high"]
    )


def test_the_directory_withholds_a_satisfaction_below_the_threshold(model):
    rows = directory(model)
    assert rows.at["s3", "satisfaction_n"] == 2
    assert math.isnan(rows.at["s3", "satisfaction"])
    assert math.isnan(rows.at["s3", "satisfaction_low"])
    assert math.isnan(rows.at["s3", "satisfaction_high"])
    assert directory(model, threshold=2).at["s3", "satisfaction"] == pytest.approx(5.0)


def test_the_directory_covers_the_selected_talks_only(model):
    rows = directory(model, model.mask(Filters(cohorts=("2015-2016",))))
    assert set(rows.index) == {"s2", "s3"}
    assert rows.at["s2", "talks"] == 1
    assert rows.at["s2", "last_talk"] == "2015-11-01"
    assert rows.at["s2", "satisfaction_n"] == 5
    assert rows.at["s2", "satisfaction"] == pytest.approx(11 / 5)


def test_speakers_without_talks_are_listed_when_asked(model):
    nothing = np.zeros(len(model.cube.talks), dtype=bool)
    assert directory(model, nothing).empty
    rows = directory(model, nothing, include_without_talks=True)
    assert list(rows.index) == ["s1", "s2", "s3", "s4"]
    assert rows["talks"].tolist() == [0, 0, 0, 0]
    assert rows.at["s4", "last_talk"] == ""
    assert rows.at["s4", "networks"] == []
    assert rows.at["s1", "networks"] == ["Facebook", "Instagram"]
    assert rows.at["s1", "satisfaction_n"] == 0 and math.isnan(rows.at["s1", "satisfaction"])


def test_the_latest_quote_is_published_and_from_a_selected_talk_or_from_no_talk(model):
    rows = directory(model)
    assert rows.at["s1", "latest_quote"] == "Le dernier mot revient à la communauté."  # q3 is only proposed
    assert rows.at["s2", "latest_quote"] == "Le conseil, c'est d'abord écouter."  # t3 is newer than no talk
    only_2014 = directory(model, model.mask(Filters(cohorts=("2014-2015",))))
    assert only_2014.at["s1", "latest_quote"] == "Le dernier mot revient à la communauté."
    # t3 is not selected: the quote from no known talk remains.
    assert only_2014.at["s2", "latest_quote"] == "Dit hors intervention."
    only_t1 = directory(model, model.cube.mask(["t1"]))
    assert only_t1.at["s1", "latest_quote"] == "Écouter avant de parler."


def test_a_speaker_without_a_published_quote_has_none(model):
    quotes = model.latest_quotes[model.latest_quotes["speaker_id"] != "s3"]
    rows = directory(model, latest_quotes=quotes)
    assert pd.isna(rows.at["s3", "latest_quote"])
    assert rows.at["s2", "latest_quote"] == "Le conseil, c'est d'abord écouter."
    # s4 has no quote at all in the store.
    assert pd.isna(directory(model, include_without_talks=True).at["s4", "latest_quote"])


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
def test_search_ignores_accents_and_case_and_needs_every_word(model, query, expected):
    rows = directory(model, include_without_talks=True).reset_index()
    assert speakers.search_directory(rows, query)["speaker_id"].tolist() == expected


def test_sector_and_network_filters_restrict_the_directory(model):
    rows = directory(model, include_without_talks=True).reset_index()
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
def test_the_directory_sorts(model, order, expected):
    rows = directory(model, include_without_talks=True).reset_index()
    assert speakers.sort_directory(rows, order)["speaker_id"].tolist() == expected


def test_equal_talk_counts_sort_by_the_latest_talk(model):
    # s2 (Bruno, t3 of 2015-11-01) and s3 (Zoé, t4 of 2016-01-15) gave one talk each in 2015-2016.
    rows = directory(model, model.mask(Filters(cohorts=("2015-2016",)))).reset_index()
    assert speakers.sort_directory(rows, "talks")["speaker_id"].tolist() == ["s3", "s2"]
    assert speakers.sort_directory(rows, "name")["speaker_id"].tolist() == ["s2", "s3"]


def test_an_unknown_sort_is_refused(model):
    with pytest.raises(ValueError, match="unknown sort"):
        speakers.sort_directory(directory(model).reset_index(), "popularity")


# --- the directory page -----------------------------------------------------------------------


def test_the_directory_page_lists_every_speaker_without_a_sidebar_filter(model):
    rows = speakers.directory_figures(model, Filters())
    # Default order: latest talk first, speakers without talks last.
    assert rows["speaker_id"].tolist() == ["s3", "s2", "s1", "s4"]
    assert list(rows.columns) == speakers.DIRECTORY_COLUMNS
    first = rows.set_index("speaker_id")
    assert first.at["s1", "satisfaction"] == pytest.approx(43 / 11)
    assert first.at["s2", "latest_quote"] == "Le conseil, c'est d'abord écouter."
    assert math.isnan(first.at["s3", "satisfaction"])  # the store's threshold: 5


def test_the_directory_page_lists_the_speakers_of_the_selected_talks(model):
    rows = speakers.directory_figures(model, Filters(cohorts=("2015-2016",))).set_index("speaker_id")
    assert rows.index.tolist() == ["s3", "s2"]
    assert rows.at["s2", "talks"] == 1
    assert rows.at["s2", "satisfaction"] == pytest.approx(11 / 5)
    # An organisation type selects the talks one of their speakers has it: t2 and t3 (s2's),
    # so s1, who co-presented t2, is listed with that talk only.
    rows = speakers.directory_figures(model, Filters(org_types=("agence",)), order="name")
    assert rows["speaker_id"].tolist() == ["s2", "s1"]
    assert rows.set_index("speaker_id").at["s1", "talks"] == 1


def test_the_directory_page_searches_filters_and_sorts(model):
    assert speakers.directory_figures(model, Filters(), query="zoe nantes")["speaker_id"].tolist() == ["s3"]
    assert speakers.directory_figures(model, Filters(), sectors=["Conseil", "Logiciel"])[
        "speaker_id"
    ].tolist() == ["s2", "s4"]
    assert speakers.directory_figures(model, Filters(), networks=["Facebook"], order="name")[
        "speaker_id"
    ].tolist() == ["s1", "s3"]
    assert speakers.directory_figures(model, Filters(), order="rating")["speaker_id"].tolist() == [
        "s1",
        "s2",
        "s3",
        "s4",
    ]
    assert speakers.directory_figures(model, Filters(cohorts=("2015-2016",)), query="emilie").empty
    with pytest.raises(ValueError, match="unknown sort"):
        speakers.directory_figures(model, Filters(), order="popularity")


def test_the_directory_page_follows_the_stores_anonymity_threshold():
    model = load_model(make_store(threshold=2))
    rows = speakers.directory_figures(model, Filters(), order="rating").set_index("speaker_id")
    assert rows.at["s3", "satisfaction"] == pytest.approx(5.0)
    assert rows.index.tolist()[0] == "s3"


# --- profile ----------------------------------------------------------------------------------


def test_a_speakers_talks_list_the_latest_first_with_co_speakers_and_responses(model):
    talks = speakers.speaker_talks(model.cube, "s2", 5)
    assert list(talks.columns) == speakers.TALK_COLUMNS
    assert talks["intervention_id"].tolist() == ["t3", "t2"]
    assert talks["date"].tolist() == ["2015-11-01", "2015-03-01"]
    assert talks["co_speakers"].tolist() == [[], ["s1"]]
    assert talks["responses"].tolist() == [5, 6]
    assert talks["tools"].tolist() == [["Hootsuite", "Buffer"], []]
    assert talks["themes"].tolist() == [["outils"], ["strategie"]]
    assert talks["satisfaction_n"].tolist() == [5, 6]
    assert talks["satisfaction"].tolist() == pytest.approx([11 / 5, 22 / 6])


def test_a_talk_below_the_threshold_has_no_satisfaction(model):
    talks = speakers.speaker_talks(model.cube, "s3", 5)
    assert talks["satisfaction_n"].tolist() == [2]
    assert math.isnan(talks["satisfaction"].iloc[0])
    assert speakers.speaker_talks(model.cube, "s3", 2)["satisfaction"].tolist() == [5.0]


def test_a_speaker_without_talks_has_an_empty_list(model):
    assert speakers.speaker_talks(model.cube, "s4", 5).empty
    assert speakers.speaker_talks(model.cube, "unknown", 5).empty


def test_question_ratings_compare_a_speaker_with_the_programme(model):
    ratings = speakers.question_ratings(
        model.cube, model.cube.mask(["t3"]), ["satisfaction", "usefulness", "clarity"], 5
    ).set_index("question_id")
    assert ratings.at["satisfaction", "label"] == "Satisfaction"
    assert ratings.at["satisfaction", "n"] == 5
    assert ratings.at["satisfaction", "mean"] == pytest.approx(11 / 5)
    assert ratings.at["satisfaction", "programme_n"] == 18
    programme = mean_of_values(values(0))
    assert ratings.at["satisfaction", "programme_mean"] == pytest.approx(programme.mean)
    assert ratings.at["satisfaction", "programme_low"] == pytest.approx(programme.low)
    assert ratings.at["satisfaction", "programme_high"] == pytest.approx(programme.high)
    assert ratings.at["usefulness", "mean"] == pytest.approx(11 / 5)
    # clarity was not asked in t2: 12 answers in the programme.
    assert ratings.at["clarity", "programme_n"] == 12
    assert ratings.at["clarity", "n"] == 5


def test_question_ratings_withhold_the_speakers_mean_below_the_threshold(model):
    ratings = speakers.question_ratings(model.cube, model.cube.mask(["t4"]), ["satisfaction"], 5)
    assert ratings["n"].tolist() == [2]
    assert math.isnan(ratings["mean"].iloc[0]) and math.isnan(ratings["high"].iloc[0])
    assert not math.isnan(ratings["programme_mean"].iloc[0])
    shown = speakers.question_ratings(model.cube, model.cube.mask(["t4"]), ["satisfaction"], 2)
    assert shown["mean"].tolist() == [5.0]
    # The programme's own mean is withheld too when it has too few answers.
    assert math.isnan(
        speakers.question_ratings(model.cube, model.cube.mask(["t4"]), ["satisfaction"], 19)[
            "programme_mean"
        ].iloc[0]
    )


def test_satisfaction_and_recommend_of_some_talks(model):
    mask = model.cube.mask(["t1", "t2"])
    estimate = speakers.satisfaction(model.cube, mask)
    oracle = mean_of_values(values(0, ("t1", "t2")))
    assert (estimate.n, estimate.mean) == (11, pytest.approx(43 / 11))
    assert (estimate.low, estimate.high) == (pytest.approx(oracle.low), pytest.approx(oracle.high))
    assert speakers.recommend(model.cube, mask) == nps_of_values(values(2, ("t1", "t2")))


def test_a_speakers_profile_covers_all_their_talks(conn, model):
    profile = speakers.profile_figures(conn, model, "s1")
    assert profile.talks["intervention_id"].tolist() == ["t2", "t1"]
    assert profile.talks["co_speakers"].tolist() == [["s2"], []]
    assert profile.satisfaction.n == 11
    assert profile.satisfaction.mean == pytest.approx(43 / 11)
    # recommend 10,9,9,8,6 + 9,7,5,10,8,3 -> 5 promoters, 3 passives, 3 detractors of 11
    assert (profile.recommend.n, profile.recommend.promoters, profile.recommend.detractors) == (11, 5, 3)
    assert profile.recommend.score == pytest.approx(100 * (5 - 3) / 11)


def test_a_profile_rates_every_likert_question_against_the_programme(conn, model):
    ratings = speakers.profile_figures(conn, model, "s1").ratings
    assert ratings["question_id"].tolist() == model.cube.question_ids("likert5")
    rows = ratings.set_index("question_id")
    assert rows.at["satisfaction", "n"] == 11
    assert rows.at["satisfaction", "mean"] == pytest.approx(43 / 11)
    assert rows.at["satisfaction", "programme_n"] == 18
    assert rows.at["usefulness", "mean"] == pytest.approx(42 / 11)
    assert (rows.at["clarity", "n"], rows.at["clarity", "mean"]) == (5, 4.0)  # t1 only
    assert rows.at["exchange", "n"] == 0 and math.isnan(rows.at["exchange", "mean"])
    # s3's single talk has 2 answers: withheld, the programme still shown.
    s3 = speakers.profile_figures(conn, model, "s3").ratings.set_index("question_id")
    assert s3.at["satisfaction", "n"] == 2 and math.isnan(s3.at["satisfaction", "mean"])
    assert s3.at["satisfaction", "programme_mean"] == pytest.approx(mean_of_values(values(0)).mean)


def test_a_profile_follows_the_stores_anonymity_threshold():
    conn = make_store(threshold=2)
    profile = speakers.profile_figures(conn, load_model(conn), "s3")
    assert profile.talks["satisfaction"].tolist() == [5.0]
    assert profile.ratings.set_index("question_id").at["satisfaction", "mean"] == pytest.approx(5.0)


def test_published_quotes_of_a_speaker_come_latest_first_with_their_talk(conn, model):
    quotes = speakers.profile_figures(conn, model, "s2").quotes
    assert quotes["quote_id"].tolist() == ["q5", "q4"]
    assert quotes["intervention_title"].tolist() == ["Le conseil", ""]
    assert quotes["date"].tolist() == ["2015-11-01", ""]
    # q3 is only proposed.
    assert speakers.profile_figures(conn, model, "s1").quotes["quote_id"].tolist() == ["q2", "q1"]
    assert speakers.profile_figures(conn, model, "s4").quotes.empty


def test_a_profile_shows_the_expressions_of_its_students_takeaways(conn, model):
    # s1's talks t1 and t2 gathered 7 takeaways, 5 of them citing the same advice.
    profile = speakers.profile_figures(conn, model, "s1")
    assert profile.takeaways == 7
    assert profile.expressions["expression"].tolist() == ["Ne jamais répondre à chaud à un troll"]
    assert profile.expressions["answers"].tolist() == [5]
    assert profile.expressions["share"].tolist() == pytest.approx([5 / 7])


def test_a_profile_shows_no_expression_below_the_threshold(conn, model):
    # s2 (t2, t3): 3 takeaways, under the threshold of 5.
    profile = speakers.profile_figures(conn, model, "s2")
    assert profile.takeaways == 3
    assert profile.expressions.empty
    assert list(profile.expressions.columns) == ["expression", "answers", "share"]
    assert speakers.profile_figures(conn, model, "s4").takeaways == 0


# --- whom to invite again ---------------------------------------------------------------------


def test_the_reinvite_ranking_orders_by_nps_then_usefulness_and_flags_few_answers(model):
    ranking = speakers.reinvite_ranking(model.cube, everything(model), 5)
    assert list(ranking.columns) == speakers.REINVITE_COLUMNS
    assert ranking["speaker_id"].tolist() == ["s1", "s2", "s3"]
    rows = ranking.set_index("speaker_id")
    # s1: recommend 10,9,9,8,6 + 9,7,5,10,8,3 -> 5 promoters, 3 detractors of 11
    assert rows.at["s1", "nps_n"] == 11
    assert rows.at["s1", "nps"] == pytest.approx(100 * (5 - 3) / 11)
    assert rows.at["s1", "talks"] == 2
    assert rows.at["s1", "last_talk"] == "2015-03-01"
    # s2: 9,7,5,10,8,3 + 4,6,5,7,0 -> 2 promoters, 6 detractors of 11
    assert rows.at["s2", "nps"] == pytest.approx(100 * (2 - 6) / 11)
    assert rows.at["s2", "usefulness"] == pytest.approx((21 + 11) / 11)
    oracle = mean_of_values(values(1, ("t2", "t3")))
    assert rows.at["s2", "usefulness_low"] == pytest.approx(oracle.low)
    assert rows.at["s2", "usefulness_high"] == pytest.approx(oracle.high)
    assert not rows.at["s1", "below_threshold"]
    assert rows.at["s3", "below_threshold"]
    assert math.isnan(rows.at["s3", "nps"]) and math.isnan(rows.at["s3", "usefulness"])
    assert rows.at["s3", "nps_n"] == 2
    assert "s4" not in rows.index


def test_a_flagged_speaker_comes_after_the_others_even_with_a_better_score(model):
    ranking = speakers.reinvite_ranking(model.cube, everything(model), threshold=2)
    assert ranking["speaker_id"].tolist() == ["s3", "s1", "s2"]  # s3 counts now: NPS 100
    assert ranking.set_index("speaker_id").at["s3", "nps"] == pytest.approx(100.0)
    ranking = speakers.reinvite_ranking(model.cube, everything(model), threshold=6)
    # t3 alone has 5 answers: with the threshold at 6, s2 (11 answers) still counts.
    assert ranking["below_threshold"].tolist() == [False, False, True]


def test_too_few_usefulness_answers_flag_a_speaker_whose_nps_is_shown():
    # Only 2 of t3's 5 respondents rated its usefulness.
    answers = ANSWERS | {"t3": [(s, u if i < 2 else None, r) for i, (s, u, r) in enumerate(ANSWERS["t3"])]}
    model = load_model(make_store(answers))
    ranking = speakers.reinvite_ranking(model.cube, model.cube.mask(["t1", "t3"]), 5)
    assert ranking["speaker_id"].tolist() == ["s1", "s2"]
    s2 = ranking.set_index("speaker_id").loc["s2"]
    assert (s2["nps_n"], s2["usefulness_n"]) == (5, 2)
    assert s2["nps"] == pytest.approx(-80.0)
    assert math.isnan(s2["usefulness"])
    assert s2["below_threshold"]
    assert ranking["below_threshold"].tolist() == [False, True]


def test_the_reinvite_ranking_covers_the_selected_talks_only(model):
    ranking = speakers.reinvite_ranking(model.cube, model.cube.mask(["t3"]), 5).set_index("speaker_id")
    assert ranking.index.tolist() == ["s2"]
    assert ranking.at["s2", "talks"] == 1
    assert ranking.at["s2", "nps"] == pytest.approx(100 * (0 - 4) / 5)
    assert ranking.at["s2", "usefulness"] == pytest.approx(11 / 5)


def test_usefulness_breaks_ties_of_nps():
    answers = {talk: [(s, u, 10) for s, u, _ in rows] for talk, rows in ANSWERS.items()}
    model = load_model(make_store(answers))
    ranking = speakers.reinvite_ranking(model.cube, everything(model), 5).set_index("speaker_id")
    assert ranking.at["s1", "nps"] == ranking.at["s2", "nps"] == 100.0
    assert ranking.at["s1", "usefulness"] == pytest.approx(42 / 11)
    assert ranking.at["s1", "usefulness"] > ranking.at["s2", "usefulness"]
    assert ranking.index.tolist()[:2] == ["s1", "s2"]


def test_the_reinvite_page_ranks_the_selection_against_the_whole_programme(model):
    figures = speakers.reinvite_figures(model, Filters())
    assert figures.ranking["speaker_id"].tolist() == ["s1", "s2", "s3"]
    # The programme's usefulness: 21 + 21 + 11 + 10 over 18 answers, every talk.
    assert figures.programme_usefulness.n == 18
    assert figures.programme_usefulness.mean == pytest.approx(63 / 18)
    assert figures.programme_usefulness.low == pytest.approx(mean_of_values(values(1)).low)
    selected = speakers.reinvite_figures(model, Filters(cohorts=("2015-2016",)))
    assert selected.ranking["speaker_id"].tolist() == ["s2", "s3"]
    assert selected.ranking.set_index("speaker_id").at["s2", "nps_n"] == 5
    assert selected.programme_usefulness == figures.programme_usefulness
    assert speakers.reinvite_figures(model, Filters(cohorts=("2030-2031",))).ranking.empty


def test_the_reinvite_page_follows_the_stores_anonymity_threshold():
    model = load_model(make_store(threshold=2))
    ranking = speakers.reinvite_figures(model, Filters()).ranking
    assert ranking["speaker_id"].tolist() == ["s3", "s1", "s2"]
    assert not ranking["below_threshold"].any()
