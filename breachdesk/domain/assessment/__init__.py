"""The decision engine: breach facts in, a recommended decision with reasons out."""

from __future__ import annotations

from breachdesk.domain.assessment.engine import ENGINE_VERSION
from breachdesk.domain.assessment.engine import Decision
from breachdesk.domain.assessment.engine import assess
from breachdesk.domain.assessment.engine import decide
from breachdesk.domain.assessment.engine import decision_to_dict
from breachdesk.domain.assessment.engine import severity_note
from breachdesk.domain.assessment.engine import with_open_questions
from breachdesk.domain.assessment.facts import Availability
from breachdesk.domain.assessment.facts import Facts
from breachdesk.domain.assessment.facts import FactsError
from breachdesk.domain.assessment.facts import facts_to_dict
from breachdesk.domain.assessment.facts import parse_facts
from breachdesk.domain.assessment.notification import SubjectChannel
from breachdesk.domain.assessment.risk import Reason
from breachdesk.domain.assessment.risk import Risk
from breachdesk.domain.assessment.risk import worst
from breachdesk.domain.assessment.roles import ROLE_PREFIX
from breachdesk.domain.assessment.roles import ControllerToTell
from breachdesk.domain.assessment.roles import RoleAssessment
from breachdesk.domain.assessment.roles import RolePart
from breachdesk.domain.assessment.roles import acting_as_for
from breachdesk.domain.assessment.roles import assess_by_role
from breachdesk.domain.assessment.roles import involved_groups
from breachdesk.domain.assessment.roles import split_by_role
from breachdesk.domain.assessment.severity import band_for
from breachdesk.domain.assessment.unknowns import OpenQuestion
from breachdesk.domain.assessment.unknowns import Outcome
from breachdesk.domain.assessment.unknowns import answer_words
from breachdesk.domain.assessment.unknowns import outcome_words

__all__ = [
    "ENGINE_VERSION",
    "ROLE_PREFIX",
    "Availability",
    "ControllerToTell",
    "Decision",
    "Facts",
    "FactsError",
    "OpenQuestion",
    "Outcome",
    "Reason",
    "Risk",
    "RoleAssessment",
    "RolePart",
    "SubjectChannel",
    "acting_as_for",
    "answer_words",
    "assess",
    "assess_by_role",
    "band_for",
    "decide",
    "decision_to_dict",
    "facts_to_dict",
    "involved_groups",
    "outcome_words",
    "parse_facts",
    "severity_note",
    "split_by_role",
    "with_open_questions",
    "worst",
]
