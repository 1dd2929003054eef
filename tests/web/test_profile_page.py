"""The profile page, and the questions the profile cannot answer on the incident page."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import IncidentFacts
from tests.support.profiles import serve_profile
from tests.web.test_checklists import REF
from tests.web.test_clocks import text_of
from tests.web.test_reporting import report

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")


def test_the_dpo_sees_the_open_questions_first_and_every_count_marked(app, login_as):
    dana = login_as("dana", Role.DPO)

    page = dana.get("/profile/").get_data(as_text=True)

    assert page.index("Open questions for the DPO") < page.index("Lab server (Transactor and Sage)")
    assert "How long does Transactor keep a patient&#39;s case" in page
    assert "How far back do the Solawinds restore points go?" in page
    assert "How long does EvaStore keep ODL&#39;s boxes" in page
    assert "DEMO figure: replace it" in page
    assert "Asked for each incident." in page
    assert "Orthodontic patients are often children" in page
    assert 'the same people as "Patients of the practices"' in page  # the parcel's patient


def test_only_the_dpo_sees_the_profile_page(app, login_as):
    sam = login_as("sam", Role.STAFF)
    it = login_as("reliant", Role.IT)

    assert sam.get("/profile/").status_code == 403
    assert it.get("/profile/").status_code == 403


def test_the_dpo_confirms_the_count_and_answers_the_vulnerable_question(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam, people_count=None)  # the reporter does not know: the profile stands in
    dana = login_as("dana", Role.DPO)
    detail = f"/incidents/{REF}"

    before = dana.get(detail).get_data(as_text=True)
    confirmed = dana.post(f"{detail}/questions/count", form_url=detail)
    answered = dana.post(f"{detail}/questions/vulnerable", {"answer": "yes"}, form_url=detail)
    after = dana.get(detail).get_data(as_text=True)

    assert "an estimate\n  from our records" in before or "an estimate from our records" in before
    assert "Are any of the people children or vulnerable adults?" in before
    assert confirmed.status_code == 302
    assert answered.status_code == 302
    assert "Questions the profile cannot answer" not in after
    with app.app_context():
        row = db.session.scalar(select(IncidentFacts))
        assert not row.count_estimated
        assert not row.vulnerable_unasked
        assert row.facts["vulnerable_subjects"] is True


def test_a_bad_answer_or_a_missing_token_changes_nothing(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam, people_count=None)
    dana = login_as("dana", Role.DPO)
    detail = f"/incidents/{REF}"

    bad = dana.post(f"{detail}/questions/vulnerable", {"answer": "maybe"}, form_url=detail)
    no_token = dana.client.post(f"{detail}/questions/count")
    staff = sam.post(f"{detail}/questions/count", form_url="/report/new")

    assert bad.status_code == 400
    assert no_token.status_code == 400
    assert staff.status_code == 403
    page = dana.get(detail).get_data(as_text=True)
    assert "Confirm this number" in page
    assert "Yes, some are" in page


def test_the_profile_page_shows_the_promise_about_telling_the_people(app, login_as):
    odl_page = html.unescape(text_of(login_as("dana", Role.DPO).get("/profile/")))
    serve_profile(app, "sunray")
    sunray_page = html.unescape(text_of(login_as("clive", Role.DPO).get("/profile/")))

    assert (
        "Telling the people affected No promise beyond the law (without undue delay, Art. 34)."
        in odl_page
    )
    assert (
        "Sunray Vision's privacy notice promises to tell customers within 72 hours of becoming "
        "aware of a breach." in sunray_page
    )
    assert "the law asks only for without undue delay (UK GDPR Art. 34)" in sunray_page
    assert (
        "also promises to keep customers informed of a breach until it is put right" in sunray_page
    )
    assert "No promise beyond the law" not in sunray_page
