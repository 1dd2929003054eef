"""The dashboard and the register a page at a time: order, search, filters, counts."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlalchemy import text
from sqlalchemy import update

from breachdesk.domain.clock import LONDON
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import IncidentAsset
from breachdesk.models import IncidentStatus
from breachdesk.services import incident_counts
from breachdesk.services import word_search
from breachdesk.services.list_pages import PAGE_SIZE
from breachdesk.services.notices import record_notice
from tests.support.reminders import add_incident
from tests.support.reminders import decide
from tests.support.reminders import reporter

# Search, filters and order are the databases' own work (ILIKE or LIKE, booleans, dates).
BACKENDS = ("sqlite", "postgres")

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def references(response) -> list[str]:
    return re.findall(r">(BD-\d{4}-\d{4})</a>", response.get_data(as_text=True))


@pytest.fixture
def statements(app):
    """The SQL the app runs from here on, as text."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def note(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    yield seen
    event.remove(engine, "before_cursor_execute", note)


@pytest.fixture
def dpo(app, login_as):
    browser = login_as("dpo", Role.DPO)
    return browser


def add(app, hours_ago: float, description: str = "Lab server ransom note.", asset=None):
    with app.app_context():
        incident = add_incident(NOW - timedelta(hours=hours_ago), description)
        if asset:
            db.session.add(IncidentAsset(incident_id=incident.id, asset_id=asset))
            db.session.commit()
        return incident.reference


def test_the_dashboard_puts_the_nearest_running_deadline_first_and_told_ones_last(app, dpo):
    calm = add(app, 1)
    told = add(app, 70)
    urgent = add(app, 60)
    overdue = add(app, 80)
    with app.app_context():
        from breachdesk.models import Incident

        incident = db.session.query(Incident).filter_by(reference=told).one()
        record_notice(incident, "ico", NOW, "ICO-1", "online form", "ICO", None, reporter())

    assert references(dpo.get("/incidents/")) == [overdue, urgent, calm, told]


def link(response, rel: str) -> str | None:
    """The address of the page's Next (``rel="next"``) or Previous link, as a browser follows it."""
    found = re.search(rf'rel="{rel}" href="([^"]+)"', response.get_data(as_text=True))
    return html.unescape(found.group(1)) if found else None


def test_the_dashboard_shows_a_page_at_a_time_with_the_way_to_the_next(app, dpo):
    made = [add(app, hours_ago=PAGE_SIZE + 5 - n) for n in range(PAGE_SIZE + 5)]

    first = dpo.get("/incidents/")
    second = dpo.get(link(first, "next"))
    back = dpo.get(link(second, "prev"))

    assert references(first) == made[:PAGE_SIZE]  # the oldest awareness is nearest its deadline
    assert references(second) == made[PAGE_SIZE:]
    assert references(back) == made[:PAGE_SIZE]
    page = first.get_data(as_text=True)
    assert f"Showing 1–{PAGE_SIZE} of {PAGE_SIZE + 5}" in page
    assert f"All: {PAGE_SIZE + 5}" in page
    assert f"Showing {PAGE_SIZE + 1}–{PAGE_SIZE + 5} of {PAGE_SIZE + 5}" in second.get_data(
        as_text=True
    )
    assert link(second, "next") is None
    assert link(back, "prev") is None
    assert references(dpo.get("/incidents/?page=2")) == made[PAGE_SIZE:]  # an early page by number


def test_the_register_walks_forward_and_back_through_many_pages_with_the_filters_kept(app, dpo):
    made = [add(app, hours_ago=400 - n, description=f"Parcel {n}.") for n in range(3 * PAGE_SIZE)]
    add(app, 1, "Something else entirely.")
    newest_first = made[::-1]

    pages = [dpo.get("/register/?q=parcel")]
    while link(pages[-1], "next"):
        pages.append(dpo.get(link(pages[-1], "next")))
    back = [pages[-1]]
    while link(back[-1], "prev"):
        back.append(dpo.get(link(back[-1], "prev")))

    assert [references(p) for p in pages] == [
        newest_first[:PAGE_SIZE],
        newest_first[PAGE_SIZE : 2 * PAGE_SIZE],
        newest_first[2 * PAGE_SIZE :],
    ]
    assert [references(p) for p in back] == [references(p) for p in reversed(pages)]
    assert "Page 3 of 3" in pages[-1].get_data(as_text=True)
    assert all("q=parcel" in link(p, "prev") for p in pages[1:])


