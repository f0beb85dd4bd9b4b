"""The theme tagger: themes suggested for a quote or a free-text answer from its words, by a
curated French lexicon per theme, and its precision and recall against hand-given themes.

The lexicon lives in `insights/data/theme_lexicon.csv`, one row per theme and weight: `theme` (a
theme id), `weight` (2 for an expression that alone points to the theme, such as "bad buzz"; 1
for a word that only supports it, such as "commentaire") and `expressions` (`;`-separated,
multi-word allowed). Texts and expressions go through the search's pipeline (`insights.language.text`):
folded, elisions removed, function words dropped, stemmed; so "les Trolls", "troll" and "d'un
troll" are the same expression.

>>> suggest_themes("Un bad buzz ? Garder son calme et prendre du recul avant de répondre.")
['engagement', 'crise']
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from insights.domain import PUBLISHED, THEME_IDS, THEME_LABELS, split_list
from insights.language.text import FRENCH_STOPWORDS, stem, tokenize

LEXICON_PATH = Path(__file__).parent / "data" / "theme_lexicon.csv"

MIN_SCORE = 2
"""The score a theme needs to be suggested: one strong expression, or two supporting words."""

WEIGHTS = (1, 2)


class LexiconError(ValueError):
    """The theme lexicon is malformed (the message names the file, the row and the reason)."""


@dataclass(frozen=True)
class LexiconEntry:
    """One expression of the lexicon: the theme it points to and how strongly."""

    theme: str
    expression: str
    weight: int


@dataclass(frozen=True)
class Lexicon:
    """Expressions indexed by their key (the stems of their content words)."""

    entries: dict[tuple[str, ...], tuple[LexiconEntry, ...]]
    longest: int


@dataclass(frozen=True)
class Match:
    """An expression of the lexicon found in a text, with the words that matched it."""

    theme: str
    expression: str
    weight: int
    words: str


def expression_key(expression: str) -> tuple[str, ...]:
    """How an expression is compared: the stems of its content words ("les trolls" → ("troll",))."""
    return tuple(stem(word) for word in tokenize(expression) if word not in FRENCH_STOPWORDS)


def load_lexicon_entries(path: Path = LEXICON_PATH) -> list[LexiconEntry]:
    """Read and check a lexicon file (columns `theme`, `weight`, `expressions`)."""
    entries: list[LexiconEntry] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"theme", "weight", "expressions"} - set(reader.fieldnames or ())
        if missing:
            raise LexiconError(f"{path} : colonnes manquantes : {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            theme = (row["theme"] or "").strip()
            if theme not in THEME_IDS:
                raise LexiconError(f"{path}, ligne {line} : thème inconnu « {theme} »")
            try:
                weight = int(row["weight"])
            except (TypeError, ValueError):
                weight = 0
            if weight not in WEIGHTS:
                raise LexiconError(f"{path}, ligne {line} : poids « {row['weight']} » (attendu : 1 ou 2)")
            for expression in (row["expressions"] or "").split(";"):
                expression = expression.strip()
                if not expression:
                    continue
                if not expression_key(expression):
                    raise LexiconError(
                        f"{path}, ligne {line} : « {expression} » n'a que des mots outils, il ne peut rien reconnaître"
                    )
                entries.append(LexiconEntry(theme, expression, weight))
    return entries


def build_lexicon(entries: Iterable[LexiconEntry]) -> Lexicon:
    """Index entries by key; an expression listed twice for a theme keeps its highest weight."""
    by_key: dict[tuple[str, ...], dict[str, LexiconEntry]] = {}
    for entry in entries:
        themes = by_key.setdefault(expression_key(entry.expression), {})
        known = themes.get(entry.theme)
        if known is None or entry.weight > known.weight:
            themes[entry.theme] = entry
    longest = max((len(key) for key in by_key), default=1)
    return Lexicon({key: tuple(themes.values()) for key, themes in by_key.items()}, longest)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon of `insights/data/theme_lexicon.csv`, read once."""
    return build_lexicon(load_lexicon_entries())


def find_matches(text: str, lexicon: Lexicon | None = None) -> list[Match]:
    """The lexicon's expressions found in `text`, in text order.

    The longest expression wins where expressions overlap ("écoute sociale" rather than
    "écoute"), so a word counts once; an expression found twice counts once.
    """
    lexicon = lexicon or default_lexicon()
    words = tokenize(text)
    content = [(index, stem(word)) for index, word in enumerate(words) if word not in FRENCH_STOPWORDS]
    found: list[Match] = []
    seen: set[tuple[str, ...]] = set()
    position = 0
    while position < len(content):
        for size in range(min(lexicon.longest, len(content) - position), 0, -1):
            key = tuple(s for _, s in content[position : position + size])
            entries = lexicon.entries.get(key)
            if entries is None:
                continue
            if key not in seen:
                seen.add(key)
                first, last = content[position][0], content[position + size - 1][0]
                matched = " ".join(words[first : last + 1])
                found.extend(Match(e.theme, e.expression, e.weight, matched) for e in entries)
            position += size
            break
        else:
            position += 1
    return found


