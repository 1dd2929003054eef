"""The assessment page in the browser: the decision buttons follow the live recommendation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_findings_journey import file_report

pytestmark = pytest.mark.browser


def test_decision_buttons_left_alone_follow_the_recommendation_and_chosen_ones_stay(desk, page):
    reference = file_report(desk, page)
    desk.sign_in("dana", "dana-password-1")
    page.goto(f"{desk.base_url}/incidents/{reference}/assessment")
    decision = page.locator("fieldset", has=page.get_by_text("Your decision", exact=True))
    tell_ico = decision.locator("fieldset", has=page.get_by_text("Tell the ICO?"))
    expect(tell_ico.get_by_label("Yes")).to_be_checked()

    # No personal data at all: not a personal data breach, so nobody is to be told.
    ticked = page.locator("input[name=data_categories]:checked")
    while ticked.count():
        ticked.first.uncheck()

    expect(page.locator("#recommendation")).to_contain_text("No personal data was involved")
    expect(tell_ico.get_by_label("No")).to_be_checked()
    expect(page.locator("#decision-differs")).to_have_text("")

    tell_ico.get_by_label("Yes").check()  # the DPO decides otherwise
    page.get_by_label("Not at all").check()  # and changes another fact
    expect(page.locator("#decision-differs")).to_contain_text("telling the ICO")
    expect(tell_ico.get_by_label("Yes")).to_be_checked()
