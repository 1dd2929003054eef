"""The SQLite database and its -wal and -shm files are the owner's only, like the secret key."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import text

from breachdesk import create_app
from breachdesk.extensions import db
from tests.conftest import base_config

SUFFIXES = ("", "-wal", "-shm")


def modes(database: Path) -> dict[str, str]:
    return {s: oct(os.stat(f"{database}{s}").st_mode & 0o777) for s in SUFFIXES}


def write_something(tmp_path: Path, database: Path) -> None:
    """Start the desk on ``database`` and write to it, holding the connection open so the
    -wal and -shm files are there to look at."""
    app = create_app(base_config(tmp_path, f"sqlite:///{database}"))
    with app.app_context(), db.engine.connect() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS probe (x INTEGER)"))
        connection.execute(text("INSERT INTO probe VALUES (1)"))
        connection.commit()
        assert modes(database) == dict.fromkeys(SUFFIXES, "0o600")
    with app.app_context():
        db.engine.dispose()


def test_a_new_database_and_its_wal_and_shm_are_created_owner_only(tmp_path):
    previous = os.umask(0o022)  # the usual umask, which would give 0644
    try:
        write_something(tmp_path, tmp_path / "desk.sqlite")
    finally:
        os.umask(previous)


def test_a_database_made_readable_by_others_is_made_private_on_connect(tmp_path):
    database = tmp_path / "older.sqlite"
    database.touch(mode=0o644)
    database.chmod(0o644)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").touch()
        Path(f"{database}{suffix}").chmod(0o644)

    write_something(tmp_path, database)
