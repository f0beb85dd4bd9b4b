"""Publication (director only): each talk's results move from collecting to reviewed to published,
and every free-text answer is reviewed (public, private or removed) before anyone else reads it.
The review queue answers to the keyboard: p, r, s, and the arrows."""

from __future__ import annotations

import streamlit as st

from insights import store
from insights.analytics import publication
from insights.domain import (
    PRIVATE,
    PUBLIC,
    PUBLISHED_RESULTS,
    REMOVED,
    RESULT_STATE_LABELS,
    REVIEW_LABELS,
    REVIEWED,
)
from insights.formatting import escape_markdown, format_date, format_number, format_percent, plural
from pages import common

common.require_director()

data = common.model()
filters = common.current_filters()
conn = common.connection()
status = publication.publication_status(
    data, store.load_publication(conn), store.review_counts(conn), data.mask(filters)
)
labels = dict(zip(status["intervention_id"], status["title"], strict=True))

st.title("Publication", anchor=False)
st.caption(
    "Les étudiant·es ne voient les résultats d'une intervention qu'une fois publiés, et ses réponses libres "
    "qu'une fois relues et rendues publiques. Les interventions listées sont celles des filtres du panneau latéral."
)
results_tab, review_tab, history_tab = st.tabs(["Résultats", "Relecture des commentaires", "Historique"])


@common.guarded
def _change_state(talk_ids: list[str], state: str) -> None:
    try:
        changed = store.set_result_state(common.connection(), talk_ids, state, "page")
    except store.PublicationError as error:
        st.session_state["_publication_notice"] = ("error", str(error))
        return
    verb = {PUBLISHED_RESULTS: "publiés", REVIEWED: "marqués relus"}.get(state, RESULT_STATE_LABELS[state])
    st.session_state["_publication_notice"] = (
        "success",
        f"Résultats {verb} : {plural(len(changed), 'intervention')}."
        if changed
        else "Aucun changement : ces interventions étaient déjà dans cet état.",
    )


def _forget_publish_request() -> None:
    st.session_state.pop("_publish_asked", None)


@st.dialog("Publier les résultats ?", on_dismiss=_forget_publish_request)
def _confirm_publish(talk_ids: list[str]) -> None:
    preview = publication.publish_preview(data, status, talk_ids)
    if preview.without_answers:
        _forget_publish_request()
        st.error(
            "Aucune réponse au questionnaire pour : "
            + ", ".join(escape_markdown(labels.get(t, t)) for t in preview.without_answers)
            + ". Il n'y a rien à publier pour elles : retirez-les de la sélection.",
            icon=":material/error:",
        )
        return
    shown = [
        f"les figures de {plural(preview.talks, 'intervention')} ({plural(preview.responses, 'réponse')}) : "
        "moyennes, NPS, taux de réponse, sur toutes les pages, dans les graphiques, les tableaux et les "
        "téléchargements",
        f"les termes les plus employés des réponses libres rendues publiques ({format_number(preview.public_comments, 0)})",
    ]
    if preview.comments_shown:
        shown.append(f"ces {format_number(preview.public_comments, 0)} commentaires publics eux-mêmes")
    st.markdown("Les étudiant·es verront :\n" + "\n".join(f"- {line}" for line in shown))
    notes = []
    if preview.pending_comments:
        notes.append(
            f"{plural(preview.pending_comments, 'réponse libre')} à relire : elles ne seront pas montrées tant "
            "qu'elles ne sont pas relues."
        )
    if preview.below_threshold:
        notes.append(
            f"{plural(preview.below_threshold, 'intervention')} avec moins de {data.anonymity_threshold} réponses : "
            "leurs figures restent masquées."
        )
    if preview.low_participation:
        notes.append(
            f"{plural(preview.low_participation, 'intervention')} marquée(s) « participation faible »."
        )
    if preview.already_published:
        notes.append(f"{plural(preview.already_published, 'intervention')} déjà publiée(s).")
    for note in notes:
        st.caption(note)
    left, right = st.columns(2)
    if left.button(
        "Publier", type="primary", icon=":material/publish:", key="publish_confirm", width="stretch"
    ):
        _forget_publish_request()
        _change_state(talk_ids, PUBLISHED_RESULTS)
        st.rerun()
    if right.button("Annuler", key="publish_cancel", width="stretch"):
        _forget_publish_request()
        st.rerun()


