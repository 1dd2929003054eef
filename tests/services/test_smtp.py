"""Email through a real SMTP server on loopback: plain, STARTTLS, TLS, and retries."""

from __future__ import annotations

import logging
import socket
import ssl
import subprocess
import time
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from aiosmtpd.smtp import AuthResult
from flask import Config

from breachdesk.extensions import db
from breachdesk.services.reminders import mail
from breachdesk.services.reminders import outbox as outbox_service
from breachdesk.services.reminders import sweep as reminders
from tests.conftest import Browser
from tests.support.reminders import ODL_RECIPIENTS
from tests.support.reminders import add_incident
from tests.support.reminders import free_port
from tests.support.reminders import outbox
from tests.support.reminders import smtp_server

AWARE = datetime(2026, 10, 24, 9, 0, tzinfo=UTC)  # 10:00 BST; due Tue 27 Oct 09:00 GMT
RECIPIENTS = ODL_RECIPIENTS | {"dana@odl.example"}
PASSWORD = "not-to-be-seen-7781"


def at(hours: float) -> datetime:
    return AWARE + timedelta(hours=hours)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1, standing in for a private CA."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


def server_context(certificate) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def ctx(sqlite_app):
    with sqlite_app.app_context():
        yield sqlite_app


def configure(app, port: int, **settings) -> mail.SmtpMailer:
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_SENDER="desk@odl.example")
    app.config.update(settings)
    return mail.mailer_for(app.config)


def test_a_loopback_smtp_server_receives_the_reminder_with_reference_and_deadline(ctx):
    incident = add_incident(AWARE)
    controller, inbox = smtp_server()
    try:
        mailer = configure(ctx, controller.port)
        reminders.dispatch_due(at(24))
        delivered = reminders.deliver_outbox(at(24), mailer)
    finally:
        controller.stop()

    assert delivered.delivered == len(RECIPIENTS)
    assert {m["To"] for m in inbox.messages} == RECIPIENTS
    received = inbox.to("dpo@odl.example")[0]
    body = received.get_payload(decode=True).decode()
    assert incident.reference in received["Subject"]
    assert received["From"] == "desk@odl.example"
    assert "Tue 27 Oct 2026, 09:00 GMT" in body
    assert "48 hours left" in body
    assert f"/incidents/{incident.reference}" in body
    assert all(m.delivered_at == at(24) and m.attempts == 1 for m in outbox())


def test_starttls_with_a_private_ca_delivers(ctx, certificate):
    add_incident(AWARE)
    controller, inbox = smtp_server(tls_context=server_context(certificate), require_starttls=True)
    try:
        mailer = configure(ctx, controller.port, MAIL_USE_TLS=True, MAIL_CA_FILE=certificate[0])
        reminders.dispatch_due(at(24))
        delivered = reminders.deliver_outbox(at(24), mailer)
    finally:
        controller.stop()

    assert delivered.delivered == len(RECIPIENTS) == len(inbox.messages)


def test_implicit_tls_delivers(ctx, certificate):
    add_incident(AWARE)
    controller, inbox = smtp_server(ssl_context=server_context(certificate))
    try:
        mailer = configure(ctx, controller.port, MAIL_USE_SSL=True, MAIL_CA_FILE=certificate[0])
        reminders.dispatch_due(at(24))
        delivered = reminders.deliver_outbox(at(24), mailer)
    finally:
        controller.stop()

    assert delivered.delivered == len(RECIPIENTS) == len(inbox.messages)


def test_a_certificate_the_desk_cannot_trust_is_a_failure_not_a_plain_send(ctx, certificate):
    add_incident(AWARE)
    controller, inbox = smtp_server(ssl_context=server_context(certificate))
    try:
        mailer = configure(ctx, controller.port, MAIL_USE_SSL=True)  # no CA file given
        reminders.dispatch_due(at(24))
        result = reminders.deliver_outbox(at(24), mailer)
    finally:
        controller.stop()

    assert (result.delivered, result.failed) == (0, len(RECIPIENTS))
    assert inbox.messages == []
    assert "secure connection" in outbox()[0].last_error


def test_with_the_server_down_the_send_is_retried_shown_and_later_delivered_once(ctx):
    incident = add_incident(AWARE)
    port = free_port()  # nothing listens here yet
    mailer = configure(ctx, port)
    reminders.dispatch_due(at(24))

    failed = reminders.deliver_outbox(at(24), mailer)
    not_yet = reminders.deliver_outbox(at(24) + timedelta(seconds=30), mailer)
    page = outbox_page(ctx, at(24) + timedelta(seconds=30))

    assert (failed.delivered, failed.failed) == (0, len(RECIPIENTS))
    assert (not_yet.delivered, not_yet.failed) == (0, 0)  # backing off: first retry after 1 min
    message = outbox()[0]
    assert message.attempts == 1
    assert message.next_attempt_at == at(24) + timedelta(minutes=1)
    assert "refused the connection" in message.last_error
    assert f"Failed, retrying ({len(RECIPIENTS)})" in page
    assert "refused the connection" in page

    controller, inbox = smtp_server(port=port)
    try:
        later = reminders.deliver_outbox(at(24) + timedelta(minutes=1), mailer)
        again = reminders.deliver_outbox(at(25), mailer)
    finally:
        controller.stop()

    assert later.delivered == len(RECIPIENTS)
    assert again.delivered == 0
    assert sorted(m["To"] for m in inbox.messages) == sorted(RECIPIENTS)
    assert incident.reference in inbox.messages[0]["Subject"]
    assert all(m.attempts == 2 and m.delivered_at is not None for m in outbox())


