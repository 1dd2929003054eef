"""What the ICO report says about telling the people: a promised time only where one exists."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from breachdesk.desk import get_profile
from breachdesk.services.drafts.context import build_context
from tests.support.profiles import serve_profile
from tests.support.reminders import add_incident
from tests.support.reminders import decide

AWARE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.freeze_time("2026-11-20 15:00:00")


def people_told_after_deciding_to_tell() -> str | None:
    incident = add_incident(AWARE)
    decide(incident, AWARE + timedelta(hours=1), notify_ico=True, notify_people="yes")
    return build_context(incident, get_profile()).people_told


def test_odl_tells_the_ico_only_that_the_people_will_be_told_without_undue_delay(app):
    with app.app_context():
        said = people_told_after_deciding_to_tell()

    assert said == "We will tell each person without undue delay (UK GDPR Art. 34(1))."


def test_sunray_tells_the_ico_its_own_promise_and_when_it_ends(app):
    with serve_profile(app, "sunray").app_context():
        said = people_told_after_deciding_to_tell()

    assert said == (
        "We will tell each person without undue delay (UK GDPR Art. 34(1)). Sunray Vision's "
        "privacy notice promises to tell customers within 72 hours of our becoming aware, so by "
        "Monday 23 November 2026 at 09:00 GMT."
    )
