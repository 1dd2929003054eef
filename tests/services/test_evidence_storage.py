"""Evidence on disk only with its row: a failed save keeps no file, a crash's leftovers are
settled at start-up, and a full disk is a clear refusal with nothing half-written."""

from __future__ import annotations

import errno
import io
import os
from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from breachdesk.desk import get_profile
from breachdesk.extensions import db
from breachdesk.models import EvidenceFile
from breachdesk.models import Finding
from breachdesk.services import evidence_storage
from breachdesk.services import findings
from breachdesk.services.evidence_storage import TEMP_SUFFIX
from breachdesk.services.evidence_storage import EvidenceFolder
from breachdesk.services.evidence_storage import EvidenceStorageError
from tests.support.reminders import add_incident
from tests.support.reminders import reporter

LOG = b"2026-11-20 03:12 outbound 4.2 GB to 185.220.101.4:443\n"
FOUND = findings.FindingInput(summary="Outbound transfer to a Tor exit at 03:12.")


def upload(name: str = "firewall.log", data: bytes = LOG) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


@pytest.fixture
def folder(app) -> EvidenceFolder:
    return EvidenceFolder.from_config(app.config)


def on_disk(folder: EvidenceFolder) -> list[str]:
    return sorted(p.name for p in folder.path.glob("*")) if folder.path.exists() else []


def an_incident():
    return add_incident(datetime(2026, 11, 20, 9, tzinfo=UTC))


def add_with_evidence(folder: EvidenceFolder, *files: FileStorage, incident=None) -> Finding:
    incident = incident or an_incident()
    return findings.add_finding(
        incident, reporter(), FOUND, get_profile(), uploads=files, evidence_folder=folder
    )


def test_a_saved_finding_leaves_exactly_its_files_under_their_final_names(app, folder):
    with app.app_context():
        finding = add_with_evidence(folder, upload(), upload("copy.log"))
        names = sorted(e.stored_name for e in finding.evidence)

    assert on_disk(folder) == names
    assert folder.path_of(names[0]).read_bytes() == LOG
    assert {oct(os.stat(folder.path / n).st_mode & 0o777) for n in names} == {"0o600"}


def test_a_commit_that_fails_leaves_no_file_and_no_row(app, folder, monkeypatch):
    def disk_gone():
        raise OSError(errno.EIO, "Input/output error")

    with app.app_context():
        incident = an_incident()
        monkeypatch.setattr(db.session, "commit", disk_gone)
        with pytest.raises(OSError, match="Input/output"):
            add_with_evidence(folder, upload(), incident=incident)
        monkeypatch.undo()
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == 0

    assert on_disk(folder) == []


def test_a_full_disk_refuses_the_files_in_plain_words_and_keeps_nothing(app, folder, monkeypatch):
    real_write = os.write

    def full(fd, data):
        if os.readlink(f"/proc/self/fd/{fd}").endswith(TEMP_SUFFIX):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    with app.app_context():
        incident = an_incident()
        monkeypatch.setattr(os, "write", full)
        with pytest.raises(EvidenceStorageError, match="the disk is full on the server"):
            add_with_evidence(folder, upload(), upload("second.log"), incident=incident)
        monkeypatch.undo()
        assert db.session.scalar(select(func.count()).select_from(Finding)) == 0

    assert on_disk(folder) == []


def plant(folder: EvidenceFolder, name: str, data: bytes = LOG) -> Path:
    folder.path.mkdir(parents=True, exist_ok=True)
    path = folder.path / name
    path.write_bytes(data)
    return path


def test_the_sweep_removes_orphans_keeps_recorded_files_and_finishes_a_half_done_move(app, folder):
    with app.app_context():
        finding = add_with_evidence(folder, upload(), upload("second.log"))
        kept, interrupted = (e.stored_name for e in finding.evidence)
    # A crash after the commit, before the move: the recorded file is still a .part.
    os.replace(folder.path / interrupted, folder.path / f"{interrupted}{TEMP_SUFFIX}")
    plant(folder, "a" * 32)  # written, its row never committed, then the temp name lost
    plant(folder, "b" * 32 + TEMP_SUFFIX)  # a crash before the commit
    plant(folder, "README.txt", b"not breachdesk's: left alone\n")

    with app.app_context():
        swept = evidence_storage.sweep_orphans(folder.path, findings.recorded_evidence)

    assert (swept.removed, swept.recovered) == (2, 1)
    assert on_disk(folder) == sorted(["README.txt", kept, interrupted])
    assert folder.path_of(interrupted).read_bytes() == LOG


def test_the_sweep_leaves_a_file_being_saved_by_another_process_alone(app, folder):
    with app.app_context():
        staged = evidence_storage.stage_all([upload()], folder)
        swept = evidence_storage.sweep_orphans(folder.path, findings.recorded_evidence)
        assert (swept.removed, swept.recovered) == (0, 0)
        assert on_disk(folder) == [staged[0].temp.name]
        evidence_storage.discard(staged)

    assert on_disk(folder) == []
