"""Plotly figures of the speakers' pages: a career timeline, the routes into the job, education
and experience across speakers, a speaker's ratings and NPS, and whom to invite again.

Text from data (roles, organisations, names, education) is HTML-escaped before Plotly sees it:
Plotly renders a subset of HTML (links included) in labels and hover text.
"""

from __future__ import annotations

import html
import math
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from insights.analytics.careers import COMMUNICATION_FAMILIES, EDUCATION_FAMILIES, ROLE_FAMILIES, STAGES
from insights.analytics.stats import NpsBreakdown
from insights.charts.layout import base_layout, wrap_label
from insights.charts.palette import ACCENT, CATEGORICAL, MUTED, NPS_COLOURS, ORG_TYPE_COLOURS, PRIMARY
from insights.formatting import format_number, format_percent, format_signed

EDUCATION_COLOUR = "#444444"
"""The education marker of a career timeline: neutral, apart from the role families' colours."""

ROLE_FAMILY_COLOURS: dict[str, str] = dict(zip(ROLE_FAMILIES, CATEGORICAL, strict=False))
EDUCATION_FAMILY_COLOURS: dict[str, str] = dict(zip(EDUCATION_FAMILIES, CATEGORICAL, strict=False))


def plain(text: object) -> str:
    """Data text made safe for Plotly's labels (its HTML subset is escaped)."""
    return html.escape(str(text), quote=False)


def wrapped(text: object, width: int) -> str:
    """Escaped data text broken into lines of at most `width` characters (`<br>` between)."""
    return "<br>".join(plain(line) for line in textwrap.wrap(str(text), width) or [""])


def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


# --- one speaker ------------------------------------------------------------------------------

EDUCATION_ROW = "Formation"


def career_timeline_figure(
    timeline: pd.DataFrame, education: str, until: int, *, narrow: bool = False
) -> go.Figure:
    """A speaker's career as horizontal bars on a years axis, oldest step at the top, coloured by
    role family, with the education in a first row ending where the first step starts.

    `timeline` as from `careers.career_timeline(steps, until)`; `education` as the speaker
    record gives it (free text, may be empty). The current job runs to `until`, marked "auj.".
    `narrow` (a phone): roles, organisations and education on shorter lines, a year tick every
    four years, so that the bars keep half the width.
    """
    fig = go.Figure()
    label_width, education_width = (18, 24) if narrow else (34, 60)
    labels = [
        f"<b>{wrapped(step.role, label_width)}</b><br>{wrapped(step.organisation, label_width)}"
        for step in timeline.itertuples(index=False)
    ]
    education_text = wrapped(education, education_width)
    first_year = int(timeline["year_from"].min()) if not timeline.empty else until
    rows = [EDUCATION_ROW, *labels]
    if education.strip():
        fig.add_trace(
            go.Scatter(
                x=[first_year],
                y=[EDUCATION_ROW],
                mode="markers+text",
                marker={"symbol": "diamond", "size": 14, "color": EDUCATION_COLOUR},
                text=[education_text],
                textposition="middle right",
                textfont={"size": 13},
                name="Formation",
                showlegend=False,
                hovertemplate=f"<b>Formation</b><br>{wrapped(education, 60)}<extra></extra>",
                cliponaxis=False,
            )
        )
    for family in ROLE_FAMILIES:
        steps = timeline[timeline["family"] == family]
        if steps.empty:
            continue
        positions = [i for i, f in enumerate(timeline["family"]) if f == family]
        spans = [
            f"{start} – {'auj.' if current else end}"
            for start, end, current in zip(
                steps["year_from"], steps["year_to"], steps["current"], strict=True
            )
        ]
        fig.add_trace(
            go.Bar(
                base=steps["year_from"].tolist(),
                # A step within one calendar year still shows as a short bar.
                x=[
                    max(end - start, 0.5)
                    for start, end in zip(steps["year_from"], steps["year_to"], strict=True)
                ],
                y=[labels[i] for i in positions],
                orientation="h",
                name=family,
                marker={"color": ROLE_FAMILY_COLOURS[family]},
                text=spans,
                # Short steps carry their years beside the bar, long ones inside it.
                textposition=[
                    "inside" if end - start >= 4 else "outside"
                    for start, end in zip(steps["year_from"], steps["year_to"], strict=True)
                ],
                insidetextanchor="middle",
                textangle=0,
                insidetextfont={"color": "white", "size": 12},
                outsidetextfont={"color": "#333333", "size": 12},
                cliponaxis=False,
                customdata=[
                    [plain(steps.iloc[k]["role"]), plain(steps.iloc[k]["organisation"]), spans[k]]
                    for k in range(len(steps))
                ],
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra>%{fullData.name}</extra>",
            )
        )
    last_year = max(until, int(timeline["year_to"].max())) if not timeline.empty else until
    fig.update_xaxes(
        title="Année", range=[first_year - 1.5, last_year + 0.5], dtick=4 if narrow else 2, tickformat="d"
    )
    fig.update_yaxes(
        title=None,
        categoryorder="array",
        categoryarray=rows,
        autorange="reversed",
        automargin=True,
    )
    fig.update_layout(barmode="overlay", bargap=0.35)
    row_height = 62
    if narrow:  # as tall as the row with most lines (an education on several lines included)
        lines = [label.count("<br>") + 1 for label in labels]
        lines.append(education_text.count("<br>") + 1)
        row_height = max(row_height, 18 * max(lines) + 30)
    fig = base_layout(fig, height=110 + row_height * len(rows))
    fig.update_layout(legend={"title": {"text": "Métier : "}})
    return fig


