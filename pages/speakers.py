"""Intervenants: the directory of speakers (cards, search, filters, sorting), the routes into the
job across speakers, and one speaker's profile when the URL names them (`?intervenant=sp03`)."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import streamlit as st

from insights.analytics import careers, speakers
from insights.analytics.cube import LOW_PARTICIPATION
from insights.analytics.stats import is_suppressed
from insights.charts import speakers as speaker_charts
from insights.domain import NETWORKS, ORG_TYPES, THEME_LABELS, split_list
from insights.formatting import (
    escape_markdown,
    format_date,
    format_number,
    format_percent,
    format_signed,
    plural,
    quoted,
)
from pages import common, report_panels

PROFILE_PARAM = "intervenant"
THIS_PAGE = "pages/speakers.py"
# The directory's own widgets, kept in the URL by `bind="query-params"` (the key is the parameter).
SEARCH_KEY, SECTOR_KEY, NETWORK_KEY, SORT_KEY = "recherche_annuaire", "secteur", "reseau", "classement"
QUOTE_PREVIEW = 170

data = common.model()
filters = common.current_filters()
threshold = data.anonymity_threshold
names = dict(zip(data.speakers["speaker_id"], data.speakers["name"], strict=True))
director = common.is_director()
ratings_shown = data.speaker_ratings_shown(director)


def esc(value: object) -> str:
    return escape_markdown(str(value)) if value is not None and not pd.isna(value) else ""


def _joined(*parts: object) -> str:
    """Escaped non-empty parts joined by a middle dot."""
    return " · ".join(esc(part) for part in parts if esc(part))


def _url_params(*, without: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """The current URL's query parameters (sidebar filters, directory widgets), minus `without`."""
    return {key: st.query_params.get_all(key) for key in st.query_params if key not in without}


def _preview(text: str) -> str:
    if len(text) <= QUOTE_PREVIEW:
        return text
    return text[:QUOTE_PREVIEW].rsplit(" ", 1)[0] + "…"


def _satisfaction_text(mean: float, n: int, shown: bool) -> str:
    if not shown:
        return f"satisfaction : {common.UNPUBLISHED}"
    if math.isnan(mean):
        return f"satisfaction : moins de {threshold} réponses"
    return f"satisfaction **{format_number(mean, 1)}/5** (n = {format_number(n, 0)})"


# --- the directory ----------------------------------------------------------------------------


def directory_card(row: pd.Series) -> None:
    with st.container(border=True, height="stretch", key=f"speaker_card_{row['speaker_id']}"):
        st.markdown(f"**{esc(row['name'])}**")
        st.caption(_joined(row["title"], row["organisation"]))
        st.caption(":material/apartment: " + _joined(row["org_type"], row["sector"]))
        if row["networks"]:
            st.caption(":material/share: " + " · ".join(esc(n) for n in row["networks"]))
        talks = plural(int(row["talks"]), "intervention")
        last = f" · dernière le {format_date(row['last_talk'])}" if row["last_talk"] else ""
        rating = (
            f"  \n{_satisfaction_text(row['satisfaction'], row['satisfaction_n'], row['results_shown'])}"
            if ratings_shown
            else ""
        )
        st.markdown(f"{talks}{last}{rating}")
        if isinstance(row["latest_quote"], str):
            st.markdown(f"*{quoted(esc(_preview(row['latest_quote'])))}*")
        st.page_link(
            THIS_PAGE,
            label="Voir le profil",
            icon=":material/arrow_forward:",
            query_params={**_url_params(without=(PROFILE_PARAM,)), PROFILE_PARAM: row["speaker_id"]},
        )


