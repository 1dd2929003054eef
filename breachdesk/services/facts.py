"""The incident's assessment facts: first drawn from the report and the profile, then
corrected by the DPO or by accepted findings, always valid against the spec."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from breachdesk.domain.assessment import Facts
from breachdesk.domain.assessment import FactsError
from breachdesk.domain.assessment import acting_as_for
from breachdesk.domain.assessment import facts_to_dict
from breachdesk.domain.assessment import involved_groups
from breachdesk.domain.assessment import parse_facts
from breachdesk.domain.profile import Profile
from breachdesk.domain.profile import count_people
from breachdesk.domain.vocabulary import DataCategory
from breachdesk.extensions import db
from breachdesk.models import Assessment
from breachdesk.models import Incident
from breachdesk.models import IncidentFacts
from breachdesk.models import User
from breachdesk.services import audit
from breachdesk.services.incident_rows import row_of
from breachdesk.timeutil import utcnow

#: The fields a finding may propose or the DPO may correct: every field of the spec but
#: awareness, which is the incident's own (changed there, with a reason) and never copied.
FACT_FIELDS = (
    "breach_types",
    "cause",
    "data_categories",
    "subjects_count",
    "records_count",
    "vulnerable_subjects",
    "identifiability",
    "protection",
    "exfiltration",
    "recipient",
    "misuse_observed",
    "data_recovered",
    "availability",
    "mitigated",
    "disproportionate_effort",
    "acting_as",
)


@dataclass(frozen=True)
class Estimates:
    """What in the facts still stands on the profile rather than on this incident."""

    count_estimated: bool  # the count of people is the profile's estimate
    vulnerable_unasked: bool  # nobody has answered whether the people are vulnerable
    vulnerable_hints: tuple[str, ...] = ()  # what the profile says to look for
    count: int = 0  # the number of people as the facts stand


def initial_facts(incident: Incident, profile: Profile) -> dict[str, Any]:
    """Facts drawn from the report and from what the profile says the assets hold.

    Where the reporter did not say, the profile's figures stand in (the worst case the
    assets allow), for the DPO to confirm or correct.
    """
    assets = profile.assets_of(incident.asset_ids)
    categories, groups = _reported_groups(incident, profile)
    count = incident.people_count
    if count is None:
        count = count_people(groups)
    facts = {
        "breach_types": _breach_types_from(incident.description),
        "cause": _cause_from(incident.description),
        "data_categories": [c.value for c in categories],
        "subjects_count": count,
        # Only a group the profile knows to be vulnerable says yes; "ask" groups wait for
        # the DPO's answer for this incident (see ``estimates_of``).
        "vulnerable_subjects": any(g.vulnerable is True for g in groups),
        "identifiability": _identifiability_of(categories),
        "protection": "encrypted"
        if assets and all(a.encrypted_at_rest for a in assets)
        else "none",
        "acting_as": acting_as_for(groups).value,
    }
    return stored_facts(parse_facts(facts))


def engine_facts(incident: Incident, facts: dict[str, Any]) -> Facts:
    """The facts as the engine reads them: the stored facts with the incident's awareness.

    Awareness is kept once, on the incident (UK GDPR Art. 33(1): it starts the clock and
    changes only with a reason); it is never copied into the facts. Raises FactsError.
    """
    stored = {k: v for k, v in facts.items() if k != "became_aware_at" and v is not None}
    return parse_facts({**stored, "became_aware_at": incident.aware_at.isoformat()})


def stored_facts(facts: Facts) -> dict[str, Any]:
    """Facts as the incident keeps them: the spec's JSON without awareness."""
    out = facts_to_dict(facts)
    out.pop("became_aware_at", None)
    return out


def _reported_groups(incident: Incident, profile: Profile):
    """The data categories reported (else all the assets hold) and the groups holding them."""
    assets = profile.assets_of(incident.asset_ids)
    reported = [DataCategory(c) for c in incident.data_categories]
    categories = reported or list(dict.fromkeys(c for a in assets for c in a.data_categories))
    return categories, involved_groups(profile, incident.asset_ids, categories)


def initial_estimates(incident: Incident, profile: Profile) -> Estimates:
    """Before anyone has confirmed anything: what the profile stands in for."""
    _, groups = _reported_groups(incident, profile)
    hints = tuple(dict.fromkeys(g.vulnerable_hint for g in groups if g.vulnerable is None))
    known = any(g.vulnerable is True for g in groups)
    return Estimates(
        count_estimated=incident.people_count is None and bool(groups),
        vulnerable_unasked=bool(hints) and not known,
        vulnerable_hints=hints,
        count=incident.people_count if incident.people_count is not None else count_people(groups),
    )


def estimates_of(incident: Incident, profile: Profile) -> Estimates:
    """What still stands on the profile, as last recorded (or as at the start)."""
    start = initial_estimates(incident, profile)
    row = row_of(IncidentFacts, incident.id)
    if row is None:
        return start
    return Estimates(
        row.count_estimated,
        row.vulnerable_unasked,
        start.vulnerable_hints,
        int(row.facts.get("subjects_count") or 0),
    )


