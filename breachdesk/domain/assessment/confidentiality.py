"""Risk from a loss of confidentiality: who can now read the data, and what it could do.

The impact of the data (risk.data_impact) is weighed against the likelihood that someone
misuses it, judged from the recipient, whether data left the organisation, whether misuse
has been seen and whether the data is intelligible at all (WP250 rev.01 section IV.B:
"the nature of the recipient"; EDPB Guidelines 01/2021 passim).
"""

from __future__ import annotations

from breachdesk.domain.assessment.facts import Facts
from breachdesk.domain.assessment.risk import WP250_FACTORS
from breachdesk.domain.assessment.risk import Finding
from breachdesk.domain.assessment.risk import Reason
from breachdesk.domain.assessment.risk import Risk
from breachdesk.domain.assessment.risk import data_impact
from breachdesk.domain.assessment.risk import little_harm
from breachdesk.domain.assessment.risk import volume_reason
from breachdesk.domain.assessment.risk import volume_weight
from breachdesk.domain.vocabulary import Cause
from breachdesk.domain.vocabulary import Exfiltration
from breachdesk.domain.vocabulary import Identifiability
from breachdesk.domain.vocabulary import Protection
from breachdesk.domain.vocabulary import Recipient

# Harder identification lowers the weight of the breach (WP250 IV.B "ease of identification").
_IDENTIFICATION_DISCOUNT = {
    Identifiability.DIRECT: 0,
    Identifiability.INDIRECT: 1,
    Identifiability.PSEUDONYMISED: 2,
    Identifiability.NONE: 3,
}


def assess_confidentiality(facts: Facts) -> Finding:
    """Weigh impact, likelihood and number of people into the confidentiality risk."""
    if facts.protection is Protection.ENCRYPTED and not facts.misuse_observed:
        return Finding(Risk.UNLIKELY, (_ENCRYPTED,))
    if facts.identifiability is Identifiability.NONE and not facts.misuse_observed:
        return Finding(Risk.UNLIKELY, (_UNIDENTIFIABLE,))
    if secrecy_kept(facts):
        return Finding(Risk.UNLIKELY, (_ACCESS_NOT_SECRECY,))
    impact, reasons = data_impact(facts)
    likelihood, likely_reasons = misuse_likelihood(facts)
    reasons += likely_reasons
    if facts.protection is Protection.ENCRYPTED_KEY_COMPROMISED:
        reasons += (_KEY_COMPROMISED,)
    small_harm = little_harm(facts)
    volume = 0 if small_harm else volume_weight(facts.subjects_count)
    reasons += (_LITTLE_HARM if small_harm else volume_reason(facts.subjects_count),)
    weight = impact + likelihood + volume
    weight -= _IDENTIFICATION_DISCOUNT[facts.identifiability]
    return Finding(_level(impact, likelihood, weight), reasons)


def secrecy_kept(facts: Facts) -> bool:
    """Evidence rules out copying and nobody identified received the data: what was lost is
    access (and correctness, if data was changed), not secrecy (EDPB Guidelines 01/2021,
    Case No. 01). Data sent to someone, or published, was disclosed whatever the logs say."""
    return (
        facts.exfiltration is Exfiltration.RULED_OUT
        and facts.recipient in (Recipient.NONE, Recipient.MALICIOUS)
        and not facts.misuse_observed
    )


def _level(impact: int, likelihood: int, weight: int) -> Risk:
    # Simple contact data alone is not high risk ("in ordinary circumstances unlikely to
    # cause substantial damage", WP250 IV.B); high needs data that can do real harm.
    if impact == 0 or likelihood == 0 or weight <= 2:
        return Risk.UNLIKELY
    if impact >= 2 and weight >= 5:
        return Risk.HIGH
    return Risk.RISK


