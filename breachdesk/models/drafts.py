"""Drafted messages: one document per kind and recipient, its versions, and mail merges.

A version, once approved or sent, is never changed: an edit makes the next version, so the
text that went to the ICO or to the people stays on record as it was sent (UK GDPR
Art. 33(5): document the breach and the action taken).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON
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
from breachdesk.models.users import User
from breachdesk.timeutil import utcnow


class DraftState(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SENT = "sent"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class DraftDoc(db.Model):
    """One message to draft for an incident: its kind and, where several, its recipient."""

    __tablename__ = "draft_doc"
    __table_args__ = (UniqueConstraint("incident_id", "kind", "recipient_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # a DraftKind value
    # "" for a single message; a contact id, a controller's name or "follow-up-N" otherwise.
    recipient_key: Mapped[str] = mapped_column(String(200), default="")
    recipient: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(String(300))
    report_kind: Mapped[str] = mapped_column(String(12), default="initial")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    incident: Mapped[Incident] = relationship(lazy="joined")
    versions: Mapped[list[DraftVersion]] = relationship(
        back_populates="doc",
        cascade="all, delete-orphan",
        order_by="DraftVersion.number",
        lazy="selectin",
    )
    merges: Mapped[list[DraftMerge]] = relationship(
        back_populates="doc", cascade="all, delete-orphan", order_by="DraftMerge.id"
    )

    @property
    def current(self) -> DraftVersion:
        """The latest version: the one the DPO works on."""
        return self.versions[-1]

    @property
    def state(self) -> DraftState:
        return self.current.state

    @property
    def last_sent(self) -> DraftVersion | None:
        """The most recent version that went out, if any."""
        sent = [v for v in self.versions if v.sent_at is not None]
        return sent[-1] if sent else None


class DraftVersion(db.Model):
    """One text of a draft. Approved or sent versions are kept exactly as they were."""

    __tablename__ = "draft_version"
    __table_args__ = (UniqueConstraint("draft_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft_doc.id", ondelete="CASCADE"))
    number: Mapped[int]
    subject: Mapped[str] = mapped_column(String(300))
    body_markdown: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    # The drafting context this text was built from (JSON), so a follow-up can compare.
    context: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    channel: Mapped[str | None] = mapped_column(String(100))
    sent_to: Mapped[str | None] = mapped_column(Text)
    ico_reference: Mapped[str | None] = mapped_column(String(100))

    doc: Mapped[DraftDoc] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id], lazy="joined")
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id], lazy="joined")
    sent_by: Mapped[User | None] = relationship(foreign_keys=[sent_by_id], lazy="joined")

    @property
    def state(self) -> DraftState:
        if self.sent_at is not None:
            return DraftState.SENT
        if self.approved_at is not None:
            return DraftState.APPROVED
        return DraftState.DRAFT


class DraftMerge(db.Model):
    """A recipients list merged with one version: one personal message per recipient."""

    __tablename__ = "draft_merge"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("draft_doc.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_version.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255), default="")
    # [{"name": ..., "email": ..., "address": ...}, ...] as read from the file.
    recipients: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    doc: Mapped[DraftDoc] = relationship(back_populates="merges")
    version: Mapped[DraftVersion] = relationship(lazy="joined")
