"""The assessment facts in plain words, for people who never read the facts' JSON names.

A proposal from a finding names a fact (``availability.outage_hours``) and a value
(``encrypted_key_compromised``); the DPO and IT read "Hours without the data" and "Our own
encryption, but the key may be in the attacker's hands".
"""

from __future__ import annotations

from typing import Any

from breachdesk.domain.vocabulary import DATA_CATEGORY_LABELS

FACT_LABELS = {
    "breach_types": "Kind of breach",
    "cause": "Cause",
    "data_categories": "Kinds of personal data",
    "subjects_count": "Number of people",
    "records_count": "Number of records",
    "vulnerable_subjects": "Vulnerable people among them",
    "identifiability": "How easily the people can be identified",
    "protection": "Our own encryption of the data",
    "exfiltration": "Data copied out",
    "recipient": "Who could now see the data",
    "misuse_observed": "Misuse already seen",
    "data_recovered": "Data recovered, or its deletion confirmed",
    "mitigated": "High risk no longer likely after the steps taken",
    "disproportionate_effort": "Telling each person would take disproportionate effort",
    "became_aware_at": "When we became aware",
    "acting_as": "Whose data it is",
    "availability.backup_available": "A usable backup exists",
    "availability.outage_hours": "Hours without the data",
    "availability.permanent_loss": "Some data lost for good",
    "availability.people_affected": "The people feel the loss of access",
}

VALUE_LABELS: dict[str, dict[str, str]] = {
    "breach_types": {
        "confidentiality": "Secrecy: someone who should not could see or take the data",
        "integrity": "Correctness: the data was changed without authority",
        "availability": "Access: the data was destroyed, locked, lost or down",
    },
    "cause": {
        "malicious": "Deliberate: an attack, a theft or misuse",
        "accidental": "A mistake or an accident",
        "unknown": "Not known yet",
    },
    "identifiability": {
        "direct": "Directly: names, photos, contact details",
        "indirect": "With a little more information",
        "pseudonymised": "Only with a key we keep separately",
        "none": "Not at all",
    },
    "protection": {
        "none": "None: the data was not protected by encryption of ours",
        "encrypted": "Our own strong encryption, and our key is safe",
        "hashed": "Passwords kept only as salted, strong hashes",
        "encrypted_key_compromised": "Our own encryption, but the key may be in the wrong hands",
    },
    "exfiltration": {
        "confirmed": "Yes, confirmed",
        "suspected": "Suspected",
        "ruled_out": "Ruled out",
        "unknown": "Not known yet",
    },
    "recipient": {
        "unknown": "Not known",
        "public": "Anyone: it was published or openly reachable",
        "malicious": "Someone with bad intent: an attacker or a thief",
        "known_untrusted": "A known person with no duty of confidence",
        "trusted": "A trusted recipient who confirmed deletion or return",
        "none": "Nobody: the data was not seen",
    },
    "acting_as": {
        "controller": "Our own (we are the controller)",
        "processor": "Someone else's: we hold it for them (we are their processor)",
    },
    "data_categories": {c.value: label for c, label in DATA_CATEGORY_LABELS.items()},
}


def fact_label(name: str) -> str:
    """The plain name of a fact; an unknown name is shown as it is rather than hidden."""
    return FACT_LABELS.get(name, name.replace("_", " ").replace(".", ": ").capitalize())


def fact_value(name: str, value: Any) -> str:
    """A fact's value in words: "Yes", "6,000", "36 hours", "Suspected"."""
    if value is None:
        return "Not known"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return "; ".join(fact_value(name, item) for item in value) or "None"
    if name == "availability.outage_hours":
        return f"{value:g} hour{'' if value == 1 else 's'}"
    if isinstance(value, int | float):
        return f"{value:,}"
    return VALUE_LABELS.get(name, {}).get(str(value), str(value))
