"""Each SQLite connection is set as the desk needs: foreign keys enforced, a writer waited
for, readers beside a writer (WAL), and 8 MiB of the database kept in memory."""

from __future__ import annotations

from sqlalchemy import text

from breachdesk.extensions import SQLITE_CACHE_KIB
from breachdesk.extensions import db

BACKENDS = ("sqlite",)


def test_each_connection_is_set_as_the_desk_needs(app):
    with app.app_context():

        def pragma(name: str):
            return db.session.execute(text(f"PRAGMA {name}")).scalar()

        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 30_000
        assert pragma("journal_mode") == "wal"
        assert pragma("cache_size") == -SQLITE_CACHE_KIB  # negative: KiB, not pages
