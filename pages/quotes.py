"""Mur de citations: students search the speakers' advice by words or by theme, open a quote's link,
draw one at random, download the results and propose a quote; the director moderates proposals.

The wall's state lives in the URL: `?q=` (the search box), `?theme=` (the theme chips, which are
the sidebar's theme filter), `?intervenant=` (the speaker filter) and `?citation=` (a quote's link).
"""

from __future__ import annotations

import random

import streamlit as st

from insights import store
from insights.domain import PROPOSED, PUBLISHED, REFUSED, THEME_IDS, THEME_LABELS
from insights.filters import Filters
from insights.formatting import escape_markdown, format_number, plural
from insights.language import tagger
from insights.quotes import search
from insights.quotes import wall as quote_wall
from insights.quotes.search import QuoteHit
from insights.quotes.wall import UNKNOWN_TALK
from pages import common, quote_sharing

TAB_WALL, TAB_PROPOSE, TAB_MODERATION = "Citations", "Proposer une citation", "Modération"


@st.cache_data(show_spinner=False, max_entries=256)
def _theme_counts(_conn, path: str, version: int, wall: Filters) -> dict[str, int]:
    return search.theme_counts(_conn, wall)


@st.cache_data(show_spinner=False, max_entries=256)
def _related(_conn, path: str, version: int, quote_id: str) -> list[QuoteHit]:
    return search.related_quotes(_conn, quote_id)


@st.cache_data(show_spinner=False, max_entries=256)
def _results(_conn, path: str, version: int, wall: Filters, limit: int) -> tuple[int, list[QuoteHit]]:
    return search.count_quotes(_conn, wall), search.search_quotes(_conn, wall, limit)


data = common.model()
filters = common.current_filters()
conn = common.connection()
path = str(store.default_db_path())
version = store.data_version(conn)
director = common.is_director()
speakers_by_id = quote_wall.speaker_options(data.speakers)


def _notice(kind: str, text: str) -> None:
    """A message for the next run (a callback's outcome), shown once at the top of its tab."""
    st.session_state["_wall_notice"] = (kind, text)


def _show_notice(tab: str) -> None:
    notice = st.session_state.get("_wall_notice")
    if notice and notice[0].startswith(tab):
        del st.session_state["_wall_notice"]
        kind, text = notice
        if kind.endswith("error"):
            st.error(text, icon=":material/error:")
        elif kind.endswith("info"):
            st.info(text, icon=":material/info:")
        else:
            st.success(text, icon=":material/check_circle:")


# --- the wall -------------------------------------------------------------------------------------


def _sync_sidebar_themes() -> None:
    common.set_sidebar_filter("themes", st.session_state["wall_themes"])


def _clear_sidebar_filters() -> None:
    for name in ("cohorts", "semesters", "org_types"):
        common.set_sidebar_filter(name, [])


def _close_quote() -> None:
    if quote_wall.QUOTE_PARAM in st.query_params:
        del st.query_params[quote_wall.QUOTE_PARAM]


@common.guarded
def _draw_quote(wall: Filters) -> None:
    hit = quote_wall.draw_quote(common.connection(), wall, random.Random())
    if hit is None:
        _notice("wall-info", "Aucune citation à tirer au sort avec ces critères.")
    else:
        st.query_params[quote_wall.QUOTE_PARAM] = hit.quote_id


def _search_as_typed(query: str) -> None:
    st.query_params[quote_wall.VERBATIM_PARAM] = query


def _show_more(step: int) -> None:
    st.session_state["wall_shown"] = st.session_state.get("wall_shown", quote_wall.PAGE_SIZE) + step


def _draw_card(hit: QuoteHit, wall: Filters, key: str = "wall") -> None:
    card = quote_wall.card(hit, wall.query, wall.themes)
    st.markdown(card.quote)
    st.caption(f"{card.speaker}  \n{card.talk}")
    st.markdown(f"{card.themes} :small[[:material/link:\u00a0Lien]({card.link})]")
    quote_sharing.quote_actions(hit.quote_id, key)
    related = _related(conn, path, version, hit.quote_id)
    if related:
        with st.expander("Conseils proches", icon=":material/diversity_2:"):
            for near in related:
                st.markdown(quote_wall.related_markdown(near))


