"""Check the audit trail's hash chain as stored, streaming it in order with one query."""

from __future__ import annotations

from sqlalchemy import select

from breachdesk.domain.audit_chain import ChainEvent
from breachdesk.domain.audit_chain import ChainReport
from breachdesk.domain.audit_chain import verify
from breachdesk.extensions import db
from breachdesk.models import AuditChainHead
from breachdesk.models import AuditEvent
from breachdesk.services.audit import HEAD_ID

#: Rows fetched per round trip: the walk holds one batch, not the whole trail.
BATCH = 2000

_COLUMNS = (
    AuditEvent.seq,
    AuditEvent.at,
    AuditEvent.actor_id,
    AuditEvent.incident_id,
    AuditEvent.subject,
    AuditEvent.subject_id,
    AuditEvent.kind,
    AuditEvent.summary,
    AuditEvent.details,
    AuditEvent.before,
    AuditEvent.after,
    AuditEvent.prev_hash,
    AuditEvent.hash,
)


def check_chain() -> ChainReport:
    """Walk every event and name the first one changed, removed or inserted."""
    head_seq = db.session.scalar(select(AuditChainHead.seq).where(AuditChainHead.id == HEAD_ID))
    query = select(*_COLUMNS).order_by(AuditEvent.seq, AuditEvent.id)
    result = db.session.execute(query.execution_options(yield_per=BATCH))
    try:
        return verify((ChainEvent(*row) for row in result), head_seq=head_seq)
    finally:
        result.close()  # the walk may stop early; the server-side cursor must not linger
