"""Checklists as services: the frozen copy, shared steps, step changes, progress, assignment."""

from __future__ import annotations

import shutil
from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy import func
from sqlalchemy import select

from breachdesk.desk import get_desk
from breachdesk.desk import load_desk
from breachdesk.domain.playbooks import merge_checklists
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import AuditEvent
from breachdesk.models import ChecklistItem
from breachdesk.models import Incident
from breachdesk.models import IncidentStatus
from breachdesk.models import Notification
from breachdesk.models import Ongoing
from breachdesk.models import PlaybookRun
from breachdesk.models import StepState
from breachdesk.models import User
from breachdesk.services import accounts
from breachdesk.services import demo
from breachdesk.services import reporting
from breachdesk.services.checklists import assignments
from breachdesk.services.checklists import runs as checklists
from breachdesk.services.checklists import steps as checklist_steps

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

SHIPPED = Path(__file__).resolve().parents[2] / "playbooks"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def file_report(reporter: User, *assets: str) -> Incident:
    """Save a report the way the report form does, which starts its checklist."""
    report = reporting.ReportInput(
        description="The lab server shows a ransom note.",
        occurred_at=None,
        noticed_at=NOW,
        asset_ids=assets,
        data_categories=("health",),
        data_notes="",
        people_count=None,
        ongoing=Ongoing.UNKNOWN,
        others_aware="",
    )
    desk = get_desk()
    return reporting.submit_report(reporter, report, desk.profile, desk.playbooks).incident


@pytest.fixture
def ctx(app):
    """An app context with a DPO, an IT user and a staff member."""
    with app.app_context():
        people = {
            "dpo": accounts.create_user("dana", "dana-password-1", [Role.DPO]),
            "it": accounts.create_user("reliant", "reliant-password-1", [Role.IT]),
            "staff": accounts.create_user("sam", "sam-password-1", [Role.STAFF]),
        }
        db.session.commit()
        yield people


def test_opening_an_incident_copies_its_playbook_and_starts_each_step_at_the_report(ctx):
    incident = file_report(ctx["staff"], "lab-server")

    items = checklists.checklist(incident)
    runs = checklists.runs(incident)
    library_steps = get_desk().playbooks.get("lab-server").steps
    assert [run.playbook_id for run in runs] == ["lab-server"]
    assert runs[0].snapshot["steps"][0]["id"] == library_steps[0].id
    assert {item.step_id for item in items} == {step.id for step in library_steps}
    assert all(item.started_at == incident.reported_at for item in items)
    assert all(item.state is StepState.OPEN for item in items)
    unplug = next(item for item in items if item.step_id == "unplug-network")
    assert unplug.role is Role.STAFF
    assert unplug.within_minutes == 15


def test_starting_twice_adds_nothing(ctx):
    incident = file_report(ctx["staff"], "lab-server")
    desk = get_desk()

    again = checklists.start_checklists(incident, desk.playbooks, desk.profile)

    assert len(again) == db.session.scalar(select(func.count()).select_from(ChecklistItem))
    assert db.session.scalar(select(func.count()).select_from(PlaybookRun)) == 1


def test_two_assets_give_two_copies_and_one_checklist_with_shared_steps_once(ctx):
    incident = file_report(ctx["staff"], "lab-server", "backups")
    library = get_desk().playbooks
    expected = merge_checklists([library.get("lab-server"), library.get("backups")])
    both = len(library.get("lab-server").steps) + len(library.get("backups").steps)

    items = checklists.checklist(incident)

    assert {run.playbook_id for run in checklists.runs(incident)} == {"lab-server", "backups"}
    assert [item.step_id for item in items] == [step.id for step in expected]
    assert len(items) < both  # the shared steps (assess, notify, lessons) are there once
    assert len({item.step_id for item in items}) == len(items)


def test_not_sure_runs_the_general_playbook(ctx):
    incident = file_report(ctx["staff"], "not-sure")
    assert [run.playbook_id for run in checklists.runs(incident)] == ["general"]


