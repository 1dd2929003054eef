"""Who must be told of a breach, given its risk: the ICO (UK GDPR Art. 33), the people
(Art. 34) or, for a processor, the controller (Art. 33(2)); and the 72-hour deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from breachdesk.domain.assessment.facts import Facts
from breachdesk.domain.assessment.risk import Reason
from breachdesk.domain.assessment.risk import Risk
from breachdesk.domain.vocabulary import ActingAs

# UK GDPR Art. 33(1): 72 elapsed hours from awareness, through nights, weekends and clock
# changes, so the arithmetic is done on the UTC instant, never on London wall-clock time.
ICO_WINDOW = timedelta(hours=72)
LONDON = ZoneInfo("Europe/London")


class SubjectChannel(StrEnum):
    """How the people are told: each directly, or by a public communication (Art. 34(3)(c))."""

    DIRECT = "direct"
    PUBLIC = "public"


@dataclass(frozen=True, slots=True)
class Duties:
    """The notifications a breach calls for, with the reasons for each."""

    notify_ico: bool
    notify_subjects: bool
    subject_channel: SubjectChannel | None
    notify_controller: bool
    reasons: tuple[Reason, ...]


def ico_deadline(became_aware_at: datetime | None) -> datetime | None:
    """The instant 72 elapsed hours after awareness, in UTC (None when awareness is unknown)."""
    if became_aware_at is None:
        return None
    return became_aware_at.astimezone(UTC) + ICO_WINDOW


def decide_duties(
    facts: Facts, risk: Risk, unintelligible: bool, *, weighed: bool = False
) -> Duties:
    """Apply Arts. 33 and 34 to the risk: who is told, and by which channel.

    Args:
        unintelligible: the Art. 34(3)(a) protection addresses what makes the risk high.
        weighed: the risk comes from unknown facts weighed at their less favourable values.
    """
    if facts.acting_as is ActingAs.PROCESSOR:
        return Duties(False, False, None, True, (_PROCESSOR,))
    notify_ico = risk is not Risk.UNLIKELY
    reasons = [_ICO if notify_ico else _NO_ICO]
    if risk is not Risk.HIGH:
        if notify_ico:
            reasons.append(_NOT_HIGH_YET if weighed else _NOT_HIGH)
        return Duties(notify_ico, False, None, False, tuple(reasons))
    exceptions = [
        reason
        for applies, reason in (
            (unintelligible, _EXCEPTION_A),
            (facts.mitigated, _EXCEPTION_B),
            (facts.disproportionate_effort, _EXCEPTION_C),
        )
        if applies
    ]
    if not exceptions:
        return Duties(True, True, SubjectChannel.DIRECT, False, (*reasons, _TELL_PEOPLE))
    # Art. 34(3)(c) swaps direct contact for a public communication; it is only the channel
    # when no other exception removes the duty altogether.
    public = exceptions == [_EXCEPTION_C]
    channel = SubjectChannel.PUBLIC if public else None
    return Duties(True, False, channel, False, (*reasons, *exceptions))


def deadline_reason(facts: Facts, deadline: datetime) -> Reason:
    """State the deadline in London time and UTC, as the register shows it."""
    aware = _london(facts.became_aware_at or deadline)
    due = _london(deadline)
    utc = deadline.strftime("%H:%M UTC on %d %B %Y")
    if facts.acting_as is ActingAs.PROCESSOR:
        text = (
            f"Aware at {aware}. For the record, 72 hours later is {due} ({utc}); the "
            "controller's own 72 hours start when the processor tells it."
        )
        return Reason("ico-deadline", text, "UK GDPR Art. 33(1) and 33(2)")
    text = (
        f"Aware at {aware}, so the 72 hours end at {due} ({utc}): elapsed hours, through "
        "nights, weekends, bank holidays and clock changes."
    )
    return Reason("ico-deadline", text, "UK GDPR Art. 33(1); ICO guidance: personal data breaches")


def _london(instant: datetime) -> str:
    local = instant.astimezone(LONDON)
    return local.strftime("%H:%M %Z on %A %d %B %Y")


DOCUMENT = Reason(
    "record-in-register",
    "Record the breach in the breach register (the facts, its effects and the action "
    "taken) whether or not it is reported.",
    "UK GDPR Art. 33(5); EDPB Guidelines 01/2021, para 15",
)
_PROCESSOR = Reason(
    "processor-tells-controller",
    "The organisation acts as processor for this data: it must tell the controller without "
    "undue delay, whatever the risk. Reporting to the ICO and telling the people are the "
    "controller's duties; this assessment is the processor's view of the risk to pass on.",
    "UK GDPR Art. 33(2); WP250 rev.01 (EDPB Guidelines 9/2022), Annex B example vii",
)
_ICO = Reason(
    "report-to-ico",
    "Report the breach to the ICO without undue delay and within 72 hours of becoming "
    "aware; a report may be made in phases, and a late report must give the reasons for "
    "the delay.",
    "UK GDPR Art. 33(1) and 33(4); ICO guidance: personal data breaches",
)
_NO_ICO = Reason(
    "no-report-to-ico",
    "The breach is unlikely to result in a risk to the people, so it need not be reported "
    "to the ICO; record the reasoning in the breach register.",
    "UK GDPR Art. 33(1) and 33(5)",
)
_NOT_HIGH = Reason(
    "people-not-told",
    "The risk is not high, so telling the people is not required, though it may still be "
    "good practice where they can protect themselves.",
    "UK GDPR Art. 34(1); EDPB Guidelines 01/2021, section 1",
)
_NOT_HIGH_YET = Reason(
    "people-not-told",
    "On what is known so far the risk is not high, so telling the people is not yet "
    "required; the open questions say which answers would make it high, and then they are "
    "told without undue delay.",
    "UK GDPR Art. 34(1); EDPB Guidelines 01/2021, para 9",
)
_TELL_PEOPLE = Reason(
    "tell-people-directly",
    "Tell each person affected directly (letter, email or phone) without undue delay, in "
    "clear and plain language: what happened, the likely consequences, what has been done "
    "and who to contact.",
    "UK GDPR Art. 34(1) and 34(2)",
)
_EXCEPTION_A = Reason(
    "art-34-3-a",
    "The people need not be told: the data was rendered unintelligible to anyone not "
    "authorised to read it, such as by state-of-the-art encryption.",
    "UK GDPR Art. 34(3)(a)",
)
_EXCEPTION_B = Reason(
    "art-34-3-b",
    "The people need not be told: measures taken since mean the high risk is no longer "
    "likely to materialise. The ICO is still told of the high-risk breach.",
    "UK GDPR Art. 34(3)(b)",
)
_EXCEPTION_C = Reason(
    "art-34-3-c",
    "Telling each person directly would involve disproportionate effort, so a public "
    "communication or an equally effective measure must inform them instead.",
    "UK GDPR Art. 34(3)(c)",
)
