"""`python -m insights set-password`: the director's password, read from standard input, stored
as a salted hash in the secrets file."""

from __future__ import annotations

import io
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from insights import access, cli, store

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "une phrase de passe assez longue"  # noqa: S105


def stored_hash(path: Path) -> str:
    return tomllib.loads(path.read_text())["director"]["password_hash"]


def set_password(monkeypatch, capsys, stdin: str, *argv: str | Path) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(["set-password", *(str(arg) for arg in argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_piped_password_is_stored_as_a_hash_only(tmp_path, monkeypatch, capsys):
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    code, out, err = set_password(
        monkeypatch, capsys, PASSWORD + "\n", "--secrets", secrets, "--db", tmp_path / "none.sqlite"
    )
    assert code == 0, err
    assert str(secrets) in out
    assert PASSWORD not in secrets.read_text()
    assert access.verify_password(PASSWORD, stored_hash(secrets))
    assert not (tmp_path / "none.sqlite").exists(), "no database is created for a password"


def test_windows_line_ends_on_the_pipe_are_not_part_of_the_password(tmp_path, monkeypatch, capsys):
    secrets = tmp_path / "secrets.toml"
    assert set_password(monkeypatch, capsys, PASSWORD + "\r\n", "--secrets", secrets)[0] == 0
    assert access.verify_password(PASSWORD, stored_hash(secrets))


def test_the_rest_of_the_secrets_file_is_kept(tmp_path, monkeypatch, capsys):
    secrets = tmp_path / "secrets.toml"
    original = (
        '# keep me\n[auth]\ncookie_secret = "s"\n\n[director]\nidle_minutes = 15\npassword_hash = "old"\n'
    )
    secrets.write_text(original)
    assert set_password(monkeypatch, capsys, PASSWORD, "--secrets", secrets)[0] == 0
    new_hash = stored_hash(secrets)
    assert secrets.read_text() == original.replace('"old"', f'"{new_hash}"')


@pytest.mark.parametrize("stdin", ["", "\n", "trop court\n"])
def test_an_empty_or_short_password_changes_nothing(tmp_path, monkeypatch, capsys, stdin):
    secrets = tmp_path / "secrets.toml"
    code, _, err = set_password(monkeypatch, capsys, stdin, "--secrets", secrets)
    assert code == cli.EXIT_INVALID_DATA
    assert "rien n'a été changé" in err or "trop court" in err
    assert not secrets.exists()


def test_the_password_is_never_taken_from_an_argument(tmp_path, monkeypatch, capsys):
    secrets = tmp_path / "secrets.toml"
    with pytest.raises(SystemExit) as exited:
        set_password(monkeypatch, capsys, "", PASSWORD, "--secrets", secrets)
    assert exited.value.code == cli.EXIT_USAGE
    assert not secrets.exists()


def test_at_a_terminal_the_password_is_typed_twice(tmp_path, monkeypatch, capsys):
    secrets = tmp_path / "secrets.toml"
    prompts: list[str] = []
    answers = iter([PASSWORD, PASSWORD])

    def fake_getpass(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    terminal = io.StringIO()
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stdin", terminal)
    monkeypatch.setattr(cli.getpass, "getpass", fake_getpass)
    assert cli.main(["set-password", "--secrets", str(secrets)]) == 0
    assert len(prompts) == 2
    assert access.verify_password(PASSWORD, stored_hash(secrets))


def test_at_a_terminal_two_different_entries_change_nothing(tmp_path, monkeypatch, capsys):
    secrets = tmp_path / "secrets.toml"
    answers = iter([PASSWORD, PASSWORD + "!"])
    terminal = io.StringIO()
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stdin", terminal)
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: next(answers))
    assert cli.main(["set-password", "--secrets", str(secrets)]) == cli.EXIT_INVALID_DATA
    assert "diffèrent" in capsys.readouterr().err
    assert not secrets.exists()


def test_a_secrets_file_that_cannot_be_edited_safely_is_reported(tmp_path, monkeypatch, capsys):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("director = { idle_minutes = 5 }\n")
    code, _, err = set_password(monkeypatch, capsys, PASSWORD, "--secrets", secrets)
    assert code == cli.EXIT_INVALID_DATA
    assert "password_hash" in err
    assert secrets.read_text() == "director = { idle_minutes = 5 }\n"


def test_a_new_password_lifts_the_slowdown_recorded_in_the_database(tmp_path, monkeypatch, capsys):
    database = tmp_path / "insights.sqlite"
    conn = store.connect(database)
    try:
        now = time.time()
        for offset in range(6):
            store.record_signin_attempt(conn, now - 6 + offset, access.FAILURE)
        assert access.current_throttle(conn, "", now).retry_at is not None
        code, out, err = set_password(
            monkeypatch, capsys, PASSWORD, "--secrets", tmp_path / "secrets.toml", "--db", database
        )
        assert code == 0, err
        assert "ne comptent plus" in out
        assert access.current_throttle(conn, "", now + 1).retry_at is None
    finally:
        conn.close()


def test_python_dash_m_insights_set_password_reads_a_pipe(tmp_path):
    secrets = tmp_path / "secrets.toml"
    result = subprocess.run(
        [sys.executable, "-m", "insights", "set-password", "--secrets", str(secrets)],
        cwd=PROJECT_ROOT,
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "INSIGHTS_DB": str(tmp_path / "absent.sqlite")},
    )
    assert result.returncode == 0, result.stderr
    assert access.verify_password(PASSWORD, stored_hash(secrets))
    assert PASSWORD not in result.stdout + result.stderr