def question_ratings_figure(ratings: pd.DataFrame, threshold: int, speaker_name: str) -> go.Figure:
    """A speaker's mean on each question (dot and 95% interval) beside the programme's mean
    (grey diamond), n in each question's label. Questions withheld below `threshold` answers say
    so in their label instead.

    `ratings` as from `speakers.question_ratings`.
    """
    labels = [
        f"{label} <span style='color:#888'>(moins de {threshold} réponses)</span>"
        if math.isnan(mean)
        else f"{label} <span style='color:#888'>(n = {n})</span>"
        for label, mean, n in zip(ratings["label"], ratings["mean"], ratings["n"], strict=True)
    ]
    shown = ratings.assign(axis_label=labels)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=shown["programme_mean"],
            y=shown["axis_label"],
            mode="markers",
            name="Moyenne de la formation",
            marker={"symbol": "diamond", "size": 11, "color": "#888888"},
            customdata=shown[["programme_n", "programme_low", "programme_high"]].to_numpy(),
            hovertemplate=(
                "Formation : %{x:.2f}<br>IC 95 % [%{customdata[1]:.2f} ; %{customdata[2]:.2f}]"
                "<br>n = %{customdata[0]}<extra></extra>"
            ),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=shown["mean"],
            y=shown["axis_label"],
            mode="markers",
            name=plain(speaker_name),
            marker={"size": 13, "color": PRIMARY},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": (shown["high"] - shown["mean"]).tolist(),
                "arrayminus": (shown["mean"] - shown["low"]).tolist(),
                "color": PRIMARY,
                "thickness": 2,
                "width": 5,
            },
            customdata=shown[["n", "low", "high"]].to_numpy(),
            hovertemplate=(
                "<b>%{x:.2f}</b><br>IC 95 % [%{customdata[1]:.2f} ; %{customdata[2]:.2f}]"
                "<br>n = %{customdata[0]}<extra></extra>"
            ),
        )
    )
    fig.update_xaxes(
        title="Moyenne (1 = pas du tout d'accord,<br>5 = tout à fait d'accord)", range=[1, 5], dtick=1
    )
    fig.update_yaxes(
        title=None, categoryorder="array", categoryarray=labels, autorange="reversed", automargin=True
    )
    return base_layout(fig, height=90 + 38 * len(labels))


