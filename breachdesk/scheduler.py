"""The reminder scheduler: plain APScheduler 3.x waking two idempotent jobs every few seconds.

The state is in our tables, not in APScheduler: the job store is the default in-memory one
and holds two jobs, "dispatch-due" (plan and queue reminders) and "deliver-outbox" (hand the
emails to SMTP). They run in their own threads, so a slow or silent mail server delays the
emails, never the planning. A look with nothing due is two indexed queries, so the planning
runs every 5 seconds: a reminder goes within seconds of its time, not a minute. Sending once
is guaranteed by the row claims in ``services.reminders``, so even two schedulers at once
only duplicate work, not email.

Only one scheduler runs at a time: on PostgreSQL the schedulers, on any number of hosts,
agree through a session-level advisory lock held by a connection of their own; on SQLite
(one machine) through ``fcntl.flock`` on ``instance/scheduler.lock``. Either lock goes when
the process dies. Nothing here is started by the app factory or in a web worker.
"""

from __future__ import annotations

import atexit
import fcntl
import functools
import logging
import os
import time
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import IO
from typing import Protocol

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy import Connection
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from breachdesk.storage import database_problem
from breachdesk.timeutil import utcnow

JOB_ID = "dispatch-due"
SEND_JOB_ID = "deliver-outbox"
RETENTION_JOB_ID = "retention"
PLAN_EVERY_SECONDS = 5
SEND_EVERY_SECONDS = 10
#: A run starts no new batch after this, so runs never pile up behind each other.
BUDGET_SECONDS = 45.0
LOCK_NAME = "scheduler.lock"
#: The advisory lock's key on PostgreSQL: "bdsched" as a number, any constant would do.
ADVISORY_LOCK_KEY = int.from_bytes(b"bdsched", "big")
WAIT_SECONDS = 5.0

log = logging.getLogger(__name__)


def _plain_database_problems(job: Callable[[Flask], None]) -> Callable[[Flask], None]:
    """A full or read-only database is one line in the log per run, not a traceback."""

    @functools.wraps(job)
    def run(app: Flask) -> None:
        try:
            job(app)
        except SQLAlchemyError as exc:
            problem = database_problem(exc)
            if problem is None:
                raise
            log.error("%s The %s job tries again at its next run.", problem, job.__name__)

    return run


@_plain_database_problems
def sweep(app: Flask) -> None:
    """One pass of planning: queue every due reminder in the outbox."""
    from breachdesk.extensions import db
    from breachdesk.services.reminders import sweep as reminders

    with app.app_context():
        try:
            base_url = app.config.get("PUBLIC_URL") or ""
            result = reminders.dispatch_due(utcnow(), base_url, BUDGET_SECONDS)
            if result.queued:
                log.info("reminders queued %d (%d emails)", result.queued, result.messages)
        finally:
            db.session.remove()


@_plain_database_problems
def send(app: Flask) -> None:
    """One pass of sending: hand the outbox to SMTP if a server is configured."""
    from breachdesk.extensions import db
    from breachdesk.services.reminders import mail
    from breachdesk.services.reminders.outbox import deliver_outbox

    with app.app_context():
        try:
            mailer = mail.mailer_for(app.config)
            delivery = deliver_outbox(utcnow(), mailer, BUDGET_SECONDS)
            if delivery.delivered or delivery.failed:
                log.info("emails delivered %d, failed %d", delivery.delivered, delivery.failed)
        finally:
            db.session.remove()


@_plain_database_problems
def remove_due_personal_data(app: Flask) -> None:
    """Once a day: personal data in closed incidents past the profile's period goes."""
    from breachdesk.desk import get_profile
    from breachdesk.extensions import db
    from breachdesk.services import retention
    from breachdesk.services.evidence_storage import EvidenceFolder

    with app.app_context():
        try:
            result = retention.run(get_profile(), utcnow(), EvidenceFolder.from_config(app.config))
            if result.due:
                log.info("personal data removed from %d closed incidents", len(result.due))
        finally:
            db.session.remove()


def build_scheduler(app: Flask, blocking: bool = False) -> BaseScheduler:
    """A scheduler holding the planning, sending and daily retention jobs, all run at start."""
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = scheduler_class(
        timezone=UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    jobs = ((JOB_ID, sweep, PLAN_EVERY_SECONDS), (SEND_JOB_ID, send, SEND_EVERY_SECONDS))
    for job_id, job, every in jobs:
        scheduler.add_job(
            job,
            "interval",
            seconds=every,
            id=job_id,
            replace_existing=True,
            args=[app],
            coalesce=True,  # after a pause, one run catches up on everything: it is idempotent
            max_instances=1,
            # First run at start-up: reminders missed while stopped go now, marked late.
            next_run_time=utcnow(),
        )
    scheduler.add_job(
        remove_due_personal_data,
        "interval",
        hours=24,
        id=RETENTION_JOB_ID,
        replace_existing=True,
        args=[app],
        coalesce=True,
        max_instances=1,
        next_run_time=utcnow(),
    )
    return scheduler


def lock_path(app: Flask) -> Path:
    return Path(app.instance_path) / LOCK_NAME


def try_lock(app: Flask, wait: bool = False) -> SchedulerLock | None:
    """Take the scheduler lock; None if another scheduler holds it and ``wait`` is False."""
    while True:
        held = _database_lock(app) if _on_postgres(app) else _file_lock(app)
        if held is not None or not wait:
            return held
        time.sleep(WAIT_SECONDS)


class SchedulerLock(Protocol):
    def close(self) -> None: ...


def _on_postgres(app: Flask) -> bool:
    from breachdesk.extensions import db

    with app.app_context():
        return db.engine.dialect.name == "postgresql"


def _file_lock(app: Flask) -> IO[str] | None:
    from breachdesk.startup import StartupError

    try:
        os.makedirs(app.instance_path, exist_ok=True)
        handle = open(lock_path(app), "a+")  # noqa: SIM115 - held open for the process's life
    except OSError as exc:
        raise StartupError.writing(exc, "the scheduler's lock file") from exc
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


class _AdvisoryLock:
    """A PostgreSQL advisory lock, held as long as its own connection stays open."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def close(self) -> None:
        try:
            self.connection.execute(_UNLOCK, {"key": ADVISORY_LOCK_KEY})
        finally:
            self.connection.close()


_TRY_LOCK = text("SELECT pg_try_advisory_lock(:key)")
_UNLOCK = text("SELECT pg_advisory_unlock(:key)")


def _database_lock(app: Flask) -> _AdvisoryLock | None:
    from breachdesk.extensions import db

    with app.app_context():
        # Autocommit: the connection holds the lock, never an open transaction.
        connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    if connection.execute(_TRY_LOCK, {"key": ADVISORY_LOCK_KEY}).scalar():
        return _AdvisoryLock(connection)
    connection.close()
    return None


def start_in_process(app: Flask) -> BaseScheduler | None:
    """Start the background scheduler for the single-process demo, unless one already runs."""
    handle = try_lock(app)
    if handle is None:
        log.info("another process runs the reminder scheduler; not starting one here")
        return None
    scheduler = build_scheduler(app)
    scheduler.start()
    # Keep the lock open as long as the scheduler; both end with the process.
    scheduler._breachdesk_lock = handle  # type: ignore[attr-defined]
    atexit.register(_shutdown, scheduler, handle)
    return scheduler


def _shutdown(scheduler: BaseScheduler, handle: SchedulerLock) -> None:
    if scheduler.running:
        scheduler.shutdown(wait=False)
    handle.close()
