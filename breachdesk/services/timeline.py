"""One chronological record per incident: the audit trail, enriched with the rows behind it.

Every capability writes an audit event, so the trail is the spine. Findings, assessments
and notices are also read from their own tables: a row with its event adds detail to that
event; a row with none (written before its event existed) still appears, once. UK GDPR
Art. 33(5) asks for the facts, effects and remedial action of every breach to be kept;
this is that record, and what the DPO exports for the ICO.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime
from datetime import timedelta

from breachdesk.domain.vocabulary import Role
from breachdesk.models import Assessment
from breachdesk.models import AuditEvent
from breachdesk.models import Finding
from breachdesk.models import Incident
from breachdesk.models import NoticeRecord
from breachdesk.models import User
from breachdesk.services.findings import findings_for
from breachdesk.services.incident_rows import rows_of

#: How far apart a row and its audit event may be written and still be the same thing.
SAME_MOMENT = timedelta(seconds=60)

#: Event kinds by the start of their name, and the heading each is shown under.
CATEGORIES = (
    ("reported", "report", "Report"),
    ("facts", "facts", "Facts"),
    ("awareness", "awareness", "Awareness"),
    ("status", "status", "Status"),
    ("step", "step", "Checklist"),
    ("checklist", "step", "Checklist"),
    ("finding", "finding", "Finding"),
    ("proposal", "finding", "Finding"),
    ("assess", "assessment", "Assessment"),
    ("decision", "assessment", "Assessment"),
    ("notice", "notice", "Notice"),
    ("assigned", "assignment", "Assignment"),
    ("unassigned", "assignment", "Assignment"),
    ("draft", "draft", "Draft"),
    ("reminder", "reminder", "Reminder"),
    ("deadline", "reminder", "Reminder"),
    ("outbox", "message", "Message"),
)
LABELS = {category: label for _, category, label in CATEGORIES} | {"other": "Other"}


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened to an incident."""

    at: datetime
    category: str
    kind: str
    summary: str
    actor: str
    detail: str
    technical: bool
    rank: tuple[int, int]

    @property
    def label(self) -> str:
        return LABELS.get(self.category, "Other")


def category_of(kind: str) -> str:
    """The category an event kind belongs to ("step-done" -> "step")."""
    return next((cat for prefix, cat, _ in CATEGORIES if kind.startswith(prefix)), "other")


def timeline_for(incident: Incident, viewer: User) -> list[TimelineEntry]:
    """Everything ``viewer`` may see of the incident's history, oldest first.

    The DPO sees all of it; an IT user only the technical part: the report (without who
    made it), the technical steps and the findings.
    """
    entries = full_timeline(incident)
    if viewer.has_role(Role.DPO):
        return entries
    return [_without_reporter(e) for e in entries if e.technical]


#: What a reporter without another role sees of their own report's history: its progress.
_REPORTER_KINDS = ("reported", "status-changed", "assessed", "notice-recorded")


def history_for(incident: Incident, viewer: User) -> list[TimelineEntry]:
    """The history on the incident page: the timeline as ``viewer`` may see it.

    A reporter with no other part in the response sees their report and how it moved on,
    not the response's working details.
    """
    if viewer.has_role(Role.DPO) or viewer.id in incident.assigned_user_ids():
        return timeline_for(incident, viewer)
    return [
        replace(entry, detail="")
        for entry in full_timeline(incident)
        if entry.kind in _REPORTER_KINDS
    ]


def full_timeline(incident: Incident) -> list[TimelineEntry]:
    """Every entry, from the audit trail and the finding, assessment and notice rows."""
    events = sorted(rows_of(AuditEvent, incident.id), key=lambda e: (e.at, e.id))
    entries = {event.id: _from_event(event) for event in events}
    unmatched = [e for e in events if _is_row_kind(e.kind)]
    extra: list[TimelineEntry] = []
    for row, kinds, describe, synthesise in _rows(incident):
        event = _claim(unmatched, row, kinds)
        if event is None:
            extra.append(synthesise(row))
        elif detail := describe(row):
            entries[event.id] = replace(entries[event.id], detail=detail)
    return sorted([*entries.values(), *extra], key=lambda e: (e.at, e.rank))


# -- events -----------------------------------------------------------------------------


def _from_event(event: AuditEvent) -> TimelineEntry:
    category = category_of(event.kind)
    details = event.details or {}
    # IT sees the report itself, the technical steps and the findings: what it needs to work.
    technical = event.kind in ("reported", "finding-added") or (
        category == "step" and details.get("role") == Role.IT.value
    )
    return TimelineEntry(
        at=event.at,
        category=category,
        kind=event.kind,
        summary=event.summary,
        actor=event.actor.display_name if event.actor else "",
        detail=_event_detail(event.kind, details),
        technical=technical,
        rank=(0, event.id),
    )


