"""The DPO checks the audit trail in the app; nobody else sees it."""

from __future__ import annotations

from sqlalchemy import text

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db


def test_the_dpo_sees_the_latest_entries_and_an_intact_chain(app, login_as):
    dpo = login_as("dana", Role.DPO)
    dpo.post(
        "/admin/users",
        {"username": "jo", "display_name": "Jo", "password": "jo-password-123", "roles": ["staff"]},
    )

    page = dpo.get("/audit/check").get_data(as_text=True)

    assert "The audit trail is intact: 2 entries checked." in page
    assert "User jo added" in page


def test_the_dpo_is_told_which_entry_was_altered(app, login_as):
    dpo = login_as("dana", Role.DPO)
    dpo.post(
        "/admin/users",
        {"username": "jo", "display_name": "Jo", "password": "jo-password-123", "roles": ["staff"]},
    )
    with app.app_context():
        db.session.execute(text("UPDATE audit_event SET summary = 'User bob added' WHERE seq = 2"))
        db.session.commit()

    page = dpo.get("/audit/check").get_data(as_text=True)

    assert "The audit trail has been altered." in page
    assert "Event #2 was changed after it was written." in page


def test_only_the_dpo_reaches_the_audit_trail(app, login_as):
    for name, role in (("sam", Role.STAFF), ("ivan", Role.IT)):
        user = login_as(name, role)
        assert user.get("/audit/").status_code == 403
        assert user.get("/audit/check").status_code == 403
