"""Backups taken while reports are written, checked by their manifest, restored whole."""

from __future__ import annotations

import json
import os
import threading
import uuid
from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy import text

from breachdesk import create_app
from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.services import audit
from breachdesk.services import backup
from breachdesk.services.audit_check import check_chain
from tests.conftest import base_config
from tests.support.reminders import reporter

AWARE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def source(backend, tmp_path, request):
    """An app on its own database (a fresh one on the PostgreSQL server), schema built."""
    app = _app(backend, tmp_path / "source", request)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def target(backend, tmp_path, request):
    """A second app on an empty database and an empty evidence folder."""
    app = _app(backend, tmp_path / "target", request)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _app(backend, folder: Path, request):
    folder.mkdir()
    if backend == "postgres":
        server = request.getfixturevalue("pg_server")
        url = server.create_database(f"bk_{uuid.uuid4().hex[:10]}")
    else:
        url = f"sqlite:///{folder / 'app.sqlite'}"
    return create_app(base_config(folder, url))


def add_reports(count: int, start: int = 0) -> None:
    """Reports as the app writes them: the incident and its audit event in one transaction."""
    dana = reporter()
    for n in range(start, start + count):
        incident = Incident(
            year=2026,
            number=n + 1,
            reference=f"BD-2026-{n + 1:04d}",
            reporter_id=dana.id,
            description=f"Report {n}",
            noticed_at=AWARE,
            reported_at=AWARE,
            aware_at=AWARE,
        )
        db.session.add(incident)
        audit.record(incident, dana, "reported", "Suspected breach reported")
        db.session.commit()


def evidence_of(app) -> Path:
    return Path(app.config["EVIDENCE_DIR"])


def add_evidence(app, name: str, content: bytes) -> None:
    folder = evidence_of(app)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)


def rows_of(app) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    with app.app_context():
        tables = {}
        for table in db.metadata.sorted_tables:
            order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
            query = f'SELECT * FROM "{table.name}" ORDER BY {order}'  # noqa: S608 - our tables
            result = db.session.execute(text(query))
            # repr: JSON columns come back as lists and dicts, which a set cannot hold.
            tables[table.name] = [tuple(repr(value) for value in row) for row in result]
        return tables


def test_a_backup_restores_row_for_row_with_its_evidence(source, target, tmp_path):
    with source.app_context():
        add_reports(5)
        add_evidence(source, "a" * 32, b"ransom note screenshot")
        snapshot = backup.backup(tmp_path / "snap", evidence_of(source))
    manifest = json.loads((tmp_path / "snap" / "manifest.json").read_text())

    with target.app_context():
        backup.restore(tmp_path / "snap", evidence_of(target))
        report = check_chain()

    assert rows_of(target) == rows_of(source)
    assert report.intact
    assert manifest["audit_trail_head"] == snapshot.audit_head
    assert f"evidence/{'a' * 32}" in manifest["files"]
    restored = Path(target.config["EVIDENCE_DIR"]) / ("a" * 32)
    assert restored.read_bytes() == b"ransom note screenshot"


def test_a_backup_taken_while_reports_are_written_is_consistent(source, target, tmp_path):
    with source.app_context():
        add_reports(3)
    stop, writing = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with source.app_context():
                for n in range(100, 400):
                    if stop.is_set():
                        break
                    add_reports(1, start=n)
                    writing.set()
                db.session.remove()
        except BaseException as exc:  # reported below
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert writing.wait(timeout=60)
        with source.app_context():
            backup.backup(tmp_path / "snap", evidence_of(source))
    finally:
        stop.set()
        thread.join(timeout=120)
    assert errors == []

    with target.app_context():
        backup.restore(tmp_path / "snap", evidence_of(target))
        report = check_chain()
        incidents = db.session.execute(text("SELECT count(*) FROM incident")).scalar()
        reported = db.session.execute(
            text("SELECT count(*) FROM audit_event WHERE kind = 'reported'")
        ).scalar()
        tallied = db.session.execute(text("SELECT sum(incidents) FROM incident_tally")).scalar()
    original = rows_of(source)
    restored = rows_of(target)
    # A consistent moment: the chain holds, every incident has its report event and is in
    # the tally, and every restored row is the original's row (writers only added rows; the
    # head row and the tally move on).
    assert report.intact, report.problem
    assert incidents == reported == tallied >= 4
    for table, rows in restored.items():
        if table not in ("audit_chain_head", "incident_tally"):
            assert set(rows) <= set(original[table]), table


