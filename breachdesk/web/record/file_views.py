"""The incident file: everything about one incident in one printable document (the DPO's)."""

from __future__ import annotations

from flask import render_template

from breachdesk.desk import get_profile
from breachdesk.domain.vocabulary import Role
from breachdesk.services.incident_file import incident_file
from breachdesk.timeutil import utcnow
from breachdesk.web.record import bp
from breachdesk.web.security import load_incident_or_404
from breachdesk.web.security import role_required


@bp.route("/<reference>/file")
@role_required(Role.DPO)
def incident_file_page(reference: str):
    incident = load_incident_or_404(reference)
    return render_template(
        "record/incident_file.html", file=incident_file(incident, get_profile()), now=utcnow()
    )


@bp.app_template_filter("plain")
def plain(value) -> str:
    """A recorded value in words: lists joined, nothing as "not said"."""
    if value is None:
        return "not said"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(plain(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {plain(v)}" for k, v in value.items())
    return str(value)
