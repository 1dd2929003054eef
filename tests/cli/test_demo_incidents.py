"""`breachdesk demo --incidents N`: many realistic incidents, in the state the services keep."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select

from breachdesk.desk import get_desk
from breachdesk.extensions import db
from breachdesk.models import AuditEvent
from breachdesk.models import ChecklistItem
from breachdesk.models import Incident
from breachdesk.models import IncidentStatus
from breachdesk.models import IncidentTally
from breachdesk.models import NoticeRecord
from breachdesk.models import Reminder
from breachdesk.models import User
from breachdesk.models.base import RECHECK
from breachdesk.services import incident_lists
from breachdesk.services import reporting
from breachdesk.services import stored_clocks
from breachdesk.services.incident_lists import IncidentFilter
from breachdesk.services.list_pages import Position
from breachdesk.services.reminders import sweep as reminders
from breachdesk.timeutil import utcnow

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

STORED = (Incident.deadline_at, Incident.clocks_stopped, Incident.notify_ico)


def stored_columns() -> dict[int, tuple]:
    rows = db.session.execute(select(Incident.id, *STORED)).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def test_demo_adds_many_incidents_of_every_kind_in_the_services_steady_state(app):
    result = app.test_cli_runner().invoke(args=["demo", "--incidents", "60"])

    assert result.exit_code == 0, result.output
    assert "Added 60 incidents" in result.output
    with app.app_context():
        query = select(Incident.status, func.count()).group_by(Incident.status)
        statuses = {status: count for status, count in db.session.execute(query)}
        assert set(statuses) == set(IncidentStatus)
        open_share = 1 - statuses[IncidentStatus.CLOSED] / sum(statuses.values())
        assert 0.6 < open_share < 0.9  # three in four open
        ages = db.session.scalars(select(Incident.aware_at)).all()
        assert max(ages) - min(ages) > timedelta(days=2 * 365)  # spread over three years
        without_steps = select(Incident.id).where(
            ~Incident.id.in_(select(ChecklistItem.incident_id))
        )
        assert db.session.scalars(without_steps).all() == []
        assert db.session.scalar(select(func.count()).select_from(NoticeRecord)) > 0
        assert db.session.scalar(select(func.count()).select_from(Reminder)) > 0

        # The stored clocks are what the services compute from the rows.
        seeded = stored_columns()
        stored_clocks.refresh(db.session, list(seeded))
        assert stored_columns() == seeded
        db.session.rollback()

        # The sweep finds nothing to do for the seeded incidents: the reminders due are sent,
        # and each incident waits for its next one.
        demo_ids = set(db.session.scalars(select(Incident.id).order_by(Incident.id).limit(4)))
        reminders.dispatch_due(utcnow())
        looked_at = db.session.scalars(
            select(Reminder.incident_id).where(Reminder.created_at == utcnow())
        ).all()
        assert set(looked_at) <= demo_ids
        assert (
            db.session.scalar(select(func.count()).where(Incident.next_reminder_at == RECHECK)) == 0
        )


def test_a_report_after_the_seeding_takes_a_fresh_reference(app):
    app.test_cli_runner().invoke(args=["demo", "--incidents", "30"])

    with app.app_context():
        sam = db.session.scalar(select(User).where(User.username == "sam"))
        desk = get_desk()
        report = reporting.ReportInput(
            description="A new one.",
            occurred_at=None,
            noticed_at=utcnow(),
            asset_ids=("email",),
            data_categories=(),
            data_notes="",
            people_count=None,
            ongoing="no",
            others_aware="",
        )
        reported = reporting.submit_report(sam, report, desk.profile, desk.playbooks)
        new_reference = reported.incident.reference
        references = db.session.scalars(select(Incident.reference)).all()
    assert len(references) == len(set(references)) == 35
    assert new_reference.startswith("BD-2026-")


def test_demo_incidents_needs_a_positive_count(app):
    result = app.test_cli_runner().invoke(args=["demo", "--incidents", "0"])

    assert result.exit_code != 0
    assert "0 is not in the range" in result.output


def test_the_bulk_demo_history_joins_the_audit_chain(app):
    from breachdesk.services.audit_check import check_chain

    app.test_cli_runner().invoke(args=["demo", "--incidents", "40"])

    with app.app_context():
        report = check_chain()
        reported = db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.kind == "reported")
        )
    assert report.intact, report.problem
    assert reported >= 40


def test_the_bulk_incidents_are_in_the_tally_and_the_word_search(app):
    result = app.test_cli_runner().invoke(args=["demo", "--incidents", "60"])

    assert result.exit_code == 0, result.output
    with app.app_context():
        counted = select(Incident.status, Incident.clocks_stopped, func.count()).group_by(
            Incident.status, Incident.clocks_stopped
        )
        by_hand = {(status, stopped): n for status, stopped, n in db.session.execute(counted)}
        tally = db.session.scalars(select(IncidentTally)).all()
        kept = {(t.status, t.clocks_stopped): t.incidents for t in tally if t.incidents}
        assert kept == by_hand
        words = select(Incident.reference).where(Incident.description.contains("parcel"))
        with_parcel = set(db.session.scalars(words))
        page, _ = incident_lists.register_page(
            IncidentFilter(words=("PARCEL",)), Position(), utcnow()
        )
        assert with_parcel
        assert {i.reference for i in page.incidents} == with_parcel
