"""The incident's checklist, its IT assignments and its timeline (with exports)."""

from __future__ import annotations

from functools import partial

from flask import Response
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_login import current_user

from breachdesk.domain.vocabulary import Role
from breachdesk.models import ChecklistItem
from breachdesk.models import Incident
from breachdesk.models import StepState
from breachdesk.services.checklists import assignments
from breachdesk.services.checklists import runs as checklists
from breachdesk.services.checklists import steps as checklist_steps
from breachdesk.services.clocks import incident_clocks
from breachdesk.services.timeline import timeline_for
from breachdesk.timeutil import utcnow
from breachdesk.web.checklists import bp
from breachdesk.web.checklists import exports
from breachdesk.web.checklists import panels
from breachdesk.web.checklists.forms import AssignForm
from breachdesk.web.checklists.forms import DoneForm
from breachdesk.web.checklists.forms import NoteForm
from breachdesk.web.checklists.forms import SkipForm
from breachdesk.web.checklists.forms import StepActionForm
from breachdesk.web.checklists.forms import UnassignForm
from breachdesk.web.checklists.working_view import working_checklist
from breachdesk.web.error_summary import ErrorLink
from breachdesk.web.error_summary import error_links
from breachdesk.web.security import load_incident_or_404
from breachdesk.web.security import role_required

#: Everyone signed in: the reporter sees and ticks the staff steps of their own report.
ANY_ROLE = (Role.DPO, Role.IT, Role.STAFF)


@bp.route("/<reference>/checklist")
@role_required(*ANY_ROLE)
def checklist(reference: str):
    incident = load_incident_or_404(reference)
    return _render_checklist(incident)


@bp.route("/<reference>/steps/<int:item_id>/done", methods=["POST"])
@role_required(*ANY_ROLE)
def tick(reference: str, item_id: int):
    """Done, and record what was done: one action, with or without the note."""
    incident, item = _load_step(reference, item_id, checklist_steps.may_tick)
    form = DoneForm()
    if form.validate_on_submit():
        action = partial(checklist_steps.tick, incident, item, current_user, form.text.data or "")
        return _apply(incident, item, action, done_form=form)
    return _render_checklist(incident, item.id, done_form=form), 400


@bp.route("/<reference>/steps/<int:item_id>/reopen", methods=["POST"])
@role_required(Role.DPO, Role.IT)
def reopen(reference: str, item_id: int):
    return _one_button(reference, item_id, checklist_steps.reopen)


def _one_button(reference: str, item_id: int, change):
    """A step action with nothing to fill in: the CSRF token is its whole form."""
    incident, item = _load_step(reference, item_id)
    if not StepActionForm().validate_on_submit():
        abort(400)
    return _apply(incident, item, partial(change, incident, item, current_user))


@bp.route("/<reference>/steps/<int:item_id>/skip", methods=["POST"])
@role_required(Role.DPO, Role.IT)
def skip(reference: str, item_id: int):
    incident, item = _load_step(reference, item_id)
    form = SkipForm()
    if form.validate_on_submit():
        action = partial(checklist_steps.skip, incident, item, current_user, form.reason.data)
        return _apply(incident, item, action, skip_form=form)
    return _render_checklist(incident, item.id, skip_form=form), 400


@bp.route("/<reference>/steps/<int:item_id>/note", methods=["POST"])
@role_required(Role.DPO, Role.IT)
def annotate(reference: str, item_id: int):
    incident, item = _load_step(reference, item_id)
    form = NoteForm()
    if form.validate_on_submit():
        action = partial(checklist_steps.annotate, incident, item, current_user, form.text.data)
        return _apply(incident, item, action, note_form=form)
    return _render_checklist(incident, item.id, note_form=form), 400


@bp.route("/<reference>/assignments", methods=["POST"])
@role_required(Role.DPO)
def assign(reference: str):
    incident = load_incident_or_404(reference)
    form = AssignForm().offer(assignments.assignable_users(incident))
    if form.validate_on_submit() and (user_id := form.user_id()) is not None:
        user = assignments.find_user(user_id)
        try:
            if user is None:
                raise assignments.AssignmentError("user", "Choose an IT user from the list.")
            assignments.assign(incident, user, current_user)
        except assignments.AssignmentError as exc:
            form.user.errors = [*form.user.errors, str(exc)]
        else:
            flash(f"{user.display_name} can now see this incident and its technical steps.")
            return redirect(url_for("incidents.detail", reference=reference))
    return _render_assignments(incident, form), 400


@bp.route("/<reference>/assignments/<int:user_id>/remove", methods=["POST"])
@role_required(Role.DPO)
def unassign(reference: str, user_id: int):
    incident = load_incident_or_404(reference)
    user = assignments.find_user(user_id)
    if not UnassignForm().validate_on_submit() or user is None:
        abort(400)
    try:
        assignments.unassign(incident, user, current_user)
    except assignments.AssignmentError as exc:
        flash(str(exc), "error")
        return _render_assignments(incident, AssignForm(formdata=None)), 400
    flash(f"{user.display_name} no longer sees this incident.")
    return redirect(url_for("incidents.detail", reference=reference))


