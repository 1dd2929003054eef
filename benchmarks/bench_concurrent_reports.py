"""Reports under load: 20 signed-in staff sessions each send 10 reports at the same moment
to a real threaded server on 127.0.0.1, on SQLite (a file) and on PostgreSQL.

Run: .venv/bin/python benchmarks/bench_concurrent_reports.py
Target: 200 answers of 201, 200 reports stored, 0 duplicate references, 0 lost.
"""

from __future__ import annotations

import http.cookiejar
import re
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler
from werkzeug.serving import make_server

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from breachdesk import create_app  # noqa: E402
from breachdesk.domain.vocabulary import Role  # noqa: E402
from breachdesk.extensions import db  # noqa: E402
from breachdesk.models import Incident  # noqa: E402
from breachdesk.services import accounts  # noqa: E402
from breachdesk.timeutil import LONDON  # noqa: E402
from tests.support import postgres  # noqa: E402

SESSIONS = 20
REPORTS_EACH = 10
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


class Session:
    """One person's browser: its own cookies, its own CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=120) as response:
            return response.read().decode()

    def post(self, path: str, fields: dict) -> int:
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        try:
            with self.opener.open(self.base + path, data=data, timeout=120) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def token(self, path: str) -> str:
        return TOKEN.search(self.get(path)).group(1)


def run(label: str, database_url: str, folder: Path) -> None:
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "EVIDENCE_DIR": str(folder / "evidence"),
        }
    )
    with app.app_context():
        db.create_all()
        accounts.create_user("dana", "dana-password-1", [Role.DPO])
        for n in range(SESSIONS):
            accounts.create_user(f"staff{n}", f"staff{n}-password-1", [Role.STAFF])
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    sessions = []
    for n in range(SESSIONS):
        session = Session(base)
        login = {"username": f"staff{n}", "password": f"staff{n}-password-1"}
        session.post("/auth/login", {**login, "csrf_token": session.token("/auth/login")})
        sessions.append((session, session.token("/report/new")))
    start = threading.Barrier(SESSIONS)
    noticed = (datetime.now(LONDON) - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")

    def send(n: int) -> list[int]:
        session, token = sessions[n]
        start.wait()
        answers = []
        for k in range(REPORTS_EACH):
            fields = {
                "csrf_token": token,
                "description": f"Report {n}-{k}: a laptop left on the train.",
                "noticed_at": noticed,
                "assets": ["not-sure"],
                "ongoing": "no",
            }
            answers.append(session.post("/report/new", fields))
        return answers

    began = time.perf_counter()
    with ThreadPoolExecutor(SESSIONS) as pool:
        answers = Counter(code for codes in pool.map(send, range(SESSIONS)) for code in codes)
    seconds = time.perf_counter() - began
    server.shutdown()
    with app.app_context():
        rows = db.session.execute(select(Incident.reference, Incident.description)).all()
        db.engine.dispose()
    duplicates = len(rows) - len({reference for reference, _ in rows})
    lost = SESSIONS * REPORTS_EACH - len({description for _, description in rows})
    print(
        f"{label:<10} {SESSIONS * REPORTS_EACH} reports in {seconds:.1f} s: "
        f"answers {dict(sorted(answers.items()))}, stored {len(rows)}, "
        f"duplicate references {duplicates}, lost {lost}"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        run("sqlite", f"sqlite:///{folder / 'bench.sqlite'}", folder)
        if (postgres.PG_BIN / "postgres").exists():
            server = postgres.start()
            try:
                run("postgresql", server.create_database("bench"), folder)
            finally:
                server.stop()


if __name__ == "__main__":
    main()
