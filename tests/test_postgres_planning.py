"""PostgreSQL plans the desk's queries for solid-state storage, unless told otherwise, and
plans a statement a connection runs often once, not at every request.

With PostgreSQL's default cost of a random read, a word search over 100,000 incidents read
the whole table (99 ms) rather than the trigram indexes (38 ms): ``benchmarks/bench_pages.py``.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text

from breachdesk import create_app
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import User
from tests.conftest import base_config

# What these tests measure is PostgreSQL's own.
BACKENDS = ("postgres",)


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


def prepared_statements() -> int:
    return db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))


def test_statements_stay_prepared_from_one_reading_request_to_the_next(app, login_as):
    dpo = login_as("dpo", Role.DPO)
    for _ in range(6):  # psycopg prepares a statement the fifth time a connection runs it
        assert dpo.get("/incidents/").status_code == 200
    with app.app_context():  # the one connection the requests took turns with
        assert prepared_statements() > 0


def test_a_request_that_wrote_and_did_not_commit_is_still_rolled_back(app, login_as):
    @app.get("/test-writes-without-commit")
    def writes_without_commit():
        db.session.add(User(username="ghost", display_name="Ghost", password_hash="x"))
        db.session.flush()
        return "flushed"

    dpo = login_as("dpo", Role.DPO)

    assert dpo.get("/test-writes-without-commit").get_data(as_text=True) == "flushed"
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(User.username == "ghost")) == 0
