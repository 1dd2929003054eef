"""Planning reminders: which are due by now on every running clock, inserted once as rows.

Rows are inserted with INSERT ... ON CONFLICT DO NOTHING on the unique (incident, key), so
two sweepers planning the same reminder make one row. Of several missed "still overdue"
reminders of one clock, only the latest will go; the earlier ones are inserted already
claimed and marked superseded, so they never go later either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite

from breachdesk.desk import get_profile
from breachdesk.domain import clock
from breachdesk.domain.reminders_schedule import PlannedReminder
from breachdesk.domain.reminders_schedule import due_reminders
from breachdesk.domain.reminders_schedule import reminder_schedule
from breachdesk.extensions import db
from breachdesk.models import ChecklistItem
from breachdesk.models import Incident
from breachdesk.models import IncidentStatus
from breachdesk.models import Reminder
from breachdesk.models import StepState
from breachdesk.services.clocks import ClockInputs
from breachdesk.services.clocks import deadlines_from_inputs
from breachdesk.services.clocks import load_inputs

#: Who a clock reminder is for: the profile's recipients and the DPO users.
CLOCK_RECIPIENTS = "clock"
_SLICE = 500


@dataclass(frozen=True)
class _Due:
    incident_id: int
    key: str
    kind: str
    label: str
    recipient: str
    due_at: datetime
    superseded_by: str | None = None


@dataclass(frozen=True)
class OpenClocks:
    """What the sweep knows of one open incident: its reference, deadlines and inputs."""

    reference: str
    ico: clock.Deadline
    people: clock.Deadline | None
    inputs: ClockInputs

    def deadline(self, kind: str) -> clock.Deadline | None:
        return self.ico if kind == "ico" else self.people


def running_clocks(now: datetime) -> dict[int, OpenClocks]:
    """Reference, deadlines and inputs of every open incident, by id, in a few queries."""
    query = select(
        Incident.id, Incident.reference, Incident.aware_at, Incident.status, Incident.closed_at
    ).where(Incident.status != IncidentStatus.CLOSED)
    rows = db.session.execute(query).all()
    references = {row.id: row.reference for row in rows}
    base = [ClockInputs(r.id, r.aware_at, IncidentStatus(r.status), r.closed_at) for r in rows]
    hours = get_profile().people_notice_hours
    found = {}
    for inputs in load_inputs(base):
        ico, people = deadlines_from_inputs(inputs, now, hours)
        found[inputs.incident_id] = OpenClocks(references[inputs.incident_id], ico, people, inputs)
    return found


def plan(now: datetime, clocks: dict | None = None) -> int:
    """Insert a row for every reminder due by ``now`` that has none yet; return how many."""
    clocks = running_clocks(now) if clocks is None else clocks
    candidates = _clock_candidates(now, clocks) + _step_candidates(now, clocks)
    if not candidates:
        return 0
    existing = _existing_keys({c.incident_id for c in candidates})
    missing = [c for c in candidates if (c.incident_id, c.key) not in existing]
    missing = _supersede_missed_overdue(missing)
    if missing:
        _insert_missing(missing, now)
    db.session.commit()
    return len(missing)


def _clock_candidates(now: datetime, clocks: dict) -> list[_Due]:
    """The clock reminders due by ``now`` on every running clock."""
    policy = get_profile().reminders
    found: list[_Due] = []
    for incident_id, open_clocks in clocks.items():
        inputs = open_clocks.inputs
        running = [(open_clocks.ico, inputs.aware_at)]
        if open_clocks.people is not None:
            running.append((open_clocks.people, inputs.first_tell_people_at))
        for deadline, start in running:
            if deadline.stopped or not _any_due(start, deadline, policy, now):
                continue
            schedule = reminder_schedule(
                start,
                deadline.due_at,
                policy.hours_after_awareness,
                policy.overdue_every_hours,
                until=now,
                kind=deadline.kind,
            )
            kind = deadline.kind.value
            found += [_due(incident_id, p, kind) for p in due_reminders(schedule, now)]
    return found


def _any_due(start: datetime, deadline: clock.Deadline, policy, now: datetime) -> bool:
    """Cheap test that skips the schedule for clocks whose first reminder is still ahead."""
    first = min([*policy.hours_after_awareness, 10**6])
    return now >= deadline.due_at or now >= start + timedelta(hours=first)


def _due(incident_id: int, planned: PlannedReminder, kind: str) -> _Due:
    return _Due(incident_id, planned.key, kind, planned.label, CLOCK_RECIPIENTS, planned.due_at)


def _step_candidates(now: datetime, clocks: dict) -> list[_Due]:
    """Open playbook steps past their "how soon" on open incidents: remind their owner."""
    query = select(
        ChecklistItem.incident_id,
        ChecklistItem.step_id,
        ChecklistItem.title,
        ChecklistItem.role,
        ChecklistItem.started_at,
        ChecklistItem.within_minutes,
    ).where(ChecklistItem.state == StepState.OPEN, ChecklistItem.within_minutes.is_not(None))
    found = []
    for row in db.session.execute(query):
        within = timedelta(minutes=row.within_minutes)
        if row.incident_id not in clocks or not clock.is_step_overdue(
            now, row.started_at, within, done=False
        ):
            continue
        due = clock.step_due_at(row.started_at, within)
        label = f"Step not done in time: {row.title}"
        role = str(getattr(row.role, "value", row.role))
        found.append(_Due(row.incident_id, f"step:{row.step_id}", "step", label, role, due))
    return found


def _existing_keys(incident_ids: set[int]) -> set[tuple[int, str]]:
    ids = sorted(incident_ids)
    keys: set[tuple[int, str]] = set()
    for start in range(0, len(ids), _SLICE):
        query = select(Reminder.incident_id, Reminder.key).where(
            Reminder.incident_id.in_(ids[start : start + _SLICE])
        )
        keys.update((row.incident_id, row.key) for row in db.session.execute(query))
    return keys


def _supersede_missed_overdue(missing: list[_Due]) -> list[_Due]:
    """Of several missed "still overdue" reminders of one clock, only the latest will go."""
    latest: dict[tuple[int, str], _Due] = {}
    for due in missing:
        if ":overdue:" in due.key:
            series = (due.incident_id, due.kind)
            if series not in latest or due.due_at > latest[series].due_at:
                latest[series] = due
    result = []
    for due in missing:
        newest = latest.get((due.incident_id, due.kind))
        if ":overdue:" in due.key and newest is not None and newest.key != due.key:
            due = _Due(**{**due.__dict__, "superseded_by": newest.key})
        result.append(due)
    return result


def _insert_missing(missing: list[_Due], now: datetime) -> None:
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
            # A superseded reminder is claimed at birth, so no sweeper ever sends it.
            "claimed_at": now if due.superseded_by else None,
            "skipped_reason": f"superseded by {due.superseded_by}" if due.superseded_by else None,
        }
        for due in sorted(missing, key=lambda d: (d.incident_id, d.key))
    ]
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Reminder).on_conflict_do_nothing(
        index_elements=["incident_id", "key"]
    )
    for start in range(0, len(rows), _SLICE):
        db.session.execute(statement, rows[start : start + _SLICE])
