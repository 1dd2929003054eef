"""Typed SQLAlchemy models; import them from here."""

from breachdesk.models import derived  # noqa: F401
from breachdesk.models import drafts  # noqa: F401
from breachdesk.models import reminders  # noqa: F401
from breachdesk.models.assessments import Assessment
from breachdesk.models.assessments import IncidentFacts
from breachdesk.models.audit import AuditChainHead
from breachdesk.models.audit import AuditEvent
from breachdesk.models.drafts import DraftDoc
from breachdesk.models.drafts import DraftMerge
from breachdesk.models.drafts import DraftState
from breachdesk.models.drafts import DraftVersion
from breachdesk.models.findings import ApiToken
from breachdesk.models.findings import EvidenceFile
from breachdesk.models.findings import FactProposal
from breachdesk.models.findings import Finding
from breachdesk.models.findings import ProposalState
from breachdesk.models.incidents import Incident
from breachdesk.models.incidents import IncidentAsset
from breachdesk.models.incidents import IncidentAssignment
from breachdesk.models.incidents import IncidentCounter
from breachdesk.models.incidents import IncidentStatus
from breachdesk.models.incidents import IncidentTally
from breachdesk.models.incidents import Notification
from breachdesk.models.incidents import Ongoing
from breachdesk.models.notices import Audience
from breachdesk.models.notices import NoticeRecord
from breachdesk.models.playbook_runs import ChecklistItem
from breachdesk.models.playbook_runs import ChecklistNote
from breachdesk.models.playbook_runs import PlaybookRun
from breachdesk.models.playbook_runs import StepState
from breachdesk.models.reminders import OutboxMessage
from breachdesk.models.reminders import Reminder
from breachdesk.models.users import LoginThrottle
from breachdesk.models.users import User
from breachdesk.models.users import UserRole

__all__ = [
    "ApiToken",
    "Assessment",
    "AuditChainHead",
    "AuditEvent",
    "Audience",
    "ChecklistItem",
    "ChecklistNote",
    "DraftDoc",
    "DraftMerge",
    "DraftState",
    "DraftVersion",
    "EvidenceFile",
    "FactProposal",
    "Finding",
    "Incident",
    "IncidentAsset",
    "IncidentAssignment",
    "IncidentCounter",
    "IncidentFacts",
    "IncidentStatus",
    "IncidentTally",
    "LoginThrottle",
    "NoticeRecord",
    "Notification",
    "Ongoing",
    "OutboxMessage",
    "PlaybookRun",
    "ProposalState",
    "Reminder",
    "StepState",
    "User",
    "UserRole",
]