def misuse_likelihood(facts: Facts) -> tuple[int, tuple[Reason, ...]]:
    """How likely misuse is, 0 (no one can) to 3 (in hostile hands or already happening).

    Each source of likelihood (the recipient, an attacker, copying out) is weighed on its
    own and the highest counts, so a worse fact never lowers it.
    """
    if facts.misuse_observed:
        return 3, (_MISUSE,)
    base, reason = _recipient_likelihood(facts)
    reasons = [reason]
    attacker = _attacker_likelihood(facts)
    if attacker > base:
        reasons.append(_ATTACKER)
    copied = _exfiltration_likelihood(facts)
    if copied > max(base, attacker):
        reasons.append(_EXFILTRATION[facts.exfiltration])
    if facts.data_recovered:
        reasons.append(_RECOVERED if base == 0 else _RECOVERED_AFTER_EXPOSURE)
    return max(base, attacker, copied), tuple(reasons)


def _recipient_likelihood(facts: Facts) -> tuple[int, Reason]:
    recipient = facts.recipient
    deliberate = facts.cause is not Cause.ACCIDENTAL
    if recipient is Recipient.KNOWN_UNTRUSTED:
        return (2 if facts.cause is Cause.MALICIOUS else 1), _RECIPIENT[recipient]
    if recipient is Recipient.UNKNOWN:
        if facts.exfiltration is Exfiltration.RULED_OUT:
            return 1, _RULED_OUT
        return (2 if deliberate else 1), _RECIPIENT[recipient]
    return _RECIPIENT_BASE[recipient], _RECIPIENT[recipient]


def _attacker_likelihood(facts: Facts) -> int:
    """In a malicious attack the attacker had the data: a recipient whatever ``recipient``
    records, until copying is ruled out (EDPB Guidelines 01/2021, Cases No. 01 and 05)."""
    attacked = facts.cause is Cause.MALICIOUS
    return 3 if attacked and facts.exfiltration is not Exfiltration.RULED_OUT else 0


def _exfiltration_likelihood(facts: Facts) -> int:
    """Data copied out to unidentified hands raises the likelihood of misuse."""
    if facts.recipient in (Recipient.TRUSTED, Recipient.KNOWN_UNTRUSTED):
        return 0  # an identified recipient: where the data went is known
    hostile = facts.cause is not Cause.ACCIDENTAL
    if facts.exfiltration is Exfiltration.CONFIRMED:
        return 3 if hostile else 2
    if facts.exfiltration is Exfiltration.SUSPECTED:
        return 2 if hostile else 1
    return 0


_RECIPIENT_BASE = {
    Recipient.NONE: 0,
    Recipient.TRUSTED: 0,
    Recipient.MALICIOUS: 3,
    Recipient.PUBLIC: 3,
}

_RECIPIENT: dict[Recipient, Reason] = {
    Recipient.NONE: Reason(
        "no-recipient",
        "Nobody outside the organisation could read the data.",
        WP250_FACTORS,
    ),
    Recipient.TRUSTED: Reason(
        "trusted-recipient",
        "The only recipient is identified, owes a duty of confidence and has confirmed "
        "deletion or return, so misuse is unlikely.",
        "EDPB Guidelines 01/2021, Case No. 09; " + WP250_FACTORS,
    ),
    Recipient.KNOWN_UNTRUSTED: Reason(
        "identified-recipient",
        "The data reached an identified recipient with no duty of confidence (such as "
        "another customer or a former employee): they can be asked to delete it, but "
        "that cannot be guaranteed.",
        "EDPB Guidelines 01/2021, Cases No. 08 and 16",
    ),
    Recipient.UNKNOWN: Reason(
        "unknown-recipient",
        "It is not known who can now read the data.",
        WP250_FACTORS,
    ),
    Recipient.MALICIOUS: Reason(
        "malicious-recipient",
        "The data is in the hands of someone acting with malicious intent (an attacker or "
        "thief), who is likely to misuse it.",
        "EDPB Guidelines 01/2021, Cases No. 05 and 11; " + WP250_FACTORS,
    ),
    Recipient.PUBLIC: Reason(
        "published",
        "The data was published or openly reachable, so anyone may have read or copied it.",
        "WP250 rev.01 (EDPB Guidelines 9/2022), Annex B example vi",
    ),
}

