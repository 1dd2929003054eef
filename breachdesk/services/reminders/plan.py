"""Planning reminders: for each incident whose next reminder is due, insert its rows once.

Each incident stores when the sweep must next look at it (``next_reminder_at``, indexed):
the time of its next reminder, RECHECK after a change to its clocks or steps (so the next
sweep looks again), or None when nothing can fall due. A sweep reads only the incidents
due, so with nothing due it costs the same for 100 incidents or 100,000.

Rows are inserted with INSERT ... ON CONFLICT DO NOTHING on the unique (incident, key), so
two sweepers planning the same reminder make one row. Of a clock's "still overdue" series
only the latest reminder due is planned: after downtime, one row, never one per missed
interval. Every missed reminder of the countdown is planned, since each says something else.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite

from breachdesk.desk import get_profile
from breachdesk.domain import clock
from breachdesk.domain import people_notice
from breachdesk.domain.reminders_schedule import PlannedReminder
from breachdesk.domain.reminders_schedule import not_told_around
from breachdesk.domain.reminders_schedule import overdue_around
from breachdesk.domain.reminders_schedule import reminder_schedule
from breachdesk.extensions import db
from breachdesk.models import ChecklistItem
from breachdesk.models import Incident
from breachdesk.models import IncidentStatus
from breachdesk.models import Reminder
from breachdesk.models import StepState
from breachdesk.services.bulk import update_rows
from breachdesk.services.clocks import CLOCK_COLUMNS
from breachdesk.services.clocks import ClockInputs
from breachdesk.services.clocks import deadlines_from_inputs
from breachdesk.services.clocks import load_inputs
from breachdesk.services.clocks import people_wait_for
from breachdesk.services.stored_clocks import stored_values

#: Who a clock reminder is for: the profile's recipients and the DPO users.
CLOCK_RECIPIENTS = "clock"
#: Incidents planned per transaction.
BATCH = 500


@dataclass(frozen=True)
class Due:
    """One reminder to plan: its incident, key, wording, who it is for and when."""

    incident_id: int
    key: str
    kind: str
    label: str
    recipient: str
    due_at: datetime


@dataclass(frozen=True)
class OpenClocks:
    """What the sweep knows of one open incident: its reference, deadlines and inputs.

    ``people`` is the promised time for telling the people; ``people_wait`` the time since
    the decision to tell them where none was promised (Art. 34(1): without undue delay).
    """

    reference: str
    ico: clock.Deadline
    people: clock.Deadline | None
    inputs: ClockInputs
    people_wait: people_notice.Wait | None = None

    def deadline(self, kind: str) -> clock.Deadline | None:
        return self.ico if kind == "ico" else self.people

    def running(self, kind: str) -> clock.Deadline | people_notice.Wait | None:
        """The clock a reminder of this kind is about: a deadline, or the people's wait."""
        return self.deadline(kind) or (self.people_wait if kind == "people" else None)


def open_clocks_of(
    reference: str, inputs: ClockInputs, now: datetime, people_hours: int | None
) -> OpenClocks:
    """The clocks the sweep works with for one incident, from its loaded inputs."""
    ico, people = deadlines_from_inputs(inputs, now, people_hours)
    return OpenClocks(reference, ico, people, inputs, people_wait_for(inputs, people_hours))


def running_clocks(now: datetime, incident_ids: Sequence[int]) -> dict[int, OpenClocks]:
    """Reference, deadlines and inputs of these incidents that are open, by id."""
    query = select(Incident.reference, *CLOCK_COLUMNS).where(
        Incident.status != IncidentStatus.CLOSED, Incident.id.in_(list(incident_ids))
    )
    rows = db.session.execute(query).all()
    references = {row.id: row.reference for row in rows}
    base = [ClockInputs.from_row(r) for r in rows]
    hours = get_profile().people_notice_hours
    return {
        inputs.incident_id: open_clocks_of(references[inputs.incident_id], inputs, now, hours)
        for inputs in load_inputs(base)
    }


def plan(now: datetime, budget_seconds: float | None = None) -> int:
    """Insert a row for every reminder due by ``now`` that has none yet; return how many.

    Works through the due incidents a batch at a time, each batch its own transaction, and
    starts no new batch once ``budget_seconds`` are spent: the rest wait for the next sweep.
    """
    started = time.monotonic()
    planned = 0
    while due := _due_incidents(now):
        planned += _plan_batch(now, due)
        db.session.commit()
        if budget_seconds is not None and time.monotonic() - started >= budget_seconds:
            break
    return planned


def _due_incidents(now: datetime) -> list[int]:
    """The incidents the sweep must look at now, the longest waiting first."""
    query = (
        select(Incident.id)
        .where(Incident.next_reminder_at <= now)
        .order_by(Incident.next_reminder_at, Incident.id)
        .limit(BATCH)
    )
    return list(db.session.scalars(query))


def _hold(ids: list[int]) -> None:
    """Hold these incidents until the batch commits, before reading anything about them.

    A decision or notice saved meanwhile waits, then marks its incident for the next sweep;
    without this, the sweep could write a next time computed from what it read before.
    PostgreSQL locks the rows; SQLite has one writer at a time, taken by a no-op UPDATE.
    """
    if db.engine.dialect.name == "postgresql":
        held = select(Incident.id).where(Incident.id.in_(ids)).order_by(Incident.id)
        db.session.execute(held.with_for_update())
    else:
        table = Incident.__table__
        same = update(table).where(table.c.id.in_(ids)).values(id=table.c.id)
        db.session.execute(same)


