"""The command line (`python -m insights …`): thin adapters from arguments to library functions.

Each subcommand is one `add_parser` in `build_parser` and one handler in `HANDLERS`. Handlers
return the exit code: 0 success, 1 invalid data or refused operation, 2 usage error. Messages
are in French, errors on stderr.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from insights import access, store
from insights.domain import (
    PUBLISHED,
    PUBLISHED_RESULTS,
    RESULT_STATE_LABELS,
    REVIEWED,
    TABLE_LABELS,
    THEME_IDS,
    THEME_LABELS,
)
from insights.filters import Filters
from insights.formatting import format_date, format_number, plural
from insights.ingest import exports, imports, loading, templates
from insights.ingest.validation import ImportFileError, ImportValidationError
from insights.language import tagger
from insights.quotes import evaluation, search

EXIT_OK = 0
EXIT_INVALID_DATA = 1
EXIT_USAGE = 2

IMPORT_FORMATS = imports.FORMAT_CHOICES
DEFAULT_BASE_URL = "http://localhost:8501"
"""Where the app is served when `share-link` is not told (`--base-url`)."""
EVAL_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "search_eval"
"""The search's judged evaluation set (`search-eval`), in the project's tests."""
PAGE_FILES = ("overview.py", "quotes.py", "surveys.py", "speakers.py", "themes.py", "reinvite.py")
"""The pages `bench` times whole (as `insights.bench.pages.PAGES`, which only `bench` imports)."""


class CommandError(Exception):
    """A failure to report to the person at the terminal, with the exit code to return."""

    def __init__(self, message: str, exit_code: int = EXIT_INVALID_DATA) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions kept as written; room for the longest command name beside its help."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog)
        # argparse measures command names at their group's indent but prints them two columns
        # further in, so the longest one (`set-password`) would push its help to the next line.
        self._action_max_length = len("    set-password")


class _FrenchParser(argparse.ArgumentParser):
    """argparse with French section titles and usage errors."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", help="affiche cette aide et quitte")

    def error(self, message: str) -> NoReturn:
        for english, french in _ARGPARSE_MESSAGES:
            message = message.replace(english, french)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog} : erreur : {message}\n")


_ARGPARSE_MESSAGES = (
    ("the following arguments are required", "arguments obligatoires manquants"),
    ("unrecognized arguments", "arguments non reconnus"),
    ("invalid choice", "choix invalide"),
    ("choose from", "choix possibles :"),
    ("expected one argument", "une valeur est attendue"),
)


def _kind(text: str) -> str:
    kind = text.strip().lower().replace("_", "-")
    if kind not in templates.KINDS:
        raise argparse.ArgumentTypeError(f"type inconnu « {text} » (attendu : {', '.join(templates.KINDS)})")
    return kind


