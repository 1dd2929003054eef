"""The facts the assessment works from, and every decision recorded on them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import false
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from breachdesk.models.base import UTCDateTime
from breachdesk.models.base import db
from breachdesk.models.users import User
from breachdesk.timeutil import utcnow


class IncidentFacts(db.Model):
    """The incident's current assessment facts (spec/assessment.md), as last confirmed.

    ``changed_since_decision`` is set when an accepted finding or a corrected fact arrives
    after a decision: the ICO's guidance is to reassess as information comes in.
    """

    __tablename__ = "incident_facts"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), primary_key=True
    )
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    changed_since_decision: Mapped[bool] = mapped_column(default=False)
    # The count of people is still the profile's estimate: drafts say so until confirmed.
    count_estimated: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Whether children or vulnerable adults are involved has not been asked yet: the profile
    # gives a hint, not the answer, so drafts say "to follow" until the DPO answers.
    vulnerable_unasked: Mapped[bool] = mapped_column(default=False, server_default=false())


class Assessment(db.Model):
    """One recorded decision. All are kept; the latest is in force.

    ``notify_people`` is "yes" (each person told), "public" (a public notice under
    Art. 34(3)(c)) or "no". A decision that differs from the engine's recommendation carries
    ``override_reason``; a decision not to notify keeps its reasons, as the ICO asks.
    """

    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    recommendation: Mapped[dict[str, Any]] = mapped_column(JSON)
    engine_version: Mapped[str] = mapped_column(String(120))
    risk: Mapped[str] = mapped_column(String(10))
    notify_ico: Mapped[bool]
    notify_people: Mapped[str] = mapped_column(String(10))
    notify_controller: Mapped[bool] = mapped_column(default=False)
    differs_from_recommendation: Mapped[bool] = mapped_column(default=False)
    override_reason: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text, default="")

    decided_by: Mapped[User] = relationship(lazy="joined")