def test_a_later_edit_of_the_playbook_file_never_rewrites_the_incidents_checklist(
    app, ctx, tmp_path
):
    copy = tmp_path / "playbooks"
    shutil.copytree(SHIPPED, copy)
    app.config["PLAYBOOKS_DIR"] = str(copy)
    app.extensions["breachdesk"] = load_desk(app)
    incident = file_report(ctx["staff"], "lab-server")
    before = [(i.step_id, i.title, i.body_markdown) for i in checklists.checklist(incident)]

    shipped_version = checklists.runs(incident)[0].version
    path = copy / "lab-server.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("Unplug the server's network cable.", "Rewritten title.")
    text = text.replace(f"version: {shipped_version}", f"version: {int(shipped_version) + 1}")
    path.write_text(text + "\n### new-step: A step added later\n- Who: dpo\n", encoding="utf-8")
    app.extensions["breachdesk"] = load_desk(app)
    desk = get_desk()
    assert "Rewritten" in desk.playbooks.get("lab-server").steps[0].title  # the file changed
    checklists.start_checklists(incident, desk.playbooks, desk.profile)

    after = [(i.step_id, i.title, i.body_markdown) for i in checklists.checklist(incident)]
    assert after == before
    assert checklists.runs(incident)[0].version == shipped_version


def test_skipping_without_a_reason_is_refused_and_changes_nothing(ctx):
    incident = file_report(ctx["staff"], "lab-server")
    item = checklists.checklist(incident)[0]
    events = len(incident.events)

    with pytest.raises(checklist_steps.ChecklistError) as refused:
        checklist_steps.skip(incident, item, ctx["dpo"], "   ")

    assert refused.value.field == "reason"
    db.session.expire_all()
    assert item.state is StepState.OPEN
    assert item.skip_reason is None
    assert len(incident.events) == events


def test_each_change_keeps_who_and_when_and_writes_the_trail(ctx, freezer):
    incident = file_report(ctx["staff"], "lab-server")
    item = checklists.checklist(incident)[0]
    freezer.tick(60)

    checklist_steps.tick(incident, item, ctx["dpo"])
    assert item.state is StepState.DONE
    assert item.state_changed_by_id == ctx["dpo"].id
    assert item.state_changed_at == datetime(2026, 11, 20, 12, 1, tzinfo=UTC)
    checklist_steps.reopen(incident, item, ctx["dpo"])
    checklist_steps.skip(incident, item, ctx["dpo"], "The server was stolen: nothing to unplug.")
    checklist_steps.annotate(incident, item, ctx["dpo"], "Police crime reference 123.")

    assert item.skip_reason.startswith("The server was stolen")
    assert [note.text for note in item.notes] == ["Police crime reference 123."]
    kinds = [e.kind for e in incident.events if e.kind.startswith("step")]
    assert kinds == ["step-done", "step-reopened", "step-skipped", "step-note"]
    assert all(e.details["step_id"] == item.step_id for e in incident.events if e.kind in kinds)


def test_a_step_already_done_cannot_be_ticked_again(ctx):
    incident = file_report(ctx["staff"], "lab-server")
    item = checklists.checklist(incident)[0]
    checklist_steps.tick(incident, item, ctx["dpo"])

    with pytest.raises(checklist_steps.ChecklistError, match="reopen it first"):
        checklist_steps.tick(incident, item, ctx["dpo"])
    assert sum(e.kind == "step-done" for e in incident.events) == 1


def test_it_works_only_technical_steps_and_only_when_assigned(ctx):
    incident = file_report(ctx["staff"], "lab-server")
    items = checklists.checklist(incident)
    it_step = next(i for i in items if i.role is Role.IT)
    dpo_step = next(i for i in items if i.role is Role.DPO)

    with pytest.raises(checklist_steps.StepNotAllowed):
        checklist_steps.tick(incident, it_step, ctx["it"])
    assignments.assign(incident, ctx["it"], ctx["dpo"])
    checklist_steps.tick(incident, it_step, ctx["it"])
    with pytest.raises(checklist_steps.StepNotAllowed):
        checklist_steps.tick(incident, dpo_step, ctx["it"])
    with pytest.raises(checklist_steps.StepNotAllowed):
        checklist_steps.tick(incident, dpo_step, ctx["staff"])
    assert checklists.steps_visible_to(ctx["it"], incident) == [
        i for i in items if i.role is Role.IT
    ]
    # The reporter sees the staff steps they were told to do first, and no others.
    assert checklists.steps_visible_to(ctx["staff"], incident) == [
        i for i in items if i.role is Role.STAFF
    ]


