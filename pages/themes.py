"""Thèmes: what each cohort covered, what students valued and retained on each theme, and (for
the director) what to plan for the next cohort against the target mix."""

from __future__ import annotations

import streamlit as st

from insights import store
from insights.analytics import planning, themes
from insights.charts import themes as theme_charts
from insights.domain import ORG_TYPES, SHORT_QUESTION_LABELS, THEME_IDS, THEME_LABELS, THEMES
from insights.formatting import escape_markdown, format_date, format_number, plural
from pages import common, report_panels

data = common.model()
filters = common.current_filters()
threshold = data.anonymity_threshold
director = common.is_director()
figures = themes.page_figures(
    common.connection(),
    data,
    filters,
    st.session_state.get("themes_measure", "interventions"),
    st.session_state.get("themes_theme"),
    director,
)
st.session_state["themes_measure"] = figures.measure
st.session_state["themes_theme"] = figures.theme

st.title("Thèmes", anchor=False)
st.caption(
    "Ce que chaque promotion a abordé, ce que les étudiant·es ont jugé utile et retenu sur chaque thème"
    + (", et ce qu'il reste à prévoir pour la prochaine promotion." if director else ".")
)
if director:
    report_panels.cohort_report_panel(data, filters, "themes_report")

tab_names = ["Couverture", "Utilité et fondamentaux", "Un thème"]
if director:
    tab_names.append("Planifier la prochaine promotion")
common.unpublished_note(figures.unpublished)
tabs = st.tabs(tab_names)

UNITS = {
    "interventions": ("intervention", "interventions"),
    "quotes": ("citation", "citations"),
    "takeaways": ("conseil retenu", "conseils retenus"),
}
NO_SELECTION = (
    "Aucune intervention ne correspond aux filtres choisis. Élargissez la sélection dans le panneau latéral."
)

# --- coverage -------------------------------------------------------------------------------------
with tabs[0]:
    measure = st.radio(
        "Compter",
        list(themes.MEASURES),
        format_func=themes.MEASURES.get,
        horizontal=True,
        key="themes_measure",
        help=(
            "Interventions : les thèmes annoncés de chaque intervention. Citations : les citations publiées, "
            "avec leurs thèmes. Conseils retenus : les réponses « Le conseil que je retiens », classées par "
            "thème d'après leurs mots."
        ),
    )
    if not figures.interventions:
        st.info(NO_SELECTION)
    else:
        by_cohort, by_org_type = figures.by_cohort, figures.by_org_type
        hidden_under = threshold if measure == "takeaways" else None
        unit = UNITS[measure]
        phone = common.narrow_layout()

        st.subheader(f"{themes.MEASURES[measure]} par thème et par promotion", anchor=False)
        common.chart(
            theme_charts.coverage_heatmap(
                by_cohort, unit=unit, x_title="Promotion", threshold=hidden_under, narrow=phone
            ),
            width="stretch",
            key="themes_by_cohort",
        )
        missed = [THEME_LABELS[t] for t in figures.missed]
        if missed:
            st.warning(
                f"Thèmes non abordés dans la sélection : {', '.join(missed)}.", icon=":material/warning:"
            )
        st.subheader(f"{themes.MEASURES[measure]} par thème et par type d'organisation", anchor=False)
        common.chart(
            theme_charts.coverage_heatmap(
                by_org_type,
                unit=unit,
                x_title="Type d'organisation de l'intervenant·e",
                threshold=hidden_under,
                narrow=phone,
            ),
            width="stretch",
            key="themes_by_org_type",
        )
        notes = {
            "interventions": "Une intervention compte pour chacun des thèmes qu'elle a couverts, et pour le type "
            "d'organisation de chacun·e de ses intervenant·es.",
            "quotes": "Citations publiées des interventions sélectionnées, par thème donné à la main ; le type "
            "d'organisation est celui de la personne citée.",
            "takeaways": "Réponses à « Le conseil que je retiens », classées par thème d'après leur vocabulaire "
            f"(une réponse peut en toucher plusieurs). Les cases de moins de {threshold} réponses ne sont pas "
            "affichées.",
        }
        st.caption(
            f"{plural(figures.interventions, 'intervention sélectionnée', 'interventions sélectionnées')}. {notes[measure]}"
        )

