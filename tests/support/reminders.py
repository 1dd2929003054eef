"""Builders for clock and reminder tests: incidents at a chosen awareness, a loopback SMTP."""

from __future__ import annotations

import socket
import threading
from datetime import datetime
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller
from sqlalchemy import func
from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Assessment
from breachdesk.models import Incident
from breachdesk.models import IncidentAssignment
from breachdesk.models import OutboxMessage
from breachdesk.models import Reminder
from breachdesk.models import User
from breachdesk.services import accounts

ODL_RECIPIENTS = {"dpo@odl.example", "deputy@odl.example"}


def reporter() -> User:
    """The DPO who reports and decides in these tests (made on first use)."""
    user = accounts.get_by_username("dana")
    if user is None:
        user = accounts.create_user(
            "dana", "dana-password-1", [Role.DPO], display_name="Dana", email="dana@odl.example"
        )
        db.session.commit()
    return user


def add_incident(aware_at: datetime, description: str = "Lab server ransom note.") -> Incident:
    """An incident that became known at ``aware_at``, committed; call in an app context."""
    user = reporter()
    number = (db.session.scalar(select(func.max(Incident.number))) or 0) + 1
    year = aware_at.year
    incident = Incident(
        year=year,
        number=number,
        reference=f"BD-{year}-{number:04d}",
        reporter_id=user.id,
        description=description,
        noticed_at=aware_at,
        reported_at=aware_at,
        aware_at=aware_at,
    )
    db.session.add(incident)
    db.session.commit()
    return incident


def decide(
    incident: Incident, decided_at: datetime, notify_ico: bool, notify_people: str = "no"
) -> None:
    """Record a decision row as the assessment would."""
    db.session.add(
        Assessment(
            incident_id=incident.id,
            decided_at=decided_at,
            decided_by_id=reporter().id,
            facts={},
            recommendation={},
            engine_version="test",
            risk="high" if notify_people != "no" else "low",
            notify_ico=notify_ico,
            notify_people=notify_people,
        )
    )
    db.session.commit()


def assign(incident: Incident, username: str, email: str | None) -> User:
    user = accounts.create_user(username, f"{username}-password-1", [Role.IT], email=email)
    db.session.add(IncidentAssignment(incident_id=incident.id, user_id=user.id))
    db.session.commit()
    return user


def sent_keys(incident_id: int | None = None) -> list[str]:
    """Keys of the reminders queued to the outbox, in order."""
    query = select(Reminder.key).where(Reminder.sent_at.is_not(None))
    if incident_id is not None:
        query = query.where(Reminder.incident_id == incident_id)
    return list(db.session.scalars(query.order_by(Reminder.due_at, Reminder.key)))


def outbox() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def smtp_server(port: int | None = None, **kwargs) -> tuple[Controller, Inbox]:
    """A real SMTP server on loopback, started; stop it with ``controller.stop()``."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port or free_port(), **kwargs)
    controller.start()
    return controller, inbox
