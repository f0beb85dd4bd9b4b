"""Speakers' career paths: education and role families, one speaker's timeline, the routes into
the job across speakers, and how many came without a communication degree.

Families come from small keyword rules on folded French text (accents and case ignored), so
that free-text education and job titles can be counted and drawn.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

import pandas as pd

from insights.language.text import fold

# --- education --------------------------------------------------------------------------------

COMMUNICATION = "Communication, information"
JOURNALISM = "Journalisme"
MARKETING = "Marketing"
HUMANITIES = "Lettres, langues, sciences humaines"
LAW_POLITICS = "Droit, science politique"
BUSINESS = "Commerce, gestion, économie"
SCIENCES = "Informatique, sciences"
SELF_TAUGHT = "Autodidacte"
OTHER_EDUCATION = "Autre formation"
UNKNOWN_EDUCATION = "Non renseignée"

COMMUNICATION_FAMILIES: tuple[str, ...] = (COMMUNICATION, JOURNALISM, MARKETING)
"""Education families that count as a communication degree (the trade's own schools)."""

EDUCATION_FAMILIES: tuple[str, ...] = (
    *COMMUNICATION_FAMILIES,
    HUMANITIES,
    LAW_POLITICS,
    BUSINESS,
    SCIENCES,
    SELF_TAUGHT,
    OTHER_EDUCATION,
    UNKNOWN_EDUCATION,
)

# Keyword patterns on folded text, tried in this order: the first family that matches a degree
# wins ("master marketing et communication" is marketing, "sciences humaines" is humanities).
_EDUCATION_RULES: tuple[tuple[str, str], ...] = (
    (JOURNALISM, r"journalis"),
    (MARKETING, r"marketing|mercatique"),
    (
        COMMUNICATION,
        r"communication|info[- ]?com|\bcm\b|community manag|animation de(s)? (reseaux|communautes)"
        r"|medias sociaux|reseaux sociaux|relations publiques|\bpublicite",
    ),
    (
        HUMANITIES,
        r"histoire|lettres|langues?\b|\blea\b|\bllce\b|anglais|espagnol|allemand|italien|sociologie"
        r"|psychologie|philosophie|geographie|\bart\b|\barts\b|museologie|mediation|sciences humaines"
        r"|sciences sociales|anthropologie|linguistique|ethnologie",
    ),
    (
        LAW_POLITICS,
        r"\bdroit\b|juridique|\biep\b|sciences? po|science politique|affaires publiques|administration publique",
    ),
    (
        BUSINESS,
        r"commerce|commercialisation|negociation|relation client|gestion|management|econom|\baes\b"
        r"|\bvente\b|finance|comptab",
    ),
    (
        SCIENCES,
        r"informatique|statisti|mathemati|\bdata\b|donnees|ingenieur|physique|chimie|biologie"
        r"|\bsciences?\b|numerique",
    ),
)
_EDUCATION_PATTERNS = tuple((family, re.compile(pattern)) for family, pattern in _EDUCATION_RULES)

# A part of the education text that is not a degree: continuing education, online courses,
# unfinished studies. Self-taught is recorded as such.
_NOT_A_DEGREE = re.compile(r"formations? continue|formations? en ligne|\bmooc|non termine|abandon|en cours")
_SELF_TAUGHT = re.compile(r"autodidacte|sans diplome|aucun diplome")
_PARENTHESES = re.compile(r"\([^)]*\)")
_PART_SEPARATORS = re.compile(r"[,;+/]| puis ")


@dataclass(frozen=True)
class Education:
    """How an education text reads: its family and whether it includes a communication degree."""

    family: str
    communication_degree: bool


def classify_education(text: str | None) -> Education:
    """The family of an education text and whether it holds a communication degree.

    The text is split into its degrees (on `,`, `;`, `+`, `/`, "puis"; asides in parentheses
    dropped). Continuing education, online courses and unfinished studies are not degrees.
    A communication, journalism or marketing degree anywhere makes it a communication degree
    (its family is then that degree's); otherwise the family is the first degree's.

    >>> classify_education("DUT Information-Communication, licence professionnelle e-commerce")
    Education(family='Communication, information', communication_degree=True)
    >>> classify_education("Master d'anglais (LLCE), formation continue en communication")
    Education(family='Lettres, langues, sciences humaines', communication_degree=False)
    """
    folded = fold(text or "").strip()
    if not folded:
        return Education(UNKNOWN_EDUCATION, False)
    without_asides = _PARENTHESES.sub(" ", folded)
    self_taught = bool(_SELF_TAUGHT.search(folded))
    families: list[str] = []
    for part in _PART_SEPARATORS.split(without_asides):
        part = part.strip()
        if not part or _NOT_A_DEGREE.search(part) or _SELF_TAUGHT.search(part):
            continue
        families.append(_degree_family(part))
    for family in families:
        if family in COMMUNICATION_FAMILIES:
            return Education(family, True)
    if families and families[0] != OTHER_EDUCATION:
        return Education(families[0], False)
    if self_taught:
        return Education(SELF_TAUGHT, False)
    return Education(families[0] if families else OTHER_EDUCATION, False)


def _degree_family(part: str) -> str:
    for family, pattern in _EDUCATION_PATTERNS:
        if pattern.search(part):
            return family
    return OTHER_EDUCATION


# --- roles ------------------------------------------------------------------------------------

ROLE_CM = "Community management, réseaux sociaux"
ROLE_COMMUNICATION = "Communication"
ROLE_JOURNALISM = "Journalisme, rédaction"
ROLE_BUSINESS = "Marketing, vente, relation client"
ROLE_CONSULTING = "Conseil, direction"
ROLE_DATA = "Études, veille, informatique"
ROLE_OTHER = "Autre métier"

ROLE_FAMILIES: tuple[str, ...] = (
    ROLE_CM,
    ROLE_COMMUNICATION,
    ROLE_JOURNALISM,
    ROLE_BUSINESS,
    ROLE_CONSULTING,
    ROLE_DATA,
    ROLE_OTHER,
)

_ROLE_RULES: tuple[tuple[str, str], ...] = (
    (
        ROLE_CM,
        r"community|social media|reseaux sociaux|medias sociaux|communaute|moderat|\bcm\b|brand content",
    ),
    (ROLE_JOURNALISM, r"journalis|redact|redaction|editorial"),
    (ROLE_COMMUNICATION, r"communication|publics|presse|publicite|contenus?\b|webmaster|relations publiques"),
    (ROLE_BUSINESS, r"marketing|client|vente|vendeu|commercial|produit|clientele|e-commerce"),
    (ROLE_CONSULTING, r"consultant|conseil|directeur|directrice|associe|fondat|formateur|formatrice|gerant"),
    (
        ROLE_DATA,
        r"etudes?\b|analyst|data|statisti|technicien|informatic|informatique|veille|developpeu|intelligence",
    ),
)
_ROLE_PATTERNS = tuple((family, re.compile(pattern)) for family, pattern in _ROLE_RULES)


def classify_role(role: str | None) -> str:
    """The family of a job title (first matching rule, else "Autre métier").

    >>> classify_role("Chargée de communication web")
    'Communication'
    >>> classify_role("Webmaster et modérateur de forums")
    'Community management, réseaux sociaux'
    """
    folded = fold(role or "")
    for family, pattern in _ROLE_PATTERNS:
        if pattern.search(folded):
            return family
    return ROLE_OTHER


# --- one speaker's path -----------------------------------------------------------------------

TIMELINE_COLUMNS = ["role", "organisation", "year_from", "year_to", "current", "family"]


def career_timeline(steps: pd.DataFrame, until: int) -> pd.DataFrame:
    """One speaker's career steps ready to draw, oldest first.

    `steps`: the speaker's rows of `store.load_career_steps`. A step without an end year is the
    current job: its `year_to` becomes `until` (at least its start year) and `current` is True.
    Columns: TIMELINE_COLUMNS (`year_from`, `year_to` int; `family` from `classify_role`).
    """
    rows = []
    for step in steps.sort_values(["year_from"], kind="stable").itertuples(index=False):
        current = step.year_to is None or pd.isna(step.year_to)
        rows.append(
            {
                "role": step.role,
                "organisation": step.organisation,
                "year_from": int(step.year_from),
                "year_to": max(int(step.year_from), until) if current else int(step.year_to),
                "current": current,
                "family": classify_role(step.role),
            }
        )
    return pd.DataFrame(rows, columns=TIMELINE_COLUMNS)


# --- across speakers --------------------------------------------------------------------------

ROUTE_COLUMNS = [
    "speaker_id",
    "name",
    "org_type",
    "years_experience",
    "education",
    "education_family",
    "communication_degree",
    "first_role",
    "first_role_family",
    "current_role",
    "current_role_family",
]


def career_routes(speakers: pd.DataFrame, career_steps: pd.DataFrame) -> pd.DataFrame:
    """Each speaker's route into the job: education, first role and current role, with families.

    `speakers` and `career_steps` as from the store loaders. The first role is the earliest
    step; the current role the latest step without an end year (else the latest step); a
    speaker without steps has their title as both. Columns: ROUTE_COLUMNS, in `speakers` order.
    """
    steps_by_speaker = {key: frame for key, frame in career_steps.groupby("speaker_id", sort=False)}
    rows = []
    for speaker in speakers.itertuples(index=False):
        education = classify_education(speaker.education)
        steps = steps_by_speaker.get(speaker.speaker_id)
        if steps is None or steps.empty:
            first_role = current_role = speaker.title
        else:
            ordered = steps.sort_values("year_from", kind="stable")
            first_role = ordered.iloc[0]["role"]
            open_ended = ordered[ordered["year_to"].isna()]
            current_role = (open_ended if not open_ended.empty else ordered).iloc[-1]["role"]
        rows.append(
            {
                "speaker_id": speaker.speaker_id,
                "name": speaker.name,
                "org_type": speaker.org_type,
                "years_experience": speaker.years_experience,
                "education": speaker.education,
                "education_family": education.family,
                "communication_degree": education.communication_degree,
                "first_role": first_role,
                "first_role_family": classify_role(first_role),
                "current_role": current_role,
                "current_role_family": classify_role(current_role),
            }
        )
    return pd.DataFrame(rows, columns=ROUTE_COLUMNS)


STAGES: tuple[tuple[str, str], ...] = (
    ("education_family", "Formation"),
    ("first_role_family", "Premier poste"),
    ("current_role_family", "Poste actuel"),
)
"""The columns of `career_routes` drawn as the routes' stages, with their French titles."""

FLOW_COLUMNS = ["source_stage", "source", "target_stage", "target", "communication_degree", "speakers"]


def route_flows(routes: pd.DataFrame) -> pd.DataFrame:
    """How many speakers went from each family of a stage to each family of the next stage,
    counted apart for those with and without a communication degree.

    `routes` as from `career_routes`. Stages are indexed 0 (education), 1 (first role) and
    2 (current role). Columns: FLOW_COLUMNS; sorted by stage, then by number of speakers.
    """
    rows = []
    for stage, ((source_column, _), (target_column, _)) in enumerate(itertools.pairwise(STAGES)):
        counts = routes.groupby([source_column, target_column, "communication_degree"], sort=False).size()
        for (source, target, communication_degree), speakers in counts.items():
            rows.append(
                {
                    "source_stage": stage,
                    "source": source,
                    "target_stage": stage + 1,
                    "target": target,
                    "communication_degree": bool(communication_degree),
                    "speakers": int(speakers),
                }
            )
    flows = pd.DataFrame(rows, columns=FLOW_COLUMNS)
    return flows.sort_values(
        ["source_stage", "speakers", "source", "target", "communication_degree"],
        ascending=[True, False, True, True, False],
        ignore_index=True,
    )


@dataclass(frozen=True)
class DegreeShare:
    """Speakers who came without a communication degree, among those whose education is known."""

    without: int
    n: int

    @property
    def share(self) -> float:
        return self.without / self.n if self.n else math.nan


def without_communication_degree(routes: pd.DataFrame) -> DegreeShare:
    """How many speakers of `routes` (from `career_routes`) hold no communication degree; speakers
    whose education is not given are left out of n."""
    known = routes[routes["education_family"] != UNKNOWN_EDUCATION]
    return DegreeShare(int((~known["communication_degree"].astype(bool)).sum()), len(known))


EDUCATION_COUNT_COLUMNS = ["education_family", "speakers", "communication_degree"]


def education_counts(routes: pd.DataFrame) -> pd.DataFrame:
    """Speakers by education family, in EDUCATION_FAMILIES order, families without speakers left out.

    Columns: EDUCATION_COUNT_COLUMNS (`communication_degree`: whether the family counts as one).
    """
    counts = routes["education_family"].value_counts()
    rows = [
        {
            "education_family": family,
            "speakers": int(counts[family]),
            "communication_degree": family in COMMUNICATION_FAMILIES,
        }
        for family in EDUCATION_FAMILIES
        if family in counts.index
    ]
    return pd.DataFrame(rows, columns=EDUCATION_COUNT_COLUMNS)


EXPERIENCE_COLUMNS = ["org_type", "speaker_id", "name", "years_experience"]


def experience_by_org_type(speakers: pd.DataFrame, org_types: tuple[str, ...]) -> pd.DataFrame:
    """Each speaker's years of experience with their organisation type, speakers without the
    figure left out. Sorted in `org_types` order (unknown types last), then by years.

    Columns: EXPERIENCE_COLUMNS (`years_experience` int).
    """
    known = speakers[speakers["years_experience"].notna()]
    rank = {org_type: index for index, org_type in enumerate(org_types)}
    frame = pd.DataFrame(
        {
            "org_type": known["org_type"].astype(str),
            "speaker_id": known["speaker_id"],
            "name": known["name"],
            "years_experience": known["years_experience"].astype("int64"),
        },
        columns=EXPERIENCE_COLUMNS,
    )
    frame["_rank"] = frame["org_type"].map(lambda t: rank.get(t, len(rank)))
    frame = frame.sort_values(["_rank", "org_type", "years_experience", "name"], ignore_index=True)
    return frame.drop(columns="_rank")
