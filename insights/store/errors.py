"""The store's errors: each names what went wrong in words a programme director understands, and
`translate` turns SQLite's own errors about the file (locked, full, read-only, damaged) into them."""

from __future__ import annotations

import sqlite3

# SQLite's primary result codes (https://sqlite.org/rescode.html).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR = 5, 6, 8, 10
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 11, 13, 14, 26


class StoreError(Exception):
    """Base class of the store's errors."""


class DatabaseBusyError(StoreError):
    """Another write held the database longer than a write may wait for it."""


class DatabaseUnusableError(StoreError):
    """The database file cannot be used as it is: nothing is written to it until someone acts."""


class SchemaTooNewError(DatabaseUnusableError):
    """The database was written by a newer version of the application."""


class DiskFullError(DatabaseUnusableError):
    """The disk holding the database is full; the write was cancelled."""


class DatabaseReadOnlyError(DatabaseUnusableError):
    """The database file (or its folder) cannot be written."""


class DatabaseDamagedError(DatabaseUnusableError):
    """The database file is not a readable SQLite database (corrupt, truncated, another file)."""


BUSY_MESSAGE = (
    "Une autre écriture est en cours sur la base (une importation, sans doute) : réessayez dans un instant. "
    "Rien n'a été enregistré."
)


def translate(error: sqlite3.Error) -> StoreError | None:
    """The store's error for a SQLite error about the database file, or None for any other
    (a constraint, a programming error), which callers re-raise as it is."""
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(error).lower()
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in text:
        return DatabaseBusyError(BUSY_MESSAGE)
    if primary == _SQLITE_FULL or "disk is full" in text:
        return DiskFullError(
            "Le disque qui contient la base de données est plein : l'écriture a été annulée et rien n'a "
            "été enregistré. Libérez de la place sur le serveur, puis recommencez."
        )
    if primary == _SQLITE_READONLY or "readonly database" in text:
        return DatabaseReadOnlyError(
            "La base de données est en lecture seule (droits du fichier ou de son dossier) : rien n'a été "
            "enregistré. Rendez le fichier et son dossier modifiables par l'application."
        )
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in text or "not a database" in text:
        return DatabaseDamagedError(
            "Le fichier de la base de données est endommagé (illisible ou tronqué). Il n'a pas été modifié ; "
            "restaurez la dernière sauvegarde."
        )
    if primary in (_SQLITE_CANTOPEN, _SQLITE_IOERR):
        return DatabaseReadOnlyError(
            "Le fichier de la base de données ne peut être ouvert ou écrit (droits, disque ou dossier "
            f"absent) : {error}."
        )
    return None
