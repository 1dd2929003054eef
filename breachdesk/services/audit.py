"""The audit trail: every change is an event with who, when, what, before and after.

Events join one hash chain (``domain.audit_chain``). Writers are serialised on the chain's
head row, so two transactions can never both extend the same event: PostgreSQL locks the
row with SELECT ... FOR UPDATE; SQLite has no row locks, so the write lock on the database
is taken first by touching the row. The lock is held until the caller commits.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite

from breachdesk.domain.audit_chain import CONTENT_FIELDS
from breachdesk.domain.audit_chain import GENESIS
from breachdesk.domain.audit_chain import event_hash
from breachdesk.extensions import db
from breachdesk.models import ApiToken
from breachdesk.models import AuditChainHead
from breachdesk.models import AuditEvent
from breachdesk.models import Incident
from breachdesk.models import User
from breachdesk.timeutil import utcnow

HEAD_ID = 1
_JSON_FIELDS = ("details", "before", "after")


def record(
    incident: Incident,
    actor: User | None,
    kind: str,
    summary: str,
    *,
    before: Any = None,
    after: Any = None,
    at: datetime | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an event to ``incident``'s trail in the current transaction.

    ``at`` backdates it (the demo's history); an event is never changed once written.
    """
    if incident.id is None:
        db.session.flush()
    return append(
        actor,
        kind,
        summary,
        incident_id=incident.id,
        subject="incident",
        subject_id=incident.id,
        before=before,
        after=after,
        details=details,
        at=at,
    )


def record_about(
    subject: str,
    row: User | ApiToken,
    actor: User | None,
    kind: str,
    summary: str,
    *,
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """An event about an account ("user") or an API token ("api_token"), never a secret."""
    if row.id is None:
        db.session.flush()
    return append(
        actor, kind, summary, subject=subject, subject_id=row.id, before=before, after=after
    )


def append(
    actor: User | None,
    kind: str,
    summary: str,
    *,
    subject: str,
    subject_id: int | None,
    incident_id: int | None = None,
    before: Any = None,
    after: Any = None,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Extend the chain by one event, holding the head lock until the caller commits."""
    content = {
        "at": at or utcnow(),
        "actor_id": actor.id if actor is not None else None,
        "incident_id": incident_id,
        "subject": subject,
        "subject_id": subject_id,
        "kind": kind,
        "summary": summary,
        "details": details or {},
        "before": before,
        "after": after,
    }
    event = AuditEvent(**_linked(_lock_head(), content))
    if actor is not None:
        event.actor = actor
    db.session.add(event)
    db.session.flush()
    return event


def append_incident_rows(rows: list[dict[str, Any]]) -> None:
    """Chain many incident events at once (the reminder sweep's history), in one INSERT.

    Each row gives ``incident_id``, ``at``, ``actor_id``, ``kind``, ``summary`` and
    ``details``; they join the chain in the order given, under the same head lock.
    """
    if not rows:
        return
    head = _lock_head()
    chained = [linked(head, row) for row in rows]
    db.session.execute(insert(AuditEvent.__table__), chained)
    db.session.flush()


def _linked(head: AuditChainHead, content: dict[str, Any]) -> dict[str, Any]:
    """``content`` as the next event after ``head``, with its hash; moves the head on."""
    content = {name: content.get(name) for name in CONTENT_FIELDS}
    # Hashed as the JSON columns give the values back (tuples become lists, and so on).
    content |= {name: json.loads(json.dumps(content[name])) for name in _JSON_FIELDS}
    content["details"] = content["details"] or {}
    digest = event_hash(head.hash, content)
    linked = content | {"seq": head.seq + 1, "prev_hash": head.hash, "hash": digest}
    head.seq, head.hash = linked["seq"], digest
    return linked


def locked_head() -> AuditChainHead:
    """The chain's head, locked until the caller commits: for writers of rows in bulk."""
    return _lock_head()


def linked(head: AuditChainHead, content: dict[str, Any]) -> dict[str, Any]:
    """An incident event's row as the next link after ``head`` (which moves on)."""
    return _linked(head, content | {"subject": "incident", "subject_id": content["incident_id"]})


def _lock_head() -> AuditChainHead:
    session = db.session
    if _dialect() == "sqlite":
        # Any write takes SQLite's database lock, held to the end of the transaction.
        session.execute(
            update(AuditChainHead)
            .where(AuditChainHead.id == HEAD_ID)
            .values(seq=AuditChainHead.seq)
        )
    query = (
        select(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ID)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    head = session.scalar(query)
    if head is None:
        _create_head()
        head = session.scalar(query)
    return head


def _create_head() -> None:
    """The head row of a new chain, or of one whose row was lost: from the last event."""
    last = db.session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, chain_hash = (last.seq, last.hash) if last else (0, GENESIS)
    insert = postgresql.insert if _dialect() == "postgresql" else sqlite.insert
    # Two first writers may race to create it; the loser then waits on the winner's row.
    db.session.execute(
        insert(AuditChainHead).values(id=HEAD_ID, seq=seq, hash=chain_hash).on_conflict_do_nothing()
    )


def _dialect() -> str:
    return db.session.get_bind().dialect.name
