"""The domain's fixed vocabulary: themes, organisation types, formats, the survey instrument.

Each fact is defined here once and imported everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

ANONYMITY_THRESHOLD = 5
"""Default minimum number of answers behind any figure or comment shown."""

LIST_SEPARATOR = ";"
"""Separator of list values inside one CSV cell (themes, networks, speaker ids…)."""


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    description: str


THEMES: tuple[Theme, ...] = (
    Theme("crise", "Gestion de crise", "bad buzz, trolls, influenceurs mécontents, polémiques"),
    Theme(
        "transparence",
        "Transparence",
        "montrer le travail de la structure, admettre quand un service dysfonctionne",
    ),
    Theme("conversation", "Conversation", "faire participer la communauté"),
    Theme("engagement", "Juste engagement", "s'impliquer sans se sur-impliquer"),
    Theme("enthousiasme", "Enthousiasme", "écoute, partage d'informations pertinentes, un compte vivant"),
    Theme(
        "structure",
        "Connaître sa structure",
        "l'organisation, sa ligne de conduite, son fonctionnement interne",
    ),
    Theme("strategie", "Stratégie digitale", "objectifs, canaux, ligne éditoriale"),
    Theme("veille", "Veille et innovation", "être au chevet de l'innovation web, la passion"),
    Theme("parcours", "Parcours et métier", "carrières, le métier, ce qu'un diplôme donne et ne donne pas"),
    Theme("outils", "Outils", "outils présentés : planification, écoute, analytics…"),
)
THEME_IDS: tuple[str, ...] = tuple(t.id for t in THEMES)
THEME_LABELS: dict[str, str] = {t.id: t.label for t in THEMES}

ORG_TYPES: tuple[str, ...] = (
    "université / établissement public",
    "grand groupe",
    "agence",
    "start-up",
    "collectivité",
    "association",
    "indépendant",
    "éditeur d'outil",
)

FORMATS: tuple[str, ...] = ("témoignage de CM", "présentation d'outil", "atelier")

SEMESTERS: tuple[str, ...] = ("S1", "S2")

QUOTE_STATUSES: tuple[str, ...] = ("proposée", "publiée", "refusée")
PUBLISHED = "publiée"
PROPOSED = "proposée"
REFUSED = "refusée"

QUOTE_SOURCES: tuple[str, ...] = ("notes d'étudiant", "support", "vidéo", "proposition d'étudiant")
STUDENT_PROPOSAL = "proposition d'étudiant"
"""The source of a quote a student proposed on the quote wall."""

NETWORKS: tuple[str, ...] = (
    "Facebook",
    "X/Twitter",
    "Instagram",
    "LinkedIn",
    "TikTok",
    "YouTube",
    "Snapchat",
    "Pinterest",
    "Twitch",
)

LIKERT_LABELS: tuple[str, ...] = (
    "Pas du tout d'accord",
    "Plutôt pas d'accord",
    "Ni d'accord ni pas d'accord",
    "Plutôt d'accord",
    "Tout à fait d'accord",
)
"""Labels of the 1–5 Likert scale, in order (index 0 is the value 1)."""

BEST_PARTS: tuple[str, ...] = (
    "parcours",
    "structure et stratégie",
    "gestion de crise",
    "conseils",
    "échange",
)
"""The parts of a talk, in the order they are given (the `best_part` question's options)."""

QUESTION_TYPES: tuple[str, ...] = ("likert5", "choice", "nps", "text")
CLOSED_TYPES: tuple[str, ...] = ("likert5", "nps", "choice")
"""Question types whose answers are counted by value (the survey figures are sums of those counts)."""

TAKEAWAY_QUESTION = "takeaway"
"""The free-text question whose answers are the advice students retain ("Le conseil que je retiens")."""

THEME_TAGGED_QUESTIONS: tuple[str, ...] = (TAKEAWAY_QUESTION,)

# --- publication of results and review of free-text answers -------------------------------------

COLLECTING, REVIEWED, PUBLISHED_RESULTS = "collecting", "reviewed", "published"
RESULT_STATES: tuple[str, ...] = (COLLECTING, REVIEWED, PUBLISHED_RESULTS)
"""The states a talk's results move through: answers still coming in, looked at by the director,
shown to students. Only published results are shown to anyone but the director."""
RESULT_STATE_LABELS: dict[str, str] = {
    COLLECTING: "en collecte",
    REVIEWED: "relus",
    PUBLISHED_RESULTS: "publiés",
}

PENDING, PUBLIC, PRIVATE, REMOVED = "pending", "public", "private", "removed"
REVIEW_STATUSES: tuple[str, ...] = (PUBLIC, PRIVATE, REMOVED)
"""What the director decides of a free-text answer: students may read it (public), only the
director and the talk's speaker may (private), or nobody but the director (removed). An answer
not yet decided is PENDING, and read by the director alone."""
REVIEW_LABELS: dict[str, str] = {
    PENDING: "à relire",
    PUBLIC: "public",
    PRIVATE: "privé",
    REMOVED: "supprimé",
}

PARTICIPATION_THRESHOLD = 0.2
"""Below this share of its cohort answering, a talk is marked "(participation faible)"."""
"""Free-text questions whose answers the theme tagger tags when they are written: the advice students
retain, which the Thèmes page sets against the themes of the talks."""


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: str
    options: tuple[str, ...] = ()


DEFAULT_INSTRUMENT: tuple[Question, ...] = (
    Question("satisfaction", "likert5", "Globalement, je suis satisfait·e de cette intervention"),
    Question("usefulness", "likert5", "Cette intervention me sera utile dans mon futur métier"),
    Question("clarity", "likert5", "Le propos était clair et structuré"),
    Question("exchange", "likert5", "Le temps d'échange a répondu à mes questions"),
    Question("pillar_transparency", "likert5", "Elle m'a aidé·e à me positionner sur la transparence"),
    Question("pillar_conversation", "likert5", "… sur la conversation avec la communauté"),
    Question("pillar_engagement", "likert5", "… sur le juste engagement du CM"),
    Question(
        "pillar_enthusiasm",
        "likert5",
        "… sur l'enthousiasme (écoute, partage d'informations pertinentes)",
    ),
    Question("best_part", "choice", "La partie la plus utile", BEST_PARTS),
    Question("recommend", "nps", "Recommanderiez-vous de réinviter cet·te intervenant·e ?"),
    Question("takeaway", "text", "Le conseil que je retiens"),
    Question("improve", "text", "Ce qui pourrait être amélioré"),
)
QUESTION_IDS: tuple[str, ...] = tuple(q.id for q in DEFAULT_INSTRUMENT)
QUESTIONS_BY_ID: dict[str, Question] = {q.id: q for q in DEFAULT_INSTRUMENT}
LIKERT_QUESTION_IDS: tuple[str, ...] = tuple(q.id for q in DEFAULT_INSTRUMENT if q.type == "likert5")

PILLARS: dict[str, str] = {
    "pillar_transparency": "Transparence",
    "pillar_conversation": "Conversation",
    "pillar_engagement": "Juste engagement",
    "pillar_enthusiasm": "Enthousiasme",
}
"""The programme's four fundamentals, as survey questions, with their short labels."""

SHORT_QUESTION_LABELS: dict[str, str] = {
    "satisfaction": "Satisfaction",
    "usefulness": "Utilité",
    "clarity": "Clarté",
    "exchange": "Échange",
    **PILLARS,
    "best_part": "Partie la plus utile",
    "recommend": "Réinviter",
    "takeaway": "Conseil retenu",
    "improve": "À améliorer",
}


def split_list(cell: str | None) -> list[str]:
    """Split a `;`-separated CSV cell into its trimmed, non-empty values."""
    if cell is None:
        return []
    return [part.strip() for part in str(cell).split(LIST_SEPARATOR) if part.strip()]


def join_list(values: list[str] | tuple[str, ...]) -> str:
    """Join values into one `;`-separated CSV cell."""
    return LIST_SEPARATOR.join(values)


TABLE_LABELS = {
    "cohorts": "Promotions",
    "speakers": "Intervenant·es",
    "career_steps": "Étapes de parcours",
    "interventions": "Interventions",
    "responses": "Réponses",
    "answers": "Valeurs de réponse",
    "quotes": "Citations",
    "questions": "Questions du questionnaire",
}
"""The database's domain tables in French, as a backup's contents are shown."""