_EXFILTRATION: dict[Exfiltration, Reason] = {
    Exfiltration.CONFIRMED: Reason(
        "exfiltration-confirmed",
        "Data was confirmed as copied out of the organisation's systems.",
        "EDPB Guidelines 01/2021, Case No. 04",
    ),
    Exfiltration.SUSPECTED: Reason(
        "exfiltration-suspected",
        "Data may have been copied out of the organisation's systems; until that is ruled "
        "out it is treated as likely.",
        "EDPB Guidelines 01/2021, para 9",
    ),
}

_RULED_OUT = Reason(
    "exfiltration-ruled-out",
    "Evidence (such as logs) rules out data being copied out, which lowers the likelihood "
    "of misuse.",
    "EDPB Guidelines 01/2021, Case No. 01",
)
_MISUSE = Reason(
    "misuse-observed",
    "Misuse of the data has already been seen (fraud, impersonation, an account taken over "
    "or the data offered for sale): the harm is happening, not just possible.",
    "UK GDPR Recital 85; EDPB Guidelines 01/2021, Case No. 17",
)
_RECOVERED = Reason(
    "data-recovered",
    "The data was recovered, or its deletion confirmed, by a recipient nobody else could "
    "read it through, so it was never open to misuse.",
    "UK GDPR Art. 34(3)(b); WP250 rev.01 (EDPB Guidelines 9/2022), section III.C",
)
_RECOVERED_AFTER_EXPOSURE = Reason(
    "recovered-after-exposure",
    "The data was recovered, but until then it was where others could read it: recovery "
    "ends the exposure, it does not undo it, so it does not lower the likelihood of misuse.",
    "WP250 rev.01 (EDPB Guidelines 9/2022), sections III.C and IV.B",
)
_ATTACKER = Reason(
    "attacker-had-access",
    "The breach was a deliberate attack: the attacker had the data, so counts as a recipient "
    "acting with malicious intent until evidence rules out copying.",
    "EDPB Guidelines 01/2021, Cases No. 01 and 05; " + WP250_FACTORS,
)
_ACCESS_NOT_SECRECY = Reason(
    "access-not-secrecy",
    "Evidence (such as logs) rules out data being copied out, and nobody identified received "
    "it: the loss is of access to the data (and of its correctness, if it was changed), not "
    "of its secrecy.",
    "EDPB Guidelines 01/2021, Case No. 01, paras 17-20",
)
_LITTLE_HARM = Reason(
    "little-harm-whatever-the-number",
    "The data is only names, contact or work details: its disclosure alone does little harm, "
    "however many people are on the list, so the number of people does not change the risk.",
    "ICO guidance: personal data breaches (a staff telephone list); " + WP250_FACTORS,
)
_ENCRYPTED = Reason(
    "encrypted-data",
    "The data was protected by state-of-the-art encryption and the key was not "
    "compromised, so it is unintelligible to whoever holds it: the confidentiality risk is "
    "reduced to a minimum.",
    "UK GDPR Art. 34(3)(a); EDPB Guidelines 01/2021, para 20 and Case No. 10",
)
_KEY_COMPROMISED = Reason(
    "encryption-key-compromised",
    "The data was encrypted but the key was compromised too, so the encryption gives no "
    "protection and the data is treated as readable.",
    "WP250 rev.01 (EDPB Guidelines 9/2022), section III.C and Annex B example i",
)
_UNIDENTIFIABLE = Reason(
    "not-identifiable",
    "Nobody can be identified from the data involved, so its disclosure cannot affect "
    "particular people.",
    "UK GDPR Art. 4(1); " + WP250_FACTORS,
)
