"""Reminders of the clocks: planned as rows, claimed once, queued to the outbox.

The database says what is due; the scheduler only wakes this up. Each sweep:

1. plans (``reminder_plan``): for every running clock, the reminders due by now that have
   no row yet are inserted, once, whatever the number of sweepers;
2. claims each due, unclaimed row with a conditional UPDATE (``claimed_at IS NULL``) and,
   only if it won the row, writes the outbox messages and ``sent_at`` in that same
   transaction. A restart or downtime only makes a reminder late, never lost or doubled.

Missed reminders (downtime across their time) go once at the next sweep, marked late when
more than ``LATE_AFTER`` past due. Every missed reminder of the countdown goes, since each
says something different; of the "still overdue" series only the latest missed one goes,
and the earlier ones are kept as rows marked superseded (so they never go later either).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import lazyload

from breachdesk.desk import get_profile
from breachdesk.domain import clock
from breachdesk.extensions import db
from breachdesk.models import ChecklistItem
from breachdesk.models import Incident
from breachdesk.models import OutboxMessage
from breachdesk.models import Reminder
from breachdesk.models import StepState
from breachdesk.services import audit
from breachdesk.services.reminders import text as reminder_text
from breachdesk.services.reminders.outbox import deliver_outbox
from breachdesk.services.reminders.plan import OpenClocks
from breachdesk.services.reminders.plan import plan
from breachdesk.services.reminders.plan import running_clocks

__all__ = ["LATE_AFTER", "SweepResult", "deliver_outbox", "dispatch_due", "plan"]

#: A reminder sent later than this after its time is marked late. The sweep runs every
#: minute, so anything later means the scheduler was not running.
LATE_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did: rows planned, reminders queued or skipped, messages written."""

    planned: int
    queued: int
    skipped: int
    messages: int


def dispatch_due(now: datetime) -> SweepResult:
    """Plan what is due by ``now``, then claim and queue each due reminder exactly once."""
    clocks = running_clocks(now)
    planned = plan(now, clocks)
    queued = skipped = messages = 0
    for row in _unclaimed_due(now):
        outcome = _claim_and_queue(row, now, clocks)
        if outcome is None:
            continue
        if outcome == 0:
            skipped += 1
        else:
            queued += 1
            messages += outcome
    return SweepResult(planned, queued, skipped, messages)


def _unclaimed_due(now: datetime) -> list:
    query = (
        select(
            Reminder.id,
            Reminder.incident_id,
            Reminder.key,
            Reminder.kind,
            Reminder.label,
            Reminder.recipient,
            Reminder.due_at,
        )
        .where(Reminder.claimed_at.is_(None), Reminder.due_at <= now)
        .order_by(Reminder.due_at, Reminder.id)
    )
    rows = db.session.execute(query).all()
    db.session.commit()  # end the read, so the claims below each start a fresh transaction
    return rows


def _claim(reminder_id: int, now: datetime) -> bool:
    """Win the row or learn another sweeper did: the UPDATE's row count is the answer."""
    statement = (
        update(Reminder)
        .where(Reminder.id == reminder_id, Reminder.claimed_at.is_(None))
        .values(claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return db.session.execute(statement).rowcount == 1


def _claim_and_queue(row, now: datetime, clocks: dict) -> int | None:
    """Claim one reminder and queue its emails in one transaction.

    Returns None when another sweeper had it, 0 when it was skipped, else the message count.
    """
    if not _claim(row.id, now):
        db.session.rollback()
        return None
    skip = _skip_reason(row, clocks)
    if skip:
        _finish(row.id, skipped_reason=skip)
        db.session.commit()
        return 0
    late_by = clock.describe_span(now - row.due_at) if now - row.due_at > LATE_AFTER else None
    emails = _emails_for(row, clocks[row.incident_id], now, late_by)
    for email in emails:
        db.session.add(
            OutboxMessage(
                reminder_id=row.id,
                incident_id=row.incident_id,
                to=email.to,
                subject=email.subject[:300],
                body=email.body,
                created_at=now,
                next_attempt_at=now,
            )
        )
    sent_to = ", ".join(email.to for email in emails)
    _finish(row.id, sent_at=now, sent_to=sent_to, late=late_by is not None)
    _audit(row, sent_to, late_by)
    db.session.commit()
    return len(emails)


def _skip_reason(row, clocks: dict) -> str | None:
    """Why a due reminder should no longer go: its incident closed or its clock stopped."""
    if row.incident_id not in clocks:
        return "incident closed"
    if row.kind == "step":
        step_id = row.key.removeprefix("step:")
        query = select(ChecklistItem.state).where(
            ChecklistItem.incident_id == row.incident_id, ChecklistItem.step_id == step_id
        )
        still_open = db.session.scalar(query) == StepState.OPEN
        return None if still_open else "step done or skipped"
    deadline = clocks[row.incident_id].deadline(row.kind)
    if deadline is None or deadline.stopped:
        reason = deadline.stopped_reason if deadline else "no decision to tell people"
        return f"clock stopped: {reason}"
    return None


def _emails_for(row, open_clocks: OpenClocks, now: datetime, late_by: str | None) -> list:
    profile = get_profile()
    reference = open_clocks.reference
    base_url = current_app.config.get("PUBLIC_URL") or ""
    if row.kind == "step":
        addresses = reminder_text.step_owner_addresses(row.incident_id, row.recipient, profile)
        title = row.label.removeprefix("Step not done in time: ")
        return [
            reminder_text.step_email(to, reference, title, row.due_at, base_url, late_by)
            for to in addresses
        ]
    deadline = open_clocks.deadline(row.kind)
    return [
        reminder_text.clock_email(to, reference, row.label, deadline, now, base_url, late_by)
        for to in reminder_text.dpo_addresses(profile)
    ]


def _finish(reminder_id: int, **values) -> None:
    statement = (
        update(Reminder)
        .where(Reminder.id == reminder_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(statement)


def _audit(row, sent_to: str, late_by: str | None) -> None:
    """Keep the reminder in the incident's history; the deadline passing is recorded too."""
    # Only the row itself: its collections are not needed to add a line to its history.
    incident = db.session.get(Incident, row.incident_id, options=[lazyload("*")])
    late = f" ({late_by} late)" if late_by else ""
    audit.record(
        incident,
        None,
        "reminder-sent",
        f"Reminder queued to {sent_to or 'no one'}: {row.label}{late}",
        key=row.key,
        due_at=row.due_at.isoformat(),
        late=late_by is not None,
    )
    if row.key == "ico:deadline":
        # UK GDPR Art. 33(1): from here on, the ICO report must give reasons for the delay.
        audit.record(
            incident,
            None,
            "deadline-passed",
            "The 72-hour ICO deadline passed without a notice to the ICO.",
        )
    elif row.key == "people:deadline":
        audit.record(
            incident,
            None,
            "deadline-passed",
            "The deadline to tell the people affected passed without a notice to them.",
        )
