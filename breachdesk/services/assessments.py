"""The notifiability assessment of an incident: the recommendation, and the DPO's decisions.

Public functions other capabilities call:

- ``current_decision(incident)``: the decision in force (the latest recorded), or None.
- ``recommendation_for(incident, profile)``: the engine's recommendation on the current facts.
- ``record_decision(incident, profile, actor, facts, choice)``: save the facts and the decision.
- ``controllers_to_tell(incident, profile)``: who to tell when the data is held as processor.

The engine recommends; the DPO decides, with a reason where the two differ (spec/assessment.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from breachdesk.domain.assessment import Decision
from breachdesk.domain.assessment import FactsError
from breachdesk.domain.assessment import RoleAssessment
from breachdesk.domain.assessment import RolePart
from breachdesk.domain.assessment import SubjectChannel
from breachdesk.domain.assessment import assess_by_role
from breachdesk.domain.assessment import decision_to_dict
from breachdesk.domain.assessment import facts_to_dict
from breachdesk.domain.profile import Profile
from breachdesk.extensions import db
from breachdesk.models import Assessment
from breachdesk.models import Incident
from breachdesk.models import IncidentFacts
from breachdesk.models import IncidentStatus
from breachdesk.models import User
from breachdesk.services import audit
from breachdesk.services.facts import current_facts
from breachdesk.services.facts import engine_facts
from breachdesk.services.facts import initial_facts
from breachdesk.services.facts import replace_facts
from breachdesk.services.facts import stored_facts
from breachdesk.services.incident_rows import row_of
from breachdesk.services.incident_rows import rows_of

#: How the people are told, as the decision records it: each person, a public notice, or not.
PEOPLE_CHOICES = ("yes", "public", "no")


class AssessmentError(ValueError):
    """A decision that cannot be recorded; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Recommendation:
    """The recommendation on some facts: overall, and per role when the assets hold both."""

    facts: dict[str, Any]  # as the incident keeps them and the form shows them
    roles: RoleAssessment

    @property
    def decision(self) -> Decision:
        return self.roles.decision

    @property
    def parts(self) -> tuple[RolePart, ...]:
        return self.roles.parts

    @property
    def controllers(self) -> tuple[str, ...]:
        """Who to tell as controller of data held as processor, one line each."""
        return tuple(c.line for c in self.roles.controllers)

    @property
    def mixed(self) -> bool:
        return self.roles.mixed

    @property
    def severity_note(self) -> str | None:
        return self.roles.severity_note

    @property
    def answers(self) -> Choice:
        """The decision as the DPO's form records it, to pre-fill and to compare with."""
        return recommended_choice(self.decision)


@dataclass(frozen=True)
class Choice:
    """The DPO's final decision: tell the ICO, the people (yes/public/no), the controllers."""

    notify_ico: bool
    notify_people: str
    notify_controller: bool
    override_reason: str = ""
    notes: str = ""


def working_facts(incident: Incident, profile: Profile) -> dict[str, Any]:
    """The incident's facts as they stand, without writing anything."""
    row = row_of(IncidentFacts, incident.id)
    facts = row.facts if row is not None else initial_facts(incident, profile)
    return stored_facts(engine_facts(incident, facts))


def checked_facts(incident: Incident, submitted: dict[str, Any]) -> dict[str, Any]:
    """Submitted facts, complete and valid against the spec; FactsError names the field."""
    return stored_facts(engine_facts(incident, submitted))


def recommend(incident: Incident, profile: Profile, facts: dict[str, Any]) -> Recommendation:
    """Run the engine on ``facts``, once per role where the assets hold data in both."""
    roles = assess_by_role(engine_facts(incident, facts), profile, incident.asset_ids)
    return Recommendation(facts, roles)


def recommendation_for(incident: Incident, profile: Profile) -> Decision:
    """The engine's recommendation on the incident's current facts (both roles combined)."""
    return recommend(incident, profile, working_facts(incident, profile)).decision


def controllers_to_tell(incident: Incident, profile: Profile) -> list[str]:
    """Who must be told as controller of data held as processor (UK GDPR Art. 33(2)).

    One line each, from the profile; empty when the organisation holds none of the data
    involved as processor.
    """
    return list(recommend(incident, profile, working_facts(incident, profile)).controllers)


def recommended_choice(decision: Decision) -> Choice:
    """Express a recommendation in the terms of the DPO's decision."""
    people = "no"
    if decision.notify_subjects:
        people = "yes"
    elif decision.subject_channel is SubjectChannel.PUBLIC:
        people = "public"
    return Choice(decision.notify_ico, people, decision.notify_controller)


def differences(recommended: Choice, chosen: Choice) -> list[str]:
    """Which parts of the decision differ from the recommendation, in words."""
    found = []
    if chosen.notify_ico != recommended.notify_ico:
        found.append("telling the ICO")
    if chosen.notify_people != recommended.notify_people:
        found.append("telling the people")
    if chosen.notify_controller != recommended.notify_controller:
        found.append("telling the controllers")
    return found


