"""An incident's rows are read once per request, and never served stale after a change."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest
from sqlalchemy import event

from breachdesk.extensions import db
from breachdesk.models import NoticeRecord
from breachdesk.services.incident_rows import rows_of
from breachdesk.services.notices import notices_of
from tests.support.reminders import add_incident
from tests.support.reminders import reporter

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def notice(incident, reference: str) -> NoticeRecord:
    return NoticeRecord(
        incident_id=incident.id,
        audience="ico",
        told_at=NOW,
        reference=reference,
        channel="online form",
        recipient="ICO",
        recorded_by_id=reporter().id,
        recorded_at=NOW,
    )


@pytest.fixture
def statements(app):
    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine, "before_cursor_execute", count)


def test_the_rows_are_read_once_however_many_ask(app, statements):
    with app.app_context():
        incident = add_incident(NOW)
        incident_id = incident.id  # loaded again after the commit
        statements.clear()

        first = notices_of(incident)
        again = rows_of(NoticeRecord, incident_id)

        assert first == again == []
        assert len(statements) == 1


def test_a_row_added_in_the_same_request_is_among_them(app):
    with app.app_context():
        incident = add_incident(NOW)
        assert notices_of(incident) == []

        db.session.add(notice(incident, "ICO-1"))  # not flushed yet

        assert [n.reference for n in notices_of(incident)] == ["ICO-1"]


def test_after_a_commit_or_a_rollback_they_are_read_again(app, statements):
    with app.app_context():
        incident = add_incident(NOW)
        notices_of(incident)
        db.session.add(notice(incident, "ICO-1"))
        db.session.commit()
        assert [n.reference for n in notices_of(incident)] == ["ICO-1"]

        db.session.add(notice(incident, "ICO-2"))
        db.session.flush()
        assert len(notices_of(incident)) == 2
        db.session.rollback()

        assert [n.reference for n in notices_of(incident)] == ["ICO-1"]
