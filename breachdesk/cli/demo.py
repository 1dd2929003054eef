"""`breachdesk demo`: the demo users and incidents, loaded once into an empty database."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("demo")
@with_appcontext
def demo() -> None:
    """Load the demo users and incidents into an empty database, and print the logins."""
    from breachdesk.services import demo as demo_service

    result = demo_service.load_demo(current_app.extensions["breachdesk"].profile)
    click.echo(result.message)
    for login in result.logins:
        click.echo(f"  {login.username:<10} {login.password:<24} {login.roles}")
