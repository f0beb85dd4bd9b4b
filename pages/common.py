"""Streamlit helpers shared by the pages: the database, the cached model, the sidebar filters,
access to the director's space, charts with their text alternatives, quote cards, the demo banner
and the footer. The report downloads and the speaker's private link are in `pages.report_panels`,
the notebook and quote-card actions in `pages.quote_sharing`."""

from __future__ import annotations

import functools
import logging
import math
import secrets
import sqlite3
import time
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.errors import StreamlitAuthError, StreamlitPageNotFoundError, StreamlitSecretNotFoundError
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from insights import access, store
from insights.analytics.model import Model, load_model
from insights.charts import alternatives
from insights.charts import layout as chart_layout
from insights.domain import ORG_TYPES, SEMESTERS, THEME_IDS, THEME_LABELS
from insights.filters import QUERY_KEYS, Filters
from insights.formatting import escape_markdown, format_date, format_duration, format_signed, plural, quoted
from pages import column_width

logger = logging.getLogger("paroles_de_pros")

UNEXPECTED_ERROR = (
    "Une erreur inattendue est survenue et a été enregistrée dans le journal de l'application. "
    "Rechargez la page ; si le problème persiste, signalez-le au responsable de la formation."
)
_CALLBACK_ERROR = "_callback_error"
P = ParamSpec("P")


def guarded(callback: Callable[P, Any]) -> Callable[P, None]:
    """A widget callback that never shows a traceback: Streamlit runs callbacks before the script,
    outside app.py's error boundary. A store error (another write in progress, a full disk…)
    becomes its French message; anything else is logged and a generic message shown. The page
    shows the message on this run (`callback_error_notice`)."""

    @functools.wraps(callback)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            callback(*args, **kwargs)
        except store.StoreError as error:
            st.session_state[_CALLBACK_ERROR] = str(error)
        except sqlite3.Error as error:
            translated = store.translate(error)
            if translated is None:
                logger.exception("Unexpected database error in %s", callback.__name__)
            st.session_state[_CALLBACK_ERROR] = str(translated) if translated else UNEXPECTED_ERROR
        except Exception:
            logger.exception("Unexpected error in %s", callback.__name__)
            st.session_state[_CALLBACK_ERROR] = UNEXPECTED_ERROR

    return run


def callback_error_notice() -> None:
    """Show what went wrong in a widget callback of the previous interaction, once."""
    message = st.session_state.pop(_CALLBACK_ERROR, None)
    if message:
        st.error(message, icon=":material/error:")


def unusable_database(error: Exception) -> None:
    """Say, in place of any page, that the database cannot be used, why, and which backup can
    replace it; nothing is written to the damaged file."""
    st.title("Base de données indisponible", anchor=False)
    st.error(str(error), icon=":material/database_off:")
    backups = store.list_backups(store.default_db_path())
    if backups:
        latest = backups[0]
        st.info(
            f"La dernière sauvegarde date du {latest.taken_at:%d/%m/%Y à %H:%M} ({latest.reason_label}). "
            "Pour la restaurer, sur le serveur de l'application : "
            f"`python -m insights restore backups/{latest.path.name}` (depuis le dossier de la base). "
            "La base actuelle est d'abord vérifiée ; endommagée, elle est mise de côté, jamais écrasée.",
            icon=":material/settings_backup_restore:",
        )
    else:
        st.info(
            "Aucune sauvegarde n'a été trouvée à côté de la base. Signalez le problème au responsable de la "
            "formation.",
            icon=":material/info:",
        )