def nps_breakdown_figure(breakdown: NpsBreakdown) -> go.Figure:
    """One stacked bar: detractors (0–6), passives (7–8) and promoters (9–10) as shares of n."""
    parts = [
        ("Détracteurs (0 à 6)", breakdown.detractors, NPS_COLOURS["detractors"], "white"),
        ("Neutres (7 à 8)", breakdown.passives, NPS_COLOURS["passives"], "#333333"),
        ("Promoteurs (9 à 10)", breakdown.promoters, NPS_COLOURS["promoters"], "white"),
    ]
    fig = go.Figure()
    for name, count, colour, text_colour in parts:
        share = count / breakdown.n if breakdown.n else 0.0
        fig.add_trace(
            go.Bar(
                x=[share],
                y=["Réinviter"],
                orientation="h",
                name=name,
                marker={"color": colour},
                text=[format_percent(share) if share >= 0.06 else ""],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,  # a narrow part's share stays level, smaller rather than turned
                textfont={"color": text_colour},
                hovertemplate=f"{name} : {format_number(count, 0)} sur {format_number(breakdown.n, 0)}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", showlegend=True)
    fig.update_xaxes(range=[0, 1], visible=False)
    fig.update_yaxes(visible=False)
    return base_layout(fig, height=150)


# --- across speakers --------------------------------------------------------------------------


DEGREE_COLOURS: dict[bool, str] = {True: PRIMARY, False: ACCENT}
"""Speakers with a communication degree in blue, the others in orange, on every routes chart."""
DEGREE_NAMES: dict[bool, str] = {True: "Communication, journalisme, marketing", False: "Autre formation"}


def routes_sankey_figure(flows: pd.DataFrame, *, narrow: bool = False) -> go.Figure:
    """The routes into the job: speakers flowing from education to first role to current role,
    the flows of those with a communication degree in blue, the others in orange.

    `flows` as from `careers.route_flows`. One node per family and stage, in the families'
    order from top to bottom (communication degrees and community management first). `narrow`
    (a phone): the families' names on short lines, in a smaller font, so that those of the
    middle column end before the last column's begin.
    """
    nodes: list[tuple[int, str]] = []
    sizes: dict[tuple[int, str], int] = {}
    for stage, _ in enumerate(STAGES):
        families = EDUCATION_FAMILIES if stage == 0 else ROLE_FAMILIES
        outgoing = flows[flows["source_stage"] == stage].groupby("source")["speakers"].sum()
        incoming = flows[flows["target_stage"] == stage].groupby("target")["speakers"].sum()
        for family in families:
            size = max(int(outgoing.get(family, 0)), int(incoming.get(family, 0)))
            if size:
                nodes.append((stage, family))
                sizes[(stage, family)] = size
    index = {node: i for i, node in enumerate(nodes)}
    last = len(STAGES) - 1
    x_positions, y_positions = [], []
    for stage in range(len(STAGES)):
        column = [node for node in nodes if node[0] == stage]
        total = sum(sizes[node] for node in column)
        gap = 0.04  # of the height between two nodes
        scale = (1 - gap * max(len(column) - 1, 0)) / total if total else 0
        top = 0.0
        for node in column:
            height = sizes[node] * scale
            x_positions.append(min(max(stage / last, 0.001), 0.999))
            y_positions.append(min(max(top + height / 2, 0.001), 0.999))
            top += height + gap

    def node_colour(node: tuple[int, str]) -> str:
        stage, family = node
        if stage == 0:
            return DEGREE_COLOURS[family in COMMUNICATION_FAMILIES]
        return ROLE_FAMILY_COLOURS.get(family, MUTED) if family == ROLE_FAMILIES[0] else "#777777"

    stage_titles = [title for _, title in STAGES]
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": [wrap_label(family, 12) if narrow else family for _, family in nodes],
                "color": [node_colour(node) for node in nodes],
                "x": x_positions,
                "y": y_positions,
                "pad": 12,
                "thickness": 14,
                "line": {"color": "white", "width": 0.5},
                "customdata": [stage_titles[stage] for stage, _ in nodes],
                "hovertemplate": "%{customdata} : %{label}<br>%{value} intervenant·es<extra></extra>",
            },
            link={
                "source": [
                    index[(s, f)] for s, f in zip(flows["source_stage"], flows["source"], strict=True)
                ],
                "target": [
                    index[(s, f)] for s, f in zip(flows["target_stage"], flows["target"], strict=True)
                ],
                "value": flows["speakers"].tolist(),
                "color": [_rgba(DEGREE_COLOURS[bool(d)], 0.4) for d in flows["communication_degree"]],
                "customdata": [DEGREE_NAMES[bool(d)] for d in flows["communication_degree"]],
                "hovertemplate": (
                    "%{source.label} → %{target.label}<br>%{value} intervenant·es"
                    "<br>formation : %{customdata}<extra></extra>"
                ),
            },
            textfont={"size": 11 if narrow else 13, "color": "#222222"},
        )
    )
    for position, title in enumerate(stage_titles):
        fig.add_annotation(
            x=position / last,
            y=1.0,
            yshift=28,
            xref="paper",
            yref="paper",
            text=f"<b>{title}</b>",
            showarrow=False,
            xanchor="left" if position == 0 else "right" if position == last else "center",
            font={"size": 14},
        )
    for is_communication in (True, False):
        # Legend entries for the two colours (a Sankey has no legend of its own).
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"size": 12, "symbol": "square", "color": DEGREE_COLOURS[is_communication]},
                name=DEGREE_NAMES[is_communication],
            )
        )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    height = max(460, 30 * max(len(nodes) // 2, 1) + 220)
    # On a phone, labels of three or four short lines need more room between the nodes.
    fig = base_layout(fig, height=round(height * 1.4) if narrow else height)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 90, "b": 10}, legend={"y": 1.12})
    return fig


