"""Streamlit's own English words, and the script that shows them in French in the browser.

Streamlit writes some words itself, in English, whatever the app speaks: the skip link, the file
uploader's button and limit, the names screen readers give its help buttons, menus and toolbars.
No option translates them. The served page (`server.py`) runs `FRENCH_WORDS_SCRIPT`, which
rewrites them in place as Streamlit draws them:

- an attribute read by screen readers or shown as a tooltip (`aria-label`, `placeholder`,
  `title`, plotly's `data-title`) whose whole value is one of `WORDS`, or starts with one of
  `ATTRIBUTE_PREFIXES`;
- a text only inside the elements of Streamlit's that write it, so that text from data is never
  touched, whatever it says: a whole text of `WORDS` in Streamlit's tooltips and main menu
  (`WORD_PLACES`), and the texts of `TEXTS` (where, what, French);
- the icons the app writes in Markdown beside their text (`:material/info: Données de…`), which
  Streamlit names by their English identifier ("info icon"): they are hidden from screen
  readers (`DECORATIVE_ICONS`), as Streamlit does for the icons of its buttons.

Only a text node's characters or an attribute's value change, never the elements, so the page's
scripts keep their own elements. A word a later Streamlit spells differently stays in English.

The served page also carries `TYPING_HINT_STYLE`, which moves the hint a text box shows while it is
typed in ("Entrée pour valider") from over the typed text to just under the box.
"""

from __future__ import annotations

import json

WORDS: dict[str, str] = {
    "Sidebar": "Panneau latéral",
    "Collapse sidebar": "Replier le panneau latéral",
    "Expand sidebar": "Déplier le panneau latéral",
    "Main menu": "Menu principal",
    "App pages": "Pages de l'application",
    "Add row": "Ajouter une ligne",
    "Open": "Ouvrir",
    "Close": "Fermer",
    "Clear all": "Tout effacer",
    "Choose an option": "Choisissez une option",
    "Choose options": "Choisissez des options",
    "file upload": "dépôt de fichier",
    "Link to heading": "Lien vers ce titre",
    "Copy to clipboard": "Copier dans le presse-papiers",
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Download as CSV": "Télécharger en CSV",
    "Search": "Rechercher",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Download plot as a PNG": "Télécharger le graphique (PNG)",
    "Box Select": "Sélection rectangulaire",
    "Lasso Select": "Sélection au lasso",
    "Pan": "Déplacer",
    "Zoom in": "Zoom avant",
    "Zoom out": "Zoom arrière",
    "Autoscale": "Échelle automatique",
    "Reset axes": "Réinitialiser les axes",
    "Print": "Imprimer",
    "Record screen": "Enregistrer l'écran",
    "Stop recording": "Arrêter l'enregistrement",
    "Rerun": "Relancer",
    "Settings": "Paramètres",
    "About": "À propos",
    "Copy version to clipboard": "Copier le numéro de version",
    "Copied": "Copié",
    "Show password": "Afficher le mot de passe",
    "Hide password": "Masquer le mot de passe",
    "Running...": "Exécution en cours…",
    "Connecting to Streamlit server": "Connexion au serveur…",
    "Unable to connect to Streamlit server": "Impossible de joindre le serveur",
    "Stop": "Arrêter",
}
"""Whole attribute values, and whole texts in `WORD_PLACES`, English → French."""

DECORATIVE_ICONS = '[role="img"][translate="no"][aria-label$=" icon"]'
"""A Markdown icon as Streamlit draws it: every one the app writes stands beside its own text."""

WORD_PLACES = '[data-testid="stTooltipContent"], [data-testid="stMainMenuItemLabel"]'
"""Where Streamlit writes the texts of `WORDS`: its tooltips (a toolbar button's name) and main menu."""

ATTRIBUTE_PREFIXES: dict[str, str] = {"Help for ": "Aide : "}
"""Attribute values' beginnings, English → French; the rest (the app's own label) is kept."""

TEXTS: tuple[tuple[str, str, str], ...] = (
    ('[data-testid="stSkipToContent"]', r"^Skip to main content$", "Aller au contenu principal"),
    ('[data-testid="stFileUploaderDropzone"] button', r"^Upload$", "Parcourir"),
    ('[data-testid="stFileUploaderDropzone"] button', r"^Browse files$", "Parcourir"),
    (
        '[data-testid="stFileUploaderDropzoneInstructions"]',
        r"^Drag and drop files? here$",
        "Glissez le fichier ici",
    ),
    (
        '[data-testid="stFileUploaderDropzoneInstructions"]',
        r"^(?:Limit )?(\d+)MB per file",
        "$1 Mo par fichier",
    ),
    # The hint a text box shows while it is being typed in ("Press Ctrl+Enter to apply" for a
    # text area, "⌘+Enter" on a Mac; "to submit form" inside a form).
    ('[data-testid="InputInstructions"]', r"^Press (.*)Enter to apply$", "$1Entrée pour valider"),
    ('[data-testid="InputInstructions"]', r"^Press (.*)Enter to submit form$", "$1Entrée pour envoyer"),
    ('[data-key="__select_all__"]', r"^Select all$", "Tout sélectionner"),
    ('[data-testid="stMainMenuPopover"]', r"^Made with Streamlit v$", "Réalisé avec Streamlit v"),
    ('[role="listbox"], [data-baseweb="popover"]', r"^No results$", "Aucun résultat"),
    # When the server stops answering (a restart, a lost network): the header's status and a dialog.
    ('[data-testid="stConnectionStatus"]', r"^Connecting$", "Connexion…"),
    ('[data-testid="stConnectionStatus"]', r"^Error$", "Erreur"),
    ('[data-testid="stDialog"]', r"^Connection error$", "Connexion perdue"),
    (
        '[data-testid="stDialog"]',
        r"^Streamlit server is not responding\. Are you connected to the internet\?$",
        "Le serveur ne répond pas. Vérifiez votre connexion à Internet, puis rechargez la page si elle ne "
        "revient pas d'elle-même.",
    ),
)
"""Texts: (CSS selector of the element Streamlit writes them in, JavaScript regular expression of
the text, French replacement: `$1` is the first group). The part of a text the expression does
not match is kept ("• CSV, XLSX")."""


