"""Technical findings: what IT found, its evidence, and the fact changes it proposes.

A finding never changes the assessment facts by itself: it proposes, and the DPO, who is
accountable for the decision to notify (UK GDPR Arts. 33(5) and 39), accepts or rejects each
proposal. Both outcomes are kept.
"""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import selectinload

from breachdesk.domain.assessment import FactsError
from breachdesk.domain.date_limits import ImplausibleDate
from breachdesk.domain.date_limits import check_instant
from breachdesk.domain.profile import Profile
from breachdesk.domain.vocabulary import Exfiltration
from breachdesk.domain.vocabulary import Protection
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import EvidenceFile
from breachdesk.models import FactProposal
from breachdesk.models import Finding
from breachdesk.models import Incident
from breachdesk.models import IncidentFacts
from breachdesk.models import Notification
from breachdesk.models import ProposalState
from breachdesk.models import User
from breachdesk.services import accounts
from breachdesk.services import audit
from breachdesk.services import evidence
from breachdesk.services import evidence_storage
from breachdesk.services.evidence_storage import EvidenceFolder
from breachdesk.services.facts import FACT_FIELDS
from breachdesk.services.facts import change_facts
from breachdesk.services.facts import current_facts
from breachdesk.services.facts import initial_facts
from breachdesk.services.facts import merged
from breachdesk.services.incident_rows import rows_of
from breachdesk.timeutil import utcnow

#: Longest text kept per field: generous for pasted log extracts, bounded for the database.
TEXT_LIMITS = {
    "summary": 10_000,
    "systems_affected": 2_000,
    "backups_state": 4_000,
    "indicators": 50_000,
}
NOTE_LIMIT = 2_000

#: Awareness moves only through the DPO's own change with a reason (Art. 33(1) clock), and the
#: controller/processor role is a legal judgement, so a finding proposes every other fact.
PROPOSABLE_FIELDS = tuple(f for f in FACT_FIELDS if f not in ("became_aware_at", "acting_as"))
AVAILABILITY_PARTS = ("backup_available", "outage_hours", "permanent_loss", "people_affected")
PROPOSABLE = PROPOSABLE_FIELDS + tuple(f"availability.{part}" for part in AVAILABILITY_PARTS)


@dataclass(frozen=True)
class FindingInput:
    """One finding as typed in the form or posted to the API, before it is checked."""

    summary: str
    systems_affected: str = ""
    exfiltration: Exfiltration = Exfiltration.UNKNOWN
    encrypted: bool | None = None
    key_safe: bool | None = None
    backups_state: str = ""
    window_start: datetime | None = None
    window_end: datetime | None = None
    indicators: str = ""


class FindingError(ValueError):
    """A finding or decision that cannot be saved; ``field`` names the field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def may_work(user: User, incident: Incident) -> bool:
    """The DPO, or an IT user assigned to the incident: who adds and reads findings."""
    if user.has_role(Role.DPO):
        return True
    return user.has_role(Role.IT) and user.id in incident.assigned_user_ids()


def check_finding(finding: FindingInput) -> None:
    """Raise FindingError on the first field a person would need to correct."""
    if not finding.summary.strip():
        raise FindingError("summary", "Say in a sentence or two what you found.")
    for name, limit in TEXT_LIMITS.items():
        if len(getattr(finding, name)) > limit:
            raise FindingError(name, f"Keep this under {limit:,} characters.")
    start, end = finding.window_start, finding.window_end
    now = utcnow()
    for name, value, words in (
        ("window_start", start, "The start of the time range"),
        ("window_end", end, "The end of the time range"),
    ):
        if value is not None:
            try:
                check_instant(value, now, words)
            except ImplausibleDate as exc:
                raise FindingError(name, str(exc)) from None
    if start is not None and end is not None and end < start:
        raise FindingError("window_end", "The end of the time range is before its start.")


def derived_proposals(finding: FindingInput) -> dict[str, Any]:
    """The fact changes a finding plainly implies, for the DPO to accept or reject."""
    proposals: dict[str, Any] = {}
    if finding.exfiltration is not Exfiltration.UNKNOWN:
        proposals["exfiltration"] = finding.exfiltration.value
    if finding.encrypted is False:
        proposals["protection"] = Protection.NONE.value
    elif finding.encrypted and finding.key_safe is True:
        # Art. 34(3)(a): encryption counts only while the key is safe.
        proposals["protection"] = Protection.ENCRYPTED.value
    elif finding.encrypted and finding.key_safe is False:
        proposals["protection"] = Protection.ENCRYPTED_KEY_COMPROMISED.value
    return proposals


def facts_now(incident: Incident, profile: Profile) -> dict[str, Any]:
    """The incident's facts as they stand, without creating the facts row."""
    row = db.session.get(IncidentFacts, incident.id)
    return dict(row.facts) if row is not None else initial_facts(incident, profile)


