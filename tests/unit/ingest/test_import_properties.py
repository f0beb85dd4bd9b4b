"""Property: whatever is wrong with an imported file, the import either succeeds or raises a clear
error (ImportValidationError with located problems, or ImportFileError), and a refused import leaves
the database byte for byte as it was."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from insights import store
from insights.ingest import imports
from insights.ingest.loading import import_template, template_path
from insights.ingest.mapping import IGNORE, NEW, ColumnTarget, Mapping
from insights.ingest.validation import ImportFileError, ImportValidationError
from tests.survey_exports import (
    GOOGLE_FR,
    GOOGLE_FR_TALK,
    GOOGLE_FR_UNKNOWN,
    LIMESURVEY_FR,
    LIMESURVEY_FR_TALK,
    MS_FORMS_HEADER,
    MS_FORMS_NAME,
    MS_FORMS_ROWS,
    microsoft_forms_xlsx,
)

TRICKY_CELLS = [
    "", " ", ";", ",", '"', "\n", "\r", "\x00", "\x85", "0", "-1", "6", "7", "11", "4.5", "١٢", "99999999999999999999",
    "Tout à fait d'accord", "Strongly agree / Pas d'accord", "Je ne sais pas", "gestion de crise", "le buffet",
    "31/02/2016 10:00:00", "03/04/2016 10:00:00", "2016/02/25 13:61:00 PM GMT+1", "45224.5", "12345",
    "2015-2016-S1-02", "2099-2100-S1-01", "=HYPERLINK(\"x\")", "a@b.c", "anonymous", "1", "2",
]  # fmt: skip
cell_text = st.one_of(
    st.sampled_from(TRICKY_CELLS), st.text(st.characters(exclude_categories=("Cs",)), max_size=10)
)


def dump(conn: sqlite3.Connection) -> str:
    return "\n".join(conn.iterdump())


@pytest.fixture(scope="module")
def base_database() -> Iterator[sqlite3.Connection]:
    """The demo's cohorts, speakers and interventions in memory (what the exports refer to), copied
    into a fresh database for each example; small, so that comparing dumps stays quick."""
    conn = store.connect(":memory:")
    for kind in ("cohorts", "speakers", "interventions"):
        import_template(conn, kind, template_path(store.DEMO_DIR, kind))
    yield conn
    conn.close()


def fresh(base: sqlite3.Connection) -> sqlite3.Connection:
    conn = store.connect(":memory:")
    base.backup(conn)
    return conn


def clear_outcome(conn: sqlite3.Connection, name: str, content: bytes, **options) -> None:
    """Import, and check that any refusal is clear and changed nothing."""
    before = dump(conn)
    try:
        imports.import_file(conn, "responses", name, content, **options)
    except ImportValidationError as error:
        assert error.problems
        assert all(p.reason and p.file == name for p in error.problems)
        assert dump(conn) == before
    except ImportFileError as error:
        assert error.message and error.file == name
        assert dump(conn) == before


def _rows(path) -> tuple[list[list[str]], str]:
    text = path.read_bytes().decode("utf-8-sig")
    delimiter = ";" if path == LIMESURVEY_FR else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), delimiter


def _mapping(base: sqlite3.Connection) -> Mapping:
    analysis = imports.analyse(base, "responses", GOOGLE_FR.name, GOOGLE_FR.read_bytes())
    return analysis.mapping.with_column(GOOGLE_FR_UNKNOWN, ColumnTarget(NEW, question_type="text"))


@st.composite
def mutated_exports(draw: st.DrawFn) -> tuple[str, bytes, str]:
    """A survey fixture with a few cells (header included) replaced, re-encoded as a tool or Excel would."""
    path = draw(st.sampled_from([GOOGLE_FR, LIMESURVEY_FR]))
    rows, delimiter = _rows(path)
    for _ in range(draw(st.integers(1, 4))):
        row = draw(st.integers(0, len(rows) - 1))
        if rows[row] and draw(st.integers(0, 9)):
            rows[row][draw(st.integers(0, len(rows[row]) - 1))] = draw(cell_text)
        else:
            rows[row].append(draw(cell_text))
    if draw(st.booleans()):
        rows = rows[: draw(st.integers(0, len(rows)))]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows(
        rows
    )
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    content = buffer.getvalue().encode(encoding, errors="replace")
    talk = GOOGLE_FR_TALK if path == GOOGLE_FR else LIMESURVEY_FR_TALK
    return path.name, content, talk


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated=mutated_exports(), use_mapping=st.booleans())
def test_a_mutated_export_imports_or_is_refused_cleanly(base_database, mutated, use_mapping):
    name, content, talk = mutated
    conn = fresh(base_database)
    try:
        mapping = _mapping(base_database) if use_mapping and name == GOOGLE_FR.name else None
        clear_outcome(conn, name, content, intervention_id=talk, mapping=mapping)
    finally:
        conn.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    position=st.integers(0, 4000),
    length=st.integers(0, 40),
    garbage=st.binary(max_size=40),
    truncate=st.booleans(),
)
def test_damaged_bytes_import_or_are_refused_cleanly(base_database, position, length, garbage, truncate):
    original = GOOGLE_FR.read_bytes()
    position = min(position, len(original))
    content = (
        original[:position] if truncate else original[:position] + garbage + original[position + length :]
    )
    conn = fresh(base_database)
    try:
        clear_outcome(
            conn, GOOGLE_FR.name, content, intervention_id=GOOGLE_FR_TALK, mapping=_mapping(base_database)
        )
    finally:
        conn.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=300))
def test_any_bytes_are_refused_cleanly(base_database, content):
    conn = fresh(base_database)
    try:
        clear_outcome(conn, "export.csv", content, intervention_id=GOOGLE_FR_TALK)
    finally:
        conn.close()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    changes=st.lists(
        st.tuples(
            st.integers(0, len(MS_FORMS_ROWS) - 1), st.integers(0, len(MS_FORMS_HEADER) - 1), cell_text
        ),
        min_size=1,
        max_size=4,
    )
)
def test_a_mutated_microsoft_forms_workbook_imports_or_is_refused_cleanly(base_database, changes):
    rows = [list(row) for row in MS_FORMS_ROWS]
    for row, column, value in changes:
        # A workbook cell cannot hold control characters: Excel (and openpyxl) refuse them.
        rows[row][column] = ILLEGAL_CHARACTERS_RE.sub("", value) or None
    content = microsoft_forms_xlsx(rows=rows)
    conn = fresh(base_database)
    try:
        analysis = imports.analyse(conn, "responses", MS_FORMS_NAME, microsoft_forms_xlsx())
        mapping = analysis.mapping.with_column("Commentaire", ColumnTarget(IGNORE)).with_column(
            "Commentaire2", ColumnTarget(IGNORE)
        )
        clear_outcome(conn, MS_FORMS_NAME, content, mapping=mapping)
    finally:
        conn.close()


def test_the_properties_see_both_outcomes(base_database):
    """The mutated files above are not all refused: an untouched export imports."""
    conn = fresh(base_database)
    try:
        report = imports.import_file(
            conn, "responses", GOOGLE_FR.name, GOOGLE_FR.read_bytes(), intervention_id=GOOGLE_FR_TALK,
            mapping=_mapping(base_database),
        )  # fmt: skip
        assert report.write.added == 6
    finally:
        conn.close()
