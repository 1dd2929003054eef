"""The likely risk to people from a breach: what the data could do (impact) and how likely
it is to be misused (likelihood), weighed as the guidance weighs them.

Risk is "severity x likelihood", assessed at the moment of awareness (EDPB Guidelines
01/2021, para 9), on the factors of WP250 rev.01 section IV.B (kept by EDPB Guidelines
9/2022): type of breach, nature, sensitivity and volume of data, ease of identification,
severity of consequences, special characteristics of the people, number of people.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from breachdesk.domain.assessment.facts import Facts
from breachdesk.domain.people_count import people_are
from breachdesk.domain.vocabulary import DataCategory as C
from breachdesk.domain.vocabulary import Protection

WP250_FACTORS = "WP250 rev.01 (EDPB Guidelines 9/2022), section IV.B"


class Risk(StrEnum):
    """Likely risk to people's rights and freedoms (UK GDPR Arts. 33(1) and 34(1))."""

    UNLIKELY = "unlikely"
    RISK = "risk"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """Order the levels so the worst of several can be taken."""
        return _RANK[self]


_RANK = {Risk.UNLIKELY: 0, Risk.RISK: 1, Risk.HIGH: 2}


@dataclass(frozen=True, slots=True)
class Reason:
    """One plain-English reason for the register, with the provision it rests on."""

    code: str
    text: str
    ref: str


@dataclass(frozen=True, slots=True)
class Finding:
    """The risk one kind of loss (confidentiality, integrity, availability) carries."""

    risk: Risk
    reasons: tuple[Reason, ...]


def worst(risks: list[Risk]) -> Risk:
    """The highest of several risk levels (UNLIKELY when there are none)."""
    return max(risks, key=lambda risk: risk.rank, default=Risk.UNLIKELY)


# What misuse of each kind of data could do to a person, on a 1-3 scale: 1 little beyond
# annoyance (contact details), 2 distress or loss (private content, finances), 3 serious
# or lasting harm (Recital 85: discrimination, identity theft, fraud, financial loss,
# loss of confidentiality of data protected by professional secrecy).
_IMPACT: dict[C, int] = {
    C.BASIC_IDENTITY: 1,
    C.DATE_OF_BIRTH: 1,
    C.PROFESSIONAL: 1,
    C.OTHER: 1,
    C.COMMUNICATIONS: 2,
    C.LOCATION: 2,
    C.FINANCIAL: 2,
    C.PAYMENT_CARD: 3,
    C.CREDENTIALS: 3,
    C.GOVERNMENT_ID: 3,
    C.HEALTH: 3,
    C.SPECIAL_CATEGORY_OTHER: 3,
    C.CRIMINAL: 3,
}

_NATURE: dict[C, tuple[str, str, str]] = {
    C.HEALTH: (
        "special-category-data",
        "Health data (special category data) is involved: its disclosure can cause "
        "distress, discrimination and loss of medical confidentiality.",
        "UK GDPR Art. 9(1); Recital 85; " + WP250_FACTORS,
    ),
    C.SPECIAL_CATEGORY_OTHER: (
        "special-category-data",
        "Special category data is involved (such as ethnic origin, religion, biometrics or "
        "sex life): its disclosure can lead to discrimination and serious distress.",
        "UK GDPR Art. 9(1); Recital 85; " + WP250_FACTORS,
    ),
    C.CRIMINAL: (
        "criminal-offence-data",
        "Criminal offence data is involved: its disclosure can damage reputations and "
        "lead to discrimination.",
        "UK GDPR Art. 10; Recital 85; " + WP250_FACTORS,
    ),
    C.PAYMENT_CARD: (
        "fraud-enabling-data",
        "Payment card details are involved: they can be used directly for fraud.",
        "UK GDPR Recital 85; " + WP250_FACTORS,
    ),
    C.CREDENTIALS: (
        "fraud-enabling-data",
        "Usable usernames and passwords are involved: they let someone take over the "
        "accounts, and often other accounts where the password was reused.",
        "UK GDPR Recital 85; EDPB Guidelines 01/2021, Case No. 07",
    ),
    C.GOVERNMENT_ID: (
        "fraud-enabling-data",
        "Passport, driving licence or National Insurance numbers are involved: they enable "
        "identity theft.",
        "UK GDPR Recital 85; EDPB Guidelines 01/2021, Case No. 14",
    ),
    C.FINANCIAL: (
        "financial-data",
        "Financial data (bank details, salaries or credit information) is involved: misuse "
        "can cause financial loss.",
        "UK GDPR Recital 85; " + WP250_FACTORS,
    ),
    C.COMMUNICATIONS: (
        "private-content",
        "The content of messages is involved: it can reveal private matters.",
        WP250_FACTORS,
    ),
    C.LOCATION: (
        "private-content",
        "Location or movement data is involved: it can reveal where people live and go.",
        WP250_FACTORS,
    ),
}


