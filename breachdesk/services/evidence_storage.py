"""Evidence on disk: written under a temporary name, moved into place once its row is saved.

A crash between writing a file and committing its row must never leave personal data on
disk with no record of it (UK GDPR Art. 5(1)(e) and (f)). So a file is first written, owner
only, as ``<name>.part`` and locked; its row is committed; only then is it renamed to
``<name>`` (``os.replace``: atomic within one folder). A failed commit removes the
``.part`` file. What a crash leaves behind is settled at start-up by ``sweep_orphans``: a
``.part`` file whose row was committed is moved into place, any other ``.part`` file and any
file with no row is removed. The lock keeps a sweep run by another process off a file that
is being saved at that moment.

The folder and the size limit are passed in (``EvidenceFolder``): no Flask here.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import secrets
from collections.abc import Callable
from collections.abc import Collection
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from breachdesk.services.evidence import DEFAULT_MAX_BYTES
from breachdesk.services.evidence import CheckedFile
from breachdesk.services.evidence import EvidenceError
from breachdesk.services.evidence import StoredFile
from breachdesk.services.evidence import Upload
from breachdesk.services.evidence import check_all
from breachdesk.storage import PRIVATE_FOLDER
from breachdesk.storage import cause
from breachdesk.storage import create_private

TEMP_SUFFIX = ".part"
_STORED_NAME = re.compile(r"[0-9a-f]{32}")

log = logging.getLogger(__name__)


class EvidenceStorageError(EvidenceError):
    """The files were fine but the server could not keep them (a full disk, a read-only one)."""


@dataclass(frozen=True)
class EvidenceFolder:
    """Where evidence files are kept, outside the web root, and the largest one accepted."""

    path: Path
    max_bytes: int = DEFAULT_MAX_BYTES

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> EvidenceFolder:
        limit = int(config.get("EVIDENCE_MAX_BYTES") or DEFAULT_MAX_BYTES)
        return cls(Path(config["EVIDENCE_DIR"]), limit)

    def path_of(self, stored_name: str) -> Path:
        """Where a stored file lives; refuses any name that could leave the folder."""
        if not _STORED_NAME.fullmatch(stored_name):
            raise EvidenceError("That evidence file name is not valid.")
        folder = self.path.resolve()
        path = (folder / stored_name).resolve()
        if path.parent != folder:
            raise EvidenceError("That evidence file name is not valid.")
        return path


@dataclass
class StagedFile:
    """A file written under its temporary name and locked until published or discarded."""

    stored: StoredFile
    temp: Path
    final: Path
    fd: int


def stage_all(uploads: Iterable[Upload], folder: EvidenceFolder) -> list[StagedFile]:
    """Check every file, then write each under a temporary name; all of them or none.

    Raises EvidenceError for a refused file, EvidenceStorageError when the disk will not take
    them; either way nothing is left in the folder.
    """
    checked = check_all(uploads, folder.max_bytes)
    staged: list[StagedFile] = []
    try:
        if checked:
            folder.path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
        for item in checked:
            staged.append(_stage(folder.path.resolve(), item))
    except OSError as exc:
        discard(staged)
        raise EvidenceStorageError(
            f"The files could not be kept because {cause(exc)} on the server, so nothing was "
            "saved. Tell whoever runs breachdesk, then send it again."
        ) from exc
    except BaseException:
        discard(staged)
        raise
    return staged


def _stage(directory: Path, item: CheckedFile) -> StagedFile:
    while True:
        name = secrets.token_hex(16)
        temp = directory / f"{name}{TEMP_SUFFIX}"
        fd = create_private(temp)  # a name that somehow exists is never overwritten
        fcntl.flock(fd, fcntl.LOCK_EX)
        if os.fstat(fd).st_nlink:
            break
        os.close(fd)  # a sweep removed it between the open and the lock: take another name
    try:
        data = memoryview(item.data)
        while data:
            data = data[os.write(fd, data) :]
        os.fsync(fd)  # on disk before its row is committed
    except BaseException:
        _remove(temp, fd)
        raise
    return StagedFile(item.describe(name), temp, directory / name, fd)


def publish(staged: Iterable[StagedFile]) -> None:
    """Move files whose rows are committed into place; a failure is settled at next start."""
    for item in staged:
        try:
            os.replace(item.temp, item.final)
        except OSError as exc:
            log.error(
                "evidence file %s kept under its temporary name until the next start: %s",
                item.stored.stored_name,
                cause(exc),
            )
        finally:
            os.close(item.fd)


def discard(staged: Iterable[StagedFile]) -> None:
    """Remove files whose rows will not be saved."""
    for item in staged:
        _remove(item.temp, item.fd)


def remove(folder: EvidenceFolder, stored_names: Iterable[str]) -> None:
    """Remove kept files once the record of their removal is committed (retention)."""
    for name in stored_names:
        folder.path_of(name).unlink(missing_ok=True)


def _remove(temp: Path, fd: int) -> None:
    try:
        temp.unlink(missing_ok=True)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Swept:
    removed: int
    recovered: int


def sweep_orphans(folder: Path, recorded: Callable[[Collection[str]], set[str]]) -> Swept:
    """Settle what a crash left in ``folder``; ``recorded`` says which names have a row.

    Files whose names are not breachdesk's are left alone.
    """
    if not folder.is_dir():
        return Swept(0, 0)
    entries = {path: path.name.removesuffix(TEMP_SUFFIX) for path in folder.iterdir()}
    ours = {p: name for p, name in entries.items() if _STORED_NAME.fullmatch(name) and p.is_file()}
    finals = {path: name for path, name in ours.items() if path.suffix != TEMP_SUFFIX}
    with_rows = recorded(set(finals.values())) if finals else set()
    removed = recovered = 0
    for path, name in ours.items():
        if path in finals:
            if name not in with_rows:
                path.unlink(missing_ok=True)
                removed += 1
            continue
        outcome = _settle(path, folder / name, recorded)
        removed += outcome == "removed"
        recovered += outcome == "recovered"
    return Swept(removed, recovered)


def _settle(temp: Path, final: Path, recorded: Callable[[Collection[str]], set[str]]) -> str:
    """Move a temporary file whose row exists into place, remove it otherwise; skip one being
    saved right now (its writer holds the lock)."""
    try:
        fd = os.open(temp, os.O_RDONLY)
    except FileNotFoundError:
        return "gone"
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return "in use"
        try:
            if not os.path.samestat(os.fstat(fd), os.stat(temp)):
                return "gone"
        except FileNotFoundError:
            return "gone"  # its writer moved it into place meanwhile
        # Asked under the lock: a row committed since the folder was listed counts.
        if recorded({final.name}):
            os.replace(temp, final)
            return "recovered"
        temp.unlink()
        return "removed"
    finally:
        os.close(fd)
