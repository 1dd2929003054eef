"""The DPO's drafts: list on the incident page, read, edit, approve, mark sent, export."""

from __future__ import annotations

from pathlib import Path

from flask import Response
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user

from breachdesk.desk import get_profile
from breachdesk.domain.vocabulary import Role
from breachdesk.models import DraftDoc
from breachdesk.models import Incident
from breachdesk.models import User
from breachdesk.services.drafts import editing as service
from breachdesk.services.drafts import exports
from breachdesk.services.drafts import sending
from breachdesk.services.drafts.context import ico_report_out_of_date
from breachdesk.web.drafts import bp
from breachdesk.web.drafts.forms import ActionForm
from breachdesk.web.drafts.forms import ApproveForm
from breachdesk.web.drafts.forms import ControllerForm
from breachdesk.web.drafts.forms import EditForm
from breachdesk.web.drafts.forms import MakeForm
from breachdesk.web.drafts.forms import MergeForm
from breachdesk.web.drafts.forms import PeopleSummaryForm
from breachdesk.web.drafts.forms import SentForm
from breachdesk.web.drafts.page import doc_url
from breachdesk.web.drafts.page import load_draft
from breachdesk.web.drafts.page import render_draft
from breachdesk.web.panels import incident_panel
from breachdesk.web.security import load_incident_or_404
from breachdesk.web.security import role_required

GROUP_LABELS = {
    "ico": "Report to the ICO",
    "people": "Notice to the people",
    "processors": "Notices to processors and partners",
    "controllers": "Notices to controllers",
    "staff": "Summary for staff",
}


def _instance_path() -> Path:
    """Where the organisation's own draft templates live, if it has any."""
    return Path(current_app.instance_path)


@incident_panel(70, "drafts/panel.html")
def drafts_panel(incident: Incident, user: User):
    """The incident's drafts, for the DPO only."""
    if not user.has_role(Role.DPO):
        return None
    docs = service.drafts_for(incident)
    summary = PeopleSummaryForm(
        formdata=None, data={"people_summary": service.people_summary(incident)}
    )
    return {
        "incident": incident,
        "docs": docs,
        "out_of_date": ico_report_out_of_date(incident, docs),
        "summary_form": summary,
        "groups": GROUP_LABELS,
        "controller_form": ControllerForm(),
    }


@bp.route("/<reference>/drafts/make", methods=["POST"])
@role_required(Role.DPO)
def make(reference: str):
    incident = load_incident_or_404(reference)
    form = MakeForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        docs = service.current_drafts(
            incident,
            get_profile(),
            form.group.data,
            current_user,
            instance_path=_instance_path(),
            reason=form.reason.data or "",
        )
    except service.DraftError as exc:
        return render_template(
            "drafts/problem.html", incident=incident, message=str(exc), retry=form
        ), 409
    if not docs:
        flash("Nothing to draft for this incident yet: no one of that kind is involved.")
        return redirect(url_for("incidents.detail", reference=reference))
    return redirect(doc_url(docs[0]))


@bp.route("/<reference>/drafts/controllers", methods=["POST"])
@role_required(Role.DPO)
def add_controller(reference: str):
    incident = load_incident_or_404(reference)
    form = ControllerForm()
    if form.validate_on_submit():
        try:
            doc = service.add_controller(
                incident,
                get_profile(),
                form.name.data,
                current_user,
                instance_path=_instance_path(),
            )
        except service.DraftError as exc:
            form.name.errors.append(str(exc))
        else:
            return redirect(doc_url(doc))
    errors = "; ".join(form.name.errors) or "Give the controller's name."
    return render_template("drafts/problem.html", incident=incident, message=errors), 400


@bp.route("/<reference>/drafts/people-summary", methods=["POST"])
@role_required(Role.DPO)
def people_summary(reference: str):
    incident = load_incident_or_404(reference)
    form = PeopleSummaryForm()
    if form.validate_on_submit():
        try:
            service.set_people_summary(incident, form.people_summary.data, current_user)
        except service.DraftError as exc:
            form.people_summary.errors.append(str(exc))
        else:
            flash("Saved: notices to the people made or rebuilt from now on say this.")
            return redirect(url_for("incidents.detail", reference=reference) + "#drafts")
    message = "; ".join(form.people_summary.errors) or "Say what happened, in a sentence or two."
    return render_template("drafts/problem.html", incident=incident, message=message), 400


@bp.route("/<reference>/drafts/follow-up", methods=["POST"])
@role_required(Role.DPO)
def follow_up(reference: str):
    incident = load_incident_or_404(reference)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        doc = sending.start_follow_up(
            incident, get_profile(), current_user, instance_path=_instance_path()
        )
    except service.DraftError as exc:
        return render_template("drafts/problem.html", incident=incident, message=str(exc)), 409
    return redirect(doc_url(doc))


@bp.route("/<reference>/drafts/<int:draft_id>")
@role_required(Role.DPO)
def detail(reference: str, draft_id: int):
    return render_draft(load_draft(reference, draft_id))


