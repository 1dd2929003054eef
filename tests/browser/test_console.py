"""The browser console stays clean: the journeys fail on any error, CSP violations included."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

pytestmark = pytest.mark.browser


def test_the_console_check_sees_a_content_security_policy_violation(desk, console_errors):
    desk.sign_in("sam", "sam-password-1")
    with pytest.raises(PlaywrightError, match="Content Security Policy"):
        desk.page.add_script_tag(content="document.title = 'injected'")  # inline: refused

    assert desk.page.title() != "injected"
    assert any("Content Security Policy" in text for text in console_errors)
    console_errors.clear()  # seen and expected: the page fixture checks the rest


def test_every_page_of_a_sign_in_is_free_of_console_errors(desk, console_errors):
    desk.sign_in("dana", "dana-password-1")
    for path in ("/incidents/", "/register/", "/incidents/alerts", "/api/tokens", "/report/new"):
        desk.page.goto(desk.base_url + path)
        desk.page.wait_for_load_state()
    assert console_errors == []
