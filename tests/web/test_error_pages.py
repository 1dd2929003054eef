"""An unexpected failure still answers with a page in plain English, and saves nothing."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import User

# Both databases: PostgreSQL refuses every statement after a failed one until a rollback.
BACKENDS = ("sqlite", "postgres")


def test_a_failed_transaction_is_undone_before_the_error_page(app, login_as):
    def half_done():
        # A second user of the same name fails at the flush and leaves the transaction broken.
        db.session.add(User(username="sam", display_name="Sam again", password_hash="x"))
        db.session.flush()

    app.add_url_rule("/half-done", "half_done", half_done)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    sam = login_as("sam", Role.STAFF)

    response = sam.get("/half-done")

    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side and nothing was saved" in page
    assert "Sign out sam" in page  # the full page, which needs the database, was drawn
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
