"""The DPO's dashboard, IT's list, and the incident page with its history."""

from __future__ import annotations

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_login import current_user

from breachdesk.desk import get_profile
from breachdesk.domain.vocabulary import Role
from breachdesk.models import IncidentStatus
from breachdesk.services import incident_lists
from breachdesk.services import incidents as incident_service
from breachdesk.services import timeline
from breachdesk.services.checklists import runs as checklists
from breachdesk.services.clocks import clocks_for
from breachdesk.services.clocks import incident_clocks
from breachdesk.timeutil import LONDON
from breachdesk.timeutil import utcnow
from breachdesk.web.incidents import bp
from breachdesk.web.incidents.forms import AwarenessForm
from breachdesk.web.incidents.forms import ReadAlertsForm
from breachdesk.web.incidents.forms import StatusForm
from breachdesk.web.lists import OPEN_STATES
from breachdesk.web.lists import list_form
from breachdesk.web.lists import render_list
from breachdesk.web.panels import panels_for
from breachdesk.web.security import load_incident_or_404
from breachdesk.web.security import role_required


@bp.route("/")
@role_required(Role.DPO)
def dashboard():
    """Open incidents a page at a time, the nearest running deadline first."""
    now = utcnow()

    def load(wanted, position):
        page, counts = incident_lists.open_page(wanted, position, now)
        progress = checklists.progress_for(page.incidents, now=now)
        clocks = clocks_for(page.incidents, now)
        rows = [(i, clocks[i.id], progress.get(i.id)) for i in page.incidents]
        return {"rows": rows, "page": page, "counts": counts}

    form = list_form(OPEN_STATES, with_overdue=True)
    return render_list("incidents/dashboard.html", form, load)


@bp.route("/assigned")
@role_required(Role.IT)
def assigned():
    incidents = incident_service.assigned_to(current_user)
    clocks = clocks_for(incidents, utcnow())
    return render_template("incidents/assigned.html", rows=[(i, clocks[i.id]) for i in incidents])


@bp.route("/<reference>")
def detail(reference: str):
    incident = load_incident_or_404(reference)
    return _render_detail(incident)


@bp.route("/<reference>/awareness", methods=["POST"])
@role_required(Role.DPO)
def change_awareness(reference: str):
    incident = load_incident_or_404(reference)
    form = AwarenessForm()
    if form.validate_on_submit():
        try:
            incident_service.change_awareness(
                incident, current_user, form.aware_at.data, form.reason.data
            )
        except incident_service.IncidentError as exc:
            getattr(form, exc.field).errors.append(str(exc))
        else:
            flash("Awareness changed; the deadline follows it.")
            return redirect(url_for("incidents.detail", reference=reference))
    return _render_detail(incident, awareness_form=form), 400


@bp.route("/<reference>/status", methods=["POST"])
@role_required(Role.DPO)
def change_status(reference: str):
    incident = load_incident_or_404(reference)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            incident_service.change_status(
                incident, current_user, IncidentStatus(form.status.data), form.note.data or ""
            )
        except incident_service.IncidentError as exc:
            getattr(form, exc.field).errors.append(str(exc))
        else:
            flash(f"Status is now {incident.status.label.lower()}.")
            return redirect(url_for("incidents.detail", reference=reference))
    return _render_detail(incident, status_form=form), 400


#: How many alerts already read the alerts page keeps showing.
EARLIER_ALERTS = 50


@bp.route("/alerts")
def alerts():
    notes = incident_service.unread_notifications(current_user)
    earlier = incident_service.earlier_notifications(current_user, EARLIER_ALERTS)
    return render_template(
        "incidents/alerts.html", notes=notes, earlier=earlier, form=ReadAlertsForm()
    )


@bp.post("/alerts/read")
def read_alerts():
    """Only a POST changes anything: a link preview or a prefetch never clears the alerts."""
    if not ReadAlertsForm().validate_on_submit():
        abort(400)
    incident_service.mark_notifications_read(current_user)
    flash("Alerts marked as read.")
    return redirect(url_for("incidents.alerts"))


def _render_detail(incident, awareness_form=None, status_form=None):
    profile = get_profile()
    if awareness_form is None:
        local = incident.aware_at.astimezone(LONDON).replace(tzinfo=None)
        awareness_form = AwarenessForm(formdata=None, data={"aware_at": local})
    return render_template(
        "incidents/detail.html",
        incident=incident,
        clocks=incident_clocks(incident, utcnow()),
        full_facts=incident_service.may_see_full_facts(current_user, incident),
        asset_names=[profile.asset_name(a) for a in incident.asset_ids],
        awareness_form=awareness_form,
        status_form=status_form or StatusForm(),
        is_dpo=current_user.has_role(Role.DPO),
        panels=panels_for(incident, current_user),
        history=timeline.history_for(incident, current_user),
    )
