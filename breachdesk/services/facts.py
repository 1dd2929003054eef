"""The incident's assessment facts: first drawn from the report and the profile, then
corrected by the DPO or by accepted findings, always valid against the spec."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from breachdesk.domain.assessment import FactsError
from breachdesk.domain.assessment import facts_to_dict
from breachdesk.domain.assessment import parse_facts
from breachdesk.domain.profile import Group
from breachdesk.domain.profile import Profile
from breachdesk.domain.profile import count_people
from breachdesk.domain.vocabulary import ActingAs
from breachdesk.domain.vocabulary import DataCategory
from breachdesk.extensions import db
from breachdesk.models import Assessment
from breachdesk.models import Incident
from breachdesk.models import IncidentFacts
from breachdesk.models import User
from breachdesk.services import audit
from breachdesk.timeutil import utcnow

#: The fields a finding may propose or the DPO may correct: every field of the spec.
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
    "became_aware_at",
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
    processor_only = bool(groups) and all(g.acting_as is ActingAs.PROCESSOR for g in groups)
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
        "became_aware_at": incident.aware_at.isoformat(),
        "acting_as": "processor" if processor_only else "controller",
    }
    return facts_to_dict(parse_facts(facts))


def _reported_groups(incident: Incident, profile: Profile):
    """The data categories reported (else all the assets hold) and the groups holding them."""
    assets = profile.assets_of(incident.asset_ids)
    reported = [DataCategory(c) for c in incident.data_categories]
    categories = reported or _ordered_union(a.data_categories for a in assets)
    return categories, involved_groups(incident, profile, categories)


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
    row = db.session.get(IncidentFacts, incident.id)
    if row is None:
        return start
    return Estimates(
        row.count_estimated,
        row.vulnerable_unasked,
        start.vulnerable_hints,
        int(row.facts.get("subjects_count") or 0),
    )


def involved_groups(
    incident: Incident, profile: Profile, categories: Iterable[DataCategory | str]
) -> list[Group]:
    """The profile's groups, on the incident's assets, that hold any of ``categories``."""
    wanted = {DataCategory(c) for c in categories}
    assets = profile.assets_of(incident.asset_ids)
    return [g for a in assets for g in a.groups if set(g.data_categories) & wanted]


def facts_by_role(facts: dict[str, Any], groups: list[Group]) -> dict[ActingAs, dict[str, Any]]:
    """Split the facts into the part held as controller and the part held as processor.

    A processor tells the controller (UK GDPR Art. 33(2)); a controller weighs the risk and
    tells the ICO (Art. 33(1)). Where one asset holds both (ODL's lab server: practices' data
    as controller, patients' data for the practices), each part is weighed on its own data
    and people. Categories no group holds stay with the controller part, the wider duty.
    """
    if facts.get("acting_as") == ActingAs.PROCESSOR or not groups:
        return {ActingAs(facts.get("acting_as", "controller")): facts}
    held = {role: [g for g in groups if g.acting_as is role] for role in ActingAs}
    if not held[ActingAs.PROCESSOR]:
        return {ActingAs.CONTROLLER: facts}
    any_vulnerable = any(g.may_be_vulnerable for g in groups)
    parts: dict[ActingAs, dict[str, Any]] = {}
    for role in (ActingAs.CONTROLLER, ActingAs.PROCESSOR):
        own = _ordered_union(g.data_categories for g in held[role])
        others = set(_ordered_union(g.data_categories for g in groups))
        keep = [
            c
            for c in facts["data_categories"]
            if c in own or (role is ActingAs.CONTROLLER and c not in others)
        ]
        if not keep:
            continue
        part_groups = [g for g in held[role] if set(g.data_categories) & set(keep)]
        vulnerable = facts.get("vulnerable_subjects", False) and (
            any(g.may_be_vulnerable for g in part_groups) or not any_vulnerable
        )
        count = count_people(part_groups) if part_groups else facts["subjects_count"]
        parts[role] = {
            **facts,
            "data_categories": keep,
            "subjects_count": min(facts["subjects_count"], count),
            "vulnerable_subjects": vulnerable,
            "acting_as": role.value,
        }
    return parts


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


def _cause_from(description: str) -> str:
    return "malicious" if _mentions(description, _MALICIOUS_WORDS) else "unknown"


def _identifiability_of(categories: list[DataCategory]) -> str:
    """Names and contact details identify people directly; the rest usually with more."""
    direct = {DataCategory.BASIC_IDENTITY, DataCategory.GOVERNMENT_ID}
    return "direct" if direct & set(categories) or not categories else "indirect"


def _ordered_union(groups: Iterable[Iterable[DataCategory]]) -> list[DataCategory]:
    seen: dict[DataCategory, None] = {}
    for categories in groups:
        for category in categories:
            seen.setdefault(category)
    return list(seen)


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
    unknown = [name for name in changes if name not in FACT_FIELDS]
    if unknown:
        raise FactsError(unknown[0], "is not a known field of the breach facts")
    candidate = {**facts, **changes}
    candidate = {k: v for k, v in candidate.items() if v is not None}
    return facts_to_dict(parse_facts(candidate))


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
    new = facts_to_dict(parse_facts(facts))
    row = current_facts(incident, profile)
    changed = {k: new.get(k) for k in set(new) | set(row.facts) if new.get(k) != row.facts.get(k)}
    if not changed:
        return row
    # A count or an answer given for this incident replaces the profile's stand-in.
    if "subjects_count" in changed:
        row.count_estimated = False
    if "vulnerable_subjects" in changed:
        row.vulnerable_unasked = False
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
        changes=changed,
        source=source,
    )
    return row