def test_overdue_steps_are_open_steps_past_how_soon(ctx, freezer):
    incident = file_report(ctx["staff"], "lab-server")
    items = checklists.checklist(incident)
    fifteen = [i for i in items if i.within_minutes == 15]

    assert checklists.progress_for([incident])[incident.id].overdue == 0
    freezer.tick(15 * 60)
    assert checklists.progress_for([incident])[incident.id].overdue == 0  # due, not yet late
    freezer.tick(1)
    assert checklists.progress_for([incident])[incident.id].overdue == len(fifteen)
    checklist_steps.tick(incident, fifteen[0], ctx["dpo"])
    progress = checklists.progress_for([incident])[incident.id]
    assert progress.overdue == len(fifteen) - 1
    assert progress.words == f"1 of {len(items)} steps done"


def test_progress_for_many_incidents_is_one_query(app, ctx):
    incidents = [file_report(ctx["staff"], asset) for asset in ("lab-server", "email", "parcels")]
    checklist_steps.tick(incidents[1], checklists.checklist(incidents[1])[0], ctx["dpo"])
    incidents = list(db.session.scalars(select(Incident).order_by(Incident.id)))  # the dashboard's
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        progress = checklists.progress_for(incidents)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)

    assert len(statements) == 1
    assert progress[incidents[1].id].done == 1
    assert progress[incidents[0].id].done == 0
    assert progress[incidents[2].id].total == len(checklists.checklist(incidents[2]))


def test_only_the_dpo_assigns_and_only_it_users(ctx):
    incident = file_report(ctx["staff"], "lab-server")

    with pytest.raises(assignments.AssignmentNotAllowed):
        assignments.assign(incident, ctx["it"], ctx["it"])
    with pytest.raises(assignments.AssignmentError):
        assignments.assign(incident, ctx["staff"], ctx["dpo"])
    assignments.assign(incident, ctx["it"], ctx["dpo"])
    with pytest.raises(assignments.AssignmentError, match="already"):
        assignments.assign(incident, ctx["it"], ctx["dpo"])
    assignments.unassign(incident, ctx["it"], ctx["dpo"])

    assert incident.assigned_user_ids() == set()
    assert [e.kind for e in incident.events][-2:] == ["assigned", "unassigned"]


def test_a_failed_start_tells_every_dpo(ctx):
    incident = file_report(ctx["staff"], "lab-server")

    checklists.report_start_failure(incident)

    notes = db.session.scalars(select(Notification).where(Notification.user_id == ctx["dpo"].id))
    assert any("could not be started" in note.message for note in notes)
    assert db.session.scalar(select(AuditEvent.kind).where(AuditEvent.kind == "checklist-failed"))


def test_the_demo_has_a_fresh_a_half_done_and_a_finished_checklist(app):
    with app.app_context():
        demo.load_demo(get_desk().profile)
        incidents = list(db.session.scalars(select(Incident).order_by(Incident.id)))
        progress = checklists.progress_for(incidents)

        by_status = {i.status: progress[i.id] for i in incidents}
        assert by_status[IncidentStatus.REPORTED].done == 0  # only the theft step is skipped
        assert 0 < by_status[IncidentStatus.TRIAGE].done < by_status[IncidentStatus.TRIAGE].total
        closed = by_status[IncidentStatus.CLOSED]
        # Every step is finished: done, or skipped with the reason (a staff step written
        # for another kind of breach than the misdirected email).
        assert closed.finished == closed.total > 0
        assert 0 < closed.skipped < closed.done
