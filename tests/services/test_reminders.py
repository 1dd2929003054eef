"""Reminders: each goes exactly once across restarts, downtime and racing sweepers."""

from __future__ import annotations

import threading
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select

from breachdesk import create_app
from breachdesk.extensions import db
from breachdesk.models import AuditEvent
from breachdesk.models import ChecklistItem
from breachdesk.models import IncidentStatus
from breachdesk.models import OutboxMessage
from breachdesk.models import Reminder
from breachdesk.models import StepState
from breachdesk.services.notices import record_notice
from breachdesk.services.reminders import mail
from breachdesk.services.reminders import sweep as reminders
from breachdesk.timeutil import utcnow
from tests.support.profiles import serve_profile
from tests.support.reminders import ODL_RECIPIENTS
from tests.support.reminders import add_incident
from tests.support.reminders import assign
from tests.support.reminders import decide
from tests.support.reminders import outbox
from tests.support.reminders import reporter
from tests.support.reminders import sent_keys
from tests.support.reminders import smtp_server

AWARE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
RECIPIENTS = ODL_RECIPIENTS | {"dana@odl.example"}


def at(hours: float) -> datetime:
    return AWARE + timedelta(hours=hours)


def sweep(freezer, hours: float) -> reminders.SweepResult:
    """Move the frozen clock to AWARE + ``hours`` and run one sweep there."""
    freezer.move_to(at(hours))
    return reminders.dispatch_due(utcnow())


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def sunray_ctx(app):
    """Sunray Vision, whose privacy notice promises to tell customers within 72 hours."""
    with serve_profile(app, "sunray").app_context():
        yield app


# One process, time moving


@pytest.mark.freeze_time("2026-11-20 09:00:00")
def test_each_reminder_goes_once_at_its_time_to_the_profile_recipients_and_dpo_users(ctx, freezer):
    incident = add_incident(AWARE)

    assert sweep(freezer, 23.9).queued == 0
    first = sweep(freezer, 24)
    again = sweep(freezer, 24.5)

    assert (first.queued, again.queued) == (1, 0)
    assert sent_keys() == ["ico:+24h"]
    assert {m.to for m in outbox()} == RECIPIENTS
    row = db.session.scalar(select(Reminder))
    assert row.late is False
    assert row.incident_id == incident.id
    for hours in (48, 60, 68, 72, 84, 96):
        sweep(freezer, hours)
        sweep(freezer, hours)  # a second sweep in the same minute finds nothing new
    assert sent_keys() == [
        "ico:+24h",
        "ico:+48h",
        "ico:+60h",
        "ico:+68h",
        "ico:deadline",
        "ico:overdue:1",
        "ico:overdue:2",
    ]
    assert len(outbox()) == 7 * len(RECIPIENTS)
    assert not any(r.late for r in db.session.scalars(select(Reminder)))


@pytest.mark.freeze_time("2026-11-20 09:00:00")
def test_the_email_names_the_reference_the_deadline_with_zone_time_left_and_a_link(ctx, freezer):
    incident = add_incident(AWARE)

    sweep(freezer, 48)

    message = next(m for m in outbox() if m.to == "dpo@odl.example")
    assert incident.reference in message.subject
    assert "Mon 23 Nov 2026, 09:00 GMT" in message.body
    assert "24 hours left" in message.body
    assert f"/incidents/{incident.reference}" in message.body
    assert incident.description not in message.body  # no personal data in a mailbox


@pytest.mark.freeze_time("2026-11-20 09:00:00")
def test_the_deadline_passing_is_recorded_in_the_incident_history(ctx, freezer):
    incident = add_incident(AWARE)

    sweep(freezer, 72)

    kinds = db.session.scalars(
        select(AuditEvent.kind).where(AuditEvent.incident_id == incident.id)
    ).all()
    assert "deadline-passed" in kinds


# Restart and downtime


@pytest.mark.freeze_time("2026-11-20 09:00:00")
def test_a_restart_neither_loses_nor_repeats_a_reminder(app, freezer):
    with app.app_context():
        add_incident(AWARE)
        sweep(freezer, 24)
        config = dict(app.config)
    restarted = create_app(
        {k: config[k] for k in ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "PROFILE")}
    )

    with restarted.app_context():
        sweep(freezer, 24.1)  # the new process's first sweep
        sweep(freezer, 48)
        assert sent_keys() == ["ico:+24h", "ico:+48h"]
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2 * len(
            RECIPIENTS
        )
        db.session.remove()
        db.engine.dispose()


