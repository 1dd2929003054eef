"""Demo incidents for Sunray Vision, in the shape of the ODL demo set.

The first is the one the drafting is shown with: an order confirmation emailed to the wrong
customer, from the support@ mailbox. One person, the DPO, handles Sunray's data (privacy
notice, sections 15 and 16), so the DPO reports every one of them.
"""

from __future__ import annotations

from breachdesk.domain.vocabulary import Role
from breachdesk.domain.vocabulary import Situation
from breachdesk.models import IncidentStatus
from breachdesk.models import Ongoing
from breachdesk.services.demo import DEMO_USERS
from breachdesk.services.demo import DemoIncident

#: The DPO and a deputy named in case the DPO is away: nobody else handles the data.
SUNRAY_DEMO_USERS = tuple(user for user in DEMO_USERS if Role.DPO in user[3])

SUNRAY_DEMO_INCIDENTS = (
    DemoIncident(
        "dpo",
        3,
        ("mailbox",),
        "The order confirmation email for Mrs A's order went to another customer, Mr B. The "
        "two orders were open at once while one was being edited by hand. The email showed "
        "her name, delivery address, what she ordered and her lens prescription. Mr B replied "
        "to tell us and says he has deleted it.",
        ("basic_identity", "health", "other"),
        1,
        Ongoing.NO,
        "Mr B, the customer who received the email.",
        IncidentStatus.TRIAGE,
        situation=Situation.WRONG_RECIPIENT,
    ),
    DemoIncident(
        "dpo",
        30,
        ("worldpay",),
        "WorldPay emailed a fraud alert: three card payments on our account were flagged as "
        "possibly made with stolen card details. We do not see card numbers ourselves.",
        ("basic_identity", "payment_card"),
        3,
        Ongoing.UNKNOWN,
        "WorldPay's risk team.",
        IncidentStatus.REPORTED,
        situation=Situation.ATTACK,
    ),
    DemoIncident(
        "dpo",
        300,
        ("recorded-delivery-slips",),
        "A recorded-delivery slip with a customer's name and address was dropped in the Post "
        "Office queue. The counter clerk handed it back the same afternoon.",
        ("basic_identity",),
        1,
        Ongoing.NO,
        "The Post Office counter clerk.",
        IncidentStatus.CLOSED,
        situation=Situation.LOST,
    ),
)