def _route_through_entrypoint() -> None:
    """Rerun through app.py when Streamlit runs a page file on its own.

    Until `st.navigation` has run once in the server process, Streamlit treats `pages/` as a
    legacy pages directory and runs the requested page's file alone (the first request after a
    start may be a deep link): no sidebar, filters nor navigation. Every page imports this module
    in that first run, so turning the legacy mode off and rerunning routes it through app.py.
    The served app (`server.py`) turns it off before its first session.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_route_through_entrypoint()


@st.cache_resource(show_spinner="Préparation de la base de données…")
def _prepared(path: str) -> bool:
    """Create the database on first use and seed it with the demo dataset when empty."""
    from insights.ingest.loading import seed_demo_if_empty

    conn = store.connect(path)
    try:
        return seed_demo_if_empty(conn, store.DEMO_DIR)
    finally:
        conn.close()


def connection() -> sqlite3.Connection:
    """This browser session's connection to the database (opened, migrated and seeded once)."""
    path = str(store.default_db_path())
    _prepared(path)
    key = f"_connection::{path}"
    if key not in st.session_state:
        st.session_state[key] = store.connect(path)
    return st.session_state[key]


# A resource, not data: the model is shared by every session without a copy per rerun. Pages treat
# it as read-only; every pandas operation they use returns a new frame.
@st.cache_resource(show_spinner="Chargement des données…", max_entries=2)
def _load_model(path: str, version: int) -> Model:
    conn = store.connect(path)
    try:
        return load_model(conn)
    finally:
        conn.close()


def model() -> Model:
    """What every page reads (`insights.analytics.model`), loaded once per data version: a write
    shows at once, a rerun that changes nothing reloads nothing."""
    conn = connection()
    return _load_model(str(store.default_db_path()), store.data_version(conn))


_WIDGET_KEYS = {name: f"filter_{name}" for name in QUERY_KEYS}


def sidebar_filters(data: Model) -> Filters:
    """Draw the shared filters in the sidebar and keep them in the URL.

    The first run of a session starts from the URL's query parameters, so a shared link opens
    the same view; afterwards the widgets' state carries the filters across pages.
    """
    cohorts = data.cohorts["cohort"].tolist()
    if not st.session_state.get("_filters_initialised"):
        params = {key: st.query_params.get_all(key) for key in QUERY_KEYS.values()}
        initial = Filters.from_query_params(params, cohorts)
        for name, key in _WIDGET_KEYS.items():
            st.session_state[key] = list(getattr(initial, name))
        st.session_state["_filters_initialised"] = True

    with st.sidebar:
        st.header("Filtres", anchor=False)
        st.multiselect("Promotion(s)", cohorts, key=_WIDGET_KEYS["cohorts"], placeholder="Toutes")
        st.multiselect("Semestre", list(SEMESTERS), key=_WIDGET_KEYS["semesters"], placeholder="Les deux")
        st.multiselect(
            "Type d'organisation", list(ORG_TYPES), key=_WIDGET_KEYS["org_types"], placeholder="Tous"
        )
        st.multiselect(
            "Thème",
            list(THEME_IDS),
            format_func=THEME_LABELS.get,
            key=_WIDGET_KEYS["themes"],
            placeholder="Tous",
        )
    filters = Filters(**{name: tuple(st.session_state[key]) for name, key in _WIDGET_KEYS.items()})
    _write_query_params(filters)
    st.session_state["filters"] = filters
    return filters


def current_filters() -> Filters:
    """The filters drawn by the entry point for this run."""
    return st.session_state.get("filters", Filters())


def set_sidebar_filter(name: str, values: Sequence[str]) -> None:
    """Set one of the sidebar's filters (`cohorts`, `semesters`, `org_types` or `themes`) from a
    widget callback: callbacks run before the sidebar is drawn, which then shows the new values."""
    st.session_state[_WIDGET_KEYS[name]] = list(values)


