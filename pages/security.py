"""Accès et sécurité (director only): the current session, the sign-in journal, and how access
to the director's space is set."""

from __future__ import annotations

import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import streamlit as st

from insights import access, store
from insights.exporting import csv_bytes
from insights.formatting import format_duration, format_number, plural
from pages import common

common.require_director()

JOURNAL_SHOWN = 200

st.title("Accès et sécurité", anchor=False)
st.markdown(common.session_summary())

try:
    settings = common.access_settings()
except access.AccessConfigError as error:
    st.error(str(error), icon=":material/error:")
    common.stop_page()


def _browser_timezone() -> ZoneInfo:
    try:
        return ZoneInfo(st.context.timezone or "Europe/Paris")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Paris")


if settings.oidc:
    st.subheader("Comptes autorisés", anchor=False)
    st.dataframe(
        pd.DataFrame({"email": sorted(settings.director_emails)}, dtype="str"),
        column_config={"email": st.column_config.TextColumn("Adresse")},
        hide_index=True,
        width=480,
    )
    st.caption(
        "Ces comptes du fournisseur d'identité de l'établissement ouvrent l'espace responsable "
        "(section [director] emails de `.streamlit/secrets.toml`)."
    )
    common.stop_page()

policy = access.DEFAULT_POLICY
conn = common.connection()
now = time.time()
throttle = access.current_throttle(conn, common.client_address(), now, policy)
week = store.signin_attempts_since(conn, now - 7 * 86400)

st.subheader("Connexions par mot de passe", anchor=False)
if throttle.alarm:
    state, state_help = (
        "Ralentis",
        f"{plural(throttle.recent_failures, 'échec')} depuis {format_duration(policy.window)} : chaque "
        f"échec fait attendre {format_duration(policy.max_delay)} avant l'essai suivant depuis la même adresse. "
        + access.RECOVERY,
    )
else:
    state, state_help = "Normaux", "Les échecs récents ne ralentissent que l'adresse d'où ils viennent."
attempts = common.metric_row()
attempts.metric(
    "Échecs sur 24 heures", format_number(access.count_failures(week, now - 86400), 0), border=True
)
attempts.metric(
    "Échecs sur 7 jours", format_number(access.count_failures(week, now - 7 * 86400), 0), border=True
)
attempts.metric("Essais de connexion", state, help=state_help, border=True)
if throttle.alarm:
    st.warning(state_help, icon=":material/hourglass_top:")

journal = store.load_signin_attempts(conn, limit=100)
if journal.empty:
    st.info("Aucune connexion par mot de passe n'a encore été enregistrée.")
else:
    st.dataframe(
        access.signin_journal(journal, _browser_timezone()),
        column_config={
            "when": st.column_config.TextColumn("Date et heure"),
            "event": st.column_config.TextColumn("Événement"),
            "client": st.column_config.TextColumn("Adresse"),
        },
        hide_index=True,
        width=640,
    )
    st.caption(
        f"{plural(len(journal), 'dernier événement', 'derniers événements')}, du plus récent au plus ancien ; "
        f"l'historique est conservé {store.SIGNIN_HISTORY_DAYS} jours."
    )

st.subheader("Journal des modifications", anchor=False)
st.caption(
    "Chaque écriture dans la base, depuis l'application ou la ligne de commande : importations, "
    "corrections, suppressions, modération, publication, réglages, restaurations et connexions."
)
kinds = st.multiselect(
    "Types d'écriture",
    list(store.AUDIT_KINDS),
    format_func=store.AUDIT_KINDS.get,
    placeholder="Tous les types",
    key="audit_kinds",
)
shown = store.load_audit_log(conn, kinds, limit=JOURNAL_SHOWN)
if shown.empty:
    st.info("Aucune écriture de ce type n'a encore été enregistrée.")
else:
    st.dataframe(
        pd.DataFrame(store.journal_rows(shown), columns=store.JOURNAL_HEADER, dtype="str"),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        f"{plural(len(shown), 'dernière écriture', 'dernières écritures')}, de la plus récente à la plus "
        "ancienne ; le fichier CSV contient tout le journal de ces types."
    )
    st.download_button(
        "Télécharger le journal (CSV)",
        lambda: csv_bytes(
            store.JOURNAL_HEADER, store.journal_rows(store.load_audit_log(conn, kinds, limit=None))
        ),
        file_name="journal-des-modifications.csv",
        mime="text/csv",
        icon=":material/download:",
        key="download_audit",
        on_click="ignore",
    )

st.subheader("Règles", anchor=False)
st.markdown(
    f"- Après un échec, le nouvel essai depuis la même adresse attend {format_duration(policy.delay(1))}, "
    f"puis le double à chaque échec suivant, jusqu'à {format_duration(policy.max_delay)} au plus.\n"
    f"- À partir de {policy.alarm_failures} échecs en {format_duration(policy.window)}, toutes adresses "
    f"confondues, chaque échec fait attendre {format_duration(policy.max_delay)}.\n"
    "- La connexion n'est jamais bloquée : qui connaît le mot de passe entre au plus tard après ce délai, "
    "quels que soient les essais des autres.\n"
    f"- La session se ferme après {format_duration(settings.idle_timeout)} d'inactivité "
    "(réglage : `idle_minutes` dans la section [director] de `.streamlit/secrets.toml`)."
)

st.subheader("Changer le mot de passe", anchor=False)
st.markdown("Sur le serveur, dans le dossier de l'application, lancez :")
st.code("python -m insights set-password", language="bash")
st.markdown(
    "Les sessions ouvertes avec l'ancien mot de passe se ferment, et les échecs passés ne comptent plus : "
    "tout ralentissement est levé."
)
