"""Mon carnet: the quotes a student saved from the wall, grouped by theme with their speakers and
talks, a personal note for each, and the exports (Markdown, CSV, PDF, HTML).

Students do not sign in: the notebook lives under a random code, kept in the session and in the
page's link (`?carnet=CODE`), which the student bookmarks to come back from any browser.
"""

from __future__ import annotations

import streamlit as st

from insights import reports, store
from insights.formatting import escape_markdown, format_date, plural, quoted
from insights.reports import notebook
from pages import common, quote_sharing

conn = common.connection()

st.title("Mon carnet")
st.caption(
    "Les conseils des intervenant·es que vous gardez pour votre premier poste : enregistrez-les depuis le "
    "mur de citations, ajoutez une note, exportez-les."
)

param = st.query_params.get(quote_sharing.NOTEBOOK_PARAM)
if param is not None:
    code = store.parse_notebook_code(param)
    if code is not None and store.notebook_exists(conn, code):
        quote_sharing.adopt_notebook(code)
    else:
        st.error(
            "Ce lien de carnet n'est pas valide : vérifiez qu'il a été copié en entier.",
            icon=":material/link_off:",
        )

code = quote_sharing.notebook_code()
contents = store.load_notebook(conn, code) if code else None
if contents is None:
    st.info(
        "Votre carnet est vide. Sur le mur de citations, le bouton « Enregistrer » sous une citation "
        "l'ajoute à votre carnet ; un lien vers votre carnet s'affichera ici.",
        icon=":material/bookmark_add:",
    )
    st.page_link("pages/quotes.py", label="Aller au mur de citations", icon=":material/format_quote:")
    common.stop_page()

st.query_params[quote_sharing.NOTEBOOK_PARAM] = contents.code

with st.container(border=True, key="notebook_link"):
    st.markdown(":material/bookmark: **Lien vers mon carnet**")
    st.code(quote_sharing.notebook_url(contents.code), language=None, wrap_lines=True)
    st.caption(
        "Ajoutez ce lien à vos favoris ou envoyez-le vous : il rouvre votre carnet depuis n'importe quel "
        "navigateur. C'est la seule clé de votre carnet : ne le publiez pas. "
        f"Carnet créé le {format_date(contents.created_at)}."
    )

if contents.unavailable:
    st.info(
        f"{notebook.unavailable_text(contents.unavailable)} (retiré du mur depuis que vous l'avez enregistré).",
        icon=":material/info:",
    )

saved = notebook.saved_quotes(conn, contents)
st.markdown(f"**{plural(len(saved), 'conseil')}** dans votre carnet.")

if saved:
    markdown_column, csv_column, pdf_column, html_column = st.columns(4)
    downloads = (
        (
            markdown_column,
            "Markdown",
            "md",
            "text/markdown",
            lambda: notebook.notebook_markdown(saved, contents.unavailable).encode("utf-8"),
        ),
        (csv_column, "CSV", "csv", "text/csv", lambda: notebook.notebook_csv(saved)),
        (
            pdf_column,
            "PDF",
            "pdf",
            "application/pdf",
            lambda: reports.render(notebook.notebook_document(saved, contents.unavailable), "pdf"),
        ),
        (
            html_column,
            "HTML",
            "html",
            "text/html",
            lambda: reports.render(notebook.notebook_document(saved, contents.unavailable), "html"),
        ),
    )
    for column, label, extension, mime, build in downloads:
        column.download_button(
            f"Télécharger ({label})",
            build,
            file_name=f"mon-carnet.{extension}",
            mime=mime,
            icon=":material/download:",
            key=f"notebook_{extension}",
            width="stretch",
            on_click="ignore",
        )


@common.guarded
def _save_note(quote_id: str) -> None:
    store.set_note(common.connection(), contents.code, quote_id, st.session_state.get(f"note_{quote_id}", ""))
    st.toast("Note enregistrée.", icon=":material/check_circle:")


ids = set(contents.quote_ids)
for theme, items in notebook.by_theme(saved):
    st.subheader(theme, anchor=False)
    for item in items:
        hit = item.hit
        with st.container(border=True, key=f"notebook_quote_{hit.quote_id}"):
            st.markdown(quoted(escape_markdown(hit.text)))
            st.caption(escape_markdown(notebook.source_text(hit)))
            st.text_area(
                "Ma note",
                value=item.note,
                max_chars=store.MAX_NOTE_LENGTH,
                key=f"note_{hit.quote_id}",
                on_change=_save_note,
                args=(hit.quote_id,),
                placeholder="Pourquoi ce conseil, quand m'en servir…",
                height=80,
            )
            quote_sharing.quote_actions(hit.quote_id, "notebook", ids)
