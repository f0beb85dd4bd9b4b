"""The quote wall: what a search asks for, how a found quote reads on its card (escaped Markdown
with the matched words highlighted), the results as CSV, students' proposals and the director's
moderation queue.

Text from data is escaped here, piece by piece, before any Markdown is added around it, so a card
shows `<script>` or `**` exactly as typed.

>>> highlight_markdown("Les trolls <b>", [(4, 10)])
'Les :blue[**trolls**] \\\\<b\\\\>'
"""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from insights.domain import ORG_TYPES, SEMESTERS, THEME_IDS, THEME_LABELS
from insights.exporting import csv_bytes
from insights.filters import Filters
from insights.formatting import escape_label, escape_markdown, format_date, format_number, plural, quoted
from insights.language.spelling import Correction
from insights.language.text import fold, word_spans
from insights.quotes import search
from insights.quotes.search import QuoteHit

PAGE_SIZE = 24
"""Cards shown at first, and added by each "Afficher plus" (a multiple of the 2 and 3 columns)."""

MIN_QUOTE_LENGTH = 10
MAX_QUOTE_LENGTH = 600
MAX_QUERY_LENGTH = 200

RANDOM_POOL = 200
"""With a text query, "Un conseil au hasard" draws among this many of the best results."""

VERBATIM_PARAM = "tel_quel"
"""The query parameter that asks for a query as typed, not corrected: `?q=modérasion&tel_quel=modérasion`."""

QUOTE_PARAM = "citation"
"""The query parameter of a quote's link: `?citation=q0042` opens the wall on that quote."""

_QUOTE_ID = re.compile(r"[A-Za-z0-9_.\-]{1,40}")

UNKNOWN_TALK = ""
"""The talk option of a proposal for a student who does not know which talk it was."""


# --- the search ---------------------------------------------------------------------------------


def wall_filters(query: str | None, filters: Filters, speaker_ids: Iterable[str] = ()) -> Filters:
    """What the wall shows: the sidebar's filters (its themes are the wall's theme chips, its
    cohorts, semesters and organisation types keep the quotes of talks of those cohorts and
    semesters and of speakers of those types), the wall's speakers and its search text."""
    return replace(filters, query=clean_query(query), speaker_ids=tuple(speaker_ids))


def clean_query(query: str | None) -> str:
    """The query as searched: trimmed and cut at MAX_QUERY_LENGTH characters."""
    return (query or "").strip()[:MAX_QUERY_LENGTH]


def searched_query(
    conn: sqlite3.Connection, query: str, verbatim: str | None
) -> tuple[str, Correction | None]:
    """What the wall searches for `query` (cleaned): the query with its misspellings corrected, and
    the correction (None when nothing was corrected, or when `verbatim`, the `tel_quel` parameter,
    asks for this query as typed)."""
    query = clean_query(query)
    if verbatim is not None and clean_query(verbatim) == query:
        return query, None
    correction = search.spelling_correction(conn, query)
    return (correction.corrected, correction) if correction else (query, None)


WHOLE_CORRECTION_WORDS = 6
"""A corrected query of at most this many words is told whole; a longer one, around its corrected
words only (CORRECTION_CONTEXT words on each side)."""
CORRECTION_CONTEXT = 2


def _told(text: str, changed: set[int], kept: set[int] | None) -> list[tuple[str, bool]]:
    """`text` as (piece, is a corrected word) pieces: whole (`kept` None), or only the words of
    `kept` (indexes in `word_spans(text)`), each run of them with "…" where words are left out."""
    words, starts, ends = word_spans(text)
    indexes = sorted(range(len(words)) if kept is None else kept)
    runs: list[list[int]] = []
    for index in indexes:
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    pieces: list[tuple[str, bool]] = []
    for number, run in enumerate(runs):
        start = 0 if run[0] == 0 else starts[run[0]]
        end = len(text) if run[-1] == len(words) - 1 else ends[run[-1]]
        if number or start:
            pieces.append((" … " if number else "… ", False))
        position = start
        for index in run:
            if index in changed:
                pieces += [(text[position : starts[index]], False), (text[starts[index] : ends[index]], True)]
                position = ends[index]
        pieces.append((text[position:end], False))
    if runs and runs[-1][-1] < len(words) - 1:
        pieces.append((" …", False))
    return [(piece, corrected) for piece, corrected in pieces if piece]


