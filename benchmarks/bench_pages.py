"""The pages at 10,000 and 100,000 incidents, served as in production, against their floors.

Run: .venv/bin/python benchmarks/bench_pages.py [--sizes 10000,100000] [--backends sqlite,postgres]
Target: every page within 5x the app's own /health, at both sizes (no page slows in
proportion to the data), and the server's memory flat in the number of incidents.

For each database and size: a fresh desk is seeded (``breachdesk demo --incidents N``'s
seeding), ``breachdesk serve --no-scheduler`` (gunicorn) serves it with two workers on
127.0.0.1, the DPO signs in, and the pages are fetched in interleaved rounds: /health, the
dashboard, the register's first page, the register filtered by state and place, then with
a common word as well, an incident page and the report form. Each page's SQL statements are
counted separately through the app in-process. Two floors are measured in the same
run: the app's own /health, and a bare interpreter (a fixed pure-Python loop), which shows
how loaded the shared machine was at the time.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from subprocess import STDOUT

from sqlalchemy import event
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import databases  # noqa: E402
from common import interpreter_floor  # noqa: E402
from common import options  # noqa: E402

from breachdesk import create_app  # noqa: E402
from breachdesk.desk import get_desk  # noqa: E402
from breachdesk.extensions import db  # noqa: E402
from breachdesk.models import Incident  # noqa: E402
from breachdesk.models import IncidentStatus  # noqa: E402
from breachdesk.services import demo  # noqa: E402
from breachdesk.services import demo_bulk  # noqa: E402
from breachdesk.timeutil import utcnow  # noqa: E402
from tests.conftest import Browser  # noqa: E402
from tests.support import postgres  # noqa: E402

WORKERS = 2
SECRET = "bench-secret-key"  # noqa: S105 - a throwaway desk on loopback


def pages(reference: str) -> dict[str, str]:
    return {
        "/health": "/health",
        "dashboard": "/incidents/",
        "register, first page": "/register/",
        "register, filtered": "/register/?state=notified&asset=lab-server",
        # "email" is in a quarter of the seeded descriptions: too common to count, so the page
        # says so and reads the place's notified incidents newest first, each asked whether it
        # holds the word (``services.word_search``, ``incident_lists._place_register``).
        "register, word search": "/register/?state=notified&asset=lab-server&q=email",
        "incident page": f"/incidents/{reference}",
        "report form": "/report/new",
    }


def config(url: str, folder: Path) -> dict:
    return {
        "SECRET_KEY": SECRET,
        "SQLALCHEMY_DATABASE_URI": url,
        "PROFILE": "odl",
        "EVIDENCE_DIR": str(folder / "evidence"),
    }


def seed(url: str, folder: Path, size: int) -> tuple[float, str]:
    """A desk of ``size`` incidents; the seconds it took and an open incident's reference."""
    app = create_app(config(url, folder))
    with app.app_context():
        db.create_all()
        desk = get_desk()
        demo.load_demo(desk.profile)
        started = time.perf_counter()
        demo_bulk.seed(size, desk.profile, desk.playbooks, utcnow())
        seconds = time.perf_counter() - started
        reference = db.session.scalar(
            select(Incident.reference)
            .where(Incident.status == IncidentStatus.TRIAGE)
            .order_by(Incident.id.desc())
        )
        db.engine.dispose()
    return seconds, reference


def statement_counts(url: str, folder: Path, urls: dict[str, str]) -> dict[str, int]:
    app = create_app(config(url, folder))
    with app.app_context():
        engine = db.engine
    client = Browser(app)
    client.login("dpo", "dpo-demo-password")
    counts = {}
    for name, path in urls.items():
        seen: list[str] = []

        def count(conn, cursor, statement, *args, seen=seen) -> None:
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            assert client.get(path).status_code == 200, path
        finally:
            event.remove(engine, "before_cursor_execute", count)
        counts[name] = len(seen)
    engine.dispose()
    return counts


