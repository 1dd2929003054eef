"""Recording notices, and the clocks they stop: late ones need reasons, decisions count."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select

from breachdesk.domain.clock import LONDON
from breachdesk.domain.clock import Urgency
from breachdesk.extensions import db
from breachdesk.models import AuditEvent
from breachdesk.models import IncidentStatus
from breachdesk.models import NoticeRecord
from breachdesk.services import clocks
from breachdesk.services.notices import NoticeError
from breachdesk.services.notices import record_notice
from tests.support.profiles import serve_profile
from tests.support.reminders import add_incident
from tests.support.reminders import decide
from tests.support.reminders import reporter

AWARE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return AWARE + timedelta(hours=hours)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def sunray_ctx(app):
    """Sunray Vision, whose privacy notice promises to tell customers within 72 hours."""
    with serve_profile(app, "sunray").app_context():
        yield app


def notice_count() -> int:
    return db.session.scalar(select(func.count()).select_from(NoticeRecord))


def tell_ico(incident, hours: float, reasons: str | None = None, reference: str = "ICO-00123"):
    return record_notice(
        incident, "ico", at(hours), reference, "online form", "ICO", reasons, reporter()
    )


# The clocks across the change of clocks


@pytest.mark.parametrize(
    ("aware", "shown", "zone"),
    [
        (datetime(2026, 10, 24, 10, 0, tzinfo=LONDON), "Tue 27 Oct 2026, 09:00 GMT", "GMT"),
        (datetime(2026, 3, 28, 12, 0, tzinfo=LONDON), "Tue 31 Mar 2026, 13:00 BST", "BST"),
    ],
)
def test_the_ico_deadline_is_72_elapsed_hours_shown_in_uk_time_with_its_zone(
    ctx, aware, shown, zone
):
    incident = add_incident(aware.astimezone(UTC))

    state = clocks.ico_clock(incident, aware + timedelta(minutes=30))

    assert state.local_due == shown
    assert state.zone == zone
    assert state.words == "71 hours 30 minutes left"
    assert state.due_at - aware == timedelta(hours=72)


def test_many_incidents_clocks_come_from_a_few_queries(ctx):
    first, second = add_incident(AWARE), add_incident(at(1))
    decide(second, at(2), notify_ico=False)

    found = clocks.clocks_for([first, second], at(3))

    assert found[first.id].ico.urgency is Urgency.CALM
    assert found[second.id].ico.stopped
    assert found[first.id].people is None


# Notices stop the clocks


@pytest.mark.freeze_time("2026-11-21 09:00:00")
def test_an_ico_notice_in_time_stops_the_clock_and_marks_the_incident_notified(ctx):
    incident = add_incident(AWARE)

    notice = tell_ico(incident, 20)

    state = clocks.ico_clock(incident, at(80))
    assert state.stopped
    assert not state.late
    assert state.words.startswith("stopped: ICO told")
    assert "52 hours before the deadline" in state.words
    assert incident.status is IncidentStatus.NOTIFIED
    assert notice.reference == "ICO-00123"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "notice-recorded"))
    assert "ICO-00123" in event.summary


@pytest.mark.freeze_time("2026-11-24 09:00:00")
def test_a_late_ico_notice_without_reasons_is_refused_and_nothing_is_written(ctx):
    incident = add_incident(AWARE)

    with pytest.raises(NoticeError) as refused:
        tell_ico(incident, 75)

    assert refused.value.field == "delay_reasons"
    assert "3 hours after the deadline" in str(refused.value)
    assert "Art. 33(1)" in str(refused.value)
    db.session.rollback()
    assert notice_count() == 0
    assert incident.status is IncidentStatus.REPORTED


@pytest.mark.freeze_time("2026-11-24 09:00:00")
def test_a_late_ico_notice_with_reasons_is_recorded_and_the_lateness_kept(ctx):
    incident = add_incident(AWARE)

    tell_ico(incident, 75, reasons="The server logs took three days to recover.")

    state = clocks.ico_clock(incident, at(100))
    assert state.stopped
    assert state.late
    assert "3 hours after the deadline" in state.words
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "notice-recorded"))
    assert event.details["late"] is True


@pytest.mark.freeze_time("2026-11-21 09:00:00")
@pytest.mark.parametrize(
    ("hours", "reference", "field", "words"),
    [
        (30, "ICO-1", "told_at", "future"),
        (-1, "ICO-1", "told_at", "before the breach became known"),
        (10, "", "reference", "case reference"),
        (10, "x" * 101, "reference", "under 100"),
    ],
)
def test_impossible_notices_are_refused_with_a_plain_message(ctx, hours, reference, field, words):
    incident = add_incident(AWARE)

    with pytest.raises(NoticeError) as refused:
        tell_ico(incident, hours, reference=reference)

    assert refused.value.field == field
    assert words in str(refused.value)
    db.session.rollback()
    assert notice_count() == 0


# Decisions


@pytest.mark.freeze_time("2026-11-21 09:00:00")
def test_a_decision_not_to_notify_stops_the_clock_and_taking_it_back_restarts_it(ctx):
    incident = add_incident(AWARE)
    decide(incident, at(5), notify_ico=False)

    stopped = clocks.ico_clock(incident, at(10))
    decide(incident, at(20), notify_ico=True)
    restarted = clocks.ico_clock(incident, at(20))

    assert stopped.stopped
    assert "decided not notifiable" in stopped.words
    assert not restarted.stopped
    assert restarted.due_at == at(72)  # from the original awareness, not from now
    assert restarted.words == "52 hours left"


@pytest.mark.freeze_time("2026-11-25 09:00:00")
def test_without_a_promise_telling_the_people_has_no_deadline_and_needs_no_reasons(ctx):
    incident = add_incident(AWARE)
    decide(incident, at(10), notify_ico=True, notify_people="yes")

    waiting = clocks.incident_clocks(incident, at(15))
    record_notice(incident, "people", at(90), None, "letter", "patients", None, reporter())
    told = clocks.incident_clocks(incident, at(95))

    assert waiting.people is None
    assert waiting.people_deadline is None
    assert waiting.people_wait.words == (
        "Decided to tell the people 5 hours ago; the law asks for this without undue delay "
        "(UK GDPR Art. 34(1))"
    )
    assert told.people_wait.stopped
    assert told.people_wait.words.endswith(
        "people told Tue 24 Nov 2026, 03:00 GMT, 3 days 8 hours later"
    )
    assert incident.status is IncidentStatus.REPORTED  # only the ICO notice sets "notified"


@pytest.mark.freeze_time("2026-11-25 09:00:00")
def test_a_promise_runs_from_awareness_and_a_people_notice_after_it_needs_reasons(sunray_ctx):
    incident = add_incident(AWARE)
    decide(incident, at(10), notify_ico=True, notify_people="yes")

    running = clocks.people_clock(incident, at(20))
    with pytest.raises(NoticeError) as refused:
        record_notice(incident, "people", at(90), None, "email", "customers", None, reporter())
    db.session.rollback()
    record_notice(incident, "people", at(90), None, "email", "customers", "Bounced", reporter())

    assert running.due_at == at(72)  # 72 hours from awareness, not from the decision
    assert running.words == "52 hours left"
    assert refused.value.field == "delay_reasons"
    assert str(refused.value) == (
        "This is 18 hours after the time promised (Mon 23 Nov 2026, 09:00 GMT: Sunray Vision's "
        "privacy notice promises to tell customers within 72 hours): say why they could not "
        "be told sooner."
    )
    told = clocks.people_clock(incident, at(95))
    assert told.stopped
    assert told.late


def test_the_wait_keeps_the_first_decision_to_tell_them(ctx):
    incident = add_incident(AWARE)
    decide(incident, at(10), notify_ico=True, notify_people="yes")
    decide(incident, at(20), notify_ico=True, notify_people="no")

    stopped = clocks.incident_clocks(incident, at(25)).people_wait
    decide(incident, at(30), notify_ico=True, notify_people="public")
    again = clocks.incident_clocks(incident, at(30)).people_wait

    assert stopped.stopped
    assert "decided not to tell people" in stopped.words
    assert not again.stopped
    assert again.decided_at == at(10)
    assert again.short == "Decided 20 hours ago; not told yet"


def test_no_peoples_clock_until_someone_decides_they_must_be_told(ctx):
    incident = add_incident(AWARE)
    decide(incident, at(10), notify_ico=True, notify_people="no")

    assert clocks.people_clock(incident, at(12)) is None
    assert clocks.incident_clocks(incident, at(12)).people_wait is None


def test_a_running_clock_past_its_deadline_is_late(ctx):
    incident = add_incident(AWARE)

    state = clocks.ico_clock(incident, at(74.5))

    assert state.late
    assert state.urgency is Urgency.OVERDUE
    assert state.words == "overdue by 2 hours 30 minutes"
