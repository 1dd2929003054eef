"""The breach register: on screen for the DPO, and as CSV for the records."""

from __future__ import annotations

import csv
import io

from flask import Response
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import stream_with_context
from flask import url_for
from flask_login import current_user

from breachdesk.desk import get_profile
from breachdesk.domain.vocabulary import Role
from breachdesk.models import IncidentStatus
from breachdesk.services import incident_lists
from breachdesk.services import past_breaches
from breachdesk.services import register
from breachdesk.timeutil import utcnow
from breachdesk.web.filters import category_label
from breachdesk.web.filters import local_time
from breachdesk.web.lists import list_form
from breachdesk.web.lists import render_list
from breachdesk.web.lists import to_filter
from breachdesk.web.register import bp
from breachdesk.web.register.forms import PastBreachForm
from breachdesk.web.security import role_required

CSV_COLUMNS = (
    "Reference",
    "Status",
    "Reported",
    "Became aware",
    "ICO deadline",
    "Where",
    "What happened",
    "Data",
    "People",
    "Risk",
    "Tell the ICO",
    "Tell the people",
    "Decided",
    "Reasons",
    "Reason for departing from the recommendation",
    "ICO told",
    "ICO reference",
    "People told",
    "Late",
    "Reasons for delay",
    "Closed",
)


@bp.route("/")
@role_required(Role.DPO)
def index():
    """The register a page at a time, newest report first, filtered as asked."""
    now = utcnow()

    def load(wanted, position):
        page, counts = incident_lists.register_page(wanted, position, now)
        rows = register.entries_for(page.incidents, get_profile(), now)
        return {"rows": rows, "page": page, "counts": counts}

    return render_list("register/index.html", _form(), load)


@bp.route("/register.csv")
@role_required(Role.DPO)
def export_csv():
    """The register as CSV, with the same filters as the page, written as it is read."""
    form = _form()
    if not form.validate():
        return render_template("register/index.html", form=form, page=None, rows=[]), 400
    wanted = to_filter(form)
    profile, now = get_profile(), utcnow()

    def lines():
        yield _csv_line(CSV_COLUMNS)
        for row in register.every_entry(profile, now, wanted):
            yield _csv_line([_cell(value) for value in _csv_values(row)])

    return Response(
        stream_with_context(lines()),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=breach-register.csv"},
    )


@bp.route("/past", methods=["GET", "POST"])
@role_required(Role.DPO)
def record_past():
    """Enter a breach noticed more than a year ago, with the reason it comes only now."""
    profile = get_profile()
    form = PastBreachForm(profile)
    if request.method == "GET":
        return render_template("register/past.html", form=form)
    if form.validate_on_submit():
        try:
            incident = past_breaches.record_past_breach(current_user, form.past_breach(), profile)
        except past_breaches.PastBreachError as exc:
            getattr(form, exc.field).errors.append(str(exc))
        else:
            flash(f"{incident.reference} is in the register, recorded late: no deadlines run.")
            return redirect(url_for("incidents.detail", reference=incident.reference))
    return render_template("register/past.html", form=form), 400


def _form():
    return list_form(list(IncidentStatus), with_overdue=False)


def _csv_line(values) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


def _csv_values(row: register.RegisterEntry) -> list:
    yes_no = {True: "yes", False: "no", None: "not decided"}
    return [
        row.reference,
        row.status,
        local_time(row.reported_at),
        local_time(row.aware_at),
        local_time(row.ico_deadline),
        "; ".join(row.assets),
        row.what_happened,
        "; ".join(category_label(c) for c in row.data),
        "" if row.people is None else row.people,
        row.risk or "not assessed",
        yes_no[row.notify_ico],
        row.notify_people or "not decided",
        local_time(row.decided_at) if row.decided_at else "",
        " ".join(row.reasons),
        row.override_reason or "",
        local_time(row.ico_told_at) if row.ico_told_at else "",
        row.ico_reference or "",
        local_time(row.people_told_at) if row.people_told_at else "",
        "yes" if row.late else "no",
        row.delay_reasons or "",
        local_time(row.closed_at) if row.closed_at else "",
    ]


def _cell(value) -> str:
    """Neutralise text a spreadsheet would run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