def changes_for(field: str, value: Any, facts: dict[str, Any]) -> dict[str, Any]:
    """The facts change one proposal stands for; an availability part keeps the others."""
    if field.startswith("availability."):
        part = field.partition(".")[2]
        return {"availability": {**(facts.get("availability") or {}), part: value}}
    return {field: value}


def check_proposals(facts: dict[str, Any], proposals: dict[str, Any]) -> dict[str, Any]:
    """Each proposal checked on its own against the facts; values returned normalised."""
    checked: dict[str, Any] = {}
    for field, value in proposals.items():
        if field not in PROPOSABLE:
            raise FindingError(f"proposals.{field}", "is not a fact a finding can propose")
        try:
            result = merged(facts, changes_for(field, value, facts))
        except FactsError as exc:
            raise FindingError(f"proposals.{field}", exc.message) from None
        if field.startswith("availability."):
            checked[field] = result["availability"].get(field.partition(".")[2])
        else:
            checked[field] = result.get(field)
    return checked


def add_finding(
    incident: Incident,
    author: User,
    finding: FindingInput,
    profile: Profile,
    *,
    proposals: dict[str, Any] | None = None,
    uploads: Iterable[evidence.Upload] = (),
    evidence_folder: EvidenceFolder | None = None,
    source: str = "web",
) -> Finding:
    """Save a finding with its evidence and proposals, all or nothing, and tell the DPO.

    Raises FindingError or evidence.EvidenceError; then no row and no file is left behind.
    The files are moved into ``evidence_folder`` only once their rows are committed.
    """
    uploads = list(uploads)
    if uploads and evidence_folder is None:
        raise TypeError("evidence files need the evidence folder")
    check_finding(finding)
    facts = facts_now(incident, profile)
    derived = {k: v for k, v in derived_proposals(finding).items() if facts.get(k) != v}
    checked = check_proposals(facts, {**derived, **(proposals or {})})
    staged = evidence_storage.stage_all(uploads, evidence_folder) if uploads else []
    stored = [item.stored for item in staged]
    try:
        row = _finding_row(incident, author, finding, source, stored, checked)
        db.session.flush()
        audit.record(
            incident,
            author,
            "finding-added",
            # The trail is shown to the reporter too: the finding's content stays out of it.
            f"Technical finding added ({_count(len(stored), 'evidence file')}, "
            f"{_count(len(checked), 'proposed fact change')})",
            finding_id=row.id,
            headline=_first_line(finding.summary),
            source=source,
            evidence=[{"name": s.original_name, "sha256": s.sha256} for s in stored],
            proposals=checked,
        )
        _tell_the_dpo(incident, author, len(checked))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        evidence_storage.discard(staged)
        raise
    evidence_storage.publish(staged)
    return row


def _finding_row(incident, author, finding, source, stored, proposals) -> Finding:
    row = Finding(
        incident_id=incident.id,
        author=author,
        source=source,
        summary=finding.summary.strip(),
        systems_affected=finding.systems_affected.strip(),
        exfiltration=finding.exfiltration,
        encrypted=finding.encrypted,
        key_safe=finding.key_safe,
        backups_state=finding.backups_state.strip(),
        window_start=finding.window_start,
        window_end=finding.window_end,
        indicators=finding.indicators.strip(),
    )
    row.evidence = [EvidenceFile(**vars(item)) for item in stored]
    row.proposals = [
        FactProposal(incident_id=incident.id, field=field, value=value)
        for field, value in proposals.items()
    ]
    db.session.add(row)
    return row


