"""The clocks on the pages, recording notices, and the outbox page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import NoticeRecord
from breachdesk.models import OutboxMessage
from breachdesk.services.reminders import sweep as reminders
from breachdesk.timeutil import utcnow
from tests.web.test_reporting import report

REF = "BD-2026-0001"
DETAIL = f"/incidents/{REF}"
NOTICE_URL = f"/incidents/{REF}/notices/new"


def text_of(response) -> str:
    """The page as a reader sees it: tags dropped, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.fixture
def dpo(login_as):
    return login_as("dana", Role.DPO)


def filed(dpo, noticed_at: str) -> None:
    response = report(dpo, noticed_at=noticed_at, occurred_at=None)
    assert response.status_code == 200


def notice(**changes) -> dict:
    return {
        "audience": "ico",
        "told_at": "2026-10-25T09:00",
        "reference": "ICO-00123",
        "channel": "ICO online form",
        "recipient": "ICO",
        "delay_reasons": "",
        **changes,
    }


def notices_saved(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(NoticeRecord))


# The deadline, its zone and the words agree on every page


@pytest.mark.freeze_time("2026-10-24 09:30:00")
def test_autumn_deadline_shows_in_gmt_with_the_same_words_on_the_incident_page_and_dashboard(
    dpo,
):
    filed(dpo, "2026-10-24T10:00")  # 10:00 BST

    page = text_of(dpo.get(DETAIL))
    dashboard = text_of(dpo.get("/incidents/"))

    for shown in (page, dashboard):
        assert "Tue 27 Oct 2026, 09:00 GMT" in shown
        assert "71 hours 30 minutes left" in shown
    assert "Tell the ICO by Tue 27 Oct 2026, 09:00 GMT : 71 hours 30 minutes left" in page


@pytest.mark.freeze_time("2026-03-28 12:30:00")
def test_spring_deadline_shows_in_bst_with_the_same_words(dpo):
    filed(dpo, "2026-03-28T12:00")  # 12:00 GMT

    page = text_of(dpo.get(DETAIL))

    assert "Tue 31 Mar 2026, 13:00 BST" in page
    assert "71 hours 30 minutes left" in page
    assert "Tue 31 Mar 2026, 13:00 GMT" not in page


@pytest.mark.freeze_time("2026-10-24 09:30:00")
def test_the_countdown_carries_the_deadline_for_the_script_and_works_without_it(dpo):
    filed(dpo, "2026-10-24T10:00")

    html = dpo.get(DETAIL).get_data(as_text=True)

    assert 'data-due="2026-10-27T09:00:00+00:00"' in html
    assert "urgency-calm" in html


# Recording that the ICO was told


@pytest.mark.freeze_time("2026-10-25 12:00:00")
def test_the_dpo_records_the_ico_notice_and_the_clock_stops(app, dpo):
    filed(dpo, "2026-10-24T10:00")

    form = dpo.get(NOTICE_URL)
    response = dpo.post(NOTICE_URL, notice())
    page = text_of(dpo.get(DETAIL))

    assert form.status_code == 200
    assert response.status_code == 302
    assert "stopped: ICO told Sun 25 Oct 2026, 09:00 GMT" in page
    assert "reference ICO-00123" in page
    assert notices_saved(app) == 1
    with app.app_context():
        assert db.session.scalar(select(Incident.status)).value == "notified"


@pytest.mark.freeze_time("2026-10-28 12:00:00")
def test_a_late_ico_notice_without_reasons_is_refused_beside_the_field(app, dpo):
    filed(dpo, "2026-10-24T10:00")

    response = dpo.post(NOTICE_URL, notice(told_at="2026-10-28T11:00"))

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="delay_reasons-error"' in page
    assert "26 hours after the deadline" in page
    assert "Art. 33(1)" in page
    assert notices_saved(app) == 0
    accepted = dpo.post(
        NOTICE_URL, notice(told_at="2026-10-28T11:00", delay_reasons="Logs took days to restore.")
    )
    assert accepted.status_code == 302
    assert "Late" in text_of(dpo.get(DETAIL))


