"""`breachdesk serve`: the app under gunicorn, with the reminder scheduler inside or not."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, type=click.IntRange(1, 65535), show_default=True)
@click.option(
    "--workers",
    default=2,
    type=click.IntRange(1, 64),
    show_default=True,
    help="Web worker processes (each also runs a few threads).",
)
@click.option(
    "--no-scheduler",
    is_flag=True,
    help="Leave the reminders to `breachdesk scheduler` running as its own process.",
)
@with_appcontext
def serve(host: str, port: int, workers: int, no_scheduler: bool) -> None:
    """Serve breachdesk with gunicorn; the reminder scheduler runs here unless --no-scheduler.

    The scheduler runs in this, the server's main process, never in a worker: however many
    workers there are, reminders are planned and sent by one scheduler.
    """
    from breachdesk.scheduler import start_in_process
    from breachdesk.startup import StartupError
    from breachdesk.startup import exit_with
    from breachdesk.startup import sweep_evidence
    from breachdesk.web_server import serve as run_server

    app = current_app._get_current_object()
    profile = app.extensions["breachdesk"].profile
    try:
        click.echo(sweep_evidence(app))
        if no_scheduler:
            click.echo("Reminders are left to `breachdesk scheduler`.")
        elif start_in_process(app) is None:
            click.echo("Another breachdesk scheduler is running; reminders are left to it.")
    except StartupError as exc:
        exit_with(exc)
    click.echo(f"breachdesk for {profile.name}: http://{host}:{port}/ ({workers} workers)")
    run_server(app, host, port, workers)
