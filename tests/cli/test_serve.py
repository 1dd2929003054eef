"""`breachdesk serve`: gunicorn with several workers, and the scheduler in one place only."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select

from breachdesk import create_app
from breachdesk import scheduler
from breachdesk.extensions import db
from breachdesk.models import OutboxMessage
from tests.conftest import REPO
from tests.support.reminders import add_incident
from tests.support.reminders import free_port

SECRET = "serve-test-secret"


@pytest.fixture(autouse=True)
def own_instance(tmp_path, monkeypatch) -> None:
    """Each test its own instance folder, for the server it starts and the apps here: two
    tests running at once never see each other's scheduler lock."""
    monkeypatch.setenv("BREACHDESK_INSTANCE_PATH", str(tmp_path / "instance"))


@pytest.fixture
def database(tmp_path) -> str:
    """A desk with one incident whose +24h reminder fell due a minute ago."""
    url = f"sqlite:///{tmp_path / 'served.sqlite'}"
    app = create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": url, "PROFILE": "odl"})
    with app.app_context():
        db.create_all()
        add_incident(datetime.now(UTC) - timedelta(hours=24, minutes=1))
        db.engine.dispose()
    return url


def serve(url: str, tmp_path: Path, *options: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {
        **os.environ,
        "BREACHDESK_DATABASE_URL": url,
        "BREACHDESK_SECRET_KEY": SECRET,
        "BREACHDESK_EVIDENCE_DIR": str(tmp_path / "evidence"),
    }
    command = [str(REPO / ".venv" / "bin" / "breachdesk"), "serve", "--port", str(port), *options]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as answer:
                assert answer.status == 200
                return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise AssertionError(server.stdout.read().decode())


def stop(server: subprocess.Popen) -> str:
    server.send_signal(signal.SIGTERM)
    output, _ = server.communicate(timeout=30)
    return output.decode()


def workers_of(server: subprocess.Popen) -> set[str]:
    """The server's child processes, whichever of its threads started them."""
    tasks = Path(f"/proc/{server.pid}/task").iterdir()
    return {pid for task in tasks for pid in (task / "children").read_text().split()}


def settled_workers(server: subprocess.Popen, expected: int) -> set[str]:
    """The workers once gunicorn has started ``expected`` of them (or ten seconds passed):
    the first may answer before the last is forked."""
    deadline = time.monotonic() + 10
    while len(found := workers_of(server)) < expected and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def queued(url: str) -> int:
    app = create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": url, "PROFILE": "odl"})
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        db.engine.dispose()
    return count


def test_serve_runs_several_workers_and_no_scheduler_when_told(database, tmp_path):
    app = create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": database})
    server, port = serve(database, tmp_path, "--workers", "2", "--no-scheduler")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/auth/login", timeout=10) as page:
            assert b"Sign in" in page.read()
        assert len(settled_workers(server, 2)) == 2
        free = scheduler.try_lock(app)  # no scheduler in the server holds it
        assert free is not None
        free.close()
        assert queued(database) == 0
    finally:
        output = stop(server)
    assert "Reminders are left to `breachdesk scheduler`." in output
    assert "Evidence folder checked: 0 file(s) with no record removed" in output


def test_serve_settles_the_evidence_folder_once_before_it_serves(database, tmp_path, monkeypatch):
    from breachdesk import web_server

    evidence = tmp_path / "evidence"
    evidence.mkdir()
    orphan = evidence / ("c" * 32)  # a file whose row was never committed
    orphan.write_bytes(b"2026-11-20 03:12 outbound 4.2 GB\n")
    app = create_app(
        {"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": database, "EVIDENCE_DIR": str(evidence)}
    )
    served = []
    monkeypatch.setattr(web_server, "serve", lambda *args: served.append(args))

    result = app.test_cli_runner().invoke(args=["serve", "--no-scheduler"])

    assert result.exit_code == 0, result.output
    assert "Evidence folder checked: 1 file(s) with no record removed" in result.output
    assert not orphan.exists()
    assert len(served) == 1


def test_serve_runs_one_scheduler_in_the_main_process_and_it_sends(database, tmp_path):
    app = create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": database})
    server, _ = serve(database, tmp_path, "--workers", "2")
    try:
        deadline = time.monotonic() + 30
        while queued(database) == 0 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert queued(database) > 0  # the overdue +24h reminder was planned and queued
        assert scheduler.try_lock(app) is None  # held by the server: no second scheduler
    finally:
        stop(server)
