"""Themes: coverage maps, survey results and takeaways per theme, and the Thèmes page, on a tiny
programme written to an in-memory store (tests/unit/analytics/theme_programme.py) whose figures
are computed by hand."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from insights import store
from insights.analytics import themes
from insights.analytics.model import load_model
from insights.domain import ORG_TYPES, TAKEAWAY_QUESTION, THEME_IDS
from insights.filters import Filters
from insights.language.tagger import suggest_themes
from tests.unit.analytics.theme_programme import (
    RESPONDENT_PREFIX,
    everything,
    make_store,
    nothing,
)


@pytest.fixture
def conn():
    connection = make_store()
    yield connection
    connection.close()


@pytest.fixture
def model(conn):
    return load_model(conn)


def _talk_ids(model, mask) -> list[str]:
    return [str(t) for t in model.cube.column["intervention_id"][mask]]


# --- coverage ----------------------------------------------------------------------------------


def test_talk_org_types_are_unique_and_in_taxonomy_order(model):
    assert themes.talk_org_types(model.interventions, model.speakers) == {
        "t1": ["agence"],
        "t2": ["agence", "association"],
        "t3": ["grand groupe"],
    }
    # Whatever the order of the speakers, and a type given twice counts once.
    shuffled = model.interventions.assign(speaker_ids=[["s1", "s1"], ["s2", "s1"], ["s3"]])
    assert themes.talk_org_types(shuffled, model.speakers)["t1"] == ["agence"]
    assert themes.talk_org_types(shuffled, model.speakers)["t2"] == ["agence", "association"]


def test_talks_per_theme_and_cohort(model):
    rows = themes.talk_theme_rows(model.interventions, model.speakers)
    matrix = themes.coverage_matrix(rows, "cohort", ["A", "B"])
    assert list(matrix.index) == list(THEME_IDS)
    assert matrix.loc["crise"].tolist() == [2, 1]
    assert matrix.loc["conversation"].tolist() == [1, 0]
    assert matrix.loc["outils"].tolist() == [0, 1]
    assert int(matrix.to_numpy().sum()) == 5  # five (talk, theme) pairs
    by_cohort, _ = themes.coverage(model, everything(model), "interventions")
    pd.testing.assert_frame_equal(by_cohort, matrix)


def test_talks_per_theme_and_org_type_count_each_speakers_type(model):
    _, matrix = themes.coverage(model, everything(model), "interventions")
    assert list(matrix.columns) == list(ORG_TYPES)
    assert matrix.at["crise", "agence"] == 2  # t1 and t2, once each although s1 gave both
    assert matrix.at["crise", "association"] == 1
    assert matrix.at["crise", "grand groupe"] == 1
    assert matrix.at["outils", "agence"] == 0
    assert matrix.at["outils", "grand groupe"] == 1


def test_quotes_count_published_quotes_of_selected_talks(model):
    by_cohort, by_org_type = themes.coverage(model, everything(model), "quotes")
    assert by_cohort.loc["crise"].tolist() == [1, 0]  # q2 is proposed, q4 has no talk
    assert by_cohort.loc["outils"].tolist() == [0, 1]
    assert by_cohort.loc["veille"].tolist() == [0, 1]
    assert int(by_cohort.to_numpy().sum()) == 3
    assert by_org_type.at["crise", "agence"] == 1
    assert by_org_type.at["crise", "association"] == 0  # q4, Bruno's, has no talk
    assert by_org_type.at["veille", "grand groupe"] == 1


def test_takeaways_count_tagged_answers_of_selected_talks(model):
    by_cohort, by_org_type = themes.coverage(model, everything(model), "takeaways")
    assert by_cohort.loc["crise"].tolist() == [3, 0]
    assert by_cohort.loc["outils"].tolist() == [0, 2]
    assert int(by_cohort.to_numpy().sum()) == 5  # "Rien" is tagged with nothing
    # A talk's takeaways count once for each type of organisation among its speakers.
    assert by_org_type.at["crise", "agence"] == 3
    assert by_org_type.at["crise", "association"] == 1
    assert by_org_type.at["outils", "grand groupe"] == 2


def test_the_org_type_columns_are_the_ones_asked_for_whatever_the_measure(model):
    for measure in themes.MEASURES:
        _, by_org_type = themes.coverage(model, everything(model), measure, ["association", "agence"])
        assert list(by_org_type.columns) == ["association", "agence"], measure
        assert by_org_type.at["crise", "agence"] == {"interventions": 2, "quotes": 1, "takeaways": 3}[measure]


def test_a_narrower_selection_changes_the_map(model):
    only_b = model.mask(Filters(cohorts=("B",)))
    assert _talk_ids(model, only_b) == ["t3"]
    by_cohort, by_org_type = themes.coverage(model, only_b, "interventions")
    assert list(by_cohort.columns) == ["B"]
    assert by_cohort.loc["crise"].tolist() == [1]
    assert by_cohort.loc["conversation"].tolist() == [0]
    assert by_org_type.at["crise", "agence"] == 0
    quotes, _ = themes.coverage(model, only_b, "quotes")
    assert quotes.loc["crise"].tolist() == [0]
    assert quotes.loc["veille"].tolist() == [1]
    takeaways, _ = themes.coverage(model, only_b, "takeaways")
    assert takeaways.loc["crise"].tolist() == [0]
    assert takeaways.loc["outils"].tolist() == [2]


def test_an_empty_selection_gives_a_map_of_zeros(model):
    empty = model.interventions.iloc[0:0]
    matrix = themes.coverage_matrix(themes.talk_theme_rows(empty, model.speakers), "cohort", ["A"])
    assert matrix.shape == (len(THEME_IDS), 1)
    assert int(matrix.to_numpy().sum()) == 0
    for measure in themes.MEASURES:
        by_cohort, by_org_type = themes.coverage(model, nothing(model), measure)
        assert by_cohort.shape == (len(THEME_IDS), 0), measure
        assert by_org_type.shape == (len(THEME_IDS), len(ORG_TYPES)), measure
        assert int(by_org_type.to_numpy().sum()) == 0, measure


def test_every_view_of_an_empty_selection_is_empty_not_an_error(conn, model):
    cube, texts, none = model.cube, model.texts, nothing(model)
    assert themes.talk_theme_rows(model.interventions.iloc[0:0], model.speakers).empty
    talks = themes.theme_talks(cube, none, "crise")
    assert talks.columns.tolist() == themes.THEME_TALK_COLUMNS
    assert talks.empty
    assert store.theme_quotes(conn, _talk_ids(model, none), "crise").empty
    summary = themes.theme_takeaways(conn, cube, texts, none, "crise", threshold=1)
    assert (summary.answers, summary.tagged, summary.examples) == (0, 0, ())
    assert themes.theme_speaker_count(cube, none, "crise") == 0
    assert themes.survey_by_theme(cube, none)["n"].eq(0).all()
    assert themes.takeaway_retention(cube, texts, none)["answers"].eq(0).all()


def test_an_empty_store_gives_an_empty_page():
    empty = make_store(with_programme=False)
    figures = themes.page_figures(empty, load_model(empty), Filters(), "takeaways")
    assert figures.interventions == 0
    assert int(figures.by_org_type.fillna(0).to_numpy().sum()) == 0
    assert figures.talks.empty and figures.quotes.empty
    assert figures.takeaways.tagged == 0
    assert figures.survey["n"].eq(0).all()


def test_unknown_measure_or_axis_is_refused(model):
    with pytest.raises(ValueError, match="unknown measure"):
        themes.coverage(model, everything(model), "likes")
    with pytest.raises(ValueError, match="unknown axis"):
        themes.coverage_matrix(themes.talk_theme_rows(model.interventions, model.speakers), "semester", [])


def test_missed_themes_are_the_empty_rows(model):
    matrix, _ = themes.coverage(model, everything(model), "interventions")
    assert themes.missed_themes(matrix) == [
        t for t in THEME_IDS if t not in {"crise", "conversation", "outils"}
    ]


def test_theme_speaker_count_counts_each_speaker_once(model):
    cube, all_talks = model.cube, everything(model)
    assert themes.theme_speaker_count(cube, all_talks, "crise") == 3
    assert themes.theme_speaker_count(cube, all_talks, "conversation") == 1
    assert themes.theme_speaker_count(cube, all_talks, "veille") == 0
    assert themes.theme_speaker_count(cube, model.mask(Filters(cohorts=("A",))), "crise") == 2


def test_small_counts_of_answers_are_hidden_but_zero_is_kept():
    matrix = pd.DataFrame({"A": [0, 3], "B": [5, 7]}, index=["crise", "outils"])
    hidden = themes.suppress_small_counts(matrix, threshold=5)
    assert hidden.at["crise", "A"] == 0
    assert math.isnan(hidden.at["outils", "A"])
    assert hidden["B"].tolist() == [5, 7]


# --- what students valued -------------------------------------------------------------------------


def test_survey_by_theme_pools_the_answers_of_the_themes_talks(model):
    survey = themes.survey_by_theme(
        model.cube, everything(model), ["crise", "conversation", "veille"], threshold=5
    )
    crise = survey[(survey["theme"] == "crise") & (survey["question_id"] == "usefulness")].iloc[0]
    # All 14 answers: (20 + 10 + 28) / 14.
    assert crise["n"] == 14
    assert crise["mean"] == pytest.approx(58 / 14)
    assert crise["low"] < crise["mean"] < crise["high"]
    conversation = survey[
        (survey["theme"] == "conversation") & (survey["question_id"] == "pillar_transparency")
    ]
    assert conversation["n"].item() == 5
    assert conversation["mean"].item() == pytest.approx(4.0)
    veille = survey[survey["theme"] == "veille"]
    assert veille["n"].tolist() == [0] * 5
    assert veille["mean"].isna().all()
    assert survey["question_id"].tolist()[:5] == list(themes.SURVEY_QUESTIONS)


def test_survey_by_theme_counts_only_the_selected_talks(model):
    survey = themes.survey_by_theme(model.cube, model.mask(Filters(cohorts=("B",))), ["crise"], threshold=5)
    usefulness = survey[survey["question_id"] == "usefulness"].iloc[0]
    assert usefulness["n"] == 6  # t3 only
    assert usefulness["mean"] == pytest.approx(28 / 6)


def test_survey_by_theme_hides_means_under_the_threshold(model):
    survey = themes.survey_by_theme(model.cube, everything(model), ["conversation"], threshold=6)
    usefulness = survey[survey["question_id"] == "usefulness"].iloc[0]
    assert usefulness["n"] == 5
    assert math.isnan(usefulness["mean"]) and math.isnan(usefulness["low"])


def test_takeaway_retention_is_the_share_of_takeaways_on_the_theme(model):
    cube, texts, all_talks = model.cube, model.texts, everything(model)
    retention = themes.takeaway_retention(cube, texts, all_talks, ["crise", "outils"], threshold=2)
    retention = retention.set_index("theme")
    # crise talks (t1, t2, t3) got 6 takeaways, 3 tagged crise; outils (t3) got 2, both tagged outils.
    assert retention.loc["crise", ["answers", "on_theme"]].tolist() == [6, 3]
    assert retention.at["crise", "share"] == pytest.approx(0.5)
    assert retention.loc["outils", ["answers", "on_theme"]].tolist() == [2, 2]
    assert retention.at["outils", "share"] == pytest.approx(1.0)
    hidden = themes.takeaway_retention(cube, texts, all_talks, ["outils"], threshold=5)
    assert math.isnan(hidden.at[0, "share"])


def test_survey_table_formats_means_margins_and_shares(model):
    cube, texts, all_talks = model.cube, model.texts, everything(model)
    survey = themes.survey_by_theme(cube, all_talks, ["crise", "veille"], threshold=5)
    retention = themes.takeaway_retention(cube, texts, all_talks, ["crise", "veille"], threshold=5)
    table = themes.survey_table(survey, retention, threshold=5).set_index("Thème")
    assert table.at["Gestion de crise", "Réponses"] == 14
    assert table.at["Gestion de crise", "Utilité"].startswith("4,14 ± ")
    assert table.at["Gestion de crise", "Conseils sur le thème"] == "50\u00a0% (3 sur 6)"
    assert table.at["Veille et innovation", "Utilité"] == "moins de 5 réponses"
    assert table.at["Veille et innovation", "Conseils sur le thème"] == "moins de 5 réponses"


def test_format_estimate_and_mean_n_in_french():
    assert themes.format_estimate(4.126, 3.9, 4.3, 5) == "4,13 ± 0,20"
    assert themes.format_estimate(4.0, math.nan, math.nan, 5) == "4,00"
    assert themes.format_estimate(math.nan, math.nan, math.nan, 5) == "moins de 5 réponses"
    assert themes.format_mean_n(4.333, 30, 5) == "4,33 (n = 30)"
    assert themes.format_mean_n(math.nan, 3, 5) == "moins de 5 réponses"


# --- one theme ------------------------------------------------------------------------------------


def test_theme_talks_latest_first_with_usefulness_hidden_under_threshold(model):
    talks = themes.theme_talks(model.cube, everything(model), "crise", threshold=5)
    assert talks["intervention_id"].tolist() == ["t3", "t2", "t1"]
    assert talks["speakers"].tolist() == ["Chloé Roy", "Alice Martin, Bruno Petit", "Alice Martin"]
    assert talks["responses"].tolist() == [6, 3, 5]
    assert talks.at[0, "usefulness"] == pytest.approx(28 / 6)
    assert math.isnan(talks.at[1, "usefulness"])  # t2: 3 answers
    assert talks.at[1, "usefulness_n"] == 3
    assert talks.at[2, "usefulness"] == pytest.approx(20 / 5)
    only_a = themes.theme_talks(model.cube, model.mask(Filters(cohorts=("A",))), "crise", threshold=5)
    assert only_a["intervention_id"].tolist() == ["t2", "t1"]


def test_theme_quotes_are_the_published_quotes_of_the_selected_talks(conn, model):
    quotes = store.theme_quotes(conn, _talk_ids(model, everything(model)), "crise")
    assert quotes["quote_id"].tolist() == ["q1"]  # q2 is proposed, q4 has no talk
    assert quotes.at[0, "name"] == "Alice Martin"
    assert store.theme_quotes(conn, _talk_ids(model, everything(model)), "veille")["quote_id"].tolist() == [
        "q3"
    ]
    only_b = _talk_ids(model, model.mask(Filters(cohorts=("B",))))
    assert store.theme_quotes(conn, only_b, "crise").empty


@pytest.mark.parametrize("plain_first", [False, True], ids=["accented-first", "plain-first"])
def test_theme_takeaways_show_examples_only_from_the_threshold(plain_first):
    accented, plain = "Ne jamais répondre à chaud à un troll.", "Ne jamais repondre a chaud a un troll"
    texts = [
        *([plain, accented] if plain_first else [accented, plain]),
        "Le bad buzz se prépare.",
        "Un troll cherche un public, ne lui en donnez pas, et gardez votre calme face au bad buzz.",
        "Garder son calme et prendre du recul face au troll.",  # tagged engagement first, then crise
        "Un outil.",
    ]
    conn = make_store([("t1", text) for text in texts])
    model = load_model(conn)
    cube, tagged, all_talks = model.cube, model.texts, everything(model)
    summary = themes.theme_takeaways(conn, cube, tagged, all_talks, "crise", threshold=5, examples=3)
    assert (summary.answers, summary.tagged, summary.shown) == (6, 5, True)
    # Best theme first, then shortest; two spellings of one answer give one example, the accented one.
    assert summary.examples == (
        "Le bad buzz se prépare.",
        accented,
        "Un troll cherche un public, ne lui en donnez pas, et gardez votre calme face au bad buzz.",
    )
    everyone = themes.theme_takeaways(conn, cube, tagged, all_talks, "crise", threshold=5, examples=10)
    assert everyone.examples[-1] == "Garder son calme et prendre du recul face au troll."
    assert plain not in everyone.examples
    hidden = themes.theme_takeaways(conn, cube, tagged, all_talks, "crise", threshold=6)
    assert (hidden.tagged, hidden.shown, hidden.examples) == (5, False, ())
    other_cohort = themes.theme_takeaways(conn, cube, tagged, model.mask(Filters(cohorts=("B",))), "crise", 1)
    assert (other_cohort.answers, other_cohort.tagged, other_cohort.examples) == (0, 0, ())


def test_takeaways_are_tagged_when_written_blanks_left_out():
    conn = make_store(
        [("t1", "Un troll !"), ("t1", "  "), ("t2", None), ("t2", "Un outil de veille")],
        other_texts=[("t3", "improve", "Plus de temps de veille")],
    )
    model = load_model(conn)
    q = model.texts.question_index(TAKEAWAY_QUESTION)
    assert model.texts.answered[q].tolist() == [1, 1, 0]  # the blank and the missing answer are left out
    assert model.texts.answered[model.texts.question_index("improve")].tolist() == [0, 0, 1]
    by_cohort, by_org_type = themes.coverage(model, everything(model), "takeaways")
    assert by_cohort.loc["crise"].tolist() == [1, 0]
    assert by_cohort.loc["veille"].tolist() == [1, 0]  # the takeaway of t2, not the improvement of t3
    assert by_cohort.loc["outils"].tolist() == [1, 0]
    assert by_org_type.at["veille", "association"] == 1
    assert int(by_cohort.to_numpy().sum()) == 3
    crise = themes.theme_takeaways(conn, model.cube, model.texts, everything(model), "crise", threshold=1)
    assert (crise.answers, crise.tagged, crise.examples) == (2, 1, ("Un troll !",))
    veille = themes.theme_takeaways(conn, model.cube, model.texts, everything(model), "veille", threshold=1)
    assert veille.examples == ("Un outil de veille",)


def test_rewriting_a_takeaway_retags_it():
    conn = make_store()
    store.write_responses(
        conn,
        [{"response_id": "t1-2", "intervention_id": "t1", "submitted_at": "", "respondent": "x"}],
        [("t1-2", "takeaway", None, "Un outil de veille")],
    )
    by_cohort, _ = themes.coverage(load_model(conn), np.ones(3, dtype=bool), "takeaways")
    assert by_cohort.loc["veille"].tolist() == [1, 0]  # "Rien" became a takeaway on watch and tools
    assert by_cohort.loc["outils"].tolist() == [1, 2]
    assert by_cohort.loc["crise"].tolist() == [3, 0]


def _strings(value) -> list[str]:
    """Every string a page's figures hold: cells, index and column labels, and fields."""
    if isinstance(value, pd.DataFrame):
        return [
            *_strings(value.to_numpy().ravel().tolist()),
            *_strings(list(value.columns)),
            *_strings(list(value.index)),
        ]
    if dataclasses.is_dataclass(value):
        return _strings([getattr(value, f.name) for f in dataclasses.fields(value)])
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