def _focused_quote(quote_id: str, wall: Filters) -> None:
    """The quote of a link (or drawn at random), above the wall, with the way back to the wall."""
    hit = search.get_quote(conn, quote_id, wall.query)
    with st.container(border=True, key="wall_focused"):
        if hit is None:
            st.warning(
                f"La citation {escape_markdown(quote_id)} n'existe pas ou n'est pas publiée.",
                icon=":material/search_off:",
            )
        else:
            st.caption(":material/push_pin: Citation choisie")
            _draw_card(hit, wall, key="focus")
        st.button("Voir tout le mur", icon=":material/view_module:", on_click=_close_quote, key="wall_close")


def _wall_view() -> None:
    """The search box, the speaker filter and the theme chips, a focused quote, then the cards."""
    _show_notice("wall")
    if st.session_state.get("wall_themes") != list(filters.themes):
        st.session_state["wall_themes"] = list(filters.themes)
    quoted = set(data.latest_quotes["speaker_id"])
    speaker_ids = [speaker_id for speaker_id in speakers_by_id if speaker_id in quoted]
    search_column, speaker_column = st.columns([3, 2], vertical_alignment="bottom")
    with search_column:
        query = st.text_input(
            "Rechercher un conseil",
            key="q",
            bind="query-params",
            max_chars=quote_wall.MAX_QUERY_LENGTH,
            placeholder="Un troll sur notre page, bad buzz, influenceur mécontent…",
            icon=":material/search:",
            help="Écrivez comme vous parlez : une situation, une question, des mots anglais. Accents, "
            "majuscules, pluriels et fautes de frappe ne comptent pas, les synonymes et les conseils de même "
            "sens sont cherchés aussi (« haters » trouve « troll »). Des guillemets cherchent une expression "
            'exacte : "ligne éditoriale".',
        )
    with speaker_column:
        chosen_speakers = st.multiselect(
            "Intervenant·e",
            speaker_ids,
            format_func=speakers_by_id.get,
            key="intervenant",
            bind="query-params",
            placeholder="Tous et toutes",
        )
    searched, correction = quote_wall.searched_query(
        conn, query, st.query_params.get(quote_wall.VERBATIM_PARAM)
    )
    wall = quote_wall.wall_filters(searched, filters, chosen_speakers)
    counts = _theme_counts(conn, path, version, wall)
    st.pills(
        "Thèmes",
        list(THEME_IDS),
        selection_mode="multi",
        format_func=lambda theme: quote_wall.theme_chip_label(theme, counts),
        key="wall_themes",
        on_change=_sync_sidebar_themes,
        help="Le nombre entre parenthèses : les citations de la recherche en cours qui ont ce thème. "
        "Plusieurs thèmes : une citation qui en a un suffit.",
    )
    narrowed = quote_wall.filters_summary(filters)
    if narrowed:
        note, clear = st.columns([4, 1], vertical_alignment="center")
        note.caption(f":material/filter_alt: Filtres du panneau latéral appliqués : {narrowed}.")
        clear.button(
            "Retirer ces filtres",
            on_click=_clear_sidebar_filters,
            key="wall_clear_filters",
            type="tertiary",
        )

    if correction is not None:
        with st.container(horizontal=True, gap="small", vertical_alignment="center", key="wall_correction"):
            st.markdown(quote_wall.correction_markdown(correction), width="content")
            st.button(
                quote_wall.as_typed_label(correction),
                type="tertiary",
                on_click=_search_as_typed,
                args=(correction.original,),
                key="wall_as_typed",
                help="Cherche les mots tels que vous les avez écrits, sans correction.",
            )

    focused = quote_wall.parse_quote_param(st.query_params.get(quote_wall.QUOTE_PARAM))
    if focused:
        _focused_quote(focused, wall)

    if st.session_state.get("_wall_search") != wall:
        st.session_state["_wall_search"] = wall
        st.session_state["wall_shown"] = quote_wall.PAGE_SIZE
    shown = st.session_state.get("wall_shown", quote_wall.PAGE_SIZE)
    total, hits = _results(conn, path, version, wall, shown)

    order = "par pertinence, puis les plus récentes" if wall.query else "les plus récentes d'abord"
    # The count takes what the buttons leave; the buttons keep their labels whole and go under it
    # together when the row is too narrow.
    summary = st.container(horizontal=True, vertical_alignment="center")
    summary.markdown(f"**{quote_wall.results_label(total)}** :small[· {order}]", width="stretch")
    actions = summary.container(horizontal=True, width="content", gap="small")
    actions.button(
        "Un conseil au hasard",
        icon=":material/casino:",
        on_click=_draw_quote,
        args=(wall,),
        key="wall_random",
        disabled=total == 0,
        help="Tire une citation au hasard parmi celles de la recherche en cours.",
    )
    actions.download_button(
        "Télécharger (CSV)",
        data=lambda: quote_wall.hits_csv(search.search_quotes(common.connection(), wall, max(total, 1))),
        file_name=quote_wall.csv_file_name(wall),
        mime="text/csv",
        icon=":material/download:",
        key="wall_csv",
        disabled=total == 0,
        on_click="ignore",
        help="Les citations de la recherche en cours, toutes, dans l'ordre du mur.",
    )

    if not hits:
        st.info(
            "Aucune citation ne correspond. Essayez d'autres mots, ou retirez des thèmes ou des filtres.",
            icon=":material/search_off:",
        )
    with common.card_grid("wall"):
        for hit in hits:
            with st.container(border=True, height="stretch", key=f"wall_card_{hit.quote_id}"):
                _draw_card(hit, wall)
    if total > len(hits):
        step = min(quote_wall.PAGE_SIZE, total - len(hits))
        st.button(
            f"Afficher plus ({format_number(len(hits), 0)} affichées sur {format_number(total, 0)})",
            icon=":material/expand_more:",
            on_click=_show_more,
            args=(step,),
            key="wall_more",
        )