def test_a_filter_matching_more_than_can_be_counted_still_pages_through_every_match(
    app, dpo, monkeypatch
):
    monkeypatch.setattr(incident_counts, "COUNTED_UP_TO", 30)
    made = [add(app, hours_ago=400 - n, description=f"Parcel {n}.") for n in range(2 * PAGE_SIZE)]
    few = [add(app, hours_ago=10 + n, description=f"Lost laptop {n}.") for n in range(3)]

    first = dpo.get("/register/?q=parcel")
    second = dpo.get(link(first, "next"))
    narrow = dpo.get("/register/?q=laptop").get_data(as_text=True)

    text = first.get_data(as_text=True)
    assert "More than 30 incidents match: narrow" in text
    assert "All: " not in text  # no count it cannot know
    assert f"Showing 1–{PAGE_SIZE}." in text
    assert references(first) + references(second) == made[::-1]
    assert link(second, "next") is None
    assert f"Showing {PAGE_SIZE + 1}–{2 * PAGE_SIZE}." in second.get_data(as_text=True)
    assert "All: 3" in narrow
    assert "Showing 1–3 of 3." in narrow
    assert "More than" not in narrow
    assert sorted(few) == sorted(references(dpo.get("/register/?q=laptop")))


def test_a_place_with_more_incidents_than_are_counted_is_not_read_to_count_them(
    app, dpo, monkeypatch, statements
):
    monkeypatch.setattr(incident_counts, "COUNTED_UP_TO", 30)
    at_server = [add(app, hours_ago=400 - n, asset="lab-server") for n in range(40)]
    in_email = [add(app, hours_ago=10 + n, asset="email") for n in range(5)]

    statements.clear()
    busy = dpo.get("/register/?asset=lab-server").get_data(as_text=True)
    counts_read = [s for s in statements if "count(*)" in s and "incident.status" in s]
    quiet = dpo.get("/register/?asset=email").get_data(as_text=True)

    assert "More than 30 incidents match: narrow" in busy
    assert counts_read == []  # the place's index said so: no incident was read to count
    assert every_page(dpo, "/register/?asset=lab-server") == at_server[::-1]
    assert "All: 5" in quiet
    assert every_page(dpo, "/register/?asset=email") == in_email  # the newest made first


def every_page(browser, url: str) -> list[str]:
    found, response = [], browser.get(url)
    while True:
        found += references(response)
        if not link(response, "next"):
            return found
        response = browser.get(link(response, "next"))


def test_a_word_too_common_to_count_still_lists_every_match_with_or_without_filters(
    app, dpo, monkeypatch
):
    monkeypatch.setattr(word_search, "COUNTED_WHEN_IN_AT_MOST", 60)
    parcels = [
        add(
            app,
            hours_ago=400 - n,
            description=f"Parcel {n} lost.",
            asset="lab-server" if n % 15 == 0 else None,
        )
        for n in range(150)
    ]
    laptops = [add(app, hours_ago=10 + n, description=f"Lost laptop {n}.") for n in range(10)]
    with app.app_context():
        if db.engine.dialect.name == "postgresql":  # its planner judges words by statistics
            db.session.execute(text("ANALYZE incident"))
            db.session.commit()

    common = dpo.get("/register/?q=parcel").get_data(as_text=True)
    rare = dpo.get("/register/?q=laptop").get_data(as_text=True)

    assert "The words searched for are in more than 60 incidents, too many to count" in common
    assert "All: " not in common  # no count it cannot know
    assert f"Showing 1–{PAGE_SIZE}." in common
    assert every_page(dpo, "/register/?q=parcel") == parcels[::-1]
    assert every_page(dpo, "/register/?q=parcel&asset=lab-server") == parcels[::15][::-1]
    assert every_page(dpo, "/register/?q=lost+parcel&state=reported") == parcels[::-1]
    assert sorted(every_page(dpo, "/incidents/?q=parcel")) == sorted(parcels)
    assert "All: 10" in rare
    assert "too many to count" not in rare
    assert sorted(every_page(dpo, "/register/?q=laptop")) == sorted(laptops)


