"""The curated table of equivalent French expressions, and the expansion of a search query by it.

The table lives in `insights/language/data/synonyms.csv`, one group a row: `group` (a name), `theme` (a
theme id or empty) and `expressions` (`;`-separated, multi-word allowed). Expressions are compared
by the stems of their content words (`insights.language.text`), so "trolls" belongs to the group of
"troll", and "clients en colère" is the expression "client en colère". An expression of several words whose
content is one word ("à mon compte") would make that word a synonym of the group: the loader
refuses it unless the group holds the word on its own.

>>> [sorted(e.alternatives)[:3] for e in expand("Un troll !")]
[['commentaire haineux', 'commentaires haineux', 'cyberharcelement']]
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from insights.domain import THEME_IDS, split_list
from insights.language.text import FRENCH_STOPWORDS, stem, tokenize

SYNONYMS_PATH = Path(__file__).parent / "data" / "synonyms.csv"


class SynonymsError(ValueError):
    """The synonyms table is malformed (the message names the file, the row and the reason)."""


@dataclass(frozen=True)
class SynonymGroup:
    """Expressions a student may use for the same idea, with the theme they point to."""

    name: str
    theme: str
    expressions: tuple[str, ...]


@dataclass(frozen=True)
class Expansion:
    """One unit of a query (a word or a known expression) and the expressions equivalent to it.

    `expression` is the query's own folded words; `alternatives` are folded expressions,
    `expression` included.
    """

    expression: str
    alternatives: frozenset[str]
    groups: tuple[str, ...] = ()


def load_synonym_groups(path: Path = SYNONYMS_PATH) -> tuple[SynonymGroup, ...]:
    """Read and check a synonyms table (columns `group`, `theme`, `expressions`)."""
    groups: list[SynonymGroup] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"group", "theme", "expressions"} - set(reader.fieldnames or ())
        if missing:
            raise SynonymsError(f"{path}: colonnes manquantes : {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            name = (row["group"] or "").strip()
            theme = (row["theme"] or "").strip()
            expressions = tuple(split_list(row["expressions"]))
            if not name:
                raise SynonymsError(f"{path}, ligne {line} : le groupe n'a pas de nom")
            if theme and theme not in THEME_IDS:
                raise SynonymsError(f"{path}, ligne {line} : thème inconnu « {theme} »")
            if not any(tokenize(e) for e in expressions):
                raise SynonymsError(f"{path}, ligne {line} : le groupe « {name} » n'a aucune expression")
            _check_no_hidden_word(path, line, expressions)
            groups.append(SynonymGroup(name, theme, expressions))
    return tuple(groups)


def _check_no_hidden_word(path: Path, line: int, expressions: Sequence[str]) -> None:
    """Refuse an expression of several words whose function words carry its meaning ("à mon
    compte" for freelancing): compared by its content words, it would be the lone word ("compte",
    an account) and make that word a synonym of the group. The word must then be in the group on
    its own ("sans diplôme" beside "diplôme")."""
    lone_words = {expression_key(e) for e in expressions if len(tokenize(e)) == 1}
    for expression in expressions:
        words = tokenize(expression)
        key = expression_key(expression)
        if len(words) > 1 and len(key) == 1 and key not in lone_words:
            word = next((w for w in words if w not in FRENCH_STOPWORDS), words[-1])
            raise SynonymsError(
                f"{path}, ligne {line} : « {expression} » se lit comme le seul mot « {word} » "
                "(les mots outils sont ignorés) ; ajoutez ce mot au groupe s'il en est synonyme, "
                "sinon retirez l'expression"
            )


def expression_key(expression: str) -> tuple[str, ...]:
    """How an expression is compared: the stems of its content words, or of all its words when it
    has only function words ("le ton")."""
    words = tokenize(expression)
    content = [stem(w) for w in words if w not in FRENCH_STOPWORDS]
    return tuple(content) if content else tuple(stem(w) for w in words)


@dataclass(frozen=True)
class _Table:
    """Groups indexed by the key of each of their expressions."""

    alternatives: dict[tuple[str, ...], frozenset[str]]
    groups: dict[tuple[str, ...], tuple[str, ...]]
    longest: int


def _build_table(groups: Sequence[SynonymGroup]) -> _Table:
    alternatives: dict[tuple[str, ...], set[str]] = {}
    names: dict[tuple[str, ...], list[str]] = {}
    for group in groups:
        folded = {" ".join(tokenize(e)) for e in group.expressions} - {""}
        for expression in folded:
            key = expression_key(expression)
            alternatives.setdefault(key, set()).update(folded)
            if group.name not in names.setdefault(key, []):
                names[key].append(group.name)
    longest = max((len(k) for k in alternatives), default=1)
    return _Table(
        {k: frozenset(v) for k, v in alternatives.items()},
        {k: tuple(v) for k, v in names.items()},
        longest,
    )


@lru_cache(maxsize=1)
def _default_table() -> _Table:
    return _build_table(load_synonym_groups())


def expand(query: str | Sequence[str], groups: Sequence[SynonymGroup] | None = None) -> list[Expansion]:
    """Split a query into units and give each its equivalent expressions.

    Known multi-word expressions are matched first, longest first ("bad buzz", "client en
    colère", also with words between them that are function words); every other content word is
    a unit of its own; function words outside an expression are dropped. A unit with no group has
    itself as its only alternative. Units come in query order, without repeats.
    """
    table = _default_table() if groups is None else _build_table(groups)
    text = query if isinstance(query, str) else " ".join(query)
    words = tokenize(text)
    content = [(i, stem(w)) for i, w in enumerate(words) if w not in FRENCH_STOPWORDS]
    units: list[Expansion] = []
    seen: set[str] = set()
    seen_alternatives: set[frozenset[str]] = set()

    def add(expression: str, key: tuple[str, ...]) -> None:
        # A second word of an already expanded group ("trolls haters") adds nothing.
        alternatives = table.alternatives.get(key, frozenset()) | {expression}
        if expression in seen or alternatives in seen_alternatives:
            return
        seen.add(expression)
        seen_alternatives.add(alternatives)
        units.append(Expansion(expression, alternatives, table.groups.get(key, ())))

    if not content:
        # Only function words: the phrase may still be a known expression ("le ton").
        key = tuple(stem(w) for w in words)
        if key in table.alternatives:
            add(" ".join(words), key)
        return units
    position = 0
    while position < len(content):
        for size in range(min(table.longest, len(content) - position), 0, -1):
            key = tuple(s for _, s in content[position : position + size])
            if key in table.alternatives or size == 1:
                first, last = content[position][0], content[position + size - 1][0]
                add(" ".join(words[first : last + 1]), key)
                position += size
                break
    return units
