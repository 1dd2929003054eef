"""The checklist and IT-assignment sections of the incident page."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask import flash

from breachdesk.desk import get_desk
from breachdesk.domain.vocabulary import Role
from breachdesk.models import Incident
from breachdesk.models import User
from breachdesk.services.checklists import assignments
from breachdesk.services.checklists import runs as checklists
from breachdesk.timeutil import utcnow
from breachdesk.web.checklists.forms import AssignForm
from breachdesk.web.checklists.working_view import working_checklist
from breachdesk.web.panels import incident_panel

#: How many open steps the incident page lists before pointing to the whole checklist.
NEXT_STEPS = 5


def ensure_started(incident: Incident) -> None:
    """Start the checklist when the DPO opens an incident that has none (a failed start).

    A past breach recorded late has none on purpose: its steps' time limits passed long ago.
    """
    if incident.recorded_late_at is not None or checklists.checklist(incident):
        return
    desk = get_desk()
    try:
        checklists.start_checklists(incident, desk.playbooks, desk.profile)
    except Exception:
        current_app.logger.exception("checklist for %s could not be started", incident.reference)
        flash("The checklist could not be started: check the playbooks.", "error")


@incident_panel(15, "checklists/assignments_panel.html")
def assignment_panel(incident: Incident, user: User) -> dict[str, Any] | None:
    """Who from IT works the incident; the DPO assigns and unassigns them here."""
    if not user.has_role(Role.DPO):
        return None
    return assignment_context(incident, AssignForm(formdata=None))


def assignment_context(incident: Incident, form: AssignForm) -> dict[str, Any]:
    return {
        "assigned": assignments.assigned_users(incident),
        "form": form.offer(assignments.assignable_users(incident)),
    }


@incident_panel(20, "checklists/panel.html")
def checklist_panel(incident: Incident, user: User) -> dict[str, Any] | None:
    """Progress, overdue steps and what comes next: the DPO's, IT's or the reporter's steps."""
    if user.has_role(Role.DPO):
        ensure_started(incident)
    items = checklists.steps_visible_to(user, incident)
    if items is None:
        return None
    now = utcnow()
    work = working_checklist(items, now)  # most urgent first, as on the checklist page
    return {
        "staff_only": checklists.sees_staff_steps_only(user, incident),
        "progress": work.progress,
        "overdue": [i for i in work.to_do if checklists.item_is_overdue(i, now)],
        "next": [i for i in work.to_do if not checklists.item_is_overdue(i, now)][:NEXT_STEPS],
        "due_at": checklists.item_due_at,
        "is_overdue": lambda item: checklists.item_is_overdue(item, now),
    }
