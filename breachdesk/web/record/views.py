"""Corrections, closing, reopening and duplicates: the DPO's hand on the record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user
from sqlalchemy import select

from breachdesk.desk import get_profile
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.services import closing
from breachdesk.services import corrections
from breachdesk.services.reporting import ReportInput
from breachdesk.web.record import bp
from breachdesk.web.record.forms import CloseForm
from breachdesk.web.record.forms import CorrectionForm
from breachdesk.web.record.forms import DuplicateForm
from breachdesk.web.record.forms import ReopenForm
from breachdesk.web.security import load_incident_or_404
from breachdesk.web.security import role_required


@bp.route("/<reference>/correct", methods=["GET", "POST"])
@role_required(Role.DPO)
def correct(reference: str):
    incident = load_incident_or_404(reference)
    profile = get_profile()
    form = CorrectionForm(profile, data=None if request.method == "POST" else _as_form(incident))
    if request.method == "POST" and form.validate_on_submit():
        correction = ReportInput(
            description=form.description.data.strip(),
            occurred_at=_as_typed(form.occurred_at.data, incident.occurred_at),
            noticed_at=_as_typed(form.noticed_at.data, incident.noticed_at),
            asset_ids=tuple(dict.fromkeys(form.assets.data or [])),
            data_categories=tuple(form.data_categories.data or []),
            data_notes=(form.data_notes.data or "").strip(),
            people_count=form.people_count.data,
            ongoing=incident.ongoing,  # not corrected here
            others_aware=incident.others_aware,
            situation=incident.situation,
        )
        try:
            changed = corrections.correct_report(
                incident, current_user, correction, form.reason.data, profile
            )
        except corrections.CorrectionError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors.append(str(exc))
        else:
            names = ", ".join(corrections.LABELS[n].lower() for n in changed)
            flash(f"Report corrected ({names}); the original stays on record.")
            return redirect(url_for("incidents.detail", reference=reference))
    status = 400 if request.method == "POST" else 200
    return render_template("record/correct.html", incident=incident, form=form), status


@bp.route("/<reference>/close", methods=["POST"])
@role_required(Role.DPO)
def close(reference: str):
    return _act(
        reference,
        CloseForm(),
        "Close the incident",
        lambda incident, form: (
            closing.close(incident, current_user, form.summary.data, form.lessons.data or "")
            or f"{reference} is closed."
        ),
    )


@bp.route("/<reference>/reopen", methods=["POST"])
@role_required(Role.DPO)
def reopen(reference: str):
    return _act(
        reference,
        ReopenForm(),
        "Reopen the incident",
        lambda incident, form: (
            closing.reopen(incident, current_user, form.reason.data)
            or f"{reference} is open again."
        ),
    )


@bp.route("/<reference>/duplicate", methods=["POST"])
@role_required(Role.DPO)
def duplicate(reference: str):
    def mark(incident: Incident, form: DuplicateForm) -> str:
        wanted = form.of_reference.data.strip().upper()
        standing = db.session.scalar(select(Incident).where(Incident.reference == wanted))
        if standing is None:
            raise closing.ClosingError("of_reference", f"There is no incident {wanted}.")
        closing.mark_duplicate(incident, current_user, standing, form.reason.data)
        return f"{reference} is a duplicate of {standing.reference}, folded into it."

    return _act(reference, DuplicateForm(), "Mark as a duplicate", mark)


def _act(reference: str, form, title: str, action: Callable[[Incident, object], str]):
    """Run ``action`` on a valid form and go back to the incident; else show what was wrong."""
    incident = load_incident_or_404(reference)
    if form.validate_on_submit():
        try:
            done = action(incident, form)
        except closing.ClosingError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors.append(str(exc))
        else:
            flash(done)
            return redirect(url_for("incidents.detail", reference=reference))
    page = render_template(
        "record/form_page.html",
        incident=incident,
        form=form,
        title=title,
        endpoint=request.endpoint,
    )
    return page, 400


def _as_form(incident: Incident) -> dict:
    return {
        "description": incident.description,
        "occurred_at": incident.occurred_at,
        "noticed_at": incident.noticed_at,
        "assets": incident.asset_ids,
        "data_categories": incident.data_categories,
        "data_notes": incident.data_notes,
        "people_count": incident.people_count,
    }


def _as_typed(typed: datetime | None, stored: datetime | None) -> datetime | None:
    """The form shows minutes: the same minute typed back is the stored time, unchanged."""
    if (
        typed is not None
        and stored is not None
        and typed == stored.replace(second=0, microsecond=0)
    ):
        return stored
    return typed
