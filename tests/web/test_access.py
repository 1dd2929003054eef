"""Who may see what: signed-out users, staff, IT and the DPO."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import IncidentAssignment
from breachdesk.models import User
from tests.web.test_reporting import report

# Who may see what is decided by queries: both databases.
BACKENDS = ("sqlite", "postgres")

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

PROTECTED = [
    "/",
    "/report/new",
    "/report/mine",
    "/incidents/",
    "/incidents/assigned",
    "/incidents/BD-2026-0001",
    "/incidents/alerts",
    "/admin/users",
]


@pytest.mark.parametrize("url", PROTECTED)
def test_signed_out_users_go_to_the_login_page(browser, url):
    response = browser.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_staff_cannot_open_another_persons_report(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam)
    kim = login_as("kim", Role.STAFF)

    assert kim.get("/incidents/BD-2026-0001").status_code == 404
    assert sam.get("/incidents/BD-2026-0001").status_code == 200


@pytest.mark.parametrize("url", ["/incidents/", "/admin/users", "/incidents/assigned"])
def test_staff_cannot_reach_dpo_or_it_pages(app, login_as, url):
    sam = login_as("sam", Role.STAFF)
    assert sam.get(url).status_code == 403


def assign(app, reference: str, username: str) -> None:
    with app.app_context():
        incident = db.session.scalar(select(Incident).where(Incident.reference == reference))
        user = db.session.scalar(select(User).where(User.username == username))
        db.session.add(IncidentAssignment(incident_id=incident.id, user_id=user.id))
        db.session.commit()


def test_it_sees_no_incident_that_is_not_assigned_to_it(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam, description="First: the lab server.")
    report(sam, description="Second: the website.")
    it = login_as("reliant", Role.IT)
    assign(app, "BD-2026-0002", "reliant")

    assert it.get("/incidents/BD-2026-0001").status_code == 404
    assert it.get("/incidents/BD-2026-0002").status_code == 200
    listing = it.get("/incidents/assigned").get_data(as_text=True)
    assert "BD-2026-0002" in listing
    assert "BD-2026-0001" not in listing
    assert it.get("/incidents/").status_code == 403


def test_it_sees_the_facts_it_needs_but_not_who_reported_or_who_knows(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam, others_aware="My line manager, Jo Bloggs.")
    it = login_as("reliant", Role.IT)
    assign(app, "BD-2026-0001", "reliant")

    page = it.get("/incidents/BD-2026-0001").get_data(as_text=True)

    assert "Transactor will not open" in page
    assert "Jo Bloggs" not in page
    assert "sam" not in page.split("<main")[1].split("</main>")[0]


def test_the_dpo_sees_every_open_incident_ordered_by_time_left(app, login_as, freezer):
    sam = login_as("sam", Role.STAFF)
    report(
        sam,
        description="Newer: noticed an hour ago.",
        noticed_at="2026-11-20T11:00",
        occurred_at=None,
    )
    report(
        sam,
        description="Older: noticed two days ago.",
        noticed_at="2026-11-18T12:00",
        occurred_at=None,
    )
    dpo = login_as("dana", Role.DPO)

    page = dpo.get("/incidents/").get_data(as_text=True)

    assert page.index("BD-2026-0002") < page.index("BD-2026-0001")
    assert "24 hours left" in page  # aware 18 Nov 12:00, deadline 21 Nov 12:00
    assert "71 hours left" in page


def test_changing_awareness_needs_a_reason_and_keeps_who_and_when(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam)
    dpo = login_as("dana", Role.DPO)
    url = "/incidents/BD-2026-0001"

    refused = dpo.post(
        f"{url}/awareness", {"aware_at": "2026-11-20T09:00", "reason": ""}, form_url=url
    )
    assert refused.status_code == 400
    assert "Say why" in refused.get_data(as_text=True)

    accepted = dpo.post(
        f"{url}/awareness",
        {"aware_at": "2026-11-20T09:00", "reason": "Reliant's alert email arrived at 09:00."},
        form_url=url,
    )
    assert accepted.status_code == 302
    page = dpo.get(url).get_data(as_text=True)
    assert "Reliant&#39;s alert email arrived at 09:00." in page
    assert "Dana" in page or "dana" in page
    with app.app_context():
        incident = db.session.scalar(select(Incident))
        assert incident.aware_at.isoformat() == "2026-11-20T09:00:00+00:00"
        assert incident.events[-1].actor.username == "dana"
        assert incident.events[-1].details["previous"] == "2026-11-20T11:40:00+00:00"


def test_only_the_dpo_may_change_awareness(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam)
    url = "/incidents/BD-2026-0001"
    response = sam.post(
        f"{url}/awareness", {"aware_at": "2026-11-20T09:00", "reason": "x"}, form_url=url
    )
    assert response.status_code == 403


def test_user_text_is_shown_as_text_not_markup(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam, description='<script>alert("x")</script> and <b>bold</b>')
    page = sam.get("/incidents/BD-2026-0001").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_closing_needs_a_reason_and_shows_in_the_history(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam)
    dpo = login_as("dana", Role.DPO)
    url = "/incidents/BD-2026-0001"
    assert dpo.post(f"{url}/close", {"summary": ""}, form_url=url).status_code == 400
    ok = dpo.post(f"{url}/close", {"summary": "False alarm: test email."}, form_url=url)
    assert ok.status_code == 302
    assert "False alarm: test email." in dpo.get(url).get_data(as_text=True)
    assert "BD-2026-0001" not in dpo.get("/incidents/").get_data(as_text=True)


def test_the_history_shows_it_and_the_reporter_only_what_they_may_see(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam)
    it = login_as("reliant", Role.IT)
    assign(app, "BD-2026-0001", "reliant")
    dpo = login_as("dana", Role.DPO)
    url = "/incidents/BD-2026-0001"
    dpo.post(
        f"{url}/awareness",
        {"aware_at": "2026-11-20T09:00", "reason": "Seen in the practice manager's diary."},
        form_url=url,
    )
    dpo.post(f"{url}/status", {"status": "triage", "note": ""}, form_url=url)

    assert "practice manager&#39;s diary" in dpo.get(url).get_data(as_text=True)
    for viewer in (it, sam):
        page = viewer.get(url).get_data(as_text=True)
        assert "practice manager&#39;s diary" not in page
    assert "Status Reported -&gt; Triage" in sam.get(url).get_data(as_text=True)
