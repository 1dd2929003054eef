"""`breachdesk demo`: the demo users and incidents, loaded once into an empty database."""

from __future__ import annotations

import time
from functools import partial

import click
from flask import current_app
from flask.cli import with_appcontext

from breachdesk.cli.guards import guarded
from breachdesk.cli.guards import storage_faults_in_one_line


# A full or read-only disk is one line and exit status 1. The demo is one transaction, so
# none of it is left behind; incidents added with --incidents are saved in batches.
@partial(guarded, guard=storage_faults_in_one_line)
@click.command("demo")
@click.option(
    "--incidents",
    "count",
    type=click.IntRange(min=1, max=1_000_000),
    help="Also add this many realistic incidents, to try the desk at the size of years of "
    "work (100,000 take a minute or two).",
)
@with_appcontext
def demo(count: int | None) -> None:
    """Load the demo users and incidents into an empty database, and print the logins."""
    from breachdesk.services import demo as demo_service

    desk = current_app.extensions["breachdesk"]
    result = demo_service.load_demo(desk.profile)
    click.echo(result.message)
    for login in result.logins:
        click.echo(f"  {login.username:<10} {login.password:<24} {login.roles}")
    if count:
        _add_many(desk, count)


def _add_many(desk, count: int) -> None:
    from breachdesk.services import demo_bulk
    from breachdesk.timeutil import utcnow

    started = time.monotonic()
    try:
        demo_bulk.seed(count, desk.profile, desk.playbooks, utcnow())
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc
    seconds = time.monotonic() - started
    click.echo(f"Added {count:,} incidents over three years in {seconds:.0f} s.")
