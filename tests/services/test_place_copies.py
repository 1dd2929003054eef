"""The places an incident touched carry copies of its state and report time, kept by the
database (``models.derived``) through every way an incident or its places are written."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy import update

from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import IncidentAsset
from breachdesk.models import IncidentStatus
from breachdesk.services import closing
from breachdesk.services.notices import record_notice
from tests.support.reminders import add_incident
from tests.support.reminders import reporter

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def copies() -> set[tuple]:
    rows = db.session.execute(
        select(
            IncidentAsset.incident_id,
            IncidentAsset.asset_id,
            IncidentAsset.status,
            IncidentAsset.reported_at,
        )
    )
    return set(rows)


def the_incidents_own() -> set[tuple]:
    query = select(
        IncidentAsset.incident_id, IncidentAsset.asset_id, Incident.status, Incident.reported_at
    ).join(Incident)
    return {
        (i, asset, status.value, reported)
        for i, asset, status, reported in db.session.execute(query)
    }


def at(incident: Incident, *assets: str) -> None:
    incident.asset_rows = [IncidentAsset(asset_id=a, position=n) for n, a in enumerate(assets)]
    db.session.commit()


def test_a_new_place_is_given_its_incidents_state_and_report_time(app):
    with app.app_context():
        incident = add_incident(NOW - timedelta(hours=3))
        at(incident, "lab-server", "email")
        db.session.expire_all()

        assert copies() == {
            (incident.id, "lab-server", "reported", NOW - timedelta(hours=3)),
            (incident.id, "email", "reported", NOW - timedelta(hours=3)),
        }


def test_the_copies_follow_every_change_of_state_report_time_and_places(app):
    with app.app_context():
        first, second, third, fourth, fifth = (
            add_incident(NOW - timedelta(hours=h)) for h in (80, 30, 10, 2, 1)
        )
        at(first, "lab-server")
        at(second, "lab-server", "backups")
        at(third, "email")
        at(fourth, "website")
        at(fifth, "lab-server")

        closing.close(second, reporter(), "Contained.", "")  # a service's change of state
        record_notice(third, "ico", NOW, "ICO-1", "online form", "ICO", None, reporter())
        db.session.execute(  # a bulk change of state, as a migration or a script would make
            update(Incident).where(Incident.id == first.id).values(status=IncidentStatus.TRIAGE)
        )
        db.session.execute(
            update(Incident)
            .where(Incident.id == fourth.id)
            .values(reported_at=NOW - timedelta(hours=1))
        )
        at(first, "backups", "couriers")  # the places corrected: the old ones go
        db.session.execute(delete(Incident).where(Incident.id == fifth.id))
        db.session.commit()
        db.session.expire_all()

        assert copies() == the_incidents_own()
        assert {(i, a, s) for i, a, s, _ in copies()} == {
            (first.id, "backups", "triage"),
            (first.id, "couriers", "triage"),
            (second.id, "lab-server", "closed"),
            (second.id, "backups", "closed"),
            (third.id, "email", "notified"),
            (fourth.id, "website", "reported"),
        }
        assert (fourth.id, "website", "reported", NOW - timedelta(hours=1)) in copies()
