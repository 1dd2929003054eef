"""The audit trail is one hash chain: tampering in the database is found and named."""

from __future__ import annotations

import threading
from datetime import UTC
from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy import text

from breachdesk.domain.audit_chain import event_hash
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import AuditEvent
from breachdesk.services import accounts
from breachdesk.services import api_tokens
from breachdesk.services import audit
from breachdesk.services import closing
from breachdesk.services import incidents
from breachdesk.services.audit_check import check_chain
from tests.support.reminders import add_incident
from tests.support.reminders import reporter

AWARE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


def six_events() -> None:
    """A user, a token, an incident and changes to them: six events in the chain."""
    dpo = reporter()  # 1: user-created
    incident = add_incident(AWARE)
    audit.record(incident, dpo, "reported", "Suspected breach reported")  # 2
    incidents.change_status(incident, dpo, incidents.IncidentStatus.TRIAGE, "")  # 3
    api_tokens.create_token(dpo, "SIEM")  # 4
    accounts.set_roles(dpo, [Role.DPO, Role.IT], actor=dpo)  # 5
    db.session.commit()
    closing.close(incident, dpo, "Contained.", "")  # 6


def run_sql(statement: str, **params) -> None:
    db.session.execute(text(statement), params)
    db.session.commit()


def test_every_change_is_an_event_with_who_what_before_and_after(ctx):
    six_events()

    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()

    assert [e.kind for e in events] == [
        "user-created",
        "reported",
        "status-changed",
        "token-created",
        "user-roles-changed",
        "incident-closed",
    ]
    assert [e.seq for e in events] == [1, 2, 3, 4, 5, 6]
    roles = events[4]
    assert (roles.actor.username, roles.subject) == ("dana", "user")
    assert roles.before == {"roles": ["dpo"]}
    assert roles.after == {"roles": ["dpo", "it"]}
    assert events[5].before["status"] == "triage"
    assert events[5].after["status"] == "closed"
    assert events[5].after["closing_summary"] == "Contained."
    # The token's name and its short visible prefix; never the secret or its hash.
    assert set(events[3].after) == {"name", "prefix", "user_id"}
    assert len(events[3].after["prefix"]) == api_tokens.SHOWN_PREFIX_CHARS
    assert "password" not in str(events[0].after)


def test_tokens_revoked_by_an_account_change_are_each_an_event(ctx):
    dpo = reporter()
    worker = accounts.create_user("ian", "a long enough passphrase", [Role.IT], actor=dpo)
    api_tokens.create_token(worker, "SIEM")
    api_tokens.create_token(worker, "Laptop")

    accounts.set_enabled(worker, False, actor=dpo)

    revoked = db.session.scalars(
        select(AuditEvent).where(AuditEvent.kind == "token-revoked").order_by(AuditEvent.seq)
    ).all()
    assert [e.actor.username for e in revoked] == ["dana", "dana"]
    assert all("ian's account" in e.summary for e in revoked)
    assert [t.revoked_at is not None for t in api_tokens.tokens_of(worker)] == [True, True]
    assert check_chain().intact


def test_an_untouched_chain_is_intact(ctx):
    six_events()

    report = check_chain()

    assert report.intact
    assert report.checked == 6
    assert report.head_hash == db.session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == 6))


def test_an_event_changed_in_the_database_is_named(ctx):
    six_events()
    run_sql("UPDATE audit_event SET summary = 'Status Triage -> Reported' WHERE seq = 3")

    report = check_chain()

    assert not report.intact
    assert (report.problem.seq, report.problem.what) == (3, "changed")
    assert report.problem.message == "Event #3 was changed after it was written."
    assert report.checked == 2


def test_an_event_rewritten_with_a_fresh_hash_is_still_found_by_the_next_one(ctx):
    six_events()
    row = db.session.scalar(select(AuditEvent).where(AuditEvent.seq == 3))
    forged = _hash_of(row, summary="Nothing happened")
    run_sql(
        "UPDATE audit_event SET summary = 'Nothing happened', hash = :h WHERE seq = 3", h=forged
    )

    problem = check_chain().problem

    assert (problem.seq, problem.what) == (3, "changed")
    assert "event #4 no longer links to it" in problem.message


