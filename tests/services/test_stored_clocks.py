"""The clock columns stored on each incident follow every change, however it is made."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import select

from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.services import closing
from breachdesk.services import incidents as incident_service
from breachdesk.services.clocks import incident_clocks
from breachdesk.services.notices import record_notice
from tests.support.profiles import serve_profile
from tests.support.reminders import add_incident
from tests.support.reminders import decide
from tests.support.reminders import reporter

AWARE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
NOW = "2026-11-20 12:00:00"


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


def stored(incident: Incident) -> tuple[datetime, bool, bool | None]:
    db.session.expire_all()
    row = db.session.execute(
        select(Incident.deadline_at, Incident.clocks_stopped, Incident.notify_ico).where(
            Incident.id == incident.id
        )
    ).one()
    return row.deadline_at, row.clocks_stopped, row.notify_ico


@pytest.mark.freeze_time(NOW)
def test_a_new_incident_stores_the_ico_deadline_72_hours_from_awareness(ctx):
    incident = add_incident(AWARE)

    assert stored(incident) == (AWARE + timedelta(hours=72), False, None)


@pytest.mark.freeze_time(NOW)
def test_moving_awareness_moves_the_stored_deadline(ctx):
    incident = add_incident(AWARE)

    earlier = AWARE - timedelta(hours=5)
    incident_service.change_awareness(incident, reporter(), earlier, "Found an earlier email.")

    assert stored(incident)[0] == earlier + timedelta(hours=72)
    assert incident.deadline_at == earlier + timedelta(hours=72)  # the loaded object too


@pytest.mark.freeze_time(NOW)
def test_without_a_promise_telling_people_stores_no_deadline_once_the_ico_is_told(ctx):
    incident = add_incident(AWARE)
    decide(incident, AWARE + timedelta(hours=2), notify_ico=True, notify_people="yes")
    assert stored(incident) == (AWARE + timedelta(hours=72), False, True)

    told = AWARE + timedelta(hours=3)
    record_notice(incident, "ico", told, "ICO-1", "online form", "ICO", None, reporter())

    # ODL promises no time (Art. 34(1): without undue delay): no deadline is invented.
    assert stored(incident) == (AWARE + timedelta(hours=72), True, True)
    assert incident_clocks(incident, told).people_deadline is None


@pytest.mark.freeze_time(NOW)
def test_a_promise_to_tell_people_stays_the_running_deadline_once_the_ico_is_told(app):
    with serve_profile(app, "sunray").app_context():
        incident = add_incident(AWARE)
        decide(incident, AWARE + timedelta(hours=2), notify_ico=True, notify_people="yes")

        told = AWARE + timedelta(hours=3)
        record_notice(incident, "ico", told, "ICO-1", "online form", "ICO", None, reporter())

        promised = AWARE + timedelta(hours=72)  # from awareness, not from the decision
        assert stored(incident) == (promised, False, True)
        assert incident_clocks(incident, told).people.due_at == promised


@pytest.mark.freeze_time(NOW)
def test_a_decision_not_to_notify_stops_the_clocks_and_is_stored(ctx):
    incident = add_incident(AWARE)

    decide(incident, AWARE + timedelta(hours=1), notify_ico=False)

    assert stored(incident) == (AWARE + timedelta(hours=72), True, False)


@pytest.mark.freeze_time(NOW)
def test_closing_stops_the_clocks_and_reopening_restarts_them(ctx):
    incident = add_incident(AWARE)

    closing.close(incident, reporter(), "Contained.", "")
    assert stored(incident)[1] is True
    closing.reopen(incident, reporter(), "Found more affected files.")
    assert stored(incident)[1] is False
