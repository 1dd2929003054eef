"""How fast the whole register exports, and in how much memory, at 100,000 incidents.

Run: .venv/bin/python benchmarks/bench_register_export.py [INCIDENTS]
Seeds a file SQLite database in a temporary folder (bulk inserts, bounded: INCIDENTS at
most 200,000), half the incidents decided, a quarter told to the ICO, then writes the CSV
and the JSON export to files, timing each and measuring the Python heap's peak with
tracemalloc and the process's peak resident memory.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from breachdesk import create_app  # noqa: E402
from breachdesk.desk import get_profile  # noqa: E402
from breachdesk.domain.vocabulary import Role  # noqa: E402
from breachdesk.extensions import db  # noqa: E402
from breachdesk.models import Assessment  # noqa: E402
from breachdesk.models import Incident  # noqa: E402
from breachdesk.models import IncidentAsset  # noqa: E402
from breachdesk.models import NoticeRecord  # noqa: E402
from breachdesk.services import accounts  # noqa: E402
from breachdesk.services import register_export  # noqa: E402
from breachdesk.services import register_formats  # noqa: E402

START = datetime(2022, 1, 1, 9, 0, tzinfo=UTC)
LIMIT = 200_000
CHUNK = 5_000


def seed(count: int) -> None:
    dana = accounts.create_user("dana", "dana-password-1", [Role.DPO], display_name="Dana")
    db.session.commit()
    assets = get_profile().asset_ids
    for first in range(0, count, CHUNK):
        numbers = range(first + 1, min(first + CHUNK, count) + 1)
        rows = []
        for n in numbers:
            aware = START + timedelta(minutes=17 * n)
            rows.append(
                {
                    "id": n,
                    "year": aware.year,
                    "number": n,
                    "reference": f"BD-{aware.year}-{n:06d}",
                    "reporter_id": dana.id,
                    "status": "closed" if n % 3 == 0 else "assessed",
                    "description": f"Incident {n}: a laptop with patient records left on a train.",
                    "noticed_at": aware,
                    "reported_at": aware,
                    "aware_at": aware,
                    "closed_at": aware + timedelta(days=20) if n % 3 == 0 else None,
                    "closing_summary": "Recovered; encrypted." if n % 3 == 0 else None,
                    "data_categories": ["health", "contact"],
                    "data_notes": "",
                    "people_count": n % 500,
                    "ongoing": "no",
                    "others_aware": "",
                    "deadline_at": aware + timedelta(hours=72),
                    "clocks_stopped": n % 2 == 0,
                }
            )
        db.session.execute(insert(Incident), rows)
        db.session.execute(
            insert(IncidentAsset),
            [
                {"incident_id": n, "asset_id": assets[n % len(assets)], "position": 0}
                for n in numbers
            ],
        )
        decided = [n for n in numbers if n % 2 == 0]
        db.session.execute(
            insert(Assessment),
            [
                {
                    "incident_id": n,
                    "decided_at": START + timedelta(minutes=17 * n, hours=5),
                    "decided_by_id": dana.id,
                    "facts": {},
                    "recommendation": {"reasons": [{"text": "Health data of many patients."}]},
                    "engine_version": "bench",
                    "risk": "high",
                    "notify_ico": n % 4 == 0,
                    "notify_people": "no",
                }
                for n in decided
            ],
        )
        db.session.execute(
            insert(NoticeRecord),
            [
                {
                    "incident_id": n,
                    "audience": "ico",
                    "told_at": START + timedelta(minutes=17 * n, hours=30),
                    "reference": f"ICO-{n}",
                    "channel": "online form",
                    "recipient": "ICO",
                    "recorded_by_id": dana.id,
                    "recorded_at": START + timedelta(minutes=17 * n, hours=30),
                }
                for n in decided
                if n % 4 == 0
            ],
        )
        db.session.commit()


def timed_export(kind: str, target: Path) -> tuple[float, int]:
    profile, now = get_profile(), datetime(2026, 11, 20, tzinfo=UTC)
    records = register_export.iter_records(profile, now)
    if kind == "csv":
        chunks = register_formats.export_csv(records)
    else:
        chunks = register_formats.export_json(records, register_export.export_header(profile, now))
    tracemalloc.start()
    started = time.perf_counter()
    with target.open("w", encoding="utf-8", newline="") as handle:
        for chunk in chunks:
            handle.write(chunk)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    db.session.remove()
    return elapsed, peak


def main() -> int:
    count = min(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, LIMIT)
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
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
            started = time.perf_counter()
            seed(count)
            print(f"seeded {count:,} incidents in {time.perf_counter() - started:.1f} s")
            assert db.session.scalar(select(db.func.count()).select_from(Incident)) == count
            for kind in ("csv", "json"):
                target = folder / f"register.{kind}"
                elapsed, peak = timed_export(kind, target)
                size = target.stat().st_size
                print(
                    f"{kind}: {count:,} incidents in {elapsed:.1f} s "
                    f"({count / elapsed:,.0f} incidents/s), {size / 1e6:.1f} MB written, "
                    f"Python heap peak {peak / 1e6:.1f} MB"
                )
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"process peak resident memory (seeding included): {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