def test_a_snapshot_whose_file_was_changed_is_refused_by_name(source, target, tmp_path):
    with source.app_context():
        add_reports(2)
        add_evidence(source, "b" * 32, b"log file")
        backup.backup(tmp_path / "snap", evidence_of(source))
    (tmp_path / "snap" / "evidence" / ("b" * 32)).write_bytes(b"log file, edited")

    with target.app_context(), pytest.raises(backup.BackupError) as refused:
        backup.restore(tmp_path / "snap", evidence_of(target))

    assert str(refused.value) == (
        f"evidence/{'b' * 32} does not match its SHA-256 in manifest.json: refusing it."
    )
    with target.app_context():
        assert inspect(db.engine).get_table_names() == []


def test_restore_refuses_a_database_that_is_not_empty(source, tmp_path):
    with source.app_context():
        add_reports(1)
        backup.backup(tmp_path / "snap", evidence_of(source))
        with pytest.raises(backup.BackupError, match="not empty"):
            backup.restore(tmp_path / "snap", evidence_of(source))


def test_the_commands_back_up_and_restore(source, target, tmp_path):
    with source.app_context():
        add_reports(2)
    made = source.test_cli_runner().invoke(args=["backup", str(tmp_path / "snap")])
    assert made.exit_code == 0, made.output
    assert "Backed up" in made.output

    back = target.test_cli_runner().invoke(args=["restore", str(tmp_path / "snap")])

    assert back.exit_code == 0, back.output
    assert "The audit trail is intact: 3 events checked." in back.output
    assert rows_of(target) == rows_of(source)


def modes_under(folder: Path) -> dict[str, str]:
    """The permission bits of everything in ``folder``, by path inside it."""
    return {
        str(path.relative_to(folder)): oct(path.stat().st_mode & 0o777)
        for path in sorted(folder.rglob("*"))
    }


def test_every_file_of_a_backup_is_readable_by_its_owner_only(backend, source, tmp_path):
    previous = os.umask(0o022)  # the usual umask, which would give 0644 files
    try:
        with source.app_context():
            add_reports(2)
            add_evidence(source, "c" * 32, b"photo of the open filing cabinet")
            (evidence_of(source) / ("c" * 32)).chmod(0o644)  # from before files were private
            snapshot = backup.backup(tmp_path / "snap", evidence_of(source))
    finally:
        os.umask(previous)

    database = "database.sqlite" if backend == "sqlite" else "database.pgdump"
    assert modes_under(tmp_path / "snap") == {
        database: "0o600",
        "evidence": "0o700",
        f"evidence/{'c' * 32}": "0o600",
        "manifest.json": "0o600",
    }
    assert oct((tmp_path / "snap").stat().st_mode & 0o777) == "0o700"
    assert set(snapshot.files) == {database, f"evidence/{'c' * 32}"}


def test_evidence_still_being_saved_is_left_out_of_a_backup(source, target, tmp_path):
    with source.app_context():
        add_reports(1)
        add_evidence(source, "d" * 32, b"committed: the lost USB stick's file list")
        add_evidence(source, "e" * 32 + ".part", b"half of an upload whose row is not saved")
        backup.backup(tmp_path / "snap", evidence_of(source))
    manifest = json.loads((tmp_path / "snap" / "manifest.json").read_text())

    assert sorted(n for n in manifest["files"] if n.startswith("evidence/")) == [
        f"evidence/{'d' * 32}"
    ]
    assert sorted(p.name for p in (tmp_path / "snap" / "evidence").iterdir()) == ["d" * 32]
    with target.app_context():
        backup.restore(tmp_path / "snap", evidence_of(target))
    assert sorted(p.name for p in evidence_of(target).iterdir()) == ["d" * 32]
