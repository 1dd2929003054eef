"""Input that once gave a 500: each is now a clear 4xx, and nothing changes."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func
from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import DraftMerge
from breachdesk.models import DraftVersion
from breachdesk.models import Incident
from tests.web.test_api import FINDING
from tests.web.test_api import FINDINGS
from tests.web.test_api import call
from tests.web.test_api import nothing_written
from tests.web.test_api import setup  # noqa: F401  (a fixture)
from tests.web.test_draft_pages import make
from tests.web.test_findings import add
from tests.web.test_findings import nothing_saved
from tests.web.test_findings import people  # noqa: F401  (a fixture)
from tests.web.test_reporting import report

# Both databases: each refuses out-of-range integers and odd text its own way.
BACKENDS = ("sqlite", "postgres")

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

REF = "BD-2026-0001"
HUGE = "99999999999999999999"

API_BODIES = [
    ('{"summary": ' + "[" * 50_000 + "]" * 50_000 + "}", "nested deeper"),
    ('{"summary": "' + "[" * 9 + "x" + "]" * 9 + '"}', None),  # brackets in text are text
    ('{"summary": "\\ud800 in the log"}', "lone surrogate"),
    ('{"summary": "a NUL \\u0000 here"}', "NUL character"),
    ('{"summary": "x", "proposals": {"subjects_count": ' + "9" * 5000 + "}}", "too long"),
    ('{"summary": "x", "proposals": {"subjects_count": 10000000000000}}', "at most"),
    ('{"summary": "x", "proposals": {"availability.outage_hours": 1e300}}', "at most"),
    ('{"summary": "x", "indicators": [[[[[[[[["deep"]]]]]]]]]}', "nested deeper"),
]


@pytest.mark.parametrize(("body", "message"), API_BODIES)
def test_the_api_answers_odd_json_with_a_400_and_saves_nothing(app, setup, body, message):  # noqa: F811
    response = call(app, "POST", FINDINGS, setup["ian"], body)
    if message is None:
        assert response.status_code == 201
        return
    assert response.status_code == 400
    assert message in response.get_json()["error"]
    nothing_written(app)


def test_a_proposed_count_too_large_is_refused_on_the_form(app, people):  # noqa: F811
    response = add(people["ian"], propose_subjects_count="10000000000000")
    assert response.status_code == 400
    assert "at most 1,000,000,000" in response.get_data(as_text=True)
    nothing_saved(app)


@pytest.fixture
def dpo(app, login_as):
    report(login_as("sam", Role.STAFF))
    return login_as("dana", Role.DPO)


def test_ids_beyond_the_database_range_find_nothing(app, dpo):
    draft = make(dpo, "people")
    pages = [
        f"/admin/users/{HUGE}",
        f"/incidents/{REF}/drafts/{HUGE}",
        f"{draft}/merges/{HUGE}/letters",
        f"/incidents/{REF}/evidence/{HUGE}",
        f"/incidents/{REF}/proposals/{HUGE}",
        f"/admin/users/{'9' * 5000}",
    ]
    for url in pages:
        assert dpo.get(url).status_code == 404, url
    actions = [
        f"/incidents/{REF}/steps/{HUGE}/done",
        f"/api/tokens/{HUGE}/revoke",
        f"/admin/users/{HUGE}/enabled",
        f"/incidents/{REF}/assignments/{HUGE}/remove",
    ]
    token = dpo.token(f"/incidents/{REF}")
    for url in actions:
        assert dpo.client.post(url, data={"csrf_token": token}).status_code == 404, url


def test_a_line_break_in_sent_to_is_refused_so_the_email_export_keeps_working(app, dpo):
    url = make(dpo, "staff")
    dpo.post(f"{url}/approve", {}, form_url=url)
    fields = {"sent_at": "2026-11-20T11:30", "channel": "email"}
    response = dpo.post(
        f"{url}/sent", {**fields, "sent_to": "staff\r\nBcc: all@evil.example"}, form_url=url
    )
    assert response.status_code == 400
    assert "on one line" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(DraftVersion.sent_at)) is None
    assert dpo.get(f"{url}/export.eml").status_code == 200


def merge(dpo, url: str, rows: bytes):
    return dpo.post(
        f"{url}/merge",
        {"recipients": (io.BytesIO(rows), "people.csv")},
        form_url=url,
        content_type="multipart/form-data",
    )


def merges(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(DraftMerge))


def test_a_line_break_in_a_mail_merge_name_is_refused(app, dpo):
    url = make(dpo, "people")
    rows = b'name,email,address\n"Ann\r\nBcc: all@evil.example",ann@example.com,\n'
    response = merge(dpo, url, rows)
    assert response.status_code == 400
    assert "line 2: put the name on one line" in response.get_data(as_text=True)
    assert merges(app) == 0


def test_a_mail_merge_has_a_ceiling_with_a_message(app, dpo):
    url = make(dpo, "people")
    line = b"Ann Smith,ann@example.com,1 High St\n"
    response = merge(dpo, url, b"name,email,address\n" + line * 1001)
    assert response.status_code == 400
    assert "line 1002: a file holds at most 1,000 people" in response.get_data(as_text=True)
    assert merges(app) == 0
    assert merge(dpo, url, b"name,email,address\n" + line * 1000).status_code == 302


def test_a_nul_character_in_a_form_is_refused_with_a_message(app, login_as):
    staff = login_as("sam", Role.STAFF)
    response = report(staff, description="The printer\x00 sent it to the wrong practice.")
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Incident)) == 0


def test_api_bodies_of_plain_text_still_work(app, setup):  # noqa: F811
    assert call(app, "POST", FINDINGS, setup["ian"], FINDING).status_code == 201
