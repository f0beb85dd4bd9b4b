"""Déclaration d'accessibilité (everyone): the conformance status under RGAA 4.1, what is not
accessible yet, how it was checked, the contact and the remedies, following the French state's
model statement. The footer of every page links here."""

from __future__ import annotations

import streamlit as st

from insights.formatting import escape_markdown
from pages import common

STATEMENT_DATE = "3 décembre 2026"

st.title("Déclaration d'accessibilité", anchor=False)
st.markdown(
    "L'établissement qui publie Paroles de pros s'engage à rendre ses services numériques accessibles, "
    "conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration "
    "d'accessibilité s'applique à l'application Paroles de pros."
)

st.header("État de conformité", anchor=False)
st.markdown(
    f"Paroles de pros est **{common.CONFORMANCE_STATUS}** avec le référentiel général d'amélioration de "
    "l'accessibilité (RGAA), version 4.1, en raison des non-conformités énumérées ci-dessous."
)

st.header("Résultats des tests", anchor=False)
st.markdown(
    "Aucun audit complet par un organisme extérieur n'a encore été réalisé. À chaque version, l'application "
    "est vérifiée ainsi :\n"
    "- l'outil axe-core 4 (règles WCAG 2.1 A et AA) est lancé sur chaque page, pour un·e étudiant·e et "
    "pour la personne responsable connectée : aucune erreur grave ou critique n'est tolérée ;\n"
    "- la langue de chaque page est déclarée en français, et les textes que Streamlit écrit en anglais "
    "(lien d'évitement, dépôt de fichier, noms des boutons d'aide et des menus) y sont traduits ;\n"
    "- chaque graphique est suivi d'une phrase qui le résume et de ses données sous forme de tableau ;\n"
    "- le parcours principal d'un·e étudiant·e (chercher une situation, choisir un thème, ouvrir le lien "
    "d'une citation) est parcouru au clavier seul ;\n"
    "- les pages s'affichent sur un écran de 320 pixels de large sans défilement horizontal, "
    "sauf dans les tableaux ;\n"
    "- sur un écran de 1 024 pixels, panneau latéral ouvert, aucun chiffre clé ni aucun bouton n'est "
    "coupé par des points de suspension ; les fiches du mur de citations et de l'annuaire gardent une "
    "largeur lisible, d'une tablette tenue droite à un grand écran ; deux graphiques voisins passent l'un "
    "sous l'autre quand la page est étroite, sur chaque page, et les citations se lisent sur une ou deux "
    "colonnes selon la largeur ; quand la colonne de la page est étroite (téléphone, ou fenêtre de 900 "
    "pixels panneau latéral ouvert), les classements écrivent chaque nom et ses chiffres au-dessus de sa "
    "barre."
)

st.header("Contenus non accessibles", anchor=False)
st.subheader("Non-conformités", anchor=False)
st.markdown(
    "- Sur la page Enquêtes, choisir des interventions en cliquant sur les barres d'un graphique se fait à "
    "la souris ; la même sélection se fait au clavier avec la liste « Interventions » des commentaires.\n"
    "- Les graphiques eux-mêmes ne sont pas lus par les lecteurs d'écran : leur résumé et leur tableau de "
    "données, placés juste en dessous, en donnent le contenu.\n"
    "- Les pastilles de thème du mur de citations forment un groupe : la touche Tab y entre, les flèches "
    "passent d'une pastille à l'autre, Entrée ou Espace en choisit une ; ce fonctionnement n'est pas "
    "annoncé à l'écran. Le même filtre existe dans le panneau latéral (liste « Thème »)."
)
st.subheader("Dérogations pour charge disproportionnée", anchor=False)
st.markdown("Aucune.")
st.subheader("Contenus non soumis à l'obligation d'accessibilité", anchor=False)
st.markdown(
    "Les fichiers téléchargés (CSV, classeurs, rapports) reprennent les données des pages ; les rapports "
    "PDF sont produits avec des titres et une structure, sans vérification complète de leur balisage."
)

st.header("Établissement de cette déclaration", anchor=False)
st.markdown(
    f"Cette déclaration a été établie le {STATEMENT_DATE}.\n\n"
    "- Technologies utilisées : HTML, CSS, JavaScript (Streamlit), SVG.\n"
    "- Environnement de test : Chromium (Debian) piloté par Playwright, avec axe-core 4.\n"
    "- Pages vérifiées : toutes les pages de l'application, pour les deux profils d'utilisateur."
)

st.header("Retour d'information et contact", anchor=False)
contact = common.accessibility_contact()
st.markdown(
    "Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter le responsable de "
    "la formation pour être orienté·e vers une alternative accessible ou obtenir le contenu sous une autre "
    "forme"
    + (
        f" : {escape_markdown(contact)}."
        if contact
        else ", par le secrétariat de la licence professionnelle."
    )
)

st.header("Voies de recours", anchor=False)
st.markdown(
    "Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu ou à une "
    "fonctionnalité, que vous nous le signalez et que vous ne parvenez pas à obtenir une réponse de notre "
    "part, vous pouvez :\n"
    "- écrire un message au Défenseur des droits (formulaire en ligne sur defenseurdesdroits.fr) ;\n"
    "- contacter le délégué du Défenseur des droits dans votre région ;\n"
    "- envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, "
    "Libre réponse 71120, 75342 Paris CEDEX 07."
)
