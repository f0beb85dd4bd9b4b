"""Enquêtes: how each talk went, for whom, compared with what. The selection's answers question
by question, talk by talk and speaker by speaker, over time, and what students wrote.

Every figure comes from one call, `insights.analytics.survey_page.page_figures` (what the
benchmark times), given the filters and this page's widgets; the page lays the results out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from insights.analytics import survey, survey_exports, survey_page
from insights.analytics.stats import nps_interval
from insights.charts import survey as survey_charts
from insights.charts import survey_trends
from insights.domain import REVIEW_LABELS
from insights.formatting import (
    escape_markdown,
    format_date,
    format_number,
    format_percent,
    format_signed,
    plural,
)
from pages import common, report_panels

data = common.model()
cube = data.cube
filters = common.current_filters()
threshold = data.anonymity_threshold
mask = data.mask(filters)
HIDDEN = f"moins de {threshold} réponses"
# The page's own widgets, by PageChoices field.
WIDGETS = {
    "question_id": "survey_question",
    "ranking": "survey_ranking",
    "nps_question_id": "survey_nps_question",
    "nps_ranking": "survey_nps_ranking",
    "target_kind": "survey_target_kind",
    "target_talk": "survey_target_talk",
    "target_speaker": "survey_target_speaker",
    "choice_question_id": "survey_choice_question",
    "trend_question_id": "survey_trend_question",
    "text_question_id": "survey_text_question",
    "comment_talks": "survey_comment_talks",
    "term": "survey_term",
    "query": "survey_comment_query",
}
TALK_CHARTS = ("survey_talks", "survey_nps_talks", "survey_rates")


def apply_chart_selections() -> None:
    """A new selection of bars or points in a talk chart narrows the comments to those talks.

    Read before the figures are computed, so that this run's comments already follow it.
    """
    for key in TALK_CHARTS:
        state = st.session_state.get(key)
        points = state.selection.points if state and state.get("selection") else []
        talks = survey_page.talks_from_selection(points)
        memory = f"_survey_selected_{key}"
        if st.session_state.get(memory) != talks:
            st.session_state[memory] = talks
            st.session_state[WIDGETS["comment_talks"]] = talks


def page_choices() -> survey_page.PageChoices:
    """The widgets' values as the last run left them."""
    values = {field: st.session_state[key] for field, key in WIDGETS.items() if key in st.session_state}
    if "comment_talks" in values:
        values["comment_talks"] = tuple(values["comment_talks"])
    values["query"] = values.get("query") or ""
    return survey_page.PageChoices(**{k: v for k, v in values.items() if v is not None})


def keep_choices(choices: survey_page.PageChoices) -> None:
    """Show the choices the figures were computed with (a choice no longer offered falls back)."""
    for field, key in WIDGETS.items():
        value = getattr(choices, field)
        if field == "comment_talks":
            value = list(value)
        if field != "query" and st.session_state.get(key) != value:
            st.session_state[key] = value


apply_chart_selections()
director = common.is_director()
figures = survey_page.page_figures(common.connection(), data, filters, page_choices(), director)
choices = figures.choices
keep_choices(choices)

st.title("Enquêtes", anchor=False)
st.caption(
    "Les réponses des étudiant·es aux questionnaires de fin d'intervention, pour les interventions "
    f"choisies dans le panneau latéral. Toute figure reposant sur moins de {threshold} réponses est masquée."
)
if director:
    report_panels.cohort_report_panel(data, filters, "survey_report")

if not mask.any():
    st.info(
        "Aucune intervention ne correspond aux filtres choisis. Élargissez la sélection dans le panneau latéral."
    )
    common.stop_page()
if figures.unpublished == int(mask.sum()):
    st.info(
        "Les résultats de ces interventions ne sont pas encore publiés : ils apparaîtront ici une fois "
        "relus et publiés par la formation.",
        icon=":material/schedule:",
    )
    common.stop_page()
common.unpublished_note(figures.unpublished)


def download(frame: pd.DataFrame, name: str, filename: str) -> None:
    """The figures behind a chart as a CSV file (suppressed figures replaced by a notice), made
    when the button is clicked rather than on every run."""
    st.download_button(
        "Télécharger les données (CSV)",
        lambda: survey_exports.csv_bytes(
            survey_exports.export_table(frame, survey_exports.EXPORTS[name], threshold)
        ),
        file_name=filename,
        mime="text/csv",
        icon=":material/download:",
        key=f"download_{name}",
        on_click="ignore",
    )


