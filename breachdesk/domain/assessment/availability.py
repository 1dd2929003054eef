"""Risk from a loss of availability (destroyed, encrypted by ransomware, lost, down) and from
a loss of integrity (unauthorised change).

Availability turns on whether the people feel it, how long it lasts, whether a backup
restores it and what the data is for (EDPB Guidelines 01/2021, paras 19-24 and Cases 01-04;
WP250 rev.01 Annex B examples iii, iv and viii).
"""

from __future__ import annotations

from breachdesk.domain.assessment.facts import Availability
from breachdesk.domain.assessment.facts import Facts
from breachdesk.domain.assessment.risk import WP250_FACTORS
from breachdesk.domain.assessment.risk import Finding
from breachdesk.domain.assessment.risk import Reason
from breachdesk.domain.assessment.risk import Risk
from breachdesk.domain.assessment.risk import little_harm
from breachdesk.domain.assessment.risk import volume_weight
from breachdesk.domain.vocabulary import Cause
from breachdesk.domain.vocabulary import DataCategory as C

# EDPB Guidelines 01/2021, para 24: restoring beyond 72 hours "is unadvisable in any case".
LONG_OUTAGE_HOURS = 72
# A day without clinical records is when care starts to suffer (WP250 Annex B viii: 30 hours).
LASTING_OUTAGE_HOURS = 24

_CARE_DATA = frozenset({C.HEALTH})
_WEIGHTY_DATA = frozenset({C.SPECIAL_CATEGORY_OTHER, C.FINANCIAL, C.CRIMINAL})


def assess_availability(facts: Facts) -> Finding:
    """Judge what losing access to the data does to the people it is about."""
    avail = facts.availability or Availability()
    weight = _dependence(facts)
    outage = avail.outage_hours
    # With no outage estimate, only a known lack of backup says the outage will last.
    no_backup = avail.backup_available is False
    lasting = outage >= LASTING_OUTAGE_HOURS if outage is not None else no_backup
    long_ = outage > LONG_OUTAGE_HOURS if outage is not None else no_backup
    care = bool(_CARE_DATA.intersection(facts.data_categories))
    context = (_DEPENDED_ON,) if weight >= 3 else ()
    if avail.permanent_loss:
        level = Risk.HIGH if weight >= 3 or avail.people_affected else Risk.RISK
        return Finding(level, (*context, _PERMANENT))
    if avail.people_affected:
        level = Risk.HIGH if weight >= 3 else Risk.RISK
        return Finding(level, (*context, _PEOPLE_AFFECTED))
    if avail.people_affected is None and care and facts.vulnerable_subjects and lasting:
        return Finding(Risk.HIGH, (*context, _CARE_PRESUMED))
    if long_:
        return Finding(Risk.RISK, (*context, _LONG))
    if avail.people_affected is None and weight >= 3 and lasting:
        return Finding(Risk.RISK, (*context, _LASTING_SENSITIVE))
    return Finding(Risk.UNLIKELY, (_SHORT if avail != Availability() else _NOT_KNOWN,))


def _dependence(facts: Facts) -> int:
    """How much people depend on the data being there: 3 for clinical records, +1 if vulnerable."""
    categories = set(facts.data_categories)
    weight = 3 if categories & _CARE_DATA else 2 if categories & _WEIGHTY_DATA else 1
    return min(4, weight + 1) if facts.vulnerable_subjects else weight


