"""The worst day, walked in a browser, for ODL and for Sunray Vision.

Staff report a breach from a phone; the DPO corrects the awareness time and assigns IT; IT
ticks the containment steps and adds a finding with a log file; the DPO accepts the
proposal, records the decision on the recommendation, drafts the ICO report, edits a
section, approves it and marks it sent with the ICO's reference; the clock stops and the
register shows it reported on time. Every page is photographed at phone and desktop width
(into docs/journey/ with `make journey`); any console error, or a page wider than the
phone, fails the test.
"""

from __future__ import annotations

import re
from datetime import datetime
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.demo import demo_app
from tests.browser.journey import DESKTOP
from tests.browser.journey import PHONE
from tests.browser.journey import Journey
from tests.browser.journey import Story
from tests.support.demo_values import without_demo_values

pytestmark = pytest.mark.browser

STORIES = {
    "odl": Story(
        profile="odl",
        reporter="sam",
        technician="reliant",
        asset="Lab server (Transactor and Sage)",
        categories=("Names, addresses, phone numbers or email addresses", "Health details"),
        description="A red screen on the lab server says all files are encrypted and asks "
        "for Bitcoin. Transactor will not open. File names on the shared drive end in .lockd.",
        awareness_reason="The night technician saw the red screen an hour before Sam reported "
        "it, and told the office manager then.",
        finding="LockBit encrypted the Transactor share at 02:10. The firewall log shows "
        "1.2 GB sent to an unknown address at 02:14.",
        copied_out="Suspected",
        log_name="firewall.log",
        log_text="2026-11-29 02:14 outbound 185.220.101.4:443 1.2 GB\n",
        new_words="Ransomware locked the files on our lab server overnight. The server holds "
        "the practices' orders and their patients' names, dates of birth and prescriptions.",
    ),
    "sunray": Story(
        profile="sunray",
        reporter="deputy",  # only the DPO and the deputy handle Sunray's data
        technician=None,  # no IT contractor: the technical steps fall to the DPO
        asset="Mailbox support@sunrayvision.co.uk (one.com)",
        categories=("Names, addresses, phone numbers or email addresses", "Health details"),
        description="The order confirmation for Mrs A's glasses went to another customer, "
        "Mr B. It showed her address and her lens prescription. Mr B emailed to tell us.",
        awareness_reason="Mr B's email arrived at 09:05, before the report was made.",
        finding="The mail log shows one message to Mr B's address at 10:02; no other "
        "recipients, no forwarding rule on the mailbox.",
        copied_out="Confirmed: data was copied out",
        log_name="maillog.txt",
        log_text="2026-11-29 10:02 to=<mr.b@example.com> status=sent (250 OK)\n",
        new_words="An order confirmation for one customer was emailed to another customer "
        "by mistake. It showed her name, delivery address, order and lens prescription.",
    ),
}


@pytest.fixture(params=sorted(STORIES))
def story(request) -> Story:
    return STORIES[request.param]


@pytest.fixture
def live_app(tmp_path, story):
    return demo_app(tmp_path, story.profile)


@pytest.fixture
def journey(chromium, live_server, story):
    walk = Journey(chromium, live_server, story)
    yield walk
    walk.close()


def test_the_worst_day_from_report_to_the_register(journey, story, tmp_path):
    reference = staff_report_from_a_phone(journey, story)
    dpo = dpo_corrects_awareness_and_assigns_it(journey, story, reference)
    it_contains_and_adds_a_finding(journey, story, reference, tmp_path)
    dpo_decides_drafts_and_sends(journey, story, reference, dpo)

    assert journey.problems == []
    assert len(journey.shots) >= 15


def staff_report_from_a_phone(journey: Journey, story: Story) -> str:
    sam = journey.sign_in(story.reporter, PHONE)
    sam.get_by_role("link", name="Report a breach").click()
    journey.shot(sam, "staff-report-form")
    sam.get_by_label("What happened?").fill(story.description)
    sam.get_by_label(story.asset).check()
    for category in story.categories:
        sam.get_by_label(category).check()
    sam.get_by_role("button", name="Send the report").click()
    expect(sam.get_by_role("heading", name="Thank you: your report is saved")).to_be_visible()
    journey.shot(sam, "staff-first-steps")
    return sam.locator("#reference").inner_text()


def dpo_corrects_awareness_and_assigns_it(journey: Journey, story: Story, reference: str):
    """The DPO on a desktop; returns their page, to come back to."""
    dpo = journey.sign_in("dpo", DESKTOP)
    journey.shot(dpo, "dpo-dashboard")
    dpo.get_by_role("link", name=reference).click()
    journey.shot(dpo, "dpo-incident")
    aware = dpo.get_by_label("Became aware at")
    an_hour_earlier = datetime.fromisoformat(aware.input_value()) - timedelta(hours=1)
    aware.fill(an_hour_earlier.strftime("%Y-%m-%dT%H:%M"))
    dpo.get_by_label("Why is it changing?").fill(story.awareness_reason)
    dpo.get_by_role("button", name="Change awareness").click()
    expect(dpo.get_by_text("Awareness changed; the deadline follows it.")).to_be_visible()
    if story.technician:
        dpo.get_by_label("IT user").select_option(index=1)
        dpo.get_by_role("button", name="Assign").click()
        expect(dpo.get_by_text("can now see this incident")).to_be_visible()
        journey.shot(dpo, "dpo-awareness-and-it", at=dpo.locator("#assignments"))
    return dpo


