"""The organisation profile as the DPO reads it: what it holds, and what it leaves open."""

from __future__ import annotations

from flask import render_template

from breachdesk.desk import get_profile
from breachdesk.domain.vocabulary import Role
from breachdesk.web.profile import bp
from breachdesk.web.security import role_required


@bp.route("/")
@role_required(Role.DPO)
def page():
    """Every asset, its groups with where their counts come from, and the open questions.

    Retention periods the organisation's documents do not state decide how much data a
    breach can touch, so they are listed first, as questions for the DPO to answer.
    """
    profile = get_profile()
    questions = [(asset, q) for asset in profile.assets for q in asset.open_questions]
    return render_template("profile/page.html", org=profile, questions=questions)
