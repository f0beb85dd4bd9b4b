"""Nothing is lost under faults: a command killed (SIGKILL) in the middle of an import, a restore
or a publication change leaves a sound database holding all of the change or none of it, and the
app and the command line start normally afterwards; concurrent imports all succeed."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from insights import store
from insights.analytics.model import load_model
from insights.ingest import imports

ROOT = Path(__file__).resolve().parents[2]


def responses_file(path: Path, count: int, prefix: str) -> Path:
    """`count` responses for the demo's talks, in the template's columns."""
    with open(ROOT / "data" / "demo" / "responses.csv", encoding="utf-8", newline="") as source:
        rows = list(csv.reader(source))
    header, body = rows[0], rows[1:]
    with open(path, "w", encoding="utf-8", newline="") as target:
        writer = csv.writer(target)
        writer.writerow(header)
        for index in range(count):
            row = list(body[index % len(body)])
            row[0] = f"{prefix}{index:07d}"
            writer.writerow(row)
    return path


def cli(database: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "INSIGHTS_MAX_IMPORT_MB": "200", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "insights", "--db", str(database), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_when(process: subprocess.Popen, ready: Callable[[], bool], timeout: float = 300) -> None:
    """SIGKILL the process as soon as `ready()` holds (it must still be running then)."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, f"the command ended before the kill: {process.communicate()}"
        assert time.monotonic() < deadline, "the command never reached the moment to kill it"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()


def assert_sound_and_usable(database: Path) -> sqlite3.Connection:
    conn = store.connect(database)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.check_aggregates(conn) == []
    assert load_model(conn).cube.responses.sum() > 0  # the app's model loads
    status = cli(database, "review", "--status")
    assert status.wait(120) == 0, status.communicate()
    return conn


def count(database: Path) -> int:
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0]


def test_an_import_of_200000_responses_killed_midway_leaves_nothing_of_it(demo_db_path, tmp_path):
    before = count(demo_db_path)
    source = responses_file(tmp_path / "responses.csv", 200_000, "k")
    wal = Path(f"{demo_db_path}-wal")
    wal_start = wal.stat().st_size if wal.exists() else 0
    process = cli(demo_db_path, "import", "responses", str(source))
    # Killed once the import is writing its rows: its transaction has grown the write-ahead log.
    kill_when(process, lambda: wal.exists() and wal.stat().st_size > wal_start + 20_000_000)
    conn = assert_sound_and_usable(demo_db_path)
    assert count(demo_db_path) == before
    assert conn.execute("SELECT COUNT(*) FROM responses WHERE response_id LIKE 'k%'").fetchone()[0] == 0


def test_a_restore_killed_midway_leaves_the_old_or_the_new_database(demo_db_path, tmp_path):
    conn = store.connect(demo_db_path)
    imports.import_path(conn, "responses", responses_file(tmp_path / "r.csv", 30_000, "r"))
    bigger = count(demo_db_path)
    conn.close()
    smaller = tmp_path / "smaller.sqlite"
    shutil_copy_demo_backup(demo_db_path, smaller)
    backups = store.backup_dir(demo_db_path)
    taken = set(backups.iterdir())
    process = cli(demo_db_path, "restore", str(smaller), "--yes")
    # Killed as soon as the backup of the current state is written: the copy comes next.
    kill_when(
        process, lambda: any(p.name.endswith("-restore.sqlite") for p in set(backups.iterdir()) - taken)
    )
    assert_sound_and_usable(demo_db_path)
    assert count(demo_db_path) in (bigger, count(smaller))


def shutil_copy_demo_backup(database: Path, target: Path) -> None:
    """A backup of the database before its last import (the one taken automatically)."""
    latest = store.list_backups(database)[0]
    target.write_bytes(latest.path.read_bytes())


def test_a_publication_change_killed_midway_changes_all_talks_or_none(demo_db_path, tmp_path):
    conn = store.connect(demo_db_path)
    imports.import_path(conn, "responses", responses_file(tmp_path / "r.csv", 30_000, "p"))
    states = store.load_publication(conn).set_index("intervention_id")["state"]
    conn.close()
    backups = store.backup_dir(demo_db_path)
    taken = set(backups.iterdir())
    process = cli(demo_db_path, "publish", "--all")
    kill_when(process, lambda: any(p.name.endswith(".partial") or p not in taken for p in backups.iterdir()))
    after = assert_sound_and_usable(demo_db_path)
    now = store.load_publication(after).set_index("intervention_id")["state"]
    answered = set(store.load_talk_responses(after).query("responses > 0")["intervention_id"])
    assert (now == states).all() or (now[sorted(answered)] == "published").all()


def test_concurrent_imports_and_a_page_save_all_succeed(demo_db_path, tmp_path):
    before = count(demo_db_path)
    first = cli(demo_db_path, "import", "responses", str(responses_file(tmp_path / "a.csv", 60_000, "a")))
    second = cli(demo_db_path, "import", "responses", str(responses_file(tmp_path / "b.csv", 20_000, "b")))
    page = store.connect(demo_db_path)  # a page's connection, saving while both run
    page_save = imports.import_file(page, "responses", "page.csv", responses_file(
        tmp_path / "c.csv", 500, "c").read_bytes())  # fmt: skip
    outputs = [first.communicate(timeout=600), second.communicate(timeout=600)]
    assert first.returncode == second.returncode == 0, outputs
    assert not any("locked" in err for _, err in outputs)
    assert page_save.write.added == 500
    assert count(demo_db_path) == before + 60_000 + 20_000 + 500


@pytest.mark.parametrize("damage", ["corrupt", "empty"])
def test_the_command_line_on_a_damaged_database_says_so_without_a_traceback(demo_db_path, damage):
    demo_db_path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 4096 if damage == "corrupt" else b"")
    for args in (("review", "--status"), ("import", "cohorts", str(ROOT / "data/demo/cohorts.csv"))):
        process = cli(demo_db_path, *args)
        _, err = process.communicate(timeout=120)
        assert process.returncode == 1
        assert err.startswith("Erreur de la base : ") and "Traceback" not in err
        assert "restaurez la dernière sauvegarde" in err
