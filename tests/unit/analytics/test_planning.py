"""Planning the next cohort: targets, representation against them, the best speakers and the
actions, on the tiny programme of tests/unit/analytics/theme_programme.py, computed by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from insights import store
from insights.analytics import planning
from insights.analytics.model import load_model
from insights.analytics.planning import DEFAULT_TARGETS, Targets
from insights.domain import ORG_TYPES, THEME_IDS
from tests.unit.analytics.theme_programme import make_model, make_store


@pytest.fixture(scope="module")
def cube():
    return make_model().cube


def _targets(**themes_targets: int) -> Targets:
    return Targets(
        {t: themes_targets.get(t, 0) for t in THEME_IDS},
        {o: 0 for o in ORG_TYPES} | {"agence": 1, "start-up": 1},
    )


# --- targets --------------------------------------------------------------------------------------


def test_targets_default_when_nothing_is_stored():
    targets = planning.targets_from_store(pd.DataFrame(columns=["kind", "key", "talks_per_cohort"]))
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
    targets = planning.targets_from_store(stored)
    assert targets.themes["veille"] == 6
    assert targets.org_types["agence"] == 0
    assert targets.themes["crise"] == DEFAULT_TARGETS.themes["crise"]
    assert "panique" not in targets.themes
    assert "x" not in targets.org_types


def test_planning_targets_round_trip_through_the_store(empty_conn):
    assert store.load_planning_targets(empty_conn).empty
    version = store.data_version(empty_conn)
    store.write_planning_targets(empty_conn, DEFAULT_TARGETS.rows())
    assert store.data_version(empty_conn) == version + 1
    assert planning.targets_from_store(store.load_planning_targets(empty_conn)) == DEFAULT_TARGETS

    store.write_planning_targets(empty_conn, [("theme", "veille", 5), ("org_type", "start-up", 0)])
    stored = store.load_planning_targets(empty_conn)
    assert len(stored) == len(THEME_IDS) + len(ORG_TYPES)
    targets = planning.targets_from_store(stored)
    assert (targets.themes["veille"], targets.org_types["start-up"]) == (5, 0)

    store.clear_planning_targets(empty_conn)
    assert store.load_planning_targets(empty_conn).empty


def test_the_store_refuses_an_unknown_kind_or_a_negative_target(empty_conn):
    with pytest.raises(Exception, match="CHECK constraint"):
        store.write_planning_targets(empty_conn, [("semester", "S1", 1)])
    with pytest.raises(Exception, match="CHECK constraint"):
        store.write_planning_targets(empty_conn, [("theme", "crise", -1)])
    assert store.load_planning_targets(empty_conn).empty


# --- representation -------------------------------------------------------------------------------


def test_recent_cohorts_are_the_latest_with_talks(cube):
    assert planning.recent_cohorts(cube.talks, 1) == ["B"]
    assert planning.recent_cohorts(cube.talks, 5) == ["A", "B"]
    assert planning.recent_cohorts(cube.talks, 0) == []


def test_representation_against_targets(cube):
    table = planning.representation(cube.talks, cube.speakers, ["A", "B"], _targets(crise=2, outils=1))
    rows = table.set_index(["kind", "key"])
    crise = rows.loc[("theme", "crise")]
    assert (crise["talks"], crise["per_cohort"], crise["latest"], crise["shortfall"]) == (3, 1.5, 1, 0.5)
    outils = rows.loc[("theme", "outils")]
    assert (outils["per_cohort"], outils["shortfall"]) == (0.5, 0.5)
    agence = rows.loc[("org_type", "agence")]
    assert (agence["talks"], agence["per_cohort"], agence["latest"], agence["shortfall"]) == (2, 1.0, 0, 0.0)
    assert rows.loc[("org_type", "start-up"), "shortfall"] == 1.0
    assert rows.loc[("org_type", "agence"), "label"] == "Agence"
    assert rows.loc[("theme", "crise"), "label"] == "Gestion de crise"
    assert table["kind"].tolist() == ["theme"] * len(THEME_IDS) + ["org_type"] * len(ORG_TYPES)


def test_representation_over_the_latest_cohort_only(cube):
    rows = planning.representation(cube.talks, cube.speakers, ["B"], _targets(crise=2)).set_index(
        ["kind", "key"]
    )
    assert rows.loc[("theme", "crise"), ["talks", "per_cohort", "latest", "shortfall"]].tolist() == [
        1,
        1.0,
        1,
        1.0,
    ]
    assert rows.loc[("org_type", "agence"), ["talks", "shortfall"]].tolist() == [0, 1.0]


# --- best speakers --------------------------------------------------------------------------------


def test_best_speakers_by_usefulness_on_a_theme(cube):
    best = planning.best_speakers(cube, theme="crise", threshold=5)
    # Chloé: t3, 6 answers, 28/6. Alice: t1 + t2, 8 answers, 30/8. Bruno: t2 only, 3 answers (hidden).
    assert best["name"].tolist() == ["Chloé Roy", "Alice Martin"]
    assert best["n"].tolist() == [6, 8]
    assert best.at[0, "mean"] == pytest.approx(28 / 6)
    assert best.at[1, "mean"] == pytest.approx(30 / 8)
    assert best.at[1, "low"] < best.at[1, "mean"] < best.at[1, "high"]
    assert best.at[1, "talks"] == 2
    assert best.at[1, "last_cohort"] == "A"
    assert best.at[0, "organisation"] == "Groupe Poste"
    # Bruno shows up once the threshold allows his 3 answers, (3 + 3 + 4) / 3, and his mean is welcome.
    assert "Bruno Petit" not in planning.best_speakers(cube, theme="crise", threshold=3)["name"].tolist()
    lower = planning.best_speakers(cube, theme="crise", threshold=3, min_mean=3.0).set_index("name")
    assert lower.at["Bruno Petit", "mean"] == pytest.approx(10 / 3)
    # Only the answers about a speaker's talks on the theme count: Alice on conversation is t1 alone.
    conversation = planning.best_speakers(cube, theme="conversation", threshold=5)
    assert conversation[["name", "n", "talks"]].values.tolist() == [["Alice Martin", 5, 1]]
    assert conversation.at[0, "mean"] == pytest.approx(20 / 5)


def test_best_speakers_leave_out_weak_ratings_and_respect_the_limit(cube):
    assert planning.best_speakers(cube, theme="crise", min_mean=4.0)["name"].tolist() == ["Chloé Roy"]
    assert len(planning.best_speakers(cube, theme="crise", limit=1)) == 1
    by_type = planning.best_speakers(cube, org_type="agence", threshold=5)
    assert by_type["name"].tolist() == ["Alice Martin"]
    assert by_type.at[0, "n"] == 8  # every talk of hers when no theme is given
    assert planning.best_speakers(cube, org_type="start-up").empty
    assert planning.best_speakers(cube, theme="veille").empty


def test_an_empty_programme_has_no_speakers_and_no_talks():
    cube = load_model(make_store(with_programme=False)).cube
    best = planning.best_speakers(cube, theme="crise")
    assert best.empty
    assert best.columns.tolist() == planning.BEST_SPEAKER_COLUMNS
    table = planning.representation(cube.talks, cube.speakers, [], DEFAULT_TARGETS)
    assert table["talks"].eq(0).all()
    assert (table["shortfall"] == table["target"]).all()
    figures = planning.page_figures(cube, DEFAULT_TARGETS, window=3)
    assert figures.cohorts == []
    assert all(action.speakers.empty for action in figures.actions)


# --- actions --------------------------------------------------------------------------------------


def test_planning_actions_largest_relative_shortfall_first(cube):
    actions = planning.planning_actions(cube, ["A", "B"], _targets(crise=2, outils=1), threshold=5)
    # start-up: 0 of 1 (100 %), outils: 0,5 of 1 (50 %), crise: 1,5 of 2 (25 %).
    assert [(a.kind, a.key) for a in actions] == [
        ("org_type", "start-up"),
        ("theme", "outils"),
        ("theme", "crise"),
    ]
    assert actions[0].speakers.empty
    assert actions[1].speakers["name"].tolist() == ["Chloé Roy"]
    assert actions[2].speakers["name"].tolist() == ["Chloé Roy", "Alice Martin"]
    assert (actions[2].per_cohort, actions[2].latest, actions[2].target, actions[2].shortfall) == (
        1.5,
        1,
        2,
        0.5,
    )
    assert len(planning.planning_actions(cube, ["A", "B"], _targets(crise=2, outils=1), limit=2)) == 2
    one_speaker = planning.planning_actions(cube, ["A", "B"], _targets(crise=2), speakers_per_action=1)
    assert one_speaker[-1].speakers["name"].tolist() == ["Chloé Roy"]


def test_raising_a_target_adds_a_planning_action(cube):
    before = planning.planning_actions(cube, ["A", "B"], _targets(), threshold=5)
    after = planning.planning_actions(cube, ["A", "B"], _targets(conversation=2), threshold=5)
    assert "conversation" not in [a.key for a in before]
    assert "conversation" in [a.key for a in after]


def test_nothing_to_plan_when_every_target_is_met(cube):
    targets = Targets(dict.fromkeys(THEME_IDS, 0), dict.fromkeys(ORG_TYPES, 0))
    assert planning.planning_actions(cube, ["A", "B"], targets) == []


def test_action_summary_and_speaker_line_in_french(cube):
    actions = planning.planning_actions(cube, ["A", "B"], _targets(crise=2, outils=1), threshold=5)
    by_key = {a.key: a for a in actions}
    assert planning.action_summary(by_key["outils"], ["A", "B"]) == (
        "0,5 par promotion en moyenne (A à B), 1 dans la dernière ; objectif : 1 par promotion. "
        "Prévoir au moins 1 intervention sur ce thème pour la prochaine promotion."
    )
    assert "de type « start-up »" in planning.action_summary(by_key["start-up"], ["B"])
    assert "(B)" in planning.action_summary(by_key["start-up"], ["B"])
    line = planning.speaker_line(by_key["outils"].speakers.iloc[0])
    assert line.startswith("Chloé Roy (Groupe Poste) : utilité 4,67 /5 ± ")
    assert line.endswith("n = 6, dernière venue en B")
    without_organisation = {"name": "X", "organisation": "", "mean": 4, "low": 3.5, "high": 4.5, "n": 9}
    assert planning.speaker_line(without_organisation | {"last_cohort": "A"}) == (
        "X : utilité 4,00 /5 ± 0,50, n = 9, dernière venue en A"
    )


def test_cohort_span():
    assert planning.cohort_span([]) == ""
    assert planning.cohort_span(["2015-2016"]) == "2015-2016"
    assert planning.cohort_span(["2013-2014", "2014-2015", "2015-2016"]) == "2013-2014 à 2015-2016"


def test_page_figures_plan_over_the_latest_cohorts(cube):
    targets = _targets(crise=2, outils=1)
    latest = planning.page_figures(cube, targets, window=1, threshold=5)
    assert latest.cohorts == ["B"]
    pd.testing.assert_frame_equal(
        latest.representation, planning.representation(cube.talks, cube.speakers, ["B"], targets)
    )
    # In B alone: no agency (0 of 1) and no start-up (0 of 1), crise 1 of 2; outils met.
    assert [(a.kind, a.key) for a in latest.actions] == [
        ("org_type", "agence"),
        ("org_type", "start-up"),
        ("theme", "crise"),
    ]
    # The speakers suggested come from every cohort, not only the window.
    assert latest.actions[0].speakers["name"].tolist() == ["Alice Martin"]
    both = planning.page_figures(cube, targets, window=5, threshold=5)
    assert both.cohorts == ["A", "B"]
    assert [a.key for a in both.actions] == ["start-up", "outils", "crise"]


def test_demo_planning_names_under_represented_items_and_speakers(demo_conn):
    model = load_model(demo_conn)
    cube = model.cube
    recent = planning.recent_cohorts(cube.talks, 3)
    assert len(recent) == 3
    actions = planning.planning_actions(cube, recent, DEFAULT_TARGETS, model.anonymity_threshold)
    assert actions, "the demo misses some default targets"
    for action in actions:
        assert action.shortfall > 0
        assert (action.speakers["n"] >= model.anonymity_threshold).all()
        assert (action.speakers["mean"] >= planning.MIN_USEFULNESS).all()
        for speaker_id in action.speakers["speaker_id"]:
            given = cube.talks[cube.speaker_mask(speaker_id)]
            if action.kind == "theme":
                assert any(action.key in themes for themes in given["themes"])
            else:
                assert cube.speakers.set_index("speaker_id").at[speaker_id, "org_type"] == action.key
    assert any(not action.speakers.empty for action in actions)
