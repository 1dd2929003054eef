"""The audit trail: every change to an incident is an event with who and when."""

from __future__ import annotations

from typing import Any

from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import IncidentEvent
from breachdesk.models import User
from breachdesk.timeutil import utcnow


def record(
    incident: Incident,
    actor: User | None,
    kind: str,
    summary: str,
    **details: Any,
) -> IncidentEvent:
    """Add an event to ``incident``'s trail in the current transaction."""
    event = IncidentEvent(
        incident=incident,
        actor=actor,
        at=utcnow(),
        kind=kind,
        summary=summary,
        details=details,
    )
    db.session.add(event)
    return event
