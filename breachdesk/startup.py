"""What is checked when breachdesk starts, and the one plain line when it cannot start.

A read-only or full disk, a database this code cannot open, or one migrated by a newer
breachdesk are not bugs: the person starting the desk gets one line on stderr saying what is
wrong and what to do, and a non-zero exit, never a traceback. The evidence folder is settled
once by ``breachdesk serve`` before its workers start and by ``breachdesk.wsgi``; a sweep
never touches a file another process is saving (see services.evidence_storage).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import Connection
from sqlalchemy import inspect
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import SQLAlchemyError

from breachdesk.extensions import db
from breachdesk.services import findings
from breachdesk.services.evidence_storage import EvidenceFolder
from breachdesk.services.evidence_storage import sweep_orphans
from breachdesk.storage import database_fix
from breachdesk.storage import database_problem
from breachdesk.storage import describe_os_error

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"  # Alembic's default, which Flask-Migrate keeps

log = logging.getLogger(__name__)


class StartupError(RuntimeError):
    """breachdesk cannot start; the message is one line saying why and what to do."""

    @classmethod
    def writing(cls, exc: OSError, what: str) -> StartupError:
        return cls(describe_os_error(exc, what))


def exit_with(error: StartupError, stopped: str = "breachdesk cannot start") -> NoReturn:
    """Say why on stderr in one line, after ``stopped``, and stop with a non-zero status."""
    print(f"{stopped}: {error}", file=sys.stderr)
    raise SystemExit(1) from None


@contextmanager
def storage_faults_stop(stopped: str) -> Iterator[None]:
    """A full or read-only disk met inside is one line saying so, after ``stopped``, and
    exit status 1; the database's transaction is undone by the exception, as in a request."""
    try:
        yield
    except OSError as exc:
        exit_with(StartupError.writing(exc, "a file"), stopped)
    except SQLAlchemyError as exc:
        problem = database_problem(exc)
        if problem is None:
            raise
        exit_with(StartupError(f"{problem} {database_fix(exc)}"), stopped)


def check_database(app: Flask) -> None:
    """Refuse a database that cannot be opened, or one migrated past what this code knows."""
    with app.app_context():
        try:
            with db.engine.connect() as connection:
                heads = _revisions_of(connection)
        except OperationalError as exc:
            # Only opening the database and one read happened: anything else is unreachable.
            reason = (str(exc.orig).strip().splitlines() or ["no answer"])[0]
            problem = database_problem(exc) or f"The database cannot be reached: {reason}."
            where = db.engine.url.render_as_string(hide_password=True)
            raise StartupError(f"{problem} ({where})") from exc
        if not heads:
            return  # a new database: `breachdesk db upgrade` builds it
        script = ScriptDirectory(str(MIGRATIONS))
        known = {revision.revision for revision in script.walk_revisions()}
        unknown = [head for head in heads if head not in known]
        if unknown:
            db.engine.dispose()  # this app goes no further: close what it opened
            raise StartupError(
                f"The database is at migration {unknown[0]}, which this version of breachdesk "
                f"does not know (newest known: {script.get_current_head()}). Upgrade "
                "breachdesk or restore a matching backup."
            )


def _revisions_of(connection: Connection) -> list[str]:
    """The revisions the database is at: none before ``breachdesk db upgrade`` first ran."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return []
    return list(connection.scalars(text(f"SELECT version_num FROM {VERSION_TABLE}")))  # noqa: S608


def sweep_evidence(app: Flask) -> str:
    """Settle what a crash left in the evidence folder; return the line that says so."""
    folder = EvidenceFolder.from_config(app.config).path
    with app.app_context():
        try:
            swept = sweep_orphans(folder, findings.recorded_evidence)
        except OSError as exc:
            raise StartupError.writing(exc, "the evidence folder") from exc
        except SQLAlchemyError:  # no tables yet: `breachdesk db upgrade` has not run
            line = f"Evidence folder {folder} not checked: the database is not ready."
            log.warning(line)
            return line
        finally:
            db.session.remove()
    line = (
        f"Evidence folder checked: {swept.removed} file(s) with no record removed, "
        f"{swept.recovered} interrupted save(s) completed."
    )
    log.log(logging.WARNING if swept.removed or swept.recovered else logging.INFO, line)
    return line
