"""The DPO's corrections to what was reported, each kept with who, when, before, after, why.

The reporter's own words are never lost: the first correction copies the report as made
into ``original_report``, and every change is an audit event with its reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from breachdesk.domain.profile import Profile
from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import IncidentAsset
from breachdesk.models import User
from breachdesk.services import audit
from breachdesk.services.reporting import ReportError
from breachdesk.services.reporting import ReportInput
from breachdesk.services.reporting import check_report
from breachdesk.timeutil import utcnow

#: What the DPO may correct, in the order the report form asks it.
CORRECTABLE = (
    "description",
    "occurred_at",
    "noticed_at",
    "asset_ids",
    "data_categories",
    "data_notes",
    "people_count",
)

LABELS = {
    "description": "What happened",
    "occurred_at": "When it happened",
    "noticed_at": "When it was noticed",
    "asset_ids": "Where the data was",
    "data_categories": "What data",
    "data_notes": "About the data",
    "people_count": "How many people",
}


class CorrectionError(ValueError):
    """A correction that cannot be made; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def report_as_it_stands(incident: Incident) -> dict[str, Any]:
    """The correctable fields, as JSON-ready values (times as ISO UTC)."""
    return {
        "description": incident.description,
        "occurred_at": _iso(incident.occurred_at),
        "noticed_at": _iso(incident.noticed_at),
        "asset_ids": list(incident.asset_ids),
        "data_categories": list(incident.data_categories),
        "data_notes": incident.data_notes,
        "people_count": incident.people_count,
    }


def correct_report(
    incident: Incident, actor: User, correction: ReportInput, reason: str, profile: Profile
) -> list[str]:
    """Apply the changed ``CORRECTABLE`` fields and keep the trail; the names changed.

    Raises:
        CorrectionError: no reason, nothing changed, or a value the report would refuse.
    """
    reason = reason.strip()
    if not reason:
        raise CorrectionError("reason", "Say why the report is being corrected.")
    _check(correction, profile)
    before = report_as_it_stands(incident)
    after = {name: _as_json(getattr(correction, name)) for name in CORRECTABLE}
    changed = [name for name in CORRECTABLE if after[name] != before[name]]
    if not changed:
        raise CorrectionError("reason", "Nothing differs from the report as it stands.")
    if incident.original_report is None:
        incident.original_report = before
    _apply(incident, correction, changed)
    audit.record(
        incident,
        actor,
        "report-corrected",
        f"Report corrected ({', '.join(LABELS[n].lower() for n in changed)}): {reason}",
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
        reason=reason,
    )
    db.session.commit()
    return changed


def _check(correction: ReportInput, profile: Profile) -> None:
    if not correction.description.strip():
        raise CorrectionError("description", "Say what happened, even in a few words.")
    if correction.people_count is not None and correction.people_count < 0:
        raise CorrectionError("people_count", "Enter a number of people, like 40.")
    try:
        check_report(correction, profile, utcnow())
    except ReportError as exc:
        raise CorrectionError(exc.field, str(exc)) from exc


def _apply(incident: Incident, correction: ReportInput, changed: list[str]) -> None:
    for name in changed:
        if name == "asset_ids":
            incident.asset_rows = [
                IncidentAsset(asset_id=asset_id, position=i)
                for i, asset_id in enumerate(correction.asset_ids)
            ]
        else:
            value = getattr(correction, name)
            setattr(incident, name, list(value) if isinstance(value, tuple) else value)


def _as_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return list(value) if isinstance(value, tuple) else value


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()
