"""The clock columns stored on each incident, kept right on every change.

Lists of thousands of incidents are ordered and filtered by the database, a page at a time,
so the nearest running deadline, whether any clock still runs, and the decision in force are
stored on the incident (``deadline_at``, ``clocks_stopped``, ``notify_ico``). They follow
from awareness, the status, the decisions and the notices; whenever one of those changes, in
a service, the API, the demo or a test, the flush recomputes them in the same transaction,
and marks the incident for the reminder sweep to look at again (``next_reminder_at``).

A listener on the session rather than a call in each service: forgetting one path would leave
an incident sorted under a deadline it no longer has, and nothing on screen would say so.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import event
from sqlalchemy import inspect
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from breachdesk.desk import get_profile
from breachdesk.models import Assessment
from breachdesk.models import ChecklistItem
from breachdesk.models import Incident
from breachdesk.models import NoticeRecord
from breachdesk.models.base import RECHECK
from breachdesk.services.bulk import update_rows
from breachdesk.services.clocks import CLOCK_COLUMNS
from breachdesk.services.clocks import ClockInputs
from breachdesk.services.clocks import deadlines_from_inputs
from breachdesk.services.clocks import load_inputs
from breachdesk.timeutil import utcnow

#: Incident fields the clocks depend on.
_CLOCK_FIELDS = ("aware_at", "status", "closed_at")
#: Step fields that move a step reminder.
_STEP_FIELDS = ("state", "started_at", "within_minutes")
#: Rows whose incident's clocks follow from them.
_CLOCK_ROWS = (Assessment, NoticeRecord)


def stored_values(inputs: ClockInputs, people_hours: int | None) -> dict:
    """The stored clock columns of one incident, from its loaded inputs.

    Only deadlines count: with no time promised the people, the wait since the decision to
    tell them is no deadline, so it never moves ``deadline_at`` nor keeps a clock running.
    """
    # The stop instants are not stored, so ``now`` only fills in a reason never kept here.
    ico, people = deadlines_from_inputs(inputs, utcnow(), people_hours)
    running = [d.due_at for d in (ico, people) if d is not None and not d.stopped]
    return {
        "deadline_at": min(running) if running else ico.due_at,
        "clocks_stopped": not running,
        "notify_ico": inputs.notify_ico,
    }


def refresh(session: Session, incident_ids: Iterable[int]) -> None:
    """Recompute the stored clock columns of these incidents and mark them for the sweep."""
    ids = sorted(set(incident_ids))
    if not ids:
        return
    rows = session.execute(select(*CLOCK_COLUMNS).where(Incident.id.in_(ids))).all()
    base = [ClockInputs.from_row(r) for r in rows]
    hours = get_profile().people_notice_hours
    changes = [
        {"row_id": inputs.incident_id, **stored_values(inputs, hours), "next_reminder_at": RECHECK}
        for inputs in load_inputs(base)
    ]
    update_rows(session, Incident.__table__, changes)
    _show_in_loaded_objects(session, changes)


def _show_in_loaded_objects(session: Session, changes: list[dict]) -> None:
    """Give incidents already loaded in this session the values just written."""
    for change in changes:
        incident = session.identity_map.get(session.identity_key(Incident, change["row_id"]))
        if incident is None:
            continue
        for name, value in change.items():
            if name != "row_id":
                set_committed_value(incident, name, value)


def _changed(obj, fields: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def touched_incidents(session: Session) -> set[int]:
    """Incidents whose clocks or step reminders this flush may have moved."""
    ids: set[int] = set()
    gone = {obj.id for obj in session.deleted if isinstance(obj, Incident)}
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if _moves_a_clock(session, obj):
            ids.add(obj.id if isinstance(obj, Incident) else obj.incident_id)
    return {i for i in ids if i is not None} - gone


def _moves_a_clock(session: Session, obj) -> bool:
    if isinstance(obj, Incident):
        return obj in session.new or _changed(obj, _CLOCK_FIELDS)
    if isinstance(obj, ChecklistItem):
        return obj in session.new or _changed(obj, _STEP_FIELDS)
    return isinstance(obj, _CLOCK_ROWS)


def _after_flush(session: Session, flush_context) -> None:
    refresh(session, touched_incidents(session))


def install() -> None:
    """Keep the stored clock columns right after every flush of every session."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


def refresh_all(session: Session, batch: int = 500) -> int:
    """Recompute every incident's stored columns (after a bulk load); return how many."""
    last, count = 0, 0
    while True:
        ids = list(
            session.scalars(
                select(Incident.id).where(Incident.id > last).order_by(Incident.id).limit(batch)
            )
        )
        if not ids:
            return count
        refresh(session, ids)
        session.commit()
        last, count = ids[-1], count + len(ids)
