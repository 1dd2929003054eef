"""The reminder sweep at 10,000 and 100,000 incidents, a backlog, and how late reminders go.

Run: .venv/bin/python benchmarks/bench_reminders.py [--sizes 10000,100000] [--backends ...]
Targets: a sweep with nothing due costs the same at 10,000 and 100,000 incidents; a backlog
of 10,000 reminders drains within two intervals (120 s); over a simulated three days,
reminders go a median under 5 s and at worst under 60 s after their time.

1. For each database and size, a desk seeded as ``breachdesk demo --incidents N`` seeds it
   (three in four open, ages over three years, the reminders already sent):
   - nothing due: the sweep right after seeding, median of 5, with its statement count;
   - a backlog: 10,000 more incidents that all reached their +24h reminder a minute ago;
     sweeps run back to back (each capped at 45 s, as the scheduler's are) until none is
     left, and the time they took in all is the drain time.
2. Lateness: the scheduler's sweep (every 5 s) simulated over 3 days with 100 incidents known
   at random moments,
   on a fresh desk; a reminder's lateness is the gap from its due time to the sweep that
   picked it up, plus that sweep's measured run time.

Two floors are printed with the figures: one bare sweep on an empty desk, and a bare
interpreter loop, which shows how loaded the shared machine was.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import databases  # noqa: E402
from common import interpreter_floor  # noqa: E402
from common import options  # noqa: E402

from breachdesk import create_app  # noqa: E402
from breachdesk.desk import get_desk  # noqa: E402
from breachdesk.extensions import db  # noqa: E402
from breachdesk.models import Incident  # noqa: E402
from breachdesk.models import Reminder  # noqa: E402
from breachdesk.models import User  # noqa: E402
from breachdesk.scheduler import BUDGET_SECONDS  # noqa: E402
from breachdesk.scheduler import PLAN_EVERY_SECONDS  # noqa: E402
from breachdesk.services import demo  # noqa: E402
from breachdesk.services import demo_bulk  # noqa: E402
from breachdesk.services.reminders import sweep as reminders  # noqa: E402

BACKLOG = 10_000
INTERVAL = timedelta(seconds=PLAN_EVERY_SECONDS)


def make_app(url: str, folder: Path):
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url,
            "PROFILE": "odl",
            "EVIDENCE_DIR": str(folder / "evidence"),
        }
    )
    with app.app_context():
        db.create_all()
        demo.load_demo(get_desk().profile)
    return app


def add_incidents(aware_times: list[datetime]) -> None:
    """Incidents in bulk, one per awareness instant, each to be looked at by the next sweep."""
    reporter_id = db.session.scalar(select(User.id).where(User.username == "sam"))
    start = db.session.scalar(select(func.max(Incident.number))) or 0
    rows = [
        {
            "year": 2099,  # a year of their own: numbers never meet the seeded ones
            "number": start + n + 1,
            "reference": f"BD-2099-{start + n + 1:06d}",
            "reporter_id": reporter_id,
            "description": "Benchmark incident.",
            "noticed_at": aware,
            "reported_at": aware,
            "aware_at": aware,
        }
        for n, aware in enumerate(aware_times)
    ]
    for chunk in range(0, len(rows), 1000):
        db.session.execute(insert(Incident), rows[chunk : chunk + 1000])
    db.session.commit()


def timed_sweep(now: datetime, budget: float | None = None):
    started = time.perf_counter()
    result = reminders.dispatch_due(now, "", budget)
    return time.perf_counter() - started, result


def counted_sweep(now: datetime) -> int:
    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        reminders.dispatch_due(now)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:7.1f} ms, worst {max(values) * 1000:7.1f} ms"


def sweep_costs(backend: str, size: int, new_database) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        url = new_database(backend, folder, f"rem_{size}")
        app = make_app(url, folder)
        with app.app_context():
            empty = [timed_sweep(datetime.now(UTC))[0] for _ in range(5)]
            now = datetime.now(UTC).replace(microsecond=0)
            started = time.perf_counter()
            demo_bulk.seed(size, get_desk().profile, get_desk().playbooks, now)
            seeded = time.perf_counter() - started
            sent = db.session.scalar(select(func.count()).select_from(Reminder))
            load, floor = os.getloadavg()[0], interpreter_floor()
            print(
                f"\n{backend}, {size:,} incidents (seeded in {seeded:.0f} s, {sent:,} reminders "
                f"already sent); load average {load:.1f}; bare interpreter {floor:.1f} ms"
            )
            print(f"  floor, a sweep of an empty desk:   {ms(empty)}")
            timed_sweep(now)  # the demo's own few incidents, marked for a first look
            nothing = [timed_sweep(now)[0] for _ in range(5)]
            print(f"  nothing due:                       {ms(nothing)}, "
                  f"{counted_sweep(now)} statements")  # fmt: skip
            backlog(now)
            db.session.remove()
            db.engine.dispose()


def backlog(now: datetime) -> None:
    add_incidents([now - timedelta(hours=24, minutes=1, seconds=n % 50) for n in range(BACKLOG)])
    sweeps, total, queued, emails = 0, 0.0, 0, 0
    while True:
        seconds, result = timed_sweep(now, BUDGET_SECONDS)
        sweeps, total = sweeps + 1, total + seconds
        queued, emails = queued + result.queued, emails + result.messages
        if result.queued == 0 and result.planned == 0:
            break
    print(
        f"  backlog of {BACKLOG:,} reminders ({emails:,} emails): {queued:,} queued in "
        f"{sweeps - 1} sweep(s), {total:.1f} s in all (target: within 2 intervals, 120 s)"
    )


def lateness(backend: str, new_database) -> None:
    rng = random.Random(6)
    start = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        app = make_app(new_database(backend, folder, "late"), folder)
        with app.app_context():
            add_incidents(
                [start + timedelta(seconds=rng.uniform(0, 24 * 3600)) for _ in range(100)]
            )
            now = start + timedelta(seconds=rng.uniform(0, PLAN_EVERY_SECONDS))
            durations: dict[datetime, float] = {}
            while now < start + timedelta(days=3):
                durations[now], _ = timed_sweep(now)
                now += INTERVAL
            rows = db.session.execute(
                select(Reminder.due_at, Reminder.sent_at).where(Reminder.sent_at.is_not(None))
            ).all()
            late = [(sent - due).total_seconds() + durations[sent] for due, sent in rows]
            db.session.remove()
            db.engine.dispose()
    print(
        f"\n{backend}, lateness over a simulated 3 days, a sweep every {PLAN_EVERY_SECONDS} s, "
        "100 incidents: "
        f"{len(late)} reminders, median {statistics.median(late):.1f} s late, worst "
        f"{max(late):.1f} s; median sweep {statistics.median(durations.values()) * 1000:.1f} ms"
    )


def main() -> None:
    args = options()
    with databases(args.backends) as new_database:
        for backend in args.backends:
            for size in args.sizes:
                sweep_costs(backend, size, new_database)
            lateness(backend, new_database)


if __name__ == "__main__":
    main()