# --- proposing a quote ----------------------------------------------------------------------------


def _on_proposal_text() -> None:
    suggested = tagger.suggest_themes(st.session_state.get("prop_text", ""))
    st.session_state["_prop_suggested"] = suggested
    if not st.session_state.get("_prop_themes_edited"):
        st.session_state["prop_themes"] = suggested


def _on_proposal_themes() -> None:
    st.session_state["_prop_themes_edited"] = True


def _take_suggestion() -> None:
    st.session_state["prop_themes"] = list(st.session_state.get("_prop_suggested", []))
    st.session_state["_prop_themes_edited"] = False


def _on_proposal_speaker() -> None:
    st.session_state["prop_talk"] = UNKNOWN_TALK


def _reset_proposal() -> None:
    st.session_state["prop_text"] = ""
    st.session_state["prop_speaker"] = None
    st.session_state["prop_talk"] = UNKNOWN_TALK
    st.session_state["prop_themes"] = []
    for key in ("_prop_suggested", "_prop_themes_edited"):
        st.session_state.pop(key, None)


@common.guarded
def _submit_proposal() -> None:
    current = common.model()
    try:
        proposal = quote_wall.check_proposal(
            st.session_state.get("prop_text", ""),
            st.session_state.get("prop_speaker"),
            st.session_state.get("prop_talk"),
            st.session_state.get("prop_themes", []),
            current.speakers,
            current.interventions,
        )
        store.propose_quote(
            common.connection(),
            proposal.text,
            proposal.speaker_id,
            proposal.intervention_id,
            proposal.themes,
            session=common.session_key(),
        )
    except quote_wall.InvalidProposalError as error:
        st.session_state["_prop_problems"] = error.problems
        return
    except store.ProposalLimitError as error:
        st.session_state["_prop_problems"] = [str(error)]
        return
    except store.DuplicateQuoteError as error:
        st.session_state.pop("_prop_problems", None)
        where = "est déjà sur le mur" if error.status == PUBLISHED else "a déjà été proposée"
        _notice("propose-info", f"Merci ! Cette citation {where} : il n'y a rien de plus à faire.")
        _reset_proposal()
        return
    st.session_state.pop("_prop_problems", None)
    _notice(
        "propose-success",
        "Merci, votre proposition est envoyée ! Le responsable de la formation la relira : elle apparaîtra "
        "sur le mur une fois publiée.",
    )
    _reset_proposal()