def test_no_respondent_key_reaches_the_themes_page(conn):
    store.set_anonymity_threshold(conn, 2)  # so that takeaway examples are shown
    model = load_model(conn)
    assert store.load_responses(conn)["respondent"].str.startswith(RESPONDENT_PREFIX).all()
    for measure in themes.MEASURES:
        for theme in ("crise", "outils"):
            figures = themes.page_figures(conn, model, Filters(), measure, theme)
            shown = _strings(figures)
            assert figures.takeaways.examples, "examples must be shown for the check to mean anything"
            assert set(figures.takeaways.examples) <= set(shown)
            assert not [s for s in shown if RESPONDENT_PREFIX in s]


def test_the_demo_database_tags_its_takeaways_when_written(demo_conn):
    model = load_model(demo_conn)
    answered = int(model.texts.answered[model.texts.question_index(TAKEAWAY_QUESTION)].sum())
    assert answered > 500
    talk_ids = _talk_ids(model, everything(model))
    tagged_answers = 0
    for theme in THEME_IDS:
        rows = store.theme_examples(demo_conn, talk_ids, TAKEAWAY_QUESTION, theme, candidates=10**6)
        # Counted per talk in the model; the same as the tagger says of each text.
        assert len(rows) == int(model.texts.tagged[TAKEAWAY_QUESTION][:, THEME_IDS.index(theme)].sum())
        for text, best in rows[:50]:
            assert theme in suggest_themes(text) and best == (suggest_themes(text)[0] == theme)
        lengths = [len(text) for text, best in rows if best]
        assert lengths == sorted(lengths)  # the best-themed first, shortest first
        tagged_answers += sum(best for _, best in rows)  # each tagged answer once
    assert tagged_answers / answered > 0.5

    respondents = set(store.load_responses(demo_conn)["respondent"].dropna()) - {""}
    assert respondents
    figures = themes.page_figures(demo_conn, model, Filters(), "takeaways", "crise")
    assert figures.takeaways.examples
    assert not respondents & set(_strings(figures))


