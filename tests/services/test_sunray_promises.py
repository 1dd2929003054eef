"""Sunray Vision as its privacy notice describes it: status updates promised, one person.

The notice promises customers that they are kept informed of a breach's status, so each
Sunray checklist carries the status-update step, reminded when it is late; ODL makes no
such promise, so its checklists do not. One person handles Sunray's data, so the demo has
no other member of staff and no IT user, and the technical steps fall to the DPO.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import select

from breachdesk.desk import get_desk
from breachdesk.desk import get_profile
from breachdesk.domain.vocabulary import Role
from breachdesk.domain.vocabulary import Situation
from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import Ongoing
from breachdesk.models import Reminder
from breachdesk.models import User
from breachdesk.services import accounts
from breachdesk.services import demo
from breachdesk.services import reporting
from breachdesk.services.checklists import runs as checklists
from breachdesk.services.reminders.plan import plan
from tests.conftest import Browser
from tests.services.test_drafts import sunray_app  # noqa: F401  (a fixture)

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def report_on(asset_id: str, situation: Situation = Situation.WRONG_RECIPIENT) -> Incident:
    reporter = accounts.create_user("clive", "clive-password-1", [Role.DPO, Role.STAFF])
    db.session.commit()
    report = reporting.ReportInput(
        description="An order confirmation went to the wrong customer.",
        occurred_at=None,
        noticed_at=NOW - timedelta(minutes=20),
        asset_ids=(asset_id,),
        data_categories=("basic_identity", "health"),
        data_notes="",
        people_count=1,
        ongoing=Ongoing.NO,
        others_aware="",
        situation=situation,
    )
    return reporting.submit_report(reporter, report, get_profile(), get_desk().playbooks).incident


def test_a_sunray_checklist_has_the_status_update_step_due_within_a_week(
    sunray_app,  # noqa: F811
):
    with sunray_app.app_context():
        found = report_on("mailbox")
        items = {item.step_id: item for item in checklists.checklist(found)}

    update = items["send-status-update"]
    assert update.role is Role.DPO
    assert update.within_minutes == 7 * 24 * 60
    assert "informed regularly" in update.body_markdown
    assert "Subject: An update on the problem with your information" in update.body_markdown


def test_odl_makes_no_such_promise_and_its_checklists_do_not_carry_the_step(app):
    with app.app_context():
        found = report_on("email")
        ids = {item.step_id for item in checklists.checklist(found)}

    assert "send-status-update" not in ids
    assert "report-wrong-recipient" in ids  # the same playbook, without the promise's step


def test_a_late_status_update_is_reminded(sunray_app, freezer):  # noqa: F811
    with sunray_app.app_context():
        found = report_on("mailbox")
        freezer.move_to(NOW + timedelta(days=7, hours=1))
        plan(NOW + timedelta(days=7, hours=1))
        keys = set(db.session.scalars(select(Reminder.key).where(Reminder.incident_id == found.id)))

    assert "step:send-status-update" in keys


def test_the_sunray_demo_has_only_the_dpo_and_a_deputy_and_the_dpo_reports(
    sunray_app,  # noqa: F811
):
    with sunray_app.app_context():
        result = demo.load_demo(get_profile())
        users = {u.username: u for u in db.session.scalars(select(User))}
        reporters = {i.reporter.username for i in db.session.scalars(select(Incident))}
        assigned = [a for i in db.session.scalars(select(Incident)) for a in i.assignments]

    assert set(users) == {"dpo", "deputy"}
    assert users["dpo"].display_name == "Clive Durham"
    assert [login.username for login in result.logins] == ["dpo", "deputy"]
    assert reporters == {"dpo"}
    assert assigned == []


def test_sunrays_technical_steps_are_labelled_for_the_dpo(sunray_app):  # noqa: F811
    with sunray_app.app_context():
        demo.load_demo(get_profile())
    browser = Browser(sunray_app)
    browser.login("dpo", "dpo-demo-password")

    page = browser.get("/incidents/BD-2026-0002/checklist").get_data(as_text=True)

    assert "for the DPO (no IT contractor)" in page
    assert "for IT" not in page


def demo_checklists() -> dict[str, dict[str, str]]:
    """Each demo incident's checklist: step id to the title the DPO reads."""
    demo.load_demo(get_profile())
    return {
        found.reference: {item.step_id: item.title for item in checklists.checklist(found)}
        for found in db.session.scalars(select(Incident).order_by(Incident.id))
    }


def test_sunray_is_the_controller_of_all_its_data_so_no_checklist_tells_dental_practices(
    sunray_app,  # noqa: F811
):
    with sunray_app.app_context():
        found = demo_checklists()

    assert len(found) == 3
    for steps in found.values():
        assert "tell-people" in steps  # its own duty to its customers stays
        assert "tell-practices" not in steps
        assert not [title for title in steps.values() if "practice" in title.lower()]


def test_odl_holds_patients_data_for_the_practices_so_its_checklists_tell_them(app):
    with app.app_context():
        found = demo_checklists()

    told = "Tell the dental practices whose patients are affected, without undue delay"
    # The ransomware (lab server), the parcel and the email all touch the patients' data.
    for reference in ("BD-2026-0001", "BD-2026-0002", "BD-2026-0004"):
        assert found[reference]["tell-practices"] == told