def _proposal_view() -> None:
    """The form a student fills to propose a quote; its themes are suggested from its words."""
    _show_notice("propose")
    st.markdown(
        "Une phrase d'un·e intervenant·e vous a marqué·e ? Proposez-la : elle sera relue par le "
        "responsable de la formation avant d'apparaître sur le mur."
    )
    with st.container(width=720):
        st.text_area(
            "La citation",
            key="prop_text",
            persist_state="page",
            max_chars=quote_wall.MAX_QUOTE_LENGTH,
            height=110,
            on_change=_on_proposal_text,
            placeholder="Ses mots, aussi fidèlement que possible, sans guillemets.",
        )
        st.selectbox(
            "Intervenant·e",
            list(speakers_by_id),
            format_func=speakers_by_id.get,
            index=None,
            key="prop_speaker",
            persist_state="page",
            on_change=_on_proposal_speaker,
            placeholder="Qui l'a dite ?",
        )
        talks = quote_wall.talk_options(data.interventions, st.session_state.get("prop_speaker"))
        if st.session_state.get("prop_talk") not in talks:
            st.session_state["prop_talk"] = UNKNOWN_TALK
        st.selectbox(
            "Intervention",
            list(talks),
            format_func=talks.get,
            key="prop_talk",
            persist_state="page",
            disabled=not st.session_state.get("prop_speaker"),
            help="Si vous ne savez plus, laissez « Je ne sais pas ».",
        )
        st.multiselect(
            "Thèmes",
            list(THEME_IDS),
            format_func=THEME_LABELS.get,
            key="prop_themes",
            persist_state="page",
            on_change=_on_proposal_themes,
            placeholder="Choisissez un ou plusieurs thèmes",
        )
        suggested = st.session_state.get("_prop_suggested")
        if suggested is not None:
            names = ", ".join(THEME_LABELS[t] for t in suggested)
            if not suggested:
                st.caption("Aucun thème ne ressort du texte : choisissez-en si vous le pouvez.")
            elif st.session_state.get("prop_themes") == suggested:
                st.caption(
                    f":material/auto_awesome: Suggérés d'après le texte : {names}. Gardez-les ou changez-les."
                )
            else:
                note, again = st.columns([3, 1], vertical_alignment="center")
                note.caption(f":material/auto_awesome: Suggestion d'après le texte : {names}.")
                again.button(
                    "Reprendre", on_click=_take_suggestion, key="prop_take_suggestion", type="tertiary"
                )
        for problem in st.session_state.get("_prop_problems", []):
            st.error(problem, icon=":material/error:")
        st.button(
            "Envoyer la proposition",
            type="primary",
            icon=":material/send:",
            on_click=_submit_proposal,
            key="prop_submit",
        )


# --- the director's moderation queue --------------------------------------------------------------


@common.guarded
def _moderate(quote_id: str, status: str, message: str) -> None:
    if not common.is_director():  # the buttons are only drawn for the director; hold it anyway
        return
    try:
        store.set_quote_status(common.connection(), quote_id, status)
    except store.QuoteNotFoundError as error:
        _notice("moderation-error", str(error))
        return
    _notice("moderation-success", message)


def _start_edit(item: quote_wall.ModerationItem) -> None:
    st.session_state["_mod_editing"] = item.quote_id
    st.session_state[f"mod_text_{item.quote_id}"] = item.text
    st.session_state[f"mod_speaker_{item.quote_id}"] = item.speaker_id
    st.session_state[f"mod_talk_{item.quote_id}"] = item.intervention_id or UNKNOWN_TALK
    st.session_state[f"mod_themes_{item.quote_id}"] = list(item.themes)


def _stop_edit() -> None:
    st.session_state.pop("_mod_editing", None)


def _on_edit_speaker(quote_id: str) -> None:
    st.session_state[f"mod_talk_{quote_id}"] = UNKNOWN_TALK


@common.guarded
def _save_edit(quote_id: str) -> None:
    if not common.is_director():
        return
    current = common.model()
    try:
        proposal = quote_wall.check_proposal(
            st.session_state.get(f"mod_text_{quote_id}", ""),
            st.session_state.get(f"mod_speaker_{quote_id}"),
            st.session_state.get(f"mod_talk_{quote_id}"),
            st.session_state.get(f"mod_themes_{quote_id}", []),
            current.speakers,
            current.interventions,
        )
        store.update_quote(
            common.connection(),
            quote_id,
            text=proposal.text,
            speaker_id=proposal.speaker_id,
            intervention_id=proposal.intervention_id,
            themes=proposal.themes,
            status=PUBLISHED,
        )
    except quote_wall.InvalidProposalError as error:
        _notice("moderation-error", " ".join(error.problems))
        return
    except store.QuoteNotFoundError as error:
        _notice("moderation-error", str(error))
        _stop_edit()
        return
    _stop_edit()
    _notice("moderation-success", f"Citation {quote_id} modifiée et publiée : elle est sur le mur.")


