"""`breachdesk audit verify`: check the audit trail's hash chain from a terminal."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group(help="Check the audit trail.")
def audit() -> None:
    pass


@audit.command("verify")
@with_appcontext
def audit_verify() -> None:
    """Walk the audit trail; name the first event changed, removed or inserted (exit 1)."""
    from breachdesk.services.audit_check import check_chain

    report = check_chain()
    if report.intact:
        click.echo(f"The audit trail is intact: {report.checked} events checked.")
        click.echo(f"Hash of the last event: {report.head_hash}")
        return
    click.echo(f"The audit trail has been altered. {report.problem.message}", err=True)
    click.echo(f"The {report.checked} events before it are intact.", err=True)
    raise SystemExit(1)