def directory_view() -> None:
    st.title("Intervenants", anchor=False)
    st.caption(
        "Les professionnel·les venu·es parler de leur métier : où ils et elles travaillent, comment ils et "
        "elles y sont arrivé·es. Les filtres du panneau latéral (promotion, semestre, type d'organisation, "
        "thème) retiennent les intervenant·es dont au moins une intervention correspond."
    )
    if director:
        report_panels.cohort_report_panel(data, filters, "speakers_report")
    # Options from every speaker, so that a choice survives a change of the sidebar filters.
    sectors = sorted(set(data.speakers["sector"]) - {""}, key=str.casefold)
    run_networks = {n for cell in data.speakers["networks"] for n in split_list(cell)}
    networks = [n for n in NETWORKS if n in run_networks] + sorted(run_networks - set(NETWORKS))
    search_column, sector_column, network_column, sort_column = common.reflowing_columns(
        "speakers_filters", (4, 2, 2, 3), "7rem", gap="small"
    )
    query = search_column.text_input(
        "Rechercher un nom ou une organisation",
        key=SEARCH_KEY,
        placeholder="ex. Emilie, agence Houle…",
        help="Les accents et les majuscules sont ignorés.",
        bind="query-params",
    )
    chosen_sectors = sector_column.multiselect(
        "Secteur", sectors, key=SECTOR_KEY, placeholder="Tous", bind="query-params"
    )
    chosen_networks = network_column.multiselect(
        "Réseaux animés", networks, key=NETWORK_KEY, placeholder="Tous", bind="query-params"
    )
    order = sort_column.selectbox(
        "Trier par",
        [key for key in speakers.SORT_OPTIONS if ratings_shown or key != "rating"],
        format_func=speakers.SORT_OPTIONS.get,
        key=SORT_KEY,
        bind="query-params",
    )
    shown = speakers.directory_figures(data, filters, query, chosen_sectors, chosen_networks, order, director)

    listing, routes_tab = st.tabs(["Annuaire", "Des parcours variés"])
    with listing:
        if shown.empty:
            st.info(
                "Aucun·e intervenant·e ne correspond à ces critères. Élargissez la recherche ou les filtres."
            )
        else:
            st.caption(
                f"{plural(len(shown), 'intervenant·e', 'intervenant·es')} · chiffres selon les filtres"
            )
            with common.card_grid("directory"):
                for _, row in shown.iterrows():
                    directory_card(row)
    with routes_tab:
        routes_view(shown)


def routes_view(shown: pd.DataFrame) -> None:
    """The routes into the job of the speakers the directory shows."""
    if shown.empty:
        st.info("Aucun·e intervenant·e ne correspond à ces critères.")
        return
    listed = data.speakers[data.speakers["speaker_id"].isin(shown["speaker_id"])]
    routes = careers.career_routes(listed, data.career_steps)
    share = careers.without_communication_degree(routes)
    st.subheader("Un diplôme ne fait pas tout", anchor=False)
    if share.n:
        st.metric(
            "Venu·es sans diplôme de communication",
            f"{format_number(share.without, 0)} sur {format_number(share.n, 0)}",
            delta=f"{format_percent(share.share)} des intervenant·es dont la formation est connue",
            delta_color="off",
            delta_arrow="off",
            border=True,
            help="Ni communication, ni journalisme, ni marketing, ni licence de community management : "
            "histoire, droit, commerce, informatique, autodidactes… La formation continue ne compte pas "
            "comme diplôme.",
        )
    left, right = common.reflowing_columns("speakers_routes")
    with left:
        st.markdown("**Leurs formations**")
        common.chart(
            speaker_charts.education_families_figure(careers.education_counts(routes)),
            width="stretch",
            key="speakers_education",
        )
    with right:
        st.markdown("**Années d'expérience par type d'organisation**")
        experience = careers.experience_by_org_type(listed, ORG_TYPES)
        if experience.empty:
            st.info("Les années d'expérience ne sont pas renseignées.")
        else:
            common.chart(
                speaker_charts.experience_by_org_type_figure(experience),
                width="stretch",
                key="speakers_experience",
            )
    st.subheader("De la formation au poste actuel", anchor=False)
    st.caption(
        f"Chaque flux relie une famille de formation au premier poste, puis au poste actuel "
        f"(n = {format_number(len(routes), 0)} intervenant·es). Survolez un flux pour voir combien l'ont suivi."
    )
    common.chart(
        speaker_charts.routes_sankey_figure(careers.route_flows(routes), narrow=common.narrow_layout()),
        width="stretch",
        key="speakers_routes",
    )
    with st.expander("Le détail des parcours"):
        st.dataframe(
            routes[
                [
                    "name",
                    "education",
                    "education_family",
                    "communication_degree",
                    "first_role",
                    "current_role",
                    "org_type",
                    "years_experience",
                ]
            ],
            column_config={
                "name": st.column_config.TextColumn("Intervenant·e"),
                "education": st.column_config.TextColumn("Formation", width="large"),
                "education_family": st.column_config.TextColumn("Famille de formation"),
                "communication_degree": st.column_config.CheckboxColumn("Diplôme de communication"),
                "first_role": st.column_config.TextColumn("Premier poste"),
                "current_role": st.column_config.TextColumn("Poste actuel"),
                "org_type": st.column_config.TextColumn("Type d'organisation"),
                "years_experience": st.column_config.NumberColumn("Expérience (ans)"),
            },
            hide_index=True,
            width="stretch",
        )


# --- a profile --------------------------------------------------------------------------------


def _close_profile() -> None:
    if PROFILE_PARAM in st.query_params:
        del st.query_params[PROFILE_PARAM]