def correction_pieces(correction: Correction) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """The query searched and the query as typed, as (piece, is a corrected word) pieces: whole
    when short, around the corrected words when long (a student's long question with one typo is
    told by the words that changed). When the two do not have the same words, both whole, the
    searched query all corrected."""
    typed = word_spans(correction.original)[0]
    searched = word_spans(correction.corrected)[0]
    if len(typed) != len(searched):
        return [(correction.corrected, True)], [(correction.original, False)]
    changed = {index for index, (a, b) in enumerate(zip(typed, searched, strict=True)) if a != b}
    kept = None
    if len(typed) > WHOLE_CORRECTION_WORDS and changed:
        kept = {
            near
            for index in changed
            for near in range(index - CORRECTION_CONTEXT, index + CORRECTION_CONTEXT + 1)
            if 0 <= near < len(typed)
        }
    return _told(correction.corrected, changed, kept), _told(correction.original, changed, kept)


def correction_markdown(correction: Correction) -> str:
    """`Résultats pour « modération » — rechercher plutôt` (escaped, the corrected words in bold),
    which the wall follows with a button searching the query as typed: `« modérasion » ?`
    (`as_typed_label`). A long query is told around its corrected words (`correction_pieces`)."""
    searched = "".join(
        f"**{escape_markdown(piece)}**" if corrected else escape_markdown(piece)
        for piece, corrected in correction_pieces(correction)[0]
    )
    return f"Résultats pour {quoted(searched)} — rechercher plutôt"


def as_typed_label(correction: Correction) -> str:
    """The label of the button that searches the query as typed: `« modérasion » ?` (escaped as a
    label: screen readers read it as written), a long query around its corrected words."""
    typed = "".join(piece for piece, _ in correction_pieces(correction)[1])
    return f"{quoted(escape_label(typed))}\u00a0?"


def related_markdown(hit: QuoteHit) -> str:
    """A nearby quote under a card: the quote (escaped), who said it, and its link."""
    return (
        f":material/format_quote: {escape_markdown(hit.text)} — {escape_markdown(hit.speaker)} "
        f":small[[:material/link:\u00a0Lien]({quote_link(hit.quote_id)})]"
    )


def draw_quote(conn: sqlite3.Connection, filters: Filters, rng: random.Random) -> QuoteHit | None:
    """A quote at random among the wall's results (among the RANDOM_POOL best for a text query);
    None when there is none."""
    if search.compile_query(filters.query).is_empty:
        return search.random_quote(conn, filters, rng.randrange(2**32))
    hits = search.search_quotes(conn, filters, RANDOM_POOL)
    return rng.choice(hits) if hits else None


def parse_quote_param(value: str | None) -> str | None:
    """The quote id of a `?citation=` value, or None when absent or not shaped like an id."""
    if value is None:
        return None
    value = value.strip()
    return value if _QUOTE_ID.fullmatch(value) else None


def quote_link(quote_id: str) -> str:
    """The link to a quote, relative to the wall's address (it drops the current search)."""
    return f"?{QUOTE_PARAM}={quote_id}"


# --- how a quote reads --------------------------------------------------------------------------


