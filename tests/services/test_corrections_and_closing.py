"""The DPO corrects a report, folds in a duplicate, closes and reopens: all kept on record."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest
from sqlalchemy import select

from breachdesk.desk import get_profile
from breachdesk.extensions import db
from breachdesk.models import AuditEvent
from breachdesk.models import IncidentAsset
from breachdesk.models import IncidentStatus
from breachdesk.services import closing
from breachdesk.services import corrections
from breachdesk.services import incidents as incident_service
from breachdesk.services.audit_check import check_chain
from breachdesk.services.reporting import ReportInput
from tests.support.reminders import add_incident
from tests.support.reminders import reporter

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

AWARE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


def as_reported(incident, **changes) -> ReportInput:
    values = {
        "description": incident.description,
        "occurred_at": incident.occurred_at,
        "noticed_at": incident.noticed_at,
        "asset_ids": tuple(incident.asset_ids),
        "data_categories": tuple(incident.data_categories),
        "data_notes": incident.data_notes,
        "people_count": incident.people_count,
        "ongoing": incident.ongoing,
        "others_aware": incident.others_aware,
    }
    return ReportInput(**(values | changes))


def reported(description: str):
    """An incident reported with the email account as the place the data was."""
    incident = add_incident(AWARE, description)
    incident.asset_rows = [IncidentAsset(asset_id="email", position=0)]
    db.session.commit()
    return incident


def events(incident, kind: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.incident_id == incident.id, AuditEvent.kind == kind)
    return list(db.session.scalars(query.order_by(AuditEvent.seq)))


def test_a_correction_keeps_the_reporters_words_and_who_changed_what_and_why(ctx):
    incident = reported("Sent the wrong file to a practise")

    changed = corrections.correct_report(
        incident,
        reporter(),
        as_reported(
            incident, description="Sent patient X-rays to the wrong practice", people_count=3
        ),
        "The practice manager confirmed what was sent.",
        get_profile(),
    )

    assert changed == ["description", "people_count"]
    assert incident.description == "Sent patient X-rays to the wrong practice"
    assert incident.original_report["description"] == "Sent the wrong file to a practise"
    (event,) = events(incident, "report-corrected")
    assert event.actor.username == "dana"
    assert event.before == {
        "description": "Sent the wrong file to a practise",
        "people_count": None,
    }
    assert event.after == {
        "description": "Sent patient X-rays to the wrong practice",
        "people_count": 3,
    }
    assert event.details["reason"] == "The practice manager confirmed what was sent."


def test_a_second_correction_keeps_the_first_original(ctx):
    incident = reported("First words")
    for words in ("Second words", "Third words"):
        corrections.correct_report(
            incident,
            reporter(),
            as_reported(incident, description=words),
            "Clearer.",
            get_profile(),
        )

    assert incident.original_report["description"] == "First words"
    assert len(events(incident, "report-corrected")) == 2


@pytest.mark.parametrize(
    ("changes", "reason", "field", "message"),
    [
        ({"description": "New"}, " ", "reason", "Say why the report is being corrected."),
        ({}, "No change", "reason", "Nothing differs from the report as it stands."),
        ({"asset_ids": ("moon-base",)}, "Wrong place", "assets", "Unknown place: 'moon-base'"),
        (
            {"noticed_at": datetime(2026, 11, 21, tzinfo=UTC)},
            "Later",
            "noticed_at",
            "cannot be in the future",
        ),
        ({"people_count": -4}, "Typo", "people_count", "Enter a number of people"),
    ],
)
def test_a_bad_correction_changes_nothing(ctx, changes, reason, field, message):
    incident = reported("As reported")
    before = incident.description

    with pytest.raises(corrections.CorrectionError) as caught:
        corrections.correct_report(
            incident, reporter(), as_reported(incident, **changes), reason, get_profile()
        )
    db.session.rollback()

    assert caught.value.field == field
    assert message in str(caught.value)
    assert incident.description == before
    assert incident.original_report is None
    assert events(incident, "report-corrected") == []


def test_a_duplicate_is_folded_in_closed_and_linked(ctx):
    standing = add_incident(AWARE, "Ransom note on the lab server")
    standing.asset_rows = [IncidentAsset(asset_id="lab-server", position=0)]
    standing.data_categories, standing.people_count = ["health"], 900
    second = add_incident(AWARE, "Cannot open Transactor, strange files")
    second.asset_rows = [IncidentAsset(asset_id="email", position=0)]
    second.data_categories, second.people_count = ["contact"], 1200
    db.session.commit()

    closing.mark_duplicate(second, reporter(), standing, "Same ransomware, seen from reception.")

    assert second.status is IncidentStatus.CLOSED
    assert second.duplicate_of_id == standing.id
    assert second.closing_summary.startswith("Duplicate of BD-2026-0001")
    assert standing.asset_ids == ["lab-server", "email"]
    assert standing.data_categories == ["health", "contact"]
    assert standing.people_count == 1200
    assert standing.is_open
    assert [i.reference for i in incident_service.open_incidents()] == ["BD-2026-0001"]
    (fold,) = events(standing, "duplicate-folded")
    assert fold.before["people_count"] == 900
    assert fold.after["people_count"] == 1200


def test_duplicates_are_refused_when_they_make_no_sense(ctx):
    first = add_incident(AWARE, "One")
    second = add_incident(AWARE, "Two")
    with pytest.raises(closing.ClosingError, match="of itself"):
        closing.mark_duplicate(first, reporter(), first, "Same")
    with pytest.raises(closing.ClosingError, match="same breach"):
        closing.mark_duplicate(second, reporter(), first, "")
    closing.mark_duplicate(second, reporter(), first, "Same laptop")
    third = add_incident(AWARE, "Three")
    with pytest.raises(closing.ClosingError, match="itself a duplicate"):
        closing.mark_duplicate(third, reporter(), second, "Same laptop")


def test_close_needs_a_summary_and_reopen_a_reason_both_kept(ctx):
    incident = add_incident(AWARE, "Lost USB stick")
    with pytest.raises(closing.ClosingError, match="Sum up"):
        closing.close(incident, reporter(), "  ", "")

    closing.close(incident, reporter(), "Found in the car park; encrypted.", "Use lanyards.")
    assert (incident.status, incident.closing_summary) == (
        IncidentStatus.CLOSED,
        "Found in the car park; encrypted.",
    )
    assert incident.lessons_learnt == "Use lanyards."
    with pytest.raises(closing.ClosingError, match="Say why"):
        closing.reopen(incident, reporter(), "")

    closing.reopen(incident, reporter(), "The stick was not the one we lost.")

    assert incident.is_open
    assert incident.closing_summary is None
    (reopened,) = events(incident, "incident-reopened")
    assert reopened.before["closing_summary"] == "Found in the car park; encrypted."
    assert reopened.details["reason"] == "The stick was not the one we lost."
    assert check_chain().intact
