"""What the database keeps up to date by itself: the tally of incidents per state.

Triggers, not the services, keep it: every way an incident is written (a report, a change
of status, the stored clocks' bulk UPDATE, the bulk demo's COPY, a migration's SQL) moves
the tally in the same transaction, so it can never drift from the incidents it counts.

The statements are built here for each database and run twice: after ``create_all`` (the
tests' schema) and by the Alembic revision that introduced them. The names the models do
not describe are listed for Alembic's comparison to leave alone (``alembic_include_name``).
"""

# ruff: noqa: S608 - the SQL here is put together from this module's own constants only

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Connection

from breachdesk.models.base import db

TALLY_KEY = "status, clocks_stopped"


def _sqlite_move(row: str, sign: str) -> str:
    """Add ``sign`` 1 to the tally row of the incident ``row`` (NEW or OLD)."""
    return (
        f"INSERT INTO incident_tally ({TALLY_KEY}, incidents) "
        f"VALUES ({row}.status, {row}.clocks_stopped, {sign}1) "
        f"ON CONFLICT ({TALLY_KEY}) DO UPDATE SET incidents = incidents + excluded.incidents;"
    )


SQLITE_TALLY = [
    "CREATE TRIGGER IF NOT EXISTS incident_tally_insert AFTER INSERT ON incident BEGIN "
    f"{_sqlite_move('NEW', '+')} END",
    "CREATE TRIGGER IF NOT EXISTS incident_tally_delete AFTER DELETE ON incident BEGIN "
    f"{_sqlite_move('OLD', '-')} END",
    "CREATE TRIGGER IF NOT EXISTS incident_tally_update "
    "AFTER UPDATE OF status, clocks_stopped ON incident "
    "WHEN OLD.status IS NOT NEW.status OR OLD.clocks_stopped IS NOT NEW.clocks_stopped BEGIN "
    f"{_sqlite_move('OLD', '-')} {_sqlite_move('NEW', '+')} END",
]


def _postgres_tally(event_name: str, changes: str, referencing: str) -> list[str]:
    """A statement-level trigger: one UPDATE of the tally per statement, however many rows.

    Row by row, the bulk demo's COPY would update one tally row 100,000 times in one
    transaction. Rows are upserted in key order, so two transactions lock them in the same
    order and never deadlock on them; a change that moves no count locks nothing.
    """
    function = f"incident_tally_{event_name.lower()}"
    return [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO incident_tally AS tally ({TALLY_KEY}, incidents) "
        f"SELECT {TALLY_KEY}, sum(change) FROM ({changes}) AS changes "
        f"GROUP BY {TALLY_KEY} HAVING sum(change) <> 0 ORDER BY {TALLY_KEY} "
        f"ON CONFLICT ({TALLY_KEY}) "
        "DO UPDATE SET incidents = tally.incidents + excluded.incidents; RETURN NULL; END $$",
        f"CREATE OR REPLACE TRIGGER {function} AFTER {event_name} ON incident "
        f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
    ]


_ADDED = f"SELECT {TALLY_KEY}, 1 AS change FROM added"
_REMOVED = f"SELECT {TALLY_KEY}, -1 AS change FROM removed"

POSTGRES_TALLY = [
    *_postgres_tally("INSERT", _ADDED, "NEW TABLE AS added"),
    *_postgres_tally("DELETE", _REMOVED, "OLD TABLE AS removed"),
    *_postgres_tally(
        "UPDATE", f"{_ADDED} UNION ALL {_REMOVED}", "NEW TABLE AS added OLD TABLE AS removed"
    ),
]

#: Fill the tally from the incidents already there (the revision that adds it).
FILL_TALLY = (
    f"INSERT INTO incident_tally ({TALLY_KEY}, incidents) "
    f"SELECT {TALLY_KEY}, count(*) FROM incident GROUP BY {TALLY_KEY}"
)

_EVENTS = ("insert", "delete", "update")
DROP_TALLY = {
    "sqlite": [f"DROP TRIGGER IF EXISTS incident_tally_{e}" for e in _EVENTS],
    # The triggers go with their functions.
    "postgresql": [f"DROP FUNCTION IF EXISTS incident_tally_{e}() CASCADE" for e in _EVENTS],
}


def statements(dialect: str) -> list[str]:
    """Everything to create on ``dialect``, in order."""
    return {"sqlite": SQLITE_TALLY, "postgresql": POSTGRES_TALLY}[dialect]


def create(connection: Connection) -> None:
    for statement in statements(connection.dialect.name):
        connection.exec_driver_sql(statement)


def drop(connection: Connection) -> None:
    for statement in DROP_TALLY[connection.dialect.name]:
        connection.exec_driver_sql(statement)


#: Names in the database that no model describes.
DERIVED_NAMES: frozenset[str] = frozenset()


def alembic_include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's comparison with the models looks past what this module creates."""
    return name not in DERIVED_NAMES


@event.listens_for(db.metadata, "after_create")
def _after_create(target, connection: Connection, **kw) -> None:
    create(connection)
