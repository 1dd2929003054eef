"""The breach register (UK GDPR Art. 33(5)): every incident, notified or not, and why."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy import tuple_
from sqlalchemy.orm import defer
from sqlalchemy.orm import raiseload

from breachdesk.domain import clock
from breachdesk.domain.profile import Profile
from breachdesk.extensions import db
from breachdesk.models import Assessment
from breachdesk.models import Audience
from breachdesk.models import Incident
from breachdesk.models import NoticeRecord
from breachdesk.services.clocks import clocks_from_inputs
from breachdesk.services.clocks import inputs_from_rows
from breachdesk.services.incident_lists import IncidentFilter
from breachdesk.services.incident_lists import register_query

_BATCH = 500


@dataclass(frozen=True)
class RegisterEntry:
    """One line of the register, in the words a regulator would read."""

    reference: str
    status: str
    reported_at: datetime
    aware_at: datetime
    ico_deadline: datetime
    assets: tuple[str, ...]
    what_happened: str
    data: tuple[str, ...]
    people: int | None
    risk: str | None
    notify_ico: bool | None
    notify_people: str | None
    decided_at: datetime | None
    reasons: tuple[str, ...]
    override_reason: str | None
    ico_told_at: datetime | None
    ico_reference: str | None
    people_told_at: datetime | None
    late: bool
    delay_reasons: str | None
    closed_at: datetime | None


def entries_for(incidents: list[Incident], profile: Profile, now: datetime) -> list[RegisterEntry]:
    """The register's lines for these incidents (a page), with decisions and notices."""
    ids = [incident.id for incident in incidents]
    decisions = _decisions(ids)
    notices = _notices(ids)
    hours = profile.people_notice_hours
    entries = []
    for incident in incidents:
        made, told = decisions.get(incident.id, []), notices.get(incident.id, [])
        clocks = clocks_from_inputs(inputs_from_rows(incident, made, told), now, hours)
        entries.append(_entry(incident, profile, made[-1] if made else None, told, clocks.ico))
    return entries


def every_entry(
    profile: Profile, now: datetime, wanted: IncidentFilter | None = None
) -> Iterator[RegisterEntry]:
    """Every line matching ``wanted``, newest first, read a batch at a time (the CSV)."""
    query = register_query(wanted or IncidentFilter(), now)
    after = None
    while True:
        batch_query = query
        if after is not None:
            batch_query = query.where(tuple_(Incident.reported_at, Incident.id) < after)
        batch = list(db.session.scalars(batch_query.limit(_BATCH)))
        if not batch:
            return
        yield from entries_for(batch, profile, now)
        # The session holds loaded rows weakly: memory stays one batch, however long the list.
        after = (batch[-1].reported_at, batch[-1].id)


def _decisions(ids: list[int]) -> dict[int, list[Assessment]]:
    """Each incident's decisions, oldest first: the last is in force."""
    # The register names no one, and gives the reasons, not the facts weighed: neither the
    # decider nor the facts (a JSON document per decision) are read.
    query = select(Assessment).options(raiseload(Assessment.decided_by), defer(Assessment.facts))
    return _by_incident(query.order_by(Assessment.decided_at, Assessment.id), Assessment, ids)


def _notices(ids: list[int]) -> dict[int, list[NoticeRecord]]:
    """Each incident's notices, first told first."""
    query = select(NoticeRecord).options(raiseload(NoticeRecord.recorded_by))
    return _by_incident(query.order_by(NoticeRecord.told_at, NoticeRecord.id), NoticeRecord, ids)


def _by_incident(query, model, ids: list[int]) -> dict[int, list]:
    found: dict[int, list] = {}
    for row in db.session.scalars(query.where(model.incident_id.in_(ids))):
        found.setdefault(row.incident_id, []).append(row)
    return found


def _entry(
    incident: Incident,
    profile: Profile,
    decision: Assessment | None,
    notices: list[NoticeRecord],
    ico_clock: clock.ClockState,
) -> RegisterEntry:
    ico = _first(notices, Audience.ICO)
    people = _first(notices, Audience.PEOPLE)
    reasons = tuple(
        r.get("text", "") for r in (decision.recommendation.get("reasons", []) if decision else [])
    )
    return RegisterEntry(
        reference=incident.reference,
        status=incident.status.label,
        reported_at=incident.reported_at,
        aware_at=incident.aware_at,
        ico_deadline=ico_clock.due_at,
        assets=tuple(profile.asset_name(a) for a in incident.asset_ids),
        what_happened=incident.description,
        data=tuple(incident.data_categories),
        people=incident.people_count,
        risk=decision.risk if decision else None,
        notify_ico=decision.notify_ico if decision else None,
        notify_people=decision.notify_people if decision else None,
        decided_at=decision.decided_at if decision else None,
        reasons=reasons,
        override_reason=decision.override_reason if decision else None,
        ico_told_at=ico.told_at if ico else None,
        ico_reference=ico.reference if ico else None,
        people_told_at=people.told_at if people else None,
        # Art. 33(1): told after 72 hours, or not told and past them when it should have been.
        late=ico_clock.late,
        delay_reasons=ico.delay_reasons if ico else _recorded_late(incident),
        closed_at=incident.closed_at,
    )


def _first(notices: list[NoticeRecord], audience: Audience) -> NoticeRecord | None:
    return next((n for n in notices if n.audience == audience), None)


def _recorded_late(incident: Incident) -> str | None:
    """A past breach entered long after its deadlines: the reason it came only then."""
    reason = incident.recorded_late_reason
    return f"Recorded late: {reason}" if reason else None
