"""Impossible and implausible dates are refused with a message, the typed text kept, and
nothing saved; a date stored before these checks still shows."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest
from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Finding
from breachdesk.models import Incident
from tests.web.test_api import FINDING
from tests.web.test_api import FINDINGS
from tests.web.test_api import call
from tests.web.test_api import nothing_written
from tests.web.test_api import setup  # noqa: F401  (a fixture)
from tests.web.test_findings import PAGE
from tests.web.test_findings import add
from tests.web.test_findings import nothing_saved
from tests.web.test_findings import people  # noqa: F401  (a fixture)
from tests.web.test_reporting import incident_count
from tests.web.test_reporting import report

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

REPORT_DATES = [
    ({"noticed_at": "0001-01-01T00:00", "occurred_at": None}, "Check the year"),
    ({"noticed_at": "9999-12-31T23:59", "occurred_at": None}, "Check the year"),
    ({"noticed_at": "2026-11-21T09:00"}, "cannot be in the future"),
    ({"noticed_at": "2025-03-01T09:00", "occurred_at": None}, "more than a year ago"),
    ({"occurred_at": "1999-12-31T23:00"}, "give a date from 1 January 2000"),
]


@pytest.mark.parametrize(("changes", "message"), REPORT_DATES)
def test_the_report_form_refuses_dates_no_one_could_have_noticed(app, login_as, changes, message):
    staff = login_as("sam", Role.STAFF)

    response = report(staff, **changes)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    typed = changes.get("noticed_at") or changes["occurred_at"]
    assert f'value="{typed}"' in page  # what was typed stays on the page to correct
    assert incident_count(app) == 0


def test_a_report_noticed_within_the_year_is_accepted(app, login_as):
    staff = login_as("sam", Role.STAFF)
    response = report(staff, noticed_at="2025-12-01T09:00", occurred_at="2019-05-01T09:00")
    assert response.status_code == 200
    assert "Thank you: your report is saved" in response.get_data(as_text=True)
    assert incident_count(app) == 1


FINDING_DATES = [
    ({"window_start": "0001-01-01T00:00"}, "Check the year"),
    ({"window_start": "1999-06-01T00:00"}, "Check the year"),
    ({"window_end": "2026-11-21T00:00"}, "The end of the time range cannot be in the future"),
]


@pytest.mark.parametrize(("changes", "message"), FINDING_DATES)
def test_the_findings_form_refuses_impossible_time_ranges(app, people, changes, message):  # noqa: F811
    response = add(people["ian"], **changes)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    nothing_saved(app)


def test_an_attacker_who_dwelt_for_years_can_still_be_recorded(app, people):  # noqa: F811
    response = add(people["ian"], window_start="2019-02-01T00:00")
    assert response.status_code == 302


API_DATES = [
    "0001-01-01T00:00:00+05:00",
    "0001-01-01T00:00:00-00:30",
    "9999-12-31T23:59:59-05:00",
    "9999-12-31T23:59:59+00:00",
    "1999-12-31T23:59:59+00:00",
]


@pytest.mark.parametrize("instant", API_DATES)
def test_the_api_refuses_dates_out_of_range_with_a_400(app, setup, instant):  # noqa: F811
    body = {**FINDING, "window_start": instant}
    response = call(app, "POST", FINDINGS, setup["ian"], body)
    assert response.status_code == 400
    assert "window_start" in response.get_json()["error"]
    nothing_written(app)


def test_a_year_one_window_stored_earlier_still_shows_on_the_incident_page(app, people):  # noqa: F811
    assert add(people["ian"]).status_code == 302
    with app.app_context():
        finding = db.session.scalar(select(Finding))
        finding.window_start = datetime(1, 1, 1, tzinfo=UTC)
        db.session.commit()
        assert db.session.scalar(select(Incident.reference)) == "BD-2026-0001"

    page = people["dana"].get(PAGE)

    assert page.status_code == 200
    assert "0001-01-01 00:00 UTC" in page.get_data(as_text=True)