def education_families_figure(counts: pd.DataFrame) -> go.Figure:
    """Speakers by education family: communication degrees in one colour, every other route in
    another. `counts` as from `careers.education_counts`."""
    fig = go.Figure()
    ordered = counts.iloc[::-1]
    for is_communication in (True, False):
        name, colour = DEGREE_NAMES[is_communication], DEGREE_COLOURS[is_communication]
        rows = ordered[ordered["communication_degree"] == is_communication]
        if rows.empty:
            continue
        fig.add_trace(
            go.Bar(
                x=rows["speakers"],
                y=rows["education_family"],
                orientation="h",
                name=name,
                marker={"color": colour},
                text=rows["speakers"],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y} : %{x} intervenant·e(s)<extra></extra>",
            )
        )
    fig.update_xaxes(
        title="Intervenant·es", rangemode="tozero", dtick=1 if counts["speakers"].max() <= 8 else None
    )
    fig.update_yaxes(
        title=None, categoryorder="array", categoryarray=ordered["education_family"].tolist(), automargin=True
    )
    return base_layout(fig, height=max(260, 34 * len(counts) + 90))


def experience_by_org_type_figure(experience: pd.DataFrame) -> go.Figure:
    """Years of experience of each speaker by organisation type (one dot per speaker, bigger where
    several share a value) with each type's median as a black tick; n in the type's label.

    `experience` as from `careers.experience_by_org_type`.
    """
    order = list(dict.fromkeys(experience["org_type"]))
    sizes = experience.groupby("org_type", sort=False).size()
    label = {org_type: f"{plain(org_type)} (n = {sizes[org_type]})" for org_type in order}
    fig = go.Figure()
    for org_type in order:
        rows = experience[experience["org_type"] == org_type]
        grouped = rows.groupby("years_experience", sort=True)["name"].agg(list)
        fig.add_trace(
            go.Scatter(
                x=grouped.index.tolist(),
                y=[label[org_type]] * len(grouped),
                mode="markers",
                name=plain(org_type),
                showlegend=False,
                marker={
                    "size": [11 + 5 * (len(names) - 1) for names in grouped],
                    "color": ORG_TYPE_COLOURS.get(org_type, MUTED),
                    "opacity": 0.85,
                    "line": {"color": "white", "width": 1},
                },
                customdata=["<br>".join(plain(name) for name in names) for names in grouped],
                hovertemplate="%{x} ans d'expérience<br>%{customdata}<extra></extra>",
            )
        )
    medians = experience.groupby("org_type", sort=False)["years_experience"].median()
    fig.add_trace(
        go.Scatter(
            x=[medians[o] for o in order],
            y=[label[o] for o in order],
            mode="markers",
            name="Médiane",
            marker={"symbol": "line-ns-open", "size": 22, "color": "black", "line": {"width": 2}},
            hovertemplate="Médiane : %{x} ans<extra></extra>",
        )
    )
    fig.update_xaxes(title="Années d'expérience", rangemode="tozero")
    fig.update_yaxes(
        title=None, categoryorder="array", categoryarray=[label[o] for o in order][::-1], automargin=True
    )
    return base_layout(fig, height=max(260, 44 * len(order) + 100))