# --- the page -------------------------------------------------------------------------------------


def test_page_figures_of_the_whole_programme(conn, model):
    figures = themes.page_figures(conn, model, Filters())
    assert (figures.interventions, figures.measure, figures.theme) == (3, "interventions", THEME_IDS[0])
    assert figures.theme == "crise"
    assert figures.by_cohort.loc["crise"].tolist() == [2, 1]
    assert list(figures.by_org_type.columns) == list(ORG_TYPES)
    assert figures.missed == [t for t in THEME_IDS if t not in {"crise", "conversation", "outils"}]
    assert figures.survey["theme"].unique().tolist() == list(THEME_IDS)
    usefulness = figures.survey.set_index(["theme", "question_id"]).loc[("crise", "usefulness")]
    assert (usefulness["n"], usefulness["mean"]) == (14, pytest.approx(58 / 14))
    assert figures.retention.set_index("theme").loc["crise", ["answers", "on_theme"]].tolist() == [6, 3]
    assert figures.talks["intervention_id"].tolist() == ["t3", "t2", "t1"]
    assert figures.quotes["quote_id"].tolist() == ["q1"]
    assert (figures.takeaways.answers, figures.takeaways.tagged, figures.takeaways.shown) == (6, 3, False)
    assert figures.takeaways.examples == ()  # 3 crise takeaways, under the threshold of 5
    assert figures.speaker_count == 3
    assert figures.theme_survey["theme"].unique().tolist() == ["crise"]
    assert figures.theme_survey.set_index("question_id").at["usefulness", "n"] == 14


