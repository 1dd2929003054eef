"""The record's section of the incident page: corrections, duplicates, closing and reopening."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import AuditEvent
from breachdesk.models import Incident
from breachdesk.models import User
from breachdesk.services import corrections
from breachdesk.services import incidents as incident_service
from breachdesk.services.incident_rows import rows_of
from breachdesk.web.panels import incident_panel


@incident_panel(5, "record/panel.html")
def record_panel(incident: Incident, user: User) -> dict[str, Any] | None:
    """Shown to whoever may read the full report: the original words stay visible."""
    if not incident_service.may_see_full_facts(user, incident):
        return None
    from breachdesk.web.record.forms import CloseForm
    from breachdesk.web.record.forms import DuplicateForm
    from breachdesk.web.record.forms import ReopenForm

    # The trail the page's history reads too: read once (see incident_rows).
    trail = sorted(rows_of(AuditEvent, incident.id), key=lambda event: event.seq)
    corrected = [event for event in trail if event.kind == "report-corrected"]
    duplicates = db.session.scalars(
        select(Incident.reference).where(Incident.duplicate_of_id == incident.id)
    ).all()
    return {
        "incident": incident,
        "is_dpo": user.has_role(Role.DPO),
        "corrections": corrected,
        "labels": corrections.LABELS,
        "original": incident.original_report,
        "duplicates": duplicates,
        "close_form": CloseForm(formdata=None),
        "reopen_form": ReopenForm(formdata=None),
        "duplicate_form": DuplicateForm(formdata=None),
    }