def _event_detail(kind: str, details: dict) -> str:
    """The part of an event's details a reader needs beside its summary."""
    if kind == "facts-changed":
        changes = details.get("changes") or {}
        return "; ".join(f"{name}: {_plain(value)}" for name, value in sorted(changes.items()))
    for key in ("reason", "note"):
        if details.get(key):
            return str(details[key])
    return ""


def _plain(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return "not known" if value is None else str(value)


def _without_reporter(entry: TimelineEntry) -> TimelineEntry:
    # IT contractors need what happened, not who reported it (data minimisation, Art. 5(1)(c)).
    return replace(entry, actor="") if entry.category == "report" else entry


# -- rows behind events -----------------------------------------------------------------

_FINDING_KINDS = ("finding-added",)
_NOTICE_KINDS = ("notice-recorded",)
_ASSESSMENT_PREFIXES = ("assess", "decision")
_ROW_KINDS = frozenset(_FINDING_KINDS + _NOTICE_KINDS)


def _is_row_kind(kind: str) -> bool:
    return kind in _ROW_KINDS or kind.startswith(_ASSESSMENT_PREFIXES)


def _rows(incident: Incident):
    """(row, event kinds, detail, entry for a row with no event) for every kept row."""
    # The rows the incident page's panels show too, read once (see incident_rows).
    for finding in sorted(findings_for(incident), key=lambda f: f.id):
        yield finding, _FINDING_KINDS, _finding_detail, _finding_entry
    for row in rows_of(Assessment, incident.id):
        yield row, None, _assessment_detail, _assessment_entry
    for row in rows_of(NoticeRecord, incident.id):
        yield row, _NOTICE_KINDS, _notice_detail, _notice_entry


def _claim(events: list[AuditEvent], row, kinds: tuple[str, ...] | None):
    """Take the unclaimed event that records ``row``: by its id if given, else by moment."""
    at, actor_id, id_key = _row_identity(row)
    for event in events:
        if not (event.kind in kinds if kinds else event.kind.startswith(_ASSESSMENT_PREFIXES)):
            continue
        named = (event.details or {}).get(id_key)
        same = named == row.id if named is not None else _same_moment(event, at, actor_id)
        if same:
            events.remove(event)
            return event
    return None


def _same_moment(event: AuditEvent, at: datetime, actor_id: int | None) -> bool:
    return event.actor_id == actor_id and abs(event.at - at) <= SAME_MOMENT


def _row_identity(row) -> tuple[datetime, int | None, str]:
    if isinstance(row, Finding):
        return row.created_at, row.author_id, "finding_id"
    if isinstance(row, Assessment):
        return row.decided_at, row.decided_by_id, "assessment_id"
    return row.recorded_at, row.recorded_by_id, "notice_id"


def _finding_detail(finding: Finding) -> str:
    parts = [f"Data copied out: {finding.exfiltration.value.replace('_', ' ')}"]
    if finding.systems_affected:
        parts.append(f"Systems: {finding.systems_affected}")
    if finding.evidence:
        parts.append(f"Evidence files: {len(finding.evidence)}")
    return "; ".join(parts)


def _finding_entry(finding: Finding) -> TimelineEntry:
    return TimelineEntry(
        at=finding.created_at,
        category="finding",
        kind="finding-added",
        summary=f"Technical finding added: {finding.summary.splitlines()[0][:200]}",
        actor=finding.author.display_name,
        detail=_finding_detail(finding),
        technical=True,
        rank=(1, finding.id),
    )


def _assessment_detail(row: Assessment) -> str:
    text = (
        f"Risk: {row.risk}; tell the ICO: {'yes' if row.notify_ico else 'no'}; "
        f"tell the people: {row.notify_people}"
    )
    if row.override_reason:
        text += f"; differs from the recommendation because: {row.override_reason}"
    return text


def _assessment_entry(row: Assessment) -> TimelineEntry:
    return TimelineEntry(
        at=row.decided_at,
        category="assessment",
        kind="assessment-recorded",
        summary="Assessment and decision recorded",
        actor=row.decided_by.display_name,
        detail=_assessment_detail(row),
        technical=False,
        rank=(2, row.id),
    )


_AUDIENCES = {"ico": "the ICO", "people": "the people affected", "controller": "the controller"}


def _notice_detail(row: NoticeRecord) -> str:
    parts = [f"Told {_AUDIENCES.get(row.audience.value, row.audience.value)}"]
    if row.channel:
        parts.append(f"by {row.channel}")
    if row.reference:
        parts.append(f"reference {row.reference}")
    if row.delay_reasons:
        parts.append(f"reasons for the delay: {row.delay_reasons}")
    return "; ".join(parts)


def _notice_entry(row: NoticeRecord) -> TimelineEntry:
    return TimelineEntry(
        at=row.recorded_at,
        category="notice",
        kind="notice-recorded",
        summary=_notice_detail(row).split(";")[0],
        actor=row.recorded_by.display_name,
        detail=_notice_detail(row),
        technical=False,
        rank=(3, row.id),
    )