def test_page_figures_follow_the_filters_measure_and_theme(conn, model):
    figures = themes.page_figures(conn, model, Filters(cohorts=("B",), themes=("outils",)), "quotes")
    assert (figures.interventions, figures.measure, figures.theme) == (1, "quotes", "outils")
    assert list(figures.by_cohort.columns) == ["B"]
    assert figures.by_cohort.loc["veille"].tolist() == [1]
    assert figures.missed == []  # only a map of talks names missed themes
    assert figures.talks["intervention_id"].tolist() == ["t3"]
    assert figures.quotes["quote_id"].tolist() == ["q3"]
    assert figures.speaker_count == 1
    assert figures.theme_survey.set_index("question_id").at["usefulness", "mean"] == pytest.approx(28 / 6)
    assert figures.retention.set_index("theme").at["crise", "answers"] == 2

    chosen = themes.page_figures(conn, model, Filters(), "interventions", "conversation")
    assert (chosen.theme, chosen.talks["intervention_id"].tolist(), chosen.speaker_count) == (
        "conversation",
        ["t1"],
        1,
    )
    fallback = themes.page_figures(conn, model, Filters(), "likes", "panique")
    assert (fallback.measure, fallback.theme) == ("interventions", "crise")

    assert themes.page_figures(conn, model, Filters(cohorts=("B",)), "quotes", "crise").quotes.empty

    agence = themes.page_figures(conn, model, Filters(org_types=("agence",)), "quotes")
    assert agence.interventions == 2  # t1 and t2
    assert list(agence.by_org_type.columns) == ["agence"]
    assert agence.by_org_type.at["crise", "agence"] == 1


def test_page_figures_hide_small_counts_of_takeaways(conn):
    figures = themes.page_figures(conn, load_model(conn), Filters(), "takeaways")
    assert math.isnan(figures.by_cohort.at["crise", "A"])  # 3 takeaways, under 5
    assert math.isnan(figures.by_cohort.at["outils", "B"])  # 2
    assert figures.by_cohort.at["crise", "B"] == 0  # nothing to hide
    assert figures.missed == []

    store.set_anonymity_threshold(conn, 3)
    lower = themes.page_figures(conn, load_model(conn), Filters(), "takeaways")
    assert lower.by_cohort.at["crise", "A"] == 3
    assert lower.by_org_type.at["crise", "agence"] == 3
    assert math.isnan(lower.by_cohort.at["outils", "B"])
    assert lower.takeaways.shown and lower.takeaways.examples == ("Un troll", "Le bad buzz")
