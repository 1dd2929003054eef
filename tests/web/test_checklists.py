"""Running a playbook from the browser: ticking, skipping, notes, overdue steps, assignment."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from breachdesk.domain.playbooks import parse_playbook
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import AuditEvent
from breachdesk.models import ChecklistItem
from breachdesk.models import ChecklistNote
from breachdesk.models import Incident
from breachdesk.models import Notification
from breachdesk.models import StepState
from breachdesk.models import User
from breachdesk.services.checklists import runs as checklists
from tests.conftest import REPO
from tests.web.test_reporting import report

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

REF = "BD-2026-0001"
CHECKLIST = f"/incidents/{REF}/checklist"
LAB_SERVER = REPO / "playbooks" / "lab-server.md"
#: Every step of the shipped lab-server playbook, the checklist a report on it starts.
STEPS = len(parse_playbook(LAB_SERVER.read_text(encoding="utf-8"), str(LAB_SERVER))[0].steps)


def step(app, step_id: str) -> ChecklistItem:
    with app.app_context():
        item = db.session.scalar(select(ChecklistItem).where(ChecklistItem.step_id == step_id))
        db.session.expunge(item)
        return item


def user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def step_url(app, step_id: str, action: str) -> str:
    return f"/incidents/{REF}/steps/{step(app, step_id).id}/{action}"


@pytest.fixture
def dpo(app, login_as):
    """The DPO, with one lab-server incident reported by a member of staff."""
    sam = login_as("sam", Role.STAFF)
    assert report(sam).status_code == 200
    return login_as("dana", Role.DPO)


def test_a_report_starts_the_checklist_and_the_dpo_sees_it(app, dpo):
    page = dpo.get(CHECKLIST).get_data(as_text=True)

    assert "Unplug the server" in page
    assert f"0 of {STEPS} steps done" in page
    detail = dpo.get(f"/incidents/{REF}").get_data(as_text=True)
    assert f"0 of {STEPS} steps done" in detail
    assert "Open the checklist" in detail


def test_the_dpo_ticks_a_step_and_who_and_when_show(app, dpo):
    response = dpo.post(step_url(app, "record-assessment", "done"), form_url=CHECKLIST)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("#summary")  # the done step folds away
    item = step(app, "record-assessment")
    assert item.state is StepState.DONE
    page = dpo.get(CHECKLIST).get_data(as_text=True)
    assert f"1 of {STEPS} steps done" in page
    assert "by dana, Fri 20 Nov 2026, 12:00 GMT" in page


def test_skipping_without_a_reason_is_refused_beside_the_field_and_changes_nothing(app, dpo):
    response = dpo.post(step_url(app, "call-reliant", "skip"), {"reason": "  "}, form_url=CHECKLIST)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    item = step(app, "call-reliant")
    assert f'id="reason-{item.id}-error">Say why this step is being skipped.' in page
    assert item.state is StepState.OPEN
    with app.app_context():
        assert not db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "step-skipped"))


def test_a_skip_with_a_reason_is_kept_and_shown(app, dpo):
    url = step_url(app, "unplug-network", "skip")
    response = dpo.post(url, {"reason": "The server was stolen."}, form_url=CHECKLIST)

    assert response.status_code == 302
    assert step(app, "unplug-network").skip_reason == "The server was stolen."
    assert "The server was stolen." in dpo.get(CHECKLIST).get_data(as_text=True)


def test_a_done_step_is_reopened_and_cannot_be_ticked_twice(app, dpo):
    done = step_url(app, "notify-ico", "done")
    dpo.post(done, form_url=CHECKLIST)

    twice = dpo.post(done, form_url=CHECKLIST)
    assert twice.status_code == 409
    assert "reopen it first" in twice.get_data(as_text=True)
    assert dpo.post(step_url(app, "notify-ico", "reopen"), form_url=CHECKLIST).status_code == 302
    assert step(app, "notify-ico").state is StepState.OPEN


def test_notes_are_kept_with_their_author_and_shown_escaped(app, dpo):
    url = step_url(app, "call-reliant", "note")
    empty = dpo.post(url, {"text": ""}, form_url=CHECKLIST)
    assert empty.status_code == 400
    assert "Write the note before adding it." in empty.get_data(as_text=True)

    dpo.post(url, {"text": "Ticket <script>alert(1)</script> 4411"}, form_url=CHECKLIST)

    page = dpo.get(CHECKLIST).get_data(as_text=True)
    assert "Ticket &lt;script&gt;alert(1)&lt;/script&gt; 4411" in page
    assert "<script>alert(1)" not in page
    with app.app_context():
        note = db.session.scalar(select(ChecklistNote))
        assert note.author.username == "dana"


def test_a_step_change_without_the_csrf_token_is_refused(app, dpo):
    response = dpo.client.post(step_url(app, "notify-ico", "done"), data={})
    assert response.status_code == 400
    assert step(app, "notify-ico").state is StepState.OPEN


def test_a_step_of_another_incident_is_not_found(app, dpo, login_as):
    sam = login_as("kim", Role.STAFF)
    report(sam, assets=["email"])
    with app.app_context():
        other = db.session.scalar(
            select(ChecklistItem)
            .join(Incident, Incident.id == ChecklistItem.incident_id)
            .where(Incident.reference == "BD-2026-0002")
        )
    url = f"/incidents/{REF}/steps/{other.id}/done"
    assert dpo.post(url, form_url=CHECKLIST).status_code == 404


def test_overdue_steps_stand_out_once_past_how_soon(app, dpo, freezer):
    assert 'class="panel step step-open overdue"' not in dpo.get(CHECKLIST).get_data(as_text=True)

    freezer.move_to("2026-11-20 12:16:00")

    page = dpo.get(CHECKLIST).get_data(as_text=True)
    unplug = page.split('id="step-unplug-network"')[0].rsplit("<section", 1)[1]
    assert "overdue" in unplug
    detail = dpo.get(f"/incidents/{REF}").get_data(as_text=True)
    assert "overdue</span>" in detail
    assert 'class="overdue"' in detail


def test_the_report_stands_when_the_checklist_cannot_start(app, login_as, make_user, monkeypatch):
    make_user("dana", Role.DPO)
    sam = login_as("sam", Role.STAFF)

    def broken(*args, **kwargs):
        raise RuntimeError("playbook store unavailable")

    monkeypatch.setattr(checklists, "start_checklists", broken)
    response = report(sam)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert REF in page
    assert "The checklist could not be started; the DPO has been told." in page
    with app.app_context():
        assert db.session.scalar(select(Incident.reference)) == REF
        messages = db.session.scalars(select(Notification.message))
        assert any("could not be started" in m for m in messages)
        assert db.session.scalar(select(ChecklistItem)) is None


def test_the_dpo_opening_an_incident_with_no_checklist_starts_it(app, login_as, monkeypatch):
    sam = login_as("sam", Role.STAFF)
    original = checklists.start_checklists
    monkeypatch.setattr(checklists, "start_checklists", lambda *a, **k: 1 / 0)
    report(sam)
    monkeypatch.setattr(checklists, "start_checklists", original)
    dana = login_as("dana", Role.DPO)

    page = dana.get(f"/incidents/{REF}").get_data(as_text=True)

    assert f"0 of {STEPS} steps done" in page


def test_staff_see_only_their_own_steps_of_their_own_report(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam)
    page = sam.get(CHECKLIST)
    assert page.status_code == 200
    assert "Your steps for" in page.get_data(as_text=True)
    detail = sam.get(f"/incidents/{REF}").get_data(as_text=True)
    assert "Open the checklist" not in detail
    assert "Open your steps" in detail


def test_the_dpo_assigns_and_unassigns_an_it_user(app, dpo, login_as):
    it = login_as("reliant", Role.IT)
    it_id = user_id(app, "reliant")
    detail = f"/incidents/{REF}"
    assert "reliant" in dpo.get(detail).get_data(as_text=True)
    assert it.get(detail).status_code == 404

    assert (
        dpo.post(f"{detail}/assignments", {"user": str(it_id)}, form_url=detail).status_code == 302
    )
    assert it.get(detail).status_code == 200
    remove = f"{detail}/assignments/{it_id}/remove"
    assert dpo.post(remove, form_url=detail).status_code == 302
    assert it.get(detail).status_code == 404


def test_assigning_someone_who_is_not_it_is_refused_with_a_message(app, dpo):
    sam_id = user_id(app, "sam")
    detail = f"/incidents/{REF}"

    response = dpo.post(f"{detail}/assignments", {"user": str(sam_id)}, form_url=detail)

    assert response.status_code == 400
    assert "Only an active IT user can be assigned" in response.get_data(as_text=True)
    bad = dpo.post(f"{detail}/assignments", {"user": "nobody"}, form_url=detail)
    assert bad.status_code == 400
    assert "Choose an IT user from the list." in bad.get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "assigned"))


def test_done_and_record_is_one_action_that_keeps_the_note_with_the_step(app, dpo):
    url = step_url(app, "call-reliant", "done")

    response = dpo.post(
        url, {"text": "Reliant ticket 4411, engineer on the way."}, form_url=CHECKLIST
    )

    assert response.status_code == 302
    item = step(app, "call-reliant")
    assert item.state is StepState.DONE
    with app.app_context():
        notes = db.session.scalars(select(ChecklistNote.text)).all()
        kinds = db.session.scalars(select(AuditEvent.kind)).all()
    assert notes == ["Reliant ticket 4411, engineer on the way."]
    assert kinds.count("step-done") == 1
    assert kinds.count("step-note") == 1
    page = dpo.get(CHECKLIST).get_data(as_text=True)
    finished = page.split('id="finished"', 1)[1]
    assert "Reliant ticket 4411" in finished


def test_a_note_too_long_leaves_the_step_open_and_is_summarised_at_the_top(app, dpo):
    url = step_url(app, "call-reliant", "done")

    response = dpo.post(url, {"text": "x" * 5001}, form_url=CHECKLIST)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    item = step(app, "call-reliant")
    assert f'<a href="#done-{item.id}">Keep a note under 5000 characters.</a>' in page
    assert item.state is StepState.OPEN
    with app.app_context():
        assert db.session.scalar(select(ChecklistNote)) is None


def test_the_steps_to_do_come_first_most_urgent_first_and_the_summary_names_the_next(
    app, dpo, freezer
):
    dpo.post(step_url(app, "record-assessment", "done"), form_url=CHECKLIST)
    freezer.move_to("2026-11-20 12:16:00")  # unplugging the server is now overdue

    page = dpo.get(CHECKLIST).get_data(as_text=True)

    summary = page.split('id="summary"', 1)[1].split("</section>", 1)[0]
    assert 'Next: <a href="#step-unplug-network">' in summary
    assert "overdue by 1 minute" in summary
    assert "ICO deadline" in summary
    to_do, finished = page.split('id="finished"', 1)
    steps = re.findall(r'<section class="panel step step-open[^"]*" id="step-([^"]+)"', to_do)
    assert steps[0] == "unplug-network"
    assert "record-assessment" not in steps
    assert 'id="step-record-assessment"' in finished
    assert '<details class="finished panel" id="finished">' in page  # folded away, closed
