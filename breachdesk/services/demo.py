"""Demo data: users for every role and incidents at different points of their clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy import select

from breachdesk.desk import get_desk
from breachdesk.domain.profile import Profile
from breachdesk.domain.vocabulary import Role
from breachdesk.domain.vocabulary import Situation
from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import IncidentAsset
from breachdesk.models import IncidentAssignment
from breachdesk.models import IncidentStatus
from breachdesk.models import Notification
from breachdesk.models import Ongoing
from breachdesk.models import User
from breachdesk.services import accounts
from breachdesk.services import audit
from breachdesk.services.checklists import runs as checklists
from breachdesk.timeutil import LONDON
from breachdesk.timeutil import utcnow


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    roles: str


@dataclass(frozen=True)
class DemoResult:
    message: str
    logins: tuple[DemoLogin, ...]


# Demo passwords are printed on purpose: they exist only in a demo database.
DEMO_USERS = (
    ("dpo", "Dana Price", "dpo-demo-password", (Role.DPO, Role.STAFF)),
    ("deputy", "Dev Patel", "deputy-demo-password", (Role.DPO, Role.STAFF)),
    ("sam", "Sam Taylor", "staff-demo-password", (Role.STAFF,)),
    ("reliant", "Reliant (UK) Ltd engineer", "it-demo-password", (Role.IT,)),
)


@dataclass(frozen=True)
class DemoIncident:
    reporter: str
    hours_ago: float
    assets: tuple[str, ...]
    description: str
    categories: tuple[str, ...]
    people: int | None
    ongoing: Ongoing
    others: str
    status: IncidentStatus
    assign_it: bool = False
    situation: Situation = Situation.NOT_SURE


DEMO_INCIDENTS = (
    DemoIncident(
        "sam",
        0.3,
        ("lab-server",),
        "A red screen on the lab server says all files are encrypted and asks for Bitcoin. "
        "Transactor will not open. The file names on the shared drive end in .lockd.",
        ("basic_identity", "date_of_birth", "health"),
        None,  # the reporter cannot know how many people: the profile's estimate stands in
        Ongoing.YES,
        "Only me so far; I have called the office manager.",
        IncidentStatus.REPORTED,
        True,
        Situation.ATTACK,
    ),
    DemoIncident(
        "sam",
        55,
        ("parcels",),
        "Willow Dental rang: the box they received today holds a crown and its delivery note "
        "for a patient of Castle Street Dental. Their own parcel has not arrived.",
        ("basic_identity", "health"),
        1,
        Ongoing.NO,
        "Willow Dental's receptionist; the DPD driver.",
        IncidentStatus.TRIAGE,
        situation=Situation.WRONG_RECIPIENT,
    ),
    DemoIncident(
        "dpo",
        80,
        ("courier-address-books",),
        "DPD emailed to say our online account signed in from abroad overnight and the address "
        "book was exported. We did not do this.",
        ("basic_identity", "professional"),
        150,
        Ongoing.UNKNOWN,
        "DPD's security team.",
        IncidentStatus.TRIAGE,
        True,
        Situation.ATTACK,
    ),
    DemoIncident(
        "sam",
        400,
        ("email",),
        "I emailed photos of a patient's shade match to the wrong practice. They rang straight "
        "back, deleted the email and confirmed it in writing.",
        ("health",),
        1,
        Ongoing.NO,
        "The practice manager at the other practice.",
        IncidentStatus.CLOSED,
        situation=Situation.WRONG_RECIPIENT,
    ),
)


def _it_name(profile: Profile) -> str:
    """The demo IT user works for the organisation's IT contractor."""
    contractor = profile.contact(profile.it_contractor) if profile.it_contractor else None
    return f"{contractor.name} engineer" if contractor else "IT support"


def demo_users(profile: Profile) -> tuple[tuple[str, str, str, tuple[Role, ...]], ...]:
    """The demo's users for this organisation.

    Where one person handles the data (Sunray Vision's privacy notice, sections 15 and 16)
    there is no other member of staff to report; with no IT contractor, no IT user.
    """
    from breachdesk.services.demo_sunray import SUNRAY_DEMO_USERS

    users = {"sunray": SUNRAY_DEMO_USERS}.get(profile.id, DEMO_USERS)
    if profile.it_contractor is None:
        users = tuple(u for u in users if Role.IT not in u[3])
    return users


