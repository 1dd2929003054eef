"""Accounts: create, list, disable, reset, and sign in with a growing lock-out.

Each call that changes something is one use case and commits itself; on an AccountError
nothing has changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm import selectinload

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import User
from breachdesk.models import UserRole
from breachdesk.services import api_tokens
from breachdesk.services import audit
from breachdesk.services import incidents
from breachdesk.services import passwords
from breachdesk.services import sign_in_throttle as throttle
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


def session_user(user_id: int, session_version: str) -> User | None:
    """The signed-in user a session names, or None when the account was disabled or its
    password reset since (the session's version is then out of date).

    Read with their roles and the number of alerts they have not read, which every page's
    header shows: one statement.
    """
    found = db.session.execute(
        select(User, incidents.unread_alerts_of(User.id))
        .options(joinedload(User.role_rows))
        .where(User.id == user_id)
    )
    row = found.unique().one_or_none()
    if row is None:
        return None
    user, unread = row
    if not user.enabled or str(user.session_version) != session_version:
        return None
    incidents.remember_unread(user, unread)
    return user


def create_user(username: str, password: str, roles: Iterable[Role], **details) -> User:
    """Add a user with ``roles`` and commit. ``actor`` None: from a terminal."""
    user = add_user(username, password, roles, **details)
    db.session.commit()
    return user


def add_user(
    username: str,
    password: str,
    roles: Iterable[Role],
    *,
    display_name: str | None = None,
    email: str | None = None,
    min_length: int = 12,
    must_change_password: bool = False,
    actor: User | None = None,
) -> User:
    """Add a user with ``roles`` to the session, for the caller to commit with its other
    changes (the demo: its users and incidents are saved together or not at all)."""
    name = normalise_username(username)
    roles = set(roles)
    if not name or len(name) > 64 or not all(c.isalnum() or c in "._-" for c in name):
        raise AccountError("Usernames use letters, digits, dots, dashes or underscores.")
    if not roles:
        raise AccountError("Give the user at least one role: staff, dpo or it.")
    if get_by_username(name) is not None:
        raise AccountError(f"There is already a user called {name!r}.")
    _check_password(password, name, min_length)
    user = User(
        username=name,
        display_name=(display_name or name).strip(),
        email=(email or None),
        password_hash=passwords.hash_password(password),
        must_change_password=must_change_password,
    )
    user.role_rows = [UserRole(role=role) for role in sorted(roles)]
    db.session.add(user)
    audit.record_about(
        "user", user, actor, "user-created", f"User {name} added", after=_account(user)
    )
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


def set_enabled(user: User, enabled: bool, actor: User | None = None) -> None:
    """Disable or re-enable a user and commit; disabling ends their sessions and revokes their
    API tokens for good (re-enabling brings none back)."""
    removes_a_dpo = not enabled and Role.DPO in user.roles
    if removes_a_dpo:
        _lock_the_dpos()
    before = user.enabled
    user.enabled = enabled
    user.session_version += 1
    if not enabled:
        api_tokens.revoke_all_of(user, actor)
    if removes_a_dpo:
        _keep_a_dpo("This is the last DPO who can sign in: add another DPO first.")
    audit.record_about(
        "user",
        user,
        actor,
        "user-enabled" if enabled else "user-disabled",
        f"User {user.username} {'enabled' if enabled else 'disabled'}",
        before={"enabled": before},
        after={"enabled": enabled},
    )
    db.session.commit()


def set_roles(user: User, roles: Iterable[Role], actor: User | None = None) -> None:
    """Give ``user`` exactly ``roles`` and commit; losing a role revokes their API tokens."""
    roles = set(roles)
    if not roles:
        raise AccountError("Give the user at least one role: staff, dpo or it.")
    lost = user.roles - roles
    if Role.DPO in lost:
        _lock_the_dpos()
    before = sorted(role.value for role in user.roles)
    user.role_rows = [UserRole(role=role) for role in sorted(roles)]
    if lost:
        api_tokens.revoke_all_of(user, actor)
    if Role.DPO in lost:
        _keep_a_dpo("This is the last DPO: add another DPO before removing the role.")
    after = sorted(role.value for role in roles)
    if before != after:
        audit.record_about(
            "user",
            user,
            actor,
            "user-roles-changed",
            f"Roles of {user.username}: {', '.join(after)}",
            before={"roles": before},
            after={"roles": after},
        )
    db.session.commit()


def reset_password(
    user: User,
    new_password: str,
    min_length: int,
    *,
    by_admin: bool,
    actor: User | None = None,
) -> None:
    """Set a new password and commit; every session ends. A reset by the DPO makes the user
    choose their own next time and revokes their API tokens."""
    _check_password(new_password, user.username, min_length)
    user.password_hash = passwords.hash_password(new_password)
    user.must_change_password = by_admin
    user.session_version += 1
    if by_admin:
        api_tokens.revoke_all_of(user, actor)
    throttle.forget_username(user.username)
    # Who changed it and when; never the password or its hash.
    audit.record_about(
        "user",
        user,
        actor,
        "user-password-reset" if by_admin else "user-password-changed",
        f"Password of {user.username} {'reset' if by_admin else 'changed'}",
        after={"must_change_password": by_admin},
    )
    db.session.commit()


def _account(user: User) -> dict:
    """An account as the audit trail keeps it: no password, no hash."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "roles": sorted(row.role.value for row in user.role_rows),
        "enabled": user.enabled,
    }


