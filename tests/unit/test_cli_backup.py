"""`python -m insights backup` and `restore`: a copy on demand or listed, and a restore checked,
confirmed (or --yes) and reported."""

from __future__ import annotations

import io
import sqlite3

from insights import cli, store
from tests.unit.test_cli import run


def count(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT COUNT(*) FROM quotes").fetchone()[0]


def test_backup_writes_a_copy_and_lists_it(demo_db_path, capsys):
    code, out, _ = run(capsys, "--db", demo_db_path, "backup")
    assert code == 0 and out.startswith("Sauvegarde écrite : ")
    code, out, _ = run(capsys, "--db", demo_db_path, "backup")
    assert code == 0 and out.startswith("Rien n'a changé depuis la dernière sauvegarde")
    code, out, _ = run(capsys, "--db", demo_db_path, "backup", "--list")
    assert code == 0 and "à la demande" in out and out.count("\n") == 1


def test_backup_to_a_chosen_file_refuses_to_overwrite_it(demo_db_path, tmp_path, capsys):
    target = tmp_path / "copie.sqlite"
    assert run(capsys, "--db", demo_db_path, "backup", "-o", target)[0] == 0
    assert count(target) == count(demo_db_path)
    code, _, err = run(capsys, "--db", demo_db_path, "backup", "-o", target)
    assert code == 1 and "existe déjà" in err


def test_restore_shows_what_the_backup_holds_and_needs_a_confirmation(
    demo_db_path, tmp_path, capsys, monkeypatch
):
    saved = tmp_path / "saved.sqlite"
    run(capsys, "--db", demo_db_path, "backup", "-o", saved)
    conn = store.connect(demo_db_path)
    conn.execute("DELETE FROM quote_themes")
    conn.execute("DELETE FROM quotes")
    conn.close()
    code, out, err = run(capsys, "--db", demo_db_path, "restore", saved)  # no terminal to ask at
    assert code == 1 and "relancez avec --yes" in err
    assert "contrôle d'intégrité réussi" in out and f"Citations : {count(saved)}" in out
    assert count(demo_db_path) == 0

    monkeypatch.setattr("sys.stdin", io.StringIO("non\n"))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    code, out, _ = run(capsys, "--db", demo_db_path, "restore", saved)
    assert code == 0 and "Restauration annulée" in out and count(demo_db_path) == 0

    code, out, _ = run(capsys, "--db", demo_db_path, "restore", saved, "--yes")
    assert code == 0 and f"restaurée depuis {saved.name}" in out and "L'état d'avant est sauvegardé" in out
    assert count(demo_db_path) == count(saved)
    assert store.load_audit_log(store.connect(demo_db_path), ["restore"])["source"].iloc[0] == "cli"


def test_restore_refuses_a_file_that_is_not_a_backup(demo_db_path, tmp_path, capsys):
    junk = tmp_path / "junk.sqlite"
    junk.write_text("rien à voir")
    code, _, err = run(capsys, "--db", demo_db_path, "restore", junk, "--yes")
    assert code == 1 and "n'est pas une base de données lisible" in err


def test_the_command_line_waits_longer_than_a_page_for_another_write(demo_db_path, monkeypatch):
    opened = []
    monkeypatch.setattr(store, "connect", lambda path, write_wait=None: opened.append(write_wait))
    cli._connect(cli.build_parser().parse_args(["--db", str(demo_db_path), "review", "--status"]))
    assert opened == [cli.CLI_WRITE_WAIT] and cli.CLI_WRITE_WAIT > store.WRITE_WAIT
