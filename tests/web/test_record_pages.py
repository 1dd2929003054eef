"""The DPO's corrections, duplicates, closing and reopening, as pages and forms."""

from __future__ import annotations

import pytest

from breachdesk.domain.vocabulary import Role
from tests.web.test_reporting import GOOD_REPORT
from tests.web.test_reporting import report

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

URL = "/incidents/BD-2026-0001"
CORRECTION = {
    "description": "Ransomware on the lab server; Transactor encrypted.",
    "noticed_at": "2026-11-20T11:40",
    "occurred_at": "2026-11-20T11:00",
    "assets": ["lab-server"],
    "data_categories": ["basic_identity", "health"],
    "people_count": "6500",
    "reason": "Reliant counted the cases on the server.",
}


@pytest.fixture
def reported(app, login_as):
    """Sam reports; Dana, the DPO, is signed in: (sam, dana)."""
    sam = login_as("sam", Role.STAFF)
    report(sam)
    return sam, login_as("dana", Role.DPO)


def test_the_correction_form_starts_from_the_report_as_it_stands(reported):
    _, dpo = reported
    page = dpo.get(f"{URL}/correct").get_data(as_text=True)
    assert GOOD_REPORT["description"] in page
    assert 'value="2026-11-20T11:40"' in page
    assert 'value="6000"' in page


def test_a_correction_shows_beside_the_reporters_own_words(reported):
    sam, dpo = reported

    response = dpo.post(f"{URL}/correct", CORRECTION)

    assert response.status_code == 302
    page = dpo.get(URL).get_data(as_text=True)
    assert "Ransomware on the lab server; Transactor encrypted." in page
    assert "The reporter's original words" in page
    assert GOOD_REPORT["description"] in page
    assert "Reliant counted the cases on the server." in page
    assert "<del>6000</del>" in page
    # The reporter sees what the DPO changed in their report, and their own words.
    assert GOOD_REPORT["description"] in sam.get(URL).get_data(as_text=True)


def test_a_correction_without_a_reason_changes_nothing(reported):
    _, dpo = reported

    response = dpo.post(f"{URL}/correct", {**CORRECTION, "reason": ""})

    assert response.status_code == 400
    assert "Say why the report is being corrected." in response.get_data(as_text=True)
    assert GOOD_REPORT["description"] in dpo.get(URL).get_data(as_text=True)
    assert "original words" not in dpo.get(URL).get_data(as_text=True)


def test_only_the_dpo_corrects_closes_or_marks_duplicates(reported):
    sam, _ = reported
    assert sam.get(f"{URL}/correct").status_code == 403
    for action in ("close", "reopen", "duplicate"):
        assert sam.post(f"{URL}/{action}", {}, form_url=URL).status_code == 403


def test_close_and_reopen_from_the_incident_page(reported):
    _, dpo = reported

    refused = dpo.post(f"{URL}/close", {"summary": "", "lessons": ""}, form_url=URL)
    closed = dpo.post(
        f"{URL}/close",
        {"summary": "Restored from backup; ICO told.", "lessons": "Patch the VPN faster."},
        form_url=URL,
    )

    assert refused.status_code == 400
    assert "Sum up how the incident ended" in refused.get_data(as_text=True)
    assert closed.status_code == 302
    page = dpo.get(URL).get_data(as_text=True)
    assert "Restored from backup; ICO told." in page
    assert "Patch the VPN faster." in page
    assert "BD-2026-0001" not in dpo.get("/incidents/").get_data(as_text=True)
    reopened = dpo.post(f"{URL}/reopen", {"reason": "The backup was infected too."}, form_url=URL)
    assert reopened.status_code == 302
    assert "BD-2026-0001" in dpo.get("/incidents/").get_data(as_text=True)
    assert "The backup was infected too." in dpo.get(URL).get_data(as_text=True)


def test_a_duplicate_leaves_the_dashboard_and_both_link_to_each_other(reported):
    sam, dpo = reported
    report(sam, description="Transactor shows a ransom message at reception.")
    second = "/incidents/BD-2026-0002"

    unknown = dpo.post(
        f"{second}/duplicate", {"of_reference": "BD-2026-0099", "reason": "x"}, form_url=second
    )
    marked = dpo.post(
        f"{second}/duplicate",
        {"of_reference": "bd-2026-0001", "reason": "The same attack, seen at reception."},
        form_url=second,
    )

    assert unknown.status_code == 400
    assert "There is no incident BD-2026-0099." in unknown.get_data(as_text=True)
    assert marked.status_code == 302
    assert "Duplicate of" in dpo.get(second).get_data(as_text=True)
    dashboard = dpo.get("/incidents/").get_data(as_text=True)
    assert "BD-2026-0001" in dashboard
    assert "BD-2026-0002" not in dashboard
    assert 'href="/incidents/BD-2026-0002"' in dpo.get(URL).get_data(as_text=True)
    register = dpo.get("/register/").get_data(as_text=True)
    assert "BD-2026-0001" in register
    assert "BD-2026-0002" in register