def build_parser() -> argparse.ArgumentParser:
    """The parser of every subcommand; `--db` is accepted before or after the subcommand."""
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument(
        "--db",
        type=Path,
        metavar="CHEMIN",
        default=argparse.SUPPRESS,
        help="base SQLite à utiliser (sinon la variable INSIGHTS_DB, sinon data/insights.sqlite)",
    )
    parser = _FrenchParser(
        prog="python -m insights",
        description="Paroles de pros : la base des interventions, des réponses aux questionnaires et des citations.",
        parents=[database],
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE", title="commandes")

    init = commands.add_parser(
        "init",
        parents=[database],
        help="crée la base (ou la met à jour) ; --demo y charge les données de démonstration",
        description="Crée la base de données, ou applique les migrations de schéma en attente.",
    )
    init.add_argument("--demo", action="store_true", help="charge les données de démonstration de data/demo/")
    init.add_argument(
        "--reset",
        action="store_true",
        help="supprime d'abord la base existante (toutes ses données sont perdues)",
    )

    import_ = commands.add_parser(
        "import",
        parents=[database],
        help="importe un fichier (modèle CSV ou XLSX, ou export Google Forms, Microsoft Forms, LimeSurvey) ; tout ou rien",
        description=(
            "Importe un fichier dans la base. Tout ou rien : un fichier invalide n'écrit rien et chaque\n"
            "problème est signalé (fichier, ligne, colonne, valeur attendue). Réimporter le même fichier\n"
            "n'ajoute rien.\n\n"
            "Les exports de questionnaires (Google Forms, Microsoft Forms, LimeSurvey) sont reconnus ; leurs\n"
            "colonnes sont associées aux questions par la correspondance enregistrée pour ce formulaire\n"
            "(page Données), sinon automatiquement (identifiant, intitulé ou formulation proche). Les\n"
            "adresses e-mail et les noms ne sont jamais enregistrés : une empreinte salée les remplace.\n\n"
            "La colonne facultative « results » d'interventions.csv fixe l'état des résultats (collecting,\n"
            "reviewed, published ; vide : inchangé). reviews.csv donne les décisions de relecture des\n"
            "réponses libres (public, private, removed) ; il s'importe après les réponses."
        ),
    )
    import_.add_argument(
        "kind", type=_kind, metavar="TYPE", help=f"type de données : {', '.join(templates.KINDS)}"
    )
    import_.add_argument("file", type=Path, metavar="FICHIER", help="le fichier à importer (.csv ou .xlsx)")
    import_.add_argument(
        "--format",
        choices=IMPORT_FORMATS,
        default="auto",
        help=(
            "format du fichier : auto (reconnu d'après l'en-tête), template (modèle de l'application), "
            "google-forms, microsoft-forms ou limesurvey (exports de ces outils, pour TYPE responses)"
        ),
    )
    import_.add_argument(
        "--intervention",
        metavar="ID",
        help="pour les réponses : l'intervention de tout le fichier, s'il n'a pas de colonne qui la donne",
    )
    import_.add_argument("--dry-run", action="store_true", help="vérifie et compte sans rien enregistrer")

    export = commands.add_parser(
        "export",
        parents=[database],
        help="exporte chaque table en fichier modèle CSV",
        description="Écrit les sept fichiers modèles (CSV) dans DOSSIER ; `import` les relit à l'identique.",
    )
    export.add_argument(
        "directory", type=Path, metavar="DOSSIER", help="dossier de destination (créé au besoin)"
    )

    publish = commands.add_parser(
        "publish",
        parents=[database],
        help="publie les résultats d'interventions : les étudiant·es les voient",
        description=(
            "Publie les résultats des interventions choisies (par identifiant, par promotion ou toutes) :\n"
            "leurs figures deviennent visibles des étudiant·es. Tout ou rien : une intervention ou une\n"
            "promotion inconnue, ou une intervention sans aucune réponse au questionnaire, et rien n'est\n"
            "publié. Chaque changement est inscrit à l'historique de la publication."
        ),
    )
    _add_talk_selection(publish)
    unpublish = commands.add_parser(
        "unpublish",
        parents=[database],
        help="retire aussitôt la publication de résultats (ils redeviennent « relus »)",
        description=(
            "Retire la publication des résultats des interventions choisies (par identifiant, par\n"
            "promotion ou toutes) : ils redeviennent « relus », visibles de la seule responsable, à\n"
            "l'instant. Les interventions dont les résultats n'étaient pas publiés restent telles quelles."
        ),
    )
    _add_talk_selection(unpublish)

    review = commands.add_parser(
        "review",
        parents=[database],
        help="l'état de la relecture des réponses libres (--status)",
        description=(
            "--status affiche les réponses libres qui attendent la relecture de la responsable, par\n"
            "intervention (titre, date, promotion, à relire sur le nombre de réponses) et au total.\n"
            "La relecture elle-même (public, privé, supprimé) se fait dans l'application, ou par\n"
            "l'import d'un fichier reviews.csv."
        ),
    )
    review.add_argument(
        "--status", action="store_true", help="affiche les réponses libres à relire, par intervention"
    )
    review.add_argument("--json", action="store_true", help="écrit le même état en un objet JSON")

    tagger_report = commands.add_parser(
        "tagger-report",
        parents=[database],
        help="mesure la précision et le rappel de l'étiqueteur de thèmes sur des citations étiquetées",
        description=(
            "Compare les thèmes que l'étiqueteur suggère pour chaque citation publiée avec ceux donnés\n"
            "à la main : par défaut les citations de démonstration (data/demo/quotes.csv)."
        ),
    )
    source = tagger_report.add_mutually_exclusive_group()
    source.add_argument(
        "--file",
        type=Path,
        metavar="FICHIER",
        help="un fichier de citations au format modèle (quotes.csv)",
    )
    source.add_argument(
        "--base",
        action="store_true",
        help="les citations publiées de la base (voir --db)",
    )
    tagger_report.add_argument(
        "--limit", type=int, default=3, metavar="N", help="nombre maximal de thèmes suggérés par citation (3)"
    )
    tagger_report.add_argument("--json", action="store_true", help="écrit le rapport en JSON")
    search_ = commands.add_parser(
        "search",
        parents=[database],
        help="cherche dans les citations publiées, comme le mur de citations",
        description=(
            "Cherche QUESTION dans les citations publiées, avec le classement du mur de citations : par\n"
            "pertinence puis par date. Accents, majuscules, pluriels et synonymes (« bad buzz », « troll »…)\n"
            "ne comptent pas ; des guillemets cherchent une expression exacte. Une question vide liste les\n"
            "citations les plus récentes."
        ),
    )
    search_.add_argument(
        "query", metavar="QUESTION", help='les mots cherchés, par exemple "un troll sur notre page"'
    )
    search_.add_argument(
        "--theme",
        action="append",
        choices=THEME_IDS,
        default=[],
        metavar="ID",
        help=f"ne garde que les citations de ce thème ; répétable (l'un des thèmes suffit) : {', '.join(THEME_IDS)}",
    )
    search_.add_argument(
        "--limit", type=int, default=20, metavar="N", help="nombre maximal de citations (20)"
    )
    search_.add_argument("--json", action="store_true", help="écrit un tableau JSON, une entrée par citation")
    search_.add_argument(
        "--tel-quel",
        action="store_true",
        help="cherche la question telle qu'écrite, sans corriger les fautes de frappe",
    )
    search_eval = commands.add_parser(
        "search-eval",
        help="évalue la recherche de citations sur un jeu de requêtes jugées (rappel@3 et MRR par type)",
        description=(
            "Publie les citations d'un jeu d'évaluation dans une base temporaire, puis cherche chaque requête\n"
            "jugée : par mots seuls (l'index, la requête telle qu'écrite) et avec la recherche du mur (fautes\n"
            "corrigées, classements par mots et par sens fusionnés). Affiche le rappel@3 et le MRR par type de\n"
            "requête. Par défaut, le jeu de tests/data/search_eval."
        ),
    )
    search_eval.add_argument(
        "--set",
        type=Path,
        default=EVAL_SET,
        metavar="DOSSIER",
        help="dossier du jeu (quotes.csv et queries.csv)",
    )
    set_password = commands.add_parser(
        "set-password",
        parents=[database],
        help="définit le mot de passe de l'espace responsable (lu sur l'entrée standard)",
        description=(
            "Définit le mot de passe de l'espace responsable. Il est lu sur l'entrée standard : deux fois\n"
            "au clavier, pour confirmation, ou une fois s'il arrive par un tube ; jamais en argument.\n"
            f"Il compte au moins {access.MIN_PASSWORD_LENGTH} caractères. Seule son empreinte salée (scrypt) est écrite,\n"
            "sous [director] password_hash, dans .streamlit/secrets.toml ; le reste du fichier est conservé.\n"
            "Les échecs de connexion passés ne comptent plus : un blocage éventuel est levé."
        ),
    )
    set_password.add_argument(
        "--secrets",
        type=Path,
        metavar="FICHIER",
        default=access.DEFAULT_SECRETS_PATH,
        help="fichier de secrets à mettre à jour (par défaut .streamlit/secrets.toml du projet)",
    )

    backup = commands.add_parser(
        "backup",
        parents=[database],
        help="sauvegarde la base (ou liste les sauvegardes avec --list)",
        description=(
            "Écrit une copie cohérente de la base, même pendant que l'application s'en sert : dans le\n"
            "dossier backups/ à côté de la base (gardé : les 20 dernières, plus la dernière de chaque mois\n"
            "pendant un an), ou dans FICHIER avec -o. L'application en fait autant, d'elle-même, avant\n"
            "chaque importation, correction, suppression, restauration et changement de publication."
        ),
    )
    backup.add_argument(
        "-o", "--output", type=Path, metavar="FICHIER", help="écrit la sauvegarde dans ce fichier"
    )
    backup.add_argument("--list", action="store_true", help="liste les sauvegardes du dossier backups/")
    restore = commands.add_parser(
        "restore",
        parents=[database],
        help="remplace la base par une sauvegarde (après vérification et confirmation)",
        description=(
            "Vérifie la sauvegarde (base lisible, contrôle d'intégrité, version du schéma), affiche ce\n"
            "qu'elle contient et demande confirmation ; puis sauvegarde l'état actuel et remplace la base,\n"
            "tout ou rien. Une base endommagée n'est pas écrasée : elle est mise de côté (*.damaged-…)."
        ),
    )
    restore.add_argument("file", type=Path, metavar="FICHIER", help="la sauvegarde à restaurer")
    restore.add_argument("--yes", action="store_true", help="restaure sans demander de confirmation")

    report = commands.add_parser(
        "report",
        parents=[database],
        help="écrit le bilan d'une promotion ou la fiche d'un·e intervenant·e (PDF ou HTML)",
        description=(
            "Écrit un rapport en PDF ou en HTML, avec les chiffres de l'application (mêmes calculs, même\n"
            "seuil d'anonymat) :\n"
            "  report cohort COHORT     le bilan de la promotion pour le conseil de perfectionnement\n"
            "  report speaker SPEAKER   la fiche « Retour sur votre intervention » d'un·e intervenant·e\n"
            "Le bilan compte toutes les interventions (version du responsable) ou, avec --students, les\n"
            "résultats publiés seulement. La fiche compte les résultats publiés, et ne reprend que les\n"
            "commentaires relus « public » ou « privé »."
        ),
    )
    report_kinds = report.add_subparsers(
        dest="report_kind", required=True, metavar="RAPPORT", title="rapports"
    )
    report_cohort = report_kinds.add_parser(
        "cohort", parents=[database], help="le bilan d'une promotion", description="Le bilan d'une promotion."
    )
    report_cohort.add_argument("cohort", metavar="COHORT", help="la promotion, par exemple 2015-2016")
    report_cohort.add_argument(
        "--students", action="store_true", help="version pour les étudiant·es : résultats publiés seulement"
    )
    report_cohort.add_argument(
        "--quote",
        action="append",
        default=[],
        metavar="QUOTE_ID",
        help="une citation publiée à montrer, répétable, dans cet ordre (défaut : les plus récentes)",
    )
    report_speaker = report_kinds.add_parser(
        "speaker",
        parents=[database],
        help="la fiche d'un·e intervenant·e",
        description="La fiche « Retour sur votre intervention » d'un·e intervenant·e.",
    )
    report_speaker.add_argument("speaker_id", metavar="SPEAKER_ID", help="l'identifiant, par exemple sp01")
    report_speaker.add_argument(
        "--cohort", metavar="COHORT", help="ses interventions de cette promotion seulement"
    )
    report_speaker.add_argument(
        "--talk",
        action="append",
        default=[],
        metavar="INTERVENTION_ID",
        help="une de ses interventions, répétable (défaut : toutes)",
    )
    for sub in (report_cohort, report_speaker):
        sub.add_argument(
            "--format",
            choices=("pdf", "html"),
            default=None,
            help="pdf ou html (défaut : selon -o, sinon pdf)",
        )
        sub.add_argument(
            "-o", "--output", type=Path, metavar="FICHIER", required=True, help="le fichier à écrire"
        )

    card = commands.add_parser(
        "card",
        parents=[database],
        help="écrit la carte d'une citation publiée en image PNG, à partager",
        description=(
            "Écrit la carte d'une citation publiée en PNG : carrée (1080×1080, Instagram) ou paysage\n"
            "(1200×627, LinkedIn), avec l'intervenant·e, l'intervention, la couleur du thème et le nom de\n"
            "la formation. Le texte alternatif de l'image est affiché, prêt à coller avec la publication."
        ),
    )
    card.add_argument("quote_id", metavar="QUOTE_ID", help="l'identifiant de la citation, par exemple q0025")
    card.add_argument(
        "--format",
        choices=("square", "landscape"),
        default="square",
        help="square ou landscape (défaut : square)",
    )
    card.add_argument(
        "-o", "--output", type=Path, metavar="FICHIER", required=True, help="le fichier PNG à écrire"
    )

    share = commands.add_parser(
        "share-link",
        parents=[database],
        help="crée le lien privé d'un·e intervenant·e vers sa fiche et l'affiche",
        description=(
            "Crée un lien privé vers la fiche de l'intervenant·e, valable N jours (60 par défaut), et\n"
            "l'affiche : seule son empreinte est conservée, il ne pourra plus être réaffiché. Le lien\n"
            "précédent de cet·te intervenant·e est révoqué."
        ),
    )
    share.add_argument("speaker_id", metavar="SPEAKER_ID", help="l'identifiant, par exemple sp01")
    share.add_argument(
        "--days",
        type=_positive,
        default=store.DEFAULT_LINK_DAYS,
        metavar="N",
        help="validité en jours (défaut : 60)",
    )
    share.add_argument(
        "--base-url",
        default=DEFAULT_BASE_URL,
        metavar="URL",
        help=f"adresse de l'application (défaut : {DEFAULT_BASE_URL})",
    )
    revoke = commands.add_parser(
        "revoke-link",
        parents=[database],
        help="révoque le lien privé d'un·e intervenant·e",
        description="Révoque aussitôt le lien privé de l'intervenant·e : il affiche alors un court message.",
    )
    revoke.add_argument("speaker_id", metavar="SPEAKER_ID", help="l'identifiant, par exemple sp01")

    bench = commands.add_parser(
        "bench",
        help="mesure les performances de chaque page sur des données générées",
        description=(
            "Génère des réponses et des citations, les charge dans une base temporaire et mesure ce que\n"
            "l'utilisateur attend : chaque page entière (premier lancement après le démarrage du serveur,\n"
            "puis changements de filtre), le calcul de chaque page, les figures de la page Enquêtes contre un\n"
            "calcul naïf (tout relire et tout recalculer en pandas), la recherche de citations, et la mémoire.\n"
            "La base générée est temporaire ; avec --db CHEMIN (qui ne doit pas exister), elle est écrite là\n"
            "et conservée, et --reuse mesure une base déjà générée. La variable INSIGHTS_DB n'est jamais\n"
            "utilisée ici : vos données ne sont pas touchées."
        ),
    )
    bench.add_argument(
        "--db",
        type=Path,
        metavar="CHEMIN",
        default=argparse.SUPPRESS,
        help="écrit la base générée à ce chemin, qui ne doit pas exister, et la conserve (sinon : base temporaire)",
    )
    bench.add_argument(
        "--responses",
        type=_positive,
        default=1_000_000,
        metavar="N",
        help="réponses générées (défaut : 1 000 000)",
    )
    bench.add_argument(
        "--quotes", type=_positive, default=100_000, metavar="N", help="citations générées (défaut : 100 000)"
    )
    bench.add_argument("--seed", type=int, default=2016, help="graine du générateur (défaut : 2016)")
    bench.add_argument(
        "--naive-runs",
        type=_positive,
        default=1,
        metavar="N",
        help="changements de filtre mesurés sur le chemin naïf, qui prend plusieurs minutes à 1 000 000 de réponses (défaut : 1)",
    )
    bench.add_argument(
        "--reuse", action="store_true", help="avec --db : mesure la base déjà générée à ce chemin"
    )
    bench.add_argument(
        "--pages",
        default=",".join(PAGE_FILES),
        metavar="LISTE",
        help="pages mesurées entières, séparées par des virgules, ou « aucune » (défaut : toutes)",
    )
    bench.add_argument(
        "--starts",
        type=_positive,
        default=3,
        metavar="N",
        help="premiers lancements mesurés par page (défaut : 3)",
    )
    bench.add_argument(
        "--load-sessions",
        type=_non_negative,
        default=20,
        metavar="N",
        help="sessions d'étudiant simultanées dans le navigateur, sur les données de démonstration (défaut : 20 ; 0 : aucune)",
    )
    bench.add_argument("--json", action="store_true", help="écrit le résultat en un objet JSON")
    return parser


def _add_talk_selection(parser: argparse.ArgumentParser) -> None:
    """The talks a publication command acts on: ids, or --cohort, or --all."""
    parser.add_argument(
        "talks",
        nargs="*",
        metavar="INTERVENTION_ID",
        help="les interventions, par identifiant (2015-2016-S1-01)",
    )
    parser.add_argument(
        "--cohort",
        action="append",
        default=[],
        metavar="PROMOTION",
        help="toutes les interventions de cette promotion (2015-2016) ; répétable",
    )
    parser.add_argument("--all", action="store_true", help="toutes les interventions de la base")


def _integer_from(minimum: int, expected: str) -> Callable[[str], int]:
    """An argparse type: an integer of at least `minimum`, refused in French otherwise."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"entier attendu, pas « {text} »") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{expected} attendu, pas {value}")
        return value

    return parse


_positive = _integer_from(1, "entier strictement positif")
_non_negative = _integer_from(0, "entier positif ou nul")


# --- handlers -----------------------------------------------------------------------------------


def _database_path(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "db", None) or store.default_db_path())


CLI_WRITE_WAIT = 600.0
"""A terminal waits longer than a page for another write to end: its import then runs in turn."""


def _connect(args: argparse.Namespace) -> sqlite3.Connection:
    return store.connect(_database_path(args), write_wait=CLI_WRITE_WAIT)


def _print_reports(reports: dict[str, store.WriteReport]) -> None:
    for kind, report in reports.items():
        print(f"{templates.TEMPLATES[kind].filename} : {loading.describe_report(report)}")


def _delete_database(path: Path) -> None:
    """Remove a SQLite database file and its WAL companions; refuse to remove anything else."""
    if path.is_file() and path.stat().st_size > 0:
        with path.open("rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise CommandError(f"{path} n'est pas une base SQLite : suppression refusée.")
    for companion in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        companion.unlink(missing_ok=True)


def cmd_init(args: argparse.Namespace) -> int:
    path = _database_path(args)
    if args.reset:
        _delete_database(path)
    conn = store.connect(path)
    try:
        if args.demo:
            if not store.is_empty(conn):
                raise CommandError(
                    f"La base {path} contient déjà des données : rien n'a été chargé. "
                    "Relancez avec --reset pour la supprimer et repartir des données de démonstration."
                )
            _print_reports(loading.load_demo(conn, loading.DEMO_DIR))
        print(f"Base prête : {path} (schéma version {store.schema_version(conn)}).")
    finally:
        conn.close()
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():
        raise CommandError(f"fichier introuvable : {path}", EXIT_USAGE)
    if args.intervention is not None and args.kind != "responses":
        raise CommandError("--intervention ne s'applique qu'aux réponses (TYPE responses).", EXIT_USAGE)
    conn = _connect(args)
    try:
        analysis = imports.analyse(conn, args.kind, path.name, imports.read_path(path), args.format)
        if analysis.is_survey_export:
            print(analysis.describe())
            if analysis.saved:
                print("Correspondance des colonnes : celle enregistrée pour ce formulaire.")
        report = imports.run_import(conn, analysis, intervention_id=args.intervention, dry_run=args.dry_run)
    finally:
        conn.close()
    print(f"{path.name} : {report.describe()}")
    if args.dry_run:
        print("Simulation (--dry-run) : rien n'a été enregistré.")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    conn = _connect(args)
    try:
        paths = exports.export_tables(conn, args.directory)
    finally:
        conn.close()
    for path in paths:
        print(f"{path} écrit.")
    return EXIT_OK


def _selected_talks(conn: sqlite3.Connection, args: argparse.Namespace) -> list[str]:
    """The talks named by ids, --cohort or --all, in date order; CommandError for a wrong choice
    or an unknown talk or cohort."""
    ways = sum((bool(args.talks), bool(args.cohort), bool(args.all)))
    if ways != 1:
        raise CommandError(
            "Choisissez les interventions d'une seule façon : leurs identifiants, --cohort PROMOTION "
            "ou --all.",
            EXIT_USAGE,
        )
    talks = store.load_interventions(conn)
    if args.talks:
        known = set(talks["intervention_id"])
        unknown = [talk for talk in dict.fromkeys(args.talks) if talk not in known]
        if unknown:
            raise CommandError(f"Intervention(s) inconnue(s) : {', '.join(unknown)}. Rien n'a changé.")
        wanted = set(args.talks)
        return [talk for talk in talks["intervention_id"] if talk in wanted]
    if args.cohort:
        cohorts = set(store.load_cohorts(conn)["cohort"])
        unknown = [cohort for cohort in dict.fromkeys(args.cohort) if cohort not in cohorts]
        if unknown:
            listed = ", ".join(sorted(cohorts)) or "aucune"
            raise CommandError(
                f"Promotion(s) inconnue(s) : {', '.join(unknown)} (promotions de la base : {listed}). "
                "Rien n'a changé."
            )
        chosen = talks[talks["cohort"].isin(args.cohort)]
        empty = [cohort for cohort in dict.fromkeys(args.cohort) if cohort not in set(chosen["cohort"])]
        if empty:
            raise CommandError(f"Aucune intervention dans la promotion {', '.join(empty)}. Rien n'a changé.")
        return chosen["intervention_id"].tolist()
    if talks.empty:
        raise CommandError("La base n'a aucune intervention. Rien n'a changé.")
    return talks["intervention_id"].tolist()


def _talk_lines(conn: sqlite3.Connection, heading: str, talk_ids: list[str]) -> list[str]:
    """A heading naming how many talks, then one line per talk: id, date, title."""
    if not talk_ids:
        return []
    talks = store.load_interventions(conn).set_index("intervention_id")
    lines = [f"{heading} {plural(len(talk_ids), 'intervention')} :"]
    for talk in talk_ids:
        lines.append(f"  {talk} · {format_date(talks.at[talk, 'date'])} · {talks.at[talk, 'title']}")
    return lines


def cmd_publish(args: argparse.Namespace) -> int:
    conn = _connect(args)
    try:
        talks = _selected_talks(conn, args)
        answered = set(store.load_talk_responses(conn)["intervention_id"])
        silent = [talk for talk in talks if talk not in answered]
        if silent:
            raise CommandError(
                "Sans aucune réponse au questionnaire, il n'y a rien à publier pour : "
                f"{', '.join(silent)}. Rien n'a été publié."
            )
        try:
            changed = set(store.set_result_state(conn, talks, PUBLISHED_RESULTS, "cli"))
        except store.PublicationError as error:
            raise CommandError(f"{error} Rien n'a été publié.") from error
        lines = _talk_lines(conn, "Résultats publiés pour", [t for t in talks if t in changed])
        lines += _talk_lines(conn, "Déjà publiés pour", [t for t in talks if t not in changed])
    finally:
        conn.close()
    print("\n".join(lines))
    return EXIT_OK


def cmd_unpublish(args: argparse.Namespace) -> int:
    conn = _connect(args)
    try:
        talks = _selected_talks(conn, args)
        states = store.load_publication(conn).set_index("intervention_id")["state"]
        published = [talk for talk in talks if states.get(talk) == PUBLISHED_RESULTS]
        try:
            store.set_result_state(conn, published, REVIEWED, "cli")
        except store.PublicationError as error:
            raise CommandError(f"{error} Rien n'a changé.") from error
        lines = _talk_lines(
            conn, f"Publication retirée (résultats « {RESULT_STATE_LABELS[REVIEWED]} ») pour", published
        )
        lines += _talk_lines(
            conn, "Résultats non publiés, laissés tels quels pour", [t for t in talks if t not in published]
        )
    finally:
        conn.close()
    print("\n".join(lines))
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    if not args.status:
        raise CommandError(
            "review : ajoutez --status pour l'état de la relecture (la relecture elle-même se fait dans "
            "l'application, ou par l'import de reviews.csv).",
            EXIT_USAGE,
        )
    conn = _connect(args)
    try:
        counts = store.review_counts(conn)
        talks = store.load_interventions(conn).set_index("intervention_id")
        states = store.load_publication(conn).set_index("intervention_id")["state"]
    finally:
        conn.close()
    waiting = counts[counts["pending"] > 0].copy()
    waiting["date"] = waiting["intervention_id"].map(talks["date"])
    waiting = waiting.sort_values(["date", "intervention_id"])
    status = {
        "pending": int(counts["pending"].sum()),
        "answers": int(counts["answers"].sum()),
        "talks": [
            {
                "intervention_id": row.intervention_id,
                "title": talks.at[row.intervention_id, "title"],
                "date": row.date,
                "cohort": talks.at[row.intervention_id, "cohort"],
                "results": states.get(row.intervention_id),
                "pending": int(row.pending),
                "answers": int(row.answers),
            }
            for row in waiting.itertuples(index=False)
        ],
    }
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not status["pending"]:
        print(
            f"Aucune réponse libre à relire ({plural(status['answers'], 'réponse libre', 'réponses libres')} en tout)."
        )
        return EXIT_OK
    for talk in status["talks"]:
        print(
            f"{talk['title']} — {format_date(talk['date'])}, promotion {talk['cohort']} "
            f"[{talk['intervention_id']}] : {talk['pending']} à relire sur {talk['answers']}"
        )
    print(
        f"Total : {plural(status['pending'], 'réponse libre', 'réponses libres')} à relire sur "
        f"{format_number(status['answers'], 0)}, dans {plural(len(status['talks']), 'intervention')}."
    )
    return EXIT_OK


def cmd_tagger_report(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise CommandError("--limit doit valoir au moins 1.", EXIT_USAGE)
    if args.base:
        conn = _connect(args)
        try:
            quotes = store.load_quotes(conn, status=PUBLISHED)
        finally:
            conn.close()
        texts, themes = quotes["text"].tolist(), quotes["themes"].tolist()
        origin = f"la base {_database_path(args)}"
    else:
        path = args.file or tagger.DEMO_QUOTES_PATH
        if not path.is_file():
            raise CommandError(f"fichier introuvable : {path}", EXIT_USAGE)
        try:
            texts, themes = tagger.published_quotes(path)
        except tagger.LexiconError as error:
            raise CommandError(str(error)) from error
        origin = str(path.name)
    report = tagger.evaluate(texts, themes, limit=args.limit)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        title = f"Étiqueteur de thèmes : {len(texts)} citations publiées de {origin}, {args.limit} thème(s) suggéré(s) au plus"
        print(tagger.format_report(report, title))
    return EXIT_OK


def _hit_lines(rank: int, hit: search.QuoteHit) -> list[str]:
    who = ", ".join(part for part in (hit.speaker, hit.title, hit.organisation) if part)
    talk = (
        f"{hit.intervention_title} ({format_date(hit.date)})"
        if hit.intervention_title
        else "intervention non précisée"
    )
    themes = ", ".join(THEME_LABELS.get(theme, theme) for theme in hit.themes) or "aucun thème"
    return [
        f"{rank}. « {hit.text} »",
        f"   {who} — {talk}",
        f"   [{hit.quote_id}] thèmes : {themes} · score {format_number(hit.score, 3)}",
    ]


def cmd_search(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise CommandError("--limit doit valoir au moins 1.", EXIT_USAGE)
    conn = _connect(args)
    try:
        correction = None if args.tel_quel else search.spelling_correction(conn, args.query)
        query = correction.corrected if correction else args.query
        wanted = Filters(themes=tuple(args.theme or ()), query=query)
        hits = search.search_quotes(conn, wanted, limit=args.limit)
        total = search.count_quotes(conn, wanted)
    finally:
        conn.close()
    if correction is not None and not args.json:
        print(
            f"Résultats pour « {correction.corrected} » (--tel-quel pour chercher « {correction.original} »)."
        )
    if args.json:
        print(json.dumps(search.hits_to_json(hits), ensure_ascii=False, indent=2))
        return EXIT_OK
    if not hits:
        print("Aucune citation publiée ne correspond.")
        return EXIT_OK
    shown = f" (les {len(hits)} premières)" if total > len(hits) else ""
    print(f"{plural(total, 'citation')}{shown} :")
    for rank, hit in enumerate(hits, start=1):
        print()
        print("\n".join(_hit_lines(rank, hit)))
    return EXIT_OK


def _read_new_password() -> str:
    """The new password: typed twice at a terminal (not echoed), or the first line of a pipe."""
    if sys.stdin.isatty():
        password = getpass.getpass("Nouveau mot de passe de l'espace responsable : ")
        access.check_new_password(password)
        if getpass.getpass("Saisissez-le une seconde fois : ") != password:
            raise CommandError("Les deux saisies diffèrent : rien n'a été changé.")
        return password
    return sys.stdin.readline().removesuffix("\n").removesuffix("\r")


def cmd_set_password(args: argparse.Namespace) -> int:
    try:
        password = _read_new_password()
        access.check_new_password(password)
        path = access.set_secret(
            args.secrets, access.SECTION, "password_hash", access.hash_password(password)
        )
    except access.AccessError as error:
        raise CommandError(str(error)) from error
    print(f"Empreinte du mot de passe enregistrée dans {path} (section [director], clé password_hash).")
    database = _database_path(args)
    if database.exists():
        conn = store.connect(database)
        try:
            access.record_password_reset(conn, time.time())
        finally:
            conn.close()
        print(f"Les échecs de connexion passés ne comptent plus ({database}).")
    return EXIT_OK


def _backup_line(backup: store.Backup) -> str:
    return (
        f"{backup.taken_at:%d/%m/%Y %H:%M:%S}  {backup.reason_label:<38} "
        f"{format_number(backup.size / 1e6, 1)} Mo  {backup.path}"
    )


def cmd_backup(args: argparse.Namespace) -> int:
    path = _database_path(args)
    if args.list:
        backups = store.list_backups(path)
        if not backups:
            print(f"Aucune sauvegarde dans {store.backup_dir(path)}.")
        for backup in backups:
            print(_backup_line(backup))
        return EXIT_OK
    if not path.is_file():
        raise CommandError(f"Aucune base à sauvegarder : {path} n'existe pas.")
    conn = _connect(args)
    try:
        if args.output is not None:
            written = store.write_backup(conn, args.output)
            print(f"Sauvegarde écrite : {written}.")
            return EXIT_OK
        taken = store.take_backup(conn, "manual")
    finally:
        conn.close()
    if taken is None:
        latest = store.list_backups(path)[0]
        print(f"Rien n'a changé depuis la dernière sauvegarde : {latest.path}.")
    else:
        print(f"Sauvegarde écrite : {taken.path}.")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    report = store.inspect_backup(args.file)
    target = _database_path(args)
    print(f"Sauvegarde {report.path} : contrôle d'intégrité réussi, schéma {report.schema_version}.")
    for table, count in report.counts.items():
        print(f"  {TABLE_LABELS.get(table, table)} : {format_number(count, 0)}")
    if not args.yes:
        if not sys.stdin.isatty():
            raise CommandError("Confirmation impossible sans terminal : relancez avec --yes pour restaurer.")
        answer = input(f"Remplacer la base {target} par cette sauvegarde ? Tapez « oui » pour confirmer : ")
        if answer.strip().lower() not in ("oui", "o", "yes", "y"):
            print("Restauration annulée : rien n'a changé.")
            return EXIT_OK
    taken = store.restore_backup(target, args.file)
    print(f"Base {target} restaurée depuis {report.path.name}.")
    if taken is not None:
        print(f"L'état d'avant est sauvegardé : {taken.path}.")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from insights import reports
    from insights.analytics.model import load_model

    output: Path = args.output
    fmt = args.format or ("html" if output.suffix.lower() in (".html", ".htm") else "pdf")
    conn = _connect(args)
    try:
        model = load_model(conn)
        if args.report_kind == "cohort":
            document = reports.cohort_report(
                conn, model, args.cohort, director=not args.students, quote_ids=args.quote
            )
        else:
            document = reports.speaker_sheet(
                conn, model, args.speaker_id, cohort=args.cohort, talk_ids=args.talk
            )
    except reports.ReportError as error:
        raise CommandError(str(error)) from error
    finally:
        conn.close()
    content = reports.render(document, fmt)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(content)
    except OSError as error:
        raise CommandError(f"Impossible d'écrire {output} : {error.strerror or error}.") from error
    print(f"{document.title} ({fmt.upper()}, {format_number(len(content) / 1024, 0)} Ko) : {output}")
    return EXIT_OK


def cmd_card(args: argparse.Namespace) -> int:
    from insights.reports import card

    conn = _connect(args)
    try:
        hit = search.get_quote(conn, args.quote_id)
    finally:
        conn.close()
    if hit is None:
        raise CommandError(f"La citation {args.quote_id} n'existe pas ou n'est pas publiée.")
    content = card.render_card(hit, args.format)
    output: Path = args.output
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(content)
    except OSError as error:
        raise CommandError(f"Impossible d'écrire {output} : {error.strerror or error}.") from error
    width, height = card.FORMATS[args.format]
    print(f"Carte {width}×{height} : {output}", file=sys.stderr)
    print(card.alt_text(hit))
    return EXIT_OK


def share_url(base_url: str, token: str) -> str:
    """The address a speaker opens: the app's, with the token as the `fiche` query parameter."""
    return f"{base_url.rstrip('/')}/?fiche={token}"


def cmd_share_link(args: argparse.Namespace) -> int:
    if args.days > store.MAX_LINK_DAYS:
        raise CommandError(f"--days va de 1 à {store.MAX_LINK_DAYS}.", EXIT_USAGE)
    conn = _connect(args)
    try:
        try:
            token = store.create_share_link(conn, args.speaker_id, args.days)
        except ValueError as error:
            raise CommandError(str(error)) from error
        link = store.active_share_link(conn, args.speaker_id)
    finally:
        conn.close()
    print(share_url(args.base_url, token))
    if link is not None:
        print(
            f"Valable jusqu'au {format_date(link.expires_at)} ; le lien précédent éventuel est révoqué.",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_revoke_link(args: argparse.Namespace) -> int:
    conn = _connect(args)
    try:
        known = conn.execute("SELECT 1 FROM speakers WHERE speaker_id = ?", (args.speaker_id,)).fetchone()
        if known is None:
            raise CommandError(f"Intervenant·e inconnu·e : {args.speaker_id}.")
        revoked = store.revoke_share_links(conn, args.speaker_id)
    finally:
        conn.close()
    print(f"Lien révoqué pour {args.speaker_id}." if revoked else f"Aucun lien actif pour {args.speaker_id}.")
    return EXIT_OK


def cmd_search_eval(args: argparse.Namespace) -> int:
    directory: Path = args.set
    if not (directory / "quotes.csv").is_file() or not (directory / "queries.csv").is_file():
        raise CommandError(f"{directory} ne contient pas quotes.csv et queries.csv.", EXIT_USAGE)
    print("\n".join(evaluation.report_lines(evaluation.evaluate(directory))))
    return EXIT_OK


def cmd_bench(args: argparse.Namespace) -> int:
    from insights.bench import run as bench

    keep: Path | None = getattr(args, "db", None)
    if args.reuse and (keep is None or not keep.exists()):
        raise CommandError("--reuse mesure une base déjà générée : donnez son chemin avec --db.", EXIT_USAGE)
    if keep is not None and keep.exists() and not args.reuse:
        raise CommandError(
            f"{keep} existe déjà : le banc d'essai n'écrit ses données générées que dans une base neuve "
            "(--reuse pour la mesurer telle quelle).",
            EXIT_USAGE,
        )
    chosen = [] if args.pages.strip() == "aucune" else [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = [p for p in chosen if p not in PAGE_FILES]
    if unknown:
        raise CommandError(
            f"Page(s) inconnue(s) : {', '.join(unknown)} ; attendu : {', '.join(PAGE_FILES)}.", EXIT_USAGE
        )
    result = bench.run_benchmark(
        args.responses,
        args.quotes,
        seed=args.seed,
        naive_runs=args.naive_runs,
        page_files=chosen,
        starts=args.starts,
        load_sessions=args.load_sessions,
        keep=keep,
        reuse=args.reuse,
        progress=lambda message: print(message, file=sys.stderr, flush=True),
    )
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(bench.format_report(result))
    return EXIT_OK


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init,
    "import": cmd_import,
    "export": cmd_export,
    "publish": cmd_publish,
    "unpublish": cmd_unpublish,
    "review": cmd_review,
    "tagger-report": cmd_tagger_report,
    "search": cmd_search,
    "search-eval": cmd_search_eval,
    "set-password": cmd_set_password,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "bench": cmd_bench,
    "report": cmd_report,
    "share-link": cmd_share_link,
    "revoke-link": cmd_revoke_link,
    "card": cmd_card,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (usage errors and --help exit through argparse)."""
    args = build_parser().parse_args(argv)
    previous = store.set_audit_source("cli")
    try:
        return HANDLERS[args.command](args)
    except ImportValidationError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problème(s) : rien n'a été importé.", file=sys.stderr)
        return EXIT_INVALID_DATA
    except ImportFileError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return EXIT_INVALID_DATA
    except CommandError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return error.exit_code
    except store.StoreError as error:
        print(f"Erreur de la base : {error}", file=sys.stderr)
        return EXIT_INVALID_DATA
    except sqlite3.Error as error:
        translated = store.translate(error)
        print(f"Erreur de la base : {translated or error}", file=sys.stderr)
        return EXIT_INVALID_DATA
    finally:
        store.set_audit_source(previous)
