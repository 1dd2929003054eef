"""`breachdesk register export`: the whole breach register as CSV or JSON."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext


@click.group(help="The breach register (UK GDPR Art. 33(5)).")
def register() -> None:
    pass


@register.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file instead of standard output.",
)
@with_appcontext
def register_export(fmt: str, output: str | None) -> None:
    """Write every incident, notified or not, streamed so any size fits in memory."""
    from breachdesk.desk import get_profile
    from breachdesk.services import register_export as export
    from breachdesk.services import register_formats
    from breachdesk.timeutil import utcnow

    profile, now = get_profile(), utcnow()
    records = export.iter_records(profile, now)
    if fmt == "csv":
        chunks = register_formats.export_csv(records)
    else:
        chunks = register_formats.export_json(records, export.export_header(profile, now))
    if output is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        return
    # newline="" so the CSV keeps its own line ends, as the csv module expects.
    with open(output, "w", encoding="utf-8", newline="") as handle:
        for chunk in chunks:
            handle.write(chunk)
    click.echo(f"Register written to {output}.", err=True)
