"""One source for every figure: a speaker's satisfaction and "réinviter" NPS read the same on
Intervenants (their profile), Enquêtes (the speaker studied closely, and the NPS by speaker) and
"Qui réinviter ?", as each page shows them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from insights import store
from insights.analytics.model import load_model
from insights.analytics.speakers import reinvite_ranking
from tests.app.helpers import open_page, page_tables

ROOT = Path(__file__).resolve().parents[2]


def chart(at: AppTest, key: str) -> dict:
    return next(json.loads(e.proto.spec) for e in at.get("plotly_chart") if e.proto.id.endswith(f"-{key}"))


def metric(at: AppTest, label: str):
    return next(m for m in at.metric if m.label == label)


def speakers_to_check(database: Path) -> list[tuple[str, str]]:
    """(id, name) of speakers with enough answers: the best ranked and a weaker one."""
    conn = store.connect(database)
    model = load_model(conn)
    conn.close()
    everything = model.cube.mask(model.interventions["intervention_id"])
    ranking = reinvite_ranking(model.cube, everything, model.anonymity_threshold)
    shown = ranking[~ranking["below_threshold"]]
    picked = shown.iloc[[0, len(shown) // 2]]
    return list(zip(picked["speaker_id"], picked["name"], strict=True))


@pytest.fixture
def speakers(app_db: Path) -> list[tuple[str, str]]:
    return speakers_to_check(app_db)


def test_a_speakers_satisfaction_and_nps_agree_on_every_page(app_db, speakers):
    reinvite = page_tables(open_page("reinvite.py", director=True))[0].value.set_index("name")
    for speaker_id, name in speakers:
        # The director's view on every page: Qui réinviter ? is theirs, and counts every talk.
        profile = open_page("speakers.py", director=True, intervenant=speaker_id)
        satisfaction = metric(profile, "Satisfaction")
        nps = metric(profile, "Réinviter (NPS)")
        satisfaction_n = int(re.search(r"n = (\d+)", satisfaction.help).group(1))
        nps_n = int(re.search(r"n = (\d+)", nps.help).group(1))

        # Qui réinviter ?: the NPS (rounded) and its n.
        assert f"{int(reinvite.loc[name, 'nps']):+d}" == nps.value.replace("−", "-")
        assert int(reinvite.loc[name, "nps_n"]) == nps_n

        # Enquêtes, the speaker studied closely: their mean satisfaction and n in the comparison.
        surveys = open_page("surveys.py", director=True)
        surveys.segmented_control(key="survey_target_kind").set_value("speaker").run()
        surveys.selectbox(key="survey_target_speaker").set_value(speaker_id).run()
        trace = chart(surveys, "survey_comparison")["data"][0]
        row = next(row for row in trace["customdata"] if row[0] == "Satisfaction")
        assert f"{row[1]:.2f}".replace(".", ",") + " /5" == satisfaction.value
        assert int(row[2]) == satisfaction_n

        # Enquêtes, the NPS by speaker: the note beside their bar.
        notes = chart(surveys, "survey_nps_speakers")["layout"]["annotations"]
        note = next(a["text"] for a in notes if a.get("y", "").startswith(name))
        assert f"NPS <b>{nps.value}</b>" in note