@contextmanager
def gunicorn(url: str, folder: Path):
    port = postgres.free_port()
    env = {
        **os.environ,
        "BREACHDESK_DATABASE_URL": url,
        "BREACHDESK_SECRET_KEY": SECRET,
        "BREACHDESK_EVIDENCE_DIR": str(folder / "evidence"),
    }
    # The web process exactly as the README runs it for real: gunicorn's threaded workers.
    command = [str(Path(sys.executable).with_name("breachdesk")), "serve", "--no-scheduler",
               "--workers", str(WORKERS), "--port", str(port)]  # fmt: skip
    log = folder / "server.log"  # its start-up lines and gunicorn's: shown only if it fails
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                get(port, "/health")
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"the server did not start:\n{log.read_text()}")
        yield port, server.pid
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def get(port: int, path: str, cookie: str = "") -> tuple[int, bytes, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Set-Cookie") or ""
    finally:
        connection.close()


def sign_in(port: int) -> str:
    status, body, set_cookie = get(port, "/auth/login")
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1)
    cookie = set_cookie.split(";")[0]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    form = f"csrf_token={token.decode()}&username=dpo&password=dpo-demo-password"
    connection.request(
        "POST",
        "/auth/login",
        body=form,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    response = connection.getresponse()
    response.read()
    assert response.status == 302, response.status
    cookies = [v for k, v in response.getheaders() if k == "Set-Cookie"]
    return next(c.split(";")[0] for c in cookies if c.startswith("breachdesk_session="))


def memory_mb(master_pid: int) -> tuple[float, float]:
    """Resident memory of the biggest worker and of the whole server, in MB."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = {pid: rss(pid) for pid in [str(master_pid), *children]}
    workers = [size for pid, size in sizes.items() if pid != str(master_pid)]
    return max(workers), sum(sizes.values())


def rss(pid: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(port: int, urls: dict[str, str], rounds: int) -> dict[str, list[float]]:
    cookie = sign_in(port)
    for path in urls.values():  # warm both workers' caches once
        get(port, path, cookie)
        get(port, path, cookie)
    times: dict[str, list[float]] = {name: [] for name in urls}
    for _ in range(rounds):
        for name, path in urls.items():  # interleaved: load on the machine hits all alike
            started = time.perf_counter()
            status, _, _ = get(port, path, cookie)
            times[name].append((time.perf_counter() - started) * 1000)
            assert status == 200, (path, status)
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def run(backend: str, size: int, rounds: int, new_database) -> None:
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        url = new_database(backend, folder, f"pages_{size}")
        seconds, reference = seed(url, folder, size)
        urls = pages(reference)
        counts = statement_counts(url, folder, urls)
        load = os.getloadavg()[0]
        floor = interpreter_floor()
        with gunicorn(url, folder) as (port, pid):
            times = measure(port, urls, rounds)
            worker_mb, server_mb = memory_mb(pid)
        health = statistics.median(times["/health"])
        print(
            f"\n{backend}, {size:,} incidents (seeded in {seconds:.0f} s); load average "
            f"{load:.1f} on {os.cpu_count()} cores; bare interpreter floor {floor:.1f} ms"
        )
        print(f"  {'page':<22} {'median':>9} {'p95':>9} {'x /health':>10} {'statements':>11}")
        for name, values in times.items():
            median = statistics.median(values)
            print(
                f"  {name:<22} {median:7.1f}ms {p95(values):7.1f}ms {median / health:9.1f}x "
                f"{counts[name]:>11}"
            )
        print(f"  server memory: biggest worker {worker_mb:.0f} MB, all {server_mb:.0f} MB "
              f"({WORKERS} workers and the master)")  # fmt: skip


def main() -> None:
    args = options(rounds=60)
    with databases(args.backends) as new_database:
        for backend in args.backends:
            for size in args.sizes:
                run(backend, size, args.rounds, new_database)


if __name__ == "__main__":
    main()
