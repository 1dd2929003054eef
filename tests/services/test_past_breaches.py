"""A past breach, noticed more than a year ago: in the register with the DPO's reason, and no
countdown, no checklist and no reminder, whatever the sweep does afterwards."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select

from breachdesk.config import SHIPPED_PROFILES
from breachdesk.desk import get_profile
from breachdesk.domain.clock import Urgency
from breachdesk.extensions import db
from breachdesk.models import AuditEvent
from breachdesk.models import ChecklistItem
from breachdesk.models import Incident
from breachdesk.models import OutboxMessage
from breachdesk.models import Reminder
from breachdesk.services import past_breaches
from breachdesk.services import register
from breachdesk.services.clocks import incident_clocks
from breachdesk.services.past_breaches import PastBreach
from breachdesk.services.past_breaches import PastBreachError
from breachdesk.services.reminders import sweep as reminders
from breachdesk.timeutil import utcnow
from tests.support.reminders import decide
from tests.support.reminders import reporter

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

NOTICED = datetime(2024, 3, 4, 10, 0, tzinfo=UTC)
WHY = "Found in an old file during the November audit."
OLD = PastBreach(
    description="A box of 2023 job sheets was left in the skip behind the lab.",
    noticed_at=NOTICED,
    occurred_at=datetime(2024, 3, 1, 9, 0, tzinfo=UTC),
    asset_ids=("paper-records",),
    data_categories=("basic_identity", "health"),
    people_count=120,
    reason=WHY,
)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


def record(**changes) -> Incident:
    breach = PastBreach(**{**vars(OLD), **changes})
    return past_breaches.record_past_breach(reporter(), breach, get_profile())


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_past_breach_enters_the_register_with_its_reason_in_the_trail(ctx):
    incident = record()

    assert incident.reference == "BD-2026-0001"
    assert incident.aware_at == NOTICED
    assert incident.recorded_late_reason == WHY
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "recorded-late"))
    assert event.incident_id == incident.id
    assert WHY in event.summary
    assert event.details["reason"] == WHY
    [entry] = register.entries_for([incident], get_profile(), utcnow())
    assert entry.what_happened.startswith("A box of 2023 job sheets")
    assert entry.late is True
    assert entry.delay_reasons == f"Recorded late: {WHY}"


def test_its_clocks_say_recorded_late_and_nothing_counts_down_or_is_sent(ctx, freezer):
    incident = record()
    reference = incident.reference

    for _ in range(3):  # the sweep, run after the recording and days later, plans nothing
        reminders.dispatch_due(utcnow())
        freezer.tick(timedelta(days=2))

    found = db.session.scalar(select(Incident).where(Incident.reference == reference))
    clocks = incident_clocks(found, utcnow())
    assert clocks.ico.stopped is True
    assert clocks.ico.urgency is Urgency.STOPPED
    assert clocks.ico.words.startswith("stopped: recorded late Fri 20 Nov 2026, 12:00 GMT")
    assert (found.clocks_stopped, found.next_reminder_at) == (True, None)
    assert count(Reminder) == count(OutboxMessage) == count(ChecklistItem) == 0


def test_a_later_decision_to_tell_the_people_starts_no_overdue_alarm(ctx, freezer):
    incident = record()  # ODL promises no time for telling the people: a wait, never a deadline
    decide(incident, utcnow(), notify_ico=True, notify_people="yes")
    freezer.tick(timedelta(days=3))
    reminders.dispatch_due(utcnow())

    clocks = incident_clocks(incident, utcnow())
    assert clocks.ico.urgency is Urgency.STOPPED
    assert clocks.people is None
    assert clocks.people_wait.stopped is True
    assert count(Reminder) == count(OutboxMessage) == 0


def test_a_promised_time_for_telling_the_people_does_not_run_either(ctx, freezer):
    from breachdesk.desk import load_desk

    ctx.config["PROFILE_PATH"] = str(SHIPPED_PROFILES / "sunray.toml")
    ctx.extensions["breachdesk"] = load_desk(ctx)
    incident = record(asset_ids=("web-host",))  # Sunray promises 72 hours from awareness
    decide(incident, utcnow(), notify_ico=True, notify_people="yes")
    freezer.tick(timedelta(days=3))
    reminders.dispatch_due(utcnow())

    clocks = incident_clocks(incident, utcnow())
    assert clocks.people.urgency is Urgency.STOPPED
    assert clocks.people.words.startswith("stopped: recorded late")
    assert count(Reminder) == count(OutboxMessage) == 0


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"reason": "   "}, "reason", "Say why it is recorded only now"),
        ({"reason": "x" * 2001}, "reason", "Keep the reason under 2,000 characters."),
        ({"description": ""}, "description", "Say what happened"),
        (
            {"noticed_at": datetime(2026, 2, 1, tzinfo=UTC)},
            "noticed_at",
            "That is within the last year: report it with the usual form",
        ),
        ({"noticed_at": datetime(2027, 1, 1, tzinfo=UTC)}, "noticed_at", "cannot be in the future"),
        (
            {"noticed_at": datetime(1999, 12, 31, tzinfo=UTC), "occurred_at": None},
            "noticed_at",
            "cannot be before 1 January 2000",
        ),
        (
            {"occurred_at": datetime(2024, 3, 5, tzinfo=UTC)},
            "occurred_at",
            "It cannot have happened after it was noticed",
        ),
        ({"asset_ids": ("the-moon",)}, "assets", "Choose at least one place from the list."),
        ({"asset_ids": ()}, "assets", "Choose at least one place from the list."),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(ctx, changes, field, words):
    with pytest.raises(PastBreachError, match=words) as refused:
        record(**changes)

    assert refused.value.field == field
    assert count(Incident) == 0
    trail = select(func.count()).where(AuditEvent.incident_id.is_not(None))
    assert db.session.scalar(trail) == 0
