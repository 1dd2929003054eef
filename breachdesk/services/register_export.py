"""The whole breach register as records, read in batches so any size fits in memory.

UK GDPR Art. 33(5): the facts of every breach, its effects and the remedial action taken,
notified or not. Each record is plain JSON-ready data (times as ISO UTC); ``export_csv`` and
``export_json`` turn the stream into text a chunk at a time, for a download or a file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select

from breachdesk.domain.profile import Profile
from breachdesk.domain.vocabulary import DATA_CATEGORY_LABELS
from breachdesk.domain.vocabulary import DataCategory
from breachdesk.extensions import db
from breachdesk.models import Assessment
from breachdesk.models import AuditChainHead
from breachdesk.models import ChecklistItem
from breachdesk.models import Incident
from breachdesk.models import NoticeRecord
from breachdesk.models import StepState
from breachdesk.services.audit import HEAD_ID
from breachdesk.services.clocks import clocks_for

#: Incidents per round of queries: a few queries each, whatever the register's size.
BATCH = 500


def iter_records(profile: Profile, now: datetime, batch: int = BATCH) -> Iterator[dict[str, Any]]:
    """Every incident, oldest first, as one register record each."""
    last_id = 0
    while True:
        query = select(Incident).where(Incident.id > last_id).order_by(Incident.id).limit(batch)
        incidents = db.session.scalars(query).all()
        if not incidents:
            return
        yield from _records(incidents, profile, now)
        last_id = incidents[-1].id
        # Rows already written are not needed again: let the session forget them.
        for incident in incidents:
            db.session.expunge(incident)


def _records(incidents: list[Incident], profile: Profile, now: datetime) -> Iterator[dict]:
    ids = [incident.id for incident in incidents]
    decisions = _latest_decisions(ids)
    notices = _notices(ids)
    steps = _steps_done(ids)
    references = _references({i.duplicate_of_id for i in incidents} - {None})
    clocks = clocks_for(incidents, now)
    for incident in incidents:
        decision = decisions.get(incident.id)
        ico_clock = clocks[incident.id].ico
        told = notices.get(incident.id, [])
        yield {
            "reference": incident.reference,
            "status": incident.status.label,
            "reported_at": _iso(incident.reported_at),
            "occurred_at": _iso(incident.occurred_at),
            "aware_at": _iso(incident.aware_at),
            "ico_deadline": _iso(ico_clock.due_at),
            "assets": [profile.asset_name(a) for a in incident.asset_ids],
            "what_happened": incident.description,
            "data_categories": [_category(c) for c in incident.data_categories],
            "data_notes": incident.data_notes,
            "people_affected": incident.people_count,
            "risk": decision.risk if decision else None,
            "notify_ico": decision.notify_ico if decision else None,
            "notify_people": decision.notify_people if decision else None,
            "notify_controller": decision.notify_controller if decision else None,
            "decision_reasons": _reasons(decision),
            "departs_from_recommendation_because": decision.override_reason if decision else None,
            "decided_by": decision.decided_by.display_name if decision else None,
            "decided_at": _iso(decision.decided_at) if decision else None,
            "notices": [_notice(n) for n in told],
            "late": ico_clock.late,
            "delay_reasons": "; ".join(n.delay_reasons for n in told if n.delay_reasons) or None,
            "remedial_action": steps.get(incident.id, []),
            "duplicate_of": references.get(incident.duplicate_of_id),
            "closed_at": _iso(incident.closed_at),
            "closing_summary": incident.closing_summary,
            "lessons_learnt": incident.lessons_learnt,
        }


def _latest_decisions(ids: list[int]) -> dict[int, Assessment]:
    latest: dict[int, Assessment] = {}
    query = select(Assessment).where(Assessment.incident_id.in_(ids))
    for row in db.session.scalars(query.order_by(Assessment.decided_at, Assessment.id)):
        latest[row.incident_id] = row
    return latest


def _notices(ids: list[int]) -> dict[int, list[NoticeRecord]]:
    found: dict[int, list[NoticeRecord]] = defaultdict(list)
    query = select(NoticeRecord).where(NoticeRecord.incident_id.in_(ids))
    for row in db.session.scalars(query.order_by(NoticeRecord.told_at, NoticeRecord.id)):
        found[row.incident_id].append(row)
    return found


def _steps_done(ids: list[int]) -> dict[int, list[str]]:
    """What was done about it: the playbook steps marked done, in checklist order."""
    found: dict[int, list[str]] = defaultdict(list)
    query = (
        select(ChecklistItem.incident_id, ChecklistItem.title)
        .where(ChecklistItem.incident_id.in_(ids), ChecklistItem.state == StepState.DONE)
        .order_by(ChecklistItem.incident_id, ChecklistItem.position)
    )
    for incident_id, title in db.session.execute(query):
        found[incident_id].append(title)
    return found


def _references(ids: Iterable[int]) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    rows = db.session.execute(select(Incident.id, Incident.reference).where(Incident.id.in_(ids)))
    return dict(rows.all())


_AUDIENCES = {"ico": "ICO", "people": "people affected", "controller": "controller"}


def _notice(row: NoticeRecord) -> dict[str, Any]:
    return {
        "audience": _AUDIENCES.get(row.audience.value, row.audience.value),
        # A controller is named; the people's addresses stay out of the register.
        "to": row.recipient if row.audience.value == "controller" else None,
        "told_at": _iso(row.told_at),
        "reference": row.reference,
        "channel": row.channel or None,
    }


def _reasons(decision: Assessment | None) -> list[str]:
    if decision is None:
        return []
    return [r.get("text", "") for r in decision.recommendation.get("reasons", []) if r.get("text")]


def _category(value: str) -> str:
    try:
        return DATA_CATEGORY_LABELS[DataCategory(value)]
    except ValueError:
        return value


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def export_header(profile: Profile, now: datetime) -> dict[str, Any]:
    """What the JSON export says about itself: whose register, when, and the audit head."""
    head = db.session.get(AuditChainHead, HEAD_ID)
    return {
        "register_of": profile.legal_name,
        "exported_at": now.isoformat(),
        "incident_count": db.session.scalar(select(func.count()).select_from(Incident)),
        # Compare with `breachdesk audit verify` later: the trail up to here is unchanged.
        "audit_trail_head": {"seq": head.seq, "hash": head.hash} if head else None,
    }
