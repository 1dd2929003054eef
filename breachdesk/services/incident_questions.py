"""The two questions the profile cannot answer for an incident, put to the DPO.

The profile gives a count of people that is an estimate (or a DEMO figure), and for some
groups only a hint about whether children or vulnerable adults are among them. Until the
DPO confirms the count and answers the question for this incident, drafts say so.
"""

from __future__ import annotations

from breachdesk.domain.people_count import people
from breachdesk.domain.profile import Profile
from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import User
from breachdesk.services import audit
from breachdesk.services.facts import change_facts
from breachdesk.services.facts import current_facts


def confirm_count(incident: Incident, profile: Profile, actor: User) -> None:
    """The DPO confirms the count of people as it stands; drafts stop calling it an estimate."""
    row = current_facts(incident, profile)
    if row.count_estimated:
        row.count_estimated = False
        count = row.facts.get("subjects_count")
        audit.record(
            incident,
            actor,
            "count-confirmed",
            f"Number of people confirmed: {people(count, about=True)}",
        )
    db.session.commit()


def answer_vulnerable(incident: Incident, profile: Profile, actor: User, answer: bool) -> None:
    """The DPO says whether children or vulnerable adults are among the people."""
    change_facts(incident, profile, {"vulnerable_subjects": answer}, actor, source="the DPO")
    row = current_facts(incident, profile)
    if row.vulnerable_unasked:
        row.vulnerable_unasked = False
        words = "Yes" if answer else "No"
        audit.record(
            incident,
            actor,
            "vulnerable-answered",
            f"Children or vulnerable adults among the people: {words}",
        )
    db.session.commit()
