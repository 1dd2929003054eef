"""Migrations: `breachdesk db upgrade` builds exactly the models' schema and keeps data."""

from __future__ import annotations

import uuid

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


def test_upgrade_builds_exactly_the_schema_of_the_models(empty_app):
    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
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