_DEPENDED_ON = Reason(
    "data-people-depend-on",
    "The data is of a kind people depend on (health records for their care, financial or "
    "special category data), or the people are vulnerable, so losing access to it matters "
    "to them.",
    "WP250 rev.01 (EDPB Guidelines 9/2022), section IV.B; EDPB Guidelines 01/2021, Case No. 03",
)
_PERMANENT = Reason(
    "permanent-loss",
    "The data is lost for good, with no backup to restore it: the people lose their data "
    "and whatever depended on it.",
    "UK GDPR Art. 4(12); WP250 rev.01 (EDPB Guidelines 9/2022), Annex B example iv",
)
_PEOPLE_AFFECTED = Reason(
    "people-affected-by-outage",
    "The people feel the outage themselves: treatment, care or an order they depend on is "
    "delayed or cancelled.",
    "EDPB Guidelines 01/2021, Case No. 03; " + WP250_FACTORS,
)
_CARE_PRESUMED = Reason(
    "clinical-records-unavailable",
    "Health records of vulnerable people are unavailable for a day or more; unless it is "
    "confirmed that nobody's care is affected, harm to their health is presumed.",
    "WP250 rev.01 (EDPB Guidelines 9/2022), Annex B example viii",
)
_LONG = Reason(
    "long-outage",
    "The data is, or is expected to be, unavailable for more than 72 hours, or there is no "
    "backup to restore it from.",
    "EDPB Guidelines 01/2021, para 24 and Case No. 02",
)
_LASTING_SENSITIVE = Reason(
    "lasting-outage-of-sensitive-data",
    "Sensitive or financial data is unavailable for a day or more and it is not yet known "
    "whether the people are affected.",
    "EDPB Guidelines 01/2021, para 9; " + WP250_FACTORS,
)
_SHORT = Reason(
    "short-outage",
    "Access to the data is restored quickly (or can be, from a backup) and the people are "
    "not affected: the loss of availability alone is unlikely to harm them.",
    "EDPB Guidelines 01/2021, Case No. 01; WP250 rev.01, Annex B example iii",
)
_NOT_KNOWN = Reason(
    "outage-not-yet-known",
    "How long the data will be unavailable, whether a backup restores it and whether the "
    "people feel it are not recorded yet. On what is known the outage has not yet harmed "
    "them, but that is not the same as knowing it will not: see the facts weighed while "
    "unknown and the open questions.",
    "EDPB Guidelines 01/2021, paras 9 and 24; WP250 rev.01 (EDPB Guidelines 9/2022), section II",
)


def assess_integrity(facts: Facts) -> Finding:
    """Judge what unauthorised changes to the data could do to the people."""
    if facts.data_recovered and not facts.misuse_observed:
        return Finding(Risk.UNLIKELY, (_RESTORED,))
    categories = set(facts.data_categories)
    stakes = 3 if categories & _HARMFUL_IF_WRONG else 2 if categories & _FRAUD_IF_WRONG else 1
    stakes = min(4, stakes + 1) if facts.vulnerable_subjects else stakes
    avail = facts.availability or Availability()
    weight = stakes + (0 if little_harm(facts) else volume_weight(facts.subjects_count))
    weight += 1 if facts.cause is Cause.MALICIOUS else 0
    weight += 2 if facts.misuse_observed else 0
    weight += 1 if avail.backup_available is False or avail.permanent_loss else 0
    if stakes >= 3 and weight >= 5:
        return Finding(Risk.HIGH, (_ALTERED_HARMFUL,))
    if weight >= 3:
        return Finding(Risk.RISK, (_ALTERED,))
    return Finding(Risk.UNLIKELY, (_ALTERED_MINOR,))


# Wrong clinical or criminal records can cause physical or lasting harm; changed bank or
# account details enable fraud (Recital 85).
_HARMFUL_IF_WRONG = frozenset({C.HEALTH, C.SPECIAL_CATEGORY_OTHER, C.CRIMINAL})
_FRAUD_IF_WRONG = frozenset({C.FINANCIAL, C.PAYMENT_CARD, C.CREDENTIALS, C.GOVERNMENT_ID})

_RESTORED = Reason(
    "integrity-restored",
    "The altered data was put right before anyone relied on it or misused it.",
    "UK GDPR Art. 34(3)(b); ENISA 2013",
)
_ALTERED_HARMFUL = Reason(
    "altered-sensitive-records",
    "Sensitive records were altered without authority and cannot be trusted: decisions "
    "about people's care or rights may rest on wrong data.",
    "UK GDPR Art. 4(12); Recital 85; ENISA 2013",
)
_ALTERED = Reason(
    "altered-records",
    "Personal data was altered without authority and may have been misused or relied on.",
    "UK GDPR Art. 4(12); ENISA 2013",
)
_ALTERED_MINOR = Reason(
    "altered-minor",
    "Data of little consequence was altered by mistake, with no sign of misuse: such a "
    "change (like a staff telephone list) is unlikely to harm anyone.",
    "ICO guidance: personal data breaches; ENISA 2013",
)
