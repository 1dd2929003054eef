"""What every page shares: a skip link and landmarks, an icon, and errors summarised at the top."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Incident
from tests.web.test_draft_pages import approve_ico_report
from tests.web.test_reporting import report

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

REF = "BD-2026-0001"
INCIDENT = f"/incidents/{REF}"


def summary_links(page: str) -> list[tuple[str, str]]:
    """The (target id, message) pairs of the page's error summary, in order."""
    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)


@pytest.fixture
def dpo(app, login_as):
    staff = login_as("sam", Role.STAFF)
    report(staff)
    return login_as("dana", Role.DPO)


def test_the_icon_is_served_to_anyone_so_browsers_log_no_missing_file(app, browser):
    answer = browser.get("/favicon.ico")
    assert answer.status_code == 301
    with browser.get(answer.headers["Location"]) as icon:
        assert icon.status_code == 200
        assert icon.mimetype == "image/svg+xml"
    page = browser.get("/auth/login").get_data(as_text=True)
    # Written into the page itself: showing a page costs no second request for its icon.
    assert '<link rel="icon" type="image/svg+xml" href="data:image/svg+xml,%3Csvg' in page


def test_the_first_link_skips_to_the_main_content_and_the_landmarks_are_there(app, dpo):
    page = dpo.get(INCIDENT).get_data(as_text=True)
    body = page.split("<body>", 1)[1]
    first_link = re.search(r"<a [^>]*>[^<]*</a>", body).group(0)
    assert 'href="#main"' in first_link
    assert "Skip to the main content" in first_link
    assert '<main id="main"' in page
    assert "<header" in page
    assert '<nav aria-label="Main">' in page
    assert "<footer" in page


def test_a_refused_awareness_change_is_summarised_at_the_top_and_linked_to_its_field(app, dpo):
    with app.app_context():
        before = db.session.scalar(select(Incident.aware_at))
    response = dpo.post(
        f"{INCIDENT}/awareness", {"aware_at": "2026-11-20T10:00", "reason": ""}, form_url=INCIDENT
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    main = page.split("<main", 1)[1]
    # The summary comes before anything else on the page, the form far below it.
    assert main.index('id="error-summary"') < main.index("What was reported")
    opening = re.search(r'<div class="error-summary"[^>]*>', main).group(0)
    assert 'role="alert"' in opening
    assert 'tabindex="-1"' in opening
    assert summary_links(page) == [("reason", "Say why the moment of awareness is changing.")]
    assert 'id="reason"' in page
    with app.app_context():
        assert db.session.scalar(select(Incident.aware_at)) == before


def test_a_refused_mark_as_sent_is_summarised_at_the_top_with_one_link_per_answer(app, dpo):
    url = dpo.post(f"{INCIDENT}/drafts/make", {"group": "ico"}, form_url=INCIDENT)
    url = url.headers["Location"]
    assert approve_ico_report(app, dpo, url).status_code == 302

    response = dpo.post(f"{url}/sent", {"sent_at": "2026-11-20T11:30"}, form_url=url)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert page.index('id="error-summary"') < page.index("Copy a section")
    assert summary_links(page) == [
        ("channel", "Say how it was sent."),
        ("sent_to", "Say who it was sent to."),
    ]


def test_a_choice_question_links_to_its_first_choice(app, login_as):
    staff = login_as("sam", Role.STAFF)
    response = report(staff, description="", assets=None)
    links = dict(summary_links(response.get_data(as_text=True)))
    assert links["description"] == "Tell us what happened, even in a few words."
    assert all(target != "assets" for target in links)  # a list of boxes is reached by its first
