"""Every page costs a fixed number of SQL statements, whatever the number of incidents.

Each page is fetched on a desk of 3 incidents and on one of 30 built the same way; the
count must be the same, and equal to the count written here, so a new query shows up in
review. Small desks keep this fast: a count that does not move from 3 to 30 does not
move at 100,000 either, since nothing on a page depends on the incidents not shown.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from breachdesk.extensions import db
from tests.conftest import Browser
from tests.conftest import _empty_postgres as empty_postgres
from tests.support.desk import NOW
from tests.support.desk import build_desk

# The same statements on both databases: counted on both.
BACKENDS = ("sqlite", "postgres")

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

#: Page -> statements, as the DPO; the first is always the signed-in user with their roles
#: and the number of alerts they have not read (every page's header shows it).
#: ``{first}`` is an incident told to the ICO, with steps; its pages read it with its assets
#: and assignments in one statement.
DPO_PAGES = {
    # The lists: the user, the counts, the page's rows, then its places, decisions and
    # notices (the register; its clocks from the same rows) or the dashboard's playbook
    # progress.
    "/incidents/": 6,
    # A search asks the word index first whether its words are too common to count.
    "/incidents/?q=ransom&state=notified&asset=lab-server": 7,
    "/register/": 6,
    # A place is counted by state from the copies of the states its index holds.
    "/register/?state=notified&asset=lab-server": 6,
    "/register/?decision=notify&reported_from=2026-11-01": 6,
    # Each kind of row once, shared by the clocks, the panels and the history: the
    # decisions, notices, trail, facts, steps, findings and drafts; the profile's open
    # questions, the record's duplicates, the people IT work may go to, mail troubles.
    "/incidents/{first}": 12,
    "/incidents/{first}/assessment": 4,
    "/incidents/{first}/checklist": 7,  # with the ICO deadline in its summary
    "/incidents/{first}/timeline": 6,
    "/incidents/{first}/notices/new": 4,
    "/report/new": 1,
    "/incidents/outbox": 3,
    "/incidents/{first}/correct": 2,
    "/audit/": 3,
    "/incidents/{first}/file": 15,
    "/stats/": 6,
}


@contextmanager
def counted(engine):
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statement_counts(app, size: int, roles_loaded: dict | None = None) -> dict[str, int]:
    with app.app_context():
        refs = build_desk(size, NOW)
        engine = db.engine
    dpo = Browser(app)
    dpo.login("dpo-user", "dpo-password-1")
    counts = {}
    for page in DPO_PAGES:
        url = page.format(**refs)
        # Outside any app context of ours: each request has its own session, as in production.
        with counted(engine) as statements:
            response = dpo.get(url)
        assert response.status_code == 200, url
        counts[page] = len(statements)
        if roles_loaded is not None:
            # Statements that read roles: those whose columns include them.
            roles_loaded[page] = sum("user_role" in columns_of(text) for text in statements)
    return counts


def columns_of(statement: str) -> str:
    """What a SELECT reads: the text before its own FROM, not a subquery's in its columns."""
    depth = 0
    for at, char in enumerate(statement):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and statement.startswith("FROM", at):
            return statement[:at]
    return statement


def empty(app) -> None:
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            empty_postgres()
        else:
            db.drop_all()
            db.create_all()


def test_each_page_costs_the_same_statements_with_3_or_30_incidents(app):
    small = statement_counts(app, 3)
    empty(app)
    large = statement_counts(app, 30)

    assert small == large
    assert small == expected_pages(app)


def expected_pages(app) -> dict[str, int]:
    """The table above; on PostgreSQL each page asks at its end whether it wrote anything,
    to keep its statements prepared (``read_only_requests``)."""
    with app.app_context():
        ends_with_a_check = db.engine.dialect.name == "postgresql"
    return {page: count + ends_with_a_check for page, count in DPO_PAGES.items()}


def test_the_signed_in_users_roles_are_loaded_once_per_page(app):
    roles_loaded: dict[str, int] = {}
    statement_counts(app, 3, roles_loaded)

    assert roles_loaded == dict.fromkeys(DPO_PAGES, 1)
