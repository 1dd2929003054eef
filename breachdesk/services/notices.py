"""Recording that the ICO, the people or a controller were told: this stops the clocks."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

from breachdesk.desk import get_profile
from breachdesk.domain import clock
from breachdesk.extensions import db
from breachdesk.models import Audience
from breachdesk.models import Incident
from breachdesk.models import IncidentStatus
from breachdesk.models import NoticeRecord
from breachdesk.models import User
from breachdesk.services import audit
from breachdesk.services.clocks import incident_clocks
from breachdesk.services.incident_rows import rows_of
from breachdesk.timeutil import utcnow

# A form filled in "now" on a device whose clock runs a little fast is still honest.
CLOCK_SLACK = timedelta(minutes=5)
MAX_REFERENCE = 100
MAX_CHANNEL = 100
MAX_TEXT = 5000

_AUDIENCE_WORDS = {
    Audience.ICO: "the ICO was",
    Audience.PEOPLE: "the people affected were",
    Audience.CONTROLLER: "the controller was",
}


class NoticeError(ValueError):
    """A notice that cannot be recorded; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def record_notice(
    incident: Incident,
    audience: Audience | str,
    told_at: datetime,
    reference: str | None,
    channel: str,
    recipient: str,
    delay_reasons: str | None,
    actor: User,
    draft_id: int | None = None,
) -> NoticeRecord:
    """Record that ``audience`` was told at ``told_at``, stopping its clock; one commit.

    Raises:
        NoticeError: the time is impossible, the ICO reference is missing, or the notice
            came after its deadline without reasons for the delay (UK GDPR Art. 33(1)).
    """
    try:
        audience = Audience(audience)
    except ValueError as exc:
        raise NoticeError("audience", "Choose who was told.") from exc
    reference = (reference or "").strip() or None
    reasons = (delay_reasons or "").strip() or None
    _check_basics(incident, audience, told_at, reference, channel, recipient, reasons)
    _check_lateness(incident, audience, told_at, reasons)
    notice = NoticeRecord(
        incident_id=incident.id,
        audience=audience,
        told_at=told_at,
        reference=reference,
        channel=channel.strip(),
        recipient=recipient.strip(),
        delay_reasons=reasons,
        recorded_by_id=actor.id,
        recorded_at=utcnow(),
        draft_id=draft_id,
    )
    db.session.add(notice)
    db.session.flush()  # the id ties the audit line to this record in the timeline
    if audience is Audience.ICO and incident.status is not IncidentStatus.CLOSED:
        incident.status = IncidentStatus.NOTIFIED
    audit.record(
        incident,
        actor,
        "notice-recorded",
        _summary(audience, told_at, reference, reasons),
        notice_id=notice.id,
        audience=audience.value,
        told_at=told_at.isoformat(),
        reference=reference,
        channel=channel.strip(),
        late=reasons is not None and _is_late(incident, audience, told_at),
    )
    db.session.commit()
    return notice


def _check_basics(incident, audience, told_at, reference, channel, recipient, reasons) -> None:
    """Refuse times and text no honest record could hold."""
    if told_at.tzinfo is None:
        raise NoticeError("told_at", "Give the date and time they were told.")
    if told_at > utcnow() + CLOCK_SLACK:
        raise NoticeError("told_at", "The time they were told cannot be in the future.")
    if told_at < incident.aware_at:
        raise NoticeError(
            "told_at",
            "That is before the breach became known "
            f"({clock.format_local(incident.aware_at)}): check the date.",
        )
    if audience is Audience.ICO and not reference:
        raise NoticeError("reference", "Give the ICO's case reference from their reply.")
    if reference and len(reference) > MAX_REFERENCE:
        raise NoticeError("reference", f"Keep the reference under {MAX_REFERENCE} characters.")
    if len(channel.strip()) > MAX_CHANNEL:
        raise NoticeError("channel", f"Keep this under {MAX_CHANNEL} characters.")
    if len(recipient) > MAX_TEXT or (reasons and len(reasons) > MAX_TEXT):
        raise NoticeError("delay_reasons", f"Keep this under {MAX_TEXT} characters.")


def _deadline(incident: Incident, audience: Audience) -> clock.Deadline | None:
    clocks = incident_clocks(incident, utcnow())
    if audience is Audience.ICO:
        return clocks.ico_deadline
    if audience is Audience.PEOPLE:
        return clocks.people_deadline
    return None


def _is_late(incident: Incident, audience: Audience, told_at: datetime) -> bool:
    deadline = _deadline(incident, audience)
    return deadline is not None and told_at > deadline.due_at


def _check_lateness(incident, audience, told_at, reasons) -> None:
    """UK GDPR Art. 33(1): a notice after the deadline must say why it is late."""
    deadline = _deadline(incident, audience)
    if deadline is None or told_at <= deadline.due_at or reasons:
        return
    late_by = clock.describe_span(told_at - deadline.due_at)
    due = clock.format_local(deadline.due_at)
    if audience is Audience.ICO:
        after = f"the deadline ({due})"
        rule = "UK GDPR Art. 33(1) asks for the reasons for the delay"
    else:  # only where the organisation promised a time; the law sets none
        promise = get_profile().people_promise_words()
        after = f"the time promised ({due}: {promise})"
        rule = "say why they could not be told sooner"
    raise NoticeError("delay_reasons", f"This is {late_by} after {after}: {rule}.")


def _summary(audience: Audience, told_at: datetime, reference, reasons) -> str:
    text = f"Recorded that {_AUDIENCE_WORDS[audience]} told {clock.format_local(told_at)}"
    if reference:
        text += f" (reference {reference})"
    if reasons:
        text += "; reasons for the delay given"
    return text


def notices_of(incident: Incident) -> list[NoticeRecord]:
    """Every notice recorded on ``incident``, in the order they were given."""
    return sorted(rows_of(NoticeRecord, incident.id), key=lambda n: (n.told_at, n.id))