# Words in a report that suggest what was lost. Only a starting point for the DPO, who
# confirms the breach types (EDPB Guidelines 01/2021: ransomware is usually a loss of
# availability as well as of confidentiality until exfiltration is ruled out).
_AVAILABILITY_WORDS = (
    "ransom", "encrypted", "will not open", "won't open", "cannot open", "can't open",
    "deleted", "destroyed", "lost", "stolen", "unavailable", "not working",
)  # fmt: skip
_INTEGRITY_WORDS = ("altered", "changed without", "tampered", "modified")
_MALICIOUS_WORDS = (
    "ransom", "hack", "phish", "stolen", "theft", "break-in", "broken into", "attack",
    "malware", "virus", "bitcoin",
)  # fmt: skip


def _mentions(description: str, words: tuple[str, ...]) -> bool:
    text = description.lower()
    return any(word in text for word in words)


def _breach_types_from(description: str) -> list[str]:
    types = ["confidentiality"]
    if _mentions(description, _INTEGRITY_WORDS):
        types.append("integrity")
    if _mentions(description, _AVAILABILITY_WORDS):
        types.append("availability")
    return types


# A ransom note, malware or hacking is a cyber incident, whatever else is known. ("hack"
# alone would match Hackney.)
_CYBER_WORDS = (
    "ransom", "malware", "virus", "bitcoin", "trojan", "keylogger", "spyware", "hacked",
    "hacker", "hacking", "phishing", "cyber attack", "cyber-attack", "cyberattack",
    "denial of service", "ddos", "encrypted all", "files are encrypted",
)  # fmt: skip


def shows_cyber_attack(*texts: str) -> bool:
    """Whether a report or finding describes a cyber attack: a ransom note, malware."""
    return any(_mentions(text, _CYBER_WORDS) for text in texts)


def _cause_from(description: str) -> str:
    return "malicious" if _mentions(description, _MALICIOUS_WORDS) else "unknown"


def _identifiability_of(categories: list[DataCategory]) -> str:
    """Names and contact details identify people directly; the rest usually with more."""
    direct = {DataCategory.BASIC_IDENTITY, DataCategory.GOVERNMENT_ID}
    return "direct" if direct & set(categories) or not categories else "indirect"


def current_facts(incident: Incident, profile: Profile) -> IncidentFacts:
    """The incident's facts row, created from the report and the profile on first use."""
    row = db.session.get(IncidentFacts, incident.id)
    if row is None:
        start = initial_estimates(incident, profile)
        row = IncidentFacts(
            incident_id=incident.id,
            facts=initial_facts(incident, profile),
            count_estimated=start.count_estimated,
            vulnerable_unasked=start.vulnerable_unasked,
        )
        db.session.add(row)
        db.session.flush()
    return row


def merged(facts: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``facts`` with ``changes`` applied and checked; raises FactsError naming the field."""
    if "became_aware_at" in changes:
        awareness = "is the incident's moment of awareness: change it there, with a reason"
        raise FactsError("became_aware_at", awareness)
    unknown = [name for name in changes if name not in FACT_FIELDS]
    if unknown:
        raise FactsError(unknown[0], "is not a known field of the breach facts")
    candidate = {**facts, **changes}
    candidate = {k: v for k, v in candidate.items() if v is not None}
    return stored_facts(parse_facts(candidate))


def change_facts(
    incident: Incident,
    profile: Profile,
    changes: dict[str, Any],
    actor: User,
    *,
    source: str,
) -> IncidentFacts:
    """Apply checked ``changes``; after a decision, flag that it needs confirming.

    ``source`` says where the change came from for the audit trail ("the DPO", "finding 3").
    The caller commits.
    """
    row = current_facts(incident, profile)
    return replace_facts(incident, profile, merged(row.facts, changes), actor, source=source)


def replace_facts(
    incident: Incident,
    profile: Profile,
    facts: dict[str, Any],
    actor: User,
    *,
    source: str,
) -> IncidentFacts:
    """Make ``facts`` (checked, complete) the incident's facts; flag a decision to confirm.

    The ICO's guidance is to reassess as information comes in, so a change after a recorded
    decision sets ``changed_since_decision``. The caller commits.
    """
    new = stored_facts(engine_facts(incident, facts))
    row = current_facts(incident, profile)
    changed = {k: new.get(k) for k in set(new) | set(row.facts) if new.get(k) != row.facts.get(k)}
    if not changed:
        return row
    # A count or an answer given for this incident replaces the profile's stand-in.
    if "subjects_count" in changed:
        row.count_estimated = False
    if "vulnerable_subjects" in changed:
        row.vulnerable_unasked = False
    before = {name: row.facts.get(name) for name in changed}
    row.facts = new
    row.updated_at = utcnow()
    row.updated_by_id = actor.id
    decided = db.session.scalar(
        select(Assessment.id).where(Assessment.incident_id == incident.id).limit(1)
    )
    if decided is not None:
        row.changed_since_decision = True
    names = ", ".join(sorted(changed))
    audit.record(
        incident,
        actor,
        "facts-changed",
        f"Facts changed from {source}: {names}",
        before=before,
        after=changed,
        changes=changed,
        source=source,
    )
    return row
