"""Exports for spreadsheets: the template CSV files in a ZIP, one XLSX workbook, empty templates, and
cells that a spreadsheet would run as formulas kept inert."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from insights import store
from insights.exporting import FORMULA_TRIGGERS, neutralise, unneutralise
from insights.ingest import exports, loading
from insights.ingest.templates import TEMPLATES


@given(st.text(max_size=30))
def test_neutralising_is_undone_exactly(text):
    assert unneutralise(neutralise(text)) == text
    assert not neutralise(text).startswith(FORMULA_TRIGGERS)


def test_formula_triggers_are_neutralised():
    assert [neutralise(c) for c in ["=SUM(A1)", "+33 6", "-5", "@cmd", "\tx", "'=x", "ok", "l'=x"]] == [
        "'=SUM(A1)", "'+33 6", "'-5", "'@cmd", "'\tx", "''=x", "ok", "l'=x",
    ]  # fmt: skip


def _with_a_dangerous_quote(conn) -> None:
    store.write_quotes(
        conn,
        [
            {
                "quote_id": "q9999",
                "text": '=HYPERLINK("http://example.org","clic")',
                "speaker_id": "sp01",
                "intervention_id": None,
                "themes": ["crise"],
                "source": "support",
                "status": "proposée",
            }
        ],
    )


def test_the_zip_holds_the_six_templates_as_export_writes_them(demo_conn, tmp_path):
    _with_a_dangerous_quote(demo_conn)
    archive = zipfile.ZipFile(io.BytesIO(exports.export_zip(demo_conn)))
    exports.export_tables(demo_conn, tmp_path)
    assert sorted(archive.namelist()) == sorted(t.filename for t in TEMPLATES.values())
    for name in archive.namelist():
        assert archive.read(name) == (tmp_path / name).read_bytes()
    quotes = archive.read("quotes.csv").decode("utf-8")
    assert "'=HYPERLINK" in quotes


def test_an_exported_zip_imports_back_into_the_same_data(demo_conn, empty_conn, tmp_path):
    _with_a_dangerous_quote(demo_conn)
    zipfile.ZipFile(io.BytesIO(exports.export_zip(demo_conn))).extractall(tmp_path)
    loading.import_directory(empty_conn, tmp_path)
    for loader in (store.load_speakers, store.load_interventions, store.load_quotes, store.load_responses):
        assert loader(empty_conn).equals(loader(demo_conn)), loader.__name__


def test_the_workbook_has_a_sheet_per_table_and_no_formula(demo_conn):
    _with_a_dangerous_quote(demo_conn)
    workbook = openpyxl.load_workbook(io.BytesIO(exports.export_workbook(demo_conn)))
    assert workbook.sheetnames == [t.filename.removesuffix(".csv") for t in TEMPLATES.values()]
    quotes = workbook["quotes"]
    header = [c.value for c in quotes[1]]
    assert header == list(TEMPLATES["quotes"].columns)
    cell = next(row[1] for row in quotes.iter_rows(min_row=2) if row[0].value == "q9999")
    assert cell.value == '=HYPERLINK("http://example.org","clic")'
    assert cell.data_type == "s" and cell.quotePrefix
    responses = workbook["responses"]
    assert responses.max_row == len(store.load_responses(demo_conn)) + 1


def test_the_workbook_reads_back_as_templates(demo_conn, empty_conn, tmp_path):
    content = exports.export_workbook(demo_conn)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for template in TEMPLATES.values():
        single = openpyxl.Workbook()
        for row in workbook[template.filename.removesuffix(".csv")].iter_rows(values_only=True):
            single.active.append(list(row))
        single.save(tmp_path / template.filename.replace(".csv", ".xlsx"))
    loading.import_directory(empty_conn, tmp_path)
    assert store.table_counts(empty_conn) == store.table_counts(demo_conn)


def test_an_empty_template_is_its_header(demo_conn):
    content = exports.empty_template(demo_conn, "responses")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [exports.template_header(demo_conn, "responses")]
    assert rows[0][:4] == ["response_id", "intervention_id", "submitted_at", "respondent"]
    assert "satisfaction" in rows[0]
