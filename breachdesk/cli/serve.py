"""`breachdesk serve`: the app on one machine, with the reminder scheduler inside."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, type=int, show_default=True)
@with_appcontext
def serve(host: str, port: int) -> None:
    """Serve breachdesk on one machine (the demo), with the reminder scheduler inside."""
    from werkzeug.serving import run_simple

    from breachdesk.scheduler import start_in_process

    app = current_app._get_current_object()
    profile = app.extensions["breachdesk"].profile
    start_in_process(app)
    click.echo(f"breachdesk for {profile.name}: http://{host}:{port}/")
    run_simple(host, port, app, threaded=True, use_reloader=False)
