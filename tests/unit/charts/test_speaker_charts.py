"""The speakers' figures carry the data they are given, escaped, with n and suppression shown."""

from __future__ import annotations

import html
import math

import pandas as pd
import pytest

from insights.analytics import careers
from insights.analytics.stats import NpsBreakdown
from insights.charts import speakers as speaker_charts
from insights.charts.palette import ACCENT, PRIMARY
from insights.domain import ORG_TYPES


def _timeline():
    steps = pd.DataFrame(
        {
            "speaker_id": ["a", "a", "a"],
            "year_from": [2004, 2008, 2010],
            "year_to": pd.array([2008, 2008, None], dtype="Int64"),
            "role": ["Juriste <b>senior</b>", "Stage", "Community manager"],
            "organisation": ["Mutuelle & Cie", "Ville", "Ville"],
        }
    )
    return careers.career_timeline(steps, until=2016)


def test_the_timeline_draws_each_step_from_its_start_for_its_length():
    fig = speaker_charts.career_timeline_figure(_timeline(), "Master de droit", until=2016)
    bars = {trace.name: trace for trace in fig.data if trace.type == "bar"}
    assert set(bars) == {careers.ROLE_OTHER, careers.ROLE_CM}
    other = bars[careers.ROLE_OTHER]
    assert list(other.base) == [2004, 2008]
    # A step within one year keeps a visible length.
    assert list(other.x) == [4, 0.5]
    assert list(bars[careers.ROLE_CM].x) == [6]
    assert list(bars[careers.ROLE_CM].text) == ["2010 – auj."]


def test_the_timeline_shows_the_education_first_and_escapes_data():
    fig = speaker_charts.career_timeline_figure(_timeline(), "Master <i>droit</i>", until=2016)
    education = next(trace for trace in fig.data if trace.type == "scatter")
    assert list(education.y) == [speaker_charts.EDUCATION_ROW]
    assert list(education.x) == [2004]
    assert education.text[0] == "Master &lt;i&gt;droit&lt;/i&gt;"
    rows = list(fig.layout.yaxis.categoryarray)
    assert rows[0] == speaker_charts.EDUCATION_ROW
    assert "Juriste &lt;b&gt;senior&lt;/b&gt;" in rows[1]
    assert "Mutuelle &amp; Cie" in rows[1]
    assert "<b>senior</b>" not in str(fig.to_dict())


def test_on_a_phone_the_timeline_wraps_its_labels_short_and_gives_them_room():
    education = "DUT informatique, licence professionnelle veille et intelligence économique"
    wide = speaker_charts.career_timeline_figure(_timeline(), education, until=2016)
    narrow = speaker_charts.career_timeline_figure(_timeline(), education, until=2016, narrow=True)
    rows = list(narrow.layout.yaxis.categoryarray)
    lines = [line for row in rows[1:] for line in row.replace("<b>", "").replace("</b>", "").split("<br>")]
    assert max(len(html.unescape(line)) for line in lines) <= 18  # data text stays escaped
    education_lines = next(trace for trace in narrow.data if trace.type == "scatter").text[0].split("<br>")
    assert len(education_lines) == 4 and max(len(line) for line in education_lines) <= 24
    assert (narrow.layout.xaxis.dtick, wide.layout.xaxis.dtick) == (4, 2)
    # Each row holds its four lines (18 px each) and some air.
    plot_rows = len(rows)
    assert (narrow.layout.height - 110) / plot_rows >= 4 * 18 + 14
    assert narrow.layout.height > wide.layout.height


def test_a_timeline_without_education_has_no_education_marker():
    fig = speaker_charts.career_timeline_figure(_timeline(), "  ", until=2016)
    assert all(trace.type == "bar" for trace in fig.data)


def _ratings(mean_clarity=float("nan")):
    return pd.DataFrame(
        {
            "question_id": ["satisfaction", "clarity"],
            "label": ["Satisfaction", "Clarté"],
            "n": [12, 3],
            "mean": [4.2, mean_clarity],
            "low": [3.9, float("nan")],
            "high": [4.5, float("nan")],
            "programme_n": [400, 390],
            "programme_mean": [3.9, 3.8],
            "programme_low": [3.8, 3.7],
            "programme_high": [4.0, 3.9],
        }
    )