# --- what students valued -------------------------------------------------------------------------
with tabs[1]:
    if not figures.interventions:
        st.info(NO_SELECTION)
    else:
        survey, retention = figures.survey, figures.retention
        usefulness = survey[survey["question_id"] == "usefulness"].sort_values(
            "mean", ascending=False, na_position="last"
        )
        st.subheader("Utilité perçue des interventions, par thème", anchor=False)
        common.chart(
            theme_charts.estimates_figure(
                [THEME_LABELS[t] for t in usefulness["theme"]],
                usefulness[["n", "mean", "low", "high"]],
                x_title="« Cette intervention me sera utile » (moyenne de 1 à 5)",
                threshold=threshold,
            ),
            width="stretch",
            key="themes_usefulness",
        )
        st.caption("Points : moyenne ; barres : intervalle de confiance à 95 % ; n : nombre de réponses.")
        st.subheader("Les quatre fondamentaux et les conseils retenus", anchor=False)
        st.dataframe(
            themes.survey_table(survey, retention, threshold),
            hide_index=True,
            width="stretch",
            key="themes_survey_table",
        )
        st.caption(
            "Moyennes de 1 à 5 ± la demi-largeur de l'intervalle de confiance à 95 %, sur les réponses aux "
            "interventions qui ont couvert le thème. « Conseils sur le thème » : part des conseils retenus à ces "
            "interventions que leur vocabulaire rattache au thème. "
            f"Rien n'est affiché sous {threshold} réponses."
        )