def _script(
    words: dict[str, str],
    places: str,
    prefixes: dict[str, str],
    texts: tuple[tuple[str, str, str], ...],
    decorative: str,
) -> str:
    table = json.dumps(
        {
            "words": words,
            "places": places,
            "decorative": decorative,
            "prefixes": list(prefixes.items()),
            "texts": [list(rule) for rule in texts],
        },
        ensure_ascii=True,
    ).replace("</", "<\\/")
    return (
        "<script>(() => {"
        f"const words = {table};"
        'const names = ["aria-label", "placeholder", "title", "data-title"];'
        "const whole = new Map(Object.entries(words.words));"
        "const texts = words.texts.map(([where, what, french]) => [where, new RegExp(what), french]);"
        "const inFrench = (value) => {"
        "  if (whole.has(value)) return whole.get(value);"
        "  for (const [english, french] of words.prefixes)"
        "    if (value.startsWith(english)) return french + value.slice(english.length);"
        "  return null;"
        "};"
        "const element = (node) => {"
        '  if (node.matches(words.decorative)) node.setAttribute("aria-hidden", "true");'
        "  for (const name of names) {"
        "    const value = node.getAttribute(name);"
        "    const french = value === null ? null : inFrench(value);"
        "    if (french !== null) node.setAttribute(name, french);"
        "  }"
        "};"
        "const text = (node) => {"
        "  const parent = node.parentElement;"
        "  const value = node.data.trim();"
        "  if (!parent || !value) return;"
        "  if (whole.has(value) && parent.closest(words.places)) {"
        "    node.data = node.data.replace(value, () => whole.get(value));"
        "    return;"
        "  }"
        "  for (const [where, what, french] of texts)"
        "    if (what.test(value) && parent.closest(where)) {"
        "      const translated = value.replace(what, french);"
        "      node.data = node.data.replace(value, () => translated);"
        "      return;"
        "    }"
        "};"
        "const visit = (root) => {"
        "  if (root.nodeType === Node.TEXT_NODE) return text(root);"
        "  if (root.nodeType !== Node.ELEMENT_NODE) return;"
        "  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);"
        "  for (let node = root; node; node = walker.nextNode())"
        "    node.nodeType === Node.TEXT_NODE ? text(node) : element(node);"
        "};"
        "new MutationObserver((records) => {"
        "  for (const record of records) {"
        '    if (record.type === "childList") record.addedNodes.forEach(visit);'
        '    else if (record.type === "characterData") text(record.target);'
        "    else element(record.target);"
        "  }"
        "}).observe(document.documentElement, {"
        "  subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: names,"
        "});"
        "})();</script>"
    )


FRENCH_WORDS_SCRIPT = _script(WORDS, WORD_PLACES, ATTRIBUTE_PREFIXES, TEXTS, DECORATIVE_ICONS)

TYPING_HINT_STYLE = (
    "<style>"
    # A text input's hint stands in a box of no height along the input's bottom edge, which stops
    # short of the input's icons (an eye for a password).
    '[data-testid="stTextInput"] :has(> [data-testid="InputInstructions"]) { right: 0; }'
    # A text area's element clips what overflows it, which the hint now does.
    '[data-testid="stElementContainer"]:has(> [data-testid="stTextArea"]) { overflow: visible; }'
    ':is([data-testid="stTextInput"], [data-testid="stTextArea"]) [data-testid="InputInstructions"] '
    "{ top: calc(100% + 1px); bottom: auto; line-height: 1.2; }"
    # On a touch screen, Enter writes a new line in a text area and there is no Ctrl key: the text
    # is taken when the student leaves the box. Only the count of characters stays.
    "@media (pointer: coarse) {"
    '[data-testid="stTextArea"] [data-testid="InputInstructions"] > :first-child:not(:last-child) '
    "{ display: none; }"
    '[data-testid="stTextArea"] [data-testid="InputInstructions"] > :last-child::before { content: none; }'
    "}"
    "</style>"
)
"""Where a text box's typing hint ("Entrée pour valider • 62/200") stands: Streamlit draws it
inside the box, over the end of the typed text (a student's long question ends under it); here it
stands just under the box's right corner, within the space between two elements. On a touch
screen, a text area's hint keeps only its count of characters ("Ctrl+Entrée" is no key there)."""
