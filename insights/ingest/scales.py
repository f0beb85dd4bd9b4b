"""Survey answers written as labels or digits, converted to the values the catalogue stores.

Agreement and satisfaction scales are recognised in French and English, with or without accents,
inclusive endings (`satisfait·e`, `satisfait(e)`), a code in the label (`Strongly agree (1)`,
`4. Plutôt d'accord`: the words win, since tools number their labels in any order) or two
languages in one label (`Tout à fait d'accord / Strongly agree`). A label whose words point to two
different levels is refused, never guessed. Labels the director has mapped by hand (`value_map`)
come first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from insights.domain import LIKERT_LABELS
from insights.ingest.validation import InvalidCell
from insights.language.text import fold

AGREEMENT: dict[int, tuple[str, ...]] = {
    1: (
        "pas du tout d'accord",
        "tout a fait en desaccord",
        "totalement en desaccord",
        "fortement en desaccord",
        "completement en desaccord",
        "entierement en desaccord",
        "strongly disagree",
        "completely disagree",
        "totally disagree",
        "non pas du tout",
        "pas du tout",
    ),
    2: (
        "plutot pas d'accord",
        "pas d'accord",
        "plutot en desaccord",
        "en desaccord",
        "disagree",
        "somewhat disagree",
        "tend to disagree",
    ),
    3: (
        "ni d'accord ni pas d'accord",
        "ni d'accord ni en desaccord",
        "ni en accord ni en desaccord",
        "neutre",
        "sans opinion",
        "neither agree nor disagree",
        "neither agree or disagree",
        "neutral",
    ),
    4: ("plutot d'accord", "d'accord", "agree", "somewhat agree", "tend to agree", "mostly agree"),
    5: (
        "tout a fait d'accord",
        "totalement d'accord",
        "entierement d'accord",
        "completement d'accord",
        "fortement d'accord",
        "strongly agree",
        "completely agree",
        "totally agree",
        "fully agree",
        "oui tout a fait",
        "tout a fait",
    ),
}
"""Agreement labels by level (1 = strongest disagreement), folded."""

SATISFACTION: dict[int, tuple[str, ...]] = {
    1: (
        "pas du tout satisfait",
        "tres insatisfait",
        "tres mecontent",
        "not at all satisfied",
        "very dissatisfied",
        "very unsatisfied",
        "extremely dissatisfied",
    ),
    2: (
        "plutot pas satisfait",
        "peu satisfait",
        "pas satisfait",
        "plutot insatisfait",
        "insatisfait",
        "mecontent",
        "dissatisfied",
        "unsatisfied",
        "somewhat dissatisfied",
        "not very satisfied",
    ),
    3: (
        "ni satisfait ni insatisfait",
        "moyennement satisfait",
        "neither satisfied nor dissatisfied",
        "neither satisfied or dissatisfied",
        "moderately satisfied",
    ),
    4: (
        "plutot satisfait",
        "assez satisfait",
        "satisfait",
        "satisfied",
        "somewhat satisfied",
        "fairly satisfied",
    ),
    5: (
        "tres satisfait",
        "tout a fait satisfait",
        "totalement satisfait",
        "pleinement satisfait",
        "extremement satisfait",
        "very satisfied",
        "extremely satisfied",
        "completely satisfied",
        "fully satisfied",
    ),
}
"""Satisfaction labels by level (1 = least satisfied), folded, inclusive endings removed."""

_PUNCTUATION = re.compile(r"[^\w'\s]+")


def normalise_label(text: str) -> str:
    """Folded, single-spaced, without punctuation; `satisfait·e`, `satisfaite`, `satisfait(e)` all give
    `satisfait`. For comparing answer labels and question wordings."""
    folded = fold(text)
    folded = re.sub(r"(satisfait|mecontent)(?:\(e\)|[·.•-]e\b|e\b)", r"\1", folded)
    return " ".join(_PUNCTUATION.sub(" ", folded).split())


def _phrases(*scales: Mapping[int, tuple[str, ...]]) -> list[tuple[re.Pattern[str], int]]:
    """(pattern, level) for every label, longest first, each matching whole words only."""
    entries = sorted(
        {(phrase, level) for scale in scales for level, phrases in scale.items() for phrase in phrases},
        key=lambda entry: (-len(entry[0]), entry[0]),
    )
    return [(re.compile(rf"(?<![\w']){re.escape(phrase)}(?![\w'])"), level) for phrase, level in entries]


_LIKERT_PHRASES = _phrases(AGREEMENT, SATISFACTION)
_BARE_NUMBER = re.compile(r"[(\[]?\s*([0-9]+)(?:[.,]0+)?\s*[)\]]?\s*[.:)\-–]?")

LIKERT_REASON = "valeur attendue : un entier de 1 à 5 ou un libellé d'accord ou de satisfaction"
NPS_REASON = "valeur attendue : un entier de 0 à 10"


def bare_number(cell: str) -> int | None:
    """The integer of a cell that holds only a number (`4`, `4.0` from a spreadsheet, `(4)`), else None."""
    match = _BARE_NUMBER.fullmatch(cell.strip())
    return int(match[1]) if match else None


def scale_level(cell: str) -> int | None:
    """The level (1–5) a label names, None when no known label is in it.

    Raises InvalidCell when the label names two different levels.
    """
    text = normalise_label(cell)
    levels: set[int] = set()
    for pattern, level in _LIKERT_PHRASES:
        if pattern.search(text):
            levels.add(level)
            text = pattern.sub(" ", text)
    if len(levels) > 1:
        raise InvalidCell("libellé ambigu : il correspond à plusieurs niveaux de l'échelle")
    return levels.pop() if levels else None


def likert_value(cell: str) -> float:
    """An agreement or satisfaction level. Digits are returned as read (the range is checked by the
    import's schema, which names the allowed range); labels give their level."""
    level = scale_level(cell)
    if level is not None:
        return float(level)
    number = bare_number(cell)
    if number is not None:
        return float(number)
    raise InvalidCell(LIKERT_REASON)


def nps_value(cell: str) -> float:
    """A recommendation score: an integer (its range is checked by the schema)."""
    number = bare_number(cell)
    if number is None:
        raise InvalidCell(NPS_REASON)
    return float(number)


def choice_value(options: Iterable[str]) -> Callable[[str], str]:
    """One of `options`, matched without case, accents nor punctuation; returns the option's spelling."""
    canonical = {normalise_label(option): option for option in options}
    listed = ", ".join(f"« {o} »" for o in canonical.values())

    def parse(cell: str) -> str:
        try:
            return canonical[normalise_label(cell)]
        except KeyError:
            raise InvalidCell(f"valeur attendue parmi : {listed}") from None

    return parse


def answer_parser(
    question_type: str, options: Iterable[str] = (), value_map: Mapping[str, str] | None = None
) -> Callable[[str], float | str]:
    """The converter of one question's cells: `value_map` (label → value the director chose; `""` to
    leave the answer out) first, then the question type's own reading. Returns floats for `likert5`
    and `nps`, text otherwise, `""` for an answer left out."""
    mapped = {normalise_label(label): value for label, value in (value_map or {}).items()}
    if question_type == "likert5":
        base: Callable[[str], float | str] = likert_value
    elif question_type == "nps":
        base = nps_value
    elif question_type == "choice":
        base = choice_value(options)
    else:
        return lambda cell: cell

    def parse(cell: str) -> float | str:
        chosen = mapped.get(normalise_label(cell)) if mapped else None
        if chosen == "":
            return ""  # the director chose to leave this answer out
        if chosen is not None:
            return float(chosen) if question_type in ("likert5", "nps") else chosen
        return base(cell)

    return parse


def likert_label(level: int) -> str:
    """The catalogue's French label of a level (1–5)."""
    return LIKERT_LABELS[level - 1]