def data_impact(facts: Facts) -> tuple[int, tuple[Reason, ...]]:
    """How much harm misuse of the readable data could do, 0-4, and why.

    Returns:
        0 when nothing readable is left (for instance only strongly hashed passwords),
        otherwise 1-3 by the most harmful kind of data, plus 1 for vulnerable people.
    """
    categories = readable_categories(facts)
    reasons: list[Reason] = []
    if len(categories) < len(facts.data_categories):
        reasons.append(_HASHED)
    if not categories:
        return 0, tuple(reasons)
    impact = max(_IMPACT[c] for c in categories)
    combined = _combination(categories) if impact < 2 else None
    if combined is not None:
        impact = 2
    reasons.extend(_nature_reasons(categories, impact))
    if combined is not None:
        reasons.append(combined)
    if facts.misuse_observed:
        # Fraud, impersonation or an account taken over is harm already done, whatever
        # the data (Recital 85; EDPB Guidelines 01/2021, Case No. 17).
        impact = max(impact, 2)
    if facts.vulnerable_subjects:
        impact = min(4, impact + 1)
        reasons.append(_VULNERABLE)
    return impact, tuple(reasons)


def readable_categories(facts: Facts) -> tuple[C, ...]:
    """The kinds of data an unauthorised person can use (strong salted hashes excluded)."""
    if facts.protection is Protection.HASHED and not facts.misuse_observed:
        return tuple(c for c in facts.data_categories if c is not C.CREDENTIALS)
    return facts.data_categories


def volume_weight(subjects_count: int) -> int:
    """0 for up to 100 people, 1 up to 10,000, 2 above (ENISA flags more than 100)."""
    if subjects_count > 10_000:
        return 2
    return 1 if subjects_count > 100 else 0


def little_harm(facts: Facts) -> bool:
    """Whether the readable data is of a kind whose disclosure or alteration alone does
    little harm: names, contact and work details, about people who are not vulnerable, with
    no misuse seen.

    The number of people never turns such data from unlikely into a risk: the ICO's guide
    gives the loss or alteration of a staff telephone list as not normally reportable, and
    one more person on the list cannot change that (no cliff at any count).
    """
    readable = readable_categories(facts)
    plain = not (facts.vulnerable_subjects or facts.misuse_observed)
    return plain and bool(readable) and set(readable) <= _LITTLE_HARM


_LITTLE_HARM = frozenset({C.BASIC_IDENTITY, C.PROFESSIONAL})


def volume_reason(subjects_count: int) -> Reason:
    """Say how the number of people weighs on the risk."""
    said = people_are(subjects_count, about=True)
    people = said[:1].upper() + said[1:]
    if subjects_count > 100:
        text = f"{people} affected: the more people, the greater the impact."
        return Reason("large-number-of-people", text, WP250_FACTORS + "; ENISA 2013")
    text = (
        f"{people} affected: a small number, although a breach affecting a few people can "
        "still be high risk when the data is sensitive."
    )
    return Reason("number-of-people", text, WP250_FACTORS)


def _nature_reasons(categories: tuple[C, ...], impact: int) -> list[Reason]:
    seen: dict[str, Reason] = {}
    for category in categories:
        if category in _NATURE and category not in seen:
            code, text, ref = _NATURE[category]
            seen[category] = Reason(code, text, ref)
    if not seen and impact <= 1:
        return [_SIMPLE]
    return list(seen.values())


def _combination(categories: tuple[C, ...]) -> Reason | None:
    """Simple data can still enable identity fraud when combined (WP250: combinations)."""
    if C.BASIC_IDENTITY not in categories:
        return None
    if C.DATE_OF_BIRTH in categories:
        return _IDENTITY_COMBINATION
    if len(categories) >= 4:
        return _PROFILE
    return None


_HASHED = Reason(
    "hashed-secrets",
    "The passwords were stored only as salted hashes from a strong algorithm, so they "
    "cannot practically be recovered or used.",
    "UK GDPR Art. 34(3)(a); EDPB Guidelines 01/2021, Case No. 06",
)
_SIMPLE = Reason(
    "simple-data",
    "Only simple personal data is involved (such as names, contact details or order "
    "history): on its own, its disclosure is unlikely to cause serious harm.",
    WP250_FACTORS + "; ENISA 2013",
)
_IDENTITY_COMBINATION = Reason(
    "identity-fraud-combination",
    "Names and addresses together with dates of birth are enough to impersonate people "
    "and commit identity fraud.",
    "UK GDPR Recital 85; EDPB Guidelines 01/2021, Cases No. 11 and 16",
)
_PROFILE = Reason(
    "identity-profile",
    "Several kinds of data about each person are combined, giving a profile that can be "
    "used for impersonation or targeted phishing.",
    "UK GDPR Recital 85; " + WP250_FACTORS,
)
_VULNERABLE = Reason(
    "vulnerable-people",
    "The people are vulnerable (such as patients, children or the elderly), so the same "
    "breach can harm them more.",
    "UK GDPR Recital 75; " + WP250_FACTORS,
)