@bp.route("/<reference>/drafts/<int:draft_id>/edit", methods=["POST"])
@role_required(Role.DPO)
def edit(reference: str, draft_id: int):
    doc = load_draft(reference, draft_id)
    form = EditForm()
    if form.validate_on_submit():
        try:
            version = service.edit(
                doc, form.subject.data, form.body.data, form.note.data or "", current_user
            )
        except service.DraftError as exc:
            getattr(form, exc.field).errors.append(str(exc))
        else:
            flash(f"Saved as version {version.number}.")
            return redirect(doc_url(doc))
    return render_draft(doc, edit_form=form), 400


@bp.route("/<reference>/drafts/<int:draft_id>/approve", methods=["POST"])
@role_required(Role.DPO)
def approve(reference: str, draft_id: int):
    form = ApproveForm()
    return _one_button(
        reference,
        draft_id,
        lambda doc: sending.approve(doc, current_user, phased=form.phased.data),
        "Version {number} approved: it can now be sent, and it will not change.",
        form,
    )


@bp.route("/<reference>/drafts/<int:draft_id>/rebuild", methods=["POST"])
@role_required(Role.DPO)
def rebuild(reference: str, draft_id: int):
    return _one_button(
        reference,
        draft_id,
        lambda doc: service.rebuild(
            doc, get_profile(), current_user, instance_path=_instance_path()
        ),
        "Version {number} made from the incident as it stands now.",
    )


def _one_button(reference: str, draft_id: int, change, done: str, form=None):
    """A draft action with little to fill in; a refusal is shown on the draft (409)."""
    doc = load_draft(reference, draft_id)
    if not (form or ActionForm()).validate_on_submit():
        abort(400)
    try:
        version = change(doc)
    except service.DraftError as exc:
        return render_draft(doc, problem=str(exc)), 409
    flash(done.format(number=version.number))
    return redirect(doc_url(doc))


@bp.route("/<reference>/drafts/<int:draft_id>/sent", methods=["POST"])
@role_required(Role.DPO)
def mark_sent(reference: str, draft_id: int):
    doc = load_draft(reference, draft_id)
    form = SentForm()
    if form.validate_on_submit():
        try:
            sending.mark_sent(
                doc,
                current_user,
                sent_at=form.sent_at.data,
                channel=form.channel.data,
                sent_to=form.sent_to.data,
                ico_reference=form.ico_reference.data,
                delay_reasons=form.delay_reasons.data,
            )
        except service.DraftError as exc:
            _form_error(form, exc)
        else:
            flash(f"Marked as sent. Version {doc.current.number} is kept exactly as it went.")
            return redirect(doc_url(doc))
    return render_draft(doc, sent_form=form), 400


@bp.route("/<reference>/drafts/<int:draft_id>/merge", methods=["POST"])
@role_required(Role.DPO)
def merge(reference: str, draft_id: int):
    doc = load_draft(reference, draft_id)
    form = MergeForm()
    if form.validate_on_submit():
        upload = form.recipients.data
        try:
            made = exports.merge_recipients(doc, upload.read(), upload.filename or "", current_user)
        except service.DraftError as exc:
            form.recipients.errors.append(str(exc))
        else:
            flash(f"{len(made.recipients)} personal copies made.")
            return redirect(doc_url(doc))
    return render_draft(doc, merge_form=form), 400


@bp.route("/<reference>/drafts/<int:draft_id>/export.<fmt>")
@role_required(Role.DPO)
def export(reference: str, draft_id: int, fmt: str):
    doc = load_draft(reference, draft_id)
    if fmt not in exports.FORMATS:
        abort(404)
    found = exports.export(doc, fmt, get_profile(), _version(doc))
    return _download(found)


@bp.route("/<reference>/drafts/<int:draft_id>/print")
@role_required(Role.DPO)
def print_view(reference: str, draft_id: int):
    doc = load_draft(reference, draft_id)
    version = _version(doc)
    return render_template("drafts/print.html", doc=doc, letters=[service.as_draft(doc, version)])


@bp.route("/<reference>/drafts/<int:draft_id>/merges/<int:merge_id>/emails.zip")
@role_required(Role.DPO)
def merge_emails(reference: str, draft_id: int, merge_id: int):
    found = _load_merge(reference, draft_id, merge_id)
    return _download(exports.eml_zip(found, get_profile()))


@bp.route("/<reference>/drafts/<int:draft_id>/merges/<int:merge_id>/letters")
@role_required(Role.DPO)
def merge_letters(reference: str, draft_id: int, merge_id: int):
    found = _load_merge(reference, draft_id, merge_id)
    letters = exports.merged_drafts(found)
    return render_template("drafts/print.html", doc=found.doc, letters=letters)


def _load_merge(reference: str, draft_id: int, merge_id: int):
    found = exports.get_merge(load_draft(reference, draft_id), merge_id)
    if found is None:
        abort(404)
    return found


def _version(doc: DraftDoc):
    number = request.args.get("version", type=int)
    if number is None:
        return doc.current
    version = next((v for v in doc.versions if v.number == number), None)
    if version is None:
        abort(404)
    return version


def _download(found: exports.Export) -> Response:
    return Response(
        found.content,
        mimetype=found.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
    )


def _form_error(form, exc: service.DraftError) -> None:
    field = getattr(form, exc.field, None)
    if field is None:
        form.form_errors.append(str(exc))
    else:
        field.errors.append(str(exc))
