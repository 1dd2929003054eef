"""On PostgreSQL a place added while another transaction changes its incident's state still
ends with the state that transaction left (SQLite lets one writer in at a time)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from datetime import datetime

import pytest
from sqlalchemy import text

from breachdesk.extensions import db
from tests.support.reminders import add_incident

BACKENDS = ("postgres",)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def wait_until_blocked(connection, pid: int) -> None:
    """Until ``pid`` waits for a lock: a real server's other session, which the test cannot
    be told about; polled, up to 10 s."""
    query = text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid")
    for _ in range(200):
        if connection.execute(query, {"pid": pid}).scalar() == "Lock":
            return
        time.sleep(0.05)
    pytest.fail("the other session never waited for the incident's lock")


def copies_of(connection, incident_id: int) -> set[tuple[str, str]]:
    query = text("SELECT asset_id, status FROM incident_asset WHERE incident_id = :id")
    return set(connection.execute(query, {"id": incident_id}).all())


@pytest.mark.parametrize("first", ["state changed first", "place added first"])
def test_a_place_added_during_a_change_of_state_ends_with_the_new_state(app, first):
    with app.app_context():
        incident_id = add_incident(NOW).id
        engine = db.engine
    changing, adding = engine.connect(), engine.connect()
    change = text("UPDATE incident SET status = 'triage' WHERE id = :id")
    add = text(
        "INSERT INTO incident_asset (incident_id, asset_id, position) VALUES (:id, 'email', 0)"
    )
    try:
        opener, waiter = (
            (changing, adding) if first == "state changed first" else (adding, changing)
        )
        statement = {changing: change, adding: add}
        opener.execute(statement[opener], {"id": incident_id})
        waiter_pid = waiter.execute(text("SELECT pg_backend_pid()")).scalar()
        with ThreadPoolExecutor(1) as pool:
            waiting = pool.submit(
                lambda: (waiter.execute(statement[waiter], {"id": incident_id}), waiter.commit())
            )
            try:
                wait_until_blocked(opener, waiter_pid)
            finally:  # never leave the other session waiting on a lock: the test would hang
                opener.commit()
            waiting.result(timeout=10)
        assert copies_of(changing, incident_id) == {("email", "triage")}
    finally:
        changing.close()
        adding.close()
