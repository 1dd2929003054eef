"""The breach register (UK GDPR Art. 33(5)): every incident, notified or not, and why."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select
from sqlalchemy import bindparam
from sqlalchemy import select
from sqlalchemy import tuple_

from breachdesk.domain.clock import ClockState
from breachdesk.domain.clock import clock_state
from breachdesk.domain.profile import Profile
from breachdesk.extensions import db
from breachdesk.models import Assessment
from breachdesk.models import Audience
from breachdesk.models import Incident
from breachdesk.models import IncidentAsset
from breachdesk.models import IncidentStatus
from breachdesk.models import NoticeRecord
from breachdesk.services.clocks import ico_deadline_for
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


def entries_for(incidents: list, profile: Profile, now: datetime) -> list[RegisterEntry]:
    """The register's lines for these incidents (a page): rows of ``REGISTER_COLUMNS``, with
    their places, decisions and notices read here, each in one statement, as plain rows."""
    ids = [incident.id for incident in incidents]
    places, decisions, notices = _places(ids), _decisions(ids), _notices(ids)
    entries = []
    for incident in incidents:
        made, told = decisions.get(incident.id, []), notices.get(incident.id, [])
        # A line shows the ICO's clock alone: the people's is not worked out.
        inputs = inputs_from_rows(incident, made, told)
        ico = clock_state(now, ico_deadline_for(inputs, now))
        entries.append(
            _entry(
                incident,
                tuple(profile.asset_name(a) for a in places.get(incident.id, [])),
                made[-1] if made else None,
                told,
                ico,
            )
        )
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
        batch = list(db.session.execute(batch_query.limit(_BATCH)))
        if not batch:
            return
        yield from entries_for(batch, profile, now)
        # Plain rows, held by nothing once written: memory stays one batch, however long.
        after = (batch[-1].reported_at, batch[-1].id)


#: What a line shows of each row kept beside an incident, oldest first. The register names no
#: one, and gives a decision's reasons, not the facts weighed: neither the decider nor the
#: facts (a JSON document per decision) are read.
_PLACE = (IncidentAsset.asset_id,)
_DECISION = (
    Assessment.id,
    Assessment.decided_at,
    Assessment.risk,
    Assessment.notify_ico,
    Assessment.notify_people,
    Assessment.recommendation,
    Assessment.override_reason,
)
_NOTICE = (
    NoticeRecord.id,
    NoticeRecord.audience,
    NoticeRecord.told_at,
    NoticeRecord.reference,
    NoticeRecord.delay_reasons,
)


def _places(ids: list[int]) -> dict[int, list[str]]:
    """Each incident's places, in the order they were reported."""
    rows = _by_incident(IncidentAsset, _PLACE, (IncidentAsset.position,), ids)
    return {incident: [row.asset_id for row in its] for incident, its in rows.items()}


def _decisions(ids: list[int]) -> dict[int, list]:
    """Each incident's decisions, oldest first: the last is in force."""
    return _by_incident(Assessment, _DECISION, (Assessment.decided_at, Assessment.id), ids)


def _notices(ids: list[int]) -> dict[int, list]:
    """Each incident's notices, first told first."""
    return _by_incident(NoticeRecord, _NOTICE, (NoticeRecord.told_at, NoticeRecord.id), ids)


def _by_incident(model, columns: tuple, order: tuple, ids: list[int]) -> dict[int, list]:
    """``columns`` of the ``model`` rows of these incidents, as plain rows, by incident."""
    found: dict[int, list] = {}
    for row in db.session.execute(_beside_query(model, columns, order), {"ids": ids}):
        found.setdefault(row.incident_id, []).append(row)
    return found


@functools.cache
def _beside_query(model, columns: tuple, order: tuple) -> Select:
    """Built once, the incidents' ids a parameter: SQLAlchemy keeps a statement's cache key
    on the statement object, and works it out again for every one built afresh (see
    ``incident_rows._rows_query``)."""
    of_these = model.incident_id.in_(bindparam("ids", expanding=True))
    return select(model.incident_id, *columns).where(of_these).order_by(*order)


def _entry(
    incident, assets: tuple[str, ...], decision, notices: list, ico_clock: ClockState
) -> RegisterEntry:
    ico = _first(notices, Audience.ICO)
    people = _first(notices, Audience.PEOPLE)
    reasons = tuple(
        r.get("text", "") for r in (decision.recommendation.get("reasons", []) if decision else [])
    )
    return RegisterEntry(
        reference=incident.reference,
        status=IncidentStatus(incident.status).label,
        reported_at=incident.reported_at,
        aware_at=incident.aware_at,
        ico_deadline=ico_clock.due_at,
        assets=assets,
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


def _first(notices: list, audience: Audience):
    return next((n for n in notices if n.audience == audience), None)


def _recorded_late(incident) -> str | None:
    """A past breach entered long after its deadlines: the reason it came only then."""
    reason = incident.recorded_late_reason
    return f"Recorded late: {reason}" if reason else None
