"""What an IT contractor may do: their assigned incidents' technical steps, and nothing else."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import AuditEvent
from breachdesk.models import ChecklistItem
from breachdesk.models import Incident
from breachdesk.models import IncidentAssignment
from breachdesk.models import StepState
from breachdesk.models import User
from tests.web.test_reporting import report

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

MINE = "BD-2026-0001"
OTHER = "BD-2026-0002"
INCIDENT_PAGES = ("", "/checklist", "/timeline", "/timeline.md", "/timeline.csv")
#: Blueprints an IT user has no business in, whatever routes they come to hold.
DPO_ONLY_BLUEPRINTS = ("register", "drafts", "assessment", "admin")


@pytest.fixture
def desk(app, login_as):
    """Two lab-server incidents; the IT user is assigned to the first only."""
    sam = login_as("sam", Role.STAFF)
    report(sam, description="First: ransom note on the lab server.")
    report(sam, description="Second: ransom note again.")
    dpo = login_as("dana", Role.DPO)
    it = login_as("reliant", Role.IT)
    with app.app_context():
        it_id = db.session.scalar(select(User.id).where(User.username == "reliant"))
    detail = f"/incidents/{MINE}"
    assert dpo.post(f"{detail}/assignments", {"user": str(it_id)}, form_url=detail).status_code
    return {"dpo": dpo, "it": it, "sam": sam, "it_id": it_id}


def item_of(app, reference: str, role: Role) -> ChecklistItem:
    """The first step of ``role`` on the incident called ``reference``."""
    with app.app_context():
        item = db.session.scalar(
            select(ChecklistItem)
            .join(Incident, Incident.id == ChecklistItem.incident_id)
            .where(Incident.reference == reference, ChecklistItem.role == role)
            .order_by(ChecklistItem.position)
        )
        db.session.expunge(item)
        return item


def test_an_unassigned_incident_is_not_found_on_any_page(app, desk):
    for page in INCIDENT_PAGES:
        assert desk["it"].get(f"/incidents/{OTHER}{page}").status_code == 404, page
        assert desk["it"].get(f"/incidents/{MINE}{page}").status_code == 200, page


def test_steps_of_an_unassigned_incident_cannot_be_touched(app, desk):
    item = item_of(app, OTHER, Role.IT)
    data = {"reason": "Not needed.", "text": "A note."}
    for action in ("done", "skip", "reopen", "note"):
        url = f"/incidents/{OTHER}/steps/{item.id}/{action}"
        response = desk["it"].post(url, data, form_url=f"/incidents/{MINE}/checklist")
        assert response.status_code == 404, action
    with app.app_context():
        assert db.session.get(ChecklistItem, item.id).state is StepState.OPEN
        assert not db.session.scalar(select(AuditEvent).where(AuditEvent.kind.like("step%")))


def test_assigned_it_ticks_technical_steps_but_not_the_dpos(app, desk):
    it_step = item_of(app, MINE, Role.IT)
    dpo_step = item_of(app, MINE, Role.DPO)
    form = f"/incidents/{MINE}/checklist"

    ok = desk["it"].post(f"/incidents/{MINE}/steps/{it_step.id}/done", form_url=form)
    refused = desk["it"].post(f"/incidents/{MINE}/steps/{dpo_step.id}/done", form_url=form)
    note = desk["it"].post(
        f"/incidents/{MINE}/steps/{dpo_step.id}/note", {"text": "x"}, form_url=form
    )

    assert ok.status_code == 302
    assert refused.status_code == 403
    assert note.status_code == 403
    with app.app_context():
        assert db.session.get(ChecklistItem, it_step.id).state is StepState.DONE
        assert db.session.get(ChecklistItem, dpo_step.id).state is StepState.OPEN
        assert db.session.get(ChecklistItem, dpo_step.id).notes == []


def test_it_sees_only_the_technical_steps(app, desk):
    page = desk["it"].get(f"/incidents/{MINE}/checklist").get_data(as_text=True)
    detail = desk["it"].get(f"/incidents/{MINE}").get_data(as_text=True)

    assert "Reliant: isolate the server" in page
    assert "Record the assessment" not in page  # a DPO step
    assert "Unplug the server" not in page  # a staff step
    with app.app_context():
        query = select(ChecklistItem.id).where(ChecklistItem.role == Role.IT)
        it_steps = len(db.session.scalars(query).all()) // 2  # two identical incidents
    assert f"0 of {it_steps} steps done" in detail
    assert "IT working on this incident" not in detail  # the assignment panel is the DPO's


def test_it_cannot_assign_or_unassign_anyone(app, desk):
    detail = f"/incidents/{MINE}"
    it_id = desk["it_id"]

    assign = desk["it"].post(f"{detail}/assignments", {"user": str(it_id)}, form_url=detail)
    unassign = desk["it"].post(f"{detail}/assignments/{it_id}/remove", form_url=detail)

    assert assign.status_code == 403
    assert unassign.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(IncidentAssignment.user_id)) == it_id


def test_it_lists_only_its_own_incidents_and_has_no_dashboard(app, desk):
    listing = desk["it"].get("/incidents/assigned").get_data(as_text=True)

    assert MINE in listing
    assert OTHER not in listing
    assert desk["it"].get("/incidents/").status_code == 403
    assert desk["it"].get("/admin/users").status_code == 403


def test_it_never_sees_who_reported_or_the_dpos_work_in_the_timeline(app, desk):
    dpo_step = item_of(app, MINE, Role.DPO)
    it_step = item_of(app, MINE, Role.IT)
    form = f"/incidents/{MINE}/checklist"
    desk["dpo"].post(f"/incidents/{MINE}/steps/{dpo_step.id}/done", form_url=form)
    desk["it"].post(f"/incidents/{MINE}/steps/{it_step.id}/done", form_url=form)

    for page in ("/timeline", "/timeline.md", "/timeline.csv"):
        text = desk["it"].get(f"/incidents/{MINE}{page}").get_data(as_text=True)
        assert it_step.title.split(":")[0] in text
        assert dpo_step.title not in text
        assert "Suspected breach reported" in text
        assert "reliant assigned" not in text  # the DPO's own work on the incident
        assert "sam" not in text  # who reported it
    full = desk["dpo"].get(f"/incidents/{MINE}/timeline").get_data(as_text=True)
    assert dpo_step.title in full
    assert "reliant assigned" in full
    assert "sam" in full


def test_unassigning_takes_everything_away_at_once(app, desk):
    detail = f"/incidents/{MINE}"
    remove = f"{detail}/assignments/{desk['it_id']}/remove"
    assert desk["dpo"].post(remove, form_url=detail).status_code == 302

    for page in INCIDENT_PAGES:
        assert desk["it"].get(f"{detail}{page}").status_code == 404
    assert MINE not in desk["it"].get("/incidents/assigned").get_data(as_text=True)


def _fill(rule) -> dict[str, object]:
    """Values for a route's arguments: the assigned incident, 1 for numbers, else "x"."""
    values: dict[str, object] = {}
    for name in rule.arguments:
        number = isinstance(rule._converters[name], IntegerConverter)
        values[name] = MINE if name == "reference" else 1 if number else "x"
    return values


def test_no_dpo_only_page_answers_an_assigned_it_user(app, desk):
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in DPO_ONLY_BLUEPRINTS
    ]
    detail = f"/incidents/{MINE}"
    for rule in rules:
        url = rule.build(_fill(rule), append_unknown=False)[1]
        if "GET" in rule.methods:
            assert desk["it"].get(url).status_code in (403, 404), url
        if "POST" in rule.methods:
            assert desk["it"].post(url, {}, form_url=detail).status_code in (403, 404), url
