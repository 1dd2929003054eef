"""Putting IT users on an incident and taking them off: the DPO decides who sees what.

An IT contractor is a processor acting on the organisation's instructions (UK GDPR
Art. 28(3)(b), 32(4)): they see an incident only once the DPO assigns them to it.
"""

from __future__ import annotations

from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import IncidentAssignment
from breachdesk.models import User
from breachdesk.services import accounts
from breachdesk.services import audit
from breachdesk.timeutil import utcnow


class AssignmentError(ValueError):
    """An assignment that cannot be made; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class AssignmentNotAllowed(PermissionError):
    """Only the DPO assigns people to incidents."""


def assign(incident: Incident, it_user: User, actor: User) -> IncidentAssignment:
    """Give ``it_user`` access to the incident and its technical steps."""
    _require_dpo(actor)
    if not it_user.has_role(Role.IT) or not it_user.enabled:
        raise AssignmentError("user", "Only an active IT user can be assigned to an incident.")
    if it_user.id in incident.assigned_user_ids():
        raise AssignmentError("user", f"{it_user.display_name} is already assigned.")
    row = IncidentAssignment(user=it_user, assigned_by_id=actor.id, assigned_at=utcnow())
    incident.assignments.append(row)
    audit.record(
        incident, actor, "assigned", f"{it_user.display_name} assigned", user_id=it_user.id
    )
    db.session.commit()
    return row


def unassign(incident: Incident, it_user: User, actor: User) -> None:
    """Take ``it_user`` off the incident: from now on they cannot see it."""
    _require_dpo(actor)
    row = next((a for a in incident.assignments if a.user_id == it_user.id), None)
    if row is None:
        raise AssignmentError("user", f"{it_user.display_name} is not assigned.")
    incident.assignments.remove(row)
    audit.record(
        incident, actor, "unassigned", f"{it_user.display_name} unassigned", user_id=it_user.id
    )
    db.session.commit()


def assigned_users(incident: Incident) -> list[User]:
    """The IT users on the incident, by name."""
    return sorted((a.user for a in incident.assignments), key=lambda u: u.display_name.lower())


def assignable_users(incident: Incident) -> list[User]:
    """Active IT users not yet on the incident, by name."""
    taken = incident.assigned_user_ids()
    return [u for u in accounts.users_with_role(Role.IT) if u.enabled and u.id not in taken]


def find_user(user_id: int) -> User | None:
    """The user with this id, or None."""
    return db.session.scalar(select(User).where(User.id == user_id))


def _require_dpo(actor: User) -> None:
    if not actor.has_role(Role.DPO):
        raise AssignmentNotAllowed("Only the DPO assigns people to incidents.")
