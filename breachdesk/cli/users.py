"""`breachdesk users create|list|disable`: accounts from a script."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from breachdesk.domain.vocabulary import Role


@click.group(help="Add, list and disable users.")
def users() -> None:
    pass


@users.command("create")
@click.argument("username")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="staff, dpo or it; repeat for several.",
)
@click.option("--name", "display_name", help="Full name shown in the app.")
@click.option("--email", help="Email address for reminders.")
@click.option(
    "--password-stdin",
    is_flag=True,
    required=True,
    help="Read the password from standard input (it is never echoed or logged).",
)
@with_appcontext
def users_create(username, roles, display_name, email, password_stdin) -> None:
    """Create USERNAME with the given roles."""
    from breachdesk.services import accounts

    password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = accounts.create_user(
            username,
            password,
            [Role(r) for r in roles],
            display_name=display_name,
            email=email,
            min_length=current_app.config["PASSWORD_MIN_LENGTH"],
        )
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.username} ({', '.join(sorted(user.roles))}).")


@users.command("list")
@with_appcontext
def users_list() -> None:
    """List every user with their roles and whether they can sign in."""
    from breachdesk.services import accounts

    for user in accounts.list_users():
        state = "enabled" if user.enabled else "disabled"
        roles = ",".join(sorted(user.roles))
        click.echo(f"{user.username:<20} {roles:<14} {state:<9} {user.display_name}")


@users.command("disable")
@click.argument("username")
@with_appcontext
def users_disable(username) -> None:
    """Stop USERNAME from signing in and end their sessions."""
    from breachdesk.services import accounts

    user = accounts.get_by_username(username)
    if user is None:
        raise click.ClickException(f"No user called {username!r}.")
    try:
        accounts.set_enabled(user, False)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Disabled {user.username}.")