with results_tab:
    notice = st.session_state.pop("_publication_notice", None)
    if notice:
        (st.success if notice[0] == "success" else st.error)(notice[1])
    if status.empty:
        st.info("Aucune intervention ne correspond aux filtres choisis.")
    else:
        counts = status["state"].value_counts()
        cards = common.metric_row()
        for state in (PUBLISHED_RESULTS, REVIEWED, "collecting"):
            cards.metric(
                f"Résultats {RESULT_STATE_LABELS[state]}", format_number(int(counts.get(state, 0)), 0)
            )
        cards.metric("Réponses libres à relire", format_number(int(status["pending"].sum()), 0))
        table = status.assign(
            date=[format_date(d) for d in status["date"]],
            rate=[format_percent(r) if r == r else "" for r in status["rate"]],
            reviewed_at=[format_date(d[:10]) if d else "" for d in status["reviewed_at"]],
            published_at=[format_date(d[:10]) if d else "" for d in status["published_at"]],
            chosen=False,
        )
        edited = st.data_editor(
            table[["chosen", "title", "cohort", "state_label", "responses", "rate", "pending", "public",
                   "reviewed_at", "published_at"]],
            column_config={
                "chosen": st.column_config.CheckboxColumn("Choisir", width="small"),
                "title": st.column_config.TextColumn("Intervention", width="large"),
                "cohort": st.column_config.TextColumn("Promotion"),
                "state_label": st.column_config.TextColumn("Résultats"),
                "responses": st.column_config.NumberColumn("Réponses"),
                "rate": st.column_config.TextColumn("Taux"),
                "pending": st.column_config.NumberColumn("À relire", help="Réponses libres pas encore relues."),
                "public": st.column_config.NumberColumn("Publiques"),
                "reviewed_at": st.column_config.TextColumn("Relus le"),
                "published_at": st.column_config.TextColumn("Publiés le"),
            },
            disabled=["title", "cohort", "state_label", "responses", "rate", "pending", "public",
                      "reviewed_at", "published_at"],
            hide_index=True,
            width="stretch",
            key="publication_table",
        )  # fmt: skip
        chosen = status.loc[edited["chosen"].to_numpy(dtype=bool), "intervention_id"].tolist()
        cohorts = sorted(set(status["cohort"]), reverse=True)
        scope = st.radio(
            "Agir sur",
            ["chosen", "cohort"],
            format_func={"chosen": "les interventions cochées", "cohort": "une promotion entière"}.get,
            horizontal=True,
            key="publication_scope",
        )
        if scope == "cohort":
            cohort = st.selectbox("Promotion", cohorts, key="publication_cohort")
            targets = status.loc[status["cohort"] == cohort, "intervention_id"].tolist()
        else:
            targets = chosen
        st.caption(f"{plural(len(targets), 'intervention')} choisie(s).")
        publish, mark, withdraw = st.columns(3)
        publish.button(
            "Publier les résultats", type="primary", icon=":material/publish:", disabled=not targets,
            key="publication_publish", width="stretch",
            on_click=lambda chosen=targets: st.session_state.update(_publish_asked=chosen),
        )  # fmt: skip
        # Asked for until confirmed or cancelled: the confirmation's buttons belong to the dialog.
        if st.session_state.get("_publish_asked"):
            _confirm_publish(st.session_state["_publish_asked"])
        mark.button(
            "Marquer relus", icon=":material/fact_check:", disabled=not targets, key="publication_reviewed",
            on_click=_change_state, args=(targets, REVIEWED), width="stretch",
        )  # fmt: skip
        withdraw.button(
            "Dépublier", icon=":material/unpublished:", disabled=not targets, key="publication_withdraw",
            on_click=_change_state, args=(targets, REVIEWED), width="stretch",
            help="Les résultats ne sont plus montrés aux étudiant·es, immédiatement.",
        )  # fmt: skip

# --- the review queue ----------------------------------------------------------------------------

KEYS_SCRIPT = """
<script>
(() => {
  const doc = window.parent ? window.parent.document : document;
  if (doc.__reviewKeys) return;
  doc.__reviewKeys = true;
  const buttons = {p: "review_public", r: "review_private", s: "review_removed",
                   ArrowLeft: "review_previous", ArrowRight: "review_next"};
  doc.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
    const key = buttons[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    const button = key && doc.querySelector(`.st-key-${key} button:not([disabled])`);
    if (!button) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    button.click();
  }, true);
})();
</script>
"""


@common.guarded
def _decide(response_id: str, question_id: str, decision: str, edit_key: str, original: str) -> None:
    edited = st.session_state.get(edit_key, original)
    try:
        store.review_answer(common.connection(), response_id, question_id, decision, edited)
    except store.AnswerNotFoundError as error:
        st.session_state["_review_notice"] = str(error)
    else:
        st.session_state["_review_done"] = st.session_state.get("_review_done", 0) + 1
        if st.session_state.get("review_all"):
            st.session_state["review_index"] = st.session_state.get("review_index", 0) + 1


def _move(step: int, size: int) -> None:
    st.session_state["review_index"] = min(max(st.session_state.get("review_index", 0) + step, 0), size - 1)


