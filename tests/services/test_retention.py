"""Retention: personal data in closed incidents goes when due; the register entry stays."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from breachdesk.desk import get_profile
from breachdesk.domain.retention import REMOVED_TEXT
from breachdesk.domain.retention import add_months
from breachdesk.extensions import db
from breachdesk.models import Audience
from breachdesk.models import AuditEvent
from breachdesk.models import EvidenceFile
from breachdesk.models import Finding
from breachdesk.models import NoticeRecord
from breachdesk.services import closing
from breachdesk.services import retention
from breachdesk.services.audit_check import check_chain
from breachdesk.services.evidence_storage import EvidenceFolder
from tests.support.reminders import add_incident
from tests.support.reminders import reporter

AWARE = datetime(2024, 1, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


def folder_of(app) -> EvidenceFolder:
    return EvidenceFolder.from_config(app.config)


def closed_incident(app, freezer, closed_on: str, description: str):
    freezer.move_to(closed_on)
    incident = add_incident(AWARE, description)
    incident.others_aware = "Jo at reception"
    finding = Finding(incident_id=incident.id, author_id=reporter().id, summary="Logs")
    finding.evidence = [
        EvidenceFile(
            original_name="mailbox.pst",
            stored_name=f"{incident.id:032x}",
            content_type="application/octet-stream",
            size=4,
            sha256="f" * 64,
        )
    ]
    db.session.add(finding)
    db.session.add(
        NoticeRecord(
            incident_id=incident.id,
            audience=Audience.PEOPLE,
            told_at=AWARE,
            channel="letter",
            recipient="Ann Smith, 1 High St; Bob Jones, 2 Low Rd",
            recorded_by_id=reporter().id,
        )
    )
    db.session.commit()
    folder = Path(app.config["EVIDENCE_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{incident.id:032x}").write_bytes(b"data")
    closing.close(incident, reporter(), "Contained.", "")
    return incident


def test_months_are_added_on_the_calendar():
    assert add_months(datetime(2024, 1, 31, tzinfo=UTC), 1) == datetime(2024, 2, 29, tzinfo=UTC)
    assert add_months(datetime(2024, 3, 15, tzinfo=UTC), -15) == datetime(2022, 12, 15, tzinfo=UTC)


def test_a_dry_run_lists_what_is_due_and_removes_nothing(ctx, freezer):
    old = closed_incident(ctx, freezer, "2024-02-01 12:00:00", "Ann's laptop stolen")
    closed_incident(ctx, freezer, "2025-06-01 12:00:00", "Too recent to go")
    freezer.move_to("2026-02-02 12:00:00")  # the ODL profile keeps 24 months

    result = retention.run(
        get_profile(), datetime(2026, 2, 2, 12, tzinfo=UTC), folder_of(ctx), dry_run=True
    )

    assert [d.reference for d in result.due] == [old.reference]
    assert result.due[0].evidence_files == 1
    assert db.session.get(type(old), old.id).description == "Ann's laptop stolen"
    assert (Path(ctx.config["EVIDENCE_DIR"]) / f"{old.id:032x}").exists()


def test_a_run_removes_what_is_due_and_keeps_the_register_entry(ctx, freezer):
    old = closed_incident(ctx, freezer, "2024-02-01 12:00:00", "Ann's laptop stolen")
    recent = closed_incident(ctx, freezer, "2025-06-01 12:00:00", "Too recent to go")
    now = datetime(2026, 2, 2, 12, tzinfo=UTC)
    freezer.move_to(now)

    retention.run(get_profile(), now, folder_of(ctx))

    db.session.expire_all()
    kept = db.session.get(type(old), old.id)
    assert kept.description == REMOVED_TEXT
    assert kept.others_aware == ""
    assert kept.reference == old.reference
    assert kept.closing_summary == "Contained."
    assert kept.personal_data_removed_at == now
    assert not (Path(ctx.config["EVIDENCE_DIR"]) / f"{old.id:032x}").exists()
    evidence = db.session.scalar(
        select(EvidenceFile).join(Finding).where(Finding.incident_id == old.id)
    )
    assert (evidence.sha256, evidence.removed_at) == ("f" * 64, now)
    people = db.session.scalar(select(NoticeRecord).where(NoticeRecord.incident_id == old.id))
    assert people.recipient == ""
    assert people.told_at == AWARE
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.incident_id == old.id, AuditEvent.kind == "personal-data-removed"
        )
    )
    assert event.after["evidence_files"] == 1
    assert db.session.get(type(recent), recent.id).description == "Too recent to go"
    assert check_chain().intact
    # Nothing is due twice.
    assert retention.run(get_profile(), now, folder_of(ctx)).due == []


def test_the_command_lists_and_removes(ctx, freezer):
    closed_incident(ctx, freezer, "2024-02-01 12:00:00", "Ann's laptop stolen")
    freezer.move_to("2026-02-02 12:00:00")
    runner = ctx.test_cli_runner()

    listed = runner.invoke(args=["retention", "run", "--dry-run"])
    done = runner.invoke(args=["retention", "run"])
    again = runner.invoke(args=["retention", "run"])

    assert listed.exit_code == done.exit_code == again.exit_code == 0
    assert "Would remove the personal data of BD-2024-0001" in listed.output
    assert "Removed the personal data of BD-2024-0001" in done.output
    assert "Nothing is due" in again.output
