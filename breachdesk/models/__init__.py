"""Typed SQLAlchemy models; import them from here."""

from breachdesk.models.incidents import Incident
from breachdesk.models.incidents import IncidentAsset
from breachdesk.models.incidents import IncidentAssignment
from breachdesk.models.incidents import IncidentEvent
from breachdesk.models.incidents import IncidentStatus
from breachdesk.models.incidents import Notification
from breachdesk.models.incidents import Ongoing
from breachdesk.models.users import LoginThrottle
from breachdesk.models.users import User
from breachdesk.models.users import UserRole

__all__ = [
    "Incident",
    "IncidentAsset",
    "IncidentAssignment",
    "IncidentEvent",
    "IncidentStatus",
    "LoginThrottle",
    "Notification",
    "Ongoing",
    "User",
    "UserRole",
]
