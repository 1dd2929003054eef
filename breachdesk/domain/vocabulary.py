"""The shared words of breachdesk: roles, data categories and breach facts.

The values are the contract of ``shared/spec/assessment.md``; the profile, the
engine, the forms and the API all speak them.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a user may do: report, run the response, or add technical findings."""

    STAFF = "staff"
    DPO = "dpo"
    IT = "it"


class DataCategory(StrEnum):
    """Kinds of personal data, as ``spec/assessment.md`` names them."""

    BASIC_IDENTITY = "basic_identity"
    DATE_OF_BIRTH = "date_of_birth"
    HEALTH = "health"
    SPECIAL_CATEGORY_OTHER = "special_category_other"
    CRIMINAL = "criminal"
    FINANCIAL = "financial"
    PAYMENT_CARD = "payment_card"
    CREDENTIALS = "credentials"
    GOVERNMENT_ID = "government_id"
    PROFESSIONAL = "professional"
    COMMUNICATIONS = "communications"
    LOCATION = "location"
    OTHER = "other"


#: Plain-English labels for people who report a breach with no legal knowledge.
DATA_CATEGORY_LABELS: dict[DataCategory, str] = {
    DataCategory.BASIC_IDENTITY: "Names, addresses, phone numbers or email addresses",
    DataCategory.DATE_OF_BIRTH: "Dates of birth",
    DataCategory.HEALTH: "Health details: prescriptions, treatment plans, clinical photos",
    DataCategory.SPECIAL_CATEGORY_OTHER: "Ethnicity, religion, biometrics or other sensitive data",
    DataCategory.CRIMINAL: "Criminal convictions or offences",
    DataCategory.FINANCIAL: "Bank details, invoices or credit information",
    DataCategory.PAYMENT_CARD: "Payment card numbers or security codes",
    DataCategory.CREDENTIALS: "Usernames and passwords",
    DataCategory.GOVERNMENT_ID: "Passport, driving licence or National Insurance numbers",
    DataCategory.PROFESSIONAL: "Professional details, such as GDC numbers or staff records",
    DataCategory.COMMUNICATIONS: "The content of emails, letters or messages",
    DataCategory.LOCATION: "Location or movement data",
    DataCategory.OTHER: "Other personal data, such as order history",
}

SPECIAL_CATEGORIES = frozenset({DataCategory.HEALTH, DataCategory.SPECIAL_CATEGORY_OTHER})


class BreachType(StrEnum):
    CONFIDENTIALITY = "confidentiality"
    INTEGRITY = "integrity"
    AVAILABILITY = "availability"


class Cause(StrEnum):
    MALICIOUS = "malicious"
    ACCIDENTAL = "accidental"
    UNKNOWN = "unknown"


class Identifiability(StrEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    PSEUDONYMISED = "pseudonymised"
    NONE = "none"


class Protection(StrEnum):
    NONE = "none"
    ENCRYPTED = "encrypted"
    HASHED = "hashed"
    ENCRYPTED_KEY_COMPROMISED = "encrypted_key_compromised"


class Exfiltration(StrEnum):
    CONFIRMED = "confirmed"
    SUSPECTED = "suspected"
    RULED_OUT = "ruled_out"
    UNKNOWN = "unknown"


class Recipient(StrEnum):
    UNKNOWN = "unknown"
    PUBLIC = "public"
    MALICIOUS = "malicious"
    KNOWN_UNTRUSTED = "known_untrusted"
    TRUSTED = "trusted"
    NONE = "none"


class ActingAs(StrEnum):
    """The organisation's role for the data: its own, or held for another controller."""

    CONTROLLER = "controller"
    PROCESSOR = "processor"


#: The pseudo-asset a reporter picks when no listed asset fits.
NOT_SURE_ASSET = "not-sure"


class Situation(StrEnum):
    """What kind of thing went wrong, as the reporter saw it: it picks their first steps.

    A misdirected email and a hacked mailbox touch the same asset but need different first
    steps, so the report asks which it was, in plain words.
    """

    WRONG_RECIPIENT = "wrong-recipient"
    LOST = "lost"
    STOLEN = "stolen"
    ATTACK = "attack"
    UNAVAILABLE = "unavailable"
    NOT_SURE = "not-sure"


#: The report form's words for each situation, for people with no security knowledge.
SITUATION_LABELS: dict[Situation, str] = {
    Situation.WRONG_RECIPIENT: "Sent, shown or delivered to the wrong person or place",
    Situation.LOST: "Lost, missing or cannot be found",
    Situation.STOLEN: "Stolen, or a break-in",
    Situation.ATTACK: "A ransom note, a virus, a hacked account or a fake message",
    Situation.UNAVAILABLE: "Deleted, broken or will not open, with no sign of an attack",
    Situation.NOT_SURE: "Something else, or not sure",
}


class Promise(StrEnum):
    """Something an organisation promises people beyond the law, kept by playbook steps.

    A step marked with a promise is on the checklist only where the profile makes it.
    """

    STATUS_UPDATES = "status-updates"  # keep people informed until the breach is put right
