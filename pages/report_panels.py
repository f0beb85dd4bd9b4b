"""The director's report downloads (the cohort report, a speaker's sheet, as PDF or HTML) and the
speaker's private link: its creation, revocation and openings, and the page it opens."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import streamlit as st

from insights import store
from insights.analytics.model import Model
from insights.filters import Filters
from insights.formatting import escape_markdown, format_date, plural
from pages import common

SHEET_PARAM = "fiche"
"""The query parameter carrying a speaker's private token (`/?fiche=…`): app.py then shows the
speaker's sheet alone, before any navigation."""

LINK_MESSAGES = {
    store.LINK_EXPIRED: "Ce lien a expiré. Demandez-en un nouveau au responsable de la formation.",
    store.LINK_REVOKED: "Ce lien n'est plus actif. Demandez-en un nouveau au responsable de la formation.",
    store.LINK_UNKNOWN: "Ce lien n'est pas valide. Vérifiez qu'il a été copié en entier.",
    store.LINK_THROTTLED: "Trop de liens non valides ont été essayés : réessayez dans un quart d'heure.",
}


def report_buttons(build: Callable[[], Any], stem: str, key: str) -> None:
    """Two download buttons (PDF and HTML) for a report built by `build` when clicked, not on
    every run."""
    from insights import reports

    pdf_column, html_column = st.columns(2)
    for column, fmt, label in ((pdf_column, "pdf", "PDF"), (html_column, "html", "HTML")):
        column.download_button(
            f"Télécharger ({label})",
            lambda fmt=fmt: reports.render(build(), fmt),
            file_name=reports.file_name(stem, fmt),
            mime=reports.MIME_TYPES[fmt],
            icon=":material/download:",
            key=f"{key}_{fmt}",
            width="stretch",
            # A rerun on the click would register the report anew and could drop the one the
            # browser is fetching: under load the download then never came.
            on_click="ignore",
        )


@st.cache_data(show_spinner=False, max_entries=16)
def _report_quotes(
    _conn: sqlite3.Connection, path: str, version: int, cohort: str, filters: Filters
) -> dict[str, str]:
    """The quotes the director may choose for a cohort's report (id → text), read once per data
    version: up to `insights.reports.cohort.QUOTE_CHOICES` of them, on every director run of three
    pages."""
    from insights import reports

    pool = reports.cohort_quotes(_conn, common.model(), cohort, filters)
    return dict(zip(pool["quote_id"], pool["text"], strict=True))


def cohort_report_panel(data: Model, filters: Filters, key: str) -> None:
    """The director's download of the cohort report ("Bilan de la promotion …"): the latest cohort
    of the sidebar's selection by default, under the sidebar's other filters; the students'
    version counts published results only."""
    from insights import reports

    cohorts = sorted((str(c) for c in data.cohorts["cohort"]), reverse=True)
    if not cohorts:
        return
    chosen = [c for c in cohorts if c in filters.cohorts]
    with st.expander("Bilan de la promotion (PDF ou HTML)", icon=":material/picture_as_pdf:"):
        left, right = st.columns([2, 3])
        cohort = left.selectbox(
            "Promotion", cohorts, index=cohorts.index(chosen[0]) if chosen else 0, key=f"{key}_cohort"
        )
        students = right.toggle(
            "Version pour les étudiant·es (résultats publiés seulement)", key=f"{key}_students"
        )
        st.caption(
            "Pour le conseil de perfectionnement : chiffres clés face à la promotion précédente, chaque "
            "intervention, les fondamentaux, les thèmes, les tendances et des citations ; mêmes chiffres "
            "et même seuil d'anonymat que l'application. Les autres filtres du panneau latéral s'appliquent."
        )

        conn = common.connection()
        texts = _report_quotes(conn, str(store.default_db_path()), store.data_version(conn), cohort, filters)
        quote_ids = st.multiselect(
            "Citations du bilan",
            list(texts),
            format_func=lambda quote_id: _shortened(texts[quote_id]),
            placeholder="Les plus récentes",
            help="Dans l'ordre choisi ; sans choix, les six citations publiées les plus récentes.",
            key=f"{key}_quotes_{cohort}",
        )

        def build() -> Any:
            return reports.cohort_report(
                common.connection(),
                common.model(),
                cohort,
                filters,
                director=not students,
                quote_ids=quote_ids,
            )

        report_buttons(build, f"bilan-{cohort}" + ("-etudiants" if students else ""), key)