def _tell_the_dpo(incident: Incident, author: User, proposal_count: int) -> None:
    asks = f" proposing {proposal_count} fact change(s)" if proposal_count else ""
    for dpo in accounts.users_with_role(Role.DPO):
        if dpo.id != author.id:
            message = f"{author.display_name} added a finding to {incident.reference}{asks}."
            db.session.add(Notification(user_id=dpo.id, incident=incident, message=message))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _first_line(text: str, limit: int = 120) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


#: A finding as it is shown: with its evidence files and its proposals.
_SHOWN_WITH = (selectinload(Finding.evidence), selectinload(Finding.proposals))


def findings_for(incident: Incident) -> list[Finding]:
    """The incident's findings, oldest first (read once per request: the panel and the
    history both show them)."""
    rows = rows_of(Finding, incident.id, *_SHOWN_WITH)
    return sorted(rows, key=lambda f: (f.created_at, f.id))


def proposal_on(incident: Incident, proposal_id: int) -> FactProposal | None:
    proposal = db.session.get(FactProposal, proposal_id)
    return proposal if proposal is not None and proposal.incident_id == incident.id else None


def decide_proposal(
    incident: Incident,
    proposal: FactProposal,
    actor: User,
    profile: Profile,
    *,
    accept: bool,
    note: str = "",
) -> FactProposal:
    """Accept (the facts change, flagged for reassessment) or reject; both are kept."""
    note = note.strip()
    if len(note) > NOTE_LIMIT:
        raise FindingError("note", f"Keep the note under {NOTE_LIMIT:,} characters.")
    state = ProposalState.ACCEPTED if accept else ProposalState.REJECTED
    # A conditional update, so two DPOs deciding at once cannot both win.
    claimed = db.session.execute(
        update(FactProposal)
        .where(FactProposal.id == proposal.id, FactProposal.state == ProposalState.PROPOSED)
        .values(state=state, decided_by_id=actor.id, decided_at=utcnow(), decision_note=note)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise FindingError("decision", "This proposal has already been decided.")
    try:
        if accept:
            facts = current_facts(incident, profile).facts
            changes = changes_for(proposal.field, proposal.value, facts)
            change_facts(incident, profile, changes, actor, source=f"finding {proposal.finding_id}")
        audit.record(
            incident,
            actor,
            f"proposal-{state.value}",
            f"Proposed change to {proposal.field} {state.value}",
            proposal_id=proposal.id,
            finding_id=proposal.finding_id,
            field=proposal.field,
            value=proposal.value,
            note=note,
        )
        db.session.commit()
    except FactsError as exc:
        db.session.rollback()
        raise FindingError("decision", f"The facts no longer accept this: {exc}") from None
    except BaseException:
        db.session.rollback()
        raise
    db.session.refresh(proposal)
    return proposal


def evidence_on(
    incident: Incident, evidence_id: int, folder: EvidenceFolder
) -> tuple[EvidenceFile, Path] | None:
    """An evidence file of ``incident`` and where it is on disk, or None."""
    item = db.session.get(EvidenceFile, evidence_id)
    if item is None or item.finding.incident_id != incident.id:
        return None
    path = folder.path_of(item.stored_name)
    return (item, path) if path.is_file() else None


def recorded_evidence(names: Collection[str]) -> set[str]:
    """Which of these stored names have an evidence row whose file is kept (for the sweep)."""
    names = sorted(names)
    found: set[str] = set()
    for start in range(0, len(names), 500):  # SQLite caps the bound parameters
        chunk = names[start : start + 500]
        query = select(EvidenceFile.stored_name).where(
            EvidenceFile.stored_name.in_(chunk), EvidenceFile.removed_at.is_(None)
        )
        found.update(db.session.scalars(query))
    return found
