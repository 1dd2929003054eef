"""Updating many rows, each with its own values, in as few statements as possible."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy import bindparam
from sqlalchemy import update
from sqlalchemy.orm import Session


def update_rows(session: Session, table: Table, changes: list[dict]) -> None:
    """UPDATE each row named by ``row_id`` with the other values of its dict.

    Rows changing the same columns share one executemany statement.
    """
    groups: dict[tuple[str, ...], list[dict]] = {}
    for change in changes:
        groups.setdefault(tuple(sorted(change)), []).append(change)
    for keys, rows in groups.items():
        names = [k for k in keys if k != "row_id"]
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({n: bindparam(n) for n in names})
        )
        # The Core connection: no ORM bookkeeping, and safe inside a flush listener.
        session.connection().execute(statement, rows)