def _write_query_params(filters: Filters) -> None:
    wanted = filters.to_query_params()
    for key in QUERY_KEYS.values():
        if key in wanted:
            if st.query_params.get_all(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


def metric_row() -> DeltaGenerator:
    """A row for headline figures (`row.metric(...)`, in order): each card takes the width its
    label and value need and the row wraps when they do not fit, where equal columns would cut
    a figure to "3,9…" on a tablet or a small laptop with the sidebar open."""
    return st.container(horizontal=True, gap="small")


def card_grid(name: str, min_width: str = "15rem", gap: str = "small") -> DeltaGenerator:
    """A grid for cards, one card per element put in it: as many columns at least `min_width`
    wide as the page holds (three on a laptop, two on a tablet held sideways, one on a tablet
    upright with the sidebar open or on a phone), where equal `st.columns` squeeze three cards
    into 130 px. The grid is the container's own layout, set by a style on its key's class."""
    key = f"grid_{name}"
    st.html(
        f"<style>.st-key-{key} {{ display: grid !important; grid-template-columns: "
        f"repeat(auto-fill, minmax(min(100%, {min_width}), 1fr)); align-items: stretch; }}</style>"
    )
    return st.container(horizontal=True, gap=gap, key=key)


def quote_grid(name: str) -> DeltaGenerator:
    """A grid for quote cards (`quote_card`): two a row at most, so that a quote reads as a
    sentence, and one a row where two would be narrower than 18rem."""
    return card_grid(name, "max(18rem, calc((100% - 1rem) / 2 - 1px))")


def reflowing_columns(
    name: str, weights: Sequence[float] = (1, 1), min_width: str = "22rem", gap: str = "large"
) -> list[DeltaGenerator]:
    """Columns side by side, as wide as `weights` say, when the narrowest can be `min_width` wide
    and the others their share of it; one under the other otherwise, each the whole width. Two
    charts keep a readable width on a tablet, where `st.columns` gave them 200 px each and cut
    their labels. The layout is a style on the row's key class: each column's flex basis and
    growth are in proportion to its weight, so the columns keep their proportions side by side."""
    key = f"columns_{name}"
    narrowest = min(weights)
    rules = " ".join(
        f".st-key-{key} > :nth-child({index}) {{ flex: {weight} 1 calc({min_width} * {weight / narrowest:g}) "
        "!important; min-width: 0 !important; max-width: 100% !important; }"
        for index, weight in enumerate(weights, start=1)
    )
    st.html(f"<style>.st-key-{key} {{ flex-wrap: wrap !important; }} {rules}</style>")
    row = st.container(horizontal=True, gap=gap, key=key)
    return [row.container() for _ in weights]


def metric_delta(change: float, decimals: int, unit: str = "") -> str | int | None:
    """A change as `st.metric` reads it: None when unknown, 0 (grey) when nil, else a signed
    string with an ASCII minus, which is what sets the arrow's direction."""
    if math.isnan(change):
        return None
    if round(change, decimals) == 0:
        return 0
    return format_signed(change, decimals).replace("−", "-") + unit


def is_director() -> bool:
    """True when this session is in the programme director's space."""
    return st.session_state.get("role") == "director"


# --- access to the director's space ---------------------------------------------------------------
# `st.session_state["role"] == "director"` opens the director's space; only the sign-in below sets
# it. Never use "role" as a widget key: a widget's value comes from the browser.

_LAST_ACTIVITY = "_access_last_activity"
_METHOD = "_access_method"  # "password" or "oidc"
_CREDENTIAL = "_access_credential"  # the password hash the session was opened with
_NOTICE = "_access_notice"
# After an idle timeout, an identity-provider session reopens only through a new sign-in there.
_REAUTH = "_access_reauth"
_DIRECTOR_CONTENT = (
    "Les données, la modération des citations, les réponses libres aux questionnaires et "
    "« Qui réinviter ? » sont réservés au responsable de la formation."
)


def _secrets() -> dict[str, Any]:
    try:
        return st.secrets.to_dict()
    except StreamlitSecretNotFoundError as error:
        if getattr(error, "error_id", None) == "no-secrets-found":
            return {}
        raise access.AccessConfigError(f"Le fichier de secrets est illisible : {error}") from error


def access_settings() -> access.AccessSettings:
    """The access settings of `secrets.toml` (raises access.AccessConfigError when invalid)."""
    return access.access_settings(_secrets())


def _open_session(method: str, now: float, credential: str | None = None) -> None:
    st.session_state["role"] = "director"
    st.session_state[_METHOD] = method
    st.session_state[_CREDENTIAL] = credential
    st.session_state[_LAST_ACTIVITY] = now
    st.session_state.pop(_REAUTH, None)


def _close_session(notice: str | None = None) -> None:
    for key in ("role", _METHOD, _CREDENTIAL, _LAST_ACTIVITY):
        st.session_state.pop(key, None)
    if notice:
        st.session_state[_NOTICE] = notice


def refresh_access() -> None:
    """Once per run, before the navigation: open the director's space for an allowed account of
    the identity provider, and close it after the idle time or when the password changed."""
    try:
        settings = access_settings()
    except access.AccessConfigError:
        settings = access.AccessSettings()  # the sign-in page shows the error
    now = time.time()
    method = st.session_state.get(_METHOD)
    allowed = settings.oidc and access.is_director_account(st.user, settings)
    if allowed and not is_director() and not st.session_state.get(_REAUTH):
        _open_session("oidc", now)
    elif method == "oidc" and not allowed:
        _close_session()
    elif method == "password" and (
        settings.oidc or st.session_state.get(_CREDENTIAL) != settings.password_hash
    ):
        _close_session("Le mot de passe de l'espace responsable a changé : reconnectez-vous.")
    if not is_director():
        return
    if access.session_expired(st.session_state.get(_LAST_ACTIVITY), now, settings.idle_timeout):
        if st.session_state.get(_METHOD) == "oidc":
            st.session_state[_REAUTH] = True
        _close_session(
            f"Session responsable fermée après {format_duration(settings.idle_timeout)} d'inactivité : "
            "reconnectez-vous."
        )
    else:
        st.session_state[_LAST_ACTIVITY] = now


def sign_out() -> None:
    """Close the director's space (and, with an identity provider, sign out there too)."""
    method = st.session_state.get(_METHOD)
    _close_session("Vous êtes déconnecté·e de l'espace responsable.")
    if method == "oidc":
        st.session_state[_REAUTH] = True
        st.logout()


def require_director() -> None:
    """The first line of every director-only page: unless the director is signed in, show the
    sign-in instead of the page and stop.

    The entry point already routes students away from director-only pages; this guard also
    holds when a page runs without it (the first run after the server starts may run a file of
    `pages/` directly).
    """
    refresh_access()
    if is_director():
        return
    signin_view()
    stop_page()


def signin_view() -> None:
    """The sign-in: the identity provider's button, the password form, or, with neither
    configured, how to set a password."""
    st.title(access.SIGNIN_TITLE, anchor=False)
    st.markdown(_DIRECTOR_CONTENT)
    notice = st.session_state.pop(_NOTICE, None)
    if notice:
        st.info(notice, icon=":material/info:")
    try:
        settings = access_settings()
    except access.AccessConfigError as error:
        st.error(str(error), icon=":material/error:")
        return
    if settings.oidc:
        _provider_signin(settings)
    elif settings.password_hash is None:
        _no_password_help()
    else:
        _password_signin(settings)


def _provider_signin(settings: access.AccessSettings) -> None:
    if not settings.director_emails:
        st.error(
            "Aucun compte n'est autorisé : ajoutez les adresses du responsable dans .streamlit/secrets.toml, "
            'section [director], par exemple emails = ["direction@univ.fr"].',
            icon=":material/error:",
        )
        return
    user = st.user
    email = user.get("email") if user.get("is_logged_in") else None
    if email and not access.is_director_account(user, settings):
        st.warning(
            f"Le compte {escape_markdown(str(email))} n'a pas accès à l'espace responsable.",
            icon=":material/block:",
        )
        st.button(
            "Changer de compte", icon=":material/logout:", on_click=st.logout, key="access_switch_account"
        )
        return
    if st.button(
        "Se connecter avec le compte de l'établissement",
        type="primary",
        icon=":material/login:",
        key="access_provider_signin",
    ):
        try:
            st.login(settings.oidc_provider)
        except StreamlitAuthError as error:
            logger.warning("Sign-in with the identity provider refused: %s", error)
            st.error(
                "La connexion par le fournisseur d'identité est mal configurée (section [auth] de "
                ".streamlit/secrets.toml : redirect_uri, cookie_secret, client_id, client_secret, "
                "server_metadata_url). Le journal de l'application donne le détail.",
                icon=":material/error:",
            )


def _no_password_help() -> None:
    st.warning("Aucun mot de passe n'est encore défini pour l'espace responsable.", icon=":material/key_off:")
    st.markdown("Sur le serveur, dans le dossier de l'application, lancez :")
    st.code("python -m insights set-password", language="bash")
    st.markdown(
        f"Saisissez deux fois un mot de passe d'au moins {access.MIN_PASSWORD_LENGTH} caractères : seule son "
        "empreinte salée est enregistrée, dans `.streamlit/secrets.toml`. Revenez ensuite sur cette page "
        "pour vous connecter."
    )
    st.caption(
        "Votre établissement a un fournisseur d'identité (OpenID Connect) ? Une section [auth] de "
        "`.streamlit/secrets.toml` et la liste des adresses autorisées ([director] emails) remplacent le mot de passe."
    )


def _password_signin(settings: access.AccessSettings) -> None:
    assert settings.password_hash is not None
    conn = connection()
    status = st.empty()
    with st.form("access_signin", clear_on_submit=True, width=420):
        password = st.text_input(
            "Mot de passe", type="password", key="access_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button("Se connecter", type="primary", icon=":material/login:")
    st.caption(
        "Mot de passe perdu, ou connexion ralentie par des essais répétés qui ne venaient pas de vous ? "
        "Sur le serveur, `python -m insights set-password` redéfinit le mot de passe et lève tout ralentissement."
    )
    client = client_address()
    if not submitted:
        throttle = access.current_throttle(conn, client, time.time())
        if throttle.retry_at is not None:
            status.warning(
                f"Après un échec, le prochain essai est possible dans {format_duration(throttle.wait(time.time()))}.",
                icon=":material/hourglass_top:",
            )
        return
    if not password:
        status.warning("Saisissez le mot de passe.", icon=":material/warning:")
        return
    now = time.time()
    try:
        result = access.sign_in(conn, password, settings.password_hash, now, client)
    except access.PasswordHashError as error:
        status.error(str(error), icon=":material/error:")
        return
    if result.signed_in:
        _open_session("password", now, settings.password_hash)
        st.rerun()
    message = access.signin_message(result, now)
    if result.outcome is access.SignInOutcome.TOO_SOON:
        status.warning(message, icon=":material/hourglass_top:")
    else:
        status.error(message, icon=":material/error:")


def session_key() -> str:
    """A random key of this browser session (never tied to a person): what per-session limits
    count under."""
    if "_session_key" not in st.session_state:
        st.session_state["_session_key"] = secrets.token_urlsafe(16)
    return st.session_state["_session_key"]


def client_address() -> str:
    """The browser's network address as the server sees it ("" when unknown): sign-in failures
    slow down the address they come from, not everyone."""
    address = st.context.ip_address
    return access.client_key(address) if isinstance(address, str) else ""


def director_sidebar() -> bool:
    """In the director's sidebar: who is signed in and the sign-out button; True when clicked."""
    with st.sidebar:
        email = st.user.get("email") if st.session_state.get(_METHOD) == "oidc" else None
        label = ":material/verified_user: Espace responsable ouvert"
        st.caption(f"{label} · {escape_markdown(str(email))}" if email else label)
        pending = store.pending_reviews(connection())
        if pending:
            st.page_link(
                "pages/publication.py",
                label=f"{plural(pending, 'réponse libre', 'réponses libres')} à relire",
                icon=":material/rate_review:",
            )
        return st.button("Se déconnecter", icon=":material/logout:", key="access_sign_out", width="stretch")


def session_summary() -> str:
    """How the director signed in and when the session closes, in French."""
    try:
        idle = format_duration(access_settings().idle_timeout)
    except access.AccessConfigError:
        idle = format_duration(access.AccessSettings().idle_timeout)
    if st.session_state.get(_METHOD) == "oidc":
        return (
            f"Vous êtes connecté·e avec le compte {escape_markdown(str(st.user.get('email', '')))} de "
            f"l'établissement. La session se ferme après {idle} d'inactivité et d'un clic sur "
            "« Se déconnecter » dans le panneau latéral."
        )
    return (
        "Vous êtes connecté·e avec le mot de passe de l'espace responsable. La session se ferme après "
        f"{idle} d'inactivité, quand la page est rechargée ou fermée, et d'un clic sur « Se déconnecter » "
        "dans le panneau latéral."
    )


def access_notice_toast() -> None:
    """Show a notice that no sign-in view took (after a sign-out, say) as a toast."""
    notice = st.session_state.pop(_NOTICE, None)
    if notice:
        st.toast(notice, icon=":material/info:")


UNPUBLISHED = "résultats non publiés"
"""What a page shows where the figures of talks whose results are not published would be."""


def unpublished_note(count: int, cohorts: Sequence[str] = (), of_selection: bool = True) -> None:
    """Say how many talks (of the sidebar's selection, unless not; of which cohorts, when given)
    have results the reader may not see yet (nothing when none)."""
    if count:
        of = f" (promotion{'s' if len(cohorts) > 1 else ''} {', '.join(cohorts)})" if cohorts else ""
        st.caption(
            f":material/schedule: {plural(count, 'intervention')}{' de la sélection' if of_selection else ''}"
            f"{of} : {UNPUBLISHED} "
            "(elles figurent au programme ; leurs résultats apparaîtront une fois relus et publiés)."
        )


def demo_banner(data: Model) -> None:
    if data.demo:
        st.caption(
            ":material/info: Données de démonstration : intervenant·es, réponses et citations sont fictifs. "
            "Importez vos propres données pour les remplacer."
        )


CONFORMANCE_STATUS = "partiellement conforme"
"""Under RGAA 4.1, as the accessibility statement (pages/accessibility.py) explains."""


def accessibility_contact() -> str:
    """Whom to write to about accessibility: `contact` under `[accessibility]` in the secrets."""
    try:
        return str(st.secrets.get("accessibility", {}).get("contact", "")).strip()
    except (StreamlitSecretNotFoundError, AttributeError):
        return ""


def unknown_address(known: set[str]) -> str | None:
    """The address this run was asked for when it is none of the `known` pages' (an old or
    mistyped link), else None. Streamlit would answer it with an English dialog over the home
    page; the app answers it with a page of its own (`app.py`)."""
    context = get_script_run_ctx()
    if context is None:
        return None
    manager = context.pages_manager
    if manager.intended_page_script_hash:  # a link of the menu, not an address
        return None
    address = (manager.intended_page_name or "").strip("/")
    if not address or address in known or "/" in address:
        return None
    return address


def page_not_found(address: str, home: Any) -> None:
    """What an unknown address shows: that the page does not exist, and the way home."""
    st.title("Page introuvable", anchor=False)
    st.markdown(
        f"L'adresse « /{escape_markdown(address)} » ne mène à aucune page de Paroles de pros : "
        "le lien est peut-être ancien, ou incomplet."
    )
    st.page_link(home, label="Aller à la vue d'ensemble", icon=":material/home:")


def stop_page() -> None:
    """End the page here, footer included (`st.stop` drops what a `finally` would write)."""
    footer()
    st.stop()


def footer() -> None:
    """Every page's footer: the accessibility statement's status and link."""
    st.divider()
    try:
        st.page_link(
            "pages/accessibility.py",
            label=f"Accessibilité : {CONFORMANCE_STATUS}",
            icon=":material/accessibility:",
        )
    except StreamlitPageNotFoundError:  # a page file run alone, before the navigation exists
        st.caption(f"Accessibilité : {CONFORMANCE_STATUS}")


def app_url() -> str:
    """This app's address as the browser reached it, without page nor query (for the links a
    speaker or a student is sent); the default local address outside a browser session."""
    try:
        url = st.context.url
    except Exception:
        url = None
    if not (isinstance(url, str) and url.startswith("http")):
        return "http://localhost:8501"
    base = url.split("?", 1)[0].rstrip("/")
    return base.rsplit("/", 1)[0] if base.count("/") > 2 else base


def _user_agent() -> str:
    try:
        return st.context.headers.get("User-Agent") or ""
    except Exception:  # no browser session (a page run alone)
        return ""


PHONE_MARK = "Mobi"
TABLET_MARKS = ("Android", "iPad", "Tablet")
"""What a tablet's User-Agent holds where a phone's would say "Mobi"."""


def on_a_phone() -> bool:
    """True when the browser says it runs on a phone: "Mobi" in its User-Agent, the test browsers
    themselves recommend. Streamlit does not tell the server the screen's width, and a chart's
    layout (where its labels go) is set on the server."""
    return PHONE_MARK in _user_agent()


def narrow_layout() -> bool:
    """True when the charts are laid out for a narrow column (labels and notes above the bars,
    titles on shorter lines): on a phone, as its User-Agent says from the first run, or wherever
    the browser measured the page's column as narrow (`pages.column_width`: a small window, or a
    tablet's width with the sidebar open)."""
    return on_a_phone() or column_width.is_narrow()


POINTER_COOKIE = "pointer"
"""Set by the served page (`server.py`) to "coarse" when the screen's main pointer is a finger: an
iPad asking for the desktop site, Safari's default, says "Macintosh" in its User-Agent, like a Mac."""


def _pointer() -> str:
    try:
        return st.context.cookies.get(POINTER_COOKIE) or ""
    except Exception:  # no browser session (a page run alone)
        return ""


def on_a_touch_screen() -> bool:
    """True on a phone or a tablet, where a finger, not a mouse, works the charts."""
    agent = _user_agent()
    return any(mark in agent for mark in (PHONE_MARK, *TABLET_MARKS)) or _pointer() == "coarse"


def chart(figure: Any, *, key: str, width: str = "stretch", **options: Any) -> None:
    """A plotly chart with what it shows for those who cannot see it: one sentence under it, and
    its data as a table in an expander (both read from the figure: `insights.charts.alternatives`).
    `options` go to `st.plotly_chart` (selections).

    In a narrow column the chart is laid out for its width (`charts.layout.for_a_phone`). On a touch
    screen it keeps to what a finger does well: a tap shows a point's figures, a swipe scrolls the
    page (`charts.layout.for_touch`). So it has no toolbar (shown by a tap, it covered the legend)
    and no selection (Streamlit makes a selectable chart pan under the finger, which kept the page
    from scrolling past it): a page that offers a selection offers the same choice in a filter,
    which is what it points to on a touch screen."""
    if narrow_layout():
        figure = chart_layout.for_a_phone(figure)
    if on_a_touch_screen():
        figure = chart_layout.for_touch(figure)
        options.pop("on_select", None)
        options.pop("selection_mode", None)
        # A tap also reaches plotly as a mouse click, which it took for a double click: the
        # axes' reset, which gave the chart a range of its own at every tap.
        options["config"] = {**options.get("config", {}), "displayModeBar": False, "doubleClick": False}
    st.plotly_chart(figure, width=width, key=key, **options)
    st.caption(f"En bref : {escape_markdown(alternatives.figure_summary(figure))}")
    table = alternatives.figure_table(figure)
    if not table.empty:
        with st.expander("Données du graphique (tableau)", icon=":material/table_view:"):
            st.dataframe(table, hide_index=True, width="stretch", key=f"{key}_table")


def quote_card(text: str, speaker: str, detail: str, when: str | None = None) -> None:
    """One quote, shown as literal text (never interpreted as HTML or Markdown), as tall as the
    others of its row in a `card_grid`."""
    with st.container(border=True, height="stretch"):
        st.markdown(quoted(escape_markdown(text)))
        caption = f"**{escape_markdown(speaker)}** — {escape_markdown(detail)}"
        if when:
            caption += f" · {escape_markdown(format_date(when))}"
        st.caption(caption)
