"""The reporter's own steps: what happened picks them, and the reporter ticks them off."""

from __future__ import annotations

import pytest

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import StepState
from breachdesk.models import User
from tests.web.test_checklists import CHECKLIST
from tests.web.test_checklists import REF
from tests.web.test_checklists import step
from tests.web.test_checklists import step_url
from tests.web.test_reporting import report

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")


def test_the_reporter_sees_only_the_staff_steps_of_their_report_and_ticks_one(app, login_as):
    sam = login_as("sam", Role.STAFF)
    assert report(sam, situation="attack").status_code == 200

    page = sam.get(CHECKLIST)
    ticked = sam.post(step_url(app, "unplug-network", "done"), form_url=CHECKLIST)

    assert page.status_code == 200
    whole = page.get_data(as_text=True)
    assert "Your steps for BD-2026-0001" in whole
    text = whole.split("<main", 1)[1]  # the page, past the skip link
    assert "Unplug the server" in text
    assert "Phone Reliant and the DPO now" in text
    assert "report it to the ICO" not in text  # the DPO's steps are not the reporter's
    assert "Reliant: isolate" not in text  # nor IT's
    assert "Skip" not in text
    assert "Add a note" not in text
    assert "Timeline" not in text
    assert ticked.status_code == 302
    item = step(app, "unplug-network")
    assert item.state is StepState.DONE
    with app.app_context():
        assert db.session.get(User, item.state_changed_by_id).username == "sam"
    detail = sam.get(f"/incidents/{REF}").get_data(as_text=True)
    assert "Your first steps" in detail
    assert "Open your steps" in detail


def test_the_reporter_may_tick_staff_steps_and_do_nothing_else(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam, situation="attack")

    tick_dpo_step = sam.post(step_url(app, "notify-ico", "done"), form_url=CHECKLIST)
    skip = sam.post(step_url(app, "unplug-network", "skip"), {"reason": "No"}, form_url=CHECKLIST)
    note = sam.post(step_url(app, "unplug-network", "note"), {"text": "Hi"}, form_url=CHECKLIST)
    sam.post(step_url(app, "unplug-network", "done"), form_url=CHECKLIST)
    reopen = sam.post(step_url(app, "unplug-network", "reopen"), form_url=CHECKLIST)

    assert tick_dpo_step.status_code == 403
    assert step(app, "notify-ico").state is StepState.OPEN
    assert skip.status_code == 403
    assert note.status_code == 403
    assert reopen.status_code == 403
    assert step(app, "unplug-network").state is StepState.DONE
    assert step(app, "unplug-network").skip_reason is None


def test_another_member_of_staff_never_sees_someone_elses_steps(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam, situation="attack")
    jo = login_as("jo", Role.STAFF)

    page = jo.get(CHECKLIST)
    tick = jo.post(step_url(app, "unplug-network", "done"), form_url="/report/new")

    assert page.status_code == 404
    assert tick.status_code == 404
    assert step(app, "unplug-network").state is StepState.OPEN


def test_a_stolen_server_is_not_unplugged_the_step_starts_skipped_with_the_reason(app, login_as):
    sam = login_as("sam", Role.STAFF)

    first = report(sam, situation="stolen").get_data(as_text=True)

    assert "Leave the place as it is, call the police" in first
    assert "Phone Reliant and the DPO now" in first
    assert "Unplug the server" not in first
    unplug = step(app, "unplug-network")
    assert unplug.state is StepState.SKIPPED
    assert unplug.skip_reason == (
        "Not for this kind of breach. The report says: Stolen, or a break-in."
    )
    assert step(app, "report-break-in").state is StepState.OPEN
    dana = login_as("dana", Role.DPO)
    checklist = dana.get(CHECKLIST).get_data(as_text=True)
    assert "from the report" in checklist  # skipped by the report, not by a person
    assert (
        dana.post(step_url(app, "unplug-network", "reopen"), form_url=CHECKLIST).status_code == 302
    )
    assert step(app, "unplug-network").state is StepState.OPEN


def test_a_misdirected_email_gets_the_wrong_recipient_step_only(app, login_as):
    sam = login_as("sam", Role.STAFF)

    page = report(sam, situation="wrong-recipient", assets=["email"]).get_data(as_text=True)

    assert "Sent it to the wrong person?" in page
    assert "Mailbox acting strangely?" not in page


def test_a_report_that_does_not_say_what_happened_gets_every_staff_step(app, login_as):
    sam = login_as("sam", Role.STAFF)

    page = report(sam, assets=["email"]).get_data(as_text=True)

    assert "Sent it to the wrong person?" in page
    assert "Mailbox acting strangely?" in page
    assert step(app, "report-mailbox-oddity").state is StepState.OPEN
