"""Hostile files of allowed size are bounded in time and memory, not only in size: limits on
columns, rows, cell length and a workbook's unpacked content, each named when it is exceeded."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from insights.ingest import files, imports
from insights.ingest.validation import ImportFileError

HEADER = "response_id,intervention_id,submitted_at,respondent,satisfaction\n"


def test_a_million_columns_are_refused_at_the_first_row(demo_conn):
    wide = ",".join(f"c{i}" for i in range(1_000_000)) + "\n"
    with pytest.raises(
        ImportFileError, match="ligne 1 : trop de colonnes \\(1\u202f000\u202f000 ; limite : 1\u202f000\\)"
    ):
        imports.import_file(demo_conn, "responses", "large.csv", wide.encode())


def test_too_many_rows_are_refused(demo_conn, monkeypatch):
    monkeypatch.setattr(files, "MAX_ROWS", 50)
    rows = "".join(f"x{i},2015-2016-S1-01,,,4\n" for i in range(60))
    with pytest.raises(ImportFileError, match="trop de lignes"):
        imports.import_file(demo_conn, "responses", "long.csv", (HEADER + rows).encode())


def test_a_giant_cell_is_refused_with_its_row(demo_conn):
    content = HEADER + "x1,2015-2016-S1-01,,," + "a" * (files.MAX_CELL_CHARS + 10) + "\n"
    with pytest.raises(ImportFileError, match="ligne 2 : cellule trop longue"):
        imports.import_file(demo_conn, "responses", "cell.csv", content.encode())


def workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_whose_content_unpacks_beyond_the_limit_is_refused_unread(demo_conn, monkeypatch):
    monkeypatch.setenv("INSIGHTS_MAX_IMPORT_MB", "1")
    padded = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook([["a", "b"], [1, 2]]))) as source,
        zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/padding.xml", b" " * 6_000_000)  # 6 MB unpacked, a few KB packed
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("the workbook was parsed"))
    with pytest.raises(ImportFileError) as caught:
        imports.import_file(demo_conn, "responses", "bombe.xlsx", padded.getvalue())
    assert caught.value.message.startswith("classeur trop volumineux une fois décompressé (6,0")
    assert "limite : 5 Mo" in caught.value.message


def test_a_workbook_with_too_many_columns_is_refused(demo_conn):
    with pytest.raises(ImportFileError, match="trop de colonnes"):
        imports.import_file(
            demo_conn, "responses", "large.xlsx", workbook([list(range(files.MAX_COLUMNS + 5))])
        )


def test_a_workbook_is_read_row_by_row_with_its_tables_and_short_rows_padded():
    content = workbook([["a", "b", "c"], ["1"], ["2", "3", "4"]])
    raw = files.read_bytes("forms.xlsx", content)
    assert [cells for _, cells in raw.records] == [("a", "b", "c"), ("1", "", ""), ("2", "3", "4")]


@pytest.mark.parametrize(
    ("size", "limit", "text"),
    [
        (20_000_001, 20_000_000, "20,000001 Mo"),  # one byte over: it shows
        (20_800_000, 20_000_000, "20,8 Mo"),
        (20_000_000, None, "20 Mo"),
        (4_600_000, None, "4,6 Mo"),
    ],
)
def test_sizes_read_differently_from_the_limit_they_exceed(size, limit, text):
    assert files.megabytes(size, limit) == text
