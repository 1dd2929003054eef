"""What the database keeps up to date by itself: the tally of incidents per state, the copies
of an incident's state and report time on its places, the index of their words.

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


# Each place an incident touched carries copies of the incident's state and report time
# (``IncidentAsset``), for the register of a place to read one range of its index.
COPIED = "status, reported_at"

SQLITE_PLACE_COPIES = [
    # SQLite's BEFORE triggers cannot set NEW's values: the new row is given them at once.
    "CREATE TRIGGER IF NOT EXISTS incident_asset_copies AFTER INSERT ON incident_asset BEGIN "
    f"UPDATE incident_asset SET ({COPIED}) = "
    f"(SELECT {COPIED} FROM incident WHERE incident.id = NEW.incident_id) "
    "WHERE incident_id = NEW.incident_id AND asset_id = NEW.asset_id; END",
    "CREATE TRIGGER IF NOT EXISTS incident_places_copy AFTER UPDATE OF status, reported_at "
    "ON incident WHEN OLD.status IS NOT NEW.status OR OLD.reported_at IS NOT NEW.reported_at "
    "BEGIN UPDATE incident_asset SET status = NEW.status, reported_at = NEW.reported_at "
    "WHERE incident_id = NEW.id; END",
]

POSTGRES_PLACE_COPIES = [
    # FOR SHARE waits for a transaction changing the incident's state to end, then reads the
    # state it left: a place added meanwhile cannot keep the state from before the change.
    "CREATE OR REPLACE FUNCTION incident_asset_copies() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN SELECT {COPIED} INTO NEW.status, NEW.reported_at FROM incident "
    "WHERE incident.id = NEW.incident_id FOR SHARE; RETURN NEW; END $$",
    "CREATE OR REPLACE TRIGGER incident_asset_copies BEFORE INSERT ON incident_asset "
    "FOR EACH ROW EXECUTE FUNCTION incident_asset_copies()",
    "CREATE OR REPLACE FUNCTION incident_places_copy() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN UPDATE incident_asset SET status = NEW.status, reported_at = NEW.reported_at "
    "WHERE incident_id = NEW.id; RETURN NULL; END $$",
    "CREATE OR REPLACE TRIGGER incident_places_copy AFTER UPDATE OF status, reported_at "
    "ON incident FOR EACH ROW WHEN "
    "(OLD.status IS DISTINCT FROM NEW.status OR OLD.reported_at IS DISTINCT FROM NEW.reported_at) "
    "EXECUTE FUNCTION incident_places_copy()",
]
#: Copy to the places already there (the revision that adds the copies).
FILL_PLACE_COPIES = {
    "sqlite": [
        f"UPDATE incident_asset SET ({COPIED}) = "
        f"(SELECT {COPIED} FROM incident WHERE incident.id = incident_asset.incident_id)"
    ],
    "postgresql": [
        "UPDATE incident_asset SET status = incident.status, reported_at = incident.reported_at "
        "FROM incident WHERE incident.id = incident_asset.incident_id"
    ],
}
_COPIERS = ("incident_asset_copies", "incident_places_copy")
DROP_PLACE_COPIES = {
    "sqlite": [f"DROP TRIGGER IF EXISTS {name}" for name in _COPIERS],
    "postgresql": [f"DROP FUNCTION IF EXISTS {name}() CASCADE" for name in _COPIERS],
}


# The word search (``incident_lists``) looks for each word anywhere in the reference or the
# description, as LIKE would. Both databases index every three characters (trigrams), so a
# word of three or more is looked up, not searched for row by row. SQLite: an FTS5 table
# over the incident table's own text (external content: stored once), kept by triggers.
# PostgreSQL: pg_trgm's GIN indexes, which ILIKE uses as they stand.
SEARCH_TABLE = "incident_search"
_SEARCH_COLUMNS = "reference, description"


def _sqlite_search_row(row: str, delete: bool) -> str:
    if delete:  # external content: FTS5 is told the old text to take out
        return (
            f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rowid, {_SEARCH_COLUMNS}) "
            f"VALUES ('delete', {row}.id, {row}.reference, {row}.description);"
        )
    return (
        f"INSERT INTO {SEARCH_TABLE} (rowid, {_SEARCH_COLUMNS}) "
        f"VALUES ({row}.id, {row}.reference, {row}.description);"
    )


SQLITE_SEARCH = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5({_SEARCH_COLUMNS}, "
    "content='incident', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_insert AFTER INSERT ON incident BEGIN "
    f"{_sqlite_search_row('NEW', delete=False)} END",
    f"CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_delete AFTER DELETE ON incident BEGIN "
    f"{_sqlite_search_row('OLD', delete=True)} END",
    f"CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_update "
    f"AFTER UPDATE OF {_SEARCH_COLUMNS} ON incident BEGIN "
    f"{_sqlite_search_row('OLD', delete=True)} {_sqlite_search_row('NEW', delete=False)} END",
]
TRIGRAM_INDEXES = ("ix_incident_reference_trgm", "ix_incident_description_trgm")
POSTGRES_SEARCH = [
    # A trusted extension since PostgreSQL 13: the database's owner may create it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    *(
        f"CREATE INDEX IF NOT EXISTS {name} ON incident USING gin ({column} gin_trgm_ops)"
        for name, column in zip(TRIGRAM_INDEXES, ("reference", "description"), strict=True)
    ),
]
#: Index the incidents already there (the revision that adds the search).
FILL_SEARCH = {
    "sqlite": [f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}) VALUES ('rebuild')"],
    "postgresql": [],  # CREATE INDEX reads the rows there
}
DROP_SEARCH = {
    "sqlite": [
        *(f"DROP TRIGGER IF EXISTS {SEARCH_TABLE}_{e}" for e in _EVENTS),
        f"DROP TABLE IF EXISTS {SEARCH_TABLE}",
    ],
    # The extension stays: another database object may use it, and it holds no data.
    "postgresql": [f"DROP INDEX IF EXISTS {name}" for name in TRIGRAM_INDEXES],
}


TALLY = {"sqlite": SQLITE_TALLY, "postgresql": POSTGRES_TALLY}
PLACE_COPIES = {"sqlite": SQLITE_PLACE_COPIES, "postgresql": POSTGRES_PLACE_COPIES}
SEARCH = {"sqlite": SQLITE_SEARCH, "postgresql": POSTGRES_SEARCH}


def statements(dialect: str) -> list[str]:
    """Everything to create on ``dialect``, in order."""
    return [*TALLY[dialect], *PLACE_COPIES[dialect], *SEARCH[dialect]]


def create(connection: Connection) -> None:
    for statement in statements(connection.dialect.name):
        connection.exec_driver_sql(statement)


def drop(connection: Connection) -> None:
    dialect = connection.dialect.name
    for statement in [*DROP_TALLY[dialect], *DROP_PLACE_COPIES[dialect], *DROP_SEARCH[dialect]]:
        connection.exec_driver_sql(statement)


#: Names in the database that no model describes: the search table, its FTS5 shadow tables,
#: and the trigram indexes.
DERIVED_NAMES = frozenset(
    {
        SEARCH_TABLE,
        *(f"{SEARCH_TABLE}_{shadow}" for shadow in ("data", "idx", "docsize", "config")),
        *TRIGRAM_INDEXES,
    }
)


def alembic_include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's comparison with the models looks past what this module creates."""
    return name not in DERIVED_NAMES


@event.listens_for(db.metadata, "after_create")
def _after_create(target, connection: Connection, **kw) -> None:
    create(connection)


@event.listens_for(db.metadata, "before_drop")
def _before_drop(target, connection: Connection, **kw) -> None:
    """``drop_all`` leaves no search table behind to index the next incidents wrongly."""
    drop(connection)
