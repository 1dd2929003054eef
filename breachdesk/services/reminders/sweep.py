"""Reminders of the clocks: planned as rows, claimed in batches, queued to the outbox.

The database says what is due; the scheduler only wakes this up. Each sweep:

1. plans (``reminders.plan``): for each incident whose next reminder is due, the reminders
   due by now that have no row yet are inserted, once, whatever the number of sweepers;
2. claims the due, unclaimed rows a batch at a time with one conditional UPDATE
   (``claimed_at IS NULL``, RETURNING the rows it won) and, for those only, writes the
   outbox messages, ``sent_at`` and the history in that same transaction. A restart or
   downtime only makes a reminder late, never lost or doubled.

Sending is not done here: the outbox is handed to SMTP by its own job (``outbox``), so a
slow or silent mail server delays the emails, never the planning of new reminders. A
sweep starts no new batch once its time budget is spent; the rest go at the next sweep.

Missed reminders (downtime across their time) go once at the next sweep, marked late when
more than ``LATE_AFTER`` past due.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from sqlalchemy import insert
from sqlalchemy import select

from breachdesk.desk import get_profile
from breachdesk.domain import clock
from breachdesk.extensions import db
from breachdesk.models import ChecklistItem
from breachdesk.models import OutboxMessage
from breachdesk.models import Reminder
from breachdesk.models import StepState
from breachdesk.services import audit
from breachdesk.services.bulk import update_rows
from breachdesk.services.reminders import text as reminder_text
from breachdesk.services.reminders.outbox import deliver_outbox
from breachdesk.services.reminders.plan import OpenClocks
from breachdesk.services.reminders.plan import plan
from breachdesk.services.reminders.plan import running_clocks
from breachdesk.timeutil import utcnow

__all__ = ["LATE_AFTER", "SweepResult", "deliver_outbox", "dispatch_due", "plan"]

#: A reminder sent later than this after its time is marked late. The sweep runs every
#: minute, so anything later means the scheduler was not running.
LATE_AFTER = timedelta(minutes=2)
#: Reminders claimed per transaction.
CLAIM_BATCH = 200

# What the history says when a deadline passes with the clock still running.
_DEADLINE_PASSED = {
    # UK GDPR Art. 33(1): from here on, the ICO report must give reasons for the delay.
    "ico:deadline": "The 72-hour ICO deadline passed without a notice to the ICO.",
    # The organisation's own promise, not the law's (Art. 34(1) says "without undue delay").
    "people:deadline": (
        "The time promised for telling the people affected passed without a notice to them."
    ),
}


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did: rows planned, reminders queued or skipped, messages written."""

    planned: int
    queued: int
    skipped: int
    messages: int


def dispatch_due(
    now: datetime, base_url: str = "", budget_seconds: float | None = None
) -> SweepResult:
    """Plan what is due by ``now``, then claim and queue each due reminder exactly once.

    ``base_url`` makes the links in the emails full addresses; ``budget_seconds`` caps the
    time spent before the sweep leaves what remains to the next one.
    """
    started = time.monotonic()
    planned = plan(now, budget_seconds)
    queued = skipped = messages = 0
    while rows := _unclaimed_due(now):
        won = _claim(rows, now)
        sent, dropped, written = _queue(won, now, base_url)
        db.session.commit()
        queued, skipped, messages = queued + sent, skipped + dropped, messages + written
        if budget_seconds is not None and time.monotonic() - started >= budget_seconds:
            break
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
        .limit(CLAIM_BATCH)
    )
    return db.session.execute(query).all()


def _claim(rows: list, now: datetime) -> list:
    """Win the rows no other sweeper has: the UPDATE returns the ones this one won."""
    table = Reminder.__table__
    statement = (
        table.update()
        .where(table.c.id.in_([row.id for row in rows]), table.c.claimed_at.is_(None))
        .values(claimed_at=now)
        .returning(table.c.id)
    )
    won = set(db.session.execute(statement).scalars())
    return [row for row in rows if row.id in won]


