"""The assessment's sections of the incident page, for the DPO only."""

from __future__ import annotations

from typing import Any

from breachdesk.desk import get_profile
from breachdesk.domain.vocabulary import Role
from breachdesk.models import Incident
from breachdesk.models import User
from breachdesk.services import assessments
from breachdesk.web.panels import incident_panel


@incident_panel(15, "assessment/panel_reassess.html")
def reassessment_prompt(incident: Incident, user: User) -> dict[str, Any] | None:
    """New facts after a decision: the ICO's guidance is to reassess as information comes in."""
    if not user.has_role(Role.DPO) or not assessments.needs_reassessment(incident):
        return None
    in_force = assessments.current_decision(incident)
    if in_force is None:
        return None
    profile = get_profile()
    recommendation = assessments.recommend(
        incident, profile, assessments.working_facts(incident, profile)
    )
    differs = assessments.differences(recommendation.answers, _as_choice(in_force))
    return {"incident": incident, "rec": recommendation, "in_force": in_force, "differs": differs}


@incident_panel(40, "assessment/panel_summary.html")
def decision_summary(incident: Incident, user: User) -> dict[str, Any] | None:
    """The decision in force and the current recommendation, with a way to the form."""
    if not user.has_role(Role.DPO):
        return None
    profile = get_profile()
    recommendation = assessments.recommend(
        incident, profile, assessments.working_facts(incident, profile)
    )
    return {
        "incident": incident,
        "rec": recommendation,
        "in_force": assessments.current_decision(incident),
    }


def _as_choice(assessment) -> assessments.Choice:
    return assessments.Choice(
        assessment.notify_ico, assessment.notify_people, assessment.notify_controller
    )