@bp.route("/<reference>/timeline")
@role_required(Role.DPO, Role.IT)
def timeline(reference: str):
    incident = _load_for_timeline(reference)
    entries = timeline_for(incident, current_user)
    return render_template("checklists/timeline.html", incident=incident, entries=entries)


@bp.route("/<reference>/timeline.md")
@role_required(Role.DPO, Role.IT)
def timeline_markdown(reference: str):
    incident = _load_for_timeline(reference)
    body = exports.timeline_markdown(incident, timeline_for(incident, current_user))
    headers = exports.attachment(f"{incident.reference}-timeline.md")
    return Response(body, mimetype="text/markdown", headers=headers)


@bp.route("/<reference>/timeline.csv")
@role_required(Role.DPO, Role.IT)
def timeline_csv(reference: str):
    incident = _load_for_timeline(reference)
    body = exports.timeline_csv(timeline_for(incident, current_user))
    headers = exports.attachment(f"{incident.reference}-timeline.csv")
    return Response(body, mimetype="text/csv", headers=headers)


def _load_step(
    reference: str, item_id: int, allowed=checklist_steps.may_work
) -> tuple[Incident, ChecklistItem]:
    """The incident (404 unless visible), its step (404 if not its), and the right to change it."""
    incident = load_incident_or_404(reference)
    item = checklists.find_item(incident, item_id)
    if item is None or checklists.steps_visible_to(current_user, incident) is None:
        abort(404)
    if not allowed(current_user, incident, item):
        abort(403)
    return incident, item


def _load_for_timeline(reference: str) -> Incident:
    incident = load_incident_or_404(reference)
    # An IT user sees an incident's history only while assigned to it, even one they reported.
    if not current_user.has_role(Role.DPO) and current_user.id not in incident.assigned_user_ids():
        abort(404)
    return incident


def _apply(incident: Incident, item: ChecklistItem, action, **forms):
    """Run a step change; on a refusal show the checklist again with the message at the step."""
    try:
        action()
    except checklist_steps.StepNotAllowed:
        abort(403)
    except checklist_steps.ChecklistError as exc:
        form = forms.get("skip_form") or forms.get("note_form") or forms.get("done_form")
        field = getattr(form, exc.field, None) if form is not None else None
        if field is None:
            return _render_checklist(incident, item.id, step_error=str(exc), **forms), 409
        field.errors = [*field.errors, str(exc)]
        return _render_checklist(incident, item.id, **forms), 400
    flash(f"Saved: {item.title}")
    url = url_for("checklists.checklist", reference=incident.reference)
    # A finished step folds away at the end: land on the summary, which names what is next.
    anchor = "summary" if item.state is not StepState.OPEN else f"step-{item.step_id}"
    return redirect(f"{url}#{anchor}")


def _render_checklist(incident: Incident, failed_id: int | None = None, **forms):
    if current_user.has_role(Role.DPO):
        panels.ensure_started(incident)
    items = checklists.steps_visible_to(current_user, incident, with_notes=True)
    if items is None:
        abort(404)
    staff_only = checklists.sees_staff_steps_only(current_user, incident)
    now = utcnow()
    return render_template(
        "checklists/staff_steps.html" if staff_only else "checklists/checklist.html",
        incident=incident,
        items=items,
        progress=checklists.progress(items, now),
        work=working_checklist(items, now),
        ico_clock=incident_clocks(incident, now).ico,
        now=now,
        failed_id=failed_id,
        step_error=forms.get("step_error"),
        failed_skip=forms.get("skip_form"),
        failed_note=forms.get("note_form"),
        failed_done=forms.get("done_form"),
        errors=_error_links(failed_id, forms),
        blank_skip=SkipForm(formdata=None),
        blank_note=NoteForm(formdata=None),
        blank_done=DoneForm(formdata=None),
        may_work=lambda item: checklist_steps.may_work(current_user, incident, item),
        may_tick=lambda item: checklist_steps.may_tick(current_user, incident, item),
        is_overdue=checklists.item_is_overdue,
        due_at=checklists.item_due_at,
        within=checklists.item_within,
    )


def _error_links(failed_id: int | None, forms: dict) -> list:
    """The failed step form's errors for the summary on top; each step's fields have ids."""
    anchors = {"reason": f"reason-{failed_id}", "text": f"note-{failed_id}"}
    links = error_links(forms.get("skip_form"), anchors) + error_links(
        forms.get("note_form"), anchors
    )
    links += error_links(forms.get("done_form"), {"text": f"done-{failed_id}"})
    if forms.get("step_error"):
        links.append(ErrorLink(f"step-error-{failed_id}", forms["step_error"]))
    return links


def _render_assignments(incident: Incident, form: AssignForm):
    context = panels.assignment_context(incident, form)
    return render_template("checklists/assignments_page.html", incident=incident, panel=context)
