"""Incidents: the report as made, the facts as corrected, and who may see them."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from breachdesk.domain.vocabulary import Situation
from breachdesk.models.base import RECHECK
from breachdesk.models.base import UTCDateTime
from breachdesk.models.base import db
from breachdesk.models.types import enum_column
from breachdesk.models.users import User
from breachdesk.timeutil import utcnow

#: UK GDPR Art. 33(1): the ICO must be told within 72 hours of awareness.
ICO_HOURS = 72


def _first_ico_deadline(context) -> datetime:
    """A new incident's deadline before any decision or notice: 72 hours from awareness."""
    return context.get_current_parameters()["aware_at"] + timedelta(hours=ICO_HOURS)


if TYPE_CHECKING:
    from breachdesk.models.audit import AuditEvent


class IncidentStatus(StrEnum):
    REPORTED = "reported"
    TRIAGE = "triage"
    ASSESSED = "assessed"
    NOTIFIED = "notified"
    NOT_NOTIFIABLE = "not_notifiable"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"not_notifiable": "Not notifiable"}.get(self.value, self.value.capitalize())


class Ongoing(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class Incident(db.Model):
    __tablename__ = "incident"
    __table_args__ = (
        UniqueConstraint("year", "number"),
        # The dashboard's order: running clocks first, the nearest deadline first.
        Index("ix_incident_urgency", "clocks_stopped", "deadline_at", "id"),
        # The register's order: newest report first; and within one state, for a register
        # filtered by state (it also finds a state's incidents, as its own index did).
        Index("ix_incident_reported", "reported_at", "id"),
        Index("ix_incident_status_reported", "status", "reported_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    number: Mapped[int]
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[IncidentStatus] = mapped_column(
        enum_column(IncidentStatus), default=IncidentStatus.REPORTED
    )

    # What the reporter said, in their words.
    description: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    noticed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    data_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    data_notes: Mapped[str] = mapped_column(Text, default="")
    people_count: Mapped[int | None]
    ongoing: Mapped[Ongoing] = mapped_column(enum_column(Ongoing, 10), default=Ongoing.UNKNOWN)
    others_aware: Mapped[str] = mapped_column(Text, default="")
    # What kind of thing went wrong, as the reporter saw it: it picks the first steps.
    situation: Mapped[Situation] = mapped_column(
        enum_column(Situation, 20), default=Situation.NOT_SURE, server_default="not-sure"
    )

    # UK GDPR Art. 33(1): the 72 hours run from awareness; the DPO may move it with a reason.
    aware_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # What happened, as the DPO puts it for the people told (UK GDPR Art. 34(2): clear and
    # plain language); empty until written, when the report's own words stand in.
    people_summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A breach noticed more than a year before it was entered (the DPO's "record a past
    # breach"): when it was recorded and why only then. Its clocks say "recorded late" and
    # start no countdown and no reminder.
    recorded_late_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_late_reason: Mapped[str | None] = mapped_column(Text)
    closing_summary: Mapped[str | None] = mapped_column(Text)
    lessons_learnt: Mapped[str | None] = mapped_column(Text)
    # A second report of the same breach: closed, folded into the one that stands, linked.
    # No foreign key in the database: adding one to SQLite means rebuilding this table, whose
    # drop would cascade to every step and notice; incidents are never deleted anyway.
    # Indexed: the incident page lists the reports folded into the one it shows.
    duplicate_of_id: Mapped[int | None] = mapped_column(index=True)
    # The report as first made, kept once the DPO corrects it: {field: value as reported}.
    original_report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Set when the retention policy removed the personal data; the register entry stays.
    personal_data_removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Kept by services.stored_clocks whenever awareness, a decision, a notice or the status
    # changes, so that lists are ordered and filtered by the database, a page at a time.
    # ``deadline_at`` is the nearest deadline still running (the ICO's or the people's), or
    # the ICO's when none runs; ``clocks_stopped`` is true when no clock runs any more.
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_first_ico_deadline)
    clocks_stopped: Mapped[bool] = mapped_column(default=False)
    # The decision in force on telling the ICO; None before any decision.
    notify_ico: Mapped[bool | None]
    # When the reminder sweep must next look at this incident (indexed, so a sweep with
    # nothing due reads nothing): its next reminder, the time of a change to its clocks,
    # or None when nothing can fall due. Rows inserted in bulk start at RECHECK.
    next_reminder_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, default=RECHECK, index=True
    )

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id], lazy="joined")
    duplicate_of: Mapped[Incident | None] = relationship(
        primaryjoin="foreign(Incident.duplicate_of_id) == Incident.id", remote_side=[id]
    )
    asset_rows: Mapped[list[IncidentAsset]] = relationship(
        back_populates="incident",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="IncidentAsset.position",
    )
    assignments: Mapped[list[IncidentAssignment]] = relationship(
        back_populates="incident", cascade="all, delete-orphan", lazy="selectin"
    )
    # The incident's part of the audit trail; events are only ever added (see models.audit).
    events: Mapped[list[AuditEvent]] = relationship(viewonly=True, order_by="AuditEvent.seq")

    @property
    def asset_ids(self) -> list[str]:
        return [row.asset_id for row in self.asset_rows]

    @property
    def is_open(self) -> bool:
        return self.status is not IncidentStatus.CLOSED

    def assigned_user_ids(self) -> set[int]:
        return {row.user_id for row in self.assignments}

    def __repr__(self) -> str:
        return f"<Incident {self.reference}>"


class IncidentCounter(db.Model):
    """The last reference number given out in a year.

    Taking a number is one UPDATE of this row, so two reports made at the same moment queue
    on its lock and can never be handed the same reference.
    """

    __tablename__ = "incident_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class IncidentTally(db.Model):
    """How many incidents are in each status, with their clocks running or stopped.

    Kept by the database itself, in the transaction that inserts, deletes or changes an
    incident (triggers: see ``models.derived``), so the lists' counts read a dozen rows
    instead of every incident, and can never drift from the incidents they count.
    """

    __tablename__ = "incident_tally"

    status: Mapped[IncidentStatus] = mapped_column(enum_column(IncidentStatus), primary_key=True)
    clocks_stopped: Mapped[bool] = mapped_column(primary_key=True)
    incidents: Mapped[int] = mapped_column(default=0)


class IncidentAsset(db.Model):
    """A place an incident touched, with copies of the incident's state and report time.

    The copies let the register of one place, in any state or one, be read newest first
    from one range of an index, instead of walking every incident (in that state) to ask
    each whether it is at the place (at 100,000 incidents, a tenth of them). The database
    keeps them, by triggers (``models.derived``); nothing in Python writes them.
    """

    __tablename__ = "incident_asset"
    __table_args__ = (
        # From a place to its incidents newest report first (the register by place), and
        # the same by state (by place and state; the lists' counts by place).
        Index("ix_incident_asset_newest", "asset_id", "reported_at", "incident_id"),
        Index("ix_incident_asset_register", "asset_id", "status", "reported_at", "incident_id"),
    )

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), primary_key=True
    )
    asset_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    # The incident's, as stored there (None only inside the statement that adds the place).
    status: Mapped[str | None] = mapped_column(String(32))
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    incident: Mapped[Incident] = relationship(back_populates="asset_rows")


class IncidentAssignment(db.Model):
    """An IT user the DPO has put on an incident; only they see it among IT users."""

    __tablename__ = "incident_assignment"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    incident: Mapped[Incident] = relationship(back_populates="assignments")
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class Notification(db.Model):
    """An alert shown in the app to one user (the DPO learns of a new report this way)."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    incident: Mapped[Incident | None] = relationship(lazy="joined")
