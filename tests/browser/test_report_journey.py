"""A staff member reports a breach on a phone; the DPO sees it on the dashboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_staff_reports_a_breach_and_the_dpo_sees_it_on_the_dashboard(desk, page):
    desk.sign_in("sam", "sam-password-1")
    page.get_by_role("link", name="Report a breach").click()
    page.get_by_label("What happened?").fill(
        "A ransom note is on the lab server; Transactor will not open."
    )
    page.get_by_label("When did you notice it?").fill("2026-01-05T09:30")
    page.get_by_label("Lab server (Transactor and Sage)").check()
    page.get_by_label("Health details: prescriptions, treatment plans, clinical photos").check()
    page.get_by_label("Roughly how many people's data?").fill("6000")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Send the report").click()

    reference = page.locator("#reference")
    expect(reference).to_have_text(re.compile(r"BD-\d{4}-0001"))
    expect(page.get_by_text("Do these things now")).to_be_visible()
    ref = reference.inner_text()
    page.reload()  # a reload after sending must not file the breach a second time
    expect(page.locator("#reference")).to_have_text(ref)
    desk.sign_out()

    desk.sign_in("dana", "dana-password-1")
    page.get_by_role("link", name="Dashboard").click()
    row = page.get_by_role("row").filter(has_text=ref)
    expect(row).to_be_visible()
    expect(row).to_contain_text("overdue by")  # noticed in January: long past 72 hours
    expect(page.get_by_role("link", name=re.compile(r"BD-\d{4}-0002"))).to_have_count(0)
    page.get_by_role("link", name="Alerts").click()
    expect(page.get_by_text(f"New suspected breach {ref}")).to_be_visible()
