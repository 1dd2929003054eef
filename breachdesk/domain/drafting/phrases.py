"""The words drafts are made of: the ICO's own terms, plain English, and how to show values."""

from __future__ import annotations

from datetime import datetime

from breachdesk.domain.clock import to_local
from breachdesk.domain.vocabulary import DataCategory
from breachdesk.domain.vocabulary import Exfiltration

#: UK GDPR Art. 33(4): information may be provided in phases without undue further delay.
TO_FOLLOW = "To follow: not yet known (UK GDPR Art. 33(4) allows reporting in phases)."
#: The same marker in notices for people and partners, where article numbers do not help.
TO_FOLLOW_SHORT = "To follow: not yet known."
#: The form asks whether anyone has already spoken to ICO staff; only the DPO knows.
ICO_CONTACT_TO_FOLLOW = (
    "To follow: say whether anyone here has already spoken to ICO staff about this breach, "
    "and who; otherwise No."
)
#: The ICO form's own answer where it allows one: not a detail still to follow.
NOT_YET_KNOWN = "Not yet known"
#: What both markers start with, to find a detail still to follow in a saved text.
TO_FOLLOW_MARK = "To follow:"

#: The categories of personal data as the ICO's breach report form names them.
ICO_DATA_TERMS: dict[DataCategory, str] = {
    DataCategory.BASIC_IDENTITY: "Basic personal identifiers, eg name, contact details",
    DataCategory.DATE_OF_BIRTH: "Basic personal identifiers: dates of birth",
    DataCategory.HEALTH: "Health data",
    DataCategory.SPECIAL_CATEGORY_OTHER: (
        "Other special category data (racial or ethnic origin, political opinions, beliefs, "
        "trade union membership, genetic or biometric data, sex life or sexual orientation)"
    ),
    DataCategory.CRIMINAL: "Criminal convictions, offences",
    DataCategory.FINANCIAL: "Economic and financial data, eg bank details",
    DataCategory.PAYMENT_CARD: "Economic and financial data: payment card details",
    DataCategory.CREDENTIALS: "Identification data, eg usernames, passwords",
    DataCategory.GOVERNMENT_ID: "Official documents, eg passport, driving licence, NI number",
    DataCategory.PROFESSIONAL: "Other: professional details, eg registration numbers",
    DataCategory.COMMUNICATIONS: "Other: the content of emails, letters or messages",
    DataCategory.LOCATION: "Location data",
    DataCategory.OTHER: "Other: eg order or purchase history",
}

#: The categories of people as the ICO's form names them, found by a word in our own group name.
ICO_PEOPLE_TERMS: tuple[tuple[str, str], ...] = (
    ("child", "Children"),
    ("pupil", "Children"),
    ("vulnerable", "Vulnerable adults"),
    ("patient", "Patients"),
    ("customer", "Customers or prospective customers"),
    ("client", "Customers or prospective customers"),
    ("employee", "Employees"),
    ("staff", "Employees"),
    ("student", "Students"),
    ("subscriber", "Subscribers"),
    ("user", "Users"),
)

#: Likely consequences for the ICO, from Recital 85's list of harms, by data category.
ICO_CONSEQUENCES: dict[DataCategory, str] = {
    DataCategory.BASIC_IDENTITY: "Phishing, scam calls or letters using people's contact details",
    DataCategory.DATE_OF_BIRTH: "Identity theft or fraud, with names and addresses",
    DataCategory.HEALTH: "Loss of confidentiality of health data, distress, delayed treatment",
    DataCategory.SPECIAL_CATEGORY_OTHER: "Discrimination or distress from disclosure",
    DataCategory.CRIMINAL: "Damage to reputation, discrimination",
    DataCategory.FINANCIAL: "Financial loss through fraud",
    DataCategory.PAYMENT_CARD: "Financial loss through fraudulent card payments",
    DataCategory.CREDENTIALS: "Accounts taken over, especially where passwords are reused",
    DataCategory.GOVERNMENT_ID: "Identity theft or fraud",
    DataCategory.PROFESSIONAL: "Impersonation of professionals, targeted phishing",
    DataCategory.COMMUNICATIONS: "Loss of confidentiality of private correspondence",
    DataCategory.LOCATION: "Risks to physical safety from tracking",
    DataCategory.OTHER: "Loss of control over personal data",
}

