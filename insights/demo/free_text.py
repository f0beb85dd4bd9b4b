"""The students' free-text answers (what they retained, what they would improve), drawn from pools made
of the hand-written banks of `answers`, typed the way students do; and the stacked pools themselves."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from insights import domain
from insights.demo.answers import (
    CASUAL_SPELLINGS,
    IMPROVE,
    IMPROVE_BLUNT_OPENERS,
    IMPROVE_CONNECTOR,
    IMPROVE_TOPIC_TEMPLATES,
    IMPROVE_TOPICS,
    TAKEAWAY_CLOSERS,
    TAKEAWAY_OPENERS,
    TAKEAWAY_SHORT,
    TAKEAWAY_WEAK,
    TAKEAWAYS,
)

if TYPE_CHECKING:
    from insights.demo.simulation import Talks

_KEEP_CAPITAL = re.compile(r"^(Google|Pinterest|Instagram|FAQ|CM|RAS|Twitter|Hootsuite|Buffer)\b")


def _lower_first(text: str) -> str:
    if _KEEP_CAPITAL.match(text) or len(text) < 2 or not text[1].islower():
        return text
    return text[0].lower() + text[1:]


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))


def _casual(text: str, rng: np.random.Generator) -> str:
    """Now and then, the way students type on a phone: no capital, no final period, a shortcut, no accents."""
    if rng.random() < 0.12:
        text = _lower_first(text)
    if rng.random() < 0.1:
        candidates = [pair for pair in CASUAL_SPELLINGS if pair[0] in text]
        if candidates:
            correct, casual = candidates[int(rng.integers(len(candidates)))]
            text = text.replace(correct, casual, 1)
    if rng.random() < 0.04:
        text = _strip_accents(text)
    if text.endswith(".") and not text.endswith("..."):
        ending = rng.random()
        if ending < 0.2:
            text = text[:-1]
        elif ending < 0.25:
            text = text[:-1] + " !!"
    return text


def _takeaway_pool(bank: Sequence[str], size: int, rng: np.random.Generator) -> list[str]:
    pool = []
    for _ in range(size):
        first = int(rng.integers(len(bank)))
        text = bank[first]
        if rng.random() < 0.18 and len(bank) > 1:
            second = (first + 1 + int(rng.integers(len(bank) - 1))) % len(bank)
            text = f"{text} {bank[second]}"
        if rng.random() < 0.2:
            text = TAKEAWAY_OPENERS[int(rng.integers(len(TAKEAWAY_OPENERS)))] + _lower_first(text)
        if rng.random() < 0.15:
            text += TAKEAWAY_CLOSERS[int(rng.integers(len(TAKEAWAY_CLOSERS)))]
        pool.append(_casual(text, rng))
    return pool


def _plain_pool(bank: Sequence[str], size: int, rng: np.random.Generator) -> list[str]:
    return [_casual(bank[int(rng.integers(len(bank)))], rng) for _ in range(size)]


def stacked(pools: Sequence[list[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Concatenate pools into one array, with each pool's offset and size."""
    sizes = np.array([len(pool) for pool in pools], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    flat = np.array([text for pool in pools for text in pool], dtype=object)
    return flat, offsets, sizes


def draw_indices(
    offsets: np.ndarray, sizes: np.ndarray, pool: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """For each row, a random index into the stacked pool number `pool[row]`."""
    return offsets[pool] + (rng.random(len(pool)) * sizes[pool]).astype(np.int64)


def takeaways(
    talks: Talks, talk: np.ndarray, latent: np.ndarray, dropout: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """The advice each student retained: about one of the talk's themes, or vaguer after a weak talk."""
    theme_pools = [_takeaway_pool(TAKEAWAYS[theme], 240, rng) for theme in domain.THEME_IDS]
    weak_pool = _plain_pool(TAKEAWAY_WEAK, 40, rng)
    short_pool = _plain_pool(TAKEAWAY_SHORT, 30, rng)
    texts, offsets, sizes = stacked([*theme_pools, weak_pool, short_pool])
    weak, short = len(theme_pools), len(theme_pools) + 1

    theme_count = talks.themes.sum(axis=1)
    theme_order = np.argsort(~talks.themes, axis=1, kind="stable")  # covered themes first
    n = len(talk)
    pick = (rng.random(n) * np.maximum(theme_count[talk], 1)).astype(np.int64)
    pool = theme_order[talk, pick]
    pool = np.where(rng.random(n) < 0.04, short, pool)
    pool = np.where((latent < 2.9) & (rng.random(n) < 0.55), weak, pool)

    answer = texts[draw_indices(offsets, sizes, pool, rng)]
    blank = dropout | (rng.random(n) < 0.36 + 0.22 * (latent < 3.0))
    answer[blank] = None
    return answer


def _improvement_pool(kind: str, size: int, rng: np.random.Generator) -> list[str]:
    bank = IMPROVE[kind]
    pool = []
    for _ in range(size):
        first = int(rng.integers(len(bank)))
        text = bank[first]
        if kind in ("general", "critical", "tool", "workshop") and rng.random() < 0.15:
            second = (first + 1 + int(rng.integers(len(bank) - 1))) % len(bank)
            text += IMPROVE_CONNECTOR + _lower_first(bank[second])
        if kind == "critical" and rng.random() < 0.25:
            text = IMPROVE_BLUNT_OPENERS[int(rng.integers(len(IMPROVE_BLUNT_OPENERS)))] + _lower_first(text)
        pool.append(_casual(text, rng))
    return pool


def _topic_pool(theme: str, size: int, rng: np.random.Generator) -> list[str]:
    topics = IMPROVE_TOPICS[theme]
    return [
        _casual(
            IMPROVE_TOPIC_TEMPLATES[int(rng.integers(len(IMPROVE_TOPIC_TEMPLATES)))].format(
                topic=topics[int(rng.integers(len(topics)))]
            ),
            rng,
        )
        for _ in range(size)
    ]


def improvements(
    talks: Talks, talk: np.ndarray, latent: np.ndarray, dropout: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """What each student would improve: praise after a good talk, criticism after a weak one, or more
    on one of the talk's themes."""
    kinds = ("positive", "general", "critical", "tool", "workshop")
    pools = [_improvement_pool(kind, 80, rng) for kind in kinds]
    pools += [_topic_pool(theme, 60, rng) for theme in domain.THEME_IDS]
    texts, offsets, sizes = stacked(pools)
    n = len(talk)

    fmt = talks.formats[talk]
    specific = np.select(
        [fmt == 1, fmt == 2], [kinds.index("tool"), kinds.index("workshop")], kinds.index("general")
    )
    theme_count = talks.themes.sum(axis=1)
    theme_order = np.argsort(~talks.themes, axis=1, kind="stable")
    topic = (
        len(kinds) + theme_order[talk, (rng.random(n) * np.maximum(theme_count[talk], 1)).astype(np.int64)]
    )
    draw = rng.random(n)
    other = np.select([draw < 0.35, draw < 0.65], [kinds.index("general"), specific], topic)

    draw = rng.random(n)
    pool = np.select(
        [
            (latent >= 4.2) & (draw < 0.6),
            (latent >= 3.1) & (latent < 4.2) & (draw < 0.2),
            (latent < 3.1) & (draw < 0.65),
        ],
        [kinds.index("positive"), kinds.index("positive"), kinds.index("critical")],
        other,
    )
    answer = texts[draw_indices(offsets, sizes, pool, rng)]
    blank = dropout | (rng.random(n) < 0.55 + 0.12 * (latent > 4.3) - 0.2 * (latent < 3.0))
    answer[blank] = None
    return answer
