"""Reports made at the same moment are all saved, each under its own reference."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import Notification
from tests.conftest import Browser
from tests.web.test_reporting import GOOD_REPORT

# Both databases: each queues concurrent writers its own way.
BACKENDS = ("sqlite", "postgres")

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

REPORTERS = 20


def test_twenty_reports_sent_at_once_are_all_saved(app, make_user):
    make_user("dana", Role.DPO)
    reporters = []
    for n in range(REPORTERS):
        make_user(f"staff{n}", Role.STAFF)
        reporter = Browser(app)
        reporter.login(f"staff{n}")
        reporters.append((reporter, reporter.token("/report/new")))
    start = threading.Barrier(REPORTERS)

    def send(n: int) -> int:
        reporter, token = reporters[n]
        data = {**GOOD_REPORT, "csrf_token": token, "description": f"Report number {n}"}
        start.wait()
        return reporter.client.post("/report/new", data=data).status_code

    with ThreadPoolExecutor(REPORTERS) as pool:
        answers = list(pool.map(send, range(REPORTERS)))

    assert answers == [303] * REPORTERS  # each saved, then sent on to its first steps
    with app.app_context():
        saved = db.session.scalars(select(Incident)).all()
        alerts = db.session.scalars(select(Notification.message)).all()
    assert sorted(i.description for i in saved) == sorted(f"Report number {n}" for n in range(20))
    assert sorted(i.number for i in saved) == list(range(1, REPORTERS + 1))
    assert len({i.reference for i in saved}) == REPORTERS
    assert len([a for a in alerts if a.startswith("New suspected breach")]) == REPORTERS