def it_contains_and_adds_a_finding(journey: Journey, story: Story, reference: str, tmp_path):
    it = journey.sign_in(story.technician or "dpo", DESKTOP)
    if story.technician:
        journey.shot(it, "it-assigned")
        it.get_by_role("link", name=reference).click()
    else:
        it.goto(f"{journey.base_url}/incidents/{reference}")
    it.get_by_role("link", name="Open the checklist").click()
    journey.shot(it, "it-checklist")
    worker = "IT" if story.technician else "the DPO"
    containment = it.locator("section.step-open").filter(has_text=f"Contain · for {worker}")
    ticked = 0
    while containment.count() and ticked < 10:
        step = containment.first
        step.get_by_label(re.compile("^(Record|What was done)")).fill("Done by the engineer.")
        step.get_by_role("button", name="Done, and record").click()
        expect(it.locator(".flash").first).to_contain_text("Saved:")
        ticked += 1
    assert ticked >= 1
    journey.shot(it, "it-containment-done")
    it.goto(f"{journey.base_url}/incidents/{reference}/findings/new")
    journey.shot(it, "it-finding-form")
    log = tmp_path / story.log_name
    log.write_text(story.log_text)
    it.get_by_label("What did you find?").fill(story.finding)
    it.get_by_label(story.copied_out, exact=True).check()
    it.get_by_label("Evidence files").set_input_files(str(log))
    it.get_by_role("button", name="Save the finding").click()
    expect(it.locator("code.sha256")).to_have_count(1)
    journey.shot(it, "it-finding-saved", at=it.locator("#findings"))


def dpo_decides_drafts_and_sends(journey: Journey, story: Story, reference: str, dpo):
    dpo.goto(f"{journey.base_url}/incidents/{reference}")
    proposal = dpo.locator("tr.proposal-proposed").filter(has_text="Data copied out")
    proposal.get_by_role("button", name="Accept").click()
    accepted = dpo.locator("tr.proposal-accepted").filter(has_text="Data copied out")
    expect(accepted).to_be_visible()
    journey.shot(dpo, "dpo-proposal-accepted", at=accepted)
    dpo.get_by_role("link", name=re.compile("Assess the breach|Review the assessment")).click()
    expect(dpo.locator("#recommendation")).to_contain_text("Tell the ICO")
    journey.shot(dpo, "dpo-assessment")
    questions = dpo.locator("#recommendation .open-questions")
    if questions.count():  # only while facts that would change the answer are unknown
        journey.shot(dpo, "dpo-open-questions", at=questions)
    dpo.get_by_role("button", name="Save the facts and record the decision").click()
    expect(dpo.get_by_text("Decision recorded.")).to_be_visible()
    journey.shot(dpo, "dpo-decided")

    dpo.get_by_role("button", name="Report to the ICO").click()
    journey.shot(dpo, "dpo-ico-draft")
    dpo.locator("#edit").get_by_label("What has happened", exact=True).fill(story.new_words)
    replace_demo_values(dpo.locator("#edit textarea"))
    dpo.get_by_role("button", name="Preview").click()
    expect(dpo.locator("#preview")).to_contain_text(story.new_words)
    journey.shot(dpo, "dpo-ico-draft-preview", at=dpo.locator("#preview"))
    dpo.get_by_role("button", name="Save as version 2").click()
    # Some details are still "To follow": the ICO report goes in phases, and the DPO says so.
    dpo.get_by_label(re.compile("^Report in phases")).check()
    dpo.get_by_role("button", name="Approve version 2").click()
    expect(dpo.locator("#summary")).to_contain_text("approved")
    journey.shot(dpo, "dpo-ico-draft-approved")
    dpo.get_by_label("How it was sent").fill("ICO online form")
    dpo.get_by_label("Sent to").fill("The ICO")
    dpo.get_by_label("ICO case reference").fill("IC-448120-K7Q3")
    dpo.get_by_role("button", name="Mark version 2 as sent").click()
    expect(dpo.locator("#summary")).to_contain_text("ICO case reference IC-448120-K7Q3")
    journey.shot(dpo, "dpo-ico-report-sent")

    dpo.goto(f"{journey.base_url}/incidents/{reference}")
    expect(dpo.locator(".incident-head")).to_contain_text("stopped")
    journey.shot(dpo, "dpo-clock-stopped")
    dpo.get_by_role("link", name="Register").click()
    row = dpo.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("on time")
    expect(row).not_to_contain_text("Late")
    journey.shot(dpo, "dpo-register", at=row)


def replace_demo_values(boxes) -> None:
    """Put our own words where the shipped profile still holds its DEMO examples, as the DPO
    must before the draft can be approved."""
    for i in range(boxes.count()):
        box = boxes.nth(i)
        text = box.input_value()
        if "DEMO" in text:
            box.fill(without_demo_values(text))