def hidden_note(frame: pd.DataFrame, what: str) -> None:
    """Say how many rows a chart leaves out for anonymity."""
    count = int(frame["suppressed"].sum()) if "suppressed" in frame.columns else 0
    if count:
        verb = "n'apparaît pas" if count == 1 else "n'apparaissent pas"
        st.caption(f"{plural(count, what)} avec {HIDDEN} {verb} (anonymat).")


def ranking_control(where, key: str, top: str, bottom: str) -> str:
    """A long ranking's choice of rows: the first 15, the last 15, or all ("top", "bottom", "all")."""
    labels = {"top": top, "bottom": bottom, "all": "Toutes"}
    return where.segmented_control("Afficher", list(labels), format_func=labels.get, key=key) or "top"


# --- headline ------------------------------------------------------------------------------------

summary = figures.summary
headline = common.metric_row()
headline.metric("Interventions", format_number(summary.interventions, 0), border=True)
headline.metric(
    "Réponses", HIDDEN if summary.suppressed else format_number(summary.responses, 0), border=True
)
headline.metric(
    "Taux de réponse",
    HIDDEN if summary.suppressed else format_percent(summary.response_rate),
    help="Réponses reçues / (effectif de la promotion × interventions).",
    border=True,
)
satisfaction, recommend = summary.satisfaction, summary.recommend
headline.metric(
    "Satisfaction moyenne",
    "–"
    if satisfaction is None
    else HIDDEN
    if satisfaction.n == 0
    else f"{format_number(satisfaction.mean, 2)} /5",
    help="Moyenne de la première question du questionnaire (1 = pas du tout d'accord, 5 = tout à fait d'accord).",
    border=True,
)
details = []
if satisfaction is not None and satisfaction.n:
    details.append(
        f"satisfaction : IC 95 % [{format_number(satisfaction.low, 2)} ; {format_number(satisfaction.high, 2)}], "
        f"n = {format_number(satisfaction.n, 0)}"
    )
if recommend is not None and recommend.n:
    low, high = nps_interval(recommend)
    details.append(
        f"réinviter (NPS) : {format_signed(recommend.score, 0)} [{format_signed(low, 0)} ; {format_signed(high, 0)}], "
        f"n = {format_number(recommend.n, 0)}"
    )
if details:
    line = " · ".join(details)
    st.caption(line[0].upper() + line[1:])

if summary.suppressed:
    st.warning(
        f"Cette sélection compte {HIDDEN} : aucune figure n'est affichée, pour préserver l'anonymat "
        "des étudiant·es. Élargissez la sélection dans le panneau latéral.",
        icon=":material/visibility_off:",
    )
    common.stop_page()

likert_ids = cube.question_ids("likert5")
phone = common.narrow_layout()
touch = common.on_a_touch_screen()


def to_read_the_comments(on_a_computer: str) -> str:
    """How to reach a talk's comments from a chart: `on_a_computer` (a click), or on a touch
    screen, whose charts are not selectable (`common.chart`), the filter at the page's foot."""
    if touch:
        return "Pour lire les commentaires d'une intervention, choisissez-la dans « Interventions », en bas de page."
    return on_a_computer


# --- question by question ------------------------------------------------------------------------

