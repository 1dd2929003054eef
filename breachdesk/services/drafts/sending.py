"""Approving and sending drafts, and the follow-up report to the ICO.

Sending the ICO report or a notice to the people or a controller is recorded through the
notices service, which stops the matching clock and refuses a late report without the
reasons for the delay (UK GDPR Art. 33(1)).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from breachdesk.domain import drafting as d
from breachdesk.domain.drafting import DraftKind
from breachdesk.domain.profile import Profile
from breachdesk.extensions import db
from breachdesk.models import Audience
from breachdesk.models import DraftDoc
from breachdesk.models import DraftState
from breachdesk.models import DraftVersion
from breachdesk.models import Incident
from breachdesk.models import User
from breachdesk.services import audit
from breachdesk.services.drafts.context import build_context
from breachdesk.services.drafts.context import context_from_json
from breachdesk.services.drafts.editing import DraftError
from breachdesk.services.drafts.editing import as_draft
from breachdesk.services.drafts.editing import drafts_for
from breachdesk.services.drafts.editing import new_doc
from breachdesk.services.drafts.editing import templates
from breachdesk.timeutil import utcnow

#: Sending these is a notice that stops a clock; the notices service records it.
_AUDIENCES = {
    DraftKind.ICO: Audience.ICO,
    DraftKind.PEOPLE_LETTER: Audience.PEOPLE,
    DraftKind.PEOPLE_EMAIL: Audience.PEOPLE,
    DraftKind.PUBLIC_NOTICE: Audience.PEOPLE,
    DraftKind.CONTROLLER: Audience.CONTROLLER,
}
#: The notices service's field names, as the mark-sent form calls them.
_NOTICE_FIELDS = {"told_at": "sent_at", "reference": "ico_reference", "recipient": "sent_to"}


#: The sections of the ICO report that carry an Art. 33(3) element.
ART_33_3_SECTIONS = (
    "What has happened",  # (a) the nature of the breach
    "Personal data placed at risk",  # (a) categories and approximate numbers
    "Who the ICO should contact",  # (b) the contact point
    "Likely consequences for the people",  # (c)
    "Containment and recovery",  # (d) measures taken or proposed
)
#: How a profile marks a value still to be replaced with the organisation's own.
DEMO_MARK = "DEMO"


def approve(doc: DraftDoc, actor: User, *, phased: bool = False) -> DraftVersion:
    """Approve the current version; from now on it can only be sent, never changed.

    Refused while it holds a profile's DEMO value, and, for the ICO report, while an
    Art. 33(3) element still says "To follow" unless the DPO confirms that the report is
    meant to be made in phases (Art. 33(4)).
    """
    version = doc.current
    if version.state is not DraftState.DRAFT:
        raise DraftError("state", f"Version {version.number} is already {version.state.value}.")
    demo = _demo_lines(version)
    if demo:
        raise DraftError(
            "state",
            f"This draft still holds the profile's example values ({demo[0]}). Put the "
            "organisation's own in the profile, or edit them here, before approving it.",
        )
    pending = _pending_elements(doc, version)
    if pending and not phased:
        raise DraftError(
            "phased",
            f'Still "To follow" in: {", ".join(pending)}. Confirm that you mean to report in '
            "phases (UK GDPR Art. 33(4)), sending the rest as soon as it is known, to approve "
            "it as it is.",
        )
    version.approved_at, version.approved_by_id = utcnow(), actor.id
    phases = f" as a phased report (to follow: {', '.join(pending)})" if pending else ""
    audit.record(
        doc.incident, actor, "draft-approved", f"{doc.title}: version {version.number}{phases}"
    )
    db.session.commit()
    return version


def _demo_lines(version: DraftVersion) -> list[str]:
    text = f"{version.subject}\n{version.body_markdown}"
    found = [d.plain_inline(line.strip(" -*")) for line in text.splitlines() if DEMO_MARK in line]
    return [line if len(line) <= 90 else line[:87] + "..." for line in found]


def _pending_elements(doc: DraftDoc, version: DraftVersion) -> list[str]:
    if doc.kind != DraftKind.ICO.value:
        return []
    return [
        heading
        for heading, text in d.sections(as_draft(doc, version))
        if heading in ART_33_3_SECTIONS and d.TO_FOLLOW_MARK in text
    ]


def mark_sent(
    doc: DraftDoc,
    actor: User,
    *,
    sent_at: datetime,
    channel: str,
    sent_to: str,
    ico_reference: str | None = None,
    delay_reasons: str | None = None,
) -> DraftVersion:
    """Record that the approved version went out: when, how, to whom (and the ICO's reference).

    Raises:
        DraftError: the version is not approved, or a detail is missing or impossible.
    """
    version = doc.current
    details = _checked_sending(doc, version, sent_at, channel, sent_to, ico_reference)
    reasons = (delay_reasons or "").strip() or None
    version.sent_at, version.sent_by_id = sent_at, actor.id
    version.channel, version.sent_to, version.ico_reference = details
    audit.record(
        doc.incident,
        actor,
        "draft-sent",
        f"{doc.title}: version {version.number} sent to {sent_to}",
    )
    try:
        _record_notice(doc, version, actor, reasons)
    except ValueError as exc:
        # The notices service refuses, for one, a late report without reasons (Art. 33(1)).
        db.session.rollback()
        field = getattr(exc, "field", "sent_at")
        raise DraftError(_NOTICE_FIELDS.get(field, field), str(exc)) from exc
    db.session.commit()
    return version


def _checked_sending(doc, version, sent_at, channel, sent_to, ico_reference):
    if version.state is DraftState.SENT:
        raise DraftError("state", "This version was already sent: edit it to make a new one.")
    if version.state is not DraftState.APPROVED:
        raise DraftError("state", "Approve this version before marking it sent.")
    if sent_at > utcnow():
        raise DraftError("sent_at", "The time it was sent cannot be in the future.")
    channel, sent_to = channel.strip(), sent_to.strip()
    if not channel:
        raise DraftError("channel", "Say how it was sent.")
    if not sent_to:
        raise DraftError("sent_to", "Say who it was sent to.")
    if not sent_to.isprintable():
        # It becomes the To line of the .eml export, where a line break would end the header.
        raise DraftError("sent_to", "Give who it was sent to on one line, without line breaks.")
    reference = (ico_reference or "").strip() or None
    if doc.kind == DraftKind.ICO.value:
        reference = reference or ico_case_reference(doc.incident)
        if reference is None:
            raise DraftError("ico_reference", "Give the case reference the ICO gave you.")
    return channel, sent_to, reference


def _record_notice(doc: DraftDoc, version: DraftVersion, actor: User, reasons) -> None:
    audience = _AUDIENCES.get(DraftKind(doc.kind))
    if audience is None or doc.report_kind == "follow-up":
        return
    from breachdesk.services.notices import record_notice

    record_notice(
        doc.incident,
        audience,
        version.sent_at,
        version.ico_reference,
        version.channel,
        version.sent_to,
        reasons,
        actor,
        draft_id=doc.id,
    )


def ico_case_reference(incident: Incident) -> str | None:
    """The ICO's case reference from the first ICO report marked sent."""
    for doc in drafts_for(incident):
        if doc.kind == DraftKind.ICO.value:
            for version in doc.versions:
                if version.ico_reference:
                    return version.ico_reference
    return None


def start_follow_up(
    incident: Incident, profile: Profile, actor: User, *, instance_path: Path
) -> DraftDoc:
    """Draft a follow-up ICO report carrying only what changed (UK GDPR Art. 33(4))."""
    reports = [doc for doc in drafts_for(incident) if doc.kind == DraftKind.ICO.value]
    sent = [doc for doc in reports if doc.last_sent is not None]
    if not sent:
        raise DraftError("kind", "Mark the first ICO report as sent before a follow-up.")
    if reports[-1].last_sent is None:
        raise DraftError("kind", "Finish and send the report in progress first.")
    earlier = context_from_json(sent[-1].last_sent.context)
    ctx = replace(
        build_context(incident, profile),
        report_kind="follow-up",
        ico_case_reference=ico_case_reference(incident),
        previous=replace(earlier, previous=None),
    )
    draft = d.draft_ico_report(ctx, templates(profile, instance_path)(DraftKind.ICO))
    doc = new_doc(incident, f"follow-up-{len(reports)}", draft, ctx, actor)
    audit.record(incident, actor, "drafts-made", f"Drafted: {doc.title}")
    db.session.commit()
    return doc
