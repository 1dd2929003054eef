"""Accounts: create, list, disable, reset, and sign in with a growing lock-out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import LoginThrottle
from breachdesk.models import User
from breachdesk.models import UserRole
from breachdesk.services import passwords
from breachdesk.timeutil import utcnow


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; the message is for the user."""


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    locked_until: datetime | None = None


def normalise_username(username: str) -> str:
    return username.strip().lower()


def get_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == normalise_username(username)))


def create_user(
    username: str,
    password: str,
    roles: Iterable[Role],
    *,
    display_name: str | None = None,
    email: str | None = None,
    min_length: int = 12,
    must_change_password: bool = False,
) -> User:
    """Add a user with ``roles``; the caller commits."""
    name = normalise_username(username)
    roles = set(roles)
    if not name or len(name) > 64 or not all(c.isalnum() or c in "._-" for c in name):
        raise AccountError("Usernames use letters, digits, dots, dashes or underscores.")
    if not roles:
        raise AccountError("Give the user at least one role: staff, dpo or it.")
    if get_by_username(name) is not None:
        raise AccountError(f"There is already a user called {name!r}.")
    try:
        passwords.check_policy(password, min_length)
    except passwords.PasswordPolicyError as exc:
        raise AccountError(str(exc)) from exc
    user = User(
        username=name,
        display_name=(display_name or name).strip(),
        email=(email or None),
        password_hash=passwords.hash_password(password),
        must_change_password=must_change_password,
    )
    user.role_rows = [UserRole(role=role) for role in sorted(roles)]
    db.session.add(user)
    return user


def list_users() -> list[User]:
    query = select(User).options(selectinload(User.role_rows)).order_by(User.username)
    return list(db.session.scalars(query))


def users_with_role(role: Role) -> list[User]:
    """Enabled users holding ``role``."""
    query = (
        select(User)
        .join(UserRole)
        .where(UserRole.role == role, User.enabled.is_(True))
        .order_by(User.username)
    )
    return list(db.session.scalars(query))


def set_enabled(user: User, enabled: bool) -> None:
    """Disable or re-enable a user; disabling ends their sessions."""
    if not enabled and Role.DPO in user.roles and _other_enabled_dpos(user) == 0:
        raise AccountError("This is the last DPO who can sign in: add another DPO first.")
    user.enabled = enabled
    user.session_version += 1


def set_roles(user: User, roles: Iterable[Role]) -> None:
    roles = set(roles)
    if not roles:
        raise AccountError("Give the user at least one role: staff, dpo or it.")
    if Role.DPO in user.roles and Role.DPO not in roles and _other_enabled_dpos(user) == 0:
        raise AccountError("This is the last DPO: add another DPO before removing the role.")
    user.role_rows = [UserRole(role=role) for role in sorted(roles)]


def reset_password(user: User, new_password: str, min_length: int, *, by_admin: bool) -> None:
    """Set a new password; a reset by the DPO makes the user choose their own next time."""
    try:
        passwords.check_policy(new_password, min_length)
    except passwords.PasswordPolicyError as exc:
        raise AccountError(str(exc)) from exc
    user.password_hash = passwords.hash_password(new_password)
    user.must_change_password = by_admin
    user.session_version += 1
    throttle = db.session.get(LoginThrottle, user.username)
    if throttle is not None:
        db.session.delete(throttle)


def _other_enabled_dpos(user: User) -> int:
    query = (
        select(func.count())
        .select_from(User)
        .join(UserRole)
        .where(UserRole.role == Role.DPO, User.enabled.is_(True), User.id != user.id)
    )
    return db.session.scalar(query) or 0


def sign_in(
    username: str, password: str, *, free_attempts: int, max_lock: timedelta
) -> SignInResult:
    """Check a password, throttling by the typed username; commits the throttle state.

    After ``free_attempts`` failures in a row, each further failure locks the name for twice
    as long as the last (1, 2, 4 ... minutes, capped at ``max_lock``), whether or not the
    account exists, so the lock-out neither reveals accounts nor helps guessing.
    """
    name = normalise_username(username)[:64]
    now = utcnow()
    throttle = db.session.get(LoginThrottle, name)
    if throttle and throttle.locked_until and throttle.locked_until > now:
        return SignInResult(user=None, locked_until=throttle.locked_until)
    user = get_by_username(name)
    ok = passwords.verify_password(user.password_hash if user else None, password)
    if ok and user is not None and user.enabled:
        if throttle is not None:
            db.session.delete(throttle)
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
        db.session.commit()
        return SignInResult(user=user)
    if throttle is None:
        throttle = LoginThrottle(username=name, failures=0)
        db.session.add(throttle)
    throttle.failures += 1
    throttle.last_failure_at = now
    over = throttle.failures - free_attempts
    if over >= 0:
        throttle.locked_until = now + min(timedelta(minutes=2**over), max_lock)
    db.session.commit()
    return SignInResult(user=None, locked_until=throttle.locked_until if over >= 0 else None)
