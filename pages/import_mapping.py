"""The Données page's survey-import form: the director maps a survey export's columns to the
programme's questions (or its grids to talks), names the file's talk, and maps the answers no
scale recognises."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from insights import store
from insights.domain import LIKERT_LABELS
from insights.formatting import escape_label, escape_markdown, format_date, plural
from insights.ingest import imports, mapping, unrecognised
from pages import common


def escape_line(text: str) -> str:
    """Data text (headers, cells) shown literally in Markdown, on one line."""
    return escape_markdown(" ".join(text.split()))


def intervention_label(interventions: pd.DataFrame) -> dict[str, str]:
    return {
        row.intervention_id: f"{row.intervention_id} — {row.title} ({format_date(row.date)})"
        for row in interventions.itertuples(index=False)
    }


def mapping_form(analysis: imports.Analysis, widget: str) -> tuple[mapping.Mapping, str | None]:
    """The director's mapping of a survey export's columns, and the whole file's intervention."""
    data = common.model()
    catalogue = store.load_questions(common.connection())
    labels = dict(zip(catalogue["question_id"], catalogue["label"], strict=True))
    interventions = data.interventions.sort_values(["date", "intervention_id"], ascending=[False, True])
    names = intervention_label(interventions)
    proposed = analysis.mapping
    if analysis.saved == "exact":
        st.info(
            "Correspondance des colonnes : celle enregistrée pour ce formulaire lors d'un import précédent.",
            icon=":material/history:",
        )
    elif analysis.saved == "similar":
        st.info(
            "Correspondance reprise d'un formulaire proche, importé précédemment : vérifiez-la.",
            icon=":material/history:",
        )

    grid_mode = mapping.GRID_BY_QUESTION
    if analysis.grids:
        grid_mode = st.radio(
            "Questions en grille (« Question [Ligne] »)",
            [mapping.GRID_BY_QUESTION, mapping.GRID_BY_INTERVENTION],
            index=[mapping.GRID_BY_QUESTION, mapping.GRID_BY_INTERVENTION].index(proposed.grid_mode),
            format_func={
                mapping.GRID_BY_QUESTION: "Chaque ligne de grille est une question",
                mapping.GRID_BY_INTERVENTION: "Chaque ligne de grille est une intervention (la grille est la question)",
            }.get,
            key=f"{widget}_grid_mode",
            horizontal=True,
        )
    columns_targets: dict[str, mapping.ColumnTarget] = {}
    grid_questions: dict[str, mapping.ColumnTarget] = {}
    grid_rows: dict[str, str] = {}
    intervention_id: str | None = None
    by_intervention = grid_mode == mapping.GRID_BY_INTERVENTION
    question_ids = catalogue["question_id"].tolist()

    if by_intervention:
        st.caption("Dans ce mode, seules les grilles sont importées ; les autres colonnes sont ignorées.")
        options = mapping.target_options(question_ids, for_grid=True)
        for number, title in enumerate(analysis.grids):
            current = proposed.grid_questions.get(title, mapping.ColumnTarget())
            choice = st.selectbox(
                f"Grille « {escape_label(title)} »",
                options,
                index=options.index(mapping.target_option(current))
                if mapping.target_option(current) in options
                else 0,
                format_func=lambda o: mapping.option_label(o, labels),
                key=f"{widget}_grid_{number}",
            )
            grid_questions[title] = mapping.option_target(choice, current.values)
        rows = list(dict.fromkeys(c.grid_row or "" for grid in analysis.grids.values() for c in grid))
        st.markdown("**Intervention de chaque ligne de grille**")
        choices = ["", *names]
        for number, row in enumerate(rows):
            current_row = proposed.grid_rows.get(row, "")
            grid_rows[row] = st.selectbox(
                f"Ligne « {escape_label(row)} »",
                choices,
                index=choices.index(current_row) if current_row in choices else 0,
                format_func=lambda i: names.get(i, "— ignorer cette ligne —"),
                key=f"{widget}_row_{number}",
            )
    else:
        options = mapping.target_options(question_ids)
        pending = 0
        with st.container(border=True):
            st.markdown("**Correspondance des colonnes**")
            for column in analysis.columns:
                if column.role != "question":
                    continue
                current = proposed.columns.get(column.key, mapping.ColumnTarget())
                current_option = mapping.target_option(current)
                left, right = st.columns([1, 1], vertical_alignment="center")
                samples = analysis.samples(column.key)
                left.markdown(f"**{escape_line(column.key)}**")
                if samples:
                    left.caption("Ex. : " + " · ".join(escape_line(s[:60]) for s in samples))
                else:
                    left.caption("Colonne vide")
                choice = right.selectbox(
                    f"Correspondance de « {escape_label(column.key)} »",
                    options,
                    index=options.index(current_option) if current_option in options else 0,
                    format_func=lambda o: mapping.option_label(o, labels),
                    key=f"{widget}_col_{column.index}",
                    label_visibility="collapsed",
                )
                pending += choice == mapping.UNMAPPED
                columns_targets[column.key] = mapping.option_target(choice, current.values)
            for label, keys in analysis.tool_columns():
                st.caption(f"{label} : " + " · ".join(escape_line(k) for k in keys))
        if pending:
            st.warning(f"{plural(pending, 'colonne')} à associer avant l'import.", icon=":material/rule:")

    chosen = mapping.Mapping(
        columns=columns_targets or dict(proposed.columns),
        intervention_values=dict(proposed.intervention_values),
        grid_mode=grid_mode,
        grid_questions=grid_questions or dict(proposed.grid_questions),
        grid_rows=grid_rows or dict(proposed.grid_rows),
    )

    if not by_intervention:
        column_key = chosen.intervention_column()
        if column_key is None:
            choices = ["", *names]
            intervention_id = (
                st.selectbox(
                    "Intervention de tout le fichier",
                    choices,
                    format_func=lambda i: names.get(i, "— choisir l'intervention —"),
                    key=f"{widget}_intervention",
                    help="Ou, si une colonne du fichier donne l'intervention, choisissez « Donne l'intervention » pour elle.",
                )
                or None
            )
        else:
            st.caption(
                f"L'intervention de chaque réponse est lue dans la colonne « {escape_line(column_key)} »."
            )
            unmatched = unrecognised.unmatched_interventions(analysis, chosen, data.interventions)
            values = dict(chosen.intervention_values)
            choices = ["", *names]
            for number, value in enumerate(unmatched):
                picked = st.selectbox(
                    f"Intervention pour « {escape_label(value)} »",
                    choices,
                    format_func=lambda i: names.get(i, "— à choisir —"),
                    key=f"{widget}_value_{number}",
                )
                if picked:
                    values[value] = picked
            chosen = replace(chosen, intervention_values=values)
    chosen = value_maps(analysis, chosen, catalogue, widget)
    return chosen, intervention_id