def test_the_register_of_a_place_pages_through_its_incidents_as_they_change(app, dpo, monkeypatch):
    # Read from the copies of state and report time the places carry (``IncidentAsset``).
    monkeypatch.setattr(word_search, "COUNTED_WHEN_IN_AT_MOST", 20)
    at_server = [
        add(app, hours_ago=300 - n, description=f"Parcel {n} lost.", asset="lab-server")
        for n in range(2 * PAGE_SIZE + 5)
    ]
    elsewhere = add(app, 5, "Parcel lost elsewhere.", asset="email")
    add(app, 4, "Parcel lost, place unknown.")
    triaged = at_server[::7]
    with app.app_context():
        moved = update(Incident).where(Incident.reference.in_(triaged))
        db.session.execute(moved.values(status=IncidentStatus.TRIAGE))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # its planner judges words by statistics
            db.session.execute(text("ANALYZE incident"))
            db.session.commit()
    reported = [r for r in at_server if r not in triaged]

    by_place = "/register/?asset=lab-server&state=reported"
    last = dpo.get(by_place)
    while link(last, "next"):
        last = dpo.get(link(last, "next"))
    backwards = every_page_back(dpo, last)

    assert every_page(dpo, by_place) == reported[::-1]
    assert backwards == reported[::-1]
    assert every_page(dpo, "/register/?asset=lab-server&state=triage") == triaged[::-1]
    common = dpo.get("/register/?q=parcel&asset=lab-server&state=reported")
    assert "too many to count" in common.get_data(as_text=True)
    assert every_page(dpo, "/register/?q=parcel&asset=lab-server&state=reported") == reported[::-1]
    assert every_page(dpo, "/register/?q=parcel&asset=email&state=reported") == [elsewhere]
    assert every_page(dpo, "/register/?asset=lab-server") == at_server[::-1]
    assert every_page(dpo, "/register/?q=parcel&asset=lab-server") == at_server[::-1]
    on_9th_or_10th = [
        reference
        for n, reference in reversed(list(enumerate(at_server)))
        if date(2026, 11, 9) <= uk_day(NOW - timedelta(hours=300 - n)) <= date(2026, 11, 10)
    ]
    dated = "/register/?asset=lab-server&reported_from=2026-11-09&reported_to=2026-11-10"
    assert len(on_9th_or_10th) == 31  # the 8th's 24 before them
    assert every_page(dpo, dated) == on_9th_or_10th


def uk_day(instant: datetime) -> date:
    return instant.astimezone(LONDON).date()


def every_page_back(browser, last) -> list[str]:
    """Every reference from ``last`` page back to the first, in the list's own order."""
    pages = [references(last)]
    while link(last, "prev"):
        last = browser.get(link(last, "prev"))
        pages.insert(0, references(last))
    return [reference for page in pages for reference in page]


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("page=two", 400, "The page must be a whole number, like 2."),
        ("page=0", 400, "Pages start at 1."),
        ("page=9", 404, "There is no page 9: this list has 1 page(s)."),
        ("state=lost", 400, "Not a valid choice."),
        ("q=" + "x" * 201, 400, "Search for at most 200 characters."),
        ("q=a+on", 400, "Search for at least one word of 3 or more characters."),
        ("after=12.x", 400, "This page link is not complete: start again from the first page."),
        ("before=1", 400, "This page link is not complete: start again from the first page."),
        ("after=0.99999999999999999999.1", 400, "This page link is not complete"),
        ("after=1.1.1&before=1.1.1", 400, "This page link is not complete"),
        ("after=1.99999999999999999.1&page=2", 404, "There is no page 2: this list has 1 page(s)."),
    ],
)
def test_a_bad_filter_or_page_says_what_is_wrong(app, dpo, query, status, message):
    add(app, 1)

    response = dpo.get(f"/incidents/?{query}")

    assert response.status_code == status
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("asset=nowhere", 400, "Not a valid choice."),
        ("asset=lab-server&after=12.x", 400, "This page link is not complete"),
        ("asset=lab-server&state=reported&before=1", 400, "This page link is not complete"),
        ("asset=lab-server&state=reported&page=9", 404, "There is no page 9"),
    ],
)
def test_a_bad_filter_or_page_of_the_register_by_place_says_what_is_wrong(
    app, dpo, query, status, message
):
    add(app, 1, asset="lab-server")

    response = dpo.get(f"/register/?{query}")

    assert response.status_code == status
    assert message in response.get_data(as_text=True)


def test_the_register_filters_by_decision_and_report_date_and_exports_the_same(app, dpo):
    older = add(app, 24 * 30, "Old lost laptop.")
    not_notifiable = add(app, 5, "Email to the wrong practice.")
    undecided = add(app, 1, "Parcel opened.")
    with app.app_context():
        from breachdesk.models import Incident

        incident = db.session.query(Incident).filter_by(reference=not_notifiable).one()
        decide(incident, NOW, notify_ico=False)

    assert references(dpo.get("/register/?decision=not-notifiable")) == [not_notifiable]
    assert references(dpo.get("/register/?decision=undecided")) == [undecided, older]
    recent = dpo.get("/register/?reported_from=2026-11-01&reported_to=2026-11-20")
    assert references(recent) == [undecided, not_notifiable]
    backwards = dpo.get("/register/?reported_from=2026-11-20&reported_to=2026-11-01")
    assert backwards.status_code == 400
    assert "The end date comes before the start date." in backwards.get_data(as_text=True)

    exported = dpo.get("/register/register.csv?decision=undecided")
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert [row["Reference"] for row in rows] == [undecided, older]


@pytest.mark.parametrize("role", [Role.STAFF, Role.IT])
def test_only_the_dpo_sees_the_dashboard(app, login_as, role):
    assert login_as("someone", role).get("/incidents/?q=ransom").status_code == 403
