"""PostgreSQL plans the desk's queries for solid-state storage, unless told otherwise.

With PostgreSQL's default cost of a random read, a word search over 100,000 incidents read
the whole table (99 ms) rather than the trigram indexes (38 ms): ``benchmarks/bench_pages.py``.
"""

from __future__ import annotations

from sqlalchemy import text

from breachdesk import create_app
from breachdesk.extensions import db
from tests.conftest import base_config


def random_page_cost(tmp_path, url: str) -> str:
    app = create_app(base_config(tmp_path, url))
    with app.app_context():
        value = db.session.scalar(text("SHOW random_page_cost"))
        db.session.remove()
        db.engine.dispose()
    return value


def test_the_desk_plans_for_solid_state_storage(tmp_path, pg_url):
    assert random_page_cost(tmp_path, pg_url) == "1.1"


def test_a_database_url_that_sets_its_own_cost_keeps_it(tmp_path, pg_url):
    url = f"{pg_url}?options=-c%20random_page_cost%3D2"

    assert random_page_cost(tmp_path, url) == "2"
