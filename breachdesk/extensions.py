"""Flask extensions, created unbound and bound to an app in the factory."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from flask import Flask
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

from breachdesk.models.base import db
from breachdesk.storage import PRIVATE_FILE
from breachdesk.storage import create_private

__all__ = ["csrf", "db", "login_manager", "migrate"]

migrate = Migrate(directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    """Bind every extension to ``app``."""
    db.init_app(app)
    migrate.init_app(app, db)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.session_protection = "strong"


def _sqlite_file(dialect, cargs) -> str | None:
    """The SQLite database's path, or None for another database or an in-memory one."""
    if dialect.name != "sqlite" or not cargs or cargs[0] in ("", ":memory:"):
        return None
    name = str(cargs[0])
    return None if name.startswith("file:") else name


@event.listens_for(Engine, "do_connect")
def _sqlite_created_private(dialect, connection_record, cargs, cparams) -> None:
    """Create a new SQLite file owner-only before SQLite does (with the process umask, 0644);
    its -wal and -shm files take the database file's mode."""
    path = _sqlite_file(dialect, cargs)
    if path is not None:
        # Any failure here (a missing folder, a read-only disk) SQLite reports in its own words.
        with contextlib.suppress(OSError):
            os.close(create_private(path))
        connection_record.info["sqlite_path"] = path


#: PostgreSQL's default cost of a random page read (4) models spinning disks, and makes the
#: planner read the whole incident table for a word search rather than the trigram indexes
#: (100,000 incidents: 99 ms against 38 ms). 1.1 is the value PostgreSQL's documentation
#: gives for solid-state storage; a database URL that sets its own keeps it.
POSTGRES_OPTIONS = "-c random_page_cost=1.1"


@event.listens_for(Engine, "do_connect")
def _postgres_planned_for_solid_state(dialect, connection_record, cargs, cparams) -> None:
    if dialect.name != "postgresql":
        return
    given = cparams.get("options", "")
    if "random_page_cost" not in given:
        cparams["options"] = f"{given} {POSTGRES_OPTIONS}".strip()


#: Each SQLite connection keeps this many KiB of the database in memory. SQLite's default,
#: 2 MiB, is less than one register page reads at 100,000 incidents (a 2.6 GB file): with it
#: a place's count and a word's walk read the same pages again from the file each time (0.65
#: and 1.36 ms); with 8 MiB, 0.30 and 0.55 ms. A bound per connection, whatever the data.
SQLITE_CACHE_KIB = 8192


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """Enforce foreign keys and let the scheduler and the web process share SQLite."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # A writer waits its turn for up to 30 s rather than failing with "database is locked".
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.close()
    _tighten(connection_record.info.get("sqlite_path"))


def _tighten(path: str | None) -> None:
    """Make a database from before files were created owner-only private, and its -wal/-shm."""
    if path is None:
        return
    for name in (path, f"{path}-wal", f"{path}-shm"):
        with contextlib.suppress(FileNotFoundError, PermissionError):
            if os.stat(name).st_mode & 0o077:
                os.chmod(name, PRIVATE_FILE)
