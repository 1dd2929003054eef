"""Accessibility on the demo, checked in the browser with axe-core (vendored in vendor/).

axe checks each page against WCAG 2.2 A and AA and its best practices: text contrast of at
least 4.5:1, labels, landmarks, headings, ARIA. The keyboard checks are done by hand: the
skip link comes first, and a refused form puts the focus on its error summary.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import User
from breachdesk.services.drafts import editing as drafts
from breachdesk.services.reminders.sweep import dispatch_due
from breachdesk.timeutil import utcnow
from tests.browser.demo import LOGINS
from tests.browser.demo import demo_app

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
INCIDENT = "/incidents/BD-2026-0001"

PAGES = {
    "dpo": [
        "/incidents/",
        INCIDENT,
        f"{INCIDENT}/checklist",
        f"{INCIDENT}/assessment",
        f"{INCIDENT}/findings/new",
        f"{INCIDENT}/notices/new",
        f"{INCIDENT}/timeline",
        "/incidents/BD-2026-0003",
        "/incidents/outbox",
        "/incidents/outbox/1",
        f"{INCIDENT}/drafts/1",
        "/incidents/alerts",
        "/register/",
        "/admin/users",
        "/api/tokens",
        "/report/new",
        "/report/mine",
    ],
    "reliant": ["/incidents/assigned", INCIDENT, f"{INCIDENT}/checklist"],
    "sam": ["/report/mine", "/report/new", "/report/BD-2026-0001/first-steps", INCIDENT],
}


@pytest.fixture
def live_app(tmp_path):
    """The demo, with an ICO draft made and the reminders due queued."""
    app = demo_app(tmp_path)
    with app.app_context():
        dpo = db.session.scalar(select(User).where(User.username == "dpo"))
        incident = db.session.scalar(select(Incident).order_by(Incident.id))
        profile = app.extensions["breachdesk"].profile
        drafts.current_drafts(incident, profile, "ico", dpo, instance_path=app.instance_path)
        dispatch_due(utcnow())
    return app


@pytest.fixture
def page(chromium):
    """A phone, with axe ready on every page it opens (the page's own CSP is untouched)."""
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    context.add_init_script(path=str(AXE))
    yield context.new_page()
    context.close()


def violations(page) -> list[str]:
    """What axe finds wrong on the page, one line per rule and element."""
    result = page.evaluate(
        "rules => axe.run(document, {runOnly: {type: 'tag', values: rules}})", RULES
    )
    return [
        f"{page.url} {v['id']} ({v['impact']}): {node['target']} {node['failureSummary']}"
        for v in result["violations"]
        for node in v["nodes"]
    ]


@pytest.mark.parametrize("username", sorted(PAGES))
def test_every_page_passes_axe_with_contrast_of_at_least_4_5_to_1(desk, page, username):
    desk.sign_in(username, LOGINS[username])
    found = []
    for path in PAGES[username]:
        page.goto(desk.base_url + path)
        found += violations(page)
    assert found == []


def test_the_sign_in_page_and_a_refused_form_pass_axe(desk, page):
    page.goto(f"{desk.base_url}/auth/login")
    assert violations(page) == []
    desk.sign_in("dpo", LOGINS["dpo"])
    page.goto(desk.base_url + INCIDENT)
    page.get_by_role("button", name="Change awareness").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert violations(page) == []


def test_the_skip_link_is_the_first_stop_and_leads_to_the_main_content(desk, page):
    desk.sign_in("sam", LOGINS["sam"])
    page.goto(f"{desk.base_url}/report/new")

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the main content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")

    expect(page.get_by_label("What happened?")).to_be_focused()


def test_a_refused_form_is_announced_and_the_focus_moves_to_its_summary_then_the_field(desk, page):
    desk.sign_in("dpo", LOGINS["dpo"])
    page.goto(desk.base_url + INCIDENT)

    page.get_by_role("button", name="Change awareness").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(page).to_have_title("Error: BD-2026-0001 · ODL")
    summary.get_by_role("link", name="Say why the moment of awareness is changing.").click()
    expect(page.get_by_label("Why is it changing?")).to_be_focused()
