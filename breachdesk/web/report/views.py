"""Report a suspected breach, see the reference and the first steps, list my reports."""

from __future__ import annotations

from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user

from breachdesk.desk import get_desk
from breachdesk.desk import get_profile
from breachdesk.domain.vocabulary import NOT_SURE_ASSET
from breachdesk.services import incidents as incident_service
from breachdesk.services import reporting
from breachdesk.services.checklists.first_steps import first_steps_for
from breachdesk.services.checklists.first_steps import who_to_call
from breachdesk.timeutil import utcnow
from breachdesk.web.report import bp
from breachdesk.web.report.forms import ReportForm
from breachdesk.web.security import load_incident_or_404


@bp.route("/new", methods=["GET", "POST"])
def new():
    profile = get_profile()
    form = ReportForm(profile)
    if request.method == "GET":
        form.noticed_at.data = utcnow().replace(second=0, microsecond=0)  # most report at once
        return render_template("report/new.html", form=form)
    if form.validate_on_submit():
        report = reporting.ReportInput(
            description=form.description.data.strip(),
            occurred_at=form.occurred_at.data,
            noticed_at=form.noticed_at.data,
            asset_ids=tuple(dict.fromkeys(form.assets.data or [])),
            data_categories=tuple(form.data_categories.data or []),
            data_notes=(form.data_notes.data or "").strip(),
            people_count=form.people_count.data,
            ongoing=form.ongoing_value(),
            others_aware=(form.others_aware.data or "").strip(),
            situation=form.situation_value(),
        )
        try:
            reported = reporting.submit_report(current_user, report, profile, get_desk().playbooks)
        except reporting.ReportError as exc:
            getattr(form, exc.field).errors.append(str(exc))
        else:
            if not reported.checklist_started:
                flash("The checklist could not be started; the DPO has been told.", "error")
            # Post/Redirect/Get: reloading the page that says "saved" must not file it again.
            reference = reported.incident.reference
            return redirect(url_for("report.first_steps", reference=reference, saved=1), 303)
    return render_template("report/new.html", form=form), 400


@bp.route("/mine")
def mine():
    return render_template("report/mine.html", incidents=incident_service.reports_by(current_user))


@bp.route("/<reference>/first-steps")
def first_steps(reference: str):
    """The reference and what to do now: where a new report lands, and a page to come back to."""
    incident = load_incident_or_404(reference)
    asset_ids = incident.asset_ids or [NOT_SURE_ASSET]
    return render_template(
        "report/done.html",
        incident=incident,
        steps=first_steps_for(get_desk().playbooks, get_profile(), asset_ids, incident.situation),
        callees=who_to_call(get_profile(), asset_ids),
        saved=request.args.get("saved") == "1",
    )
