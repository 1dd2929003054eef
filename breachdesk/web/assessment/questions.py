"""The profile's open questions about one incident, on its page, for the DPO to answer."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import flash
from flask import redirect
from flask import request
from flask import url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from breachdesk.desk import get_profile
from breachdesk.domain.vocabulary import Role
from breachdesk.models import Incident
from breachdesk.models import User
from breachdesk.services import incident_questions
from breachdesk.services.facts import estimates_of
from breachdesk.web.assessment import bp
from breachdesk.web.panels import incident_panel
from breachdesk.web.security import load_incident_or_404
from breachdesk.web.security import role_required


class AnswerForm(FlaskForm):
    """A one-button answer: the CSRF token is the whole form."""


@incident_panel(12, "assessment/panel_questions.html")
def questions_panel(incident: Incident, user: User) -> dict[str, Any] | None:
    """The count still an estimate, and the vulnerable question not yet answered."""
    if not user.has_role(Role.DPO):
        return None
    profile = get_profile()
    estimates = estimates_of(incident, profile)
    if not (estimates.count_estimated or estimates.vulnerable_unasked):
        return None
    return {
        "incident": incident,
        "estimates": estimates,
    }


@bp.route("/<reference>/questions/count", methods=["POST"])
@role_required(Role.DPO)
def confirm_count(reference: str):
    incident = load_incident_or_404(reference)
    if not AnswerForm().validate_on_submit():
        abort(400)
    incident_questions.confirm_count(incident, get_profile(), current_user)
    flash("The number of people is confirmed for this incident.")
    return redirect(url_for("incidents.detail", reference=reference))


@bp.route("/<reference>/questions/vulnerable", methods=["POST"])
@role_required(Role.DPO)
def answer_vulnerable(reference: str):
    incident = load_incident_or_404(reference)
    answer = request.form.get("answer")
    if not AnswerForm().validate_on_submit() or answer not in ("yes", "no"):
        abort(400)
    incident_questions.answer_vulnerable(incident, get_profile(), current_user, answer == "yes")
    flash("Your answer about children and vulnerable adults is recorded.")
    return redirect(url_for("incidents.detail", reference=reference))
