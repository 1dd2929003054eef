"""Migrations: `breachdesk db upgrade` builds exactly the models' schema and keeps data."""

from __future__ import annotations

import json
import uuid
from datetime import UTC
from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade
from flask_migrate import upgrade
from sqlalchemy import inspect
from sqlalchemy import text

from breachdesk import create_app
from breachdesk.extensions import db
from breachdesk.extensions import migrate
from breachdesk.models import derived
from breachdesk.services import incident_lists
from breachdesk.services.incident_lists import IncidentFilter
from breachdesk.services.list_pages import Position
from tests.conftest import base_config


@pytest.fixture
def empty_app(backend, tmp_path, request):
    if backend == "postgres":
        server = request.getfixturevalue("pg_server")
        url = server.create_database(f"mig_{uuid.uuid4().hex[:10]}")
    else:
        url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = create_app(base_config(tmp_path, url))
    yield app
    with app.app_context():
        db.engine.dispose()


def revisions(app) -> list[str]:
    with app.app_context():
        script = ScriptDirectory.from_config(migrate.get_config())
        return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def kept_incident(status: str, **columns: str) -> tuple[str, str]:
    """SQL for a user and one incident of theirs aware at 09:00 on 1 March 2026, with any
    ``columns`` a later revision requires (name to SQL value)."""
    names = "".join(f", {name}" for name in columns)
    values = "".join(f", {value}" for value in columns.values())
    return (
        'INSERT INTO "user" (id, username, display_name, password_hash, enabled, '
        "must_change_password, created_at, session_version) "
        "VALUES (1, 'kept', 'Kept User', 'x', true, false, '2026-01-01 00:00:00', 1)",
        "INSERT INTO incident (id, year, number, reference, reporter_id, status, description,"  # noqa: S608
        " noticed_at, reported_at, data_categories, data_notes, ongoing, others_aware,"
        f" aware_at{names}) VALUES (1, 2026, 1, 'BD-2026-0001', 1, '{status}', 'kept', "
        "'2026-03-01 09:00:00', '2026-03-01 09:00:00', '[]', '', 'no', '', "
        f"'2026-03-01 09:00:00'{values})",
    )


def test_upgrade_builds_exactly_the_schema_of_the_models(empty_app):
    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            opts = {"compare_type": True, "include_name": derived.alembic_include_name}
            context = MigrationContext.configure(connection, opts=opts)
            differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_an_upgrade_keeps_the_data(empty_app):
    chain = revisions(empty_app)
    with empty_app.app_context():
        upgrade(revision=chain[0])
        db.session.execute(
            text(
                'INSERT INTO "user" (username, display_name, password_hash, enabled, '
                "must_change_password, created_at, session_version) "
                "VALUES ('kept', 'Kept User', 'x', true, false, '2026-01-01 00:00:00', 1)"
            )
        )
        db.session.commit()
        upgrade()
        names = db.session.execute(text('SELECT username FROM "user"')).scalars().all()
    assert names == ["kept"]


def test_every_revision_downgrades_to_an_empty_database(empty_app):
    with empty_app.app_context():
        upgrade()
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert tables == set()


def test_the_upgrade_to_stored_clocks_fills_them_for_existing_incidents(empty_app):
    with empty_app.app_context():
        upgrade(revision="aaad6ec14537")
        for statement in (
            *kept_incident("closed"),
            "INSERT INTO checklist_item (incident_id, playbook_id, step_id, position, phase,"
            " title, role, within_minutes, record, body_markdown, started_at, state) VALUES "
            "(1, 'general', 'isolate', 0, 'Contain', 'Isolate', 'it', 30, '', '',"
            " '2026-03-01 09:00:00', 'open')",
        ):
            db.session.execute(text(statement))
        db.session.commit()
        upgrade()
        stored = db.session.execute(
            text("SELECT deadline_at, clocks_stopped, next_reminder_at FROM incident")
        ).one()
        step_due = db.session.execute(text("SELECT due_at FROM checklist_item")).scalar()
    assert str(stored.deadline_at).startswith("2026-03-04 09:00:00")  # 72 hours on
    assert bool(stored.clocks_stopped) is True  # closed: no clock runs
    assert stored.next_reminder_at is not None  # the sweep looks at it again
    assert str(step_due).startswith("2026-03-01 09:30:00")


def test_the_upgrade_to_situations_keeps_every_step_and_reads_not_sure(empty_app):
    with empty_app.app_context():
        upgrade(revision="b7c41e09d2a5")
        for statement in (
            *kept_incident("reported", deadline_at="'2026-03-04 09:00:00'", clocks_stopped="false"),
            "INSERT INTO checklist_item (incident_id, playbook_id, step_id, position, phase,"
            " title, role, within_minutes, record, body_markdown, started_at, state) VALUES "
            "(1, 'general', 'isolate', 0, 'Contain', 'Isolate', 'it', 30, '', '',"
            " '2026-03-01 09:00:00', 'open')",
        ):
            db.session.execute(text(statement))
        db.session.commit()
        upgrade(revision="911c2e61acc2")
        situation = db.session.execute(text("SELECT situation FROM incident")).scalar()
        steps = db.session.execute(text("SELECT count(*) FROM checklist_item")).scalar()
    assert situation == "not-sure"  # nobody was asked: every staff step stays
    assert steps == 1  # adding the column copied and dropped nothing


