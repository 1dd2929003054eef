"""What runs around a command: the database checked before it, storage faults after.

A guard wraps the run of a command after its options are read, so ``--help`` is never
stopped by one; on a group it wraps the subcommand chosen, so the line it prints names that
command (``breachdesk db upgrade``). The command itself is left as it is: a copy is guarded.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import click

#: Given the command's context and its run, runs it (or stops before).
Guard = Callable[[click.Context, Callable[[], Any]], Any]


def guarded(command: click.Command, guard: Guard) -> click.Command:
    """A copy of ``command`` whose run (each subcommand's, for a group) goes through ``guard``."""
    checked = copy.copy(command)
    if isinstance(command, click.Group):

        def resolve_command(ctx, args):
            name, subcommand, rest = command.resolve_command(ctx, args)
            return name, subcommand and guarded(subcommand, guard), rest

        checked.resolve_command = resolve_command  # type: ignore[method-assign]
    else:

        def invoke(ctx: click.Context) -> Any:
            return guard(ctx, lambda: command.invoke(ctx))

        checked.invoke = invoke  # type: ignore[method-assign]
    return checked


def database_checked_first(ctx: click.Context, run: Callable[[], Any]) -> Any:
    """Stop in one line if the database cannot be reached or is from a newer breachdesk."""
    from flask.cli import ScriptInfo

    from breachdesk.startup import StartupError
    from breachdesk.startup import check_database
    from breachdesk.startup import exit_with

    try:
        check_database(ctx.ensure_object(ScriptInfo).load_app())
    except StartupError as exc:
        exit_with(exc)
    return run()


def storage_faults_in_one_line(ctx: click.Context, run: Callable[[], Any]) -> Any:
    """A full or read-only disk stops the command in one line saying so and what to do."""
    from breachdesk.startup import storage_faults_stop

    with storage_faults_stop(f"{ctx.command_path} stopped"):
        return run()