def _shortened(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def share_url(token: str) -> str:
    """The speaker's address: this app's (as the browser reached it) with the token."""
    return f"{common.app_url()}/?{SHEET_PARAM}={token}"


_NEW_LINK = "_new_share_link"


def _create_link(speaker_id: str, days_key: str) -> None:
    token = store.create_share_link(common.connection(), speaker_id, int(st.session_state.get(days_key, 60)))
    st.session_state[_NEW_LINK] = (speaker_id, share_url(token))


def _revoke_link(speaker_id: str) -> None:
    store.revoke_share_links(common.connection(), speaker_id)
    st.session_state.pop(_NEW_LINK, None)


def speaker_sheet_panel(speaker_id: str, name: str) -> None:
    """The director's panel of a speaker's sheet: download it, create or revoke the private link
    ("Partager avec l'intervenant·e"), and the link's openings."""
    from insights import reports

    conn = common.connection()
    st.subheader("Fiche de l'intervenant·e", anchor=False)
    st.caption(
        "« Retour sur votre intervention » : ses notes face au programme et aux interventions du même "
        "format, le NPS, les fondamentaux, les commentaires relus « public » ou « privé » et ses citations "
        "publiées (résultats publiés seulement)."
    )
    data = common.model()
    own = data.cube.talks[data.cube.speaker_mask(speaker_id)].sort_values("date", ascending=False)
    titles = dict(zip(own["intervention_id"], own["title"], strict=True))
    talk_ids = st.multiselect(
        "Interventions de la fiche",
        list(titles),
        format_func=lambda talk: f"{titles[talk]} ({talk})",
        placeholder="Toutes ses interventions",
        key=f"sheet_talks_{speaker_id}",
    )
    report_buttons(
        lambda: reports.speaker_sheet(common.connection(), common.model(), speaker_id, talk_ids=talk_ids),
        f"fiche-{speaker_id}",
        "sheet",
    )
    link = store.active_share_link(conn, speaker_id)
    new = st.session_state.get(_NEW_LINK)
    if new and new[0] == speaker_id and link is not None:
        st.success(
            "Lien créé : copiez-le maintenant et envoyez-le à l'intervenant·e ; il ne sera plus affiché.",
            icon=":material/link:",
        )
        st.code(new[1], language=None)
    if link is not None:
        st.markdown(
            f"Lien actif depuis le {format_date(link.created_at)}, valable jusqu'au "
            f"{format_date(link.expires_at)} ; "
            + (f"ouvert {plural(link.openings, 'fois', 'fois')}." if link.openings else "pas encore ouvert.")
        )
        st.button(
            "Révoquer le lien",
            icon=":material/link_off:",
            on_click=common.guarded(_revoke_link),
            args=(speaker_id,),
            key="share_revoke",
        )
    else:
        st.markdown("Aucun lien actif.")
    days_key = "share_days"
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    left.number_input(
        "Validité (jours)",
        min_value=1,
        max_value=store.MAX_LINK_DAYS,
        value=store.DEFAULT_LINK_DAYS,
        key=days_key,
    )
    right.button(
        "Partager avec l'intervenant·e" if link is None else "Créer un nouveau lien (l'ancien est révoqué)",
        icon=":material/share:",
        on_click=common.guarded(_create_link),
        args=(speaker_id, days_key),
        key="share_create",
    )
    openings = store.load_share_openings(conn, speaker_id)
    if len(openings):
        st.dataframe(
            {
                "Ouvert le": [format_date(at) + " " + str(at)[11:16] for at in openings["opened_at"]],
                "Lien créé le": [format_date(at) for at in openings["link_created_at"]],
                "État du lien": [
                    "révoqué" if revoked else "actif" for revoked in openings["revoked_at"].notna()
                ],
            },
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(f"{escape_markdown(name)} n'a pas encore ouvert de lien.")


def speaker_link_view(token: str) -> None:
    """What a speaker's private link opens: their sheet and nothing else of the app (no menu, no
    sidebar, no other data), or a short French message when the link is expired, revoked or
    unknown. The opening is logged once per browser session."""
    from insights import reports

    conn = common.connection()
    seen = st.session_state.setdefault("_opened_links", set())
    digest = store.hash_token(token)
    check = store.open_share_link(conn, token, common.client_address(), record=digest not in seen)
    if check.status != store.LINK_OK:
        st.title("Paroles de pros", anchor=False)
        st.warning(LINK_MESSAGES[check.status], icon=":material/link_off:")
        return
    seen.add(digest)
    document = reports.speaker_sheet(conn, common.model(), str(check.speaker_id))
    st.download_button(
        "Télécharger la fiche (PDF)",
        lambda: reports.render(document, "pdf"),
        file_name=reports.file_name("retour-intervention", "pdf"),
        mime=reports.MIME_TYPES["pdf"],
        icon=":material/download:",
        key="sheet_pdf",
        on_click="ignore",
    )
    st.html(reports.html_body(document))