def profile_view(speaker: pd.Series) -> None:
    speaker_id = speaker["speaker_id"]
    # Written again so that the browser's address keeps it: the directory's widgets bound to the
    # URL are not drawn here, and dropping their parameters could drop this one, closing the
    # profile at the next interaction (the speaker panel's buttons).
    st.query_params[PROFILE_PARAM] = speaker_id
    st.button(
        "Retour à l'annuaire",
        icon=":material/arrow_back:",
        type="tertiary",
        on_click=_close_profile,
        key="profile_back",
    )
    st.title(esc(speaker["name"]), anchor=False)
    headline = [f"**{esc(speaker['title'])}**"] if esc(speaker["title"]) else []
    if esc(speaker["organisation"]):
        headline.append(esc(speaker["organisation"]))
    st.markdown(" · ".join(headline))

    profile = speakers.profile_figures(common.connection(), data, speaker_id, director)
    talks, satisfaction, recommend = profile.talks, profile.satisfaction, profile.recommend
    any_shown = bool(talks["results_shown"].any())

    def figure_text(n: int, text: str) -> str:
        if not any_shown:
            return common.UNPUBLISHED
        return f"moins de {threshold} réponses" if is_suppressed(n, threshold) else text

    cards = common.metric_row()
    cards.metric("Interventions", format_number(len(talks), 0), border=True)
    cards.metric(
        "Réponses au questionnaire",
        format_number(int(talks["responses"].sum()), 0) if any_shown else common.UNPUBLISHED,
        border=True,
        help="Réponses des étudiant·es à l'issue de ses interventions, toutes promotions confondues.",
    )
    if profile.ratings_shown:
        cards.metric(
            "Satisfaction",
            figure_text(satisfaction.n, f"{format_number(satisfaction.mean, 2)} /5"),
            border=True,
            help=f"Moyenne de « Globalement, je suis satisfait·e » sur toutes ses interventions (n = {satisfaction.n}).",
        )
        cards.metric(
            "Réinviter (NPS)",
            figure_text(recommend.n, format_signed(recommend.score, 0)),
            border=True,
            help="% de 9–10 moins % de 0–6 à « Recommanderiez-vous de réinviter cet·te intervenant·e ? » "
            f"(n = {recommend.n}).",
        )

    st.caption(
        "Toutes ses interventions, toutes promotions confondues : les filtres du panneau latéral "
        f"ne s'appliquent pas au profil. Les chiffres reposant sur moins de {threshold} réponses sont masqués."
    )
    common.unpublished_note(profile.unpublished, of_selection=False)

    about, details_column = common.reflowing_columns("speaker_about", (3, 2), "16rem")
    with about:
        if speaker["bio"]:
            st.markdown(esc(speaker["bio"]))
    with details_column:
        details = [
            f"**Organisation** : {_joined(speaker['org_type'], speaker['sector'])}",
            f"**Formation** : {esc(speaker['education']) or 'non renseignée'}",
        ]
        if not pd.isna(speaker["years_experience"]):
            details.append(f"**Expérience** : {plural(int(speaker['years_experience']), 'an')}")
        networks = split_list(speaker["networks"])
        if networks:
            details.append("**Réseaux animés** : " + " · ".join(esc(n) for n in networks))
        st.markdown("  \n".join(details))

    st.subheader("Parcours", anchor=False)
    steps = data.career_steps[data.career_steps["speaker_id"] == speaker_id]
    if steps.empty:
        st.info("Le parcours de cet·te intervenant·e n'est pas renseigné.")
    else:
        this_year = date.today().year
        common.chart(
            speaker_charts.career_timeline_figure(
                careers.career_timeline(steps, this_year),
                speaker["education"],
                this_year,
                narrow=common.narrow_layout(),
            ),
            width="stretch",
            key="profile_timeline",
        )

    st.subheader("Ses interventions", anchor=False)
    if talks.empty:
        st.info("Aucune intervention enregistrée.")
    else:
        with_others = any(talks["co_speakers"].map(bool))
        table = pd.DataFrame(
            {
                "date": [format_date(d) for d in talks["date"]],
                "cohort": [f"{c} · {s}" for c, s in zip(talks["cohort"], talks["semester"], strict=True)],
                "title": [
                    title + (LOW_PARTICIPATION if low else "")
                    for title, low in zip(talks["title"], talks["low_participation"], strict=True)
                ],
                "format": talks["format"],
                "themes": [", ".join(THEME_LABELS.get(t, t) for t in themes) for themes in talks["themes"]],
                "with": [", ".join(names.get(s, s) for s in ids) for ids in talks["co_speakers"]],
                "responses": [
                    format_number(int(n), 0) if shown else "—"
                    for n, shown in zip(talks["responses"], talks["results_shown"], strict=True)
                ],
                "satisfaction": [
                    common.UNPUBLISHED
                    if not shown
                    else f"moins de {threshold} réponses"
                    if math.isnan(v)
                    else f"{format_number(v, 2)} /5"
                    for v, shown in zip(talks["satisfaction"], talks["results_shown"], strict=True)
                ],
            }
        )
        if not with_others:
            table = table.drop(columns="with")
        if not profile.ratings_shown:
            table = table.drop(columns=["responses", "satisfaction"])
        st.dataframe(
            table,
            column_config={
                "date": st.column_config.TextColumn("Date"),
                "cohort": st.column_config.TextColumn("Promotion"),
                "title": st.column_config.TextColumn("Intervention", width="medium"),
                "format": st.column_config.TextColumn("Format", width="small"),
                "themes": st.column_config.TextColumn("Thèmes", width="medium"),
                "with": st.column_config.TextColumn("Avec"),
                "responses": st.column_config.TextColumn("Réponses", width="small"),
                "satisfaction": st.column_config.TextColumn("Satisfaction"),
            },
            hide_index=True,
            width="stretch",
        )

    st.subheader("Ce qu'en disent les étudiant·es", anchor=False)
    if profile.ratings_shown:
        ratings_column, nps_column = common.reflowing_columns("speaker_ratings", (3, 2))
        with ratings_column:
            st.markdown("**Évaluations par question, comparées à la moyenne de la formation**")
            ratings = profile.ratings
            if not any_shown:
                st.info(f"Évaluations : {common.UNPUBLISHED}.")
            elif ratings["mean"].isna().all():
                st.info(f"Moins de {threshold} réponses : les évaluations ne sont pas affichées.")
            else:
                common.chart(
                    speaker_charts.question_ratings_figure(ratings, threshold, speaker["name"]),
                    width="stretch",
                    key="profile_ratings",
                )
                st.caption(
                    "Point bleu : sa moyenne, avec l'intervalle de confiance à 95 % ; losange gris : la moyenne "
                    "de toutes les interventions. Survolez pour voir n."
                )
        with nps_column:
            st.markdown("**Faut-il le ou la réinviter ?**")
            if not any_shown:
                st.info(f"NPS : {common.UNPUBLISHED}.")
            elif is_suppressed(recommend.n, threshold):
                st.info(f"Moins de {threshold} réponses : le NPS n'est pas affiché.")
            else:
                st.markdown(
                    f"NPS **{format_signed(recommend.score, 0)}** sur {plural(recommend.n, 'réponse')} "
                    "(% de 9–10 moins % de 0–6)."
                )
                common.chart(
                    speaker_charts.nps_breakdown_figure(recommend), width="stretch", key="profile_nps"
                )

    st.markdown("**Les conseils que les étudiant·es retiennent**")
    if is_suppressed(profile.takeaways, threshold):
        st.info(f"Moins de {threshold} réponses à « Le conseil que je retiens » : rien n'est affiché.")
    else:
        expressions = profile.expressions
        if expressions.empty:
            st.info(
                f"Aucune expression n'est reprise par au moins {threshold} réponses "
                f"sur les {format_number(profile.takeaways, 0)} reçues : les conseils retenus sont variés."
            )
        else:
            st.dataframe(
                expressions.assign(share=(expressions["share"] * 100).round()),
                column_config={
                    "expression": st.column_config.TextColumn("Expression reprise", width="large"),
                    "answers": st.column_config.NumberColumn("Réponses"),
                    "share": st.column_config.ProgressColumn(
                        "Part des réponses", format="%d\u00a0%%", min_value=0, max_value=100
                    ),
                },
                hide_index=True,
                width="stretch",
            )
            st.caption(
                f"Expressions communes aux réponses libres « Le conseil que je retiens » après ses interventions "
                f"({format_number(profile.takeaways, 0)} réponses), accents, pluriels et mots outils ignorés ; "
                f"seules celles reprises par au moins {threshold} réponses sont montrées."
            )

    st.subheader("Ses citations publiées", anchor=False)
    quotes = profile.quotes
    if quotes.empty:
        st.info("Aucune citation publiée pour le moment.")
    else:
        with common.quote_grid("speaker_quotes"):
            for quote in quotes.itertuples(index=False):
                common.quote_card(
                    quote.text,
                    speaker["name"],
                    quote.intervention_title or "Source non précisée",
                    quote.date or None,
                )

    if director:
        with st.container(border=True):
            report_panels.speaker_sheet_panel(speaker_id, str(speaker["name"]))


requested = st.query_params.get(PROFILE_PARAM)
found = data.speakers[data.speakers["speaker_id"] == requested] if requested else data.speakers.iloc[0:0]
if not found.empty:
    profile_view(found.iloc[0])
else:
    if requested:
        st.warning(
            "Le lien demande un·e intervenant·e qui n'existe pas (ou plus) dans les données : voici l'annuaire.",
            icon=":material/person_search:",
        )
    directory_view()
