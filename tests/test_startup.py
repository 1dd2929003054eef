"""Starting on a disk that will not take writes: one plain line on stderr and exit status 1,
never a traceback; during a request, a 503 that says so, with nothing half-written.

Tests may run as root, whom file modes do not stop: a folder is made unwritable by placing
it under a regular file (the kernel answers ENOTDIR), a lock file by making it a folder
(EISDIR), and a read-only or full disk by making the os call raise its real errno.
"""

from __future__ import annotations

import errno
import logging
import os
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy import func
from sqlalchemy import inspect
from sqlalchemy import select

from breachdesk import create_app
from breachdesk import scheduler
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Incident
from tests.conftest import base_config
from tests.web.test_reporting import report


def refused_start(capsys, config: dict) -> str:
    """The one line ``create_app`` prints before it exits with status 1."""
    with pytest.raises(SystemExit) as stopped:
        create_app(config)
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def instance(tmp_path, monkeypatch) -> Path:
    """Point the app's instance folder at a path of the test's choosing."""
    folder = tmp_path / "instance"
    monkeypatch.setenv("BREACHDESK_INSTANCE_PATH", str(folder))
    return folder


def own_config(tmp_path: Path) -> dict:
    """A configuration with no secret key, so the app makes one in the instance folder."""
    config = base_config(tmp_path, f"sqlite:///{tmp_path / 'desk.sqlite'}")
    del config["SECRET_KEY"]
    return config


def test_an_instance_folder_that_cannot_be_made_is_one_line(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be\n")
    monkeypatch.setenv("BREACHDESK_INSTANCE_PATH", str(blocker / "inst"))

    line = refused_start(capsys, own_config(tmp_path))

    assert line == (
        f"breachdesk cannot start: breachdesk could not write the instance folder "
        f"({blocker / 'inst'}): a folder on the way is missing or is a file. "
        "Check the folder in the configuration."
    )


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.EROFS, "the disk is read-only. Give the account running breachdesk write access"),
        (errno.EACCES, "breachdesk is not allowed to write there. Give the account"),
        (errno.ENOSPC, "the disk is full. Free some space, then start it again."),
    ],
)
def test_a_secret_key_that_cannot_be_written_is_one_line_and_leaves_no_file(
    tmp_path, instance, monkeypatch, capsys, code, words
):
    instance.mkdir()
    real_open = os.open

    def refusing(path, flags, mode=0o777, **kwargs):
        if "secret_key" in str(path):
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    line = refused_start(capsys, own_config(tmp_path))

    assert line.startswith("breachdesk cannot start: breachdesk could not write the secret key")
    assert words in line
    assert list(instance.iterdir()) == []


def test_a_disk_that_fills_while_the_key_is_written_leaves_no_empty_key(
    tmp_path, instance, monkeypatch, capsys
):
    instance.mkdir()
    real_write = os.write

    def full(fd, data):
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(instance)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    line = refused_start(capsys, own_config(tmp_path))
    monkeypatch.undo()

    assert "could not write the secret key: the disk is full. Free some space" in line
    assert list(instance.iterdir()) == []  # no empty key the next start would take as the key


def test_a_database_that_cannot_be_opened_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the database folder should be\n")
    url = f"sqlite:///{blocker / 'desk.sqlite'}"

    line = refused_start(capsys, base_config(tmp_path, url))

    assert line == (
        "breachdesk cannot start: The database file cannot be opened: its folder is missing, "
        f"read-only or not breachdesk's to write. ({url})"
    )


def test_a_database_server_that_does_not_answer_is_one_line(tmp_path, capsys):
    from tests.support.reminders import free_port

    url = f"postgresql+psycopg://breachdesk@127.0.0.1:{free_port()}/breachdesk"

    line = refused_start(capsys, base_config(tmp_path, url))

    assert line.startswith("breachdesk cannot start: The database cannot be reached: ")
    assert "Connection refused" in line
    assert line.endswith(f"({url})")


def full_database(pages: int | None = None):
    """Cap the database at ``pages`` (default: the pages it has): SQLite's own 'database or
    disk is full'. Returns the listener, for ``free_space``."""

    @event.listens_for(db.engine, "connect")
    def cap(dbapi_connection, _record):
        has = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages or has}")

    db.engine.dispose()
    return cap


def free_space(cap) -> None:
    """Lift the cap ``full_database`` set."""
    event.remove(db.engine, "connect", cap)
    db.engine.dispose()