def _edit_form(item: quote_wall.ModerationItem) -> None:
    quote_id = item.quote_id
    st.text_area("Texte", key=f"mod_text_{quote_id}", max_chars=quote_wall.MAX_QUOTE_LENGTH, height=110)
    st.selectbox(
        "Intervenant·e",
        list(speakers_by_id),
        format_func=speakers_by_id.get,
        key=f"mod_speaker_{quote_id}",
        on_change=_on_edit_speaker,
        args=(quote_id,),
    )
    talks = quote_wall.talk_options(data.interventions, st.session_state.get(f"mod_speaker_{quote_id}"))
    if st.session_state.get(f"mod_talk_{quote_id}") not in talks:
        st.session_state[f"mod_talk_{quote_id}"] = UNKNOWN_TALK
    st.selectbox("Intervention", list(talks), format_func=talks.get, key=f"mod_talk_{quote_id}")
    st.multiselect("Thèmes", list(THEME_IDS), format_func=THEME_LABELS.get, key=f"mod_themes_{quote_id}")
    suggested = tagger.suggest_themes(st.session_state.get(f"mod_text_{quote_id}", ""))
    if suggested:
        st.caption(
            ":material/auto_awesome: Thèmes suggérés d'après le texte : "
            + ", ".join(THEME_LABELS[t] for t in suggested)
            + "."
        )
    save, cancel = st.columns(2)
    save.button(
        "Enregistrer et publier",
        type="primary",
        icon=":material/publish:",
        on_click=_save_edit,
        args=(quote_id,),
        key=f"mod_save_{quote_id}",
        width="stretch",
    )
    cancel.button("Annuler", on_click=_stop_edit, key=f"mod_cancel_{quote_id}", width="stretch")


def _queue_entry(item: quote_wall.ModerationItem) -> None:
    text = quote_wall.moderation_markdown(item)
    with st.container(border=True, height="stretch", key=f"mod_item_{item.quote_id}"):
        if st.session_state.get("_mod_editing") == item.quote_id:
            st.caption(f"Modifier la proposition {item.quote_id}")
            _edit_form(item)
            return
        st.markdown(text["quote"])
        st.caption(f"{text['details']}  \n{escape_markdown(item.source)} · {item.quote_id}")
        st.markdown(text["themes"])
        publish, edit, refuse = st.columns(3)
        publish.button(
            "Publier",
            type="primary",
            icon=":material/publish:",
            on_click=_moderate,
            args=(item.quote_id, PUBLISHED, f"Citation {item.quote_id} publiée : elle est sur le mur."),
            key=f"mod_publish_{item.quote_id}",
            width="stretch",
        )
        edit.button(
            "Modifier",
            icon=":material/edit:",
            on_click=_start_edit,
            args=(item,),
            key=f"mod_edit_{item.quote_id}",
            width="stretch",
        )
        refuse.button(
            "Refuser",
            icon=":material/block:",
            on_click=_moderate,
            args=(item.quote_id, REFUSED, f"Citation {item.quote_id} refusée : elle reste hors du mur."),
            key=f"mod_refuse_{item.quote_id}",
            width="stretch",
        )


@common.guarded
def _refuse_all(quote_ids: list[str]) -> None:
    if not common.is_director():
        return
    changed = store.set_quote_statuses(common.connection(), quote_ids, REFUSED)
    _notice(
        "moderation-success",
        f"{plural(changed, 'proposition refusée', 'propositions refusées')} : elles restent hors du mur.",
    )


def _moderation_filters(proposals: list[quote_wall.ModerationItem]) -> list[quote_wall.ModerationItem]:
    """The search and speaker filter over the queue; the entries they keep."""
    query_column, speaker_column = st.columns([3, 2])
    query = query_column.text_input(
        "Rechercher dans les propositions",
        key="mod_query",
        placeholder="un mot du texte, un nom, une intervention…",
    )
    speakers = dict(sorted({(item.speaker_id, item.speaker) for item in proposals}, key=lambda pair: pair[1]))
    speaker = speaker_column.selectbox(
        "Intervenant·e",
        [None, *speakers],
        format_func=lambda key: "Tous et toutes" if key is None else speakers[key],
        key="mod_speaker_filter",
    )
    return quote_wall.filter_moderation(proposals, query, speaker)


