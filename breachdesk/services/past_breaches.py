"""Recording a past breach: one noticed more than a year ago and found only now.

The staff report takes what was noticed in the last year (``reporting``). An older breach,
found in an old file during an audit say, still belongs in the breach register (UK GDPR
Art. 33(5)), so the DPO enters it here with the reason it comes only now; the reason is kept
on the incident and in its audit trail. Its deadlines passed long ago: it starts no
checklist, no reminder and no countdown, and its clocks say it was recorded late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from breachdesk.domain.clock import format_local
from breachdesk.domain.date_limits import REPORT_LOOKBACK
from breachdesk.domain.date_limits import ImplausibleDate
from breachdesk.domain.date_limits import check_instant
from breachdesk.domain.profile import Profile
from breachdesk.domain.vocabulary import NOT_SURE_ASSET
from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import User
from breachdesk.services import audit
from breachdesk.services.reporting import DESCRIPTION_LIMIT
from breachdesk.services.reporting import asset_rows
from breachdesk.services.reporting import numbered
from breachdesk.timeutil import utcnow

REASON_LIMIT = 2_000


@dataclass(frozen=True)
class PastBreach:
    """A breach noticed long ago, as the DPO enters it."""

    description: str
    noticed_at: datetime
    occurred_at: datetime | None
    asset_ids: tuple[str, ...]
    data_categories: tuple[str, ...]
    people_count: int | None
    reason: str


class PastBreachError(ValueError):
    """A past breach that cannot be recorded; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_past_breach(breach: PastBreach, profile: Profile, now: datetime) -> None:
    """Raise PastBreachError on the first answer the DPO needs to correct."""
    if not breach.description.strip():
        raise PastBreachError("description", "Say what happened, in a few words.")
    if len(breach.description) > DESCRIPTION_LIMIT:
        raise PastBreachError("description", f"Keep this under {DESCRIPTION_LIMIT:,} characters.")
    _check_dates(breach, now)
    known = set(profile.asset_ids) | {NOT_SURE_ASSET}
    unknown = [asset for asset in breach.asset_ids if asset not in known]
    if unknown or not breach.asset_ids:
        raise PastBreachError("assets", "Choose at least one place from the list.")
    if not breach.reason.strip():
        raise PastBreachError(
            "reason",
            "Say why it is recorded only now, such as 'found in an old file during an audit'.",
        )
    if len(breach.reason) > REASON_LIMIT:
        raise PastBreachError("reason", f"Keep the reason under {REASON_LIMIT:,} characters.")


def _check_dates(breach: PastBreach, now: datetime) -> None:
    try:
        check_instant(breach.noticed_at, now, "The time it was noticed")
    except ImplausibleDate as exc:
        raise PastBreachError("noticed_at", str(exc)) from None
    if breach.noticed_at >= now - REPORT_LOOKBACK:
        raise PastBreachError(
            "noticed_at",
            "That is within the last year: report it with the usual form instead, so that its "
            "deadlines and reminders run.",
        )
    if breach.occurred_at is None:
        return
    try:
        check_instant(breach.occurred_at, now, "When it happened")
    except ImplausibleDate as exc:
        raise PastBreachError("occurred_at", str(exc)) from None
    if breach.occurred_at > breach.noticed_at:
        raise PastBreachError(
            "occurred_at", "It cannot have happened after it was noticed: check both dates."
        )


def record_past_breach(dpo: User, breach: PastBreach, profile: Profile) -> Incident:
    """Enter the breach in the register, recorded late with its reason; one transaction."""
    now = utcnow()
    check_past_breach(breach, profile, now)
    reason = " ".join(breach.reason.split())
    incident = Incident(
        **numbered(now),
        reporter=dpo,
        description=breach.description.strip(),
        occurred_at=breach.occurred_at,
        noticed_at=breach.noticed_at,
        reported_at=now,
        # The organisation knew when it was noticed: the register keeps that as awareness.
        aware_at=breach.noticed_at,
        data_categories=list(breach.data_categories),
        people_count=breach.people_count,
        recorded_late_at=now,
        recorded_late_reason=reason,
    )
    incident.asset_rows = asset_rows(breach.asset_ids)
    db.session.add(incident)
    audit.record(
        incident,
        dpo,
        "recorded-late",
        f"Past breach recorded, noticed {format_local(breach.noticed_at)}: {reason}",
        reason=reason,
        noticed_at=breach.noticed_at.isoformat(),
    )
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return incident