def sign_out(user: User) -> None:
    """End the user's sessions on the server: the old session and "keep me signed in"
    cookies name the previous session version, so they no longer sign anyone in."""
    user.session_version += 1
    db.session.commit()


def _check_password(password: str, username: str, min_length: int) -> None:
    try:
        passwords.check_policy(password, min_length, username=username)
    except passwords.PasswordPolicyError as exc:
        raise AccountError(str(exc)) from exc


def _lock_the_dpos() -> None:
    """Take the DPOs' rows before a change that could remove the last one: two DPOs
    disabling each other at once are then decided one after the other, never both."""
    query = select(User.id).join(UserRole).where(UserRole.role == Role.DPO)
    db.session.execute(query.with_for_update(of=User)).all()


def _keep_a_dpo(message: str) -> None:
    """Undo the change just made, with an AccountError, if it leaves no enabled DPO."""
    db.session.flush()  # on SQLite the write lock is taken here, before the count
    query = (
        select(func.count())
        .select_from(User)
        .join(UserRole)
        .where(UserRole.role == Role.DPO, User.enabled.is_(True))
    )
    if not db.session.scalar(query):
        db.session.rollback()
        raise AccountError(message)


def sign_in(
    username: str,
    password: str,
    *,
    client: str,
    free_attempts: int,
    max_lock: timedelta,
) -> SignInResult:
    """Check a password, throttled per username from this client and per client; commits.

    A stranger's failures lock the username only for the stranger's own client, so the
    owner can still sign in from theirs; the lock applies whether or not the account
    exists, so it neither reveals accounts nor helps guessing.
    """
    name = normalise_username(username)[:64]
    now = utcnow()
    keys = throttle.keys_for(name, client)
    throttle.expire_stale(now)
    locked = throttle.locked_until(keys, now)
    if locked is not None:
        db.session.commit()
        return SignInResult(user=None, locked_until=locked)
    user = get_by_username(name)
    ok = passwords.verify_password(user.password_hash if user else None, password)
    if ok and user is not None and user.enabled:
        throttle.forget_pair(keys)
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
        db.session.commit()
        return SignInResult(user=user)
    locked = throttle.record_failure(keys, now, free_attempts=free_attempts, max_lock=max_lock)
    db.session.commit()
    return SignInResult(user=None, locked_until=locked)


def check_current_password(
    user: User, password: str, *, client: str, free_attempts: int, max_lock: timedelta
) -> SignInResult:
    """The change-password page's check of the current password, under the same brake as
    signing in, so a session left open cannot be used to guess the password."""
    now = utcnow()
    keys = throttle.keys_for(user.username, client)
    locked = throttle.locked_until(keys, now)
    if locked is None and passwords.verify_password(user.password_hash, password):
        return SignInResult(user=user)
    if locked is None:
        locked = throttle.record_failure(keys, now, free_attempts=free_attempts, max_lock=max_lock)
    db.session.commit()
    return SignInResult(user=None, locked_until=locked)
