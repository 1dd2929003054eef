"""Adding technical findings, downloading evidence, and deciding on proposed fact changes."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import send_file
from flask import url_for
from flask_login import current_user

from breachdesk.desk import get_profile
from breachdesk.domain.vocabulary import Role
from breachdesk.models import Incident
from breachdesk.models import ProposalState
from breachdesk.models import User
from breachdesk.services import findings as finding_service
from breachdesk.services.evidence import EvidenceError
from breachdesk.services.evidence_storage import EvidenceFolder
from breachdesk.services.evidence_storage import EvidenceStorageError
from breachdesk.web.findings import bp
from breachdesk.web.findings.forms import DecisionForm
from breachdesk.web.findings.forms import FindingForm
from breachdesk.web.panels import incident_panel
from breachdesk.web.security import load_incident_or_404
from breachdesk.web.security import role_required


def _evidence_folder() -> EvidenceFolder:
    return EvidenceFolder.from_config(current_app.config)


def _load_workable(reference: str) -> Incident:
    """The incident if the user is the DPO or assigned IT; 404 for everyone else."""
    incident = load_incident_or_404(reference)
    if not finding_service.may_work(current_user, incident):
        abort(404)
    return incident


@incident_panel(40, "findings/panel.html")
def findings_panel(incident: Incident, user: User) -> dict[str, Any] | None:
    """The findings section of the incident page, for the DPO and assigned IT."""
    if not finding_service.may_work(user, incident):
        return None
    findings = finding_service.findings_for(incident)
    is_dpo = user.has_role(Role.DPO)
    pending = [p for f in findings for p in f.proposals if p.state is ProposalState.PROPOSED]
    forms = {p.id: DecisionForm(formdata=None, prefix=f"p{p.id}") for p in pending}
    return {
        "findings": findings,
        "is_dpo": is_dpo,
        "decision_forms": forms if is_dpo else {},
        "pending_count": len(pending),
    }


@bp.route("/<reference>/findings/new", methods=["GET", "POST"])
@role_required(Role.IT, Role.DPO)
def new_finding(reference: str):
    incident = _load_workable(reference)
    form = FindingForm()
    if request.method == "GET":
        return _render_new(incident, form)
    if form.validate_on_submit():
        try:
            finding_service.add_finding(
                incident,
                current_user,
                form.finding_input(),
                get_profile(),
                proposals=form.explicit_proposals(),
                uploads=form.uploads(),
                evidence_folder=_evidence_folder(),
            )
        except EvidenceStorageError as exc:
            # Not the sender's fault: the server could not keep the files (a full disk).
            form.show_error(exc.field, str(exc))
            return _render_new(incident, form), 503
        except (finding_service.FindingError, EvidenceError) as exc:
            form.show_error(exc.field, str(exc))
        else:
            flash("Finding saved. The DPO will review any proposed fact changes.")
            return redirect(url_for("incidents.detail", reference=reference))
    return _render_new(incident, form), 400


def _render_new(incident: Incident, form: FindingForm):
    return render_template(
        "findings/new.html",
        incident=incident,
        form=form,
        max_mb=_evidence_folder().max_bytes / (1024 * 1024),
    )


@bp.route("/<reference>/evidence/<int:evidence_id>")
def download_evidence(reference: str, evidence_id: int):
    incident = _load_workable(reference)
    found = finding_service.evidence_on(incident, evidence_id, _evidence_folder())
    if found is None:
        abort(404)
    item, path = found
    # Always a download, never rendered: the file may be hostile (an attacker's HTML).
    response = send_file(
        path,
        mimetype="application/octet-stream",
        as_attachment=True,
        download_name=item.original_name,
        conditional=False,
        etag=False,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<reference>/proposals/<int:proposal_id>", methods=["GET", "POST"])
@role_required(Role.DPO)
def decide(reference: str, proposal_id: int):
    incident = load_incident_or_404(reference)
    proposal = finding_service.proposal_on(incident, proposal_id)
    if proposal is None:
        abort(404)
    form = DecisionForm(prefix=f"p{proposal.id}")
    if request.method == "GET":
        return _render_decision(incident, proposal, form)
    if form.validate_on_submit() and (form.accept.data or form.reject.data):
        try:
            finding_service.decide_proposal(
                incident,
                proposal,
                current_user,
                get_profile(),
                accept=bool(form.accept.data),
                note=form.note.data or "",
            )
        except finding_service.FindingError as exc:
            form.note.errors = [*form.note.errors, str(exc)]
            status = 409 if exc.field == "decision" else 400
            return _render_decision(incident, proposal, form), status
        flash(f"Proposal {proposal.state.value}.")
        return redirect(url_for("incidents.detail", reference=reference))
    if not form.errors:
        form.note.errors = ["Choose Accept or Reject."]
    return _render_decision(incident, proposal, form), 400


def _render_decision(incident: Incident, proposal, form: DecisionForm):
    return render_template(
        "findings/decide.html",
        incident=incident,
        proposal=proposal,
        form=form,
        PROPOSED=ProposalState.PROPOSED,
    )