@pytest.mark.freeze_time("2026-11-20 09:00:00")
def test_downtime_across_two_reminder_times_sends_each_once_at_start_up_marked_late(ctx, freezer):
    add_incident(AWARE)
    sweep(freezer, 23)

    after_downtime = sweep(freezer, 50)  # down from 23 h to 50 h: +24h and +48h missed
    sweep(freezer, 50.05)

    assert after_downtime.queued == 2
    assert sent_keys() == ["ico:+24h", "ico:+48h"]
    rows = db.session.scalars(select(Reminder).order_by(Reminder.due_at)).all()
    assert [r.late for r in rows] == [True, True]
    assert {r.sent_at for r in rows} == {at(50)}
    late_note = next(m for m in outbox() if m.to == "dpo@odl.example").body
    assert "26 hours late" in late_note
    assert "Now: 22 hours left." in late_note


@pytest.mark.freeze_time("2026-11-20 09:00:00")
def test_of_several_missed_overdue_reminders_only_the_latest_goes(ctx, freezer):
    add_incident(AWARE)
    sweep(freezer, 70)

    sweep(freezer, 100)  # missed: deadline (72), overdue:1 (84), overdue:2 (96)
    sweep(freezer, 108)

    assert sent_keys() == ["ico:+24h", "ico:+48h", "ico:+60h", "ico:+68h", "ico:deadline",
                           "ico:overdue:2", "ico:overdue:3"]  # fmt: skip
    # The missed one is not even planned: one row per reminder sent, not per missed interval.
    keys = db.session.scalars(select(Reminder.key).order_by(Reminder.due_at)).all()
    assert keys == sent_keys()


@pytest.mark.freeze_time("2026-11-20 09:00:00")
def test_a_reminder_falling_due_within_the_sweep_interval_is_not_late(ctx, freezer):
    add_incident(AWARE)
    sweep(freezer, 24 - 30 / 3600)

    sweep(freezer, 24 + 59 / 3600)  # a sweep 60 s later, as if one were missed

    assert db.session.scalar(select(Reminder.late)) is False


# Clocks that stop


@pytest.mark.freeze_time("2026-11-20 09:00:00")
def test_no_ico_reminder_after_the_ico_was_told(ctx, freezer):
    incident = add_incident(AWARE)
    sweep(freezer, 24)
    freezer.move_to(at(30))
    record_notice(incident, "ico", at(29), "ICO-123", "online form", "ICO", None, reporter())

    sweep(freezer, 100)

    assert sent_keys() == ["ico:+24h"]
    assert incident.status is IncidentStatus.NOTIFIED


@pytest.mark.freeze_time("2026-11-20 09:00:00")
def test_a_decision_taken_back_restarts_reminders_from_the_original_awareness(ctx, freezer):
    incident = add_incident(AWARE)
    decide(incident, at(2), notify_ico=False)
    sweep(freezer, 30)
    assert sent_keys() == []

    decide(incident, at(40), notify_ico=True)
    sweep(freezer, 40)
    sweep(freezer, 48)

    # +24h was missed while the clock stood still, and goes once, late; the 72 hours still
    # run from the original awareness.
    assert sent_keys() == ["ico:+24h", "ico:+48h"]


def people_messages() -> list[OutboxMessage]:
    return [m for m in outbox() if "people" in m.subject and m.to == "dana@odl.example"]


def history_of(incident) -> list[str]:
    query = select(AuditEvent.summary).where(AuditEvent.incident_id == incident.id)
    return list(db.session.scalars(query))


@pytest.mark.freeze_time("2026-11-20 09:00:00")
def test_without_a_promise_people_not_told_are_nudged_daily_never_as_a_missed_deadline(
    ctx, freezer
):
    incident = add_incident(AWARE)
    decide(incident, at(10), notify_ico=True, notify_people="yes")

    sweep(freezer, 33.9)
    before = sent_keys()
    sweep(freezer, 34)
    first = people_messages()
    sweep(freezer, 130)  # days pass: only the latest nudge goes, once

    assert before == ["ico:+24h"]
    assert first[0].subject == (
        f"[breachdesk] {incident.reference}: Decided to tell the people 24 hours ago: "
        "still not told"
    )
    assert "The decision to tell the people affected was taken Fri 20 Nov 2026, 19:00 GMT" in (
        first[0].body
    )
    assert "without undue delay; it sets no hours" in first[0].body
    assert [k for k in sent_keys() if k.startswith("people")] == [
        "people:not-told:1",
        "people:not-told:5",
    ]
    for message in people_messages():
        text = (message.subject + message.body).lower()
        assert "deadline" not in text
        assert "overdue" not in text
        assert "left" not in text
    history = history_of(incident)
    assert not any("people" in line and "passed" in line for line in history)


