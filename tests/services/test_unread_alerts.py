"""The unread alerts read with the signed-in user are counted again once anything is written."""

from __future__ import annotations

from breachdesk.extensions import db
from breachdesk.models import Notification
from breachdesk.services import incidents
from tests.support.reminders import reporter


def test_a_count_read_with_the_user_stands_until_the_session_writes(app):
    with app.app_context():
        user = reporter()
        db.session.add(Notification(user_id=user.id, message="A first alert."))
        db.session.commit()
        incidents.remember_unread(user, 1)

        assert incidents.unread_count(user) == 1
        db.session.add(Notification(user_id=user.id, message="A second alert."))
        assert incidents.unread_count(user) == 2  # added, not yet flushed: counted again
        db.session.commit()
        incidents.remember_unread(user, 2)
        for note in incidents.unread_notifications(user):
            note.read_at = note.created_at
        db.session.flush()

        assert incidents.unread_count(user) == 0
