"""`breachdesk retention run [--dry-run]`: remove personal data that is due, or list it."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group(help="Personal data in closed incidents, kept as long as the profile says.")
def retention() -> None:
    pass


@retention.command("run")
@click.option("--dry-run", is_flag=True, help="List what would be removed; remove nothing.")
@with_appcontext
def retention_run(dry_run: bool) -> None:
    """Remove the personal data of closed incidents past the profile's period."""
    from breachdesk.desk import get_profile
    from breachdesk.domain import clock
    from breachdesk.services import retention as service
    from breachdesk.services.evidence_storage import EvidenceFolder
    from breachdesk.timeutil import utcnow

    profile = get_profile()
    result = service.run(
        profile, utcnow(), EvidenceFolder.from_config(current_app.config), dry_run=dry_run
    )
    verb = "Would remove" if dry_run else "Removed"
    if not result.due:
        click.echo(
            f"Nothing is due (personal data is kept {profile.personal_data_months} "
            "months after an incident closes)."
        )
        return
    for item in result.due:
        closed, due = clock.format_local(item.closed_at), clock.format_local(item.due_at)
        click.echo(
            f"{verb} the personal data of {item.reference} (closed {closed}, due {due}): "
            f"the reporter's words, {item.evidence_files} evidence file(s), recipient lists, "
            f"{item.merges} mail merge(s)."
        )
    click.echo(
        f"{len(result.due)} incident(s) {'due' if dry_run else 'done'}; "
        "the register keeps each entry."
    )