@pytest.mark.freeze_time("2026-11-20 09:00:00")
def test_a_promise_to_tell_people_reminds_from_awareness_as_the_organisations_own(
    sunray_ctx, freezer
):
    incident = add_incident(AWARE)
    decide(incident, at(10), notify_ico=True, notify_people="yes")

    sweep(freezer, 24)
    sweep(freezer, 84)

    assert [k for k in sent_keys() if k.startswith("people")] == [
        "people:+24h",
        "people:+48h",
        "people:+60h",
        "people:+68h",
        "people:deadline",
        "people:overdue:1",
    ]
    first = people_messages()[0]
    assert "Mon 23 Nov 2026, 09:00 GMT" in first.body  # 72 hours from awareness
    assert (
        "Sunray Vision's privacy notice promises to tell customers within 72 hours (its own "
        "promise, counted from becoming aware; the law asks for without undue delay" in first.body
    )
    assert first.subject == (
        f"[breachdesk] {incident.reference}: promised time to tell people "
        "Mon 23 Nov 2026, 09:00 GMT (48 hours left)"
    )
    assert "24 hours since awareness: 48 hours left to keep the promise to tell the people" in (
        first.body
    )
    history = history_of(incident)
    assert (
        "The time promised for telling the people affected passed without a notice to them."
        in history
    )


@pytest.mark.freeze_time("2026-11-20 09:00:00")
def test_a_late_decision_sends_no_reminder_for_the_promise_from_before_it(sunray_ctx, freezer):
    incident = add_incident(AWARE)
    decide(incident, at(50), notify_ico=True, notify_people="yes")

    sweep(freezer, 50.1)

    assert [k for k in sent_keys() if k.startswith("people")] == []
    assert sent_keys(incident.id)[-1] == "ico:+48h"


@pytest.mark.freeze_time("2026-11-20 09:00:00")
def test_a_closed_incident_gets_no_reminders(ctx, freezer):
    incident = add_incident(AWARE)
    incident.status = IncidentStatus.CLOSED
    incident.closed_at = at(1)
    db.session.commit()

    sweep(freezer, 80)

    assert sent_keys() == []


# Playbook steps


def add_step(incident, step_id: str, role: str, within_minutes: int, started_at: datetime):
    item = ChecklistItem(
        incident_id=incident.id,
        playbook_id="ransomware",
        step_id=step_id,
        position=1,
        phase="contain",
        title=f"Do {step_id}",
        role=role,
        within_minutes=within_minutes,
        started_at=started_at,
    )
    db.session.add(item)
    db.session.commit()
    return item


@pytest.mark.freeze_time("2026-11-20 09:00:00")
def test_an_overdue_it_step_reminds_the_assigned_it_users_once(ctx, freezer):
    incident = add_incident(AWARE)
    assign(incident, "reliant", "it@reliant.example")
    add_step(incident, "isolate", "it", 30, AWARE)
    add_step(incident, "log", "dpo", 60, AWARE)

    sweep(freezer, 0.4)
    assert sent_keys() == []
    sweep(freezer, 0.6)
    sweep(freezer, 2)

    assert sent_keys() == ["step:isolate", "step:log"]
    to_it = [m for m in outbox() if m.to == "it@reliant.example"]
    assert len(to_it) == 1
    assert "Do isolate" in to_it[0].subject
    dpo_step = [m for m in outbox() if "Do log" in m.subject]
    assert {m.to for m in dpo_step} == RECIPIENTS


@pytest.mark.freeze_time("2026-11-20 09:00:00")
def test_a_step_ticked_in_time_sends_nothing(ctx, freezer):
    incident = add_incident(AWARE)
    item = add_step(incident, "isolate", "it", 30, AWARE)
    item.state = StepState.DONE
    db.session.commit()

    sweep(freezer, 5)

    assert sent_keys() == []


# Racing sweepers


