"""Reminders of the breach clocks, and the outbox every email goes through.

A reminder is a row keyed by (incident, key), so it is sent at most once however many
sweepers run or however often the process restarts: a unique constraint, not a hope.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from breachdesk.models.base import UTCDateTime
from breachdesk.models.base import db
from breachdesk.models.incidents import Incident
from breachdesk.timeutil import utcnow


class Reminder(db.Model):
    """One planned reminder of one incident, e.g. key "ico:+24h" or "step:isolate".

    ``claimed_at`` is set by the conditional UPDATE that wins the row; ``sent_at`` means the
    messages were queued in the outbox in that same transaction. ``skipped_reason`` marks a
    reminder that was claimed but deliberately not sent (superseded or its clock stopped).
    """

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("incident_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10))  # "ico", "people" or "step"
    label: Mapped[str] = mapped_column(Text)
    # Who it is for: "clock" (the profile's recipients) or a step's role ("dpo", "it").
    recipient: Mapped[str] = mapped_column(String(20))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_to: Mapped[str] = mapped_column(Text, default="")
    late: Mapped[bool] = mapped_column(default=False)
    skipped_reason: Mapped[str | None] = mapped_column(Text)

    incident: Mapped[Incident] = relationship()


class OutboxMessage(db.Model):
    """An email waiting for, or past, its SMTP hand-off; the DPO reads them in the app.

    ``sending_since`` is the delivery claim: a row claimed but not delivered after a few
    minutes is shown as "check manually" and never resent by itself (a doubled reminder is
    worse than a flagged one).
    """

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    reminder_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminder.id", ondelete="SET NULL"), index=True
    )
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sending_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    # When the DPO was alerted that this send's result is unknown: once per stuck send.
    check_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    incident: Mapped[Incident | None] = relationship()
