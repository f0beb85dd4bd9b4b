"""The speaker's sheet ("Retour sur votre intervention"): the thanks, their ratings against the
programme's average and against talks of the same format (n and intervals), the NPS, the four
fundamentals, the most useful part, the comments the director reviewed as public or private to
the speaker (never the unreviewed or removed ones) and their published quotes.

The sheet leaves the app (the speaker prints it or passes it on): it counts the talks whose
results are published, as students see them, and the programme's averages over the published
talks; nothing under the anonymity threshold.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Sequence
from datetime import datetime

import numpy as np

from insights import store
from insights.analytics.model import Model
from insights.analytics.speakers import recommend
from insights.analytics.stats import is_suppressed
from insights.analytics.survey import (
    PROGRAMME_REFERENCE,
    choice_by_format,
    compare_with_references,
    nps_by_talk,
    pillar_profile,
    talk_distribution,
)
from insights.formatting import format_date, format_number, format_percent, plural
from insights.reports.document import Document, Figure, Heading, KeyFigures, Paragraph, Quote, Table
from insights.reports.errors import ReportError
from insights.reports.svg import IntervalRow, interval_chart
from insights.reports.text import count_text, estimate_text, hidden_note, long_date, missing, nps_text

COMMENT_LIMIT = 400
COMMENTS_PER_QUESTION = 6
QUOTES_SHOWN = 4


def _speaker(model: Model, speaker_id: str) -> dict[str, str]:
    rows = model.speakers[model.speakers["speaker_id"] == speaker_id]
    if not len(rows):
        raise ReportError(f"Intervenant·e inconnu·e : « {speaker_id} ».")
    row = rows.iloc[0]
    return {k: str(row.get(k, "") or "") for k in ("name", "title", "organisation")}


def speaker_sheet(
    conn: sqlite3.Connection,
    model: Model,
    speaker_id: str,
    cohort: str | None = None,
    now: datetime | None = None,
    talk_ids: Sequence[str] = (),
) -> Document:
    """The sheet of one speaker for their talks (of `cohort`, and among `talk_ids`, when given).
    ReportError for an unknown speaker or cohort, or a talk that is not theirs."""
    speaker = _speaker(model, speaker_id)
    now = now or datetime.now()
    cube, threshold = model.cube, model.anonymity_threshold
    own = cube.speaker_mask(speaker_id)
    if cohort is not None:
        known = [str(c) for c in model.cohorts["cohort"]]
        if cohort not in known:
            raise ReportError(
                f"Promotion inconnue : « {cohort} » (connues : {', '.join(known) or 'aucune'})."
            )
        own = own & (cube.column["cohort"] == cohort)
    if talk_ids:
        theirs = set(cube.column["intervention_id"][cube.speaker_mask(speaker_id)])
        foreign = [talk for talk in talk_ids if talk not in theirs]
        if foreign:
            raise ReportError(f"Intervention d'un·e autre intervenant·e ou inconnue : {', '.join(foreign)}.")
        own = own & np.isin(cube.column["intervention_id"], list(talk_ids))
    visible = model.results_mask(False)
    target = own & visible
    who = speaker["name"] + (f", {speaker['title']}" if speaker["title"] else "")
    who += f" — {speaker['organisation']}" if speaker["organisation"] else ""
    document = Document(
        title="Retour sur votre intervention",
        subtitle=who,
        cover_lines=[
            f"Établi le {long_date(now)}" + (f" — promotion {cohort}" if cohort else ""),
            f"Les réponses anonymes des étudiant·es ; aucun chiffre sur moins de {threshold} réponses.",
        ],
        outline=False,
    )
    talks = cube.talks[own]
    if not len(talks):
        document.add(
            Paragraph(
                "Aucune intervention enregistrée" + (f" pour la promotion {cohort}." if cohort else ".")
            )
        )
        return document
    document.add(
        Paragraph(
            f"Merci, {speaker['name']}, d'être venu·e partager votre expérience avec les étudiant·es de la "
            "licence professionnelle. Voici ce qu'ils et elles en ont retenu : leurs notes, comparées aux "
            "autres interventions du programme, leurs commentaires et les citations qu'ils ont notées."
        )
    )
    unpublished = int((own & ~visible).sum())
    if unpublished:
        document.add(
            Paragraph(
                f"{plural(unpublished, 'intervention')} dont les résultats ne sont pas encore publiés "
                + ("n'apparaît" if unpublished == 1 else "n'apparaissent")
                + " pas dans les chiffres.",
                muted=True,
            )
        )

    # Talks.
    satisfaction_rows = (
        talk_distribution(cube, target, "satisfaction", threshold) if "satisfaction" in cube.counts else None
    )
    nps_rows = nps_by_talk(cube, target, "recommend", threshold) if "recommend" in cube.counts else None
    rows = []
    for talk in talks.sort_values("date", ascending=False).itertuples(index=False):
        shown = bool(visible[cube.positions[talk.intervention_id]])
        sat = nps = None
        if shown and satisfaction_rows is not None:
            sat = satisfaction_rows[satisfaction_rows["intervention_id"] == talk.intervention_id].iloc[0]
        if shown and nps_rows is not None:
            nps = nps_rows[nps_rows["intervention_id"] == talk.intervention_id].iloc[0]
        responses = int(cube.responses[cube.positions[talk.intervention_id]])
        rows.append(
            [
                format_date(talk.date),
                str(talk.title),
                str(talk.format),
                (format_number(responses, 0) if responses >= threshold else f"moins de {threshold}")
                if shown
                else "non publiés",
                estimate_text(sat["mean"], sat["low"], sat["high"], None, threshold)
                if sat is not None
                else "–",
                nps_text(nps["score"], nps["low"], nps["high"]) if nps is not None else "–",
            ]
        )
    document.add(
        Heading("Vos interventions"),
        Table(
            ["Date", "Intervention", "Format", "Réponses", "Satisfaction [IC 95 %]", "Réinviter (NPS)"],
            rows,
            numeric=[3, 5],
            widths=[0, 3, 1.3, 0, 1.7, 0],
        ),
    )

    # Ratings against the programme and the same format.
    breakdown = recommend(cube, target)
    nps_hidden = is_suppressed(breakdown.n, threshold)
    comparison = compare_with_references(cube, target, threshold, programme=visible)
    programme_rows = comparison[comparison["reference"] == PROGRAMME_REFERENCE]
    format_rows = comparison[comparison["reference"] != PROGRAMME_REFERENCE]
    satisfaction_row = programme_rows[programme_rows["question_id"] == "satisfaction"]
    key = []
    if len(satisfaction_row):
        r = satisfaction_row.iloc[0]
        key.append(
            (
                "Satisfaction",
                hidden_note(threshold) if missing(r["mean"]) else f"{format_number(r['mean'], 2)} /5",
                f"n = {count_text(r['n'])}"
                + (
                    ""
                    if missing(r["reference_mean"])
                    else f" ; programme {format_number(r['reference_mean'], 2)} /5"
                ),
            )
        )
    key.append(
        (
            "Réinviter (NPS)",
            hidden_note(threshold) if nps_hidden else nps_text(breakdown.score),
            f"n = {format_number(breakdown.n, 0)}"
            + (
                ""
                if nps_hidden
                else f" ; {format_percent(breakdown.promoters / breakdown.n)} de promoteurs, "
                f"{format_percent(breakdown.detractors / breakdown.n)} de détracteurs"
            ),
        )
    )
    document.add(Heading("Vos notes"), KeyFigures(key))
    if len(programme_rows):
        same_format = format_rows.set_index("question_id")
        table_rows = []
        for r in programme_rows.itertuples(index=False):
            f = same_format.loc[r.question_id] if r.question_id in same_format.index else None
            table_rows.append(
                [
                    str(r.label),
                    estimate_text(r.mean, r.low, r.high, r.n, threshold),
                    estimate_text(
                        r.reference_mean, r.reference_low, r.reference_high, r.reference_n, threshold
                    ),
                    estimate_text(
                        f["reference_mean"],
                        f["reference_low"],
                        f["reference_high"],
                        f["reference_n"],
                        threshold,
                    )
                    if f is not None
                    else "–",
                ]
            )
        same_label = str(format_rows["reference"].iloc[0]) if len(format_rows) else "Même format"
        document.add(
            Table(
                ["Question", "Vos interventions", "Reste du programme", same_label],
                table_rows,
                caption="Moyennes sur 5 avec leur intervalle de confiance à 95 % et le nombre de réponses.",
            )
        )
        chart_rows = [
            IntervalRow(str(r.label), float(r.mean), float(r.low), float(r.high), float(r.reference_mean))
            for r in programme_rows.itertuples(index=False)
        ]
        if any(not math.isnan(r.mean) for r in chart_rows):
            document.add(
                Figure(
                    interval_chart(chart_rows, "Vos notes face au programme", "reste du programme"),
                    "Vos notes face au reste du programme : "
                    + "; ".join(
                        f"{r.label} {format_number(r.mean, 2)}" for r in chart_rows if not math.isnan(r.mean)
                    ),
                    "Vos moyennes (point et intervalle à 95 %) et celles du reste du programme (trait gris).",
                )
            )

    pillars = pillar_profile(cube, target, threshold, programme=visible)
    if len(pillars):
        document.add(
            Heading("Les quatre fondamentaux"),
            Table(
                ["Fondamental", "Vos interventions", "Programme"],
                [
                    [
                        str(r.label),
                        estimate_text(r.mean, r.low, r.high, r.n, threshold),
                        estimate_text(
                            r.programme_mean, r.programme_low, r.programme_high, r.programme_n, threshold
                        ),
                    ]
                    for r in pillars.itertuples(index=False)
                ],
                caption="Transparence, conversation, juste engagement et enthousiasme, tels que les étudiant·es les ont perçus.",
            ),
        )

    if "best_part" in cube.counts:
        parts = choice_by_format(cube, target, "best_part", threshold)
        counts = parts[~parts["suppressed"].astype(bool)].groupby("option", sort=False)["answers"].sum()
        total = int(counts.sum()) if len(counts) else 0
        document.add(Heading("La partie la plus utile"))
        if total >= threshold:
            ordered = counts.sort_values(ascending=False)
            document.add(
                Table(
                    ["Partie", "Réponses", "Part"],
                    [
                        [str(o), format_number(int(c), 0), format_percent(int(c) / total)]
                        for o, c in ordered.items()
                    ],
                    numeric=[1, 2],
                )
            )
        else:
            document.add(Paragraph(hidden_note(threshold).capitalize() + "."))

    # Comments reviewed for the speaker's eyes, from talks with enough responses.
    allowed = target & (cube.responses >= threshold)
    talk_ids = [str(t) for t in cube.column["intervention_id"][np.flatnonzero(allowed)[::-1]]]
    text_questions = cube.question_ids("text")
    comments = store.speaker_comments(conn, talk_ids, text_questions, COMMENT_LIMIT)
    document.add(Heading("Ce que les étudiant·es ont écrit"))
    if comments:
        titles = dict(zip(cube.column["intervention_id"], cube.column["title"], strict=True))
        for question_id in text_questions:
            chosen = [(talk_id, text) for talk_id, q, text in comments if q == question_id]
            if not chosen:
                continue
            document.add(
                Table(
                    [cube.label(question_id), "Intervention"],
                    [
                        [text, str(titles.get(talk_id, talk_id))]
                        for talk_id, text in chosen[:COMMENTS_PER_QUESTION]
                    ],
                    widths=[2.2, 1],
                )
            )
            if len(chosen) > COMMENTS_PER_QUESTION:
                document.add(
                    Paragraph(
                        f"… et {plural(len(chosen) - COMMENTS_PER_QUESTION, 'autre réponse')}.", muted=True
                    )
                )
    else:
        document.add(Paragraph("Aucun commentaire relu à vous transmettre.", muted=True))

    quotes = store.speaker_quotes(conn, speaker_id)
    if cohort is not None and len(quotes):
        quotes = quotes[quotes["cohort"] == cohort]
    document.add(Heading("Vos citations publiées"))
    if len(quotes):
        for quote in quotes.head(QUOTES_SHOWN).itertuples(index=False):
            source = str(quote.intervention_title or "")
            when = format_date(quote.date) if quote.date else ""
            document.add(Quote(str(quote.text), source + (f", {when}" if when else "") or speaker["name"]))
    else:
        document.add(Paragraph("Aucune citation publiée pour l'instant.", muted=True))
    document.add(
        Paragraph(
            "Cette fiche vous est personnelle : vous pouvez l'imprimer ou la transmettre. "
            f"Réponses comptées : {count_text(int(cube.responses[target].sum()))}.",
            muted=True,
        )
    )
    return document
