"""Records that someone was told: the ICO, the people, a controller. They stop the clocks."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from breachdesk.models.base import UTCDateTime
from breachdesk.models.base import db
from breachdesk.models.types import enum_column
from breachdesk.models.users import User
from breachdesk.timeutil import utcnow


class Audience(StrEnum):
    ICO = "ico"
    PEOPLE = "people"
    CONTROLLER = "controller"


class NoticeRecord(db.Model):
    __tablename__ = "notice_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    audience: Mapped[Audience] = mapped_column(enum_column(Audience, 12))
    told_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reference: Mapped[str | None] = mapped_column(String(100))  # the ICO's case reference
    channel: Mapped[str] = mapped_column(String(100), default="")
    recipient: Mapped[str] = mapped_column(Text, default="")
    # UK GDPR Art. 33(1): a report after 72 hours must give the reasons for the delay.
    delay_reasons: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    draft_id: Mapped[int | None]

    recorded_by: Mapped[User] = relationship(lazy="joined")