def read_only_database() -> None:
    """Open the database read-only: SQLite's own 'attempt to write a readonly database'."""

    @event.listens_for(db.engine, "connect")
    def refuse_writes(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA query_only = ON")

    db.engine.dispose()


@pytest.mark.freeze_time("2026-11-20 12:00:00")
def test_a_full_database_during_a_report_is_a_503_and_nothing_is_saved(sqlite_app):
    from breachdesk.services import accounts
    from tests.conftest import Browser

    with sqlite_app.app_context():
        accounts.create_user("sam", "sam-password-1", [Role.STAFF])
        db.session.commit()
    sam = Browser(sqlite_app)
    sam.login("sam")
    with sqlite_app.app_context():
        full_database()

    response = report(sam, description="Laptop left on the train. " * 700)

    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "The disk holding the database is full, so nothing was saved." in page
    assert "Tell whoever runs breachdesk" in page
    with sqlite_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Incident)) == 0


def test_a_read_only_database_in_a_scheduler_run_is_one_log_line(sqlite_app, caplog):
    from tests.support.reminders import add_incident

    with sqlite_app.app_context():
        add_incident(datetime.now(UTC) - timedelta(hours=25))  # its +24h reminder is due
        read_only_database()
    with caplog.at_level(logging.ERROR, logger="breachdesk.scheduler"):
        scheduler.sweep(sqlite_app)

    [record] = caplog.records
    assert record.getMessage() == (
        "The database is read-only, so nothing was saved. "
        "The sweep job tries again at its next run."
    )
    assert record.exc_info is None


@pytest.mark.parametrize("command", [["scheduler"], ["serve", "--port", "5999"]])
def test_a_scheduler_lock_file_that_cannot_be_opened_is_one_line(
    tmp_path, instance, command, monkeypatch
):
    from breachdesk import web_server

    monkeypatch.setattr(web_server, "serve", lambda *args: pytest.fail("served"))
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'desk.sqlite'}"))
    lock = scheduler.lock_path(app)
    lock.mkdir(parents=True)  # a folder where the lock file should be

    result = app.test_cli_runner().invoke(args=command)

    assert result.exit_code == 1
    assert result.stderr == (
        f"breachdesk cannot start: breachdesk could not write the scheduler's lock file "
        f"({lock}): is a directory.\n"
    )


def test_gunicorn_stops_at_a_start_up_problem_instead_of_restarting_workers(tmp_path):
    import subprocess
    import sys

    from tests.support.reminders import free_port

    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the database folder should be\n")
    env = {
        **os.environ,
        "BREACHDESK_DATABASE_URL": f"sqlite:///{blocker / 'desk.sqlite'}",
        "BREACHDESK_SECRET_KEY": "gunicorn-test-secret",
    }
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{free_port()}"]
    result = subprocess.run(
        [*command, "breachdesk.wsgi:app"], env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 4  # gunicorn: "App failed to load."
    assert "Traceback" not in result.stderr
    assert result.stderr.count("breachdesk cannot start: The database file cannot be opened") == 1


def stopped_line(result) -> str:
    """The one line a command printed when it stopped, besides Alembic's progress lines."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith("INFO  [alembic")]
    assert len(lines) == 1, result.stderr
    return lines[0]


FULL = (
    "The disk holding the database is full, so nothing was saved. "
    "Free some space, then run it again."
)
READ_ONLY = (
    "The database is read-only, so nothing was saved. Give the account running breachdesk "
    "write access to the database and its folder, then run it again."
)


def test_a_full_disk_during_db_upgrade_is_one_line_and_the_upgrade_runs_again_once_freed(
    tmp_path,
):
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'desk.sqlite'}"))
    with app.app_context():
        cap = full_database(pages=30)  # room for part of the schema, not all of it

    line = stopped_line(app.test_cli_runner().invoke(args=["db", "upgrade"]))

    assert line == f"breachdesk db upgrade stopped: {FULL}"
    with app.app_context():
        free_space(cap)
        assert inspect(db.engine).get_table_names() == []  # no half-built schema
    again = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert again.exit_code == 0, again.output
    with app.app_context():
        assert "incident" in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_a_read_only_database_during_db_upgrade_is_one_line(tmp_path):
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'desk.sqlite'}"))
    with app.app_context():
        read_only_database()

    line = stopped_line(app.test_cli_runner().invoke(args=["db", "upgrade"]))

    assert line == f"breachdesk db upgrade stopped: {READ_ONLY}"
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    ("fault", "words"), [(full_database, FULL), (read_only_database, READ_ONLY)]
)
def test_a_full_or_read_only_disk_during_demo_is_one_line_and_no_demo_is_left(
    sqlite_app, fault, words
):
    from breachdesk.models import User

    with sqlite_app.app_context():
        fault()

    line = stopped_line(sqlite_app.test_cli_runner().invoke(args=["demo"]))

    assert line == f"breachdesk demo stopped: {words}"
    with sqlite_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
        assert db.session.scalar(select(func.count()).select_from(Incident)) == 0