def value_maps(
    analysis: imports.Analysis, chosen: mapping.Mapping, catalogue: pd.DataFrame, widget: str
) -> mapping.Mapping:
    """Answers no scale recognises, each mapped by hand to a value (or left out)."""
    unknown = unrecognised.unrecognised_values(analysis, chosen, catalogue)
    if not unknown:
        return chosen
    types = dict(zip(catalogue["question_id"], catalogue["type"], strict=True))
    options_of = dict(zip(catalogue["question_id"], catalogue["options"], strict=True))
    by_grid = chosen.grid_mode == mapping.GRID_BY_INTERVENTION
    columns, grids = dict(chosen.columns), dict(chosen.grid_questions)
    count = sum(map(len, unknown.values()))
    with st.expander(f"Réponses non reconnues ({count})", expanded=True, icon=":material/help:"):
        st.caption(
            "Associez chaque réponse à une valeur de la question, ou laissez-la de côté (elle ne sera pas importée)."
        )
        for number, (key, values) in enumerate(unknown.items()):
            in_grid = by_grid and key in grids
            target = grids[key] if in_grid else columns[key]
            question_type = types[target.question_id]
            if question_type == "likert5":
                scale = {str(i): f"{i} – {label}" for i, label in enumerate(LIKERT_LABELS, start=1)}
            elif question_type == "nps":
                scale = {str(i): str(i) for i in range(11)}
            else:
                scale = {o: o for o in options_of[target.question_id].split(";") if o}
            special = {"?": "— non reconnue (erreur) —", "": "Ne pas importer cette réponse"}
            picks = dict(target.values)
            for rank, value in enumerate(values):
                choice = st.selectbox(
                    f"« {escape_label(value)} » ({escape_label(key)})",
                    ["?", "", *scale],
                    format_func=lambda v, scale=scale, special=special: special.get(v, scale.get(v, v)),
                    key=f"{widget}_map_{number}_{rank}",
                )
                if choice != "?":
                    picks[value] = choice
            if in_grid:
                grids[key] = replace(target, values=picks)
            else:
                columns[key] = replace(target, values=picks)
    return replace(chosen, columns=columns, grid_questions=grids)