#: What was involved, in words for the people themselves.
PLAIN_DATA: dict[DataCategory, str] = {
    DataCategory.BASIC_IDENTITY: "your name or contact details",
    DataCategory.DATE_OF_BIRTH: "your date of birth",
    DataCategory.HEALTH: "details about your health or treatment, such as a prescription",
    DataCategory.SPECIAL_CATEGORY_OTHER: "private details, such as your beliefs or background",
    DataCategory.CRIMINAL: "details of past offences",
    DataCategory.FINANCIAL: "your bank details",
    DataCategory.PAYMENT_CARD: "your payment card details",
    DataCategory.CREDENTIALS: "your user name and password",
    DataCategory.GOVERNMENT_ID: "your passport, licence or National Insurance number",
    DataCategory.PROFESSIONAL: "your work details",
    DataCategory.COMMUNICATIONS: "messages you sent us",
    DataCategory.LOCATION: "where you have been",
    DataCategory.OTHER: "your orders and dealings with us",
}

#: What could happen, in words for the people themselves.
PLAIN_CONSEQUENCES: dict[DataCategory, str] = {
    DataCategory.BASIC_IDENTITY: "Someone could use your name or contact details to trick you.",
    DataCategory.DATE_OF_BIRTH: "Someone could use your date of birth to pretend to be you.",
    DataCategory.HEALTH: "Someone could learn private things about your health.",
    DataCategory.SPECIAL_CATEGORY_OTHER: "Someone could learn private things about you.",
    DataCategory.CRIMINAL: "Someone could learn about past offences.",
    DataCategory.FINANCIAL: "Someone could try to use your bank details to take money.",
    DataCategory.PAYMENT_CARD: "Someone could try to use your card to pay for things.",
    DataCategory.CREDENTIALS: "Someone could try to log in to your account.",
    DataCategory.GOVERNMENT_ID: "Someone could use your ID to pretend to be you.",
    DataCategory.PROFESSIONAL: "Someone could pretend to be you at work.",
    DataCategory.COMMUNICATIONS: "Someone could read private messages you sent us.",
    DataCategory.LOCATION: "Someone could learn where you go.",
    DataCategory.OTHER: "Someone could learn what you have bought from us.",
}

CIFAS = (
    "Watch for signs that someone is using your details, such as letters about loans you did "
    "not ask for. You can ask Cifas for Protective Registration. Lenders then make extra "
    "checks before they lend in your name. There is a fee. See cifas.org.uk."
)

#: What people can do, by data category (ICO: tell people how they can protect themselves).
PLAIN_ADVICE: dict[DataCategory, str] = {
    DataCategory.PAYMENT_CARD: (
        "Check your bank and card statements. If you see a payment you do not know, tell "
        "your bank or card company straight away."
    ),
    DataCategory.FINANCIAL: (
        "Tell your bank what has happened. Check your statements for payments you do not know."
    ),
    DataCategory.CREDENTIALS: (
        "Change your password with us. Change it anywhere else you use the same password."
    ),
    DataCategory.BASIC_IDENTITY: (
        "Be careful of calls, letters or emails you do not expect, even if they seem to come "
        "from us. Do not give out bank details or passwords."
    ),
    DataCategory.DATE_OF_BIRTH: CIFAS,
    DataCategory.GOVERNMENT_ID: CIFAS,
}

#: Where to check a message that seems to come from us: only by a way we can be reached.
IN_DOUBT_CALL = "If in doubt, call us."
IN_DOUBT_EMAIL = "If in doubt, email us."

