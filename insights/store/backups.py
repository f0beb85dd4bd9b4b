"""Backups: consistent snapshots of the database file taken before every risky write, kept by
count and age, checked before a restore, and a restore that is all-or-nothing."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from insights.store.audit import record_write
from insights.store.connection import connect
from insights.store.errors import StoreError, translate
from insights.store.loaders import table_counts
from insights.store.schema import SCHEMA_VERSION, schema_version

BACKUP_DIR_NAME = "backups"
KEEP_LATEST = 20
"""The latest backups always kept…"""
KEEP_MONTHS = 12
"""…plus the latest one of each month, for this many months."""

REASONS = {
    "import": "avant une importation",
    "correction": "avant une correction",
    "deletion": "avant une suppression",
    "publication": "avant un changement de publication",
    "restore": "avant une restauration",
    "manual": "à la demande",
}
"""Why a backup was taken, in French, by the reason recorded in its name."""

COUNTED_TABLES = ("cohorts", "speakers", "interventions", "responses", "answers", "quotes")
"""The tables a database with something worth backing up has rows in."""

_NAME = re.compile(r"^(.+)-(\d{8}-\d{6}-\d{6})-v(\d+)-([a-z]+)\.sqlite$")


class BackupError(StoreError):
    """A backup cannot be taken, read or restored; the message says why."""


@dataclass(frozen=True)
class Backup:
    """One backup file: when it was taken, why, and at which data version."""

    path: Path
    taken_at: datetime
    reason: str
    data_version: int
    size: int

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)


@dataclass(frozen=True)
class BackupReport:
    """What a backup file holds, checked: its schema version and its rows per table."""

    path: Path
    schema_version: int
    counts: dict[str, int]


def backup_dir(db_path: str | Path) -> Path:
    """Where the backups of the database at `db_path` are kept: `backups/` beside it, each named
    after the database (`insights-20261202-141503-000000-v42-import.sqlite`)."""
    return Path(db_path).resolve().parent / BACKUP_DIR_NAME


def database_path(conn: sqlite3.Connection) -> Path | None:
    """The file behind a connection (None for an in-memory database)."""
    row = conn.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None


def take_backup(conn: sqlite3.Connection, reason: str, now: datetime | None = None) -> Backup | None:
    """Snapshot the database as last committed into its backup folder, then apply the retention.

    Called inside the write transaction it protects, it saves the state just before that write:
    the snapshot is read by a second connection, which sees what is committed, while this one
    holds the write lock. Consistent even while others read (`VACUUM INTO` reads one snapshot);
    written to a temporary name and renamed, so a crash never leaves a partial backup. Skipped
    (None) for an in-memory or empty database, and when the latest backup already holds this
    data version (nothing changed since).
    """
    path = database_path(conn)
    if path is None:
        return None
    if not conn.in_transaction:
        return _snapshot(conn, path, reason, now)
    reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return _snapshot(reader, path, reason, now)
    finally:
        reader.close()


def _snapshot(conn: sqlite3.Connection, path: Path, reason: str, now: datetime | None) -> Backup | None:
    if not any(
        conn.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0] for table in COUNTED_TABLES
    ):
        return None
    version = _data_version(conn)
    latest = next(iter(list_backups(path)), None)
    if latest is not None and latest.data_version == version:
        return None
    now = now or datetime.now()
    name = f"{path.stem}-{now:%Y%m%d-%H%M%S-%f}-v{version}-{reason}.sqlite"
    written = write_backup(conn, backup_dir(path) / name)
    apply_retention(path, now)
    return _parse(written, path.stem)


def write_backup(conn: sqlite3.Connection, destination: str | Path) -> Path:
    """Write a consistent copy of the database to `destination`, a file that must not exist."""
    target = Path(destination)
    if target.exists():
        raise BackupError(f"{target} existe déjà : choisissez un autre nom de fichier.")
    partial = target.with_name(f".{target.name}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        conn.execute("VACUUM INTO ?", (str(partial),))
        os.replace(partial, target)
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise (translate(error) or BackupError(f"Sauvegarde impossible : {error}.")) from error
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Sauvegarde impossible dans {target.parent} : {error.strerror}.") from error
    return target


def list_backups(db_path: str | Path) -> list[Backup]:
    """The backups of the database at `db_path`, newest first."""
    folder, stem = backup_dir(db_path), Path(db_path).stem
    if not folder.is_dir():
        return []
    found = [backup for entry in folder.iterdir() if (backup := _parse(entry, stem)) is not None]
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def apply_retention(db_path: str | Path, now: datetime | None = None) -> list[Path]:
    """Delete the backups of the database at `db_path` that the retention does not keep (the
    latest KEEP_LATEST, and the latest of each of the last KEEP_MONTHS months); return them."""
    backups = list_backups(db_path)
    now = now or datetime.now()
    kept = {b.path for b in backups[:KEEP_LATEST]}
    oldest_month = (now.year * 12 + now.month - 1) - (KEEP_MONTHS - 1)
    seen_months: set[tuple[int, int]] = set()
    for backup in backups:  # newest first: the first of a month is its latest
        month = (backup.taken_at.year, backup.taken_at.month)
        if month not in seen_months and backup.taken_at.year * 12 + backup.taken_at.month - 1 >= oldest_month:
            seen_months.add(month)
            kept.add(backup.path)
    deleted = [b.path for b in backups if b.path not in kept]
    for path in deleted:
        path.unlink(missing_ok=True)
    return deleted


def inspect_backup(path: str | Path) -> BackupReport:
    """Check that `path` is a sound backup this application can restore: a SQLite file whose
    integrity check passes, of a schema no newer than the application's. Raises BackupError
    saying what is wrong; reads the file only."""
    source = Path(path)
    if not source.is_file():
        raise BackupError(f"Le fichier {source.name} n'existe pas.")
    try:
        conn = sqlite3.connect(f"file:{source.resolve()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(f"{source.name} ne peut être ouvert : {error}.") from error
    try:
        verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"{source.name} est endommagé (contrôle d'intégrité : {verdict}).")
        version = schema_version(conn)
        if version == 0 or version > SCHEMA_VERSION:
            raise BackupError(
                f"{source.name} n'est pas une sauvegarde de cette application (schéma {version}, "
                f"l'application en est au schéma {SCHEMA_VERSION})."
            )
        counts = table_counts(conn)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source.name} n'est pas une base de données lisible : {error}.") from error
    finally:
        conn.close()
    return BackupReport(source, version, counts)


def restore_backup(db_path: str | Path, backup_path: str | Path) -> Backup | None:
    """Replace the database at `db_path` by the backup at `backup_path`, all or nothing.

    The backup is checked first (`inspect_backup`). A sound current database is backed up,
    then overwritten through SQLite's backup API in one write transaction (a crash leaves it
    as it was; open connections see the restored data on their next read, under a new data
    version). A database that cannot be read is never overwritten: it is moved aside
    (`*.damaged-<time>`) and the backup copied in its place. Returns the backup taken of the
    current state (None when there was none to take). The restored database is migrated when
    it is of an older schema, and the restore recorded in its audit journal.
    """
    report = inspect_backup(backup_path)
    target = Path(db_path)
    source = sqlite3.connect(f"file:{report.path.resolve()}?mode=ro", uri=True)
    taken: Backup | None = None
    try:
        live = _open_sound(target)
        if live is None:
            partial = target.with_name(f".{target.name}.restoring")
            partial.unlink(missing_ok=True)
            copy = sqlite3.connect(str(partial))
            try:
                source.backup(copy)
            finally:
                copy.close()
            _set_damaged_aside(target)
            os.replace(partial, target)
            note = "la base endommagée est mise de côté"
        else:
            try:
                before = _data_version(live)
                taken = take_backup(live, "restore")
                live.execute("PRAGMA busy_timeout = 60000")
                source.backup(live)
                # Caches are keyed by the data version: the restored one must be new to them.
                live.execute(
                    "INSERT INTO meta (key, value) VALUES ('data_version', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(max(before, _data_version(live)) + 1),),
                )
            finally:
                live.close()
            note = f"état d'avant sauvegardé : {taken.path.name}" if taken else ""
    except sqlite3.Error as error:
        raise (translate(error) or BackupError(f"Restauration impossible : {error}.")) from error
    finally:
        source.close()
    restored = connect(target)  # applies the migrations a backup of an older schema needs
    try:
        _record_restore(restored, report, note)
    finally:
        restored.close()
    return taken


def _record_restore(conn: sqlite3.Connection, report: BackupReport, note: str) -> None:
    record_write(
        conn,
        "restore",
        f"Base restaurée depuis {report.path.name}" + (f" ({note})" if note else ""),
        counts=report.counts,
    )


def _open_sound(path: Path) -> sqlite3.Connection | None:
    """A connection to the database at `path` if it is a readable database of this
    application, None if it is missing, empty or damaged."""
    if not path.is_file() or path.stat().st_size == 0:
        return None
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok" or schema_version(conn) == 0:
            conn.close()
            return None
    except sqlite3.DatabaseError:
        conn.close()
        return None
    return conn


def _set_damaged_aside(path: Path) -> None:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            shutil.move(part, Path(f"{path}.damaged-{stamp}{suffix}"))


def _data_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
    return int(row[0]) if row else 0


def _parse(path: Path, stem: str) -> Backup | None:
    match = _NAME.match(path.name)
    if not match or match.group(1) != stem or not path.is_file():
        return None
    _, stamp, version, reason = match.groups()
    return Backup(
        path=path,
        taken_at=datetime.strptime(stamp, "%Y%m%d-%H%M%S-%f"),
        reason=reason,
        data_version=int(version),
        size=path.stat().st_size,
    )
