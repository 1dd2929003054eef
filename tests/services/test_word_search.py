"""The lists' word search: looked up in an index, the same answers on both databases."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import update

from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import IncidentAsset
from breachdesk.services import incident_lists
from breachdesk.services.incident_lists import IncidentFilter
from breachdesk.services.list_pages import Position
from tests.support.reminders import add_incident

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

DESCRIPTIONS = (
    "A ransom note on the LAB SERVER screen; files will not open.",
    "An email with patient details went to the wrong practice.",
    "Emailed the wrong X-ray to Dr O'Brien (100% sure).",
    'The "secure" courier lost a parcel of impressions.',
    "Paper forms found in the recycling_bin outside.",
    "Lab server logs show an export at 02:14.",
)

SEARCHES = (
    "ransom",
    "RANSOM lab",
    "mail",  # inside a word: email, Emailed
    "lab server",  # words in any order, each anywhere
    "100%",  # a % is itself, not a wildcard
    "recycling_bin",  # so is a _
    "recyclingxbin",
    '"secure"',
    "o'brien",
    "02:14",
    "BD-2026-0003",  # a whole reference
    "2026-000",  # part of every reference
    "0005 export",  # the reference and the description together
    "ransom email",  # no incident has both
    "lab xy",  # a short word as well: it still has to match
    "zzz",
)


def expected(words: str, incidents: dict[str, str]) -> set[str]:
    """The search as a person would do it: every word somewhere in the reference or text."""
    wanted = [w.lower() for w in words.split()]
    return {
        ref
        for ref, description in incidents.items()
        if all(w in ref.lower() or w in description.lower() for w in wanted)
    }


def found(words: str) -> set[str]:
    wanted = IncidentFilter(words=IncidentFilter.split_words(words))
    page, _ = incident_lists.register_page(wanted, Position(), NOW)
    return {incident.reference for incident in page.incidents}


@pytest.fixture
def incidents(app) -> dict[str, str]:
    with app.app_context():
        made = {}
        for n, description in enumerate(DESCRIPTIONS):
            incident = add_incident(NOW - timedelta(hours=n + 1), description)
            made[incident.reference] = description
        return made


@pytest.mark.parametrize("words", SEARCHES)
def test_each_search_finds_what_a_person_would(app, incidents, words):
    with app.app_context():
        assert found(words) == expected(words, incidents)


def test_the_index_follows_changed_and_deleted_incidents(app, incidents):
    first, second = sorted(incidents)[:2]
    with app.app_context():
        db.session.execute(
            update(Incident)
            .where(Incident.reference == first)
            .values(description="A stolen laptop, found again.")
        )
        db.session.execute(delete(Incident).where(Incident.reference == second))
        db.session.commit()

        assert found("ransom") == set()
        assert found("laptop") == {first}  # the new words are in the index
        assert found("patient") == set()
        assert found(first) == {first}
        if db.engine.dialect.name == "sqlite":  # FTS5 checks its index against the incidents
            check = (
                "INSERT INTO incident_search (incident_search, rank) VALUES ('integrity-check', 1)"
            )
            db.session.execute(text(check))


def test_the_words_are_looked_up_in_an_index_not_read_row_by_row(app, incidents):
    with app.app_context():
        wanted = IncidentFilter(words=("ransom", "lab"))
        query = select(Incident.id).where(*incident_lists._conditions(wanted, NOW))
        compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
        if db.engine.dialect.name == "sqlite":
            plan = db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
            assert any("VIRTUAL TABLE INDEX" in row[-1] for row in plan), plan
        else:
            # On six rows a plain read is cheaper: forbid it, to see the index can serve.
            db.session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = " ".join(r[0] for r in db.session.execute(text(f"EXPLAIN {compiled}")))
            assert "ix_incident_description_trgm" in plan, plan
            assert "ix_incident_reference_trgm" in plan, plan
        db.session.rollback()


def test_words_and_a_place_together_find_the_incidents_with_both(app, incidents):
    on_server, in_email = sorted(incidents)[0], sorted(incidents)[1]
    with app.app_context():
        for reference, asset in ((on_server, "lab-server"), (in_email, "email")):
            incident = db.session.scalar(select(Incident).where(Incident.reference == reference))
            db.session.add(IncidentAsset(incident_id=incident.id, asset_id=asset))
        db.session.commit()

        def both(words: str, asset: str) -> set[str]:
            wanted = IncidentFilter(words=tuple(words.split()), asset=asset)
            page, counts = incident_lists.register_page(wanted, Position(), NOW)
            assert counts.total == len(page.incidents)
            return {incident.reference for incident in page.incidents}

        assert both("lab server", "lab-server") == {on_server}
        assert both("lab server", "email") == set()
        assert both("patient", "email") == {in_email}
