"""Vue d'ensemble: the selection's indicators against the previous cohort, the satisfaction trend,
the best and weakest talks, the themes covered and the latest quotes."""

from __future__ import annotations

import math

import streamlit as st

from insights.analytics import overview
from insights.analytics.cube import LOW_PARTICIPATION
from insights.charts import survey_trends, themes
from insights.formatting import format_number, format_percent, format_signed, plural
from pages import common

data = common.model()
filters = common.current_filters()
threshold = data.anonymity_threshold
director = common.is_director()
figures = overview.page_figures(
    common.connection(), data, filters, st.session_state.get("overview_reference_cohort"), director
)
by_cohort = figures.by_cohort

st.title("Vue d'ensemble", anchor=False)

if not figures.cohorts:
    st.info(
        "Aucune intervention ne correspond aux filtres choisis. Élargissez la sélection dans le panneau latéral."
    )
    common.stop_page()

st.session_state["overview_reference_cohort"] = figures.reference
reference = st.selectbox(
    "Promotion de référence",
    figures.cohorts,
    help="Les indicateurs portent sur cette promotion et sont comparés à la promotion précédente.",
    key="overview_reference_cohort",
)
values, changes, previous = figures.values, figures.changes, figures.previous
versus = f"vs {previous}" if previous else "pas de promotion précédente"


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
# A cohort none of whose talks has published results shows no survey figure at all.
unpublished_cohort = math.isnan(values["responses"])
rows = [common.metric_row(), common.metric_row()]
for index, (label, column, formatter, decimals, help_text) in enumerate(CARDS):
    value, change = values[column], changes[column]
    if column == "response_rate" and not math.isnan(change):
        change *= 100
    missing = common.UNPUBLISHED if unpublished_cohort else f"moins de {threshold} réponses"
    rows[index // 3].metric(
        label,
        missing if math.isnan(value) else formatter(value),
        delta=common.metric_delta(change, decimals, " pts" if column == "response_rate" else ""),
        delta_description=versus,
        help=help_text,
        border=True,
    )
st.caption(
    f"Promotion {reference} · {plural(int(values['interventions']), 'intervention')} "
    f"selon les filtres. Les figures reposant sur moins de {threshold} réponses ne sont pas affichées."
)
common.unpublished_note(figures.unpublished, figures.unpublished_cohorts)
with st.expander("Ces indicateurs, promotion par promotion (tableau)", icon=":material/table_view:"):
    st.dataframe(
        {
            "Promotion": by_cohort["cohort"].tolist(),
            **{
                label: ["–" if math.isnan(v) else formatter(v) for v in by_cohort[column]]
                for label, column, formatter, _, _ in CARDS
            },
        },
        hide_index=True,
        width="stretch",
        key="overview_by_cohort",
    )

left, right = common.reflowing_columns("overview_charts", (3, 2))
with left:
    st.subheader("Satisfaction par promotion", anchor=False)
    common.chart(
        survey_trends.mean_trend_figure(figures.trend, y_title="Satisfaction moyenne (1 à 5)"),
        width="stretch",
        key="overview_trend",
    )
    st.caption("Points : moyenne ; barres : intervalle de confiance à 95 %. Survolez un point pour voir n.")
with right:
    st.subheader("Thèmes abordés", anchor=False)
    common.chart(themes.theme_coverage_figure(figures.coverage), width="stretch", key="overview_themes")
    st.caption(
        f"Sur toute la sélection : {plural(figures.interventions, 'intervention')}, "
        f"{plural(len(figures.cohorts), 'promotion')}."
    )

ratings = figures.ratings
st.subheader("Interventions les mieux et les moins bien notées", anchor=False)
if ratings.empty:
    st.info(f"Aucune intervention de la sélection n'a au moins {threshold} réponses.")
else:
    shown = min(5, math.ceil(len(ratings) / 2))
    column_config = {
        "title": st.column_config.TextColumn("Intervention", width="large"),
        "cohort": st.column_config.TextColumn("Promotion"),
        # "localized": the browser's decimal comma (a printf format would print a point); the step
        # gives every mean its two decimals ("4,40", not "4,4").
        "mean": st.column_config.ProgressColumn(
            "Satisfaction", format="localized", step=0.01, min_value=1, max_value=5
        ),
        "interval": st.column_config.TextColumn("IC 95 %"),
        "n": st.column_config.NumberColumn("n"),
    }

    def _ratings_table(rows):
        table = rows.assign(
            title=[
                title + (LOW_PARTICIPATION if low else "")
                for title, low in zip(rows["title"], rows["low_participation"], strict=True)
            ],
            interval=[
                f"[{format_number(lo, 2)} ; {format_number(hi, 2)}]"
                for lo, hi in zip(rows["low"], rows["high"], strict=True)
            ],
        )
        table["mean"] = table["mean"].round(2)
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
latest = figures.latest_quotes
if latest.empty:
    st.info("Aucune citation publiée pour cette sélection.")
else:
    with common.quote_grid("latest_quotes"):
        for quote in latest.itertuples(index=False):
            common.quote_card(
                quote.text, quote.name, f"{quote.title}, {quote.organisation}", quote.date or None
            )
