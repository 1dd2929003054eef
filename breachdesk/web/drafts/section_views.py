"""Editing a draft section by section in plain words, with a preview before saving."""

from __future__ import annotations

from flask import flash
from flask import redirect
from flask import request
from flask_login import current_user

from breachdesk.domain.drafting import SectionsChanged
from breachdesk.domain.drafting import edited_body
from breachdesk.domain.vocabulary import Role
from breachdesk.services.drafts import editing as service
from breachdesk.web.drafts import bp
from breachdesk.web.drafts.forms import SectionsForm
from breachdesk.web.drafts.page import doc_url
from breachdesk.web.drafts.page import load_draft
from breachdesk.web.drafts.page import render_draft
from breachdesk.web.security import role_required

CHANGED_UNDERNEATH = (
    "This draft changed since you opened it (it is now version {number}), so nothing was "
    "saved. Your words are kept below: compare them with the new version, then save again."
)


@bp.route("/<reference>/drafts/<int:draft_id>/sections", methods=["POST"])
@role_required(Role.DPO)
def edit_sections(reference: str, draft_id: int):
    """Preview or save the words typed into the sections; the headings are kept as they are."""
    doc = load_draft(reference, draft_id)
    form = SectionsForm()
    if not form.validate_on_submit():
        return render_draft(doc, sections_form=form), 400
    if form.based_on.data != doc.current.number:
        form.form_errors.append(CHANGED_UNDERNEATH.format(number=doc.current.number))
        return render_draft(doc, sections_form=form), 409
    try:
        body = edited_body(doc.current.body_markdown, list(form.sections.data))
    except SectionsChanged:
        form.form_errors.append(CHANGED_UNDERNEATH.format(number=doc.current.number))
        return render_draft(doc, sections_form=form), 409
    if request.form.get("action") == "preview":
        return render_draft(doc, sections_form=form, preview=(form.subject.data, body))
    try:
        version = service.edit(doc, form.subject.data, body, form.note.data or "", current_user)
    except service.DraftError as exc:
        target = form.subject if exc.field == "subject" else None
        (target.errors if target is not None else form.form_errors).append(str(exc))
        return render_draft(doc, sections_form=form), 400
    flash(f"Saved as version {version.number}.")
    return redirect(doc_url(doc))
