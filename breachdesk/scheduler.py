"""The reminder scheduler: plain APScheduler 3.x waking one idempotent sweep every minute.

The state is in our tables, not in APScheduler: the job store is the default in-memory one
and holds exactly one job, "dispatch-due". Sending once is guaranteed by the row claims in
``services.reminders``, so even two schedulers at once only duplicate work, not email. The
in-process scheduler of the one-machine demo also takes ``instance/scheduler.lock`` with
``fcntl.flock``, so a second process skips starting one; the lock goes when the process dies.
Nothing here is started by the app factory.
"""

from __future__ import annotations

import atexit
import fcntl
import logging
import os
from datetime import UTC
from pathlib import Path
from typing import IO

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from breachdesk.timeutil import utcnow

JOB_ID = "dispatch-due"
INTERVAL_SECONDS = 60
LOCK_NAME = "scheduler.lock"

log = logging.getLogger(__name__)


def sweep(app: Flask) -> None:
    """One pass: queue every due reminder, then hand the outbox to SMTP if configured."""
    from breachdesk.extensions import db
    from breachdesk.services.reminders import mail
    from breachdesk.services.reminders import sweep as reminders

    with app.app_context():
        try:
            now = utcnow()
            result = reminders.dispatch_due(now)
            delivery = reminders.deliver_outbox(now, mail.mailer_for(app.config))
            if result.queued or delivery.delivered or delivery.failed:
                log.info(
                    "reminders queued %d, emails delivered %d, failed %d",
                    result.queued,
                    delivery.delivered,
                    delivery.failed,
                )
        finally:
            db.session.remove()


def build_scheduler(app: Flask, blocking: bool = False) -> BaseScheduler:
    """A scheduler holding the single "dispatch-due" job, run every 60 s and at start."""
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = scheduler_class(
        timezone=UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    scheduler.add_job(
        sweep,
        "interval",
        seconds=INTERVAL_SECONDS,
        id=JOB_ID,
        replace_existing=True,
        args=[app],
        coalesce=True,  # after a pause, one sweep catches up on everything: it is idempotent
        max_instances=1,
        # First sweep at start-up: reminders missed while stopped go now, marked late.
        next_run_time=utcnow(),
    )
    return scheduler


def lock_path(app: Flask) -> Path:
    return Path(app.instance_path) / LOCK_NAME


def try_lock(app: Flask, wait: bool = False) -> IO[str] | None:
    """Take the scheduler lock; None if another process holds it and ``wait`` is False."""
    os.makedirs(app.instance_path, exist_ok=True)
    handle = open(lock_path(app), "a+")  # noqa: SIM115 - held open for the process's life
    flags = fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB)
    try:
        fcntl.flock(handle.fileno(), flags)
    except BlockingIOError:
        handle.close()
        return None
    return handle


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


def _shutdown(scheduler: BaseScheduler, handle: IO[str]) -> None:
    if scheduler.running:
        scheduler.shutdown(wait=False)
    handle.close()
