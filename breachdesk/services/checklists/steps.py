"""Working an incident's checklist: tick, skip with a reason, reopen and annotate steps.

Each change keeps who and when on the step and writes an audit event, so the record of
the response shows every decision taken on it (UK GDPR Art. 33(5)).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from datetime import timedelta

from sqlalchemy import update

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import ChecklistItem
from breachdesk.models import ChecklistNote
from breachdesk.models import Incident
from breachdesk.models import StepState
from breachdesk.models import User
from breachdesk.services import audit
from breachdesk.timeutil import utcnow

MAX_NOTE = 5000
MAX_REASON = 2000


class ChecklistError(ValueError):
    """A change to a step that cannot be made; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class StepNotAllowed(PermissionError):
    """The user may see the step's incident but may not work this step."""


def may_work(user: User, incident: Incident, item: ChecklistItem) -> bool:
    """The DPO works any step; an assigned IT user only the technical ("it") steps."""
    if user.has_role(Role.DPO):
        return True
    assigned = user.id in incident.assigned_user_ids()
    return user.has_role(Role.IT) and assigned and item.role is Role.IT


def may_tick(user: User, incident: Incident, item: ChecklistItem) -> bool:
    """Whoever works a step may tick it; the reporter may also tick the staff steps.

    The reporter was told to do the staff steps first, so they can say they did them;
    skipping, reopening and notes stay with the people who run the response.
    """
    reported = incident.reporter_id == user.id and item.role is Role.STAFF
    return may_work(user, incident, item) or reported


def tick(incident: Incident, item: ChecklistItem, actor: User, note: str = "") -> None:
    """Mark an open step done, keeping who and when, with what was done if it is given.

    One action and one commit: the step is never done without the note that came with it.
    """
    note = (note or "").strip()
    _check_note(note, required=False)
    _change_state(incident, item, actor, StepState.DONE, None, allowed=may_tick)
    audit.record(incident, actor, "step-done", f"Step done: {item.title}", **_about(item))
    if note:
        _add_note(incident, item, actor, note)
    db.session.commit()


def skip(incident: Incident, item: ChecklistItem, actor: User, reason: str) -> None:
    """Skip an open step; a reason is required so the record shows why it was not done."""
    reason = (reason or "").strip()
    if not reason:
        raise ChecklistError("reason", "Say why this step is being skipped.")
    if len(reason) > MAX_REASON:
        raise ChecklistError("reason", f"Keep the reason under {MAX_REASON} characters.")
    _change_state(incident, item, actor, StepState.SKIPPED, reason)
    audit.record(
        incident,
        actor,
        "step-skipped",
        f"Step skipped: {item.title}",
        reason=reason,
        **_about(item),
    )
    db.session.commit()


def reopen(incident: Incident, item: ChecklistItem, actor: User) -> None:
    """Put a done or skipped step back to open; the earlier change stays in the trail."""
    _change_state(incident, item, actor, StepState.OPEN, None)
    audit.record(incident, actor, "step-reopened", f"Step reopened: {item.title}", **_about(item))
    db.session.commit()


def annotate(incident: Incident, item: ChecklistItem, actor: User, text: str) -> ChecklistNote:
    """Add a note to a step: what was found or done."""
    _check_allowed(incident, item, actor)
    text = (text or "").strip()
    _check_note(text, required=True)
    note = _add_note(incident, item, actor, text)
    db.session.commit()
    return note


def _check_note(text: str, *, required: bool) -> None:
    if required and not text:
        raise ChecklistError("text", "Write the note before adding it.")
    if len(text) > MAX_NOTE:
        raise ChecklistError("text", f"Keep a note under {MAX_NOTE} characters.")


def _add_note(incident: Incident, item: ChecklistItem, actor: User, text: str) -> ChecklistNote:
    note = ChecklistNote(item=item, author=actor, at=utcnow(), text=text)
    db.session.add(note)
    audit.record(
        incident, actor, "step-note", f"Note on step: {item.title}", note=text, **_about(item)
    )
    return note


_FROM = {
    StepState.DONE: (StepState.OPEN,),
    StepState.SKIPPED: (StepState.OPEN,),
    StepState.OPEN: (StepState.DONE, StepState.SKIPPED),
}
_ALREADY = {
    StepState.DONE: "This step is not open: reopen it first.",
    StepState.SKIPPED: "This step is not open: reopen it first.",
    StepState.OPEN: "This step is already open.",
}


def _change_state(
    incident: Incident,
    item: ChecklistItem,
    actor: User,
    state: StepState,
    reason: str | None,
    allowed=may_work,
) -> None:
    _check_allowed(incident, item, actor, allowed)
    now = utcnow()
    # A conditional update, so two people ticking the same step at once record it once.
    result = db.session.execute(
        update(ChecklistItem)
        .where(ChecklistItem.id == item.id, ChecklistItem.state.in_(_FROM[state]))
        .values(
            state=state,
            state_changed_at=now,
            state_changed_by_id=actor.id,
            skip_reason=reason,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ChecklistError("state", _ALREADY[state])
    db.session.refresh(item)


def _check_allowed(incident: Incident, item: ChecklistItem, actor: User, allowed=may_work) -> None:
    if item.incident_id != incident.id or not allowed(actor, incident, item):
        raise StepNotAllowed("This step is for someone else.")


def _about(item: ChecklistItem) -> dict:
    """The details every step event carries, so the timeline can show IT its own steps."""
    return {"item_id": item.id, "step_id": item.step_id, "role": item.role.value}


def backfill_done(
    incident: Incident, items: Iterable[ChecklistItem], actor: User, at: datetime
) -> None:
    """Record steps as done at an earlier moment (demo history); the caller commits."""
    for offset, item in enumerate(items):
        done_at = at + timedelta(minutes=5 * offset)
        item.state = StepState.DONE
        item.state_changed_at = done_at
        item.state_changed_by_id = actor.id
        audit.record(
            incident, actor, "step-done", f"Step done: {item.title}", at=done_at, **_about(item)
        )
