"""The ``breachdesk`` commands (also reachable as ``flask --app breachdesk ...``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask import current_app
from flask.cli import with_appcontext

from breachdesk import cli_drafts
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db


def register(app: Flask) -> None:
    """Add the project's commands to the app's CLI."""
    app.cli.add_command(users)
    app.cli.add_command(playbooks)
    app.cli.add_command(demo)
    app.cli.add_command(assess)
    app.cli.add_command(serve)
    app.cli.add_command(cli_drafts.draft)
    from breachdesk import cli_reminders

    app.cli.add_command(cli_reminders.scheduler_command)
    app.cli.add_command(cli_reminders.dispatch_due_command)


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
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
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
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Disabled {user.username}.")


@click.group(help="Check the playbooks.")
def playbooks() -> None:
    pass


@playbooks.command("check")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path))
def playbooks_check(directory: Path | None) -> None:
    """Report every error in the playbooks with file and line; exit 1 if any."""
    from breachdesk.desk import known_assets
    from breachdesk.services.checklists.library import check_playbooks

    directory = directory or Path(current_app.config["PLAYBOOKS_DIR"])
    problems = check_playbooks(
        directory, known_assets(current_app.extensions["breachdesk"].profile)
    )
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise SystemExit(1)
    count = len(list(directory.glob("*.md"))) - (1 if (directory / "README.md").exists() else 0)
    click.echo(f"{count} playbooks, no problems.")


@click.command("demo")
@with_appcontext
def demo() -> None:
    """Load the demo users and incidents into an empty database, and print the logins."""
    from breachdesk.services import demo as demo_service

    result = demo_service.load_demo(current_app.extensions["breachdesk"].profile)
    click.echo(result.message)
    for login in result.logins:
        click.echo(f"  {login.username:<10} {login.password:<24} {login.roles}")


@click.command("assess", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def assess(args) -> None:
    """Decide whether FACTS.json (or - for stdin) is notifiable; print the decision as JSON."""
    from breachdesk.assess_cli import main

    raise SystemExit(main(list(args)))


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
