"""Qui réinviter ? (director only): the speakers of the selected talks ranked by "réinviter" NPS
and usefulness, with n, flagged where the answers are too few to conclude."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from insights.analytics import speakers
from insights.charts import speakers as speaker_charts
from insights.formatting import format_date, format_number, plural
from pages import common

common.require_director()

data = common.model()
filters = common.current_filters()
threshold = data.anonymity_threshold

st.title("Qui réinviter ?", anchor=False)
st.caption(
    "Les intervenant·es des interventions retenues par les filtres, classé·es par NPS « réinviter » "
    "(% de 9–10 moins % de 0–6 à « Recommanderiez-vous de réinviter cet·te intervenant·e ? »), puis par "
    f"utilité perçue pour le futur métier. Sous {threshold} réponses, les chiffres sont masqués et la ligne "
    "est signalée « à confirmer »."
)

figures = speakers.reinvite_figures(data, filters)
ranking = figures.ranking
if ranking.empty:
    st.info(
        "Aucune intervention ne correspond aux filtres choisis. Élargissez la sélection dans le panneau latéral."
    )
    common.stop_page()

programme_usefulness = figures.programme_usefulness
flagged = int(ranking["below_threshold"].sum())
headline = common.metric_row()
headline.metric("Intervenant·es classé·es", format_number(len(ranking) - flagged, 0), border=True)
headline.metric(
    "À confirmer",
    format_number(flagged, 0),
    border=True,
    help=f"Moins de {threshold} réponses au NPS ou à l'utilité : pas assez pour conclure.",
)
headline.metric(
    "Utilité moyenne (formation)",
    f"{format_number(programme_usefulness.mean, 2)} /5",
    border=True,
    help=f"Toutes interventions confondues (n = {programme_usefulness.n}).",
)

common.chart(
    speaker_charts.reinvite_figure(
        ranking, programme_usefulness.mean, threshold, narrow=common.narrow_layout()
    ),
    width="stretch",
    key="reinvite_chart",
)
st.caption(
    "Dans l'ordre du classement. Barres : NPS « réinviter » ; points : utilité moyenne avec l'intervalle de "
    "confiance à 95 %, la ligne pointillée marquant la moyenne de toutes les interventions. Survolez pour voir n."
)

table = pd.DataFrame(
    {
        "rank": [None if hidden else index + 1 for index, hidden in enumerate(ranking["below_threshold"])],
        "name": ranking["name"],
        "organisation": ranking["organisation"],
        "talks": ranking["talks"],
        "last_talk": [format_date(d) for d in ranking["last_talk"]],
        "nps": ranking["nps"].round(0),
        "nps_n": ranking["nps_n"],
        "usefulness": [format_number(v, 2) if not math.isnan(v) else "" for v in ranking["usefulness"]],
        "interval": [
            "" if math.isnan(low) else f"[{format_number(low, 2)} ; {format_number(high, 2)}]"
            for low, high in zip(ranking["usefulness_low"], ranking["usefulness_high"], strict=True)
        ],
        "usefulness_n": ranking["usefulness_n"],
        "flag": [
            f"à confirmer : moins de {threshold} réponses" if hidden else ""
            for hidden in ranking["below_threshold"]
        ],
        "profile": [f"speakers?intervenant={speaker_id}" for speaker_id in ranking["speaker_id"]],
    }
)
st.dataframe(
    table,
    column_config={
        "rank": st.column_config.NumberColumn("Rang", width="small"),
        "name": st.column_config.TextColumn("Intervenant·e"),
        "organisation": st.column_config.TextColumn("Organisation"),
        "talks": st.column_config.NumberColumn(
            "Interv.", width="small", help="Interventions de la sélection"
        ),
        "last_talk": st.column_config.TextColumn("Dernière venue"),
        "nps": st.column_config.NumberColumn("NPS", format="%+d", width="small", help="De −100 à +100."),
        "nps_n": st.column_config.NumberColumn("n NPS", width="small"),
        "usefulness": st.column_config.TextColumn("Utilité /5", width="small"),
        "interval": st.column_config.TextColumn("IC 95 %"),
        "usefulness_n": st.column_config.NumberColumn("n utilité", width="small"),
        "flag": st.column_config.TextColumn("Remarque"),
        "profile": st.column_config.LinkColumn("Profil", display_text="Voir le profil", width="small"),
    },
    hide_index=True,
    width="stretch",
)
st.caption(
    f"{plural(len(ranking), 'intervenant·e', 'intervenant·es')} selon les filtres. Le NPS et l'utilité portent sur "
    "toutes leurs interventions de la sélection."
)
