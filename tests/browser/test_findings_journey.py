"""IT ticks a step and adds a finding with a file; the DPO accepts the proposed fact change."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from breachdesk.extensions import db
from breachdesk.models import IncidentFacts
from breachdesk.models import User
from breachdesk.services import incidents as incident_service
from breachdesk.services.checklists import assignments

pytestmark = pytest.mark.browser


def assign_reliant(app, reference: str) -> None:
    with app.app_context():
        dpo = db.session.scalar(select(User).where(User.username == "dana"))
        reliant = db.session.scalar(select(User).where(User.username == "reliant"))
        incident = incident_service.find_visible(dpo, reference)
        assignments.assign(incident, reliant, dpo)
        db.session.commit()


def file_report(desk, page) -> str:
    desk.sign_in("sam", "sam-password-1")
    page.get_by_role("link", name="Report a breach").click()
    page.get_by_label("What happened?").fill("Ransom note on the lab server.")
    page.get_by_label("When did you notice it?").fill("2026-01-05T09:30")
    page.get_by_label("Lab server (Transactor and Sage)").check()
    page.get_by_role("button", name="Send the report").click()
    reference = page.locator("#reference").inner_text()
    desk.sign_out()
    return reference


def test_it_ticks_a_step_adds_a_finding_and_the_dpo_accepts_the_change(
    desk, page, live_app, tmp_path
):
    reference = file_report(desk, page)
    assign_reliant(live_app, reference)
    log = tmp_path / "firewall.log"
    log.write_text("2026-01-05 02:14 outbound 185.220.101.4:443 1.2 GB\n")

    desk.sign_in("reliant", "reliant-password-1")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("link", name="Open the checklist").click()
    first_step = page.locator("section.step").first
    title = first_step.locator("h3").inner_text()
    first_step.get_by_role("button", name="Done, and record").click()
    expect(page.locator("#finished li").filter(has_text=title)).to_contain_text("Done")

    page.goto(f"{desk.base_url}/incidents/{reference}")
    page.get_by_role("link", name="Add a finding").click()
    page.get_by_label("What did you find?").fill("Outbound transfer of 1.2 GB at 02:14.")
    page.get_by_label("Confirmed: data was copied out").check()
    page.get_by_label("Evidence files").set_input_files(str(log))
    page.get_by_role("button", name="Save the finding").click()
    expect(page.locator("code.sha256")).to_have_count(1)
    desk.sign_out()

    desk.sign_in("dana", "dana-password-1")
    page.goto(f"{desk.base_url}/incidents/{reference}")
    proposal = page.locator("tr.proposal-proposed").filter(has_text="Data copied out")
    proposal.get_by_role("button", name="Accept").click()
    expect(page.locator("tr.proposal-accepted").filter(has_text="Data copied out")).to_be_visible()
    with live_app.app_context():
        facts = db.session.scalars(select(IncidentFacts)).one().facts
    assert facts["exfiltration"] == "confirmed"
