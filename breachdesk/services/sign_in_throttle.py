"""The brake on password guessing: per typed username from one client, and per client.

Counting failures per username alone let a stranger keep anyone locked out for ever, from
anywhere. Here a username is locked only for the client that failed: the owner, signing in
from their own device, is never stopped by a stranger's failures. A client that fails across
many usernames is locked on its own count. Both locks grow (1, 2, 4 ... minutes, capped) and
apply whether or not the account exists, so they reveal nothing about which accounts exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy import or_

from breachdesk.extensions import db
from breachdesk.models import LoginThrottle

#: Failures from one client across all usernames before it is slowed down.
CLIENT_FREE_ATTEMPTS = 20
#: A row no failure has touched for this long is forgotten.
FORGET_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Keys:
    pair: str
    client: str


def keys_for(name: str, client: str) -> Keys:
    client = (client or "unknown")[:64]
    return Keys(pair=f"{name[:64]}@{client}", client=f"client:{client}")


def locked_until(keys: Keys, now: datetime) -> datetime | None:
    """When the later of the two locks ends, or None when neither holds now."""
    ends = [
        row.locked_until
        for row in (db.session.get(LoginThrottle, k) for k in (keys.pair, keys.client))
        if row is not None and row.locked_until is not None and row.locked_until > now
    ]
    return max(ends, default=None)


def record_failure(
    keys: Keys, now: datetime, *, free_attempts: int, max_lock: timedelta
) -> datetime | None:
    """Count a failure on both keys (the caller commits); the lock now in force, if any."""
    ends = []
    for key, free in ((keys.pair, free_attempts), (keys.client, CLIENT_FREE_ATTEMPTS)):
        row = db.session.get(LoginThrottle, key)
        if row is None:
            row = LoginThrottle(key=key, failures=0)
            db.session.add(row)
        row.failures += 1
        row.last_failure_at = now
        over = row.failures - free
        if over >= 0:
            row.locked_until = now + min(timedelta(minutes=2 ** min(over, 30)), max_lock)
            ends.append(row.locked_until)
    return max(ends, default=None)


def forget_pair(keys: Keys) -> None:
    """A right password clears that username's count from that client (not the client's)."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == keys.pair))


def forget_username(name: str) -> None:
    """A new password set by the DPO clears the username's counts from every client."""
    db.session.execute(
        delete(LoginThrottle).where(LoginThrottle.key.like(f"{_escaped(name)}@%", escape="\\"))
    )


def expire_stale(now: datetime) -> None:
    """Drop rows whose lock is over and whose last failure is old."""
    db.session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.last_failure_at < now - FORGET_AFTER,
            or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < now),
        )
    )


def _escaped(name: str) -> str:
    # Usernames hold only letters, digits, dots, dashes and underscores; "_" is a wildcard.
    return name.replace("_", "\\_")
