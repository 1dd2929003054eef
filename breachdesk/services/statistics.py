"""The register in figures: incidents per month and per place, the share reported, and how
long decisions and ICO reports took. A fixed number of queries whatever the register holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy import select

from breachdesk.domain import statistics
from breachdesk.domain.profile import Profile
from breachdesk.extensions import db
from breachdesk.models import Assessment
from breachdesk.models import Audience
from breachdesk.models import Incident
from breachdesk.models import IncidentAsset
from breachdesk.models import NoticeRecord
from breachdesk.timeutil import LONDON

MONTHS = 12


@dataclass(frozen=True)
class RegisterFigures:
    total: int
    per_month: list[tuple[str, int]]
    per_asset: list[tuple[str, int]]
    decided: int
    reported_to_ico: int
    to_decision: statistics.Durations
    to_ico_report: statistics.Durations

    @property
    def share_reported(self) -> int | None:
        """Per cent of the decided incidents that were to be reported to the ICO."""
        return round(100 * self.reported_to_ico / self.decided) if self.decided else None


def figures(profile: Profile, now: datetime) -> RegisterFigures:
    reported = db.session.scalars(select(Incident.reported_at)).all()
    assets = db.session.execute(
        select(IncidentAsset.asset_id, func.count())
        .group_by(IncidentAsset.asset_id)
        .order_by(func.count().desc(), IncidentAsset.asset_id)
    ).all()
    decisions = dict(
        db.session.execute(
            select(Incident.notify_ico, func.count())
            .where(Incident.notify_ico.is_not(None))
            .group_by(Incident.notify_ico)
        ).all()
    )
    first_decision = (
        select(Assessment.incident_id, func.min(Assessment.decided_at).label("at"))
        .group_by(Assessment.incident_id)
        .subquery()
    )
    first_ico = (
        select(NoticeRecord.incident_id, func.min(NoticeRecord.told_at).label("at"))
        .where(NoticeRecord.audience == Audience.ICO)
        .group_by(NoticeRecord.incident_id)
        .subquery()
    )
    return RegisterFigures(
        total=len(reported),
        per_month=statistics.per_month(reported, now.astimezone(LONDON).date(), MONTHS, LONDON),
        per_asset=[(profile.asset_name(asset), count) for asset, count in assets],
        decided=sum(decisions.values()),
        reported_to_ico=decisions.get(True, 0),
        to_decision=_spans(first_decision),
        to_ico_report=_spans(first_ico),
    )


def _spans(firsts) -> statistics.Durations:
    rows = db.session.execute(
        select(Incident.aware_at, firsts.c.at).join(firsts, firsts.c.incident_id == Incident.id)
    )
    # A time before awareness (awareness moved later) counts as no wait, not a negative one.
    return statistics.durations(max(at - aware, timedelta(0)) for aware, at in rows)
