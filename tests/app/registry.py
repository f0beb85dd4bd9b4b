"""The entry point's page registry (`PAGES` in app.py), read without running the app."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def page_registry() -> list[tuple[str, str, str, bool]]:
    """The `(file, title, icon, director_only)` entries of app.py's `PAGES`, in order."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        if isinstance(target, ast.Name) and target.id == "PAGES" and node.value is not None:
            return [tuple(entry) for entry in ast.literal_eval(node.value)]
    raise AssertionError("app.py defines no PAGES registry")


def director_only_pages() -> list[str]:
    """The files of the registry's director-only pages."""
    return [file for file, _, _, director_only in page_registry() if director_only]
