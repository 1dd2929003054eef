"""The register exported whole: every field an auditor asks for, in CSV and JSON, streamed."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import event

from breachdesk.desk import get_profile
from breachdesk.extensions import db
from breachdesk.models import Assessment
from breachdesk.models import ChecklistItem
from breachdesk.models import IncidentAsset
from breachdesk.models import StepState
from breachdesk.services import register_export
from breachdesk.services import register_formats
from breachdesk.services.notices import record_notice
from tests.support.reminders import add_incident
from tests.support.reminders import reporter

AWARE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
NOW = AWARE + timedelta(days=10)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


def notified_incident():
    """A ransomware incident: decided, the ICO told late with reasons, people told, a step done."""
    incident = add_incident(AWARE, "=Ransom note on the lab server")
    incident.asset_rows = [IncidentAsset(asset_id="lab-server", position=0)]
    incident.data_categories = ["health", "contact"]
    incident.people_count = 1200
    db.session.add(
        Assessment(
            incident_id=incident.id,
            decided_at=AWARE + timedelta(hours=5),
            decided_by_id=reporter().id,
            facts={},
            recommendation={"reasons": [{"text": "Health data of many patients."}]},
            engine_version="test",
            risk="high",
            notify_ico=True,
            notify_people="yes",
        )
    )
    db.session.add(
        ChecklistItem(
            incident_id=incident.id,
            playbook_id="lab-server",
            step_id="isolate",
            position=1,
            phase="contain",
            title="Unplug the server from the network",
            role="it",
            state=StepState.DONE,
        )
    )
    db.session.commit()
    late = AWARE + timedelta(hours=80)
    record_notice(
        incident, "ico", late, "ICO-778", "online form", "ICO", "Backups took time.", reporter()
    )
    soon = AWARE + timedelta(hours=50)
    record_notice(incident, "people", soon, None, "letter", "patients", None, reporter())
    return incident


def records():
    return list(register_export.iter_records(get_profile(), NOW))


def test_a_record_holds_what_the_regulator_asks_for(ctx):
    notified_incident()
    add_incident(AWARE + timedelta(days=1), "Email to the wrong practice")

    first, second = records()

    assert first["reference"] == "BD-2026-0001"
    assert first["assets"] == ["Lab server (Transactor and Sage)"]
    assert first["what_happened"] == "=Ransom note on the lab server"
    assert first["people_affected"] == 1200
    assert "Health" in " ".join(first["data_categories"])
    assert first["aware_at"] == "2026-11-20T09:00:00+00:00"
    assert first["ico_deadline"] == "2026-11-23T09:00:00+00:00"
    assert (first["risk"], first["notify_ico"], first["notify_people"]) == ("high", True, "yes")
    assert first["decision_reasons"] == ["Health data of many patients."]
    assert first["decided_by"] == "Dana"
    assert [(n["audience"], n["reference"]) for n in first["notices"]] == [
        ("people affected", None),
        ("ICO", "ICO-778"),
    ]
    assert first["notices"][1]["told_at"] == "2026-11-23T17:00:00+00:00"
    assert first["late"] is True
    assert first["delay_reasons"] == "Backups took time."
    assert first["remedial_action"] == ["Unplug the server from the network"]
    assert second["risk"] is None
    assert second["notices"] == []


def test_the_csv_shows_uk_times_and_defuses_formulas(ctx):
    notified_incident()

    text = "".join(register_formats.export_csv(records()))
    header, row = list(csv.reader(io.StringIO(text)))

    line = dict(zip(header, row, strict=True))
    assert line["Reference"] == "BD-2026-0001"
    assert line["What happened"] == "'=Ransom note on the lab server"
    assert line["ICO deadline"] == "Mon 23 Nov 2026, 09:00 GMT"
    assert line["Notices sent"] == (
        "people affected told Sun 22 Nov 2026, 11:00 GMT by letter; "
        "ICO told Mon 23 Nov 2026, 17:00 GMT by online form, ref. ICO-778"
    )
    assert line["Late"] == "yes"
    assert line["Remedial action"] == "Unplug the server from the network"


def test_the_json_is_one_document_with_the_audit_head(ctx):
    notified_incident()
    header = register_export.export_header(get_profile(), NOW)

    document = json.loads("".join(register_formats.export_json(records(), header)))

    assert document["incident_count"] == 1
    assert document["audit_trail_head"]["seq"] >= 1
    assert [r["reference"] for r in document["incidents"]] == ["BD-2026-0001"]


def test_an_empty_register_is_still_valid_json_and_csv(ctx):
    assert json.loads("".join(register_formats.export_json([], {}))) == {"incidents": []}
    assert "".join(register_formats.export_csv([])).startswith("Reference,Status,")


def test_the_export_reads_in_batches_with_a_fixed_number_of_queries_each(ctx):
    for n in range(12):
        add_incident(AWARE + timedelta(hours=n), f"Incident {n}")
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        small = list(register_export.iter_records(get_profile(), NOW, batch=4))
        per_three_batches = len(statements)
        statements.clear()
        large = list(register_export.iter_records(get_profile(), NOW, batch=12))
        one_batch = len(statements)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)

    assert len(small) == len(large) == 12
    # Three batches and the empty read that ends them, against one batch and its end.
    assert per_three_batches - 1 == 3 * (one_batch - 1)