# --- one theme ------------------------------------------------------------------------------------
with tabs[2]:
    theme = st.selectbox("Thème", list(THEME_IDS), format_func=THEME_LABELS.get, key="themes_theme")
    st.caption(next(t.description for t in THEMES if t.id == theme).capitalize() + ".")
    talks, quotes, retained = figures.talks, figures.quotes, figures.takeaways
    speaker_count = figures.speaker_count
    cards = common.metric_row()
    cards.metric("Interventions", format_number(len(talks), 0), border=True)
    cards.metric("Intervenant·es", format_number(speaker_count, 0), border=True)
    cards.metric("Citations publiées", format_number(figures.quote_count, 0), border=True)
    cards.metric(
        "Réponses",
        format_number(int(talks["responses"].sum()), 0)
        if talks.empty or talks["results_shown"].any()
        else common.UNPUBLISHED,
        border=True,
    )

    if talks.empty:
        st.info("Aucune intervention de la sélection n'a couvert ce thème.")
    else:
        left, right = common.reflowing_columns("theme_detail", (3, 2))
        with left:
            st.subheader("Ce que les étudiant·es en ont pensé", anchor=False)
            results = figures.theme_survey
            common.chart(
                theme_charts.estimates_figure(
                    [SHORT_QUESTION_LABELS[q] for q in results["question_id"]],
                    results[["n", "mean", "low", "high"]],
                    x_title="Moyenne de 1 (pas du tout d'accord)<br>à 5 (tout à fait d'accord)",
                    threshold=threshold,
                ),
                width="stretch",
                key="themes_theme_scores",
            )
            st.caption(
                "Utilité : « Cette intervention me sera utile dans mon futur métier » ; les quatre fondamentaux : "
                "« Elle m'a aidé·e à me positionner sur… ». Barres : intervalle de confiance à 95 %."
            )
        with right:
            st.subheader("Ce qu'ils et elles en ont retenu", anchor=False)
            if retained.shown:
                st.markdown(
                    f"**{format_number(retained.tagged, 0)}** des {plural(retained.answers, 'conseil retenu', 'conseils retenus')} "
                    "de la sélection portent sur ce thème, d'après leur vocabulaire. Quelques-uns :"
                )
                for example in retained.examples:
                    st.markdown(f"> {escape_markdown(example)}")
            else:
                st.markdown(
                    f"Moins de {threshold} conseils retenus portent sur ce thème : "
                    "aucun n'est affiché, pour préserver l'anonymat des réponses."
                )

        st.subheader("Les interventions", anchor=False)
        talk_table = talks.assign(
            date=talks["date"].map(format_date),
            usefulness=[
                themes.format_mean_n(mean, n, threshold) if shown else common.UNPUBLISHED
                for mean, n, shown in zip(
                    talks["usefulness"], talks["usefulness_n"], talks["results_shown"], strict=True
                )
            ],
        )
        st.dataframe(
            talk_table[["date", "cohort", "title", "speakers", "responses", "usefulness"]],
            column_config={
                "date": st.column_config.TextColumn("Date"),
                "cohort": st.column_config.TextColumn("Promotion"),
                "title": st.column_config.TextColumn("Intervention", width="medium"),
                "speakers": st.column_config.TextColumn("Intervenant·es"),
                "responses": st.column_config.NumberColumn("Réponses"),
                "usefulness": st.column_config.TextColumn(
                    "Utilité",
                    help="Moyenne de 1 à 5 à « Cette intervention me sera utile dans mon futur métier ».",
                ),
            },
            hide_index=True,
            width="stretch",
            key="themes_talks",
        )

    st.subheader("Les citations", anchor=False)
    if quotes.empty:
        st.info("Aucune citation publiée sur ce thème pour cette sélection.")
    else:
        shown = quotes.head(6)
        with common.quote_grid("theme_quotes"):
            for quote in shown.itertuples(index=False):
                common.quote_card(
                    quote.text, quote.name, f"{quote.title}, {quote.organisation}", quote.date or None
                )
        if figures.quote_count > len(shown):
            listed = (
                f"Les {format_number(figures.quote_count, 0)} citations du thème"
                if figures.quote_count <= len(quotes)
                else f"Les {format_number(len(quotes), 0)} plus récentes des "
                f"{format_number(figures.quote_count, 0)} citations du thème"
            )
            with st.expander(listed):
                st.dataframe(
                    quotes[["text", "name", "organisation", "cohort"]],
                    column_config={
                        "text": st.column_config.TextColumn("Citation", width="large"),
                        "name": st.column_config.TextColumn("Intervenant·e"),
                        "organisation": st.column_config.TextColumn("Organisation"),
                        "cohort": st.column_config.TextColumn("Promotion"),
                    },
                    hide_index=True,
                    width="stretch",
                )