def record_decision(
    incident: Incident,
    profile: Profile,
    actor: User,
    facts: dict[str, Any],
    choice: Choice,
) -> Assessment:
    """Save the facts and record the DPO's decision; the incident's status follows.

    Raises AssessmentError (nothing saved) when the facts are invalid or the decision differs
    from the recommendation without a reason. Commits.
    """
    try:
        new_facts = checked_facts(incident, facts)
    except FactsError as exc:
        raise AssessmentError(exc.field, exc.message) from exc
    recommendation = recommend(incident, profile, new_facts)
    differs = _check_choice(recommendation.answers, choice)
    replace_facts(incident, profile, new_facts, actor, source="the assessment")
    current_facts(incident, profile).changed_since_decision = False
    assessment = Assessment(
        incident_id=incident.id,
        decided_by=actor,
        # The record keeps the facts the decision rested on, awareness included.
        facts=facts_to_dict(recommendation.roles.facts),
        recommendation=_recommendation_record(recommendation),
        engine_version=recommendation.decision.engine_version,
        risk=str(recommendation.decision.risk),
        notify_ico=choice.notify_ico,
        notify_people=choice.notify_people,
        notify_controller=choice.notify_controller,
        differs_from_recommendation=bool(differs),
        override_reason=choice.override_reason.strip() or None,
        notes=choice.notes.strip(),
    )
    db.session.add(assessment)
    db.session.flush()  # the id ties the audit line to this decision in the timeline
    _follow_status(incident, actor, assessment, differs)
    db.session.commit()
    return assessment


def save_facts(incident: Incident, profile: Profile, actor: User, facts: dict[str, Any]) -> None:
    """Save corrected facts without deciding yet. Commits; FactsError names a bad field."""
    replace_facts(incident, profile, checked_facts(incident, facts), actor, source="the DPO")
    db.session.commit()


def current_decision(incident: Incident) -> Assessment | None:
    """The decision in force: the latest recorded, or None before the first."""
    return next(iter(history(incident)), None)


def history(incident: Incident) -> list[Assessment]:
    """Every decision recorded on the incident, newest first (all are kept)."""
    rows = rows_of(Assessment, incident.id)
    return sorted(rows, key=lambda a: (a.decided_at, a.id), reverse=True)


def needs_reassessment(incident: Incident) -> bool:
    """New facts arrived after the decision in force, so it must be confirmed or revised."""
    row = row_of(IncidentFacts, incident.id)
    return row is not None and row.changed_since_decision


def _check_choice(recommended: Choice, choice: Choice) -> list[str]:
    if choice.notify_people not in PEOPLE_CHOICES:
        raise AssessmentError("notify_people", "Choose whether and how to tell the people.")
    differs = differences(recommended, choice)
    if differs and not choice.override_reason.strip():
        raise AssessmentError(
            "override_reason",
            f"Your decision differs from the recommendation on {' and '.join(differs)}. "
            "Say why: the reason is kept with the decision in the breach register.",
        )
    return differs


def _follow_status(
    incident: Incident, actor: User, assessment: Assessment, differs: list[str]
) -> None:
    """ICO to be told: assessed until the report is sent; otherwise not notifiable."""
    previous = incident.status
    if previous not in (IncidentStatus.CLOSED, IncidentStatus.NOTIFIED):
        notifiable = IncidentStatus.ASSESSED
        incident.status = notifiable if assessment.notify_ico else IncidentStatus.NOT_NOTIFIABLE
    summary = _decision_words(assessment)
    if differs:
        summary += f" Differs from the recommendation on {' and '.join(differs)}."
    if incident.status is not previous:
        summary += f" Status {previous.label} -> {incident.status.label}."
    audit.record(
        incident,
        actor,
        "assessed",
        summary,
        assessment_id=assessment.id,
        risk=assessment.risk,
        differs=list(differs),
        previous=previous.value,
        new=incident.status.value,
    )


def _decision_words(assessment: Assessment) -> str:
    people = {"yes": "yes, each person", "public": "by a public notice", "no": "no"}
    words = (
        f"Decision recorded: tell the ICO: {'yes' if assessment.notify_ico else 'no'}; "
        f"tell the people: {people[assessment.notify_people]}"
    )
    if assessment.notify_controller:
        words += "; tell the controllers: yes"
    return words + f" (risk: {assessment.risk})."


def _recommendation_record(recommendation: Recommendation) -> dict[str, Any]:
    """The recommendation as kept with the decision: the spec's JSON, plus each role's part."""
    record = decision_to_dict(recommendation.decision)
    if recommendation.mixed:
        record["parts"] = [
            {"acting_as": str(p.role), "groups": list(p.groups), **decision_to_dict(p.decision)}
            for p in recommendation.parts
        ]
    record["controllers"] = list(recommendation.controllers)
    return record