def reinvite_figure(
    ranking: pd.DataFrame, programme_usefulness: float, threshold: int, *, narrow: bool = False
) -> go.Figure:
    """Speakers in ranking order, top to bottom: their "réinviter" NPS as a bar (left) and their
    mean usefulness with its 95% interval (right) beside the programme's mean usefulness.
    Speakers whose figures are withheld (below `threshold` answers) keep their row, labelled.

    `ranking` as from `speakers.reinvite_ranking`. `narrow` (a phone, where each half is a third
    of the screen): the two titles on two lines each, and fewer ticks, so that neither runs into
    the other half's.
    """
    labels = [
        f"{plain(name)} <span style='color:#888'>(moins de {threshold} réponses)</span>"
        if flagged
        else plain(name)
        for name, flagged in zip(ranking["name"], ranking["below_threshold"], strict=True)
    ]
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        horizontal_spacing=0.04,
        column_widths=[0.5, 0.5],
        subplot_titles=_reinvite_titles(programme_usefulness, narrow),
    )
    nps_values = ranking["nps"].tolist()
    fig.add_trace(
        go.Bar(
            x=nps_values,
            y=labels,
            orientation="h",
            name="NPS",
            showlegend=False,
            marker={
                "color": [
                    MUTED
                    if math.isnan(v)
                    else NPS_COLOURS["promoters"]
                    if v >= 0
                    else NPS_COLOURS["detractors"]
                    for v in nps_values
                ]
            },
            text=["" if math.isnan(v) else format_signed(v, 0) for v in nps_values],
            textposition=[_nps_text_position(v, narrow) for v in nps_values],
            cliponaxis=False,
            customdata=ranking["nps_n"].to_numpy(),
            hovertemplate="%{y}<br>NPS %{x:+.0f}<br>n = %{customdata}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=ranking["usefulness"],
            y=labels,
            mode="markers",
            name="Utilité (moyenne et IC 95 %)",
            showlegend=False,
            marker={"size": 10, "color": PRIMARY},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": (ranking["usefulness_high"] - ranking["usefulness"]).tolist(),
                "arrayminus": (ranking["usefulness"] - ranking["usefulness_low"]).tolist(),
                "color": PRIMARY,
                "thickness": 1.5,
                "width": 4,
            },
            customdata=ranking[["usefulness_n", "usefulness_low", "usefulness_high"]].to_numpy(),
            hovertemplate=(
                "%{y}<br>utilité %{x:.2f}<br>IC 95 % [%{customdata[1]:.2f} ; %{customdata[2]:.2f}]"
                "<br>n = %{customdata[0]}<extra></extra>"
            ),
        ),
        row=1,
        col=2,
    )
    if not math.isnan(programme_usefulness):
        fig.add_vline(
            x=programme_usefulness,
            line={"color": "#888888", "dash": "dot", "width": 1.5},
            row=1,
            col=2,
        )
    fig.update_xaxes(range=list(NPS_AXIS_RANGE), zeroline=True, zerolinecolor="#999999", row=1, col=1)
    fig.update_xaxes(range=[1, 5], dtick=1, row=1, col=2)
    if narrow:
        # No tick at the halves' meeting edges, where "100" and "1" ran together.
        fig.update_xaxes(tickvals=[-50, 0, 50], row=1, col=1)
        fig.update_xaxes(tickvals=[2, 3, 4], row=1, col=2)
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", automargin=True)
    fig = base_layout(fig, height=130 + 30 * len(labels))
    fig.update_annotations(font={"size": 13 if narrow else 14})
    fig.update_layout(margin={"t": 70 if narrow else 40, "b": 10}, showlegend=False)
    return fig


NPS_AXIS_RANGE = (-100, 118)
# About how much of the NPS axis an NPS ("−77") takes beside its bar, in NPS points: a phone's
# half of the screen gives the axis about 120 px.
NPS_TEXT_ROOM = {False: 18, True: 40}


def _nps_text_position(nps: float, narrow: bool) -> str:
    """An NPS is written beside its bar, unless the axis leaves it no room there: it would run
    into the speakers' names (or the other half), so it goes inside the bar's end."""
    room = NPS_TEXT_ROOM[narrow]
    low, high = NPS_AXIS_RANGE
    if not math.isnan(nps) and (nps - room < low or nps + room > high):
        return "inside"
    return "outside"


def _reinvite_titles(programme_usefulness: float, narrow: bool) -> tuple[str, str]:
    known = not math.isnan(programme_usefulness)
    mean = format_number(programme_usefulness, 2) if known else ""
    if narrow:
        return "Réinviter<br>(NPS)", "Utilité (1 à 5)" + (f"<br>pointillés : {mean}" if known else "")
    usefulness = "Utilité pour le futur métier (1 à 5)" + (f", pointillés : moyenne {mean}" if known else "")
    return "Réinviter (NPS, −100 à +100)", usefulness
