"""`breachdesk audit verify` as the DPO or an auditor runs it."""

from __future__ import annotations

from sqlalchemy import text

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.services import accounts


def add_users(*names: str) -> None:
    for name in names:
        accounts.create_user(name, f"{name}-password-1", [Role.STAFF])
        db.session.commit()


def test_verify_says_an_intact_trail_is_intact(app):
    with app.app_context():
        add_users("ann", "bob", "cy")

    result = app.test_cli_runner().invoke(args=["audit", "verify"])

    assert result.exit_code == 0, result.output
    assert "The audit trail is intact: 3 events checked." in result.output


def test_verify_names_the_tampered_event_and_exits_1(app):
    with app.app_context():
        add_users("ann", "bob", "cy")
        db.session.execute(text("UPDATE audit_event SET summary = 'User eve added' WHERE seq = 2"))
        db.session.commit()

    result = app.test_cli_runner().invoke(args=["audit", "verify"])

    assert result.exit_code == 1
    assert "Event #2 was changed after it was written." in result.stderr
