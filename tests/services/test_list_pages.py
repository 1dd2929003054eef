"""Pages reached from their neighbours, and counts read from the tally the database keeps."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import IncidentStatus
from breachdesk.models import IncidentTally
from breachdesk.services import incident_lists
from breachdesk.services.incident_lists import IncidentFilter
from breachdesk.services.list_pages import MOST_PAGES_BY_NUMBER
from breachdesk.services.list_pages import BadCursor
from breachdesk.services.list_pages import Position
from breachdesk.services.list_pages import TooFarByNumber
from breachdesk.services.list_pages import read_page
from breachdesk.services.notices import record_notice
from tests.support.reminders import add_incident
from tests.support.reminders import decide
from tests.support.reminders import reporter

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def tally() -> dict[tuple[str, bool], int]:
    rows = db.session.execute(select(IncidentTally)).scalars()
    return {(row.status.value, row.clocks_stopped): row.incidents for row in rows if row.incidents}


def counted_by_hand() -> dict[tuple[str, bool], int]:
    query = select(Incident.status, Incident.clocks_stopped, func.count()).group_by(
        Incident.status, Incident.clocks_stopped
    )
    return {(status.value, stopped): n for status, stopped, n in db.session.execute(query)}


def test_the_tally_follows_every_insert_status_change_decision_notice_and_delete(app):
    with app.app_context():
        first = add_incident(NOW - timedelta(hours=80))
        second = add_incident(NOW - timedelta(hours=2))
        third = add_incident(NOW - timedelta(hours=5))
        assert tally() == {("reported", False): 3}

        decide(second, NOW, notify_ico=True)  # assessed: the ICO's clock still runs
        record_notice(third, "ico", NOW, "ICO-1", "online form", "ICO", None, reporter())
        db.session.execute(
            update(Incident).where(Incident.id == first.id).values(status=IncidentStatus.TRIAGE)
        )
        db.session.commit()
        assert tally() == counted_by_hand()

        db.session.execute(delete(Incident).where(Incident.id == first.id))
        db.session.commit()
        assert tally() == counted_by_hand()
        assert sum(tally().values()) == 2


def test_counts_from_the_tally_equal_counting_every_incident(app):
    with app.app_context():
        for hours in (1, 30, 80, 100, 200):
            add_incident(NOW - timedelta(hours=hours))
        told = add_incident(NOW - timedelta(hours=10))
        record_notice(told, "ico", NOW, "ICO-1", "online form", "ICO", None, reporter())

        _, tallied = incident_lists.open_page(IncidentFilter(), Position(), NOW)
        # Any word at all sends the counts to the incidents themselves.
        _, counted = incident_lists.open_page(IncidentFilter(words=("ransom",)), Position(), NOW)

    assert tallied == counted
    assert tallied.overdue == 3  # 80, 100 and 200 hours ago: past 72 hours, clocks running
    assert tallied.total == 6


def make(n: int) -> list[str]:
    """``n`` incidents, the first made the oldest; their references in the register's order."""
    made = [add_incident(NOW - timedelta(hours=n - i)).reference for i in range(n)]
    return made[::-1]


def walk(query, position: Position, size: int):
    return read_page(query, incident_lists.NEWEST_REPORT, position, total=10**6, size=size)


def test_next_and_previous_walk_the_whole_list_and_back(app):
    with app.app_context():
        expected = make(7)
        query = select(Incident)
        pages = [walk(query, Position(), 3)]
        while pages[-1].next_cursor:
            number = pages[-1].number + 1
            pages.append(walk(query, Position(number, after=pages[-1].next_cursor), 3))
        back = walk(query, Position(2, before=pages[-1].previous_cursor), 3)

    assert [[i.reference for i in p.incidents] for p in pages] == [
        expected[:3],
        expected[3:6],
        expected[6:],
    ]
    assert [i.reference for i in back.incidents] == expected[3:6]
    assert back.previous_cursor is not None
    assert back.next_cursor is not None
    assert pages[0].previous_cursor is None


def test_the_dashboard_order_pages_on_booleans_and_instants_alike(app):
    with app.app_context():
        for hours in (5, 90, 1, 40):
            add_incident(NOW - timedelta(hours=hours))
        told = add_incident(NOW - timedelta(hours=3))
        record_notice(told, "ico", NOW, "ICO-1", "online form", "ICO", None, reporter())
        order = incident_lists.URGENCY
        query = select(Incident)
        whole = [i.reference for i in db.session.scalars(query.order_by(*order.order_by()))]
        first = read_page(query, order, Position(), total=5, size=2)
        second = read_page(query, order, Position(2, after=first.next_cursor), total=5, size=2)
        third = read_page(query, order, Position(3, after=second.next_cursor), total=5, size=2)

    seen = [i.reference for p in (first, second, third) for i in p.incidents]
    assert seen == whole
    assert whole[-1] == told.reference  # its clocks stopped: after every running one
    assert third.next_cursor is None


def test_a_page_far_down_is_not_read_by_its_number(app):
    with app.app_context():
        make(3)
        with pytest.raises(TooFarByNumber, match="go on with Next"):
            walk(select(Incident), Position(MOST_PAGES_BY_NUMBER + 1), 1)


@pytest.mark.parametrize("cursor", ["", "1", "1.2.3", "x.1", "-5.1", "1." + "9" * 30])
def test_a_changed_cursor_is_refused(app, cursor):
    with app.app_context(), pytest.raises(BadCursor):
        walk(select(Incident), Position(2, after=cursor or "."), 3)