@pytest.mark.freeze_time("2026-10-25 12:00:00")
@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"told_at": "yesterday"}, "told_at", "date and time"),
        ({"told_at": ""}, "told_at", "date and time"),
        ({"told_at": "2026-10-26T09:00"}, "told_at", "future"),
        ({"reference": ""}, "reference", "case reference"),
        ({"audience": "press"}, "audience", "Not a valid choice"),
    ],
)
def test_bad_notice_input_gets_a_message_and_a_400(app, dpo, changes, field, words):
    filed(dpo, "2026-10-24T10:00")

    response = dpo.post(NOTICE_URL, notice(**changes))

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert words in page
    assert notices_saved(app) == 0


@pytest.mark.freeze_time("2026-10-25 12:00:00")
def test_only_the_dpo_may_record_a_notice_and_never_without_the_csrf_token(
    app, dpo, login_as, make_user
):
    filed(dpo, "2026-10-24T10:00")
    staff = login_as("sam", Role.STAFF)
    it = login_as("reliant", Role.IT)

    assert staff.get(NOTICE_URL).status_code == 403
    assert it.post(NOTICE_URL, notice(), form_url="/report/new").status_code == 403
    assert dpo.client.post(NOTICE_URL, data=notice()).status_code == 400
    assert dpo.get("/incidents/BD-2026-0999/notices/new").status_code == 404
    assert notices_saved(app) == 0


# The outbox


@pytest.mark.freeze_time("2026-10-25 12:00:00")
def test_the_outbox_shows_reminders_kept_in_the_app_without_a_mail_server(app, dpo, login_as):
    filed(dpo, "2026-10-24T10:00")
    with app.app_context():
        reminders.dispatch_due(utcnow())

    page = text_of(dpo.get("/incidents/outbox"))

    assert "No mail server is configured" in page
    assert "Kept in the app (2)" in page  # the profile's DPO and deputy (dana has no email)
    assert f"[breachdesk] {REF}: ICO deadline Tue 27 Oct 2026, 09:00 GMT" in page
    assert login_as("sam", Role.STAFF).get("/incidents/outbox").status_code == 403


@pytest.mark.freeze_time("2026-10-25 12:00:00")
def test_after_a_catch_up_each_person_gets_one_outbox_line_that_opens_on_every_email(
    app, dpo, login_as
):
    filed(dpo, "2026-10-21T10:00")  # every reminder of the countdown was missed
    with app.app_context():
        reminders.dispatch_due(utcnow())
        messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        addresses = {m.to for m in messages}
        per_address = len(messages) // len(addresses)
        first_id = min(m.id for m in messages)
        bodies = [m.body for m in messages if m.to == messages[0].to]
    assert per_address >= 4
    assert len(messages) == per_address * len(addresses)

    outbox = dpo.get("/incidents/outbox").get_data(as_text=True)

    waiting = outbox.split("Kept in the app", 1)[1].split("</tbody>", 1)[0]
    rows = waiting.split("<tbody>", 1)[1].count("<tr>")
    assert rows == len(addresses)  # one line per person, not one per email
    assert waiting.count(f"{per_address} reminders queued together") == len(addresses)
    assert f'href="/incidents/outbox/{first_id}"' in waiting
    opened = dpo.get(f"/incidents/outbox/{first_id}")
    assert opened.status_code == 200
    page = opened.get_data(as_text=True)
    assert f"{per_address} reminders to {messages[0].to}" in page
    assert page.count('class="panel outbox-message"') == per_address
    for body in bodies:
        assert body.splitlines()[0] in page
    assert dpo.get("/incidents/outbox/99999").status_code == 404
    assert login_as("sam", Role.STAFF).get(f"/incidents/outbox/{first_id}").status_code == 403


