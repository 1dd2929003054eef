"""Backups: a consistent snapshot while the app runs, with the evidence files and a manifest.

SQLite is copied with its online backup API, which reads a consistent state even while
other connections write (a plain copy of the file misses what still sits in the ``-wal``
file). PostgreSQL is dumped with ``pg_dump``, which reads one snapshot. Every file written
is listed in ``manifest.json`` with its SHA-256; a restore refuses a snapshot whose files do
not match, naming the file, and only ever writes into an empty database.

A backup holds every breach and every evidence file: like the live database and the secret
key, each file in it is created readable by its owner only, whatever the umask, and its
folders are the owner's only. Evidence still being saved (a ``.part`` file) is left out: its
row may never be committed, and the committed file is copied by the next backup.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL

from breachdesk.extensions import db
from breachdesk.models import AuditChainHead
from breachdesk.services.audit import HEAD_ID
from breachdesk.services.evidence_storage import TEMP_SUFFIX
from breachdesk.storage import PRIVATE_FOLDER
from breachdesk.storage import create_private
from breachdesk.timeutil import utcnow

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite"
PG_FILE = "database.pgdump"
EVIDENCE = "evidence"
FORMAT = 1
_CHUNK = 1024 * 1024


class BackupError(RuntimeError):
    """A backup or restore that cannot go ahead; the message says why, naming the file."""


@dataclass(frozen=True)
class Snapshot:
    folder: Path
    files: dict[str, str]  # relative path -> SHA-256
    audit_head: dict | None


def backup(folder: Path, evidence_folder: Path) -> Snapshot:
    """Write the database and the files of ``evidence_folder`` into ``folder`` (new or empty)."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: back up into a new folder each time.")
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    folder.chmod(PRIVATE_FOLDER)  # an empty folder made beforehand, with the umask's mode
    url = db.engine.url
    head = db.session.get(AuditChainHead, HEAD_ID)
    audit_head = {"seq": head.seq, "hash": head.hash} if head else None
    db.session.rollback()  # end the read: the snapshot is taken on its own connection
    if url.get_backend_name() == "sqlite":
        names = [_sqlite_backup(url, folder / SQLITE_FILE)]
    else:
        names = [_pg_dump(url, folder / PG_FILE)]
    # After the database: a file written meanwhile is copied too; its row may be missing.
    names += _copy_tree(evidence_folder, folder / EVIDENCE, prefix=EVIDENCE)
    files = {name: sha256_of(folder / name) for name in names}
    manifest = {
        "format": FORMAT,
        "created_at": utcnow().isoformat(),
        "database": url.get_backend_name(),
        "audit_trail_head": audit_head,
        "files": files,
    }
    with _private(folder / MANIFEST, "w") as handle:
        handle.write(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return Snapshot(folder=folder, files=files, audit_head=audit_head)


def verify(folder: Path) -> dict:
    """The manifest, once every file in it is there and matches its SHA-256."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} holds no {MANIFEST}: it is not a breachdesk backup.") from None
    except json.JSONDecodeError as exc:
        raise BackupError(f"{MANIFEST} is not valid JSON ({exc.msg}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} is of format {manifest.get('format')!r}, not {FORMAT}.")
    for name, expected in sorted(manifest["files"].items()):
        path = folder / name
        if ".." in Path(name).parts or not path.is_file():
            raise BackupError(f"{name} is missing from the backup.")
        if sha256_of(path) != expected:
            raise BackupError(f"{name} does not match its SHA-256 in {MANIFEST}: refusing it.")
    return manifest


def restore(folder: Path, evidence_folder: Path) -> dict:
    """Check the snapshot, then load it into the configured database, which must be empty,
    and its evidence files into ``evidence_folder``."""
    folder = Path(folder)
    manifest = verify(folder)
    url = db.engine.url
    if manifest["database"] != url.get_backend_name():
        raise BackupError(
            f"This backup is of a {manifest['database']} database; the configured one is "
            f"{url.get_backend_name()}."
        )
    tables = inspect(db.engine).get_table_names()
    if tables:
        raise BackupError(
            f"The database is not empty ({len(tables)} tables): restore into an empty one."
        )
    target = Path(evidence_folder)
    clashes = [
        n
        for n in manifest["files"]
        if n.startswith(EVIDENCE + "/") and (target / Path(n).name).exists()
    ]
    if clashes:
        raise BackupError(
            f"{target / Path(clashes[0]).name} already exists: "
            "restore into an empty evidence folder."
        )
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        _sqlite_restore(folder / SQLITE_FILE, url)
    else:
        _pg_restore(folder / PG_FILE, url)
    target.mkdir(parents=True, exist_ok=True)
    for name in manifest["files"]:
        if name.startswith(EVIDENCE + "/"):
            shutil.copy2(folder / name, target / Path(name).name)
    return manifest


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _private(path: Path, mode: str = "wb"):
    """A new file, open for writing, readable by its owner only (never an existing one)."""
    return os.fdopen(create_private(path), mode)


def _sqlite_backup(url: URL, target: Path) -> str:
    source = sqlite3.connect(_sqlite_path(url))
    _private(target).close()  # SQLite keeps the mode of a file that exists
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)  # pages copied under a read transaction: one consistent state
    finally:
        copy.close()
        source.close()
    return target.name


def _sqlite_restore(backup_file: Path, url: URL) -> None:
    source = sqlite3.connect(backup_file)
    with contextlib.suppress(FileExistsError):  # an empty database the app already made
        _private(Path(_sqlite_path(url))).close()
    target = sqlite3.connect(_sqlite_path(url))
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def _sqlite_path(url: URL) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory database cannot be backed up.")
    return url.database


def _pg_dump(url: URL, target: Path) -> str:
    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq(url)], "pg_dump")
    return target.name


def _pg_restore(dump: Path, url: URL) -> None:
    _run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(url)}", str(dump)],
        "pg_restore",
    )


def _libpq(url: URL) -> str:
    """The URL as libpq reads it (no SQLAlchemy driver name); never printed (a password)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(argv: list[str], tool: str) -> None:
    try:
        # The PostgreSQL client tools with arguments built here, never a shell.
        # umask: pg_dump's file is the owner's only, as every other file of a backup.
        result = subprocess.run(  # noqa: S603
            argv, capture_output=True, text=True, timeout=3600, check=False, umask=0o077
        )
    except FileNotFoundError:
        raise BackupError(f"{tool} was not found: install the PostgreSQL client tools.") from None
    if result.returncode != 0:
        # The tools' own message names the problem; the URL with its password is not repeated.
        raise BackupError(f"{tool} failed: {result.stderr.strip()[-2000:]}")


def _copy_tree(source: Path, target: Path, prefix: str) -> list[str]:
    """Copy the committed files of ``source``, owner only; never one still being saved."""
    target.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    names = []
    if source.is_dir():
        for path in sorted(source.iterdir()):
            if path.is_file() and path.suffix != TEMP_SUFFIX:
                with path.open("rb") as original, _private(target / path.name) as copy:
                    shutil.copyfileobj(original, copy, _CHUNK)
                times = path.stat()  # not copystat: that would copy a laxer mode too
                os.utime(target / path.name, ns=(times.st_atime_ns, times.st_mtime_ns))
                names.append(f"{prefix}/{path.name}")
    return names