def _queue(rows: list, now: datetime, base_url: str) -> tuple[int, int, int]:
    """Write the emails of the won reminders, or why each was skipped; one transaction."""
    if not rows:
        return 0, 0, 0
    clocks = running_clocks(now, sorted({row.incident_id for row in rows}))
    open_steps = _open_steps([row.incident_id for row in rows if row.kind == "step"])
    recipients = _Recipients([row.incident_id for row in rows if row.recipient == "it"])
    finished, messages, events = [], [], []
    for row in rows:
        skip = _skip_reason(row, clocks, open_steps)
        if skip:
            finished.append({"row_id": row.id, "skipped_reason": skip})
            continue
        late_by = clock.describe_span(now - row.due_at) if now - row.due_at > LATE_AFTER else None
        emails = _emails_for(row, clocks[row.incident_id], now, late_by, base_url, recipients)
        messages += [_message(row, email, now) for email in emails]
        sent_to = ", ".join(email.to for email in emails)
        finished.append(
            {"row_id": row.id, "sent_at": now, "sent_to": sent_to, "late": bool(late_by)}
        )
        events += _history(row, sent_to, late_by)
    update_rows(db.session, Reminder.__table__, finished)
    if messages:
        db.session.execute(insert(OutboxMessage.__table__), messages)
    if events:
        audit.append_incident_rows(events)
    skipped = sum(1 for change in finished if "skipped_reason" in change)
    return len(rows) - skipped, skipped, len(messages)


def _open_steps(incident_ids: list[int]) -> set[tuple[int, str]]:
    if not incident_ids:
        return set()
    query = select(ChecklistItem.incident_id, ChecklistItem.step_id).where(
        ChecklistItem.incident_id.in_(sorted(set(incident_ids))),
        ChecklistItem.state == StepState.OPEN,
    )
    return {(row.incident_id, row.step_id) for row in db.session.execute(query)}


def _skip_reason(row, clocks: dict[int, OpenClocks], open_steps: set) -> str | None:
    """Why a due reminder should no longer go: its incident closed or its clock stopped."""
    if row.incident_id not in clocks:
        return "incident closed"
    if row.kind == "step":
        step_id = row.key.removeprefix("step:")
        return None if (row.incident_id, step_id) in open_steps else "step done or skipped"
    running = clocks[row.incident_id].running(row.kind)
    if running is None or running.stopped:
        reason = running.stopped_reason if running else "no decision to tell people"
        return f"clock stopped: {reason}"
    return None


class _Recipients:
    """Who the reminders of one batch go to, read once per batch."""

    def __init__(self, it_incident_ids: list[int]) -> None:
        self.profile = get_profile()
        self.dpo = reminder_text.dpo_addresses(self.profile)
        self.it = reminder_text.assigned_it_addresses(it_incident_ids)

    def for_step(self, incident_id: int, role: str) -> list[str]:
        # A DPO step, a staff step, or an IT step with no one assigned: the DPO chases it.
        return (self.it.get(incident_id) if role == "it" else None) or self.dpo


def _emails_for(row, open_clocks: OpenClocks, now, late_by, base_url, recipients) -> list:
    reference = open_clocks.reference
    if row.kind == "step":
        title = row.label.removeprefix("Step not done in time: ")
        return [
            reminder_text.step_email(to, reference, title, row.due_at, base_url, late_by)
            for to in recipients.for_step(row.incident_id, row.recipient)
        ]
    deadline = open_clocks.deadline(row.kind)
    if deadline is None:  # no time promised the people: a nudge, with no deadline to name
        decided_at = open_clocks.inputs.first_tell_people_at
        return [
            reminder_text.not_told_email(to, reference, row.label, decided_at, base_url, late_by)
            for to in recipients.dpo
        ]
    promise = recipients.profile.people_promise_words()
    return [
        reminder_text.clock_email(
            to, reference, row.label, deadline, now, base_url, late_by, promise
        )
        for to in recipients.dpo
    ]


def _message(row, email, now: datetime) -> dict:
    return {
        "reminder_id": row.id,
        "incident_id": row.incident_id,
        "to": email.to,
        "subject": email.subject[:300],
        "body": email.body,
        "created_at": now,
        "next_attempt_at": now,
        "attempts": 0,
    }


def _history(row, sent_to: str, late_by: str | None) -> list[dict]:
    """The incident's history lines: the reminder, and the deadline passing if it did."""
    late = f" ({late_by} late)" if late_by else ""
    lines = [
        _event(
            row.incident_id,
            "reminder-sent",
            f"Reminder queued to {sent_to or 'no one'}: {row.label}{late}",
            key=row.key,
            due_at=row.due_at.isoformat(),
            late=late_by is not None,
        )
    ]
    if row.key in _DEADLINE_PASSED:
        lines.append(_event(row.incident_id, "deadline-passed", _DEADLINE_PASSED[row.key]))
    return lines


def _event(incident_id: int, kind: str, summary: str, **details) -> dict:
    return {
        "incident_id": incident_id,
        "at": utcnow(),
        "actor_id": None,
        "kind": kind,
        "summary": summary,
        "details": details,
    }
