"""The command line's reports and speaker links: `report cohort|speaker`, `share-link`,
`revoke-link`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from insights import cli, store


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = cli.main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_report_cohort_writes_a_pdf_and_report_speaker_an_html_page(demo_db_path, tmp_path, capsys):
    pdf_path = tmp_path / "out" / "bilan.pdf"
    code, out, _ = run(capsys, "--db", demo_db_path, "report", "cohort", "2015-2016", "-o", pdf_path)
    assert code == 0 and str(pdf_path) in out
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages)
    assert "Bilan de la promotion 2015-2016" in text and "Sommaire" in text

    html_path = tmp_path / "fiche.html"
    code, _, _ = run(
        capsys, "--db", demo_db_path, "report", "speaker", "sp07", "--cohort", "2014-2015", "-o", html_path
    )
    page = html_path.read_text(encoding="utf-8")
    assert code == 0 and page.startswith("<!DOCTYPE html>") and "Retour sur votre intervention" in page

    forced = tmp_path / "fiche.bin"
    code, _, _ = run(
        capsys, "--db", demo_db_path, "report", "speaker", "sp07", "--format", "pdf", "-o", forced
    )
    assert code == 0 and forced.read_bytes().startswith(b"%PDF-")


def test_report_errors_are_french_and_exit_1(demo_db_path, tmp_path, capsys):
    code, _, err = run(capsys, "--db", demo_db_path, "report", "cohort", "1999", "-o", tmp_path / "x.pdf")
    assert code == 1 and "Promotion inconnue : « 1999 »" in err and not (tmp_path / "x.pdf").exists()
    code, _, err = run(capsys, "--db", demo_db_path, "report", "speaker", "zz", "-o", tmp_path / "x.pdf")
    assert code == 1 and "Intervenant·e inconnu·e" in err
    with pytest.raises(SystemExit) as stop:
        cli.main(["report", "cohort", "2015-2016"])  # -o is required
    assert stop.value.code == 2


def test_share_link_prints_the_url_and_revoke_link_ends_it(demo_db_path, capsys):
    code, out, _ = run(
        capsys,
        "--db",
        demo_db_path,
        "share-link",
        "sp01",
        "--days",
        "10",
        "--base-url",
        "https://pros.example/app/",
    )
    assert code == 0
    url = out.strip()
    assert url.startswith("https://pros.example/app/?fiche=")
    token = url.split("fiche=", 1)[1]
    conn = store.connect(demo_db_path)
    try:
        assert store.open_share_link(conn, token).status == store.LINK_OK
        assert (
            store.active_share_link(conn, "sp01").expires_at
            - store.active_share_link(conn, "sp01").created_at
        ).days == 10
        assert list(store.load_audit_log(conn, kinds=["share"])["source"]) == ["cli"]
    finally:
        conn.close()

    code, out, _ = run(capsys, "--db", demo_db_path, "revoke-link", "sp01")
    assert code == 0 and "Lien révoqué pour sp01" in out
    code, out, _ = run(capsys, "--db", demo_db_path, "revoke-link", "sp01")
    assert code == 0 and "Aucun lien actif" in out
    conn = store.connect(demo_db_path)
    try:
        assert store.open_share_link(conn, token).status == store.LINK_REVOKED
    finally:
        conn.close()
    code, _, err = run(capsys, "--db", demo_db_path, "share-link", "nobody")
    assert code == 1 and "inconnu" in err
    code, _, err = run(capsys, "--db", demo_db_path, "share-link", "sp01", "--days", "400")
    assert code == 2 and "--days" in err


def test_card_writes_a_png_of_each_format_and_prints_its_alt_text(demo_db_path, tmp_path, capsys):
    from PIL import Image

    for fmt, size in (("square", (1080, 1080)), ("landscape", (1200, 627))):
        path = tmp_path / f"{fmt}.png"
        code, out, err = run(capsys, "--db", demo_db_path, "card", "q0025", "--format", fmt, "-o", path)
        assert code == 0 and str(path) in err
        assert out.startswith("Carte citation. «") and "Paroles de pros" in out
        assert Image.open(path).size == size
    code, _, err = run(capsys, "--db", demo_db_path, "card", "q9999", "-o", tmp_path / "none.png")
    assert code == 1 and "n'existe pas ou n'est pas publiée" in err and not (tmp_path / "none.png").exists()
