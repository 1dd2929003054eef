"""Retention: personal data in closed incidents goes when the profile says it is due.

UK GDPR Art. 5(1)(e): personal data is kept no longer than needed. The register entry stays
(Art. 33(5) asks for it): the facts, decisions, notices and their times. What goes is the
reporter's own words, the evidence files, the recipient lists and the mail merges. Each
removal is an audit event naming what went; a dry run lists the same and removes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy import update

from breachdesk.domain.profile import Profile
from breachdesk.domain.retention import REMOVED_ITEMS
from breachdesk.domain.retention import REMOVED_TEXT
from breachdesk.domain.retention import add_months
from breachdesk.domain.retention import due_at
from breachdesk.extensions import db
from breachdesk.models import Audience
from breachdesk.models import DraftDoc
from breachdesk.models import DraftMerge
from breachdesk.models import DraftVersion
from breachdesk.models import EvidenceFile
from breachdesk.models import Finding
from breachdesk.models import Incident
from breachdesk.models import IncidentStatus
from breachdesk.models import NoticeRecord
from breachdesk.services import audit
from breachdesk.services import evidence_storage
from breachdesk.services.evidence_storage import EvidenceFolder


@dataclass(frozen=True)
class Due:
    """One closed incident whose personal data is due to go, and what it holds."""

    reference: str
    closed_at: datetime
    due_at: datetime
    evidence_files: int
    merges: int


@dataclass(frozen=True)
class RetentionRun:
    due: list[Due]
    removed: bool


def due_now(profile: Profile, now: datetime) -> list[Due]:
    """Closed incidents past the profile's period whose personal data is still kept."""
    months = profile.personal_data_months
    latest_closing = add_months(now, -months)
    incidents = db.session.scalars(
        select(Incident)
        .where(
            Incident.status == IncidentStatus.CLOSED,
            Incident.personal_data_removed_at.is_(None),
            Incident.closed_at <= latest_closing,
        )
        .order_by(Incident.closed_at, Incident.id)
    ).all()
    files = _counts(select(Finding.incident_id, EvidenceFile.id).join(Finding), incidents)
    merges = _counts(select(DraftDoc.incident_id, DraftMerge.id).join(DraftDoc), incidents)
    return [
        Due(
            reference=i.reference,
            closed_at=i.closed_at,
            due_at=due_at(i.closed_at, months),
            evidence_files=files.get(i.id, 0),
            merges=merges.get(i.id, 0),
        )
        for i in incidents
        if due_at(i.closed_at, months) <= now
    ]


def run(
    profile: Profile, now: datetime, evidence_folder: EvidenceFolder, dry_run: bool = False
) -> RetentionRun:
    """Remove what is due (one transaction per incident), or only list it."""
    due = due_now(profile, now)
    if not dry_run:
        for item in due:
            incident = db.session.scalar(
                select(Incident).where(Incident.reference == item.reference)
            )
            stored = _remove(incident, item, now)
            db.session.commit()
            # Files go once the record of their removal is safe: a failed commit keeps them.
            evidence_storage.remove(evidence_folder, [row.stored_name for row in stored])
    return RetentionRun(due=due, removed=not dry_run)


def _remove(incident: Incident, item: Due, now: datetime) -> list[EvidenceFile]:
    incident.description = REMOVED_TEXT
    incident.data_notes = ""
    incident.others_aware = ""
    incident.original_report = None
    incident.personal_data_removed_at = now
    stored = _remove_evidence(incident, now)
    db.session.execute(
        update(NoticeRecord)
        .where(NoticeRecord.incident_id == incident.id, NoticeRecord.audience == Audience.PEOPLE)
        .values(recipient="")
    )
    doc_ids = select(DraftDoc.id).where(DraftDoc.incident_id == incident.id)
    db.session.execute(
        update(DraftMerge)
        .where(DraftMerge.draft_id.in_(doc_ids))
        .values(recipients=[], filename="")
    )
    db.session.execute(
        update(DraftVersion).where(DraftVersion.draft_id.in_(doc_ids)).values(sent_to=None)
    )
    audit.record(
        incident,
        None,
        "personal-data-removed",
        f"Personal data removed under the retention policy: {', '.join(REMOVED_ITEMS)}",
        after={
            "removed": list(REMOVED_ITEMS),
            "evidence_files": item.evidence_files,
            "mail_merges": item.merges,
            "due_at": item.due_at.isoformat(),
        },
    )
    return stored


def _remove_evidence(incident: Incident, now: datetime) -> list[EvidenceFile]:
    rows = db.session.scalars(
        select(EvidenceFile)
        .join(Finding)
        .where(Finding.incident_id == incident.id, EvidenceFile.removed_at.is_(None))
    ).all()
    for row in rows:
        row.removed_at = now  # the name, size and fingerprint stay in the record
    return rows


def _counts(query, incidents: list[Incident]) -> dict[int, int]:
    ids = [i.id for i in incidents]
    counts: dict[int, int] = {}
    if not ids:
        return counts
    first = query.selected_columns[0]
    for incident_id, _ in db.session.execute(query.where(first.in_(ids))):
        counts[incident_id] = counts.get(incident_id, 0) + 1
    return counts
