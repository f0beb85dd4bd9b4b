"""Vue d'ensemble: the selection's indicators against the previous cohort, the satisfaction trend,
the best and weakest talks, the themes covered and the latest quotes."""

from __future__ import annotations

import math
from dataclasses import replace

import streamlit as st

from insights.analytics import overview
from insights.analytics import stats as metrics
from insights.charts import base as charts
from insights.domain import THEME_IDS
from insights.filters import select_interventions
from insights.formatting import format_number, format_percent, format_signed, plural
from pages import common

data = common.tables()
filters = common.current_filters()
threshold = data.anonymity_threshold

selection = common.selected_interventions(data, filters)
# The cohort filter picks the cohort shown; the other filters also apply to the previous cohort.
comparable = select_interventions(data.interventions, data.speakers, replace(filters, cohorts=()))
by_cohort = overview.kpis_by_cohort(comparable, data.response_counts, data.scores, data.cohorts, threshold)

st.title("Vue d'ensemble", anchor=False)

if selection.empty:
    st.info(
        "Aucune intervention ne correspond aux filtres choisis. Élargissez la sélection dans le panneau latéral."
    )
    st.stop()

selected_cohorts = sorted(selection["cohort"].unique())
reference = st.selectbox(
    "Promotion de référence",
    selected_cohorts[::-1],
    help="Les indicateurs portent sur cette promotion et sont comparés à la promotion précédente.",
    key="overview_reference_cohort",
)
values, changes, previous = overview.kpi_changes(by_cohort, reference)
versus = f"vs {previous}" if previous else "pas de promotion précédente"


def _trend(column: str) -> list[float]:
    return [v for v in by_cohort[column].tolist() if not math.isnan(v)]


CARDS = [
    ("Interventions", "interventions", lambda v: format_number(v, 0), 0, None),
    ("Intervenant·es", "speakers", lambda v: format_number(v, 0), 0, None),
    ("Réponses", "responses", lambda v: format_number(v, 0), 0, None),
    (
        "Taux de réponse",
        "response_rate",
        format_percent,
        0,
        "Réponses reçues / (effectif de la promotion × interventions).",
    ),
    (
        "Satisfaction moyenne",
        "satisfaction",
        lambda v: f"{format_number(v, 2)} /5",
        2,
        f"Moyenne de « Globalement, je suis satisfait·e » (1 à 5). Masquée sous {threshold} réponses.",
    ),
    (
        "Réinviter (NPS)",
        "nps",
        lambda v: format_signed(v, 0),
        0,
        "% de 9–10 moins % de 0–6 à « Recommanderiez-vous de réinviter cet·te intervenant·e ? » (−100 à +100).",
    ),
]
rows = [st.columns(3), st.columns(3)]
for index, (label, column, formatter, decimals, help_text) in enumerate(CARDS):
    value, change = values[column], changes[column]
    if column == "response_rate" and not math.isnan(change):
        change *= 100
    rows[index // 3][index % 3].metric(
        label,
        f"moins de {threshold} réponses" if math.isnan(value) else formatter(value),
        delta=common.metric_delta(change, decimals, " pts" if column == "response_rate" else ""),
        delta_description=versus,
        chart_data=_trend(column),
        help=help_text,
        border=True,
    )
st.caption(
    f"Promotion {reference} · {plural(int(values['interventions']), 'intervention')} "
    f"selon les filtres. Les figures reposant sur moins de {threshold} réponses ne sont pas affichées."
)

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader("Satisfaction par promotion", anchor=False)
    trend = metrics.mean_trend(comparable, data.scores, "satisfaction", by="semester", threshold=threshold)
    st.plotly_chart(
        charts.mean_trend_figure(trend, y_title="Satisfaction moyenne (1 à 5)"),
        width="stretch",
        key="overview_trend",
    )
    st.caption("Points : moyenne ; barres : intervalle de confiance à 95 %. Survolez un point pour voir n.")
with right:
    st.subheader("Thèmes abordés", anchor=False)
    coverage = metrics.theme_coverage(selection, THEME_IDS)
    st.plotly_chart(charts.theme_coverage_figure(coverage), width="stretch", key="overview_themes")
    st.caption(
        f"Sur toute la sélection : {plural(len(selection), 'intervention')}, "
        f"{plural(len(selected_cohorts), 'promotion')}."
    )

ratings = metrics.talk_ratings(selection, data.scores, "satisfaction", threshold)
st.subheader("Interventions les mieux et les moins bien notées", anchor=False)
if ratings.empty:
    st.info(f"Aucune intervention de la sélection n'a au moins {threshold} réponses.")
else:
    shown = min(5, math.ceil(len(ratings) / 2))
    column_config = {
        "title": st.column_config.TextColumn("Intervention", width="large"),
        "cohort": st.column_config.TextColumn("Promotion"),
        "mean": st.column_config.ProgressColumn("Satisfaction", format="%.2f", min_value=1, max_value=5),
        "interval": st.column_config.TextColumn("IC 95 %"),
        "n": st.column_config.NumberColumn("n"),
    }

    def _ratings_table(rows):
        table = rows.assign(
            interval=[
                f"[{format_number(lo, 2)} ; {format_number(hi, 2)}]"
                for lo, hi in zip(rows["low"], rows["high"], strict=True)
            ]
        )
        return table[["title", "cohort", "mean", "interval", "n"]]

    best, weakest = st.tabs(["Les mieux notées", "Les moins bien notées"])
    best.dataframe(
        _ratings_table(ratings.head(shown)), column_config=column_config, hide_index=True, width="stretch"
    )
    weakest.dataframe(
        _ratings_table(ratings.tail(shown).iloc[::-1]),
        column_config=column_config,
        hide_index=True,
        width="stretch",
    )

st.subheader("Dernières citations publiées", anchor=False)
latest = overview.latest_quotes(data.quotes, selection, data.speakers, limit=4)
if latest.empty:
    st.info("Aucune citation publiée pour cette sélection.")
else:
    columns = st.columns(2, gap="medium")
    for index, quote in enumerate(latest.itertuples(index=False)):
        with columns[index % 2]:
            common.quote_card(quote.text, quote.name, f"{quote.title}, {quote.organisation}", quote.date)