def theme_scores(text: str, lexicon: Lexicon | None = None) -> dict[str, int]:
    """Each theme's score in `text` (the sum of the weights of its expressions found), for the
    themes with at least one expression found."""
    scores: dict[str, int] = {}
    for match in find_matches(text, lexicon):
        scores[match.theme] = scores.get(match.theme, 0) + match.weight
    return scores


def suggest_themes(text: str, limit: int = 3, lexicon: Lexicon | None = None) -> list[str]:
    """The theme ids suggested for `text`, best first (ties in taxonomy order); empty when no
    theme reaches `MIN_SCORE`."""
    scores = theme_scores(text, lexicon)
    ranked = sorted(
        (theme for theme, score in scores.items() if score >= MIN_SCORE),
        key=lambda theme: (-scores[theme], THEME_IDS.index(theme)),
    )
    return ranked[: max(limit, 0)]


# --- evaluation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeScore:
    """Precision and recall of the suggestions for one theme (NaN-free: 0 when undefined)."""

    theme: str
    support: int
    suggested: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.suggested if self.suggested else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class TaggerReport:
    """How the tagger's suggestions compare with hand-given themes over a set of texts.

    Micro figures pool every (text, theme) decision; `per_theme` follows the taxonomy order;
    `untagged` counts the texts that got no suggestion.
    """

    texts: int
    untagged: int
    per_theme: tuple[ThemeScore, ...]

    @property
    def correct(self) -> int:
        return sum(t.correct for t in self.per_theme)

    @property
    def suggested(self) -> int:
        return sum(t.suggested for t in self.per_theme)

    @property
    def expected(self) -> int:
        return sum(t.support for t in self.per_theme)

    @property
    def precision(self) -> float:
        return self.correct / self.suggested if self.suggested else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def as_dict(self) -> dict[str, object]:
        """The report as plain JSON-ready values."""
        return {
            "texts": self.texts,
            "untagged": self.untagged,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "per_theme": {
                t.theme: {
                    "support": t.support,
                    "suggested": t.suggested,
                    "correct": t.correct,
                    "precision": round(t.precision, 4),
                    "recall": round(t.recall, 4),
                }
                for t in self.per_theme
            },
        }


def evaluate(
    texts: Sequence[str],
    expected: Sequence[Iterable[str]],
    limit: int = 3,
    lexicon: Lexicon | None = None,
) -> TaggerReport:
    """Compare `suggest_themes(text, limit)` with the hand-given themes of each text."""
    if len(texts) != len(expected):
        raise ValueError("texts and expected themes differ in length")
    support = dict.fromkeys(THEME_IDS, 0)
    suggested = dict.fromkeys(THEME_IDS, 0)
    correct = dict.fromkeys(THEME_IDS, 0)
    untagged = 0
    for text, themes in zip(texts, expected, strict=True):
        gold = {t for t in themes if t in support}
        guess = set(suggest_themes(text, limit, lexicon))
        untagged += not guess
        for theme in gold:
            support[theme] += 1
        for theme in guess:
            suggested[theme] += 1
            correct[theme] += theme in gold
    return TaggerReport(
        texts=len(texts),
        untagged=untagged,
        per_theme=tuple(ThemeScore(t, support[t], suggested[t], correct[t]) for t in THEME_IDS),
    )


DEMO_QUOTES_PATH = Path(__file__).resolve().parents[2] / "data" / "demo" / "quotes.csv"


def published_quotes(path: Path = DEMO_QUOTES_PATH) -> tuple[list[str], list[list[str]]]:
    """The texts and hand-given themes of the published quotes of a quotes template file."""
    texts: list[str] = []
    themes: list[list[str]] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"text", "themes", "status"} - set(reader.fieldnames or ())
        if missing:
            raise LexiconError(f"{path} : colonnes manquantes : {', '.join(sorted(missing))}")
        for row in reader:
            if (row["status"] or "").strip() == PUBLISHED:
                texts.append(row["text"] or "")
                themes.append(split_list(row["themes"]))
    return texts, themes


def _percent(ratio: float) -> str:
    return f"{ratio * 100:.1f} %".replace(".", ",")


def format_report(report: TaggerReport, title: str) -> str:
    """The report as a French text table: micro figures, then one line per theme."""
    lines = [
        title,
        f"Micro : précision {_percent(report.precision)} · rappel {_percent(report.recall)} · "
        f"F1 {_percent(report.f1)} · sans suggestion : {report.untagged} sur {report.texts}",
        "",
        f"{'Thème':<24}{'attendus':>9}{'suggérés':>10}{'corrects':>10}{'précision':>11}{'rappel':>9}",
    ]
    for score in report.per_theme:
        lines.append(
            f"{THEME_LABELS[score.theme]:<24}{score.support:>9}{score.suggested:>10}{score.correct:>10}"
            f"{_percent(score.precision):>11}{_percent(score.recall):>9}"
        )
    return "\n".join(lines)
