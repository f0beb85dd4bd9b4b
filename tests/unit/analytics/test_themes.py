"""Themes: coverage maps, survey results and takeaways per theme, and planning against targets,
on a tiny hand-built programme whose figures are computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from insights import store
from insights.analytics import themes
from insights.analytics.themes import DEFAULT_TARGETS, Targets
from insights.domain import LIKERT_QUESTION_IDS, ORG_TYPES, THEME_IDS

SPEAKERS = pd.DataFrame(
    {
        "speaker_id": ["s1", "s2", "s3"],
        "name": ["Alice Martin", "Bruno Petit", "Chloé Roy"],
        "title": ["Consultante", "Bénévole", "Community manager"],
        "organisation": ["Agence Houle", "Les Restos", "Groupe Poste"],
        "org_type": ["agence", "association", "grand groupe"],
    }
)

# Cohort A: t1 (s1; crise, conversation), t2 (s1 + s2; crise). Cohort B: t3 (s3; outils, crise).
INTERVENTIONS = pd.DataFrame(
    {
        "intervention_id": ["t1", "t2", "t3"],
        "date": ["2014-10-01", "2014-11-01", "2015-10-01"],
        "cohort": ["A", "A", "B"],
        "semester": ["S1", "S1", "S1"],
        "speaker_ids": [["s1"], ["s1", "s2"], ["s3"]],
        "title": ["Trolls", "Crise et bénévoles", "Outils"],
        "format": ["témoignage de CM", "atelier", "présentation d'outil"],
        "themes": [["crise", "conversation"], ["crise"], ["outils", "crise"]],
        "tools": ["", "", "Hootsuite"],
    }
)

QUOTES = pd.DataFrame(
    {
        "quote_id": ["q1", "q2", "q3", "q4"],
        "text": ["Ne nourrissez pas le troll.", "Proposée", "Un outil ne remplace rien.", "Sans talk"],
        "speaker_id": ["s1", "s1", "s3", "s2"],
        "intervention_id": ["t1", "t1", "t3", None],
        "themes": [["crise"], ["crise"], ["outils", "veille"], ["crise"]],
        "source": ["support"] * 4,
        "status": ["publiée", "proposée", "publiée", "publiée"],
    }
)

# Usefulness and transparency per response; t1 has 5 answers, t2 has 3, t3 has 6.
ANSWERS = {
    "t1": ([5, 4, 4, 5, 2], [4, 4, 3, 5, 4]),
    "t2": ([3, 3, 4], [2, 3, 3]),
    "t3": ([5, 5, 4, 4, 5, 5], [3, 3, 3, 3, 3, 3]),
}


def make_scores(answers: dict[str, tuple[list[int], list[int]]]) -> pd.DataFrame:
    rows = []
    for talk, (usefulness, transparency) in answers.items():
        for index, (u, t) in enumerate(zip(usefulness, transparency, strict=True)):
            row = dict.fromkeys([*LIKERT_QUESTION_IDS, "recommend"], np.nan)
            row.update(response_id=f"{talk}-{index}", intervention_id=talk, usefulness=float(u))
            row["pillar_transparency"] = float(t)
            rows.append(row)
    return pd.DataFrame(rows)


SCORES = make_scores(ANSWERS)

TAKEAWAYS = pd.DataFrame(
    {
        "response_id": ["t1-0", "t1-1", "t1-2", "t2-0", "t3-0", "t3-1"],
        "intervention_id": ["t1", "t1", "t1", "t2", "t3", "t3"],
        "text": ["Un troll", "Le bad buzz", "Rien", "Un troll", "Un outil", "Un outil"],
        "themes": [["crise"], ["crise"], [], ["crise"], ["outils"], ["outils"]],
    }
)


# --- coverage ----------------------------------------------------------------------------------


def test_talk_org_types_are_unique_and_in_taxonomy_order():
    assert themes.talk_org_types(INTERVENTIONS, SPEAKERS) == {
        "t1": ["agence"],
        "t2": ["agence", "association"],
        "t3": ["grand groupe"],
    }


def test_talks_per_theme_and_cohort():
    rows = themes.theme_rows("interventions", INTERVENTIONS, SPEAKERS)
    matrix = themes.coverage_matrix(rows, "cohort", ["A", "B"])
    assert list(matrix.index) == list(THEME_IDS)
    assert matrix.loc["crise"].tolist() == [2, 1]
    assert matrix.loc["conversation"].tolist() == [1, 0]
    assert matrix.loc["outils"].tolist() == [0, 1]
    assert int(matrix.to_numpy().sum()) == 5  # five (talk, theme) pairs


def test_talks_per_theme_and_org_type_count_each_speakers_type():
    rows = themes.theme_rows("interventions", INTERVENTIONS, SPEAKERS)
    matrix = themes.coverage_matrix(rows, "org_type", ORG_TYPES)
    assert list(matrix.columns) == list(ORG_TYPES)
    assert matrix.at["crise", "agence"] == 2  # t1 and t2, once each although t2 has two speakers
    assert matrix.at["crise", "association"] == 1
    assert matrix.at["crise", "grand groupe"] == 1
    assert matrix.at["outils", "agence"] == 0


def test_quotes_count_published_quotes_of_selected_talks():
    rows = themes.theme_rows("quotes", INTERVENTIONS, SPEAKERS, quotes=QUOTES)
    by_cohort = themes.coverage_matrix(rows, "cohort", ["A", "B"])
    assert by_cohort.loc["crise"].tolist() == [1, 0]  # q2 is proposed, q4 has no talk
    assert by_cohort.loc["outils"].tolist() == [0, 1]
    assert by_cohort.loc["veille"].tolist() == [0, 1]
    by_org_type = themes.coverage_matrix(rows, "org_type", ORG_TYPES)
    assert by_org_type.at["crise", "agence"] == 1
    assert by_org_type.at["veille", "grand groupe"] == 1


def test_takeaways_count_tagged_answers_of_selected_talks():
    rows = themes.theme_rows("takeaways", INTERVENTIONS, SPEAKERS, takeaways=TAKEAWAYS)
    matrix = themes.coverage_matrix(rows, "cohort", ["A", "B"])
    assert matrix.loc["crise"].tolist() == [3, 0]
    assert matrix.loc["outils"].tolist() == [0, 2]


def test_a_narrower_selection_changes_the_map():
    only_b = INTERVENTIONS[INTERVENTIONS["cohort"] == "B"]
    matrix = themes.coverage_matrix(themes.theme_rows("interventions", only_b, SPEAKERS), "cohort", ["B"])
    assert matrix.loc["crise"].tolist() == [1]
    assert matrix.loc["conversation"].tolist() == [0]


def test_an_empty_selection_gives_a_map_of_zeros():
    empty = INTERVENTIONS.iloc[0:0]
    matrix = themes.coverage_matrix(themes.theme_rows("interventions", empty, SPEAKERS), "cohort", ["A"])
    assert matrix.shape == (len(THEME_IDS), 1)
    assert int(matrix.to_numpy().sum()) == 0


def test_every_view_of_an_empty_selection_is_empty_not_an_error():
    empty = INTERVENTIONS.iloc[0:0]
    for measure in themes.MEASURES:
        assert themes.theme_rows(measure, empty, SPEAKERS, QUOTES, TAKEAWAYS).empty
    assert themes.theme_talks(empty, SPEAKERS, SCORES, "crise").columns.tolist() == themes.THEME_TALK_COLUMNS
    assert themes.theme_talks(empty, SPEAKERS, SCORES, "crise").empty
    assert themes.theme_quotes(QUOTES, empty, SPEAKERS, "crise").empty
    assert themes.theme_quotes(QUOTES.iloc[0:0], INTERVENTIONS, SPEAKERS, "crise").empty
    assert themes.theme_takeaways(TAKEAWAYS.iloc[0:0], INTERVENTIONS, "crise").tagged == 0
    assert themes.theme_speaker_count(empty, "crise") == 0
    assert themes.survey_by_theme(empty, SCORES)["n"].eq(0).all()
    assert themes.takeaway_retention(empty, TAKEAWAYS)["answers"].eq(0).all()
    assert themes.best_speakers(empty, SPEAKERS, SCORES, theme="crise").empty
    assert themes.representation(empty, SPEAKERS, [], DEFAULT_TARGETS)["talks"].eq(0).all()


def test_unknown_measure_or_axis_is_refused():
    with pytest.raises(ValueError, match="unknown measure"):
        themes.theme_rows("likes", INTERVENTIONS, SPEAKERS)
    with pytest.raises(ValueError, match="needs the quotes"):
        themes.theme_rows("quotes", INTERVENTIONS, SPEAKERS)
    with pytest.raises(ValueError, match="unknown axis"):
        themes.coverage_matrix(themes.theme_rows("interventions", INTERVENTIONS, SPEAKERS), "semester", [])


def test_missed_themes_are_the_empty_rows():
    rows = themes.theme_rows("interventions", INTERVENTIONS, SPEAKERS)
    matrix = themes.coverage_matrix(rows, "cohort", ["A", "B"])
    assert themes.missed_themes(matrix) == [
        t for t in THEME_IDS if t not in {"crise", "conversation", "outils"}
    ]


def test_theme_speaker_count_counts_each_speaker_once():
    assert themes.theme_speaker_count(INTERVENTIONS, "crise") == 3
    assert themes.theme_speaker_count(INTERVENTIONS, "conversation") == 1
    assert themes.theme_speaker_count(INTERVENTIONS, "veille") == 0


def test_small_counts_of_answers_are_hidden_but_zero_is_kept():
    matrix = pd.DataFrame({"A": [0, 3], "B": [5, 7]}, index=["crise", "outils"])
    hidden = themes.suppress_small_counts(matrix, threshold=5)
    assert hidden.at["crise", "A"] == 0
    assert math.isnan(hidden.at["outils", "A"])
    assert hidden["B"].tolist() == [5, 7]


# --- what students valued -------------------------------------------------------------------------


def test_survey_by_theme_pools_the_answers_of_the_themes_talks():
    survey = themes.survey_by_theme(INTERVENTIONS, SCORES, ["crise", "conversation", "veille"], threshold=5)
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


def test_survey_by_theme_hides_means_under_the_threshold():
    survey = themes.survey_by_theme(INTERVENTIONS, SCORES, ["conversation"], threshold=6)
    usefulness = survey[survey["question_id"] == "usefulness"].iloc[0]
    assert usefulness["n"] == 5
    assert math.isnan(usefulness["mean"]) and math.isnan(usefulness["low"])


def test_takeaway_retention_is_the_share_of_takeaways_on_the_theme():
    retention = themes.takeaway_retention(
        INTERVENTIONS, TAKEAWAYS, ["crise", "outils"], threshold=2
    ).set_index("theme")
    # crise talks (t1, t2, t3) got 6 takeaways, 3 tagged crise; outils (t3) got 2, both tagged outils.
    assert retention.loc["crise", ["answers", "on_theme"]].tolist() == [6, 3]
    assert retention.at["crise", "share"] == pytest.approx(0.5)
    assert retention.at["outils", "share"] == pytest.approx(1.0)
    hidden = themes.takeaway_retention(INTERVENTIONS, TAKEAWAYS, ["outils"], threshold=5)
    assert math.isnan(hidden.at[0, "share"])


def test_survey_table_formats_means_margins_and_shares():
    survey = themes.survey_by_theme(INTERVENTIONS, SCORES, ["crise", "veille"], threshold=5)
    retention = themes.takeaway_retention(INTERVENTIONS, TAKEAWAYS, ["crise", "veille"], threshold=5)
    table = themes.survey_table(survey, retention, threshold=5).set_index("Thème")
    assert table.at["Gestion de crise", "Réponses"] == 14
    assert table.at["Gestion de crise", "Utilité"].startswith("4,14 ± ")
    assert table.at["Gestion de crise", "Conseils sur le thème"] == "50\u00a0% (3 sur 6)"
    assert table.at["Veille et innovation", "Utilité"] == "moins de 5 réponses"


# --- one theme ------------------------------------------------------------------------------------


def test_theme_talks_latest_first_with_usefulness_hidden_under_threshold():
    talks = themes.theme_talks(INTERVENTIONS, SPEAKERS, SCORES, "crise", threshold=5)
    assert talks["intervention_id"].tolist() == ["t3", "t2", "t1"]
    assert talks["speakers"].tolist() == ["Chloé Roy", "Alice Martin, Bruno Petit", "Alice Martin"]
    assert talks["responses"].tolist() == [6, 3, 5]
    assert talks.at[0, "usefulness"] == pytest.approx(28 / 6)
    assert math.isnan(talks.at[1, "usefulness"])  # t2: 3 answers
    assert talks.at[1, "usefulness_n"] == 3


def test_theme_quotes_are_the_published_quotes_of_the_selected_talks():
    quotes = themes.theme_quotes(QUOTES, INTERVENTIONS, SPEAKERS, "crise")
    assert quotes["quote_id"].tolist() == ["q1"]
    assert quotes.at[0, "name"] == "Alice Martin"
    assert themes.theme_quotes(QUOTES, INTERVENTIONS[INTERVENTIONS["cohort"] == "B"], SPEAKERS, "crise").empty


def test_theme_takeaways_show_examples_only_from_the_threshold():
    takeaways = pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(6)],
            "intervention_id": ["t1"] * 6,
            "text": [
                "Ne jamais répondre à chaud à un troll.",
                "Ne jamais repondre a chaud a un troll",
                "Le bad buzz se prépare.",
                "Un troll cherche un public, ne lui en donnez pas, et gardez votre calme face au bad buzz.",
                "Garder son calme et prendre du recul face au troll.",
                "Un outil.",
            ],
            "themes": [["crise"], ["crise"], ["crise"], ["crise"], ["engagement", "crise"], ["outils"]],
        }
    )
    summary = themes.theme_takeaways(takeaways, INTERVENTIONS, "crise", threshold=5, examples=3)
    assert (summary.answers, summary.tagged, summary.shown) == (6, 5, True)
    # Best theme first, then shortest; two spellings of one answer give one example, the accented one.
    assert summary.examples == (
        "Le bad buzz se prépare.",
        "Ne jamais répondre à chaud à un troll.",
        "Un troll cherche un public, ne lui en donnez pas, et gardez votre calme face au bad buzz.",
    )
    hidden = themes.theme_takeaways(takeaways, INTERVENTIONS, "crise", threshold=6)
    assert (hidden.tagged, hidden.shown, hidden.examples) == (5, False, ())


def test_tag_takeaways_drops_blanks_and_never_carries_the_respondent():
    answers = pd.DataFrame(
        {
            "response_id": ["r1", "r2", "r3", "r4"],
            "intervention_id": ["t1", "t1", "t2", "t2"],
            "question_id": ["takeaway", "takeaway", "takeaway", "improve"],
            "value_num": [np.nan] * 4,
            "value_text": ["Un troll !", "  ", None, "Plus de temps"],
            "respondent": ["e1", "e2", "e3", "e4"],
        }
    )
    tagged = themes.tag_takeaways(answers)
    assert list(tagged.columns) == themes.TAKEAWAY_COLUMNS
    assert tagged.to_dict("records") == [
        {"response_id": "r1", "intervention_id": "t1", "text": "Un troll !", "themes": ["crise"]}
    ]


def test_tagged_takeaways_of_the_demo_database(demo_conn):
    tagged = themes.tagged_takeaways(demo_conn)
    assert len(tagged) > 500
    assert "respondent" not in tagged.columns
    assert tagged["themes"].map(len).gt(0).mean() > 0.5


# --- planning -------------------------------------------------------------------------------------


def test_targets_default_when_nothing_is_stored():
    targets = themes.targets_from_store(pd.DataFrame(columns=["kind", "key", "talks_per_cohort"]))
    assert targets == DEFAULT_TARGETS
    assert set(targets.themes) == set(THEME_IDS)
    assert set(targets.org_types) == set(ORG_TYPES)


def test_stored_targets_override_the_defaults_and_unknown_keys_are_ignored():
    stored = pd.DataFrame(
        {
            "kind": ["theme", "org_type", "theme", "other"],
            "key": ["veille", "agence", "panique", "x"],
            "talks_per_cohort": [6, 0, 9, 1],
        }
    )
    targets = themes.targets_from_store(stored)
    assert targets.themes["veille"] == 6
    assert targets.org_types["agence"] == 0
    assert targets.themes["crise"] == DEFAULT_TARGETS.themes["crise"]
    assert "panique" not in targets.themes


def test_planning_targets_round_trip_through_the_store(empty_conn):
    assert store.load_planning_targets(empty_conn).empty
    version = store.data_version(empty_conn)
    store.write_planning_targets(empty_conn, DEFAULT_TARGETS.rows())
    assert store.data_version(empty_conn) == version + 1
    assert themes.targets_from_store(store.load_planning_targets(empty_conn)) == DEFAULT_TARGETS

    store.write_planning_targets(empty_conn, [("theme", "veille", 5), ("org_type", "start-up", 0)])
    stored = store.load_planning_targets(empty_conn)
    assert len(stored) == len(THEME_IDS) + len(ORG_TYPES)
    targets = themes.targets_from_store(stored)
    assert (targets.themes["veille"], targets.org_types["start-up"]) == (5, 0)

    store.clear_planning_targets(empty_conn)
    assert store.load_planning_targets(empty_conn).empty


def test_the_store_refuses_an_unknown_kind_or_a_negative_target(empty_conn):
    with pytest.raises(Exception, match="CHECK constraint"):
        store.write_planning_targets(empty_conn, [("semester", "S1", 1)])
    with pytest.raises(Exception, match="CHECK constraint"):
        store.write_planning_targets(empty_conn, [("theme", "crise", -1)])
    assert store.load_planning_targets(empty_conn).empty


def test_recent_cohorts_are_the_latest_with_talks():
    assert themes.recent_cohorts(INTERVENTIONS, 1) == ["B"]
    assert themes.recent_cohorts(INTERVENTIONS, 5) == ["A", "B"]
    assert themes.recent_cohorts(INTERVENTIONS, 0) == []


def _targets(**themes_targets: int) -> Targets:
    return Targets(
        {t: themes_targets.get(t, 0) for t in THEME_IDS},
        {o: 0 for o in ORG_TYPES} | {"agence": 1, "start-up": 1},
    )


def test_representation_against_targets():
    table = themes.representation(INTERVENTIONS, SPEAKERS, ["A", "B"], _targets(crise=2, outils=1))
    rows = table.set_index(["kind", "key"])
    crise = rows.loc[("theme", "crise")]
    assert (crise["talks"], crise["per_cohort"], crise["latest"], crise["shortfall"]) == (3, 1.5, 1, 0.5)
    outils = rows.loc[("theme", "outils")]
    assert (outils["per_cohort"], outils["shortfall"]) == (0.5, 0.5)
    agence = rows.loc[("org_type", "agence")]
    assert (agence["talks"], agence["per_cohort"], agence["latest"], agence["shortfall"]) == (2, 1.0, 0, 0.0)
    assert rows.loc[("org_type", "start-up"), "shortfall"] == 1.0
    assert rows.loc[("org_type", "agence"), "label"] == "Agence"
    assert table["kind"].tolist() == ["theme"] * len(THEME_IDS) + ["org_type"] * len(ORG_TYPES)


def test_best_speakers_by_usefulness_on_a_theme():
    best = themes.best_speakers(INTERVENTIONS, SPEAKERS, SCORES, theme="crise", threshold=5)
    # Chloé: t3, 6 answers, 28/6. Alice: t1 + t2, 8 answers, 30/8. Bruno: t2 only, 3 answers (hidden).
    assert best["name"].tolist() == ["Chloé Roy", "Alice Martin"]
    assert best["n"].tolist() == [6, 8]
    assert best.at[1, "mean"] == pytest.approx(30 / 8)
    assert best.at[1, "talks"] == 2
    assert best.at[1, "last_cohort"] == "A"


def test_best_speakers_leave_out_weak_ratings_and_respect_the_limit():
    assert themes.best_speakers(INTERVENTIONS, SPEAKERS, SCORES, theme="crise", min_mean=4.0)[
        "name"
    ].tolist() == ["Chloé Roy"]
    assert len(themes.best_speakers(INTERVENTIONS, SPEAKERS, SCORES, theme="crise", limit=1)) == 1
    by_type = themes.best_speakers(INTERVENTIONS, SPEAKERS, SCORES, org_type="agence", threshold=5)
    assert by_type["name"].tolist() == ["Alice Martin"]
    assert themes.best_speakers(INTERVENTIONS, SPEAKERS, SCORES, org_type="start-up").empty


def test_planning_actions_largest_relative_shortfall_first():
    actions = themes.planning_actions(
        INTERVENTIONS, SPEAKERS, SCORES, ["A", "B"], _targets(crise=2, outils=1), threshold=5
    )
    # start-up: 0 of 1 (100 %), outils: 0,5 of 1 (50 %), crise: 1,5 of 2 (25 %).
    assert [(a.kind, a.key) for a in actions] == [
        ("org_type", "start-up"),
        ("theme", "outils"),
        ("theme", "crise"),
    ]
    assert actions[0].speakers.empty
    assert actions[1].speakers["name"].tolist() == ["Chloé Roy"]
    assert actions[2].speakers["name"].tolist() == ["Chloé Roy", "Alice Martin"]


def test_raising_a_target_adds_a_planning_action():
    before = themes.planning_actions(INTERVENTIONS, SPEAKERS, SCORES, ["A", "B"], _targets(), threshold=5)
    after = themes.planning_actions(
        INTERVENTIONS, SPEAKERS, SCORES, ["A", "B"], _targets(conversation=2), threshold=5
    )
    assert "conversation" not in [a.key for a in before]
    assert "conversation" in [a.key for a in after]


def test_nothing_to_plan_when_every_target_is_met():
    targets = Targets(dict.fromkeys(THEME_IDS, 0), dict.fromkeys(ORG_TYPES, 0))
    assert themes.planning_actions(INTERVENTIONS, SPEAKERS, SCORES, ["A", "B"], targets) == []


def test_action_summary_and_speaker_line_in_french():
    actions = themes.planning_actions(
        INTERVENTIONS, SPEAKERS, SCORES, ["A", "B"], _targets(crise=2, outils=1), threshold=5
    )
    by_key = {a.key: a for a in actions}
    assert themes.action_summary(by_key["outils"], ["A", "B"]) == (
        "0,5 par promotion en moyenne (A à B), 1 dans la dernière ; objectif : 1 par promotion. "
        "Prévoir au moins 1 intervention sur ce thème pour la prochaine promotion."
    )
    assert "de type « start-up »" in themes.action_summary(by_key["start-up"], ["B"])
    line = themes.speaker_line(by_key["outils"].speakers.iloc[0])
    assert line.startswith("Chloé Roy (Groupe Poste) : utilité 4,67 /5 ± ")
    assert line.endswith("n = 6, dernière venue en B")


def test_demo_planning_names_under_represented_items_and_speakers(demo_conn):
    interventions = store.load_interventions(demo_conn)
    speakers = store.load_speakers(demo_conn)
    answers = store.load_answers(demo_conn, ["usefulness"])
    scores = answers.pivot_table(
        index=["response_id", "intervention_id"], columns="question_id", values="value_num"
    )
    scores = scores.reset_index()
    recent = themes.recent_cohorts(interventions, 3)
    actions = themes.planning_actions(interventions, speakers, scores, recent, DEFAULT_TARGETS)
    assert actions, "the demo misses some default targets"
    for action in actions:
        assert action.shortfall > 0
        assert (action.speakers["n"] >= 5).all()
        assert (action.speakers["mean"] >= themes.MIN_USEFULNESS).all()
