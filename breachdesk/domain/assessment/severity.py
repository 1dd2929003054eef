"""ENISA's 2013 severity score for a breach: SE = DPC x EI + CB.

Source: ENISA, "Recommendations for a methodology of the assessment of severity of personal
data breaches" (v1.0, December 2013). The score is an input to the UK GDPR Art. 33/34 risk
decision, not the decision itself (WP250 refers to it "for further guidance").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from breachdesk.domain.assessment.facts import Availability
from breachdesk.domain.assessment.facts import Facts
from breachdesk.domain.vocabulary import BreachType
from breachdesk.domain.vocabulary import Cause
from breachdesk.domain.vocabulary import DataCategory as C
from breachdesk.domain.vocabulary import Identifiability
from breachdesk.domain.vocabulary import Protection
from breachdesk.domain.vocabulary import Recipient

METHOD = "ENISA 2013"


class Band(StrEnum):
    """ENISA's severity bands."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very high"


@dataclass(frozen=True, slots=True)
class Severity:
    """The ENISA score with the parts it was built from, so the register can show them."""

    method: str
    score: float
    band: Band
    dpc: int
    ei: float
    cb: float


# ENISA data processing context base scores: simple 1, behavioural 2, financial 3,
# sensitive 4. Credentials take the score of what they unlock (unknown here, so financial).
_DPC_BASE: dict[C, int] = {
    C.BASIC_IDENTITY: 1,
    C.DATE_OF_BIRTH: 1,
    C.PROFESSIONAL: 1,
    C.OTHER: 1,
    C.LOCATION: 2,
    C.COMMUNICATIONS: 2,
    C.FINANCIAL: 3,
    C.PAYMENT_CARD: 3,
    C.CREDENTIALS: 3,
    C.GOVERNMENT_ID: 3,
    C.HEALTH: 4,
    C.SPECIAL_CATEGORY_OTHER: 4,
    C.CRIMINAL: 4,
}

# ENISA ease of identification: maximum 1, significant 0.75, limited 0.5, negligible 0.25.
_EI: dict[Identifiability, float] = {
    Identifiability.DIRECT: 1.0,
    Identifiability.INDIRECT: 0.75,
    Identifiability.PSEUDONYMISED: 0.5,
    Identifiability.NONE: 0.25,
}
_NEGLIGIBLE_EI = 0.25


def enisa_severity(facts: Facts) -> Severity:
    """Score the breach with ENISA's SE = DPC x EI + CB and name its band."""
    readable = _readable_categories(facts)
    dpc = _dpc(readable or facts.data_categories, facts.vulnerable_subjects)
    # Data that is unintelligible to whoever holds it cannot be matched to anyone from the
    # breached copy itself: ENISA's "negligible" ease of identification.
    ei = _EI[facts.identifiability] if readable else _NEGLIGIBLE_EI
    cb = _circumstances(facts)
    score = round(dpc * ei + cb, 2)
    return Severity(METHOD, score, band_for(score), dpc, ei, cb)


def band_for(score: float) -> Band:
    """ENISA bands: below 2 low, below 3 medium, below 4 high, otherwise very high."""
    if score < 2:
        return Band.LOW
    if score < 3:
        return Band.MEDIUM
    if score < 4:
        return Band.HIGH
    return Band.VERY_HIGH


def _readable_categories(facts: Facts) -> tuple[C, ...]:
    """The categories an unauthorised holder could actually read."""
    if facts.misuse_observed:
        return facts.data_categories
    if facts.protection is Protection.ENCRYPTED:
        return ()
    if facts.protection is Protection.HASHED:
        return tuple(c for c in facts.data_categories if c is not C.CREDENTIALS)
    return facts.data_categories


def _dpc(categories: tuple[C, ...], vulnerable: bool) -> int:
    if not categories:
        return 0
    base = max(_DPC_BASE[c] for c in categories)
    # ENISA raises the context score for data about vulnerable people (children, patients).
    return min(4, base + 1) if vulnerable else base


def _circumstances(facts: Facts) -> float:
    cb = 0.0
    if BreachType.CONFIDENTIALITY in facts.breach_types:
        cb += _confidentiality_cb(facts)
    if BreachType.INTEGRITY in facts.breach_types:
        cb += _integrity_cb(facts)
    if BreachType.AVAILABILITY in facts.breach_types:
        cb += _availability_cb(facts.availability or Availability())
    if facts.cause is Cause.MALICIOUS:
        cb += 0.5
    return cb


def _confidentiality_cb(facts: Facts) -> float:
    """0 exposed without evidence of misuse, 0.25 known recipients, 0.5 unknown number."""
    if facts.misuse_observed:
        return 0.5
    if facts.data_recovered or facts.recipient in (Recipient.NONE, Recipient.TRUSTED):
        return 0.0
    if facts.recipient is Recipient.KNOWN_UNTRUSTED:
        return 0.25
    if facts.recipient in (Recipient.MALICIOUS, Recipient.PUBLIC):
        return 0.5
    return 0.5 if facts.exfiltration in ("confirmed", "suspected") else 0.0


def _integrity_cb(facts: Facts) -> float:
    """0 altered without misuse, 0.25 possibly misused but recoverable, 0.5 not recoverable."""
    if facts.data_recovered:
        return 0.0
    if not (facts.misuse_observed or facts.cause is Cause.MALICIOUS):
        return 0.0
    recoverable = facts.availability is not None and facts.availability.backup_available
    return 0.25 if recoverable else 0.5


def _availability_cb(availability: Availability) -> float:
    """0 recoverable without difficulty, 0.25 temporarily unavailable, 0.5 lost for good."""
    if availability.permanent_loss:
        return 0.5
    quick = availability.outage_hours is not None and availability.outage_hours <= 24
    return 0.0 if availability.backup_available and quick else 0.25
