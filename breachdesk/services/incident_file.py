"""One incident's whole record, as an auditor or the ICO would be handed it.

The report as made and as corrected, the facts and each change to them, the playbook steps
with their notes, the findings with the fingerprints of their evidence, every decision with
its reasons, the messages sent and the notices recorded, and the timeline. A fixed number of
queries whatever the incident holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from breachdesk.domain.profile import Profile
from breachdesk.extensions import db
from breachdesk.models import Assessment
from breachdesk.models import AuditEvent
from breachdesk.models import ChecklistItem
from breachdesk.models import DraftDoc
from breachdesk.models import DraftVersion
from breachdesk.models import Finding
from breachdesk.models import Incident
from breachdesk.models import IncidentFacts
from breachdesk.models import NoticeRecord
from breachdesk.services.timeline import TimelineEntry
from breachdesk.services.timeline import full_timeline

#: Audit events that changed what is known of the breach.
FACT_KINDS = ("report-corrected", "facts-changed", "awareness-changed", "duplicate-folded")


@dataclass(frozen=True)
class IncidentFile:
    incident: Incident
    assets: list[str]
    original: dict[str, Any] | None
    fact_changes: list[AuditEvent]
    facts: dict[str, Any] | None
    steps: list[ChecklistItem]
    findings: list[Finding]
    decisions: list[Assessment]
    messages: list[DraftVersion]
    notices: list[NoticeRecord]
    timeline: list[TimelineEntry]
    duplicates: list[str]

    @property
    def steps_done(self) -> list[ChecklistItem]:
        return [s for s in self.steps if s.state.value == "done"]


def incident_file(incident: Incident, profile: Profile) -> IncidentFile:
    where = {"incident_id": incident.id}
    facts_row = db.session.get(IncidentFacts, incident.id)
    return IncidentFile(
        incident=incident,
        assets=[profile.asset_name(a) for a in incident.asset_ids],
        original=incident.original_report,
        fact_changes=list(
            db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.incident_id == incident.id, AuditEvent.kind.in_(FACT_KINDS))
                .order_by(AuditEvent.seq)
            )
        ),
        facts=facts_row.facts if facts_row else None,
        steps=list(
            db.session.scalars(
                select(ChecklistItem)
                .filter_by(**where)
                .options(selectinload(ChecklistItem.notes))
                .order_by(ChecklistItem.position, ChecklistItem.id)
            )
        ),
        findings=list(
            db.session.scalars(
                select(Finding)
                .filter_by(**where)
                .options(selectinload(Finding.evidence))
                .order_by(Finding.id)
            )
        ),
        decisions=list(
            db.session.scalars(
                select(Assessment).filter_by(**where).order_by(Assessment.decided_at, Assessment.id)
            )
        ),
        messages=list(
            db.session.scalars(
                select(DraftVersion)
                .join(DraftDoc)
                .where(DraftDoc.incident_id == incident.id, DraftVersion.sent_at.is_not(None))
                .order_by(DraftVersion.sent_at, DraftVersion.id)
            )
        ),
        notices=list(
            db.session.scalars(
                select(NoticeRecord).filter_by(**where).order_by(NoticeRecord.told_at)
            )
        ),
        timeline=full_timeline(incident),
        duplicates=list(
            db.session.scalars(
                select(Incident.reference).where(Incident.duplicate_of_id == incident.id)
            )
        ),
    )