def demo_incidents(profile: Profile) -> tuple[DemoIncident, ...]:
    """The demo's incidents for this organisation (ODL's unless it has its own)."""
    from breachdesk.services.demo_sunray import SUNRAY_DEMO_INCIDENTS

    return {"sunray": SUNRAY_DEMO_INCIDENTS}.get(profile.id, DEMO_INCIDENTS)


def load_demo(profile: Profile) -> DemoResult:
    """Fill an empty database with the demo, in one transaction; leave a used one untouched."""
    people = demo_users(profile)
    logins = tuple(
        DemoLogin(name, password, ", ".join(roles)) for name, _, password, roles in people
    )
    if db.session.scalar(select(func.count()).select_from(User)):
        return DemoResult("The database already has users: demo not loaded again.", logins)
    # The DPO and deputy are the people the profile names, so the app and the drafts agree.
    names = {"dpo": profile.dpo.name, "deputy": profile.deputy.name, "reliant": _it_name(profile)}
    users = {
        name: accounts.add_user(name, password, roles, display_name=names.get(name, full_name))
        for name, full_name, password, roles in people
    }
    db.session.flush()
    now = utcnow()
    incidents = demo_incidents(profile)
    for number, spec in enumerate(incidents, start=1):
        _add_incident(number, spec, users, now, profile)
    db.session.commit()
    return DemoResult(
        f"Demo loaded for {profile.name}: {len(people)} users, {len(incidents)} incidents.",
        logins,
    )


def _add_incident(
    number: int, spec: DemoIncident, users: dict[str, User], now: datetime, profile: Profile
) -> None:
    noticed = now - timedelta(hours=spec.hours_ago)
    year = noticed.astimezone(LONDON).year
    assets = [a for a in spec.assets if a in profile.asset_ids] or ["not-sure"]
    incident = Incident(
        year=year,
        number=number,
        reference=f"BD-{year}-{number:04d}",
        reporter=users[spec.reporter],
        description=spec.description,
        occurred_at=noticed - timedelta(minutes=30),
        noticed_at=noticed,
        reported_at=noticed + timedelta(minutes=10),
        aware_at=noticed,
        data_categories=list(spec.categories),
        people_count=spec.people,
        ongoing=spec.ongoing,
        others_aware=spec.others,
        situation=spec.situation,
        status=spec.status,
        data_notes="",
    )
    incident.asset_rows = [IncidentAsset(asset_id=a, position=i) for i, a in enumerate(assets)]
    db.session.add(incident)
    audit.record(
        incident,
        incident.reporter,
        "reported",
        "Suspected breach reported",
        at=incident.reported_at,
    )
    if spec.assign_it and "reliant" in users:
        incident.assignments.append(
            IncidentAssignment(user=users["reliant"], assigned_by_id=None, assigned_at=noticed)
        )
        audit.record(incident, users["dpo"], "assigned", f"{_it_name(profile)} assigned")
    if spec.status is not IncidentStatus.REPORTED:
        audit.record(
            incident, users["dpo"], "status-changed", f"Status Reported -> {spec.status.label}"
        )
    if spec.status is IncidentStatus.CLOSED:
        incident.closed_at = noticed + timedelta(hours=6)
        incident.closing_summary = (
            "The other practice deleted the email and confirmed it in writing: no risk to the "
            "patient, so not reportable."
        )
        incident.lessons_learnt = "Check the practice in the address bar before sending."
    checklists.add_demo_checklist(incident, get_desk().playbooks, profile, users["dpo"])
    for dpo in (users["dpo"], users["deputy"]):
        db.session.add(
            Notification(
                user_id=dpo.id,
                incident=incident,
                message=f"New suspected breach {incident.reference}.",
                created_at=incident.reported_at,
            )
        )
