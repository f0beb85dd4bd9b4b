"""The Enquêtes page's plotly figures: the data they draw, and nothing of the suppressed groups."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from insights import store
from insights.analytics import free_text, survey
from insights.analytics.model import load_model
from insights.analytics.survey_page import PageFigures, limit_rows, page_figures
from insights.charts import alternatives, survey_trends
from insights.charts import layout as chart_layout
from insights.charts import survey as survey_charts
from insights.filters import Filters
from tests.unit.survey_fixtures import make_cube, make_model, make_store

ALL = np.array([True, True, True])


def _ys(fig) -> set[str]:
    return {str(y) for trace in fig.data if trace.y is not None for y in trace.y}


def test_likert_bars_diverge_around_zero_with_the_neutral_share_centred():
    cube = make_cube()
    talks = survey.talk_distribution(cube, ALL, "satisfaction", threshold=5)
    fig = survey_charts.likert_bars(talks, id_column="intervention_id")
    assert len(fig.data) == 6
    by_name = {}
    for trace in fig.data:
        by_name.setdefault(trace.name, []).append(list(trace.x))
    # t1 (5,5,4,4,3): 20% neutral split in two halves, agreement to the right.
    assert by_name["Ni d'accord ni pas d'accord"][0][0] == pytest.approx(-0.1)
    assert by_name["Ni d'accord ni pas d'accord"][1][0] == pytest.approx(0.1)
    assert by_name["Tout à fait d'accord"][0][0] == pytest.approx(0.4)
    assert by_name["Pas du tout d'accord"][0][0] == pytest.approx(0.0)
    # The bars of t1 and t2 only; t3 (4 answers) is not in the figure at all.
    assert _ys(fig) == {"t1", "t2"}
    assert all(row[0] in ("t1", "t2") for trace in fig.data for row in trace.customdata)
    assert "Parcours de CM" not in fig.to_json()
    assert any("n = 5" in a.text and "4,20" in a.text for a in fig.layout.annotations)
    assert fig.layout.barmode == "relative"


def test_likert_bars_label_every_question():
    fig = survey_charts.likert_bars(survey.likert_distribution(make_cube(), ALL, threshold=5))
    assert list(fig.layout.yaxis.ticktext) == ["Satisfaction", "Transparence"]


def test_chart_labels_from_data_are_escaped():
    cube = make_cube()
    talks = survey.talk_distribution(cube, ALL, "satisfaction", threshold=5)
    fig = survey_charts.likert_bars(talks, id_column="intervention_id")
    assert any("&lt;b&gt;ligne&lt;/b&gt;" in text for text in fig.layout.yaxis.ticktext)
    assert not any("<b>ligne" in text for text in fig.layout.yaxis.ticktext)


def test_nps_bars_stack_the_three_groups_and_leave_out_suppressed_talks():
    table = survey.nps_by_talk(make_cube(), ALL, "recommend", threshold=5)
    fig = survey_charts.nps_bars(table, id_column="intervention_id")
    assert [trace.name for trace in fig.data] == ["Détracteurs (0–6)", "Passifs (7–8)", "Promoteurs (9–10)"]
    assert list(fig.data[0].y) == ["t2", "t1"]
    assert list(fig.data[2].x) == pytest.approx([4 / 6, 0.4])
    assert any("NPS <b>+67</b>" in a.text for a in fig.layout.annotations)
    assert "t3" not in _ys(fig)


def test_on_a_phone_label_and_note_go_above_each_bar_which_takes_the_whole_width():
    cube = make_cube()
    talks = survey.talk_distribution(cube, ALL, "satisfaction", threshold=5)
    wide = survey_charts.likert_bars(talks, id_column="intervention_id")
    narrow = survey_charts.likert_bars(talks, id_column="intervention_id", narrow=True)
    assert narrow.layout.yaxis.showticklabels is False
    assert narrow.layout.margin.r < 20 < wide.layout.margin.r
    assert narrow.layout.height > wide.layout.height
    assert [a.y for a in narrow.layout.annotations] == ["t1", "t2"]
    for annotation, label in zip(narrow.layout.annotations, narrow.layout.yaxis.ticktext, strict=True):
        assert (annotation.x, annotation.xanchor, annotation.yanchor) == (0, "left", "bottom")
        assert annotation.yshift > 0
        title, date = label.rsplit(" · ", 1)
        # A talk's date opens the second line, before its mean, interval and n.
        assert annotation.text.startswith(f"{title}<br>{date} · <b>")
        assert "n = " in annotation.text
    assert any("4,20" in a.text and "n = 5" in a.text for a in narrow.layout.annotations)
    # The chart's table reads the same rows from either layout.
    assert alternatives.figure_table(narrow).equals(alternatives.figure_table(wide))


def test_on_a_phone_the_nps_bars_write_their_score_above_each_bar():
    table = survey.nps_by_speaker(make_cube(), ALL, "recommend", threshold=5)
    narrow = survey_charts.nps_bars(table, narrow=True)
    assert narrow.layout.yaxis.showticklabels is False
    shown = table[~table["suppressed"]]
    assert len(narrow.layout.annotations) == len(shown) > 0
    for annotation, label in zip(narrow.layout.annotations, shown["label"], strict=True):
        assert annotation.text.startswith(f"{label}<br>NPS <b>")
        assert (annotation.x, annotation.yanchor) == (0, "bottom")


def test_pillar_figure_shows_the_programme_even_where_the_talk_is_hidden():
    profile = survey.pillar_profile(make_cube(), np.array([True, False, False]), threshold=5)
    fig = survey_charts.pillar_figure(profile, "Cette intervention")
    programme, talk = fig.data
    assert programme.name == "Moyenne du programme"
    assert len(programme.x) == 4
    assert list(talk.x) == [4.0]  # only the unsuppressed fundamental
    assert list(fig.layout.yaxis.ticktext) == [
        "Transparence",
        "Conversation",
        "Juste engagement",
        "Enthousiasme",
    ]


def test_choice_bars_leave_out_suppressed_formats():
    shares = survey.choice_by_format(make_cube(), ALL, "best_part", threshold=5)
    fig = survey_charts.choice_bars(shares)
    assert _ys(fig) == {"témoignage de CM (n = 9)"}
    parcours = next(trace for trace in fig.data if trace.name == "parcours")
    assert list(parcours.x) == pytest.approx([5 / 9])


def test_trend_heatmap_leaves_suppressed_cells_empty():
    trends = survey.question_trends(make_cube(), ALL, threshold=5)
    fig = survey_trends.trend_heatmap(trends)
    heatmap = fig.data[0]
    assert list(heatmap.x) == ["2015-2016 S1", "2015-2016 S2", "2016-2017 S1"]
    satisfaction = list(heatmap.y).index("Satisfaction")
    assert heatmap.z[satisfaction][0] == pytest.approx(4.2)
    assert heatmap.z[satisfaction][2] is None  # 4 answers in 2016-2017
    assert heatmap.text[satisfaction][2] == ""
    assert np.isnan(heatmap.customdata[satisfaction][2]).all()
    # The scale's title runs along the colour bar: above it, it ran into the "5" of the scale.
    assert heatmap.colorbar.title.side == "right"


def test_response_rate_figure_draws_each_shown_talk_once():
    rates = survey.response_rates(make_cube(), ALL, threshold=5)
    fig = survey_trends.response_rate_figure(rates)
    ids = [row[0] for trace in fig.data for row in trace.customdata]
    assert sorted(ids) == ["t1", "t2"]
    workshop = next(trace for trace in fig.data if trace.name == "atelier")
    assert list(workshop.y) == pytest.approx([70.0])


def test_comparison_figure_draws_differences_with_their_intervals():
    comparison = survey.compare_with_references(make_cube(), np.array([True, False, False]), threshold=5)
    fig = survey_charts.comparison_figure(comparison)
    programme = fig.data[0]
    assert programme.name == "vs reste du programme"
    shown = comparison[(comparison["reference"] == "Reste du programme") & ~comparison["suppressed"]]
    assert list(programme.x) == pytest.approx(shown["difference"].tolist())
    assert len(fig.data[1].x) == 0  # the same-format reference has 4 answers: nothing drawn


def test_term_bars_and_trend():
    model = make_model()
    cube, texts = model.cube, model.texts
    terms = free_text.term_frequencies(texts, ALL, "takeaway", threshold=2)
    fig = survey_trends.term_bars(terms)
    assert fig.data[0].y[0] == "trolls"
    assert fig.data[0].x[0] == 5
    trend = free_text.term_trend(texts, cube, ALL, "takeaway", terms["term"].iloc[0], threshold=2)
    trend_fig = survey_trends.term_trend_figure(trend, "trolls")
    assert list(trend_fig.data[0].x) == ["2015-2016"]  # 2016-2017 has 1 answer
    assert list(trend_fig.layout.xaxis.categoryarray) == ["2015-2016", "2016-2017"]
    assert list(trend_fig.data[0].y) == pytest.approx([100 * 4 / 7])


def test_figures_of_an_empty_selection_draw_nothing():
    cube = make_cube()
    none = np.zeros(3, dtype=bool)
    assert all(len(t.x) == 0 for t in survey_charts.likert_bars(survey.likert_distribution(cube, none)).data)
    assert all(
        len(t.x) == 0 for t in survey_charts.nps_bars(survey.nps_by_talk(cube, none, "recommend")).data
    )
    assert len(survey_trends.response_rate_figure(survey.response_rates(cube, none)).data) == 0


def test_mean_trend_figure_draws_one_line_per_semester_with_gaps_for_suppressed_cohorts():
    trends = survey.question_trends(make_cube(), ALL, threshold=5)
    fig = survey_trends.mean_trend_figure(survey.trend_series(trends, "satisfaction"), y_title="Moyenne")
    by_name = {trace.name: trace for trace in fig.data}
    assert list(by_name) == ["S1", "S2"]
    s1 = by_name["S1"]
    assert list(s1.x) == ["2015-2016", "2016-2017"]
    assert s1.y[0] == pytest.approx(4.2)
    assert np.isnan(s1.y[1])  # t3's 4 answers: a gap, not a point
    assert s1.connectgaps is False
    t1 = trends[
        (trends["question_id"] == "satisfaction") & (trends["semester"] == "S1") & ~trends["suppressed"]
    ]
    low, high = t1[["low", "high"]].iloc[0]
    assert s1.error_y.array[0] == pytest.approx(high - 4.2)
    assert s1.error_y.arrayminus[0] == pytest.approx(4.2 - low)
    assert list(by_name["S2"].y) == pytest.approx([3.0])
    assert list(fig.layout.yaxis.range) == [1, 5]
    assert fig.layout.yaxis.title.text == "Moyenne"
    assert fig.layout.xaxis.type == "category"


def _page_charts(figures: PageFigures, target_label: str = "Cette intervention") -> list[go.Figure]:
    """Every chart of the Enquêtes page's default view, as the page draws them from its figures."""
    built = [
        survey_charts.likert_bars(figures.distribution),
        survey_charts.likert_bars(limit_rows(figures.talks, "top"), id_column="intervention_id"),
        survey_charts.nps_bars(figures.nps_speakers),
        survey_charts.nps_bars(limit_rows(figures.nps_talks, "top"), id_column="intervention_id"),
        survey_charts.pillar_figure(figures.pillars, target_label),
        survey_charts.comparison_figure(figures.comparison),
        survey_charts.choice_bars(figures.choice_shares),
        survey_trends.trend_heatmap(figures.trends),
        survey_trends.response_rate_figure(figures.response_rates),
    ]
    if len(figures.trends):
        question = figures.trends["question_id"].iloc[0]
        built.append(
            survey_trends.mean_trend_figure(
                survey.trend_series(figures.trends, question), y_title="Moyenne (1 à 5)"
            )
        )
    if len(figures.terms):
        built.append(survey_trends.term_bars(figures.terms))
        built.append(survey_trends.term_trend_figure(figures.term_trend, str(figures.terms["word"].iloc[0])))
    return built


