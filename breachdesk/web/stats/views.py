"""Statistics of the register for the DPO: charts drawn on the server, figures beside them."""

from __future__ import annotations

from flask import render_template

from breachdesk.desk import get_profile
from breachdesk.domain.statistics import bar_chart
from breachdesk.domain.vocabulary import Role
from breachdesk.services import statistics
from breachdesk.timeutil import utcnow
from breachdesk.web.security import role_required
from breachdesk.web.stats import bp


@bp.route("/")
@role_required(Role.DPO)
def index():
    figures = statistics.figures(get_profile(), utcnow())
    return render_template(
        "stats/index.html",
        figures=figures,
        month_chart=bar_chart(figures.per_month),
        asset_chart=bar_chart(figures.per_asset),
    )