with review_tab:
    notice = st.session_state.pop("_review_notice", None)
    if notice:
        st.error(notice, icon=":material/error:")
    with_texts = status[status["text_answers"] > 0]  # latest first
    if with_texts.empty:
        st.info("Aucune réponse libre pour les interventions choisies.")
    else:
        talks = with_texts["intervention_id"].tolist()
        pending = dict(zip(talks, with_texts["pending"], strict=True))
        # The queue opens on the talk with the most answers to review; the options keep their order
        # (a widget whose options change order starts again from the first one).
        if st.session_state.get("review_talk") not in talks:
            st.session_state["review_talk"] = max(talks, key=lambda t: (pending[t], -talks.index(t)))
        talk_column, mode_column = st.columns([3, 1], vertical_alignment="bottom")
        talk = talk_column.selectbox(
            "Intervention",
            talks,
            format_func=lambda t: labels.get(t, t),
            key="review_talk",
            on_change=lambda: st.session_state.update(review_index=0),
        )
        st.caption(
            f"{plural(int(pending[talk]), 'réponse libre', 'réponses libres')} à relire pour cette intervention ; "
            f"{plural(int(with_texts['pending'].sum()), 'réponse', 'réponses')} pour toutes celles choisies."
        )
        mode_column.toggle(
            "Voir aussi les réponses relues",
            key="review_all",
            on_change=lambda: st.session_state.update(review_index=0),
        )
        queue = store.review_queue(conn, talk, pending_only=not st.session_state.get("review_all"))
        if queue.empty:
            st.success(
                "Toutes les réponses libres de cette intervention sont relues.", icon=":material/done_all:"
            )
        else:
            index = min(st.session_state.get("review_index", 0), len(queue) - 1)
            st.session_state["review_index"] = index
            item = queue.iloc[index]
            edit_key = f"review_edit_{item.response_id}_{item.question_id}"
            with st.container(border=True, key="review_item"):
                st.caption(
                    f"Réponse {index + 1} sur {len(queue)} · « {escape_markdown(data.cube.long_label(item.question_id))} » · "
                    f"relecture : {REVIEW_LABELS[item.review]}"
                )
                st.markdown(f"> {escape_markdown(item.text)}")
                st.text_area(
                    "Texte montré (modifiez-le pour retirer un nom ; l'original est conservé)",
                    value=item.edited if isinstance(item.edited, str) else item.text,
                    key=edit_key,
                    height=90,
                )
            decide = st.columns(3)
            for column, (decision, key, label, icon) in zip(
                decide,
                [
                    (PUBLIC, "review_public", "Public (p)", ":material/public:"),
                    (PRIVATE, "review_private", "Privé (r)", ":material/lock:"),
                    (REMOVED, "review_removed", "Supprimé (s)", ":material/delete:"),
                ],
                strict=True,
            ):
                column.button(
                    label, key=key, icon=icon, width="stretch", type="primary" if decision == PUBLIC else "secondary",
                    on_click=_decide, args=(item.response_id, item.question_id, decision, edit_key, item.text),
                )  # fmt: skip
            previous, following = st.columns(2)
            previous.button(
                "Précédente (←)", key="review_previous", icon=":material/arrow_back:", width="stretch",
                disabled=index == 0, on_click=_move, args=(-1, len(queue)),
            )  # fmt: skip
            following.button(
                "Suivante (→)", key="review_next", icon=":material/arrow_forward:", width="stretch",
                disabled=index >= len(queue) - 1, on_click=_move, args=(1, len(queue)),
            )  # fmt: skip
            st.caption(
                "Clavier : p public (les étudiant·es peuvent le lire), r privé (vous et l'intervenant·e), "
                "s supprimé ; ← et → pour la réponse précédente ou suivante. Les raccourcis ne s'appliquent "
                "pas pendant la saisie du texte."
            )
            st.html(KEYS_SCRIPT, unsafe_allow_javascript=True)
        if st.session_state.get("_review_done"):
            st.caption(
                f"{plural(st.session_state['_review_done'], 'réponse relue', 'réponses relues')} pendant cette session."
            )

with history_tab:
    history = store.load_publication_history(conn)
    if history.empty:
        st.info("Aucun changement d'état pour le moment.")
    else:
        st.dataframe(
            history.assign(
                changed_at=[f"{format_date(d[:10])} {d[11:16]}" for d in history["changed_at"]],
                title=[labels.get(t, t) for t in history["intervention_id"]],
                state=[RESULT_STATE_LABELS.get(s, s) for s in history["state"]],
                source=[{"page": "page Publication", "cli": "ligne de commande", "import": "import", "migration": "mise à jour de l’application"}.get(s, s)
                        for s in history["source"]],
            )[["changed_at", "title", "state", "source"]],
            column_config={
                "changed_at": st.column_config.TextColumn("Date"),
                "title": st.column_config.TextColumn("Intervention", width="large"),
                "state": st.column_config.TextColumn("Résultats"),
                "source": st.column_config.TextColumn("Par"),
            },
            hide_index=True,
            width="stretch",
        )  # fmt: skip
