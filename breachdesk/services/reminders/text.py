"""Who a reminder goes to, and what its email says.

The email names the incident by reference only: the description may hold personal data,
and mailboxes are copied and forwarded (UK GDPR Art. 5(1)(f), security of processing).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from breachdesk.domain import clock
from breachdesk.domain.profile import Profile
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import IncidentAssignment
from breachdesk.models import User
from breachdesk.services import accounts

ICO_DEADLINE_WORDS = "ICO deadline (UK GDPR Art. 33(1): 72 hours from becoming aware)"
#: Said after the organisation's promise to tell people, so no one takes it for the law's.
OWN_PROMISE = (
    "its own promise, counted from becoming aware; the law asks for without undue delay "
    "(UK GDPR Art. 34(1))"
)


@dataclass(frozen=True)
class Email:
    """One message to queue in the outbox."""

    to: str
    subject: str
    body: str


def dedupe(addresses: Iterable[str | None]) -> list[str]:
    """Addresses in first-seen order, without blanks or case-insensitive repeats."""
    seen: dict[str, str] = {}
    for address in addresses:
        address = (address or "").strip()
        if address and address.lower() not in seen:
            seen[address.lower()] = address
    return list(seen.values())


def dpo_addresses(profile: Profile) -> list[str]:
    """The profile's reminder recipients, plus every enabled DPO user with an email."""
    named = []
    for who in profile.reminders.recipients:
        if who == "dpo":
            named.append(profile.dpo.email)
        elif who == "deputy":
            named.append(profile.deputy.email)
        else:
            named.append(_contact_email(profile, who))
    users = [user.email for user in accounts.users_with_role(Role.DPO)]
    return dedupe([*named, *users])


def _contact_email(profile: Profile, contact_id: str) -> str:
    try:
        return profile.contact(contact_id).email
    except KeyError:
        return ""


def assigned_it_addresses(incident_ids: Iterable[int]) -> dict[int, list[str]]:
    """The enabled IT users assigned to each of these incidents, by incident."""
    ids = sorted(set(incident_ids))
    if not ids:
        return {}
    query = (
        select(IncidentAssignment.incident_id, User.email)
        .join(User, IncidentAssignment.user_id == User.id)
        .where(IncidentAssignment.incident_id.in_(ids), User.enabled.is_(True))
        .order_by(IncidentAssignment.incident_id, User.id)
    )
    found: dict[int, list[str | None]] = {}
    for incident_id, email in db.session.execute(query):
        found.setdefault(incident_id, []).append(email)
    return {incident_id: dedupe(emails) for incident_id, emails in found.items()}


def link_path(reference: str, base_url: str = "") -> str:
    """Where the incident is in the app: a path, or a full address when one is configured."""
    return f"{base_url.rstrip('/')}/incidents/{reference}"


def clock_email(
    to: str,
    reference: str,
    label: str,
    deadline: clock.Deadline,
    now: datetime,
    base_url: str,
    late_by: str | None,
    promise: str | None = None,
) -> Email:
    """A reminder of a running clock: reference, deadline with its zone, time left in words.

    ``promise`` says the organisation's promise to tell people, for the people's clock.
    """
    kind = deadline.kind.value
    what = ICO_DEADLINE_WORDS if kind == "ico" else f"{promise} ({OWN_PROMISE})"
    words = clock.describe_time_left(now, deadline.due_at)
    # A late reminder's own "N hours left" is stale; the line below gives the time left now.
    headline = label.split(": ")[0] if late_by else label
    lines = [
        f"Incident {reference}: {headline}.",
        "",
        f"{what}:",
        f"  {clock.format_local(deadline.due_at)}",
        f"Now: {words}.",
        "",
        f"Open the incident: {link_path(reference, base_url)}",
    ]
    lines += _late_note(late_by)
    subject = f"[breachdesk] {reference}: {_short(kind)} {clock.format_local(deadline.due_at)}"
    return Email(to, f"{subject} ({words})", _text(lines))


def not_told_email(
    to: str, reference: str, label: str, decided_at: datetime, base_url: str, late_by: str | None
) -> Email:
    """A nudge that the people are still not told, where no time was promised them.

    It says how long ago the decision was taken, never a deadline: the law sets none.
    """
    lines = [
        f"Incident {reference}: {label}.",
        "",
        f"The decision to tell the people affected was taken {clock.format_local(decided_at)}.",
        "UK GDPR Art. 34(1) asks for them to be told without undue delay; it sets no hours.",
        "Record the notice on the incident once they are told.",
        "",
        f"Open the incident: {link_path(reference, base_url)}",
    ]
    lines += _late_note(late_by)
    return Email(to, f"[breachdesk] {reference}: {label}", _text(lines))


def step_email(
    to: str, reference: str, title: str, due_at: datetime, base_url: str, late_by: str | None
) -> Email:
    """A reminder that a playbook step is past its "how soon" and still not ticked."""
    lines = [
        f'Incident {reference}: the step "{title}" is not done.',
        "",
        f"It was due by {clock.format_local(due_at)}.",
        "Tick it when it is done, or skip it with a reason.",
        "",
        f"Open the incident: {link_path(reference, base_url)}",
    ]
    lines += _late_note(late_by)
    return Email(to, f"[breachdesk] {reference}: step overdue: {title}", _text(lines))


def _short(kind: str) -> str:
    return "ICO deadline" if kind == "ico" else "promised time to tell people"


def _late_note(late_by: str | None) -> list[str]:
    if not late_by:
        return []
    return [
        "",
        f"This reminder is {late_by} late: the reminder service was not running when it was due.",
    ]


def _text(lines: list[str]) -> str:
    footer = ["", "-- ", "breachdesk: sent because you are named to receive breach reminders."]
    return "\n".join([*lines, *footer]) + "\n"