def _moderation_view() -> None:
    """The proposals awaiting the director's decision, filtered and a page at a time, with a
    bulk refusal; then the refused quotes (collapsed)."""
    _show_notice("moderation")
    proposals = quote_wall.moderation_items(
        store.load_quotes(conn, PROPOSED), data.speakers, data.interventions
    )
    counts = store.quote_status_counts(conn)
    queue = common.metric_row()
    queue.metric("En attente", format_number(len(proposals), 0), border=True)
    queue.metric("Proposées dans l'heure", format_number(store.proposals_last_hour(conn), 0), border=True)
    queue.metric("Refusées", format_number(counts.get(REFUSED, 0), 0), border=True)
    if not proposals:
        st.success("Aucune proposition en attente.", icon=":material/done_all:")
    else:
        shown = _moderation_filters(proposals)
        limit = st.session_state.get("mod_limit", quote_wall.MODERATION_PAGE_SIZE)
        st.caption(
            f"{plural(len(shown), 'proposition')} sur {format_number(len(proposals), 0)}, la plus récente "
            "d'abord. Publier la met sur le mur ; Modifier permet de corriger le texte, l'intervenant·e, "
            "l'intervention ou les thèmes avant de publier."
        )
        if (shown and len(shown) < len(proposals)) or len(shown) > 1:
            with st.popover(
                f"Refuser ces {format_number(len(shown), 0)} propositions", icon=":material/block:"
            ):
                st.markdown(
                    f"Les {format_number(len(shown), 0)} propositions retenues par la recherche et le filtre "
                    "seront refusées : elles restent hors du mur, et la liste des refusées permet de les "
                    "reconsidérer une à une."
                )
                st.button(
                    "Confirmer le refus",
                    type="primary",
                    icon=":material/block:",
                    on_click=_refuse_all,
                    args=([item.quote_id for item in shown],),
                    key="mod_refuse_all",
                )
        page = shown[:limit]
        for start in range(0, len(page), 2):
            for column, item in zip(st.columns(2), page[start : start + 2], strict=False):
                with column:
                    _queue_entry(item)
        if len(shown) > limit:
            st.button(
                f"Afficher {format_number(min(quote_wall.MODERATION_PAGE_SIZE, len(shown) - limit), 0)} de plus",
                icon=":material/expand_more:",
                on_click=lambda: st.session_state.update(mod_limit=limit + quote_wall.MODERATION_PAGE_SIZE),
                key="mod_more",
            )
    refused = quote_wall.moderation_items(store.load_quotes(conn, REFUSED), data.speakers, data.interventions)
    with st.expander(f"Citations refusées ({format_number(len(refused), 0)})", icon=":material/block:"):
        if not refused:
            st.caption("Aucune citation refusée.")
        for item in refused[: quote_wall.MODERATION_PAGE_SIZE * 5]:
            text = quote_wall.moderation_markdown(item)
            entry, action = st.columns([4, 1], vertical_alignment="center")
            entry.markdown(f"{text['quote']}  \n:small[{text['details']} · {item.quote_id}]")
            action.button(
                "Reconsidérer",
                icon=":material/undo:",
                on_click=_moderate,
                args=(
                    item.quote_id,
                    PROPOSED,
                    f"Citation {item.quote_id} remise dans les propositions en attente.",
                ),
                key=f"mod_reconsider_{item.quote_id}",
                width="stretch",
            )
        if len(refused) > quote_wall.MODERATION_PAGE_SIZE * 5:
            st.caption(f"Les {quote_wall.MODERATION_PAGE_SIZE * 5} plus récentes sont affichées.")


# --- the page --------------------------------------------------------------------------------------

st.title("Mur de citations", anchor=False)
st.caption(
    "Les conseils des professionnel·les venu·es parler aux promotions. Cherchez une situation («\u00a0un "
    "troll sur notre page\u00a0», «\u00a0bad buzz\u00a0», «\u00a0je n'ai pas de diplôme en com\u00a0») ou "
    "choisissez des thèmes."
)

pending = store.quote_status_counts(conn).get(PROPOSED, 0)
moderation_label = f"{TAB_MODERATION} ({format_number(pending, 0)})"
labels = [TAB_WALL, TAB_PROPOSE] + ([moderation_label] if director else [])
current_tab = st.session_state.get("wall_tab")
if current_tab and current_tab.startswith(TAB_MODERATION):
    # The label carries the queue's length: keep the tab open when the length changes.
    st.session_state["wall_tab"] = moderation_label if director else TAB_WALL
tabs = dict(zip(labels, st.tabs(labels, key="wall_tab", on_change="rerun"), strict=True))

for label, view in (
    (TAB_WALL, _wall_view),
    (TAB_PROPOSE, _proposal_view),
    (moderation_label, _moderation_view),
):
    if label in tabs and tabs[label].open is not False:
        with tabs[label]:
            view()
