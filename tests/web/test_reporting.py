"""Reporting a suspected breach: saved first, a reference, first steps, and bad input."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func
from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import AuditEvent
from breachdesk.models import Incident
from breachdesk.models import Notification

# Reference numbers and saved reports depend on the database's constraints: both databases.
BACKENDS = ("sqlite", "postgres")

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

GOOD_REPORT = {
    "description": "A ransom note is on the lab server screen; Transactor will not open.",
    "noticed_at": "2026-11-20T11:40",
    "occurred_at": "2026-11-20T11:00",
    "assets": ["lab-server"],
    "data_categories": ["basic_identity", "health"],
    "people_count": "6000",
    "ongoing": "yes",
    "others_aware": "The office manager.",
}


def incident_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Incident))


def report(staff, **changes):
    data = {**GOOD_REPORT, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    return staff.post("/report/new", data, follow_redirects=True)


def test_staff_report_gets_a_reference_and_the_first_steps_for_the_asset(app, login_as, make_user):
    dana_id = make_user("dana", Role.DPO)
    staff = login_as("sam", Role.STAFF)

    response = report(staff)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Thank you: your report is saved" in page
    assert re.search(r"BD-2026-0001", page)
    assert "Do these things now" in page
    assert "network" in page.lower()  # the lab server's first step: unplug, do not switch off
    with app.app_context():
        incident = db.session.scalar(select(Incident))
        assert incident.reference == "BD-2026-0001"
        assert incident.people_count == 6000
        assert incident.asset_ids == ["lab-server"]
        assert incident.noticed_at.isoformat() == "2026-11-20T11:40:00+00:00"
        note = db.session.scalar(select(Notification))
        assert note.user_id == dana_id
        assert "BD-2026-0001" in note.message
        assert (
            db.session.scalar(select(AuditEvent.kind).where(AuditEvent.subject == "incident"))
            == "reported"
        )


def test_references_count_up_within_the_year(app, login_as):
    staff = login_as("sam", Role.STAFF)
    report(staff)
    second = report(staff)
    assert "BD-2026-0002" in second.get_data(as_text=True)


def test_awareness_defaults_to_the_earlier_of_noticed_and_reported(app, login_as):
    staff = login_as("sam", Role.STAFF)
    report(staff, noticed_at="2026-11-19T09:15", occurred_at=None)
    with app.app_context():
        incident = db.session.scalar(select(Incident))
        assert incident.aware_at.isoformat() == "2026-11-19T09:15:00+00:00"


def test_times_are_read_as_uk_time_in_summer(app, login_as, freezer):
    freezer.move_to("2026-07-01 12:00:00")
    staff = login_as("sam", Role.STAFF)
    report(staff, noticed_at="2026-07-01T10:00", occurred_at=None)
    with app.app_context():
        incident = db.session.scalar(select(Incident))
        assert incident.noticed_at.isoformat() == "2026-07-01T09:00:00+00:00"  # 10:00 BST


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"description": ""}, "Tell us what happened"),
        ({"description": "   "}, "Tell us what happened"),
        ({"noticed_at": "2026-11-21T09:00"}, "cannot be in the future"),
        ({"occurred_at": "2026-11-20T11:50"}, "cannot have happened after you noticed it"),
        ({"assets": ["the-moon"]}, "Unknown place"),
        ({"assets": None}, "Choose at least one place"),
        ({"people_count": "about forty"}, "Enter a number, like 40"),
        ({"people_count": "-3"}, "Enter a number of people"),
        ({"noticed_at": "yesterday"}, "noticed"),
    ],
)
def test_bad_input_gets_a_message_beside_the_field_and_saves_nothing(
    app, login_as, changes, field_message
):
    staff = login_as("sam", Role.STAFF)

    response = report(staff, **changes)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert field_message in page
    assert 'class="error"' in page
    assert "Nothing has been saved yet" in page
    assert incident_count(app) == 0
    if changes.get("description") is None:
        assert "Transactor will not open" in page  # what was typed is kept


def test_a_ten_megabyte_description_is_refused_with_a_message_and_kept(app, login_as):
    staff = login_as("sam", Role.STAFF)
    huge = "x" * (10 * 1024 * 1024)

    response = report(staff, description=huge)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Keep this under 20,000 characters" in page
    assert huge in page
    assert incident_count(app) == 0


def test_a_form_without_its_csrf_token_is_refused(app, login_as):
    staff = login_as("sam", Role.STAFF)
    response = staff.client.post("/report/new", data=GOOD_REPORT)
    assert response.status_code == 400
    assert "nothing was saved" in response.get_data(as_text=True)
    assert incident_count(app) == 0


def test_a_tampered_csrf_token_is_refused(app, login_as):
    staff = login_as("sam", Role.STAFF)
    response = staff.client.post("/report/new", data={**GOOD_REPORT, "csrf_token": "forged"})
    assert response.status_code == 400
    assert incident_count(app) == 0


def test_the_report_button_is_on_every_page_for_a_signed_in_user(app, login_as):
    staff = login_as("sam", Role.STAFF)
    for url in ("/report/mine", "/incidents/alerts", "/auth/password"):
        assert 'href="/report/new"' in staff.get(url).get_data(as_text=True), url


def test_the_report_form_is_usable_on_a_phone(app, login_as):
    staff = login_as("sam", Role.STAFF)
    page = staff.get("/report/new").get_data(as_text=True)
    assert 'name="viewport" content="width=device-width' in page
    assert 'type="checkbox"' in page  # checkboxes, not a multi-select box
    assert "Something else / not sure" in page


def test_staff_see_their_own_reports_only(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam, description="Sam's report about a lost prescription.")
    kim = login_as("kim", Role.STAFF)
    report(kim, description="Kim's report about the website.")

    mine = sam.get("/report/mine").get_data(as_text=True)

    assert "lost prescription" in mine
    assert "about the website" not in mine


def test_summer_times_come_back_as_typed_when_the_form_has_an_error(app, login_as, freezer):
    freezer.move_to("2026-07-01 12:00:00")
    staff = login_as("sam", Role.STAFF)

    response = report(staff, description="", noticed_at="2026-07-01T10:00", occurred_at=None)

    assert response.status_code == 400
    assert 'value="2026-07-01T10:00"' in response.get_data(as_text=True)


def test_the_form_suggests_now_in_uk_time_as_when_it_was_noticed(app, login_as, freezer):
    freezer.move_to("2026-07-01 12:00:00")
    staff = login_as("sam", Role.STAFF)
    page = staff.get("/report/new").get_data(as_text=True)
    assert 'value="2026-07-01T13:00"' in page  # 12:00 UTC is 13:00 BST


def test_the_dpo_sees_how_many_alerts_are_unread_until_reading_them(app, login_as):
    dpo = login_as("dana", Role.DPO)
    staff = login_as("sam", Role.STAFF)
    report(staff)
    report(staff)

    assert 'aria-label="2 unread"' in dpo.get("/report/mine").get_data(as_text=True)
    alerts = dpo.get("/incidents/alerts").get_data(as_text=True)
    assert "New suspected breach BD-2026-0002" in alerts
    # Reading them changes nothing: only the button does.
    assert 'aria-label="2 unread"' in dpo.get("/report/mine").get_data(as_text=True)
    assert dpo.post("/incidents/alerts/read", form_url="/incidents/alerts").status_code == 302
    assert "unread" not in dpo.get("/report/mine").get_data(as_text=True)


def test_first_steps_page_gives_the_numbers_to_call_for_the_asset(app, login_as, make_user):
    make_user("dana", Role.DPO)
    staff = login_as("sam", Role.STAFF)

    page = report(staff).get_data(as_text=True)

    assert "Who to call" in page
    assert "Reliant (UK) Ltd" in page
    assert 'href="tel:01000000002"' in page  # the profile's number for Reliant
    assert "Practice Manager" in page  # the DPO named in the profile


def test_a_sent_report_answers_with_a_redirect_so_a_reload_files_nothing_twice(app, login_as):
    staff = login_as("sam", Role.STAFF)

    sent = staff.post("/report/new", GOOD_REPORT)

    assert sent.status_code == 303
    landing = sent.headers["Location"]
    assert landing == "/report/BD-2026-0001/first-steps?saved=1"
    for _reload in range(3):  # what the browser does on reload, back and forward: a GET
        page = staff.get(landing).get_data(as_text=True)
        assert "Your reference is" in page
        assert "Do these things now" in page
    assert incident_count(app) == 1


def test_the_first_steps_stay_on_their_own_page_for_whoever_may_see_the_incident(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam)
    page = sam.get("/report/BD-2026-0001/first-steps").get_data(as_text=True)
    assert "First steps for" in page
    assert "Do these things now" in page
    assert "Thank you" not in page  # a revisit is not a new report
    kim = login_as("kim", Role.STAFF)
    assert kim.get("/report/BD-2026-0001/first-steps").status_code == 404


def test_alerts_already_read_stay_on_the_alerts_page_as_earlier_ones(app, login_as):
    dpo = login_as("dana", Role.DPO)
    staff = login_as("sam", Role.STAFF)
    report(staff)
    first_visit = dpo.get("/incidents/alerts").get_data(as_text=True)
    assert "New suspected breach BD-2026-0001" in first_visit.split("<h2>Earlier</h2>")[0]
    dpo.post("/incidents/alerts/read", {}, form_url="/incidents/alerts")
    report(staff)

    second_visit = dpo.get("/incidents/alerts").get_data(as_text=True)

    new, earlier = second_visit.split("<h2>Earlier</h2>")
    assert "New suspected breach BD-2026-0002" in new
    assert "New suspected breach BD-2026-0001" not in new
    assert "New suspected breach BD-2026-0001" in earlier
    assert 'href="/incidents/BD-2026-0001"' in earlier
