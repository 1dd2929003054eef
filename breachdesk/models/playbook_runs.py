"""Playbooks as run on an incident: a frozen copy of each, and one merged checklist."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
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

from breachdesk.domain.vocabulary import Role
from breachdesk.models.base import UTCDateTime
from breachdesk.models.base import db
from breachdesk.models.types import enum_column
from breachdesk.models.users import User
from breachdesk.timeutil import utcnow


class PlaybookRun(db.Model):
    """The version of a playbook in force when the incident opened, copied whole."""

    __tablename__ = "playbook_run"
    __table_args__ = (UniqueConstraint("incident_id", "playbook_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    playbook_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def _step_due_at(context) -> datetime | None:
    """When a new step falls due: its start plus its "how soon", None without a limit."""
    params = context.get_current_parameters()
    minutes = params.get("within_minutes")
    return None if minutes is None else params["started_at"] + timedelta(minutes=minutes)


class StepState(StrEnum):
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"


class ChecklistItem(db.Model):
    """One step of an incident's checklist; a step shared by several playbooks is here once."""

    __tablename__ = "checklist_item"
    __table_args__ = (UniqueConstraint("incident_id", "step_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    playbook_id: Mapped[str] = mapped_column(String(64))
    step_id: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    phase: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    role: Mapped[Role] = mapped_column(enum_column(Role, 16))
    within_minutes: Mapped[int | None]
    record: Mapped[str] = mapped_column(Text, default="")
    body_markdown: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Stored so the database counts overdue steps itself; steps never move once started.
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=_step_due_at)
    state: Mapped[StepState] = mapped_column(enum_column(StepState, 10), default=StepState.OPEN)
    state_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state_changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    skip_reason: Mapped[str | None] = mapped_column(Text)

    state_changed_by: Mapped[User | None] = relationship(lazy="joined")
    notes: Mapped[list[ChecklistNote]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="ChecklistNote.id"
    )


class ChecklistNote(db.Model):
    """An annotation on a step: what was found or done, by whom, when."""

    __tablename__ = "checklist_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_item.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    text: Mapped[str] = mapped_column(Text)

    item: Mapped[ChecklistItem] = relationship(back_populates="notes")
    author: Mapped[User] = relationship(lazy="joined")
