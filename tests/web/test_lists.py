"""The dashboard and the register a page at a time: order, search, filters, counts."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import IncidentAsset
from breachdesk.services.incident_lists import PAGE_SIZE
from breachdesk.services.notices import record_notice
from tests.support.reminders import add_incident
from tests.support.reminders import decide
from tests.support.reminders import reporter

# Search, filters and order are the databases' own work (ILIKE or LIKE, booleans, dates).
BACKENDS = ("sqlite", "postgres")

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def references(response) -> list[str]:
    return re.findall(r">(BD-\d{4}-\d{4})</a>", response.get_data(as_text=True))


@pytest.fixture
def dpo(app, login_as):
    browser = login_as("dpo", Role.DPO)
    return browser


def add(app, hours_ago: float, description: str = "Lab server ransom note.", asset=None):
    with app.app_context():
        incident = add_incident(NOW - timedelta(hours=hours_ago), description)
        if asset:
            db.session.add(IncidentAsset(incident_id=incident.id, asset_id=asset))
            db.session.commit()
        return incident.reference


def test_the_dashboard_puts_the_nearest_running_deadline_first_and_told_ones_last(app, dpo):
    calm = add(app, 1)
    told = add(app, 70)
    urgent = add(app, 60)
    overdue = add(app, 80)
    with app.app_context():
        from breachdesk.models import Incident

        incident = db.session.query(Incident).filter_by(reference=told).one()
        record_notice(incident, "ico", NOW, "ICO-1", "online form", "ICO", None, reporter())

    assert references(dpo.get("/incidents/")) == [overdue, urgent, calm, told]


def test_the_dashboard_shows_a_page_at_a_time_with_the_way_to_the_next(app, dpo):
    made = [add(app, hours_ago=PAGE_SIZE + 5 - n) for n in range(PAGE_SIZE + 5)]

    first = dpo.get("/incidents/")
    second = dpo.get("/incidents/?page=2")

    assert references(first) == made[:PAGE_SIZE]  # the oldest awareness is nearest its deadline
    assert references(second) == made[PAGE_SIZE:]
    page = first.get_data(as_text=True)
    assert f"Showing 1–{PAGE_SIZE} of {PAGE_SIZE + 5}" in page
    assert 'href="/incidents/?page=2"' in page
    assert f"All: {PAGE_SIZE + 5}" in page


def test_the_dashboard_searches_words_and_references_and_filters_by_place_and_state(app, dpo):
    ransom = add(app, 2, "A ransom note on the lab server.", asset="lab-server")
    parcel = add(app, 3, "A parcel went to the wrong practice.", asset="parcels")
    late = add(app, 80, "Another RANSOM demand by email.", asset="email")

    assert references(dpo.get("/incidents/?q=ransom")) == [late, ransom]
    assert references(dpo.get("/incidents/?q=ransom+lab")) == [ransom]
    assert references(dpo.get(f"/incidents/?q={parcel}")) == [parcel]
    assert references(dpo.get("/incidents/?q=100%25")) == []  # a % is a character, not a wildcard
    assert references(dpo.get("/incidents/?asset=parcels")) == [parcel]
    overdue = dpo.get("/incidents/?state=overdue")
    assert references(overdue) == [late]
    assert "Overdue: 1" in overdue.get_data(as_text=True)
    assert references(dpo.get("/incidents/?state=triage")) == []


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("page=two", 400, "The page must be a whole number, like 2."),
        ("page=0", 400, "Pages start at 1."),
        ("page=9", 404, "There is no page 9: this list has 1 page(s)."),
        ("state=lost", 400, "Not a valid choice."),
        ("q=" + "x" * 201, 400, "Search for at most 200 characters."),
    ],
)
def test_a_bad_filter_or_page_says_what_is_wrong(app, dpo, query, status, message):
    add(app, 1)

    response = dpo.get(f"/incidents/?{query}")

    assert response.status_code == status
    assert message in response.get_data(as_text=True)


def test_the_register_filters_by_decision_and_report_date_and_exports_the_same(app, dpo):
    older = add(app, 24 * 30, "Old lost laptop.")
    not_notifiable = add(app, 5, "Email to the wrong practice.")
    undecided = add(app, 1, "Parcel opened.")
    with app.app_context():
        from breachdesk.models import Incident

        incident = db.session.query(Incident).filter_by(reference=not_notifiable).one()
        decide(incident, NOW, notify_ico=False)

    assert references(dpo.get("/register/?decision=not-notifiable")) == [not_notifiable]
    assert references(dpo.get("/register/?decision=undecided")) == [undecided, older]
    recent = dpo.get("/register/?reported_from=2026-11-01&reported_to=2026-11-20")
    assert references(recent) == [undecided, not_notifiable]
    backwards = dpo.get("/register/?reported_from=2026-11-20&reported_to=2026-11-01")
    assert backwards.status_code == 400
    assert "The end date comes before the start date." in backwards.get_data(as_text=True)

    exported = dpo.get("/register/register.csv?decision=undecided")
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert [row["Reference"] for row in rows] == [undecided, older]


@pytest.mark.parametrize("role", [Role.STAFF, Role.IT])
def test_only_the_dpo_sees_the_dashboard(app, login_as, role):
    assert login_as("someone", role).get("/incidents/?q=ransom").status_code == 403