def test_every_builder_makes_a_valid_plotly_figure():
    """Builders skip plotly's validation for speed; validating their output here catches a
    misspelt property, which plotly.js would otherwise ignore silently."""
    conn = make_store()
    try:
        store.set_anonymity_threshold(conn, 2)
        figures = page_figures(conn, load_model(conn), Filters(), director=True)
    finally:
        conn.close()
    charts = _page_charts(figures)
    assert len(charts) == 12
    for fig in charts:
        go.Figure(fig.to_dict())  # raises ValueError on an invalid property or value
        assert fig.to_json()


def test_on_a_phone_long_axis_titles_are_wrapped_on_a_copy_of_the_figure():
    figure = go.Figure(
        layout={
            "xaxis": {"title": {"text": "Moyenne (1 = pas du tout d'accord, 5 = tout à fait d'accord)"}},
            "xaxis2": {"title": {"text": "Année"}},
            "yaxis": {"title": {"text": "Une longue légende verticale qui reste telle quelle"}},
        }
    )
    phone = chart_layout.for_a_phone(figure)
    lines = phone.layout.xaxis.title.text.split("<br>")
    assert " ".join(lines) == "Moyenne (1 = pas du tout d'accord, 5 = tout à fait d'accord)"
    assert len(lines) == 3 and all(len(line) <= chart_layout.PHONE_TITLE_WIDTH for line in lines)
    assert phone.layout.xaxis2.title.text == "Année"
    # A title the builder broke in two for a laptop is broken again, shorter, for a phone.
    two_lines = go.Figure(
        layout={
            "xaxis": {"title": {"text": "Moyenne (1 = pas du tout d'accord,<br>5 = tout à fait d'accord)"}}
        }
    )
    lines = chart_layout.for_a_phone(two_lines).layout.xaxis.title.text.split("<br>")
    assert " ".join(lines) == "Moyenne (1 = pas du tout d'accord, 5 = tout à fait d'accord)"
    assert all(len(line) <= chart_layout.PHONE_TITLE_WIDTH for line in lines)
    assert "<br>" not in phone.layout.yaxis.title.text
    # The figure given is left as it was (builders' figures may be cached and shared).
    assert "<br>" not in figure.layout.xaxis.title.text


def test_on_a_touch_screen_dragging_is_off_on_a_copy_of_the_figure():
    figure = go.Figure(layout={"xaxis": {"title": {"text": "Année"}}})
    touch = chart_layout.for_touch(figure)
    assert touch.layout.dragmode is False  # a swipe scrolls the page rather than zooming
    assert touch.layout.xaxis.title.text == "Année"
    assert figure.layout.dragmode is None
