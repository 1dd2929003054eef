"""The audit trail for the DPO: the latest events, and the check that it was not altered."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import AuditEvent
from breachdesk.models import Incident
from breachdesk.services import audit_check
from breachdesk.web.audit import bp
from breachdesk.web.security import role_required

#: The page lists the newest events only; the whole trail is in the incident files.
LATEST = 100


@bp.route("/")
@role_required(Role.DPO)
def index():
    return _page(report=None)


@bp.route("/check")
@role_required(Role.DPO)
def check():
    """Run the same check as `breachdesk audit verify` (read-only, so a GET)."""
    return _page(report=audit_check.check_chain())


def _page(report):
    query = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(LATEST)
    events = db.session.scalars(query).all()
    ids = {event.incident_id for event in events if event.incident_id is not None}
    rows = db.session.execute(select(Incident.id, Incident.reference).where(Incident.id.in_(ids)))
    references = {incident_id: reference for incident_id, reference in rows}
    return render_template("audit/index.html", events=events, references=references, report=report)
