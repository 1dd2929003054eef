"""An organisation's profile: who it is, who answers for breaches, where its data lives."""

from __future__ import annotations

from breachdesk.domain.profile.fields import ProfileError
from breachdesk.domain.profile.model import GENERAL_PLAYBOOK
from breachdesk.domain.profile.model import Asset
from breachdesk.domain.profile.model import ContactKind
from breachdesk.domain.profile.model import CountBasis
from breachdesk.domain.profile.model import Group
from breachdesk.domain.profile.model import Profile
from breachdesk.domain.profile.model import ReminderPolicy
from breachdesk.domain.profile.model import ReportsTo
from breachdesk.domain.profile.model import count_people
from breachdesk.domain.profile.parsing import profile_from_mapping

__all__ = [
    "GENERAL_PLAYBOOK",
    "Asset",
    "ContactKind",
    "CountBasis",
    "Group",
    "Profile",
    "ProfileError",
    "ReminderPolicy",
    "ReportsTo",
    "count_people",
    "profile_from_mapping",
]