def test_the_upgrade_keeps_awareness_on_the_incident_only(empty_app):
    with empty_app.app_context():
        upgrade(revision="cb0cf02a61b6")
        for statement in (
            *kept_incident("triage", deadline_at="'2026-03-04 09:00:00'", clocks_stopped="false"),
            "INSERT INTO incident_facts (incident_id, facts, updated_at, changed_since_decision)"
            ' VALUES (1, \'{"subjects_count": 3, "became_aware_at":'
            " \"2026-03-01T09:00:00+00:00\"}', '2026-03-01 09:00:00', false)",
        ):
            db.session.execute(text(statement))
        db.session.commit()
        upgrade()
        upgraded = db.session.execute(text("SELECT facts FROM incident_facts")).scalar()
        downgrade(revision="cb0cf02a61b6")
        restored = db.session.execute(text("SELECT facts FROM incident_facts")).scalar()
    as_dict = [json.loads(f) if isinstance(f, str) else f for f in (upgraded, restored)]
    assert as_dict[0] == {"subjects_count": 3}
    assert as_dict[1] == {"subjects_count": 3, "became_aware_at": "2026-03-01T09:00:00+00:00"}


def test_the_trail_kept_before_the_chain_is_chained_in_order(empty_app):
    from breachdesk.services.audit_check import check_chain

    with empty_app.app_context():
        upgrade(revision="aaad6ec14537")
        db.session.execute(
            text(
                'INSERT INTO "user" (id, username, display_name, password_hash, enabled, '
                "must_change_password, created_at, session_version) "
                "VALUES (1, 'dana', 'Dana', 'x', true, false, '2026-01-01 00:00:00', 1)"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO incident (id, year, number, reference, reporter_id, status, "
                "description, noticed_at, reported_at, data_categories, data_notes, ongoing, "
                "others_aware, aware_at) VALUES (1, 2026, 1, 'BD-2026-0001', 1, 'reported', "
                "'Lost laptop', '2026-01-02 09:00:00', '2026-01-02 09:00:00', '[]', '', "
                "'unknown', '', '2026-01-02 09:00:00')"
            )
        )
        for n, kind in enumerate(("reported", "status-changed"), start=1):
            db.session.execute(
                text(
                    "INSERT INTO incident_event (incident_id, at, actor_id, kind, summary, "
                    "details) VALUES (1, :at, 1, :kind, :summary, :details)"
                ),
                {
                    "at": f"2026-01-02 09:0{n}:00",
                    "kind": kind,
                    "summary": f"event {n}",
                    "details": '{"note": "kept"}',
                },
            )
        db.session.commit()
        upgrade()
        kinds = db.session.execute(text("SELECT kind FROM audit_event ORDER BY seq")).all()
        report = check_chain()
    assert [k for (k,) in kinds] == ["reported", "status-changed"]
    assert report.intact
    assert report.checked == 2


def test_a_database_from_a_newer_breachdesk_is_refused_in_one_line(empty_app, tmp_path, capsys):
    with empty_app.app_context():
        upgrade()
        head = db.session.scalar(text("SELECT version_num FROM alembic_version"))
        db.session.execute(text("UPDATE alembic_version SET version_num = 'f00dfacade42'"))
        db.session.commit()
        url = db.engine.url.render_as_string(hide_password=False)
    capsys.readouterr()  # the migrations' own log

    with pytest.raises(SystemExit) as stopped:
        create_app(base_config(tmp_path, url))

    assert stopped.value.code == 1
    assert capsys.readouterr().err == (
        "breachdesk cannot start: The database is at migration f00dfacade42, which this "
        f"version of breachdesk does not know (newest known: {head}). Upgrade breachdesk or "
        "restore a matching backup.\n"
    )


def test_a_database_at_the_newest_migration_starts(empty_app, tmp_path):
    with empty_app.app_context():
        upgrade()
        url = db.engine.url.render_as_string(hide_password=False)
    started = create_app(base_config(tmp_path, url))
    assert started.extensions["breachdesk"].profile.id == "odl"
    with started.app_context():
        db.engine.dispose()


def test_the_upgrade_counts_and_indexes_the_incidents_already_there(empty_app):
    with empty_app.app_context():
        upgrade(revision="d4e5f6a7b8c9")
        for statement in kept_incident(
            "triage", deadline_at="'2026-03-04 09:00:00'", clocks_stopped="false"
        ):
            db.session.execute(text(statement))
        db.session.commit()
        upgrade()
        tally = db.session.execute(
            text("SELECT status, clocks_stopped, incidents FROM incident_tally")
        ).all()
        wanted = IncidentFilter(words=("kept",))
        page, _ = incident_lists.register_page(wanted, Position(), datetime.now(UTC))
    assert [(status, bool(stopped), n) for status, stopped, n in tally] == [("triage", False, 1)]
    assert [incident.reference for incident in page.incidents] == ["BD-2026-0001"]
