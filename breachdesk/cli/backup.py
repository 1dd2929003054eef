"""`breachdesk backup DIR` and `breachdesk restore DIR`: a consistent snapshot and its return."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(folder: Path) -> None:
    """Write the database, the evidence files and a SHA-256 manifest into FOLDER (new)."""
    from breachdesk.services import backup

    try:
        snapshot = backup.backup(folder, Path(current_app.config["EVIDENCE_DIR"]))
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up {len(snapshot.files)} file(s) into {snapshot.folder}.")
    if snapshot.audit_head:
        click.echo(
            f"Audit trail up to event #{snapshot.audit_head['seq']}: {snapshot.audit_head['hash']}"
        )


@click.command("restore")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@with_appcontext
def restore_command(folder: Path) -> None:
    """Check FOLDER's checksums, then load it into the configured (empty) database."""
    from breachdesk.services import backup
    from breachdesk.services.audit_check import check_chain

    try:
        manifest = backup.restore(folder, Path(current_app.config["EVIDENCE_DIR"]))
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    report = check_chain()
    click.echo(f"Restored {len(manifest['files'])} files from {folder}.")
    if report.intact:
        click.echo(f"The audit trail is intact: {report.checked} events checked.")
    else:
        click.echo(f"The audit trail has been altered. {report.problem.message}", err=True)
        raise SystemExit(1)