def outbox_page(app, now: datetime) -> str:
    """The DPO's outbox page as rendered at ``now``."""
    db.session.commit()
    browser = Browser(app)
    browser.login("dana")
    from freezegun import freeze_time

    with freeze_time(now):
        return browser.get("/incidents/outbox").get_data(as_text=True)


def test_backoff_doubles_and_stops_growing_at_an_hour():
    delays = [outbox_service.retry_delay(n) for n in (1, 2, 3, 4, 7, 20)]

    assert delays[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert delays[4:] == [timedelta(hours=1)] * 2


def test_a_refused_password_is_reported_without_the_password(ctx, caplog):
    add_incident(AWARE)
    controller, inbox = smtp_server(
        authenticator=lambda *args: AuthResult(success=False, handled=False),
        auth_require_tls=False,
    )
    caplog.set_level(logging.DEBUG)
    try:
        mailer = configure(ctx, controller.port, MAIL_USERNAME="desk", MAIL_PASSWORD=PASSWORD)
        reminders.dispatch_due(at(24))
        result = reminders.deliver_outbox(at(24), mailer)
    finally:
        controller.stop()

    assert result.failed == len(RECIPIENTS)
    assert inbox.messages == []
    error = outbox()[0].last_error
    assert "refused the username or password" in error
    assert PASSWORD not in error
    assert PASSWORD not in repr(mailer.settings)
    assert PASSWORD not in caplog.text


def test_two_deliverers_never_send_one_message_twice(ctx):
    add_incident(AWARE)
    controller, inbox = smtp_server()
    try:
        mailer = configure(ctx, controller.port)
        reminders.dispatch_due(at(24))
        first = reminders.deliver_outbox(at(24), mailer)
        ids = [m.id for m in outbox()]
        # A second deliverer that read the same ids a moment earlier loses every claim.
        second = [outbox_service._deliver_one(i, at(24), mailer) for i in ids]
    finally:
        controller.stop()

    assert first.delivered == len(RECIPIENTS)
    assert second == [None] * len(RECIPIENTS)
    assert len(inbox.messages) == len(RECIPIENTS)


def test_settings_come_from_breachdesk_mail_environment_variables(monkeypatch):
    monkeypatch.setenv("BREACHDESK_MAIL_SERVER", "smtp.example.net")
    monkeypatch.setenv("BREACHDESK_MAIL_PORT", "2525")
    monkeypatch.setenv("BREACHDESK_MAIL_USE_TLS", "true")
    monkeypatch.setenv("BREACHDESK_MAIL_USERNAME", "desk@example.net")
    monkeypatch.setenv("BREACHDESK_MAIL_PASSWORD", PASSWORD)
    config = Config(".")
    config.from_prefixed_env("BREACHDESK")

    settings = mail.settings_from_config(config)

    assert (settings.server, settings.port, settings.use_tls, settings.use_ssl) == (
        "smtp.example.net",
        2525,
        True,
        False,
    )
    assert settings.sender == "desk@example.net"
    assert PASSWORD not in repr(settings)


def test_without_a_mail_server_there_is_no_mailer_and_messages_stay_in_the_outbox(ctx):
    add_incident(AWARE)
    reminders.dispatch_due(at(24))

    assert mail.mailer_for(ctx.config) is None
    assert reminders.deliver_outbox(at(24), None).delivered == 0
    assert all(m.delivered_at is None and m.attempts == 0 for m in outbox())


def silent_server() -> socket.socket:
    """A server that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    return listener


def test_a_silent_mail_server_costs_a_short_timeout_per_email_and_a_run_keeps_to_its_budget(ctx):
    add_incident(AWARE)
    listener = silent_server()
    port = listener.getsockname()[1]
    mailer = configure(ctx, port, MAIL_TIMEOUT=0.3)
    reminders.dispatch_due(at(24))  # one reminder: an email to each of the three recipients
    try:
        started = time.monotonic()
        result = reminders.deliver_outbox(at(24), mailer, budget_seconds=0.5)
        took = time.monotonic() - started
    finally:
        listener.close()

    assert (result.delivered, result.failed) == (0, 2)  # the third waits for the next run
    assert took < 2
    failed = [m for m in outbox() if m.attempts]
    assert [m.last_error for m in failed] == [
        "The mail server 127.0.0.1:" + str(port) + " did not answer in time."
    ] * 2
    assert len(outbox()) == len(RECIPIENTS)


def test_a_silent_mail_server_never_delays_planning_reminders(ctx):
    from breachdesk import scheduler

    add_incident(datetime.now(UTC) - timedelta(hours=24, minutes=1))  # its +24h is due now
    listener = silent_server()
    configure(ctx, listener.getsockname()[1], MAIL_TIMEOUT=5)
    try:
        started = time.monotonic()
        scheduler.sweep(ctx)  # the planning job: it never talks to the mail server
        took = time.monotonic() - started
    finally:
        listener.close()

    assert took < 5
    assert len(outbox()) == len(RECIPIENTS)
    assert not any(m.attempts for m in outbox())