if likert_ids:
    st.subheader("Réponses par question", anchor=False)
    distribution = figures.distribution
    if distribution["suppressed"].all():
        st.info(f"Chaque question a {HIDDEN} dans cette sélection.")
    else:
        common.chart(
            survey_charts.likert_bars(distribution, narrow=phone), width="stretch", key="survey_distribution"
        )
        st.caption(
            "Désaccord à gauche, accord à droite, réponses neutres centrées sur zéro. "
            f"{'Au-dessus' if phone else 'À droite'} de chaque barre : "
            "la moyenne (1 à 5), son intervalle de confiance à 95 % et le nombre de réponses n."
        )
        hidden_note(distribution, "question")
    download(distribution, "distribution", "reponses_par_question.csv")

    st.subheader("Comparer les interventions", anchor=False)
    left, right = common.reflowing_columns("survey_compare_choice", (3, 2), "14rem", gap="small")
    question = left.selectbox(
        "Question",
        likert_ids,
        format_func=cube.long_label,
        key="survey_question",
    )
    talks = figures.talks
    shown_count = int((~talks["suppressed"]).sum())
    ranking = "all"
    if shown_count > 20:
        ranking = ranking_control(right, "survey_ranking", "15 mieux notées", "15 moins bien notées")
    if shown_count == 0:
        st.info(f"Chaque intervention de la sélection a {HIDDEN} à cette question.")
    else:
        common.chart(
            survey_charts.likert_bars(
                survey_page.limit_rows(talks, ranking), id_column="intervention_id", narrow=phone
            ),
            width="stretch",
            key="survey_talks",
            on_select="rerun",
            selection_mode=("points", "box"),
        )
        st.caption(
            "Classées par moyenne. "
            + to_read_the_comments(
                "Cliquez sur une barre (ou encadrez-en plusieurs) pour lire les commentaires "
                "de ces interventions, en bas de page."
            )
        )
    hidden_note(talks, "intervention")
    download(talks, "talks", f"interventions_{question}.csv")

# --- invite again? ---------------------------------------------------------------------------------

nps_ids = cube.question_ids("nps")
if nps_ids:
    st.subheader("Réinviter ?", anchor=False)
    nps_question = choices.nps_question_id
    if len(nps_ids) > 1:
        nps_question = st.selectbox(
            "Question", nps_ids, format_func=cube.long_label, key="survey_nps_question"
        )
    st.caption(
        f"« {escape_markdown(cube.long_label(nps_question))} » (0 à 10) : promoteurs 9–10, passifs 7–8, "
        "détracteurs 0–6 ; NPS = % de promoteurs − % de détracteurs (−100 à +100), avec son intervalle à 95 %."
    )
    by_speaker, by_talk = st.tabs(["Par intervenant·e", "Par intervention"])
    with by_speaker:
        speakers_nps = figures.nps_speakers
        if (~speakers_nps["suppressed"]).any():
            common.chart(
                survey_charts.nps_bars(speakers_nps, narrow=phone), width="stretch", key="survey_nps_speakers"
            )
        else:
            st.info(f"Chaque intervenant·e de la sélection a {HIDDEN}.")
        hidden_note(speakers_nps, "intervenant·e")
        download(speakers_nps, "nps_speakers", "reinviter_par_intervenant.csv")
    with by_talk:
        talks_nps = figures.nps_talks
        if (~talks_nps["suppressed"]).any():
            ranking_nps = "all"
            if int((~talks_nps["suppressed"]).sum()) > 20:
                ranking_nps = ranking_control(st, "survey_nps_ranking", "15 premières", "15 dernières")
            common.chart(
                survey_charts.nps_bars(
                    survey_page.limit_rows(talks_nps, ranking_nps), id_column="intervention_id", narrow=phone
                ),
                width="stretch",
                key="survey_nps_talks",
                on_select="rerun",
                selection_mode=("points", "box"),
            )
        else:
            st.info(f"Chaque intervention de la sélection a {HIDDEN}.")
        hidden_note(talks_nps, "intervention")
        download(talks_nps, "nps_talks", "reinviter_par_intervention.csv")

# --- one talk or speaker, closely ----------------------------------------------------------------

st.subheader("Une intervention ou un·e intervenant·e à la loupe", anchor=False)
eligible = figures.target_talks
if eligible.empty:
    st.info(f"Chaque intervention de la sélection a {HIDDEN}.")
