"""The incident's assessment facts: first drawn from the report and the profile, then
corrected by the DPO or by accepted findings, always valid against the spec."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from breachdesk.domain.facts import FactsError
from breachdesk.domain.facts import facts_to_dict
from breachdesk.domain.facts import parse_facts
from breachdesk.domain.profile import Profile
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


def initial_facts(incident: Incident, profile: Profile) -> dict[str, Any]:
    """Facts drawn from the report and from what the profile says the assets hold.

    Where the reporter did not say, the profile's figures stand in (the worst case the
    assets allow), for the DPO to confirm or correct.
    """
    assets = [profile.asset(a) for a in incident.asset_ids if a in profile.asset_ids]
    reported = [DataCategory(c) for c in incident.data_categories]
    categories = reported or _ordered_union(a.data_categories for a in assets)
    groups = [
        g
        for a in assets
        for g in a.groups
        if not reported or set(g.data_categories) & set(categories)
    ]
    count = incident.people_count
    if count is None:
        count = sum(g.count for g in groups)
    processor_only = bool(groups) and all(g.acting_as is ActingAs.PROCESSOR for g in groups)
    facts = {
        "breach_types": ["confidentiality"],
        "cause": "unknown",
        "data_categories": [c.value for c in categories],
        "subjects_count": count,
        "vulnerable_subjects": any(g.vulnerable for g in groups),
        "protection": "encrypted"
        if assets and all(a.encrypted_at_rest for a in assets)
        else "none",
        "became_aware_at": incident.aware_at.isoformat(),
        "acting_as": "processor" if processor_only else "controller",
    }
    return facts_to_dict(parse_facts(facts))


def _ordered_union(groups) -> list[DataCategory]:
    seen: dict[DataCategory, None] = {}
    for categories in groups:
        for category in categories:
            seen.setdefault(category)
    return list(seen)


def current_facts(incident: Incident, profile: Profile) -> IncidentFacts:
    """The incident's facts row, created from the report and the profile on first use."""
    row = db.session.get(IncidentFacts, incident.id)
    if row is None:
        row = IncidentFacts(incident_id=incident.id, facts=initial_facts(incident, profile))
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
    new = merged(row.facts, changes)
    changed = {k: new.get(k) for k in set(new) | set(row.facts) if new.get(k) != row.facts.get(k)}
    if not changed:
        return row
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
