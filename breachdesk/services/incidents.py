"""Incidents after the report: who may see them, awareness, status and alerts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ScalarSelect
from sqlalchemy import Select
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from breachdesk.domain.date_limits import ImplausibleDate
from breachdesk.domain.date_limits import check_instant
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import IncidentAssignment
from breachdesk.models import IncidentStatus
from breachdesk.models import Notification
from breachdesk.models import User
from breachdesk.services import audit
from breachdesk.services import incident_rows
from breachdesk.timeutil import utcnow


class IncidentError(ValueError):
    """A change to an incident that cannot be made; ``field`` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def visible_to(user: User) -> Select[tuple[Incident]]:
    """Incidents ``user`` may see: the DPO all, IT those assigned, staff their own reports."""
    query = select(Incident)
    if user.has_role(Role.DPO):
        return query
    rules = [Incident.reporter_id == user.id]
    if user.has_role(Role.IT):
        assigned = select(IncidentAssignment.incident_id).where(
            IncidentAssignment.user_id == user.id
        )
        rules.append(Incident.id.in_(assigned))
    return query.where(or_(*rules))


def find_visible(user: User, reference: str) -> Incident | None:
    """The incident called ``reference`` if ``user`` may see it, else None.

    Its assets and assignments come in the same statement: every page of an incident shows
    them, and one incident has only a few of each.
    """
    query = visible_to(user).where(Incident.reference == reference)
    query = query.options(joinedload(Incident.asset_rows), joinedload(Incident.assignments))
    return db.session.scalars(query).unique().one_or_none()


def may_see_full_facts(user: User, incident: Incident) -> bool:
    """IT users who only work an incident see what they need, not who reported it."""
    return user.has_role(Role.DPO) or incident.reporter_id == user.id


def reports_by(user: User) -> list[Incident]:
    query = select(Incident).where(Incident.reporter_id == user.id)
    return list(db.session.scalars(query.order_by(Incident.reported_at.desc())))


def open_incidents() -> list[Incident]:
    """Every open incident, the one with least time to the ICO deadline first."""
    query = select(Incident).where(Incident.status != IncidentStatus.CLOSED)
    return list(db.session.scalars(query.order_by(Incident.aware_at, Incident.id)))


def assigned_to(user: User) -> list[Incident]:
    query = (
        select(Incident)
        .join(IncidentAssignment)
        .where(IncidentAssignment.user_id == user.id)
        .order_by(Incident.aware_at)
    )
    return list(db.session.scalars(query))


def change_awareness(incident: Incident, actor: User, aware_at: datetime, reason: str) -> None:
    """Move the moment of awareness; the reason, who and when are kept in the trail."""
    reason = reason.strip()
    if not reason:
        raise IncidentError("reason", "Say why the moment of awareness is changing.")
    try:
        check_instant(aware_at, utcnow(), "Awareness")
    except ImplausibleDate as exc:
        raise IncidentError("aware_at", str(exc)) from None
    if aware_at == incident.aware_at:
        raise IncidentError("aware_at", "That is already the moment of awareness.")
    previous = incident.aware_at
    incident.aware_at = aware_at
    audit.record(
        incident,
        actor,
        "awareness-changed",
        f"Awareness moved: {reason}",
        before={"aware_at": previous.isoformat()},
        after={"aware_at": aware_at.isoformat()},
        previous=previous.isoformat(),
        new=aware_at.isoformat(),
        reason=reason,
    )
    db.session.commit()


#: Closing and reopening have their own forms (services.closing): a summary, a reason.
ALLOWED_STATUS_BY_HAND = (IncidentStatus.TRIAGE, IncidentStatus.REPORTED)


def change_status(incident: Incident, actor: User, status: IncidentStatus, note: str) -> None:
    """Move an open incident between reported and triage; the assessment sets the rest."""
    if status is IncidentStatus.CLOSED or not incident.is_open:
        raise IncidentError(
            "status", "Close or reopen the incident under The record, with a summary or reason."
        )
    if status not in ALLOWED_STATUS_BY_HAND:
        raise IncidentError("status", "That status follows from the assessment, not by hand.")
    if status is incident.status:
        raise IncidentError("status", f"The incident is already {status.label.lower()}.")
    previous = incident.status
    incident.status = status
    audit.record(
        incident,
        actor,
        "status-changed",
        f"Status {previous.label} -> {status.label}"
        + (f": {note.strip()}" if note.strip() else ""),
        before={"status": previous.value},
        after={"status": status.value},
        previous=previous.value,
        new=status.value,
        note=note.strip(),
    )
    db.session.commit()


def unread_notifications(user: User) -> list[Notification]:
    query = (
        select(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .order_by(Notification.created_at.desc())
    )
    return list(db.session.scalars(query))


def earlier_notifications(user: User, limit: int) -> list[Notification]:
    """The latest ``limit`` alerts ``user`` has already read, newest first."""
    query = (
        select(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_not(None))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def unread_alerts_of(user_id) -> ScalarSelect:
    """How many alerts the user ``user_id`` (a value or a column) has not read."""
    return (
        select(func.count())
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .scalar_subquery()
    )


def remember_unread(user: User, count: int) -> None:
    """Keep ``count``, read with ``user`` when the request began, until the session writes."""
    incident_rows.remember(("unread alerts", user.id), count)


def unread_count(user: User) -> int:
    """How many alerts ``user`` has not read: shown on every page, so read with the signed-in
    user (``remember_unread``), or else one COUNT query."""
    known = incident_rows.remembered(("unread alerts", user.id))
    if known is not None:
        return known
    return db.session.scalar(select(unread_alerts_of(user.id))) or 0


def mark_notifications_read(user: User) -> None:
    for note in unread_notifications(user):
        note.read_at = utcnow()
    db.session.commit()