else:
    # The choice keeps its two labels whole; the list takes the rest of the row when a talk's title
    # fits there (31rem), and goes under it otherwise.
    st.html("<style>.st-key-survey_target_talk { min-width: min(100%, 31rem) !important; }</style>")
    target_row = st.container(horizontal=True)
    kind = target_row.segmented_control(
        "Étudier", ["talk", "speaker"], format_func={"talk": "une intervention", "speaker": "un·e intervenant·e"}.get,
        key="survey_target_kind",
    )  # fmt: skip
    if kind == "speaker":
        names = dict(zip(figures.target_speakers["speaker_id"], figures.target_speakers["name"], strict=True))
        speaker = target_row.selectbox(
            "Intervenant·e", list(names), format_func=lambda s: names.get(s, s), key="survey_target_speaker"
        )
        target_label = names.get(speaker, speaker)
    else:
        labels = {
            row.intervention_id: f"{row.title} — {format_date(row.date)} ({row.cohort})"
            for row in eligible.itertuples(index=False)
        }
        target_row.selectbox("Intervention", list(labels), format_func=labels.get, key="survey_target_talk")
        target_label = "Cette intervention"
    pillar_column, comparison_column = common.reflowing_columns("survey_pillars")
    with pillar_column:
        st.markdown("**Les quatre fondamentaux**")
        if cube.pillar_ids():
            profile = figures.pillars
            common.chart(
                survey_charts.pillar_figure(profile, target_label), width="stretch", key="survey_pillars"
            )
            st.caption(
                "« Elle m'a aidé·e à me positionner sur… » : moyenne de 1 (pas du tout d'accord) à 5 (tout à "
                "fait d'accord) et intervalle à 95 %, face à la moyenne de tout le programme."
            )
            hidden_note(profile, "fondamental")
            download(profile, "pillars", "fondamentaux.csv")
        else:
            st.info("Le questionnaire de ces données ne comporte pas les questions des quatre fondamentaux.")
    with comparison_column:
        st.markdown("**Écart avec le reste du programme et avec les interventions du même format**")
        comparison = figures.comparison
        if comparison.empty or comparison["suppressed"].all():
            st.info(f"Comparaison impossible : {HIDDEN} d'un côté ou de l'autre.")
        else:
            common.chart(
                survey_charts.comparison_figure(comparison), width="stretch", key="survey_comparison"
            )
            st.caption(
                "Point : différence de moyenne (à droite de zéro : mieux notée que la référence) ; trait : "
                "intervalle de confiance à 95 % (Welch). Un trait qui coupe zéro : pas de différence démontrée."
            )
        download(comparison, "comparison", "comparaison.csv")

# --- the most useful part ------------------------------------------------------------------------

choice_ids = cube.question_ids("choice")
if choice_ids:
    st.subheader("La partie la plus utile, par format", anchor=False)
    choice_question = choices.choice_question_id
    if len(choice_ids) > 1:
        choice_question = st.selectbox(
            "Question", choice_ids, format_func=cube.long_label, key="survey_choice_question"
        )
    shares = figures.choice_shares
    if (~shares["suppressed"]).any():
        common.chart(survey_charts.choice_bars(shares), width="stretch", key="survey_choices")
        st.caption(
            f"« {escape_markdown(cube.long_label(choice_question))} » : part de chaque réponse, par format."
        )
    else:
        st.info(f"Chaque format a {HIDDEN} dans cette sélection.")
    hidden_note(shares[~shares.duplicated("format")], "format")
    download(shares, "choice_shares", "partie_la_plus_utile.csv")

# --- over time -----------------------------------------------------------------------------------

if likert_ids:
    st.subheader("Évolution par promotion et semestre", anchor=False)
    trends = figures.trends
    heat_column, line_column = common.reflowing_columns("survey_trends", (3, 2))
    with heat_column:
        common.chart(survey_trends.trend_heatmap(trends), width="stretch", key="survey_heatmap")
        st.caption(f"Moyenne de chaque question (1 à 5). Case vide : {HIDDEN}.")
        download(trends, "trends", "evolution.csv")
    with line_column:
        trend_question = st.selectbox(
            "Question suivie", likert_ids, format_func=cube.label, key="survey_trend_question"
        )
        common.chart(
            survey_trends.mean_trend_figure(
                survey.trend_series(trends, trend_question), y_title=f"{cube.label(trend_question)} (1 à 5)"
            ),
            width="stretch",
            key="survey_trend_line",
        )
        st.caption("Une ligne par semestre ; barres : intervalle de confiance à 95 %.")

st.markdown("**Taux de réponse de chaque intervention**")
rates = figures.response_rates
common.chart(
    survey_trends.response_rate_figure(rates),
    width="stretch",
    key="survey_rates",
    on_select="rerun",
    selection_mode=("points", "box"),
)
st.caption(
    "Réponses reçues / effectif de la promotion. "
    + to_read_the_comments("Cliquez sur un point pour lire les commentaires de l'intervention.")
)
hidden_note(rates, "intervention")
download(rates, "response_rates", "taux_de_reponse.csv")