@pytest.mark.freeze_time("2026-10-25 12:00:00")
def test_a_message_claimed_but_never_confirmed_is_flagged_and_only_the_dpo_releases_it(
    app, dpo, freezer
):
    filed(dpo, "2026-10-24T10:00")
    with app.app_context():
        reminders.dispatch_due(utcnow())
        message = db.session.scalar(select(OutboxMessage))
        message.sending_since = utcnow()  # a sender died mid-send
        message_id = message.id
        db.session.commit()
    action = f"/incidents/outbox/{message_id}/release"

    too_soon = dpo.post(action, {}, form_url="/incidents/outbox")
    freezer.tick(timedelta(minutes=11))
    flagged = text_of(dpo.get("/incidents/outbox"))
    released = dpo.post(action, {}, form_url="/incidents/outbox")

    assert too_soon.status_code == 409
    assert "not waiting for a manual check" in too_soon.get_data(as_text=True)
    assert "Check manually (1)" in flagged
    assert released.status_code == 302
    with app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        assert message.sending_since is None
        assert message.delivered_at is None


@pytest.mark.freeze_time("2026-10-25 12:00:00")
def test_a_send_of_unknown_outcome_alerts_the_dpo_once_however_many_runs_pass(app, dpo, freezer):
    filed(dpo, "2026-10-24T10:00")
    with app.app_context():
        reminders.dispatch_due(utcnow())
        message = db.session.scalar(select(OutboxMessage))
        message.sending_since = utcnow()  # a sender died mid-send
        message_id, to = message.id, message.to
        db.session.commit()
    alert = f"The email to {to} about {REF} may or may not have been sent"

    def runs(count: int) -> None:
        for _ in range(count):
            with app.app_context():
                reminders.deliver_outbox(utcnow(), None)
            freezer.tick(timedelta(seconds=10))

    runs(3)  # still within the ten minutes a send may take: not yet "check manually"
    before = text_of(dpo.get("/incidents/alerts"))
    freezer.tick(timedelta(minutes=10))
    runs(30)
    after = text_of(dpo.get("/incidents/alerts"))
    dpo.post(f"/incidents/outbox/{message_id}/release", {}, form_url="/incidents/outbox")
    with app.app_context():
        db.session.get(OutboxMessage, message_id).sending_since = utcnow()  # stuck once more
        db.session.commit()
    freezer.tick(timedelta(minutes=11))
    runs(5)
    again = text_of(dpo.get("/incidents/alerts"))

    assert alert not in before
    assert after.count(alert) == 1
    assert "mark it on the Outbox page" in after
    assert again.count(alert) == 2  # the second stuck send is news; the first is not repeated


@pytest.mark.freeze_time("2026-10-25 12:00:00")
def test_it_sees_the_clocks_but_not_the_notices_and_the_dpo_sees_failed_emails(app, dpo, login_as):
    filed(dpo, "2026-10-24T10:00")
    dpo.post(NOTICE_URL, notice(audience="people", reference="", recipient="Patients"))
    with app.app_context():
        reminders.dispatch_due(utcnow())
        message = db.session.scalar(select(OutboxMessage))
        message.attempts, message.last_error = 1, "The mail server refused the connection."
        db.session.commit()
    it = login_as("reliant", Role.IT)
    with app.app_context():
        from breachdesk.models import IncidentAssignment
        from breachdesk.models import User

        it_id = db.session.scalar(select(User.id).where(User.username == "reliant"))
        db.session.add(IncidentAssignment(incident_id=1, user_id=it_id))
        db.session.commit()

    seen_by_it = text_of(it.get(DETAIL))
    seen_by_dpo = text_of(dpo.get(DETAIL))

    assert "Tell the ICO by Tue 27 Oct 2026, 09:00 GMT" in seen_by_it
    assert "Patients" not in seen_by_it
    assert "Who was told" in seen_by_dpo
    assert "(Patients)" in seen_by_dpo
    assert "1 reminder email failed and will be retried" in seen_by_dpo