def _race(apps, now: datetime, mailer) -> list[BaseException]:
    """Run one full sweep in each app at once, from a common start line."""
    start = threading.Barrier(len(apps))
    errors: list[BaseException] = []

    def run(one_app) -> None:
        try:
            with one_app.app_context():
                start.wait()
                reminders.dispatch_due(now)
                reminders.deliver_outbox(now, mailer)
                db.session.remove()
        except BaseException as exc:  # reported to the test below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(a,)) for a in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_two_sweepers_racing_send_every_reminder_exactly_once(app, backend):
    """Two processes' worth of engines and sessions on one database (file SQLite or PostgreSQL)."""
    keys = ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "PROFILE")
    others = [create_app({k: app.config[k] for k in keys}) for _ in range(2)]
    controller, inbox = smtp_server()
    mailer = mail.SmtpMailer(
        mail.MailSettings(server="127.0.0.1", port=controller.port, sender="desk@odl.example")
    )
    try:
        with app.app_context():
            incidents = [add_incident(AWARE - timedelta(minutes=i)) for i in range(4)]
            references = {i.reference for i in incidents}
        for hours in (24, 48, 49, 72):
            errors = _race(others, at(hours) + timedelta(minutes=5), mailer)
            assert errors == []
        with app.app_context():
            rows = db.session.scalars(select(Reminder).where(Reminder.sent_at.is_not(None)))
            sent = sorted((r.incident_id, r.key) for r in rows)
            assert len(sent) == len(set(sent)) == 4 * 5  # +24h ... +68h and the deadline
            assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 20 * len(
                RECIPIENTS
            )
    finally:
        controller.stop()
        for other in others:
            with other.app_context():
                db.engine.dispose()
    received = [(m["To"], m.get_payload(decode=True)) for m in inbox.messages]
    assert len(received) == len(set(received)) == 20 * len(RECIPIENTS)
    subjects = {str(m["Subject"]).split(":")[0] for m in inbox.messages}
    assert {s.removeprefix("[breachdesk] ") for s in subjects} == references


# The scheduler and the commands


def test_the_scheduler_plans_every_5_seconds_and_sends_every_10_in_two_jobs(sqlite_app):
    from apscheduler.triggers.interval import IntervalTrigger

    from breachdesk import scheduler

    built = scheduler.build_scheduler(sqlite_app)
    blocking = scheduler.build_scheduler(sqlite_app, blocking=True)

    jobs = {job.id: job for job in built.get_jobs()}
    assert jobs["dispatch-due"].trigger.interval == timedelta(seconds=5)
    assert jobs["deliver-outbox"].trigger.interval == timedelta(seconds=10)
    for job in jobs.values():
        assert isinstance(job.trigger, IntervalTrigger)
        assert (job.coalesce, job.max_instances) == (True, 1)
    assert not built.running
    assert type(blocking).__name__ == "BlockingScheduler"
    assert jobs["retention"].trigger.interval == timedelta(hours=24)  # once a day
    assert len(jobs) == len(blocking.get_jobs()) == 3


@pytest.mark.freeze_time("2026-11-21 09:30:00")
def test_one_sweep_from_the_job_or_the_command_queues_what_is_due(sqlite_app):
    from breachdesk import scheduler

    with sqlite_app.app_context():
        add_incident(AWARE)
    scheduler.sweep(sqlite_app)
    output = sqlite_app.test_cli_runner().invoke(args=["dispatch-due"]).output

    with sqlite_app.app_context():
        assert sent_keys() == ["ico:+24h"]
    assert "0 queued" in output
    assert "No mail server configured" in output


# Cost that does not grow with the number of incidents


def statements_of(action) -> int:
    from sqlalchemy import event

    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


@pytest.mark.freeze_time("2026-11-20 09:00:00")
def test_a_sweep_with_nothing_due_costs_the_same_for_3_or_30_incidents(ctx, freezer):
    for i in range(3):
        add_incident(AWARE - timedelta(minutes=i))
    sweep(freezer, 1)  # the first look at each new incident plans its next reminder time
    few = statements_of(lambda: reminders.dispatch_due(at(2)))
    for i in range(27):
        add_incident(AWARE - timedelta(minutes=3 + i))
    sweep(freezer, 1.5)
    many = statements_of(lambda: reminders.dispatch_due(at(2)))

    assert few == many == 2  # one look for incidents due, one for reminders due: none found


@pytest.mark.freeze_time("2026-11-20 09:00:00")
def test_queuing_many_reminders_costs_statements_per_batch_not_per_reminder(ctx, freezer):
    for i in range(3):
        add_incident(AWARE - timedelta(seconds=i))
    few = statements_of(lambda: sweep(freezer, 24.1))
    db.session.commit()
    for i in range(27):
        add_incident(AWARE + timedelta(hours=1, seconds=i))
    many = statements_of(lambda: sweep(freezer, 25.1))

    assert sent_keys().count("ico:+24h") == 30
    assert few == many


def test_only_one_scheduler_holds_the_lock_at_a_time(app, tmp_path):
    """On PostgreSQL an advisory lock, shared by schedulers on any host; on SQLite a file."""
    from breachdesk import scheduler

    app.instance_path = str(tmp_path / "instance")
    held = scheduler.try_lock(app)
    try:
        assert held is not None
        assert scheduler.try_lock(app) is None
        assert scheduler.start_in_process(app) is None
    finally:
        held.close()
    again = scheduler.try_lock(app)
    assert again is not None
    again.close()
    on_postgres = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    # Schedulers on several hosts share the database, not a file: none is made for them.
    assert (tmp_path / "instance" / "scheduler.lock").exists() is not on_postgres