# --- what students wrote -------------------------------------------------------------------------

text_ids = cube.question_ids("text")
if text_ids:
    st.subheader("Ce qu'en disent les étudiant·es", anchor=False)
    talk_titles = {
        row.intervention_id: f"{row.title} — {format_date(row.date)}"
        for row in eligible.itertuples(index=False)
    }
    question_column, talks_column = common.reflowing_columns(
        "survey_text_choice", (1, 2), "14rem", gap="small"
    )
    text_question = question_column.selectbox(
        "Question", text_ids, format_func=cube.long_label, key="survey_text_question"
    )
    talks_column.multiselect(
        "Interventions",
        list(talk_titles),
        format_func=talk_titles.get,
        key="survey_comment_talks",
        placeholder="Toutes celles de la sélection",
        help=None
        if touch
        else "Une barre ou un point cliqué dans un graphique par intervention choisit ces interventions.",
    )
    answered, terms = figures.text_answers, figures.terms
    if answered < threshold:
        st.info(f"Cette sélection a {HIDDEN} à cette question.")
    else:
        terms_column, trend_column = common.reflowing_columns("survey_terms")
        with terms_column:
            st.markdown(f"**Les termes les plus employés** ({plural(answered, 'réponse')})")
            if terms.empty:
                st.info(f"Aucun terme n'est employé dans au moins {threshold} réponses.")
            else:
                common.chart(survey_trends.term_bars(terms), width="stretch", key="survey_terms")
                st.caption(
                    "Part des réponses qui emploient chaque terme (mots vides retirés ; accents, pluriels et "
                    f"formes d'un même mot regroupés). Termes cités dans au moins {threshold} réponses."
                )
                download(terms, "terms", f"termes_{text_question}.csv")
        with trend_column:
            if not terms.empty:
                words = dict(zip(terms["term"], terms["word"], strict=True))
                term = st.selectbox(
                    "Évolution du terme", list(words), format_func=words.get, key="survey_term"
                )
                trend = figures.term_trend
                common.chart(
                    survey_trends.term_trend_figure(trend, words[term]),
                    width="stretch",
                    key="survey_term_trend",
                )
                hidden_note(trend, "promotion")
                download(trend, "term_trend", f"evolution_{words[term]}.csv")

    if figures.shows_comments:
        st.markdown("**Commentaires**")
        query = st.text_input(
            "Rechercher dans les commentaires",
            key="survey_comment_query",
            placeholder="ex. : exemples concrets, temps d'échange…",
            help="Trouve les commentaires qui contiennent tous les mots cherchés, sans tenir compte des accents ni des pluriels.",
        )
        shown, total = figures.comments, figures.comment_total
        if total == 0:
            st.info(
                "Aucun commentaire ne correspond."
                if query.strip()
                else "Aucun commentaire pour cette sélection."
            )
        else:
            st.caption(
                f"{plural(total, 'commentaire')}"
                + (
                    f", les {survey_page.COMMENT_LIMIT} plus récents affichés"
                    if total > survey_page.COMMENT_LIMIT
                    else ""
                )
                + f". Les interventions ayant {HIDDEN} ne montrent pas leurs commentaires."
                + ("" if director else " Seuls les commentaires relus et rendus publics sont affichés.")
            )
            table = shown.assign(
                date=[format_date(d) for d in shown["date"]],
                review=[REVIEW_LABELS.get(r, r) for r in shown["review"]],
            )
            st.dataframe(
                table[["text", "title", "date", "cohort", *(["review"] if director else [])]],
                column_config={
                    "text": st.column_config.TextColumn("Commentaire", width="large"),
                    "title": st.column_config.TextColumn("Intervention", width="medium"),
                    "date": st.column_config.TextColumn("Date"),
                    "cohort": st.column_config.TextColumn("Promotion"),
                    "review": st.column_config.TextColumn("Relecture"),
                },
                hide_index=True,
                width="stretch",
            )
    else:
        st.caption(
            ":material/lock: Les commentaires eux-mêmes ne sont pas publiés ; seuls les termes les plus "
            "fréquents des réponses relues et rendues publiques sont présentés ici."
        )
