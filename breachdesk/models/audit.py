"""The audit trail: one hash chain of every change, and the row that serialises its writers.

Events are only ever inserted. ``seq`` is the event's place in the chain, given out under the
lock on ``AuditChainHead`` so that two writers can never both extend the same event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import event
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from breachdesk.models.base import UTCDateTime
from breachdesk.models.base import db
from breachdesk.models.incidents import Incident
from breachdesk.models.users import User
from breachdesk.timeutil import utcnow


class AuditEvent(db.Model):
    """One change: who, when, what, the state before and after, and its link in the chain."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Set for everything about an incident; users and tokens have none.
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id"), index=True)
    subject: Mapped[str] = mapped_column(String(20), default="incident")
    subject_id: Mapped[int | None]
    kind: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    incident: Mapped[Incident | None] = relationship()
    actor: Mapped[User | None] = relationship(lazy="joined")


class AuditChainHead(db.Model):
    """The single row every writer locks before it adds to the chain: the last seq and hash."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64))


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _written_once(mapper, connection, target: AuditEvent) -> None:
    """The app never changes or removes an event: doing so would break the chain at it."""
    raise RuntimeError(f"audit event #{target.seq} is written once and never changed")
