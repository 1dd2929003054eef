"""Reporting a suspected breach: save it first, then tell the DPO in the app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from breachdesk.domain.clock import default_awareness
from breachdesk.domain.profile import Profile
from breachdesk.domain.vocabulary import NOT_SURE_ASSET
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import IncidentAsset
from breachdesk.models import Notification
from breachdesk.models import Ongoing
from breachdesk.models import User
from breachdesk.services import accounts
from breachdesk.services import audit
from breachdesk.timeutil import LONDON
from breachdesk.timeutil import utcnow


@dataclass(frozen=True)
class ReportInput:
    """What a reporter said, already validated by the form."""

    description: str
    occurred_at: datetime | None
    noticed_at: datetime
    asset_ids: tuple[str, ...]
    data_categories: tuple[str, ...]
    data_notes: str
    people_count: int | None
    ongoing: Ongoing
    others_aware: str


class ReportError(ValueError):
    """A report that cannot be accepted; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_report(report: ReportInput, profile: Profile, now: datetime) -> None:
    """Apply the rules no form can be trusted to have applied."""
    known = set(profile.asset_ids) | {NOT_SURE_ASSET}
    unknown = [asset for asset in report.asset_ids if asset not in known]
    if unknown:
        raise ReportError("assets", f"Unknown place: {unknown[0]!r}. Choose from the list.")
    if not report.asset_ids:
        raise ReportError("assets", "Choose at least one place, or 'Something else / not sure'.")
    if report.noticed_at > now:
        raise ReportError("noticed_at", "The time you noticed it cannot be in the future.")
    if report.occurred_at is not None and report.occurred_at > report.noticed_at:
        raise ReportError(
            "occurred_at", "It cannot have happened after you noticed it: check both times."
        )


def submit_report(reporter: User, report: ReportInput, profile: Profile) -> Incident:
    """Save the report under a new reference and alert every DPO in the app.

    The incident, its assets, the audit line and the alerts are one transaction, committed
    before anything that can fail (playbooks, email) is attempted by the caller.
    """
    now = utcnow()
    check_report(report, profile, now)
    for _attempt in range(5):
        incident = _new_incident(reporter, report, now)
        try:
            db.session.commit()
            return incident
        except IntegrityError:
            # Two reports took the same number at the same moment: take the next one.
            db.session.rollback()
    raise RuntimeError("could not allocate an incident reference")


def _new_incident(reporter: User, report: ReportInput, now: datetime) -> Incident:
    year = now.astimezone(LONDON).year
    number = _next_number(year)
    incident = Incident(
        year=year,
        number=number,
        reference=f"BD-{year}-{number:04d}",
        reporter=reporter,
        description=report.description,
        occurred_at=report.occurred_at,
        noticed_at=report.noticed_at,
        reported_at=now,
        aware_at=default_awareness(report.noticed_at, now),
        data_categories=list(report.data_categories),
        data_notes=report.data_notes,
        people_count=report.people_count,
        ongoing=report.ongoing,
        others_aware=report.others_aware,
    )
    incident.asset_rows = [
        IncidentAsset(asset_id=asset_id, position=i) for i, asset_id in enumerate(report.asset_ids)
    ]
    db.session.add(incident)
    audit.record(incident, reporter, "reported", "Suspected breach reported")
    for dpo in accounts.users_with_role(Role.DPO):
        db.session.add(
            Notification(
                user_id=dpo.id,
                incident=incident,
                message=f"New suspected breach {incident.reference} reported by "
                f"{reporter.display_name}.",
            )
        )
    return incident


def _next_number(year: int) -> int:
    last = db.session.scalar(select(func.max(Incident.number)).where(Incident.year == year))
    return (last or 0) + 1