def test_question_ratings_figure_labels_withheld_questions():
    fig = speaker_charts.question_ratings_figure(_ratings(), threshold=5, speaker_name="Anne <script>")
    programme, speaker = fig.data
    assert programme.name == "Moyenne de la formation"
    assert list(programme.x) == [3.9, 3.8]
    assert speaker.name == "Anne &lt;script&gt;"
    assert speaker.x[0] == 4.2 and math.isnan(speaker.x[1])
    assert speaker.y[0].startswith("Satisfaction") and "(n = 12)" in speaker.y[0]
    assert speaker.y[1].startswith("Clarté") and "moins de 5 réponses" in speaker.y[1]
    assert "n = 3" not in speaker.y[1]
    assert speaker.error_x.array[0] == pytest.approx(0.3)
    assert list(speaker.customdata[:, 0]) == [12, 3]


def test_nps_breakdown_figure_splits_answers_into_shares():
    fig = speaker_charts.nps_breakdown_figure(NpsBreakdown(n=20, promoters=10, passives=6, detractors=4))
    assert [trace.x[0] for trace in fig.data] == pytest.approx([0.2, 0.3, 0.5])
    assert [trace.text[0] for trace in fig.data] == ["20\u00a0%", "30\u00a0%", "50\u00a0%"]
    assert fig.layout.barmode == "stack"


ROUTE_SPEAKERS = pd.DataFrame(
    {
        "speaker_id": ["a", "b", "c"],
        "name": ["Anne", "Bruno", "Chloé"],
        "title": ["Community manager", "Community manager", "Chargée de communication"],
        "org_type": ["agence", "agence", "collectivité"],
        "years_experience": pd.array([3, 5, 9], dtype="Int64"),
        "education": ["Master d'histoire", "Master communication", "Master d'histoire"],
    }
)


def test_routes_sankey_has_a_node_per_family_and_stage_and_flows_that_add_up():
    flows = careers.route_flows(careers.career_routes(ROUTE_SPEAKERS, pd.DataFrame(columns=["speaker_id"])))
    fig = speaker_charts.routes_sankey_figure(flows)
    sankey = fig.data[0]
    labels = list(sankey.node.label)
    # Education: communication, humanities; first roles: CM, communication; current roles: the same.
    assert labels == [
        careers.COMMUNICATION,
        careers.HUMANITIES,
        careers.ROLE_CM,
        careers.ROLE_COMMUNICATION,
        careers.ROLE_CM,
        careers.ROLE_COMMUNICATION,
    ]
    assert sum(sankey.link.value) == 6  # three speakers, two pairs of stages
    assert list(sankey.node.customdata) == ["Formation"] * 2 + ["Premier poste"] * 2 + ["Poste actuel"] * 2
    assert list(sankey.node.x) == pytest.approx([0.001, 0.001, 0.5, 0.5, 0.999, 0.999])
    colours = {label: colour for label, colour in zip(labels[:2], sankey.node.color[:2], strict=True)}
    assert colours == {careers.COMMUNICATION: PRIMARY, careers.HUMANITIES: ACCENT}
    assert [a.text for a in fig.layout.annotations] == [
        "<b>Formation</b>",
        "<b>Premier poste</b>",
        "<b>Poste actuel</b>",
    ]


def test_on_a_phone_the_routes_sankey_writes_the_families_on_short_lines():
    flows = careers.route_flows(careers.career_routes(ROUTE_SPEAKERS, pd.DataFrame(columns=["speaker_id"])))
    wide = speaker_charts.routes_sankey_figure(flows)
    narrow = speaker_charts.routes_sankey_figure(flows, narrow=True)
    lines = [label.split("<br>") for label in narrow.data[0].node.label]
    assert [" ".join(parts) for parts in lines] == list(wide.data[0].node.label)
    # Lines of 12 characters at most, but for one longer word (kept whole).
    assert all(len(line) <= 12 or " " not in line for parts in lines for line in parts)
    assert any(len(parts) > 1 for parts in lines)
    assert narrow.data[0].textfont.size < wide.data[0].textfont.size
    assert narrow.layout.height > wide.layout.height


