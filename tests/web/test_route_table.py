"""Every route of the app against every kind of visitor, with the status each must get.

The list of routes comes from the app itself: a new route without a line here fails the
test until someone decides who may reach it.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import ChecklistItem
from breachdesk.models import DraftMerge
from breachdesk.models import EvidenceFile
from breachdesk.models import FactProposal
from breachdesk.models import User
from tests.conftest import Browser
from tests.web.test_access import assign
from tests.web.test_api import token_for
from tests.web.test_draft_pages import make
from tests.web.test_findings import LOG
from tests.web.test_findings import add
from tests.web.test_reporting import report

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

ROLES = ("signed_out", "staff", "other_staff", "it_assigned", "it_unassigned", "dpo")
LOGINS = {
    "staff": "sam",
    "other_staff": "kim",
    "it_assigned": "ian",
    "it_unassigned": "ivy",
    "dpo": "dana",
}
REF = "BD-2026-0001"

#: (method, endpoint) -> status for each of ROLES, in that order. POSTs carry a valid CSRF
#: token and no fields, so a permitted form answers 400 (nothing to save) and a one-button
#: action does its work (302) or says why not (409). Cells run route by route, so the DPO
#: finds the step the reporter ticked already done (409).
EXPECTED: dict[tuple[str, str], tuple[int, ...]] = {
    ("GET", "index"): (302, 302, 302, 302, 302, 302),
    ("GET", "admin.users"): (302, 403, 403, 403, 403, 200),
    ("POST", "admin.users"): (302, 403, 403, 403, 403, 400),
    ("GET", "admin.user"): (302, 403, 403, 403, 403, 200),
    ("POST", "admin.toggle_enabled"): (302, 403, 403, 403, 403, 302),
    ("POST", "admin.reset_password"): (302, 403, 403, 403, 403, 400),
    ("POST", "admin.roles"): (302, 403, 403, 403, 403, 400),
    ("GET", "api.docs"): (200, 200, 200, 200, 200, 200),
    ("GET", "api.list_incidents"): (401, 401, 401, 401, 401, 401),
    ("GET", "api.list_findings"): (401, 401, 401, 401, 401, 401),
    ("POST", "api.add_finding"): (401, 401, 401, 401, 401, 401),
    ("GET", "api.openapi_document"): (200, 200, 200, 200, 200, 200),
    ("GET", "api.tokens"): (302, 403, 403, 200, 200, 200),
    ("POST", "api.tokens"): (302, 403, 403, 400, 400, 400),
    ("POST", "api.revoke"): (302, 403, 403, 302, 404, 302),
    ("GET", "auth.login"): (200, 302, 302, 302, 302, 302),
    ("POST", "auth.login"): (400, 302, 302, 302, 302, 302),
    ("POST", "auth.logout"): (302, 302, 302, 302, 302, 302),
    ("GET", "auth.change_password"): (302, 200, 200, 200, 200, 200),
    ("POST", "auth.change_password"): (302, 400, 400, 400, 400, 400),
    ("GET", "health"): (200, 200, 200, 200, 200, 200),
    ("GET", "incidents.dashboard"): (302, 403, 403, 403, 403, 200),
    ("GET", "incidents.detail"): (302, 200, 404, 200, 404, 200),
    ("GET", "assessment.page"): (302, 403, 403, 403, 403, 200),
    ("POST", "assessment.submit"): (302, 403, 403, 403, 403, 400),
    ("POST", "assessment.preview"): (302, 403, 403, 403, 403, 400),
    ("POST", "assessment.confirm_count"): (302, 403, 403, 403, 403, 302),
    ("POST", "assessment.answer_vulnerable"): (302, 403, 403, 403, 403, 400),
    ("POST", "checklists.assign"): (302, 403, 403, 403, 403, 400),
    ("POST", "checklists.unassign"): (302, 403, 403, 403, 403, 400),
    ("POST", "incidents.change_awareness"): (302, 403, 403, 403, 403, 400),
    ("GET", "checklists.checklist"): (302, 200, 404, 200, 404, 200),
    ("GET", "drafts.detail"): (302, 403, 403, 403, 403, 200),
    # The shipped profile still holds DEMO values, and a draft holding one cannot be approved.
    ("POST", "drafts.approve"): (302, 403, 403, 403, 403, 409),
    ("POST", "drafts.edit"): (302, 403, 403, 403, 403, 400),
    ("GET", "drafts.export"): (302, 403, 403, 403, 403, 200),
    ("POST", "drafts.merge"): (302, 403, 403, 403, 403, 400),
    ("GET", "drafts.merge_emails"): (302, 403, 403, 403, 403, 200),
    ("GET", "drafts.merge_letters"): (302, 403, 403, 403, 403, 200),
    ("GET", "drafts.print_view"): (302, 403, 403, 403, 403, 200),
    ("POST", "drafts.rebuild"): (302, 403, 403, 403, 403, 302),
    ("POST", "drafts.mark_sent"): (302, 403, 403, 403, 403, 400),
    ("POST", "drafts.add_controller"): (302, 403, 403, 403, 403, 400),
    ("POST", "drafts.follow_up"): (302, 403, 403, 403, 403, 409),
    ("POST", "drafts.make"): (302, 403, 403, 403, 403, 400),
    ("POST", "drafts.people_summary"): (302, 403, 403, 403, 403, 400),
    ("GET", "profile.page"): (302, 403, 403, 403, 403, 200),
    ("GET", "findings.download_evidence"): (302, 404, 404, 200, 404, 200),
    ("GET", "findings.new_finding"): (302, 403, 403, 200, 404, 200),
    ("POST", "findings.new_finding"): (302, 403, 403, 400, 404, 400),
    ("GET", "clocks.record_notice"): (302, 403, 403, 403, 403, 200),
    ("POST", "clocks.record_notice"): (302, 403, 403, 403, 403, 400),
    ("GET", "findings.decide"): (302, 403, 403, 403, 403, 200),
    ("POST", "findings.decide"): (302, 403, 403, 403, 403, 400),
    ("POST", "incidents.change_status"): (302, 403, 403, 403, 403, 400),
    ("POST", "checklists.tick"): (302, 302, 404, 403, 404, 409),
    ("POST", "checklists.annotate"): (302, 403, 403, 403, 404, 400),
    ("POST", "checklists.reopen"): (302, 403, 403, 403, 404, 302),
    ("POST", "checklists.skip"): (302, 403, 403, 403, 404, 400),
    ("GET", "checklists.timeline"): (302, 403, 403, 200, 404, 200),
    ("GET", "checklists.timeline_csv"): (302, 403, 403, 200, 404, 200),
    ("GET", "checklists.timeline_markdown"): (302, 403, 403, 200, 404, 200),
    ("GET", "incidents.alerts"): (302, 200, 200, 200, 200, 200),
    ("POST", "incidents.read_alerts"): (302, 302, 302, 302, 302, 302),
    ("GET", "incidents.assigned"): (302, 403, 403, 200, 200, 403),
    ("GET", "clocks.outbox"): (302, 403, 403, 403, 403, 200),
    ("POST", "clocks.outbox_action"): (302, 403, 403, 403, 403, 404),
    ("GET", "register.index"): (302, 403, 403, 403, 403, 200),
    ("GET", "register.export_csv"): (302, 403, 403, 403, 403, 200),
    ("GET", "register.record_past"): (302, 403, 403, 403, 403, 200),
    ("POST", "register.record_past"): (302, 403, 403, 403, 403, 400),
    ("GET", "report.first_steps"): (302, 200, 404, 200, 404, 200),
    ("GET", "report.mine"): (302, 200, 200, 200, 200, 200),
    ("GET", "report.new"): (302, 200, 200, 200, 200, 200),
    ("POST", "report.new"): (302, 400, 400, 400, 400, 400),
    ("GET", "audit.index"): (302, 403, 403, 403, 403, 200),
    ("GET", "audit.check"): (302, 403, 403, 403, 403, 200),
    ("GET", "exports.register_csv"): (302, 403, 403, 403, 403, 200),
    ("GET", "exports.register_json"): (302, 403, 403, 403, 403, 200),
    ("GET", "record.correct"): (302, 403, 403, 403, 403, 200),
    ("POST", "record.correct"): (302, 403, 403, 403, 403, 400),
    ("POST", "record.duplicate"): (302, 403, 403, 403, 403, 400),
    ("POST", "record.close"): (302, 403, 403, 403, 403, 400),
    ("POST", "record.reopen"): (302, 403, 403, 403, 403, 400),
    ("GET", "record.incident_file_page"): (302, 403, 403, 403, 403, 200),
    ("GET", "stats.index"): (302, 403, 403, 403, 403, 200),
    ("GET", "static"): (200, 200, 200, 200, 200, 200),
    ("GET", "favicon"): (301, 301, 301, 301, 301, 301),  # to the SVG icon
    ("POST", "drafts.edit_sections"): (302, 403, 403, 403, 403, 400),
    # No email is queued in this world: the DPO is told so, everyone else may not ask.
    ("GET", "clocks.outbox_message"): (302, 403, 403, 403, 403, 404),
}


def world(app, login_as, make_user) -> dict[str, object]:
    """One incident reported by sam, worked by ian, with a finding, a draft and a merge."""
    sam = login_as("sam", Role.STAFF)
    report(sam)
    login_as("kim", Role.STAFF)
    ian = login_as("ian", Role.IT)
    login_as("ivy", Role.IT)
    dana = login_as("dana", Role.DPO)
    make_user("zed", Role.STAFF)
    assign(app, REF, "ian")
    assert add(ian, files=[("firewall.log", LOG)], propose_cause="malicious").status_code == 302
    draft_url = make(dana, "people")
    rows = b"name,email,address\nAnn Smith,ann@example.com,1 High St\n"
    merged = dana.post(
        f"{draft_url}/merge",
        {"recipients": (io.BytesIO(rows), "people.csv")},
        form_url=draft_url,
        content_type="multipart/form-data",
    )
    assert merged.status_code == 302
    token_for(app, "ian")
    with app.app_context():
        ids = {
            "draft_id": int(draft_url.rstrip("/").rsplit("/", 1)[1]),
            "merge_id": db.session.scalar(select(DraftMerge.id)),
            "evidence_id": db.session.scalar(select(EvidenceFile.id)),
            "proposal_id": db.session.scalar(select(FactProposal.id)),
            "item_id": db.session.scalar(select(ChecklistItem.id).order_by(ChecklistItem.id)),
            "token_id": 1,
            "message_id": 1,
            "user_id": _user_id("zed"),
        }
    return {**ids, "reference": REF, "fmt": "md", "action": "retry", "filename": "css/app.css"}


def _user_id(username: str) -> int:
    return db.session.scalar(select(User.id).where(User.username == username))


def cells(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule


def visit(app, role: str, method: str, url: str) -> int:
    browser = Browser(app)
    if role != "signed_out":
        browser.login(LOGINS[role])
    data = None
    if method != "GET":
        token = browser.token("/auth/login" if role == "signed_out" else "/auth/password")
        data = {"csrf_token": token}
    response = browser.client.open(url, method=method, data=data)
    response.close()  # downloads hold their file open until closed
    return response.status_code


def test_every_route_answers_every_role_as_expected(app, login_as, make_user):
    values = world(app, login_as, make_user)
    found, missing = {}, []
    for method, rule in cells(app):
        key = (method, rule.endpoint)
        if key not in EXPECTED:
            missing.append(key)
            continue
        url = rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]
        found[key] = tuple(visit(app, role, method, url) for role in ROLES)
    assert not missing, f"routes with no expectation: {missing}"
    assert len(found) * len(ROLES) >= 400  # every route of the app, every visitor
    wrong = {
        k: {"got": found[k], "expected": EXPECTED[k]} for k in found if found[k] != EXPECTED[k]
    }
    assert not wrong
    assert 500 not in {status for statuses in found.values() for status in statuses}