def highlight_markdown(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` as Markdown that shows it literally, with the `spans` (sorted, not overlapping
    character ranges, as `search.highlight_spans` gives) in blue bold."""
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        start, end = max(start, position), min(end, len(text))
        # Emphasis needs non-space characters just inside its markers.
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        pieces.append(escape_markdown(text[position:start]))
        pieces.append(f":blue[**{escape_markdown(text[start:end])}**]")
        position = end
    pieces.append(escape_markdown(text[position:]))
    return "".join(pieces)


def quote_markdown(text: str, query: str = "") -> str:
    """A quote between French quotation marks, its words matching `query` highlighted."""
    spans = search.highlight_spans(text, query) if query else []
    return quoted(highlight_markdown(text, spans))


def speaker_markdown(name: str, title: str, organisation: str) -> str:
    """**Name** — title, organisation (escaped; empty parts left out)."""
    details = ", ".join(escape_markdown(part) for part in (title, organisation) if part)
    return f"**{escape_markdown(name)}**" + (f" — {details}" if details else "")


def talk_markdown(title: str | None, date: str | None) -> str:
    """The talk and its date (`24/11/2015`), or a plain statement that it is not known."""
    if not title:
        return "Intervention non précisée"
    when = f" · {format_date(date)}" if date else ""
    return f":material/co_present: {escape_markdown(title)}{when}"


def theme_badges(themes: Iterable[str], selected: Iterable[str] = ()) -> str:
    """Theme tags as Markdown badges, the selected themes in blue."""
    chosen = set(selected)
    return " ".join(
        f":{'blue' if theme in chosen else 'gray'}-badge[{escape_markdown(THEME_LABELS.get(theme, theme))}]"
        for theme in themes
    )


@dataclass(frozen=True)
class Card:
    """The Markdown of one quote's card."""

    quote_id: str
    quote: str
    speaker: str
    talk: str
    themes: str
    link: str


def card(hit: QuoteHit, query: str = "", selected_themes: Iterable[str] = ()) -> Card:
    return Card(
        quote_id=hit.quote_id,
        quote=quote_markdown(hit.text, query),
        speaker=speaker_markdown(hit.speaker, hit.title, hit.organisation),
        talk=talk_markdown(hit.intervention_title, hit.date),
        themes=theme_badges(hit.themes, selected_themes),
        link=quote_link(hit.quote_id),
    )


def results_label(total: int) -> str:
    """`N citations` (French plural, thin-space thousands)."""
    return plural(total, "citation")


def theme_chip_label(theme: str, counts: Mapping[str, int]) -> str:
    """`Gestion de crise (12)`: a theme chip and how many quotes of the current search have it."""
    return f"{THEME_LABELS[theme]} ({format_number(counts.get(theme, 0), 0)})"


def filters_summary(filters: Filters) -> str:
    """The sidebar's filters that narrow the wall, in words (escaped); empty when none does."""
    parts = []
    if filters.cohorts:
        parts.append(
            ("Promotion" if len(filters.cohorts) == 1 else "Promotions") + " " + ", ".join(filters.cohorts)
        )
    if filters.semesters:
        parts.append("Semestre " + ", ".join(s for s in SEMESTERS if s in filters.semesters))
    if filters.org_types:
        kinds = [t for t in ORG_TYPES if t in filters.org_types]
        parts.append(("Organisation : " if len(kinds) == 1 else "Organisations : ") + ", ".join(kinds))
    return escape_markdown(" · ".join(parts))


# --- the results as CSV ---------------------------------------------------------------------------

CSV_HEADER = (
    "Identifiant",
    "Citation",
    "Intervenant·e",
    "Fonction",
    "Organisation",
    "Type d'organisation",
    "Intervention",
    "Date",
    "Promotion",
    "Thèmes",
)


def hits_csv(hits: Iterable[QuoteHit]) -> bytes:
    """Found quotes as a CSV to download, in the wall's order (French headers and dates, themes
    by label, cells neutralised against spreadsheet formulas)."""
    rows = [
        (
            hit.quote_id,
            hit.text,
            hit.speaker,
            hit.title,
            hit.organisation,
            hit.org_type,
            hit.intervention_title or "",
            format_date(hit.date),
            hit.cohort or "",
            ", ".join(THEME_LABELS.get(theme, theme) for theme in hit.themes),
        )
        for hit in hits
    ]
    return csv_bytes(CSV_HEADER, rows)


def csv_file_name(filters: Filters) -> str:
    """`citations.csv`, or `citations-bad-buzz.csv` for a search (ASCII letters, digits, dashes)."""
    words = re.findall(r"[a-z0-9]+", fold(filters.query))
    slug = "-".join(words)[:40].strip("-")
    return f"citations-{slug}.csv" if slug else "citations.csv"


# --- speakers and talks, for the proposal form and the moderation ----------------------------------


def speaker_options(speakers: pd.DataFrame) -> dict[str, str]:
    """Speaker id → `Name — organisation`, sorted by name (plain text for a selectbox)."""
    ordered = speakers.sort_values("name", key=lambda names: names.str.lower(), kind="stable")
    return {
        row.speaker_id: f"{row.name} — {row.organisation}" if row.organisation else str(row.name)
        for row in ordered.itertuples()
    }


def talk_options(interventions: pd.DataFrame, speaker_id: str | None) -> dict[str, str]:
    """A speaker's talks, most recent first, as id → `24/11/2015 · Title (2015-2016)`, after the
    "je ne sais pas" option (UNKNOWN_TALK)."""
    options = {UNKNOWN_TALK: "Je ne sais pas"}
    if speaker_id:
        theirs = interventions[interventions["speaker_ids"].map(lambda ids: speaker_id in ids)]
        for row in theirs.sort_values("date", ascending=False, kind="stable").itertuples():
            options[row.intervention_id] = f"{format_date(row.date)} · {row.title} ({row.cohort})"
    return options


# --- proposals ------------------------------------------------------------------------------------

_QUOTATION_MARKS = "«»\"“”„‟'‹›"


def normalise_quote_text(text: str) -> str:
    """A quote as stored: whitespace runs made single spaces, surrounding quotation marks removed
    (the wall adds its own)."""
    text = " ".join((text or "").split())
    while len(text) >= 2 and text[0] in _QUOTATION_MARKS and text[-1] in _QUOTATION_MARKS:
        text = text[1:-1].strip()
    return text


class InvalidProposalError(ValueError):
    """A proposal cannot be stored; `problems` says why, in French, one sentence each."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Proposal:
    """A quote checked and ready to be stored (by a student, or edited by the director)."""

    text: str
    speaker_id: str
    intervention_id: str | None
    themes: tuple[str, ...] = field(default_factory=tuple)


def check_proposal(
    text: str,
    speaker_id: str | None,
    intervention_id: str | None,
    themes: Iterable[str],
    speakers: pd.DataFrame,
    interventions: pd.DataFrame,
) -> Proposal:
    """Check what a form gives (widget values come from the browser: checked again here) and
    return the Proposal, or raise InvalidProposalError listing every problem."""
    problems: list[str] = []
    cleaned = normalise_quote_text(text)
    if not cleaned:
        problems.append("Saisissez la citation.")
    elif len(cleaned) < MIN_QUOTE_LENGTH:
        problems.append(f"La citation est trop courte ({MIN_QUOTE_LENGTH} caractères au moins).")
    elif len(cleaned) > MAX_QUOTE_LENGTH:
        problems.append(
            f"La citation est trop longue ({format_number(MAX_QUOTE_LENGTH, 0)} caractères au plus)."
        )
    known_speakers = set(speakers["speaker_id"])
    if not speaker_id:
        problems.append("Choisissez l'intervenant·e qui l'a dite.")
    elif speaker_id not in known_speakers:
        problems.append("Cet·te intervenant·e est inconnu·e.")
        speaker_id = None
    talk = intervention_id or None
    if talk is not None and speaker_id and talk not in talk_options(interventions, speaker_id):
        problems.append("Cette intervention n'est pas celle de cet·te intervenant·e.")
    chosen = list(dict.fromkeys(themes))
    unknown = [theme for theme in chosen if theme not in THEME_IDS]
    if unknown:
        problems.append("Thème inconnu : " + ", ".join(unknown) + ".")
    if problems:
        raise InvalidProposalError(problems)
    assert speaker_id is not None
    return Proposal(cleaned, speaker_id, talk, tuple(t for t in THEME_IDS if t in chosen))


# --- the moderation queue -------------------------------------------------------------------------


@dataclass(frozen=True)
class ModerationItem:
    """A quote awaiting the director's decision (or refused), with what the queue shows of it."""

    quote_id: str
    text: str
    speaker_id: str
    speaker: str
    intervention_id: str | None
    talk: str
    themes: tuple[str, ...]
    source: str


def moderation_items(
    quotes: pd.DataFrame, speakers: pd.DataFrame, interventions: pd.DataFrame
) -> list[ModerationItem]:
    """The quotes of a moderation status (`store.load_quotes(conn, status)`), newest id first, with
    the speaker's name and organisation and the talk in words."""
    names = speaker_options(speakers)
    talks = {
        row.intervention_id: f"{row.title} · {format_date(row.date)}" for row in interventions.itertuples()
    }
    chosen = quotes.sort_values("quote_id", ascending=False, kind="stable")
    return [
        ModerationItem(
            quote_id=row.quote_id,
            text=row.text,
            speaker_id=row.speaker_id,
            speaker=names.get(row.speaker_id, row.speaker_id),
            intervention_id=row.intervention_id,
            talk=talks.get(row.intervention_id, "Intervention non précisée")
            if row.intervention_id
            else "Intervention non précisée",
            themes=tuple(row.themes),
            source=row.source,
        )
        for row in chosen.itertuples()
    ]


def moderation_markdown(item: ModerationItem) -> dict[str, str]:
    """The escaped Markdown of a queue entry: quote, speaker and talk, themes."""
    return {
        "quote": quoted(escape_markdown(item.text)),
        "details": f"{escape_markdown(item.speaker)} · {escape_markdown(item.talk)}",
        "themes": theme_badges(item.themes) or "Aucun thème",
    }


MODERATION_PAGE_SIZE = 20
"""Queue entries shown at once: a flood of proposals stays quick to open and to act on."""


def filter_moderation(
    items: Sequence[ModerationItem], query: str = "", speaker_id: str | None = None
) -> list[ModerationItem]:
    """The queue entries of `speaker_id` (all when None) holding every word of `query` in their
    text, speaker, talk or id, accents and case folded; in the queue's order."""
    words = fold(query).split()

    def matches(item: ModerationItem) -> bool:
        haystack = fold(f"{item.text} {item.speaker} {item.talk} {item.quote_id}")
        return all(word in haystack for word in words)

    return [item for item in items if (speaker_id is None or item.speaker_id == speaker_id) and matches(item)]
