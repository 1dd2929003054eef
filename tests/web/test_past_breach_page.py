"""The DPO records a breach noticed more than a year ago: in the register with the reason,
shown as recorded late, with no countdown; others may not, and bad input changes nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func
from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Incident

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

PAGE = "/register/past"
WHY = "Found in an old file during the November audit."
GOOD = {
    "reason": WHY,
    "description": "A box of 2023 job sheets was left in the skip behind the lab.",
    "noticed_at": "2024-03-04T10:00",
    "occurred_at": "2024-03-01T09:00",
    "assets": ["paper-records"],
    "data_categories": ["basic_identity", "health"],
    "people_count": "120",
}


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def recorded(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Incident))


def test_the_dpo_records_a_past_breach_and_it_shows_as_recorded_late(app, login_as):
    dpo = login_as("dana", Role.DPO)

    form = dpo.get(PAGE)
    saved = dpo.post(PAGE, GOOD)
    incident_page = text_of(dpo.get(saved.headers["Location"]))
    register_page = text_of(dpo.get("/register/"))

    assert form.status_code == 200
    assert "Record a past breach" in text_of(form)
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith("/incidents/BD-2026-0001")
    assert "BD-2026-0001 is in the register, recorded late: no deadlines run." in incident_page
    assert "stopped: recorded late Fri 20 Nov 2026, 12:00 GMT" in incident_page
    assert "overdue by" not in incident_page
    assert WHY in incident_page  # in its history
    assert "record a past breach" in register_page
    assert f"Recorded late: {WHY}" in register_page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reason": ""}, "Say why it is recorded only now."),
        ({"reason": "   "}, "Say why it is recorded only now."),
        ({"noticed_at": "2026-02-01T09:00"}, "That is within the last year: report it with"),
        ({"noticed_at": "2027-01-01T09:00"}, "cannot be in the future"),
        ({"noticed_at": "1999-06-01T09:00", "occurred_at": ""}, "Check the year"),
        ({"noticed_at": ""}, "Give the date it was noticed"),
        ({"occurred_at": "2024-03-05T09:00"}, "It cannot have happened after it was noticed"),
        ({"assets": ["the-moon"]}, "Choose at least one place from the list."),
        ({"people_count": "lots"}, "Enter a number"),
    ],
)
def test_bad_input_gets_a_message_keeps_the_typing_and_saves_nothing(
    app, login_as, changes, message
):
    dpo = login_as("dana", Role.DPO)

    response = dpo.post(PAGE, {**GOOD, **changes})

    assert response.status_code == 400
    page = text_of(response)
    assert message in page
    assert "Nothing has been saved yet." in page
    assert GOOD["description"] in page  # what was typed is still there
    assert recorded(app) == 0


def test_a_post_without_the_form_token_is_refused(app, login_as):
    dpo = login_as("dana", Role.DPO)

    response = dpo.client.post(PAGE, data=GOOD)

    assert response.status_code == 400
    assert recorded(app) == 0


@pytest.mark.parametrize("role", [Role.STAFF, Role.IT])
def test_only_the_dpo_records_a_past_breach(app, login_as, role):
    someone = login_as("someone", role)

    assert someone.get(PAGE).status_code == 403
    assert someone.post(PAGE, GOOD, form_url="/report/new").status_code == 403
    assert recorded(app) == 0