def test_education_families_figure_separates_communication_degrees():
    counts = careers.education_counts(
        careers.career_routes(ROUTE_SPEAKERS, pd.DataFrame(columns=["speaker_id"]))
    )
    fig = speaker_charts.education_families_figure(counts)
    by_name = {trace.name: trace for trace in fig.data}
    communication = by_name["Communication, journalisme, marketing"]
    other = by_name["Autre formation"]
    assert list(communication.y) == [careers.COMMUNICATION] and list(communication.x) == [1]
    assert list(other.y) == [careers.HUMANITIES] and list(other.x) == [2]


def test_experience_figure_gives_n_per_type_and_groups_equal_values():
    speakers = ROUTE_SPEAKERS.assign(
        years_experience=pd.array([5, 5, 9], dtype="Int64"), name=["A<b>", "B", "C"]
    )
    fig = speaker_charts.experience_by_org_type_figure(careers.experience_by_org_type(speakers, ORG_TYPES))
    agency, community, median = fig.data
    assert list(agency.y) == ["agence (n = 2)"]
    assert list(agency.x) == [5]
    assert agency.marker.size[0] > community.marker.size[0]  # two speakers share 5 years
    assert agency.customdata[0] == "A&lt;b&gt;<br>B"
    assert list(median.x) == [5, 9]


def _reinvite_ranking() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "speaker_id": ["a", "b"],
            "name": ["Anne", "Bruno"],
            "organisation": ["X", "Y"],
            "org_type": ["agence", "agence"],
            "talks": [2, 1],
            "last_talk": ["2015-01-01", "2016-01-01"],
            "nps_n": [30, 3],
            "nps": [40.0, float("nan")],
            "usefulness_n": [30, 3],
            "usefulness": [4.1, float("nan")],
            "usefulness_low": [3.9, float("nan")],
            "usefulness_high": [4.3, float("nan")],
            "below_threshold": [False, True],
        }
    )


def test_a_strongly_negative_nps_is_written_inside_its_bar_where_the_axis_leaves_no_room():
    ranking = pd.concat([_reinvite_ranking()] * 2, ignore_index=True)
    ranking["nps"] = [40.0, float("nan"), -77.0, 90.0]
    narrow = speaker_charts.reinvite_figure(ranking, programme_usefulness=3.95, threshold=5, narrow=True)
    # On a phone, "−77" beside its bar ran into the speaker's name, and "+90" into the other half.
    assert list(narrow.data[0].textposition) == ["outside", "outside", "inside", "inside"]
    wide = speaker_charts.reinvite_figure(ranking, programme_usefulness=3.95, threshold=5)
    assert list(wide.data[0].textposition) == ["outside", "outside", "outside", "outside"]
    ranking["nps"] = [40.0, float("nan"), -95.0, 100.0]
    wide = speaker_charts.reinvite_figure(ranking, programme_usefulness=3.95, threshold=5)
    # The axis's end leaves room for "+100" beside its bar, not its start for "−95".
    assert list(wide.data[0].textposition) == ["outside", "outside", "inside", "outside"]


def test_reinvite_figure_keeps_flagged_speakers_without_figures():
    ranking = _reinvite_ranking()
    fig = speaker_charts.reinvite_figure(ranking, programme_usefulness=3.95, threshold=5)
    bars, dots = fig.data
    assert list(bars.y) == ["Anne", "Bruno <span style='color:#888'>(moins de 5 réponses)</span>"]
    assert bars.x[0] == 40.0 and math.isnan(bars.x[1])
    assert list(bars.text) == ["+40", ""]
    assert dots.x[0] == 4.1
    assert "3,95" in fig.layout.annotations[1].text


def test_on_a_phone_who_to_invite_again_has_short_titles_and_no_tick_where_the_halves_meet():
    narrow = speaker_charts.reinvite_figure(
        _reinvite_ranking(), programme_usefulness=3.95, threshold=5, narrow=True
    )
    nps_title, usefulness_title = (a.text for a in narrow.layout.annotations)
    assert nps_title == "Réinviter<br>(NPS)"
    assert usefulness_title == "Utilité (1 à 5)<br>pointillés : 3,95"
    assert list(narrow.layout.xaxis.tickvals) == [-50, 0, 50]
    assert list(narrow.layout.xaxis2.tickvals) == [2, 3, 4]
    wide = speaker_charts.reinvite_figure(_reinvite_ranking(), programme_usefulness=float("nan"), threshold=5)
    assert [a.text for a in wide.layout.annotations] == [
        "Réinviter (NPS, −100 à +100)",
        "Utilité pour le futur métier (1 à 5)",
    ]
