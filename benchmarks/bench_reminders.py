"""What the reminder sweep costs with 10,000 open incidents, and how late reminders go.

Run: .venv/bin/python benchmarks/bench_reminders.py
Target: a reminder goes within a minute of its time (the sweep runs every 60 s), so one sweep
over 10,000 open incidents must take well under a minute on file SQLite.

1. Sweep cost, file SQLite, 10,000 open incidents:
   - nothing due: every incident became known in the last 23 hours;
   - steady state: every incident is 30 hours in, its +24h reminder already sent;
   - a batch due: 100 of those reach their +48h reminder at once (300 emails queued).
2. Lateness: a simulated run of the 60 s sweep over 3 days with 100 incidents known at
   random moments; a reminder's lateness is the gap from its due time to the sweep that
   picked it up, plus that sweep's measured run time until it committed.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy import insert
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from breachdesk import create_app  # noqa: E402
from breachdesk.domain.vocabulary import Role  # noqa: E402
from breachdesk.extensions import db  # noqa: E402
from breachdesk.models import Incident  # noqa: E402
from breachdesk.models import IncidentEvent  # noqa: E402
from breachdesk.models import OutboxMessage  # noqa: E402
from breachdesk.models import Reminder  # noqa: E402
from breachdesk.services import accounts  # noqa: E402
from breachdesk.services.reminders import sweep as reminders  # noqa: E402

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
OPEN_INCIDENTS = 10_000
BATCH = 100
RUNS = 5
INTERVAL = timedelta(seconds=60)


def make_app(folder: Path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "PROFILE": "odl",
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8 * 1024,
        }
    )
    with app.app_context():
        db.create_all()
        accounts.create_user("dana", "dana-password-1", [Role.DPO], email="dana@odl.example")
        db.session.commit()
    return app


def add_incidents(aware_times: list[datetime]) -> None:
    """Insert incidents in bulk, one per awareness instant."""
    reporter_id = db.session.scalar(select(accounts.User.id))
    start = db.session.scalar(select(db.func.count()).select_from(Incident)) or 0
    rows = [
        {
            "year": 2026,
            "number": start + n + 1,
            "reference": f"BD-2026-{start + n + 1:05d}",
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


def clear() -> None:
    for model in (OutboxMessage, Reminder, IncidentEvent, Incident):
        db.session.execute(delete(model))
    db.session.commit()


def timed_sweep(now: datetime) -> tuple[float, reminders.SweepResult]:
    started = time.perf_counter()
    result = reminders.dispatch_due(now)
    return time.perf_counter() - started, result


def median_sweep(now: datetime) -> tuple[float, float, reminders.SweepResult]:
    times, result = [], None
    for _ in range(RUNS):
        seconds, result = timed_sweep(now)
        times.append(seconds)
    return statistics.median(times), max(times), result


def ms(median: float, worst: float) -> str:
    return f"median {median * 1000:7.1f} ms, worst {worst * 1000:7.1f} ms"


def sweep_cost(app) -> None:
    print(f"Sweep cost, file SQLite, {OPEN_INCIDENTS:,} open incidents ({RUNS} runs each)")
    with app.app_context():
        fresh = [NOW - timedelta(hours=20, seconds=n) for n in range(OPEN_INCIDENTS)]
        add_incidents(fresh)
        median, worst, result = median_sweep(NOW)
        print(f"  nothing due:             {ms(median, worst)}")
        clear()

        quiet = [NOW - timedelta(hours=30, seconds=n) for n in range(OPEN_INCIDENTS - BATCH)]
        # Their +48h reminders fall due in the 50 s before NOW.
        ripe = [NOW - timedelta(hours=48, seconds=n / 2) for n in range(BATCH)]
        add_incidents(quiet + ripe)
        # Bring every incident to the steady state: its past reminders already sent.
        first_seconds, first = timed_sweep(NOW - timedelta(minutes=2))
        print(
            f"  first sweep sending {first.queued:,} reminders ({first.messages:,} emails): "
            f"{first_seconds:.1f} s ({first_seconds / max(first.queued, 1) * 1000:.1f} ms each)"
        )
        median, worst, _ = median_sweep(NOW - timedelta(seconds=90))
        print(f"  steady, nothing new due: {ms(median, worst)}")
        seconds, batch = timed_sweep(NOW)
        print(
            f"  a batch due ({batch.queued} reminders, {batch.messages} emails): "
            f"{seconds * 1000:7.1f} ms"
        )
        clear()


def lateness(app) -> None:
    print("Lateness over a simulated 3-day run, 60 s sweeps, 100 incidents")
    rng = random.Random(6)
    start = NOW
    with app.app_context():
        aware = [start + timedelta(seconds=rng.uniform(0, 24 * 3600)) for _ in range(100)]
        add_incidents(aware)
        now = start + timedelta(seconds=rng.uniform(0, 60))
        durations: dict[datetime, float] = {}
        while now < start + timedelta(days=4):
            seconds, _ = timed_sweep(now)
            durations[now] = seconds
            now += INTERVAL
        rows = db.session.execute(
            select(Reminder.due_at, Reminder.sent_at).where(Reminder.sent_at.is_not(None))
        )
        late = [(sent - due).total_seconds() + durations[sent] for due, sent in rows]
    print(
        f"  {len(late)} reminders over {len(durations):,} sweeps: median "
        f"{statistics.median(late):.1f} s late, worst {max(late):.1f} s; "
        f"median sweep {statistics.median(durations.values()) * 1000:.1f} ms"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder))
        sweep_cost(app)
        lateness(app)
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
