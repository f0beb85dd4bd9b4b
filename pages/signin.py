"""Espace responsable: the director's sign-in. Students reach it from the menu, and in place of
every director-only page whose address they open."""

from __future__ import annotations

import streamlit as st

from pages import common

common.require_director()

# A signed-in director is sent on by the entry point; only a run that skipped it gets here.
st.success("Vous êtes connecté·e à l'espace responsable.", icon=":material/verified_user:")
st.page_link("pages/security.py", label="Accès et sécurité", icon=":material/shield_lock:")
