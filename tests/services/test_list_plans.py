"""How SQLite reads a list's page and its counts, where the way a query is written decides.

SQLite plans without statistics of its own, so the words of a query choose its plan;
PostgreSQL's planner weighs its statistics and reaches the same plans however the query is
written (``incident_lists``), so only SQLite's are pinned here.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest
from sqlalchemy import event
from sqlalchemy import select
from sqlalchemy import text

from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import IncidentStatus
from breachdesk.services import incident_lists
from breachdesk.services.incident_counts import EVERY
from breachdesk.services.incident_lists import IncidentFilter

BACKENDS = ("sqlite",)
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def sqlite_plan(query) -> str:
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    return " | ".join(row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))


def test_on_sqlite_a_place_is_walked_in_order_for_a_page_and_joined_for_the_counts(app):
    # At 100,000 incidents a place holds 10,000: listing their ids before reading a row cost
    # ten times a walk in the list's own order, which a matching page soon fills.
    wanted = IncidentFilter(status=IncidentStatus.NOTIFIED, asset="lab-server")
    with app.app_context():
        walked = incident_lists._conditions(wanted, NOW, reading=incident_lists.Reading.WALK)
        page = select(Incident.id).where(*walked).order_by(*incident_lists.NEWEST_REPORT.order_by())
        counting = incident_lists._conditions(
            wanted, NOW, with_status=False, reading=incident_lists.Reading.COUNT
        )
        counts = select(Incident.status).where(*counting).limit(1001)

        page_plan, counts_plan = sqlite_plan(page.limit(26)), sqlite_plan(counts)

    assert "ix_incident_status_reported" in page_plan, page_plan
    assert "LIST SUBQUERY" not in page_plan, page_plan
    assert "TEMP B-TREE" not in page_plan, page_plan
    assert counts_plan.startswith("SEARCH incident_asset USING COVERING INDEX"), counts_plan
    assert "LIST SUBQUERY" not in counts_plan, counts_plan


@pytest.mark.parametrize(
    ("status", "index"),
    [
        (IncidentStatus.NOTIFIED, "ix_incident_asset_register (asset_id=? AND status=?)"),
        (None, "ix_incident_asset_newest (asset_id=?)"),
    ],
)
@pytest.mark.parametrize("words", [(), ("email",)])
def test_on_sqlite_the_register_of_a_place_is_one_range_of_the_places_index(
    app, status, index, words
):
    # At 100,000 incidents the lab server's notified incidents that mention "email" were 116
    # places read, against 1,139 notified incidents walked and each asked about the place.
    wanted = IncidentFilter(words=words, status=status, asset="lab-server")
    with app.app_context():
        query = incident_lists._place_register(wanted, NOW)
        ordered = query.order_by(*incident_lists.PLACE_NEWEST_REPORT.order_by())
        plan = sqlite_plan(ordered.limit(26))

    assert plan.startswith(f"SEARCH incident_asset USING COVERING INDEX {index}"), plan
    assert "SEARCH incident USING INTEGER PRIMARY KEY" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


def test_on_sqlite_a_places_counts_by_state_read_its_index_alone(app):
    # The register by place counts its incidents by state from the states the place's index
    # holds: no incident is read, however many the place holds.
    wanted = IncidentFilter(status=IncidentStatus.NOTIFIED, asset="lab-server")
    seen: list[tuple] = []
    with app.app_context():
        engine = db.engine

        def note(conn, cursor, statement, parameters, *args) -> None:
            seen.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", note)
        try:
            incident_lists._counts(EVERY, wanted, NOW, with_overdue=False)
        finally:
            event.remove(engine, "before_cursor_execute", note)
        [(statement, parameters)] = seen
        plan = " | ".join(
            row[-1]
            for row in db.session.connection().exec_driver_sql(
                f"EXPLAIN QUERY PLAN {statement}", parameters
            )
        )

    assert "SEARCH incident_asset USING COVERING INDEX ix_incident_asset_register" in plan, plan
    assert "incident " not in plan.replace("incident_asset", ""), plan
