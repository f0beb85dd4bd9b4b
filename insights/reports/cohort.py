"""The cohort report ("Bilan de la promotion …") for the programme council: key figures against the
previous cohort, every talk with its figures, the Likert answers and the four fundamentals, the
themes covered against the target mix, whom to invite again, trends over cohorts, the most useful
part by format and published quotes.

Every figure comes from the functions the pages call (`overview.page_figures`,
`survey_page.page_figures`, `survey.pillar_profile`, `planning.representation`,
`speakers.reinvite_ranking`), with the model's anonymity threshold and the audience's publication
rules: the students' version counts published results only and leaves out the director's
sections (the target mix and whom to invite again).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

import numpy as np
import pandas as pd

from insights import store
from insights.analytics import overview, survey_page
from insights.analytics.model import Model
from insights.analytics.planning import representation, targets_from_store
from insights.analytics.speakers import reinvite_ranking
from insights.analytics.stats import LIKERT_VALUES
from insights.analytics.survey import pillar_profile
from insights.domain import THEME_LABELS
from insights.filters import Filters
from insights.formatting import format_date, format_number, format_percent, format_signed, plural
from insights.reports.document import Document, Figure, Heading, KeyFigures, Paragraph, Quote, Table
from insights.reports.errors import ReportError
from insights.reports.svg import IntervalRow, LikertRow, diverging_likert, interval_chart
from insights.reports.text import (
    count_text,
    estimate_text,
    filters_text,
    hidden_note,
    long_date,
    mean_text,
    missing,
    nps_text,
)

QUOTES_SHOWN = 6
QUOTE_CHOICES = 2000
"""The published quotes the director may choose from for a cohort report."""
REINVITE_SHOWN = 8


def _key_figures(figures: overview.OverviewFigures, threshold: int) -> list[tuple[str, str, str]]:
    values, changes, previous = figures.values, figures.changes, figures.previous

    def change(key: str, decimals: int, unit: str = "") -> str:
        if previous is None:
            return "pas de promotion précédente"
        delta = changes.get(key)
        if missing(delta):
            return f"{previous} : pas de comparaison"
        return f"{format_signed(float(delta) * (100 if key == 'response_rate' else 1), decimals)}{unit} par rapport à {previous}"

    def value(key: str, render) -> str:  # type: ignore[no-untyped-def]
        raw = values.get(key)
        return hidden_note(threshold) if missing(raw) else render(raw)

    return [
        ("Interventions", value("interventions", lambda v: format_number(v, 0)), change("interventions", 0)),
        ("Intervenant·es", value("speakers", lambda v: format_number(v, 0)), change("speakers", 0)),
        ("Réponses", value("responses", lambda v: format_number(v, 0)), change("responses", 0)),
        ("Taux de réponse", value("response_rate", format_percent), change("response_rate", 0, " pts")),
        (
            "Satisfaction",
            value("satisfaction", lambda v: f"{format_number(v, 2)} /5"),
            change("satisfaction", 2),
        ),
        ("Réinviter (NPS)", value("nps", lambda v: format_signed(v, 0)), change("nps", 0)),
    ]


def _talk_rows(figures: survey_page.PageFigures, threshold: int) -> list[list[str]]:
    talks = figures.talks
    if not len(talks):
        return []
    nps = figures.nps_talks.set_index("intervention_id") if len(figures.nps_talks) else pd.DataFrame()
    rates = figures.response_rates.set_index("intervention_id")
    rows = []
    for talk in talks.itertuples(index=False):
        title = str(talk.title) + (" (participation faible)" if bool(talk.low_participation) else "")
        n_nps = nps.loc[talk.intervention_id] if talk.intervention_id in nps.index else None
        rate = rates.loc[talk.intervention_id, "rate"] if talk.intervention_id in rates.index else np.nan
        rows.append(
            [
                format_date(talk.date),
                title,
                str(talk.format),
                count_text(talk.n) if not talk.suppressed else f"moins de {threshold}",
                estimate_text(talk.mean, talk.low, talk.high, None, threshold),
                nps_text(n_nps["score"], n_nps["low"], n_nps["high"]) if n_nps is not None else "–",
                "–" if missing(rate) else format_percent(rate),
            ]
        )
    return rows


def _likert_figure(distribution: pd.DataFrame) -> Figure | None:
    shown = distribution[~distribution["suppressed"].astype(bool)]
    if not len(shown):
        return None
    rows = [
        LikertRow(str(r["label"]), [float(r[f"share_{v}"]) for v in LIKERT_VALUES], int(r["n"]))
        for _, r in shown.iterrows()
    ]
    alt = "; ".join(
        f"{r.label} : {format_percent(sum(r.shares[3:]))} d'accord (n = {format_number(r.n, 0)})"
        for r in rows
    )
    return Figure(
        diverging_likert(rows, "Réponses aux questions d'échelle"),
        "Réponses aux questions d'échelle : " + alt,
        "Réponses de la promotion à chaque question d'échelle (pas du tout d'accord à gauche, tout à fait d'accord à droite).",
    )


def _pillars(pillars: pd.DataFrame, threshold: int) -> list[Figure | Table]:
    if not len(pillars):
        return []
    rows = [
        IntervalRow(
            str(r["label"]), float(r["mean"]), float(r["low"]), float(r["high"]), float(r["programme_mean"])
        )
        for _, r in pillars.iterrows()
    ]
    table = Table(
        ["Fondamental", "Promotion", "Programme"],
        [
            [
                str(r["label"]),
                estimate_text(r["mean"], r["low"], r["high"], r["n"], threshold),
                estimate_text(
                    r["programme_mean"], r["programme_low"], r["programme_high"], r["programme_n"], threshold
                ),
            ]
            for _, r in pillars.iterrows()
        ],
        caption="Les quatre fondamentaux du community management : la promotion et l'ensemble du programme.",
    )
    alt = "; ".join(f"{r.label} : {mean_text(r.mean, threshold)}" for r in rows)
    figure = Figure(
        interval_chart(rows, "Les quatre fondamentaux", "moyenne du programme"),
        "Les quatre fondamentaux : " + alt,
        "Les quatre fondamentaux : moyenne de la promotion (point, intervalle à 95 %) et du programme (trait gris).",
    )
    return [figure, table]


def _themes(
    model: Model, cohort: str, selection: pd.DataFrame, conn: sqlite3.Connection, director: bool
) -> list:
    coverage = overview.theme_coverage(selection)
    missed = [
        THEME_LABELS[t] for t, n in zip(coverage["theme"], coverage["interventions"], strict=True) if n == 0
    ]
    blocks: list = []
    if director:
        targets = targets_from_store(store.load_planning_targets(conn))
        mix = representation(selection, model.speakers, [cohort], targets)
        themes = mix[mix["kind"] == "theme"]
        blocks.append(
            Table(
                ["Thème", "Interventions", "Objectif par promotion", "Écart"],
                [
                    [
                        str(r.label),
                        format_number(r.latest, 0),
                        format_number(r.target, 0),
                        format_signed(r.latest - r.target, 0) if r.latest != r.target else "0",
                    ]
                    for r in themes.itertuples(index=False)
                ],
                numeric=[1, 2, 3],
                caption="Thèmes couverts par la promotion face à l'objectif (le mix cible de la page Thèmes).",
            )
        )
    else:
        blocks.append(
            Table(
                ["Thème", "Interventions"],
                [
                    [THEME_LABELS[t], format_number(n, 0)]
                    for t, n in zip(coverage["theme"], coverage["interventions"], strict=True)
                ],
                numeric=[1],
                caption="Thèmes couverts par la promotion.",
            )
        )
    blocks.append(
        Paragraph(
            "Thèmes manqués : " + (", ".join(missed) if missed else "aucun, chaque thème a été abordé.")
        )
    )
    return blocks


def _reinvite(ranking: pd.DataFrame, threshold: int) -> list:
    shown = ranking[~ranking["below_threshold"].astype(bool)].head(REINVITE_SHOWN)
    if not len(shown):
        return [
            Paragraph(
                f"Aucun·e intervenant·e n'a assez de réponses (au moins {threshold}) pour être classé·e."
            )
        ]
    return [
        Table(
            ["Intervenant·e", "Organisation", "Réinviter (NPS)", "Utilité"],
            [
                [
                    str(r.name),
                    str(r.organisation),
                    f"{nps_text(r.nps)} (n = {format_number(r.nps_n, 0)})",
                    estimate_text(
                        r.usefulness, r.usefulness_low, r.usefulness_high, r.usefulness_n, threshold
                    ),
                ]
                for r in shown.itertuples(index=False)
            ],
            numeric=[2],
            caption="Intervenant·es à réinviter : classé·es par NPS puis par utilité, avec le nombre de réponses.",
        )
    ]


def _trends(by_cohort: pd.DataFrame, threshold: int) -> Table | None:
    if not len(by_cohort):
        return None
    return Table(
        ["Promotion", "Interventions", "Réponses", "Taux de réponse", "Satisfaction", "NPS"],
        [
            [
                str(r.cohort),
                format_number(r.interventions, 0),
                count_text(r.responses),
                "–" if missing(r.response_rate) else format_percent(r.response_rate),
                mean_text(r.satisfaction, threshold)
                + ("" if missing(r.satisfaction) else f" (n = {format_number(r.satisfaction_n, 0)})"),
                nps_text(r.nps) + ("" if missing(r.nps) else f" (n = {format_number(r.nps_n, 0)})"),
            ]
            for r in by_cohort.itertuples(index=False)
        ],
        numeric=[1, 2, 3],
        caption="Évolution d'une promotion à l'autre (mêmes filtres, toutes promotions).",
    )


def _best_part(choices: pd.DataFrame, threshold: int) -> Table | None:
    if not len(choices):
        return None
    rows = []
    for format_name, group in choices.groupby("format", sort=False):
        if bool(group["suppressed"].iloc[0]):
            rows.append([str(format_name), hidden_note(threshold), ""])
            continue
        best = group.sort_values("share", ascending=False).iloc[0]
        rows.append(
            [
                str(format_name),
                f"{best['option']} ({format_percent(best['share'])})",
                format_number(int(best["n"]), 0),
            ]
        )
    return Table(
        ["Format", "Partie la plus utile", "Réponses"],
        rows,
        numeric=[2],
        caption="La partie jugée la plus utile, par format d'intervention.",
    )


def cohort_report(
    conn: sqlite3.Connection,
    model: Model,
    cohort: str,
    filters: Filters | None = None,
    director: bool = True,
    now: datetime | None = None,
    quote_ids: Sequence[str] = (),
) -> Document:
    """The cohort report of `cohort` under the sidebar's other `filters`, for the director or, with
    `director=False`, for students' eyes; its quotes are `quote_ids` (those published from the
    selection's talks, in that order), or the latest published ones. ReportError for an unknown
    cohort or a quote that is not a published one of the selection."""
    known = [str(c) for c in model.cohorts["cohort"]]
    if cohort not in known:
        raise ReportError(f"Promotion inconnue : « {cohort} » (connues : {', '.join(known) or 'aucune'}).")
    now = now or datetime.now()
    filters = filters or Filters()
    threshold = model.anonymity_threshold
    scoped = replace(filters, cohorts=(cohort,))
    summary = overview.page_figures(conn, model, scoped, reference=cohort, director=director)
    choices = survey_page.PageChoices(
        question_id="satisfaction", ranking="all", nps_question_id="recommend", nps_ranking="all"
    )
    figures = survey_page.page_figures(conn, model, scoped, choices, director=director)
    visible = model.results_mask(director)
    mask = model.mask(scoped) & visible
    selection = model.selection(scoped)

    document = Document(
        title=f"Bilan de la promotion {cohort}",
        subtitle="Licence professionnelle — les interventions de professionnel·les",
        cover_lines=[
            f"Généré le {long_date(now)} à {now:%H:%M}",
            filters_text(filters),
            "Version du responsable de formation : toutes les interventions."
            if director
            else "Version pour les étudiant·es : résultats publiés seulement.",
            f"Aucun chiffre n'est calculé sur moins de {threshold} réponses (seuil d'anonymat).",
        ],
    )
    if summary.interventions == 0:
        document.add(
            Heading("Chiffres clés"),
            Paragraph(
                "Aucune intervention de cette promotion ne correspond à cette sélection : rien à présenter."
            ),
        )
        return document
    if figures.unpublished:
        document.cover_lines.append(
            f"{plural(figures.unpublished, 'intervention')} dont les résultats ne sont pas publiés : "
            "aucun chiffre d'enquête n'en tient compte."
        )

    document.add(Heading("Chiffres clés"), KeyFigures(_key_figures(summary, threshold)))

    document.add(Heading("Les interventions"))
    talk_rows = _talk_rows(figures, threshold)
    if talk_rows:
        document.add(
            Table(
                [
                    "Date",
                    "Intervention",
                    "Format",
                    "n",
                    "Satisfaction [IC 95 %]",
                    "NPS [IC 95 %]",
                    "Taux de réponse",
                ],
                talk_rows,
                numeric=[3, 6],
                widths=[0, 3, 1.4, 0, 1.7, 1.4, 0],
                caption=f"Satisfaction moyenne sur 5 et NPS de chaque intervention ; « masqué » sous {threshold} réponses.",
            )
        )
    else:
        document.add(Paragraph("Aucune intervention de la sélection n'a de résultats à montrer."))
    likert = _likert_figure(figures.distribution)
    if likert is not None:
        document.add(Heading("Les réponses aux questions", 2), likert)
    pillars = pillar_profile(model.cube, mask, threshold, programme=visible)
    if len(pillars):
        document.add(Heading("Les quatre fondamentaux", 2), *_pillars(pillars, threshold))

    document.add(Heading("Les thèmes abordés"), *_themes(model, cohort, selection, conn, director))
    if director:
        document.add(
            Heading("Qui réinviter ?", 2),
            *_reinvite(reinvite_ranking(model.cube, mask, threshold), threshold),
        )

    document.add(Heading("Tendances"))
    trend = _trends(summary.by_cohort, threshold)
    if trend is not None:
        document.add(trend)
    best = _best_part(figures.choice_shares, threshold)
    if best is not None:
        document.add(Heading("La partie la plus utile", 2), best)

    talk_ids = selection.sort_values(["date", "intervention_id"], ascending=False)["intervention_id"].tolist()
    quotes = _chosen_quotes(conn, talk_ids, quote_ids)
    document.add(Heading("Citations"))
    if len(quotes):
        for quote in quotes.itertuples(index=False):
            document.add(Quote(str(quote.text), _quote_source(quote)))
    else:
        document.add(Paragraph("Aucune citation publiée pour les interventions de la sélection."))
    return document


def cohort_quotes(
    conn: sqlite3.Connection, model: Model, cohort: str, filters: Filters | None = None
) -> pd.DataFrame:
    """The published quotes the cohort report of `cohort` may show (its talks under `filters`),
    latest talk first. Columns: store.QUOTE_LIST_COLUMNS."""
    scoped = replace(filters or Filters(), cohorts=(cohort,))
    selection = model.selection(scoped)
    talk_ids = selection.sort_values(["date", "intervention_id"], ascending=False)["intervention_id"].tolist()
    return store.latest_published_quotes(conn, talk_ids, limit=QUOTE_CHOICES)


def _chosen_quotes(conn: sqlite3.Connection, talk_ids: list[str], quote_ids: Sequence[str]) -> pd.DataFrame:
    if not quote_ids:
        return store.latest_published_quotes(conn, talk_ids, limit=QUOTES_SHOWN)
    pool = store.latest_published_quotes(conn, talk_ids, limit=QUOTE_CHOICES).set_index("quote_id")
    unknown = [quote_id for quote_id in quote_ids if quote_id not in pool.index]
    if unknown:
        raise ReportError(
            "Citation absente des citations publiées de la promotion : " + ", ".join(unknown) + "."
        )
    return pool.loc[list(dict.fromkeys(quote_ids))].reset_index()


def _quote_source(quote: object) -> str:
    name = str(getattr(quote, "name", "") or "")
    organisation = str(getattr(quote, "organisation", "") or "")
    title = str(getattr(quote, "intervention_title", "") or "")
    when = format_date(getattr(quote, "date", "") or "")
    parts = [name + (f" ({organisation})" if organisation else "")]
    if title:
        parts.append(title + (f", {when}" if when else ""))
    return " — ".join(p for p in parts if p)
