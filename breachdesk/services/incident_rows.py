"""An incident's own rows, read once per request and shared by everything that shows them.

The incident page shows the same decisions, notices, findings, steps, facts and trail in
several places: the clocks, the panels, the history. Each kind of row is read here once per
session and kept until the session next writes: any flush, commit or rollback empties the
store, so a page costs one statement per kind of row whatever its panels ask, and nothing
read before a change is served after it. Callers order the rows as they need them.
"""

from __future__ import annotations

import functools

from sqlalchemy import Select
from sqlalchemy import bindparam
from sqlalchemy import event
from sqlalchemy import select
from sqlalchemy.orm import Session

from breachdesk.extensions import db

_STORE = "incident_rows"


def _store() -> dict:
    session = db.session()
    if session.autoflush and (session.new or session.dirty or session.deleted):
        # As a query would: what this request just added or changed is written first (and
        # the flush empties the store), so the rows read include it.
        session.flush()
    return session.info.setdefault(_STORE, {})


def rows_of(model, incident_id: int, *options) -> list:
    """Every ``model`` row of the incident, by id; ``options`` (eager loads) on the first read.

    A caller passing options should pass the same ones each time: the first read decides.
    """
    store = _store()
    key = (model, incident_id)
    if key not in store:
        query = _rows_query(model, options)
        store[key] = list(db.session.scalars(query, {"incident_id": incident_id}))
    return list(store[key])


@functools.lru_cache(maxsize=32)
def _rows_query(model, options: tuple) -> Select:
    """The statement reading one kind of row, built once with the incident as a parameter.

    SQLAlchemy works out a statement's cache key again for every new statement object, and
    keeps it on the object: a read with a statement built afresh took 104 µs, the same read
    with one built before 60 µs (SQLite, measured in process). Bounded, in case a caller
    passes options made anew each time.
    """
    incident = model.incident_id == bindparam("incident_id")
    return select(model).where(incident).options(*options).order_by(model.id)


def remember(key: tuple, value) -> None:
    """Keep ``value``, read with other rows (the signed-in user's unread alerts, read with
    the user), until the session next writes, as the rows are kept."""
    _store()[key] = value


def remembered(key: tuple):
    """What ``remember`` kept under ``key``, or None once the session has written since."""
    return _store().get(key)


def row_of(model, incident_id: int):
    """The incident's one ``model`` row (keyed by the incident), or None; read once."""
    store = _store()
    key = (model, incident_id, "one")
    if key not in store:
        store[key] = db.session.get(model, incident_id)
    return store[key]


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, *args) -> None:
    session.info.pop(_STORE, None)
