"""Plain words for the storage failures a person can fix: a full disk, a read-only folder.

A full disk or a folder breachdesk may not write is not a bug to show as a traceback: the
person running the desk needs one line saying what is wrong and where, and a person using it
needs to know nothing was saved. No Flask here: the start-up, the web and the scheduler use it.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

#: Breaches, evidence, backups and the secret key are readable by their owner only.
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def create_private(path: Path | str) -> int:
    """Create ``path`` (never an existing file) readable by its owner only, whatever the
    umask; its descriptor, open for writing."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)


#: SQLite's primary result codes (the low byte of an extended code).
_SQLITE_READONLY = 8
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
#: PostgreSQL's SQLSTATE codes: disk_full, insufficient_resources, read_only_sql_transaction.
_PG_FULL = {"53100", "53000"}
_PG_READONLY = "25006"

_FULL = {errno.ENOSPC, errno.EDQUOT}
_READ_ONLY = {errno.EROFS}
_FORBIDDEN = {errno.EACCES, errno.EPERM}
_NO_PATH = {errno.ENOENT, errno.ENOTDIR}


def cause(exc: OSError) -> str:
    """What went wrong, in a few words fit for the end of a sentence."""
    if exc.errno in _FULL:
        return "the disk is full"
    if exc.errno in _READ_ONLY:
        return "the disk is read-only"
    if exc.errno in _FORBIDDEN:
        return "breachdesk is not allowed to write there"
    if exc.errno in _NO_PATH:
        return "a folder on the way is missing or is a file"
    return (exc.strerror or str(exc)).lower()


def describe_os_error(exc: OSError, what: str) -> str:
    """One line for the person running breachdesk: what could not be written, where, why."""
    where = f" ({exc.filename})" if exc.filename else ""
    return f"breachdesk could not write {what}{where}: {cause(exc)}.{_fix(exc)}"


def _fix(exc: OSError) -> str:
    if exc.errno in _FULL:
        return " Free some space, then start it again."
    if exc.errno in _READ_ONLY | _FORBIDDEN:
        return " Give the account running breachdesk write access to that folder."
    if exc.errno in _NO_PATH:
        return " Check the folder in the configuration."
    return ""


def database_problem(exc: BaseException) -> str | None:
    """One line if ``exc`` is the database's full disk, read-only or unopenable file, else None."""
    fault = _database_fault(exc)
    return None if fault is None else _DATABASE_PROBLEMS[fault]


def database_fix(exc: BaseException) -> str:
    """What the person running breachdesk can do about ``database_problem(exc)``."""
    return _DATABASE_FIXES.get(_database_fault(exc), "")


_DATABASE_PROBLEMS = {
    "full": "The disk holding the database is full, so nothing was saved.",
    "read-only": "The database is read-only, so nothing was saved.",
    "cannot-open": (
        "The database file cannot be opened: its folder is missing, read-only or not "
        "breachdesk's to write."
    ),
}
_DATABASE_FIXES = {
    "full": "Free some space, then run it again.",
    "read-only": "Give the account running breachdesk write access to the database and its "
    "folder, then run it again.",
    "cannot-open": "Check the database's folder in the configuration, then run it again.",
}


def _database_fault(exc: BaseException) -> str | None:
    original = getattr(exc, "orig", None) or exc
    code = getattr(original, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    sqlstate = getattr(original, "sqlstate", None)
    if primary == _SQLITE_FULL or sqlstate in _PG_FULL:
        return "full"
    if primary == _SQLITE_READONLY or sqlstate == _PG_READONLY:
        return "read-only"
    if primary == _SQLITE_CANTOPEN:
        return "cannot-open"
    return None
