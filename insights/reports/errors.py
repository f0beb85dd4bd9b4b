"""The reports' errors: French messages for the person who asked for the report."""

from __future__ import annotations


class ReportError(Exception):
    """A report cannot be made as asked (unknown cohort or speaker)."""
