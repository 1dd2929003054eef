"""The IT contractor's technical findings, their evidence, and proposed fact changes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from breachdesk.domain.vocabulary import Exfiltration
from breachdesk.models.base import UTCDateTime
from breachdesk.models.base import db
from breachdesk.models.types import enum_column
from breachdesk.models.users import User
from breachdesk.timeutil import utcnow


class Finding(db.Model):
    __tablename__ = "finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(10), default="web")  # "web" or "api"
    summary: Mapped[str] = mapped_column(Text)
    systems_affected: Mapped[str] = mapped_column(Text, default="")
    exfiltration: Mapped[Exfiltration] = mapped_column(
        enum_column(Exfiltration, 12), default=Exfiltration.UNKNOWN
    )
    encrypted: Mapped[bool | None]
    key_safe: Mapped[bool | None]
    backups_state: Mapped[str] = mapped_column(Text, default="")
    window_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    indicators: Mapped[str] = mapped_column(Text, default="")

    author: Mapped[User] = relationship(lazy="joined")
    evidence: Mapped[list[EvidenceFile]] = relationship(
        back_populates="finding", cascade="all, delete-orphan", order_by="EvidenceFile.id"
    )
    proposals: Mapped[list[FactProposal]] = relationship(
        back_populates="finding", cascade="all, delete-orphan", order_by="FactProposal.id"
    )


class EvidenceFile(db.Model):
    """A file kept outside the web root under a random name; served only as a download."""

    __tablename__ = "evidence_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("finding.id", ondelete="CASCADE"), index=True
    )
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The file was deleted under the retention policy; its name, size and SHA-256 stay.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    finding: Mapped[Finding] = relationship(back_populates="evidence")


class ProposalState(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class FactProposal(db.Model):
    """A finding's proposed change to one assessment fact, for the DPO to accept or reject."""

    __tablename__ = "fact_proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("finding.id", ondelete="CASCADE"), index=True
    )
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(40))
    value: Mapped[Any] = mapped_column(JSON)
    state: Mapped[ProposalState] = mapped_column(
        enum_column(ProposalState, 10), default=ProposalState.PROPOSED
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)

    finding: Mapped[Finding] = relationship(back_populates="proposals")
    decided_by: Mapped[User | None] = relationship(lazy="joined")


class ApiToken(db.Model):
    """A per-user API token: shown once, stored only as its SHA-256."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")