EXFILTRATION_ICO: dict[str, str] = {
    Exfiltration.CONFIRMED: "Yes: personal data was copied out of our systems",
    Exfiltration.SUSPECTED: "Suspected: there are signs data may have been copied; we are checking",
    Exfiltration.RULED_OUT: "No: the investigation found no sign that data left our systems",
    Exfiltration.UNKNOWN: "Not yet known: the investigation continues",
}

EXFILTRATION_PLAIN: dict[str, str] = {
    Exfiltration.CONFIRMED: "We know that some information was copied.",
    Exfiltration.SUSPECTED: "The attackers may have copied some information. We are checking.",
    Exfiltration.RULED_OUT: "We have found no sign that any information was copied.",
    Exfiltration.UNKNOWN: "We do not yet know if any information was copied. We are checking.",
}

CAUSES: dict[str, str] = {
    "malicious": "Deliberate: a criminal act",
    "accidental": "Accidental: a mistake",
    "unknown": "Not yet known",
}

RISK_WORDS: dict[str, str] = {
    "high": "High: likely to result in a high risk to people (UK GDPR Art. 34(1))",
    "risk": "A risk to people, but not a high one (UK GDPR Art. 33(1))",
    "unlikely": "Unlikely to result in a risk to people (UK GDPR Art. 33(1))",
}


#: The processor's view of the risk to the people whose data it holds for a controller.
HELD_RISK_WORDS: dict[str, str] = {
    "high": "a high risk, so the people are likely to need telling",
    "risk": "a risk, but not a high one",
    "unlikely": "a risk is unlikely",
}


def when(dt: datetime | None) -> str | None:
    """Show an instant on the London clock, e.g. "Tuesday 10 March 2026 at 07:40 GMT"."""
    if dt is None:
        return None
    local = to_local(dt)
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M} {local.tzname()}"


def day(dt: datetime | None) -> str | None:
    """Show the London date of an instant, e.g. "10 March 2026"."""
    if dt is None:
        return None
    local = to_local(dt)
    return f"{local.day} {local:%B %Y}"


def about(count: int | None, estimated: bool = False) -> str | None:
    """Show an approximate number, e.g. "About 6,000", saying so when it is our estimate;
    none or one is counted, not estimated: "1", not "about 1"."""
    if count is None:
        return None
    shown = f"{count:,}" if count <= 1 else f"About {count:,}"
    return f"{shown} (estimate from our records)" if estimated else shown


def yes_no(flag: bool | None) -> str | None:
    """Show a yes/no answer; None stays unknown."""
    return None if flag is None else ("Yes" if flag else "No")


def ico_people_terms(groups: tuple[str, ...]) -> tuple[str, ...]:
    """Name each group of people in the ICO form's terms, keeping our words beside them."""
    terms: list[str] = []
    for group in groups:
        term = next((t for word, t in ICO_PEOPLE_TERMS if word in group.lower()), "Other")
        same = group.strip().lower() == term.lower()
        terms.append(term if same else f"{term}: {group.strip()}")
    return tuple(dict.fromkeys(terms))


def ico_consequences(categories: tuple[DataCategory, ...]) -> tuple[str, ...]:
    """Derive likely consequences from the data categories (UK GDPR Recital 85)."""
    return tuple(dict.fromkeys(ICO_CONSEQUENCES[c] for c in categories))


def plain_consequences(categories: tuple[DataCategory, ...]) -> tuple[str, ...]:
    """Derive what could happen to people, in their words, from the data categories."""
    return tuple(dict.fromkeys(PLAIN_CONSEQUENCES[c] for c in categories))


def phrase(table: dict[str, str], value: str | None) -> str | None:
    """Show a vocabulary value in words, or the text as given when it is not one."""
    if value is None:
        return None
    return table.get(value, value)