def _plan_batch(now: datetime, ids: list[int]) -> int:
    """Plan the reminders of these incidents and store when each must be looked at next."""
    _hold(ids)
    clocks = running_clocks(now, ids)
    policy = get_profile().reminders
    steps = _open_timed_steps(list(clocks))
    existing = _existing_keys(list(clocks))
    missing: list[Due] = []
    next_at: dict[int, datetime | None] = dict.fromkeys(ids)
    for incident_id, open_clocks in clocks.items():
        due_now, next_at[incident_id] = reminders_of(
            incident_id, open_clocks, steps.get(incident_id, []), policy, now
        )
        missing += [d for d in due_now if (incident_id, d.key) not in existing]
    if missing:
        _insert_missing(missing, now)
    _store_next(ids, clocks, next_at)
    return len(missing)


def reminders_of(
    incident_id: int, open_clocks: OpenClocks, steps: list[Due], policy, now: datetime
) -> tuple[list[Due], datetime | None]:
    """An open incident's reminders due by ``now``, and when its next one falls due."""
    due_now, later = _clock_reminders(incident_id, open_clocks, policy, now)
    for step in steps:
        (due_now if step.due_at <= now else later).append(step)
    return due_now, min((d.due_at for d in later), default=None)


def _clock_reminders(
    incident_id: int, open_clocks: OpenClocks, policy, now: datetime
) -> tuple[list[Due], list[Due]]:
    """The clock reminders due by ``now`` (the overdue series' latest only) and the next ones."""
    inputs = open_clocks.inputs
    # (deadline, reminders from): a promise to tell people runs from awareness, but has no
    # reminders before the decision to tell them, when there was nothing yet to remind of.
    running = [(open_clocks.ico, inputs.aware_at)]
    if open_clocks.people is not None:
        running.append((open_clocks.people, inputs.first_tell_people_at))
    due_now: list[Due] = []
    later: list[Due] = []
    for deadline, since in running:
        if deadline.stopped:
            continue
        kind = deadline.kind.value
        schedule = reminder_schedule(
            inputs.aware_at,
            deadline.due_at,
            policy.hours_after_awareness,
            None,
            until=now,
            kind=deadline.kind,
        )
        countdown = [p for p in schedule if p.due_at >= since]
        latest, following = overdue_around(
            deadline.kind, deadline.due_at, policy.overdue_every_hours, now
        )
        # Every missed countdown reminder goes; of the overdue series, only the latest.
        due_now += [_due(incident_id, p, kind) for p in countdown if p.due_at <= now]
        due_now += [_due(incident_id, latest, kind)] if latest else []
        later += [_due(incident_id, p, kind) for p in countdown if p.due_at > now]
        later += [_due(incident_id, following, kind)] if following else []
    wait = open_clocks.people_wait
    if wait is not None and not wait.stopped:
        nudge, next_nudge = not_told_around(wait.decided_at, now)
        due_now += [_due(incident_id, nudge, "people")] if nudge else []
        later.append(_due(incident_id, next_nudge, "people"))
    return due_now, later


def _due(incident_id: int, planned: PlannedReminder, kind: str) -> Due:
    return Due(incident_id, planned.key, kind, planned.label, CLOCK_RECIPIENTS, planned.due_at)


def _open_timed_steps(incident_ids: list[int]) -> dict[int, list[Due]]:
    """Open playbook steps with a "how soon", as reminders to their owner at that time."""
    query = select(
        ChecklistItem.incident_id,
        ChecklistItem.step_id,
        ChecklistItem.title,
        ChecklistItem.role,
        ChecklistItem.due_at,
    ).where(
        ChecklistItem.incident_id.in_(incident_ids),
        ChecklistItem.state == StepState.OPEN,
        ChecklistItem.due_at.is_not(None),
    )
    found: dict[int, list[Due]] = {}
    for row in db.session.execute(query):
        step = step_reminder(row.incident_id, row.step_id, row.title, row.role, row.due_at)
        found.setdefault(row.incident_id, []).append(step)
    return found


def step_reminder(incident_id: int, step_id: str, title: str, role, due_at: datetime) -> Due:
    """The reminder to a step's owner that it is past its "how soon" and still open."""
    label = f"Step not done in time: {title}"
    owner = str(getattr(role, "value", role))
    return Due(incident_id, f"step:{step_id}", "step", label, owner, due_at)


def _existing_keys(incident_ids: list[int]) -> set[tuple[int, str]]:
    query = select(Reminder.incident_id, Reminder.key).where(Reminder.incident_id.in_(incident_ids))
    return {(row.incident_id, row.key) for row in db.session.execute(query)}


def _insert_missing(missing: list[Due], now: datetime) -> None:
    """Insert rows, ignoring any another sweeper inserted first (the unique key decides)."""
    rows = [
        {
            "incident_id": due.incident_id,
            "key": due.key,
            "kind": due.kind,
            "label": due.label,
            "recipient": due.recipient,
            "due_at": due.due_at,
            "created_at": now,
            "late": False,
            "sent_to": "",
        }
        for due in sorted(missing, key=lambda d: (d.incident_id, d.key))
    ]
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Reminder).on_conflict_do_nothing(
        index_elements=["incident_id", "key"]
    )
    db.session.execute(statement, rows)


def _store_next(
    ids: list[int], clocks: dict[int, OpenClocks], next_at: dict[int, datetime | None]
) -> None:
    """When to look at each incident next, its stored clocks refreshed on the way."""
    hours = get_profile().people_notice_hours
    changes = []
    for incident_id in ids:
        change = {"row_id": incident_id, "next_reminder_at": next_at[incident_id]}
        if incident_id in clocks:  # a closed incident only loses its look-again time
            change |= stored_values(clocks[incident_id].inputs, hours)
        changes.append(change)
    update_rows(db.session, Incident.__table__, changes)
