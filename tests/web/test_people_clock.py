"""Telling the people on the pages: ODL promises no time, Sunray Vision promises 72 hours.

UK GDPR Art. 34(1) asks for "without undue delay" and sets no hours. ODL's documents promise
none, so its pages show the time since the decision to tell, never a countdown. Sunray's
privacy notice promises customers 72 hours: that runs from awareness, is always called
Sunray's own promise, and a decision to tell too late to keep it is flagged.
"""

from __future__ import annotations

import html
import re
from datetime import UTC
from datetime import datetime

import pytest

from breachdesk.domain.vocabulary import Role
from tests.support.profiles import serve_profile
from tests.support.reminders import add_incident
from tests.support.reminders import decide
from tests.web.test_assessment_form import FACTS
from tests.web.test_reporting import report

AWARE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
REF = "BD-2026-0001"
DETAIL = f"/incidents/{REF}"
DASHBOARD = "/incidents/"
ASSESSMENT = f"/incidents/{REF}/assessment"
SUNRAY_PROMISE = "Sunray Vision's privacy notice promises to tell customers within 72 hours"


def text_of(response) -> str:
    """The page as a reader sees it: tags dropped, spaces collapsed."""
    page = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(page))


def decided_to_tell(app, decided_at: datetime) -> None:
    """An incident known at AWARE, with a decision at ``decided_at`` to tell the people."""
    with app.app_context():
        incident = add_incident(AWARE)
        decide(incident, decided_at, notify_ico=True, notify_people="yes")


def people_cell(dashboard: str) -> str:
    """The dashboard's "Telling the people" cell of the one incident listed."""
    row = re.search(r"<tbody>.*?</tbody>", dashboard, re.S).group(0)
    cell = re.findall(r"<td>.*?</td>", row, re.S)[3]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", cell)))


@pytest.mark.freeze_time("2026-11-20 15:00:00")
def test_odl_shows_the_time_since_the_decision_and_no_deadline_for_the_people(app, login_as):
    dpo = login_as("dana", Role.DPO)
    decided_to_tell(app, datetime(2026, 11, 20, 10, 0, tzinfo=UTC))

    page = text_of(dpo.get(DETAIL))
    dashboard = dpo.get(DASHBOARD).get_data(as_text=True)
    cell = people_cell(dashboard)

    said = (
        "Decided to tell the people 5 hours ago; the law asks for this without undue delay "
        "(UK GDPR Art. 34(1))."
    )
    assert said in page
    assert "Tell the people affected by" not in page
    assert "promise" not in page.lower()
    assert cell.strip() == "Decided 5 hours ago; not told yet without undue delay (Art. 34)"
    assert "The law sets no hours for telling the people affected" in text_of(dpo.get(DASHBOARD))


@pytest.mark.freeze_time("2026-11-25 15:00:00")
def test_odl_days_later_still_counts_up_and_never_says_overdue_for_the_people(app, login_as):
    dpo = login_as("dana", Role.DPO)
    decided_to_tell(app, datetime(2026, 11, 20, 10, 0, tzinfo=UTC))

    page = text_of(dpo.get(DETAIL))
    cell = people_cell(dpo.get(DASHBOARD).get_data(as_text=True))

    assert "Decided to tell the people 5 days 5 hours ago;" in page
    assert cell.strip().startswith("Decided 5 days 5 hours ago; not told yet")
    assert "overdue" not in cell.lower()
    assert "late" not in cell.lower()


@pytest.mark.freeze_time("2026-11-20 15:00:00")
def test_sunray_counts_its_own_72_hour_promise_from_awareness(app, login_as):
    serve_profile(app, "sunray")
    dpo = login_as("dana", Role.DPO)
    decided_to_tell(app, datetime(2026, 11, 20, 10, 0, tzinfo=UTC))

    page = text_of(dpo.get(DETAIL))
    dashboard = text_of(dpo.get(DASHBOARD))
    cell = people_cell(dpo.get(DASHBOARD).get_data(as_text=True))

    assert (
        f"{SUNRAY_PROMISE} of becoming aware of a breach, so by Mon 23 Nov 2026, 09:00 GMT : "
        "66 hours left"
    ) in page
    assert "This is the organisation's own promise, not a legal deadline" in page
    assert "Tell the people affected by" not in page
    assert "is already broken" not in page
    assert cell.strip() == "66 hours left by Mon 23 Nov 2026, 09:00 GMT, as Sunray Vision promises"
    own = "of becoming aware of a breach. That is Sunray Vision's own promise"
    assert f"{SUNRAY_PROMISE} {own}" in dashboard


@pytest.mark.freeze_time("2026-11-23 17:00:00")
def test_sunray_flags_a_decision_to_tell_that_comes_after_the_promise_is_broken(app, login_as):
    serve_profile(app, "sunray")
    dpo = login_as("dana", Role.DPO)
    filed = report(dpo, assets=["mailbox"], noticed_at="2026-11-20T09:00", occurred_at=None)
    assert filed.status_code == 200  # the first steps, after the redirect
    warning = (
        "The decision to tell the people came 80 hours after awareness: the 72-hour promise is "
        "already broken. Tell them now, and explain the delay in the notice."
    )

    before = text_of(dpo.get(ASSESSMENT))
    decided = dpo.post(
        ASSESSMENT,
        {
            **FACTS,
            "notify_ico": "yes",
            "notify_people": "yes",
            "notify_controller": "no",
            "override_reason": "The customers must hear of it from us.",
            "action": "decide",
        },
        form_url=ASSESSMENT,
    )
    after = text_of(dpo.get(DETAIL))

    assert "A decision now to tell the people comes 80 hours after awareness" in before
    assert decided.status_code == 302
    assert warning in after  # the flash at the decision, then the incident page's own line
    assert after.count(warning) == 2
    assert f"{SUNRAY_PROMISE} of becoming aware of a breach" in after
    again = text_of(dpo.get(DETAIL))
    assert again.count(warning) == 1  # the flash is gone; the page keeps saying it


@pytest.mark.freeze_time("2026-11-23 17:00:00")
def test_odl_has_no_promise_to_break_whenever_the_decision_comes(app, login_as):
    dpo = login_as("dana", Role.DPO)
    decided_to_tell(app, datetime(2026, 11, 23, 17, 0, tzinfo=UTC))

    page = text_of(dpo.get(DETAIL))

    assert "Decided to tell the people just now;" in page
    assert "broken" not in page
