"""The outbox as lines a person reads: one line per batch of emails, and each line opens.

When the reminder service was not running, the next sweep queues every missed reminder of a
clock at once: five emails to the same person about the same incident, under the same
subject. Listed one per line they look like a fault. Emails to one address about one
incident queued in one sweep are one line ("5 reminders"), which opens on all of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy import select

from breachdesk.extensions import db
from breachdesk.models import OutboxMessage


@dataclass(frozen=True)
class MessageGroup:
    """Emails queued together to one address about one incident, oldest first."""

    messages: tuple[OutboxMessage, ...]

    @property
    def first(self) -> OutboxMessage:
        return self.messages[0]

    @property
    def latest(self) -> OutboxMessage:
        return self.messages[-1]

    @property
    def count(self) -> int:
        return len(self.messages)


def _key(message: OutboxMessage) -> tuple[int | None, str, datetime]:
    return message.incident_id, message.to.lower(), message.created_at


def group_messages(messages: Iterable[OutboxMessage]) -> list[MessageGroup]:
    """One group per (incident, address, sweep), in the order the messages came."""
    groups: dict[tuple, list[OutboxMessage]] = {}
    for message in messages:
        groups.setdefault(_key(message), []).append(message)
    return [MessageGroup(tuple(found)) for found in groups.values()]


def one_by_one(messages: Iterable[OutboxMessage]) -> list[MessageGroup]:
    """Each message on its own line: for those the DPO acts on one at a time."""
    return [MessageGroup((message,)) for message in messages]


def group_of(message_id: int) -> MessageGroup | None:
    """The message ``message_id`` with the others queued with it; None if there is none."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        return None
    query = (
        select(OutboxMessage)
        .where(
            OutboxMessage.incident_id.is_(None)
            if message.incident_id is None
            else OutboxMessage.incident_id == message.incident_id,
            func.lower(OutboxMessage.to) == message.to.lower(),
            OutboxMessage.created_at == message.created_at,
        )
        .order_by(OutboxMessage.id)
    )
    return MessageGroup(tuple(db.session.scalars(query)))
