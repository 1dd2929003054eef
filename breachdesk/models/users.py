"""People who sign in, their roles, and the throttle on failed sign-ins."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from breachdesk.domain.vocabulary import Role
from breachdesk.models.base import UTCDateTime
from breachdesk.models.base import db
from breachdesk.models.types import enum_column
from breachdesk.timeutil import utcnow


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    enabled: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped on password reset or disable so that every existing session ends.
    session_version: Mapped[int] = mapped_column(default=1)

    # Loaded only when asked for: a page shows many users (reporters, authors, actors) and
    # needs the roles of one, the signed-in user, whose loader asks for them up front.
    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="select"
    )

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(row.role for row in self.role_rows)

    def has_role(self, *roles: Role) -> bool:
        """True when the user holds any of ``roles``."""
        return bool(self.roles.intersection(roles))

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users at sign-in
        return self.enabled

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class UserRole(db.Model):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role, 16), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class LoginThrottle(db.Model):
    """Failed password checks per key: a typed username (known or not) from one client, or
    one client across every username. See services/sign_in_throttle."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