# --- planning (director) --------------------------------------------------------------------------
if director:
    with tabs[3]:
        conn = common.connection()

        def _target_key(kind: str, index: int) -> str:
            return f"target_{kind}_{index}"

        @common.guarded
        def _save_targets() -> None:
            values = [
                (planning.THEME_KIND, theme_id, int(st.session_state[_target_key("theme", i)]))
                for i, theme_id in enumerate(THEME_IDS)
            ] + [
                (planning.ORG_TYPE_KIND, org_type, int(st.session_state[_target_key("org", i)]))
                for i, org_type in enumerate(ORG_TYPES)
            ]
            store.write_planning_targets(common.connection(), values)
            st.session_state["planning_saved"] = True

        @common.guarded
        def _reset_targets() -> None:
            store.clear_planning_targets(common.connection())
            for i in range(len(THEME_IDS)):
                st.session_state.pop(_target_key("theme", i), None)
            for i in range(len(ORG_TYPES)):
                st.session_state.pop(_target_key("org", i), None)
            st.session_state["planning_saved"] = True

        targets = planning.targets_from_store(store.load_planning_targets(conn))
        with_talks = sorted(set(data.interventions["cohort"]))
        if not with_talks:
            st.info(
                "Aucune intervention enregistrée : importez d'abord les interventions des promotions passées."
            )
            common.stop_page()
        window = st.slider(
            "Promotions récentes prises en compte",
            min_value=1,
            max_value=len(with_talks),
            value=min(3, len(with_talks)),
            key="planning_window",
            help="Les moyennes portent sur ces promotions, indépendamment des filtres du panneau latéral.",
        )
        plan = planning.page_figures(data.cube, targets, window, threshold)
        recent, actions = plan.cohorts, plan.actions
        if st.session_state.pop("planning_saved", False):
            st.toast("Objectifs enregistrés.", icon=":material/check:")

        st.subheader("À prévoir", anchor=False)
        if not actions:
            st.success(
                f"Sur {planning.cohort_span(recent)}, chaque thème et chaque type d'organisation a atteint son objectif.",
                icon=":material/check_circle:",
            )
        for action in actions:
            with st.container(border=True, key=f"planning_action_{action.kind}_{action.key}"):
                kind_label = "Thème" if action.kind == planning.THEME_KIND else "Type d'organisation"
                st.markdown(f"**{escape_markdown(action.label)}** · {kind_label}")
                st.markdown(escape_markdown(planning.action_summary(action, recent)))
                if action.speakers.empty:
                    st.markdown(
                        "Personne dans la base n'a couvert ce point de façon jugée utile "
                        f"(au moins {format_number(planning.MIN_USEFULNESS, 1)} /5 sur {threshold} réponses ou plus) : "
                        "un·e nouvel·le intervenant·e est à trouver."
                    )
                else:
                    lines = "\n".join(
                        f"- {escape_markdown(planning.speaker_line(row))}"
                        for _, row in action.speakers.iterrows()
                    )
                    st.markdown(f"À réinviter en priorité :\n{lines}")

        table = plan.representation
        left, right = common.reflowing_columns("themes_representation")
        with left:
            st.markdown("**Thèmes**")
            common.chart(
                theme_charts.representation_figure(table[table["kind"] == planning.THEME_KIND]),
                width="stretch",
                key="planning_themes",
            )
        with right:
            st.markdown("**Types d'organisation**")
            common.chart(
                theme_charts.representation_figure(table[table["kind"] == planning.ORG_TYPE_KIND]),
                width="stretch",
                key="planning_org_types",
            )
        st.caption(
            f"Barres : interventions par promotion en moyenne sur {planning.cohort_span(recent)} (en orange sous "
            "l'objectif) ; traits noirs : objectif par promotion."
        )

        st.subheader("Objectifs par promotion", anchor=False)
        with st.form("planning_targets_form", border=True):
            st.caption(
                "Nombre d'interventions souhaité dans chaque promotion, par thème et par type d'organisation. "
                "Les objectifs sont enregistrés et valent pour les années suivantes."
            )
            st.markdown("**Thèmes**")
            theme_columns = st.columns(5)
            for i, theme_id in enumerate(THEME_IDS):
                theme_columns[i % 5].number_input(
                    THEME_LABELS[theme_id],
                    min_value=0,
                    max_value=20,
                    step=1,
                    value=int(targets.themes[theme_id]),
                    key=_target_key("theme", i),
                )
            st.markdown("**Types d'organisation**")
            org_columns = st.columns(4)
            for i, org_type in enumerate(ORG_TYPES):
                org_columns[i % 4].number_input(
                    org_type[:1].upper() + org_type[1:],
                    min_value=0,
                    max_value=20,
                    step=1,
                    value=int(targets.org_types[org_type]),
                    key=_target_key("org", i),
                )
            st.form_submit_button("Enregistrer les objectifs", type="primary", on_click=_save_targets)
        st.button("Revenir aux objectifs par défaut", on_click=_reset_targets, key="planning_reset")
