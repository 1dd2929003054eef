"""The ``breachdesk`` command line, one module per command group.

``breachdesk assess`` runs without the web stack, so this package imports Flask only inside
the functions that need it: importing ``breachdesk.cli.assess`` stays light.

The database is checked (reachable, not migrated past this code) just before a command that
uses it runs, not when the app is built: with the database down, ``playbooks check`` and
``assess`` still work, and a command that needs it stops in one line saying why.
"""

from __future__ import annotations

import sys

#: The command groups that never open the database.
WITHOUT_DATABASE = frozenset({"assess", "playbooks"})


def main(argv: list[str] | None = None) -> int:
    """The console script: ``assess`` runs on its own, everything else through Flask's CLI."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["assess"]:
        from breachdesk.cli.assess import main as assess_main

        return assess_main(argv[1:])
    from breachdesk import create_app

    def unchecked():
        return create_app(check_database_now=False)

    group = _desk_group()(name="breachdesk", create_app=_create_app_or_exit(unchecked))
    return group.main(args=argv, prog_name="breachdesk") or 0


def _desk_group():
    from flask.cli import FlaskGroup

    from breachdesk.cli.guards import database_checked_first
    from breachdesk.cli.guards import guarded

    class DeskGroup(FlaskGroup):
        """Flask's command group, checking the database before a command that needs it."""

        def resolve_command(self, ctx, args):
            name, command, rest = super().resolve_command(ctx, args)
            if command is not None and name not in WITHOUT_DATABASE:
                command = guarded(command, database_checked_first)
            return name, command, rest

    return DeskGroup


def register(app) -> None:
    """Add every command group to the app's CLI (``flask --app breachdesk ...`` too)."""
    from breachdesk.cli import assess
    from breachdesk.cli import audit
    from breachdesk.cli import backup
    from breachdesk.cli import breach_register
    from breachdesk.cli import db
    from breachdesk.cli import demo
    from breachdesk.cli import drafts
    from breachdesk.cli import playbooks
    from breachdesk.cli import reminders
    from breachdesk.cli import retention
    from breachdesk.cli import serve
    from breachdesk.cli import users

    for command in (
        users.users,
        playbooks.playbooks,
        demo.demo,
        assess.assess_command,
        serve.serve,
        drafts.draft,
        reminders.scheduler_command,
        reminders.dispatch_due_command,
        db.db,
        audit.audit,
        breach_register.register,
        retention.retention,
        backup.backup_command,
        backup.restore_command,
    ):
        app.cli.add_command(command)


def _create_app_or_exit(factory):
    """Turn a broken profile or playbook into a one-paragraph message and exit 1."""

    def build():
        from breachdesk.domain.profile import ProfileError
        from breachdesk.services.checklists.library import PlaybookLibraryError

        try:
            return factory()
        except (ProfileError, PlaybookLibraryError) as exc:
            print(f"breachdesk cannot start:\n{exc}", file=sys.stderr)
            raise SystemExit(1) from exc

    return build
