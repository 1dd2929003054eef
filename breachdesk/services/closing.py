"""Closing an incident with its summary and lessons, reopening it, and marking duplicates.

A duplicate is a second report of a breach already on the desk: its places, data and people
are folded into the incident that stands (each fold an audit event there), and it is closed
with a link to that one, so it leaves the dashboard while the register keeps both.
"""

from __future__ import annotations

from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import IncidentAsset
from breachdesk.models import IncidentStatus
from breachdesk.models import User
from breachdesk.services import audit
from breachdesk.timeutil import utcnow

TEXT_LIMIT = 20_000


class ClosingError(ValueError):
    """A close, reopen or duplicate that cannot be made; ``field`` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def close(incident: Incident, actor: User, summary: str, lessons: str) -> None:
    """Close with what happened in the end and what the organisation learnt."""
    summary, lessons = summary.strip(), lessons.strip()
    if not incident.is_open:
        raise ClosingError("summary", "The incident is already closed.")
    if not summary:
        raise ClosingError("summary", "Sum up how the incident ended before closing it.")
    if len(summary) > TEXT_LIMIT or len(lessons) > TEXT_LIMIT:
        raise ClosingError("summary", f"Keep each under {TEXT_LIMIT:,} characters.")
    _close(incident, actor, summary, lessons or None, "incident-closed", f"Closed: {summary}")
    db.session.commit()


def reopen(incident: Incident, actor: User, reason: str) -> None:
    """Open a closed incident again (a duplicate stops being one); the reason is kept."""
    reason = reason.strip()
    if incident.is_open:
        raise ClosingError("reason", "The incident is open already.")
    if not reason:
        raise ClosingError("reason", "Say why the incident is being reopened.")
    before = _closing_state(incident)
    incident.status = IncidentStatus.TRIAGE
    incident.closed_at = None
    incident.closing_summary = None
    incident.lessons_learnt = None
    incident.duplicate_of = None
    audit.record(
        incident,
        actor,
        "incident-reopened",
        f"Reopened: {reason}",
        before=before,
        after=_closing_state(incident),
        reason=reason,
    )
    db.session.commit()


def mark_duplicate(incident: Incident, actor: User, standing: Incident, reason: str) -> None:
    """Fold ``incident`` into ``standing`` and close it, linked to it."""
    reason = reason.strip()
    if standing.id == incident.id:
        raise ClosingError("of_reference", "An incident cannot be a duplicate of itself.")
    if standing.duplicate_of_id is not None:
        raise ClosingError(
            "of_reference", f"{standing.reference} is itself a duplicate: choose the one it joined."
        )
    if not incident.is_open:
        raise ClosingError("of_reference", "Reopen the incident before marking it a duplicate.")
    if not reason:
        raise ClosingError("reason", "Say why these are the same breach.")
    _fold(incident, standing, actor)
    incident.duplicate_of = standing
    summary = f"Duplicate of {standing.reference}: {reason}"
    _close(incident, actor, summary, None, "marked-duplicate", summary)
    db.session.commit()


def _fold(duplicate: Incident, standing: Incident, actor: User) -> None:
    """The places, data and people of the second report, added to the one that stands."""
    before = _folded_state(standing)
    assets = list(dict.fromkeys([*standing.asset_ids, *duplicate.asset_ids]))
    if assets != standing.asset_ids:
        standing.asset_rows = [
            *standing.asset_rows,
            *(
                IncidentAsset(asset_id=a, position=i)
                for i, a in enumerate(assets)
                if a not in standing.asset_ids
            ),
        ]
    standing.data_categories = list(
        dict.fromkeys([*standing.data_categories, *duplicate.data_categories])
    )
    # The same breach seen twice: the larger count, not the sum, is the better estimate.
    counts = [c for c in (standing.people_count, duplicate.people_count) if c is not None]
    standing.people_count = max(counts) if counts else None
    after = _folded_state(standing) | {"assets": assets}
    if after != before:
        audit.record(
            standing,
            actor,
            "duplicate-folded",
            f"{duplicate.reference} folded in as a duplicate of this incident",
            before=before,
            after=after,
            duplicate=duplicate.reference,
        )


def _close(
    incident: Incident, actor: User, summary: str, lessons: str | None, kind: str, line: str
) -> None:
    before = _closing_state(incident)
    incident.status = IncidentStatus.CLOSED
    incident.closed_at = utcnow()
    incident.closing_summary = summary
    incident.lessons_learnt = lessons
    audit.record(incident, actor, kind, line, before=before, after=_closing_state(incident))


def _closing_state(incident: Incident) -> dict:
    return {
        "status": incident.status.value,
        "closing_summary": incident.closing_summary,
        "lessons_learnt": incident.lessons_learnt,
        "duplicate_of": incident.duplicate_of.reference if incident.duplicate_of else None,
    }


def _folded_state(incident: Incident) -> dict:
    return {
        "assets": list(incident.asset_ids),
        "data_categories": list(incident.data_categories),
        "people_count": incident.people_count,
    }
