"""The clocks of an incident, from its rows to the domain's deadlines."""

from __future__ import annotations

from datetime import datetime

from breachdesk.domain import clock
from breachdesk.models import Incident
from breachdesk.models import IncidentStatus

_STOPPED = {IncidentStatus.NOTIFIED, IncidentStatus.NOT_NOTIFIABLE, IncidentStatus.CLOSED}


def ico_clock(incident: Incident, now: datetime) -> clock.ClockState:
    """The ICO clock: 72 elapsed hours from awareness (UK GDPR Art. 33(1))."""
    deadline = clock.Deadline.for_ico(incident.aware_at)
    if incident.status in _STOPPED:
        stopped_at = incident.closed_at or now
        deadline = deadline.stop(stopped_at, f"incident {incident.status.label.lower()}")
    return clock.clock_state(now, deadline)
