"""The DPO's assessment page: facts, the recommendation beside them, and the decision."""

from __future__ import annotations

from flask import flash
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user

from breachdesk.desk import get_profile
from breachdesk.domain.assessment import FactsError
from breachdesk.domain.assessment import decision_to_dict
from breachdesk.domain.vocabulary import Role
from breachdesk.models import Incident
from breachdesk.services import assessments
from breachdesk.services.assessments import Recommendation
from breachdesk.services.clocks import TELL_PEOPLE
from breachdesk.services.clocks import promise_warning
from breachdesk.services.facts import estimates_of
from breachdesk.timeutil import utcnow
from breachdesk.web.assessment import bp
from breachdesk.web.assessment import panels  # noqa: F401  (registers the incident panels)
from breachdesk.web.assessment.forms import AssessmentForm
from breachdesk.web.security import load_incident_or_404
from breachdesk.web.security import role_required


@bp.route("/<reference>/assessment")
@role_required(Role.DPO)
def page(reference: str):
    incident = load_incident_or_404(reference)
    profile = get_profile()
    recommendation = assessments.recommend(
        incident, profile, assessments.working_facts(incident, profile)
    )
    form = AssessmentForm.prefilled(recommendation.facts, recommendation.answers)
    return _render(incident, form, recommendation)


@bp.route("/<reference>/assessment", methods=["POST"])
@role_required(Role.DPO)
def submit(reference: str):
    incident = load_incident_or_404(reference)
    form = AssessmentForm()
    action = request.form.get("action", "preview")
    if action == "decide":
        return _decide(incident, form)
    recommendation = _submitted_recommendation(incident, form)
    if recommendation is None:
        return _render(incident, form, _saved_recommendation(incident)), 400
    if action == "save_facts":
        assessments.save_facts(incident, get_profile(), current_user, recommendation.facts)
        flash("Facts saved. Record the decision when you are ready.")
        return redirect(url_for("assessment.page", reference=reference))
    if form.decision_untouched():
        form.follow(recommendation.answers)
    return _render(incident, form, recommendation)


@bp.route("/<reference>/assessment/preview", methods=["POST"])
@role_required(Role.DPO)
def preview(reference: str):
    """The recommendation for the submitted facts, as JSON, for the page's live update."""
    incident = load_incident_or_404(reference)
    form = AssessmentForm()
    recommendation = _submitted_recommendation(incident, form)
    if recommendation is None:
        errors = {name: list(errs) for name, errs in form.errors.items()}
        return jsonify(errors=errors), 400
    following = form.decision_untouched()
    if following:
        form.follow(recommendation.answers)
    differs = assessments.differences(recommendation.answers, form.choice())
    html = render_template("assessment/_recommendation.html", incident=incident, rec=recommendation)
    return jsonify(
        html=html,
        differs=_differs_words(differs),
        decision=decision_to_dict(recommendation.decision),
        # The buttons the DPO left alone follow the new recommendation; chosen ones stay.
        follow={name: form[name].data for name in form.DECISION_FIELDS} if following else None,
        prefilled_decision=form.prefilled_decision.data,
    )


def _decide(incident: Incident, form: AssessmentForm):
    profile = get_profile()
    if _recommendation_moved(incident, form):
        return _render(incident, form, _submitted_recommendation(incident, form)), 400
    if form.validate():
        try:
            assessments.record_decision(
                incident, profile, current_user, form.facts(), form.choice()
            )
        except assessments.AssessmentError as exc:
            _attach_error(form, exc.field, str(exc))
        else:
            flash(f"Decision recorded. The incident is now {incident.status.label.lower()}.")
            if form.choice().notify_people in TELL_PEOPLE:
                late = promise_warning(incident, utcnow())
                if late is not None:
                    flash(late.words, "warning")
            return redirect(url_for("incidents.detail", reference=incident.reference))
    recommendation = _submitted_recommendation(incident, form, check=False)
    return _render(incident, form, recommendation or _saved_recommendation(incident)), 400


def _recommendation_moved(incident: Incident, form: AssessmentForm) -> bool:
    """Facts changed under buttons the DPO left alone: show the new advice before recording.

    Recording the buttons as they were would record advice given on other facts; recording
    the new advice unseen would record something the DPO never read.
    """
    if not form.decision_untouched():
        return False
    recommendation = _submitted_recommendation(incident, form, check=False)
    if recommendation is None or recommendation.answers == _buttons_only(form.choice()):
        return False
    form.follow(recommendation.answers)
    form.form_errors.append(
        "The recommendation changed with the facts you gave, so the decision below now "
        "follows it. Check it, then record it."
    )
    return True


def _buttons_only(choice: assessments.Choice) -> assessments.Choice:
    return assessments.Choice(choice.notify_ico, choice.notify_people, choice.notify_controller)


def _submitted_recommendation(
    incident: Incident, form: AssessmentForm, *, check: bool = True
) -> Recommendation | None:
    """The recommendation on the form's facts; None (errors on the form) if they are bad."""
    if check and not form.validate_facts():
        return None
    try:
        facts = assessments.checked_facts(incident, form.facts())
    except FactsError as exc:
        if check:
            _attach_error(form, exc.field, exc.message)
        return None
    return assessments.recommend(incident, get_profile(), facts)


def _saved_recommendation(incident: Incident) -> Recommendation:
    profile = get_profile()
    return assessments.recommend(incident, profile, assessments.working_facts(incident, profile))


def _attach_error(form: AssessmentForm, field: str, message: str) -> None:
    """Put a service's message beside the field it names (``availability.x`` -> ``x``)."""
    name = field.rsplit(".", 1)[-1]
    if name in form:
        form[name].errors = [*form[name].errors, message]
    else:
        form.form_errors.append(message)


def _differs_words(differs: list[str]) -> str:
    if not differs:
        return ""
    return (
        f"Your decision differs from the recommendation on {' and '.join(differs)}: "
        "give the reason below."
    )


def _render(incident: Incident, form: AssessmentForm, recommendation: Recommendation):
    differs = assessments.differences(recommendation.answers, form.choice())
    in_force = assessments.current_decision(incident)
    return render_template(
        "assessment/page.html",
        incident=incident,
        form=form,
        rec=recommendation,
        differs_words=_differs_words(differs) if form.notify_people.data else "",
        in_force=in_force,
        history=assessments.history(incident),
        reassess=in_force is not None and assessments.needs_reassessment(incident),
        estimates=estimates_of(incident, get_profile()),
        promise_warning=promise_warning(incident, utcnow()),
    )
