"""Per-user API tokens: created and revoked by their owner, shown once, stored hashed.

A token is 32 random bytes, so a plain SHA-256 of it cannot be reversed or guessed; a slow
password hash would add cost to every request and no protection (OWASP, "Password Storage"
applies to low-entropy secrets). Only the short prefix is kept readable, to tell tokens apart.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import ApiToken
from breachdesk.models import User
from breachdesk.services import audit
from breachdesk.timeutil import utcnow

PUBLIC_PREFIX = "bd_"
SHOWN_PREFIX_CHARS = 10
NAME_LIMIT = 100
#: Who may hold a token: the API adds findings, which only IT and the DPO may do.
TOKEN_ROLES = (Role.IT, Role.DPO)


class TokenError(ValueError):
    """A token that cannot be created or used; ``field`` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class NewToken:
    """A token just created: ``secret`` exists only here and is shown to its owner once."""

    token: ApiToken
    secret: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(owner: User, name: str) -> NewToken:
    """Create a token for ``owner``; the caller shows ``secret`` once and never stores it."""
    name = name.strip()
    if not name:
        raise TokenError("name", "Name the token after the tool that will use it.")
    if len(name) > NAME_LIMIT:
        raise TokenError("name", f"Keep the name under {NAME_LIMIT} characters.")
    if not owner.has_role(*TOKEN_ROLES):
        raise TokenError("name", "Only IT and the DPO can hold API tokens.")
    secret = PUBLIC_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=owner.id,
        name=name,
        prefix=secret[:SHOWN_PREFIX_CHARS],
        token_hash=hash_secret(secret),
    )
    db.session.add(token)
    audit.record_about(
        "api_token",
        token,
        owner,
        "token-created",
        f"API token {token.prefix}... created for {owner.username}",
        after={"name": name, "prefix": token.prefix, "user_id": owner.id},
    )
    db.session.commit()
    return NewToken(token=token, secret=secret)


def tokens_of(owner: User) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == owner.id)
    return list(db.session.scalars(query.order_by(ApiToken.created_at.desc(), ApiToken.id)))


def everyones_tokens(viewer: User) -> list[ApiToken]:
    """Every user's tokens, for the DPO, who answers for what reaches the API; [] otherwise."""
    if not viewer.has_role(Role.DPO):
        return []
    query = select(ApiToken).where(ApiToken.user_id != viewer.id)
    return list(db.session.scalars(query.order_by(ApiToken.created_at.desc(), ApiToken.id)))


def revoke_token(actor: User, token_id: int) -> ApiToken | None:
    """Revoke one of ``actor``'s tokens, or anyone's for the DPO; None otherwise (no change)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or (token.user_id != actor.id and not actor.has_role(Role.DPO)):
        return None
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record_about(
            "api_token",
            token,
            actor,
            "token-revoked",
            f"API token {token.prefix}... revoked",
            after={"revoked_at": token.revoked_at.isoformat()},
        )
        db.session.commit()
    return token


def revoke_all_of(user: User, actor: User | None = None) -> None:
    """Revoke every live token of ``user``, in the caller's transaction (the account change
    that calls for it: disabling, a reset by the DPO, losing a role)."""
    now = utcnow()
    live = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    for token in db.session.scalars(live.order_by(ApiToken.id)):
        token.revoked_at = now
        audit.record_about(
            "api_token",
            token,
            actor,
            "token-revoked",
            f"API token {token.prefix}... revoked with the change to {user.username}'s account",
            after={"revoked_at": now.isoformat()},
        )


def authenticate(secret: str) -> User | None:
    """The enabled owner of a live token, recording its use; None for anything else."""
    if not secret.startswith(PUBLIC_PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    if token is None or token.revoked_at is not None or not token.user.enabled:
        return None
    # Kept even when the request then fails: the owner sees the token is in use.
    token.last_used_at = utcnow()
    db.session.commit()
    return token.user