def test_an_event_deleted_in_the_database_is_named(ctx):
    six_events()
    run_sql("DELETE FROM audit_event WHERE seq = 4")

    problem = check_chain().problem

    assert (problem.seq, problem.what) == (4, "removed")
    assert problem.message == "Event #4 was removed."


def test_the_last_events_deleted_are_found_against_the_head(ctx):
    six_events()
    run_sql("DELETE FROM audit_event WHERE seq >= 5")

    problem = check_chain().problem

    assert (problem.seq, problem.what) == (5, "removed")
    assert problem.message == "Events #5 to #6 were removed from the end of the audit trail."


def test_an_event_inserted_in_the_database_is_named(ctx):
    """A careful forger renumbers the later events and gives the new one a valid hash."""
    six_events()
    second = db.session.scalar(select(AuditEvent).where(AuditEvent.seq == 2))
    at = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    forged = _hash_of(
        second,
        prev_hash=second.hash,
        at=at,
        kind="notice-recorded",
        summary="Told the ICO",
        details={},
    )
    incident_id, actor_id, previous = second.incident_id, second.actor_id, second.hash
    db.session.rollback()
    # Two steps, so no unique seq clashes half way through the renumbering.
    run_sql("UPDATE audit_event SET seq = -seq WHERE seq >= 3")
    run_sql("UPDATE audit_event SET seq = 1 - seq WHERE seq < 0")
    run_sql(
        "INSERT INTO audit_event (seq, at, actor_id, incident_id, subject, subject_id, kind, "
        "summary, details, prev_hash, hash) VALUES (3, :at, :actor, :incident, 'incident', "
        ":incident, 'notice-recorded', 'Told the ICO', '{}', :prev, :hash)",
        at=at.replace(tzinfo=None),
        actor=actor_id,
        incident=incident_id,
        prev=previous,
        hash=forged,
    )

    problem = check_chain().problem

    assert (problem.seq, problem.what) == (3, "inserted")
    assert problem.message == "Event #3 was inserted."


def test_an_event_added_at_the_end_without_the_app_is_named(ctx):
    six_events()
    last = db.session.scalar(select(AuditEvent).where(AuditEvent.seq == 6))
    run_sql(
        "INSERT INTO audit_event (seq, at, subject, kind, summary, details, prev_hash, hash) "
        "VALUES (7, :at, 'incident', 'reported', 'Made up', '{}', :prev, :hash)",
        at=datetime(2026, 11, 21, tzinfo=UTC).replace(tzinfo=None),
        prev=last.hash,
        hash="f" * 64,
    )

    problem = check_chain().problem

    assert (problem.seq, problem.what) == (7, "inserted")


def test_concurrent_writers_never_fork_the_chain(app):
    """Four writers append at once; every event gets its own place and links to the last."""
    with app.app_context():
        dpo_id = reporter().id
        incident_id = add_incident(AWARE).id
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            with app.app_context():
                start.wait(timeout=30)
                for i in range(10):
                    dpo = db.session.get(accounts.User, dpo_id)
                    incident = db.session.get(incidents.Incident, incident_id)
                    audit.record(incident, dpo, "note", f"writer {n} note {i}")
                    db.session.commit()
                db.session.remove()
        except BaseException as exc:  # reported to the test below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    with app.app_context():
        report = check_chain()
        seqs = db.session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)).all()
    assert report.intact, report.problem
    assert seqs == list(range(1, 42))


def _hash_of(row: AuditEvent, **changes) -> str:
    values = {
        "prev_hash": row.prev_hash,
        "at": row.at,
        "actor_id": row.actor_id,
        "incident_id": row.incident_id,
        "subject": row.subject,
        "subject_id": row.subject_id,
        "kind": row.kind,
        "summary": row.summary,
        "details": row.details,
        "before": row.before,
        "after": row.after,
    }
    values |= changes
    return event_hash(values.pop("prev_hash"), values)


@pytest.mark.freeze_time("2026-11-20 12:00:00")
def test_the_demo_history_is_a_sound_chain(ctx):
    from breachdesk.desk import get_profile
    from breachdesk.services import demo

    demo.load_demo(get_profile())

    report = check_chain()
    assert report.intact, report.problem
    assert report.checked > 10
