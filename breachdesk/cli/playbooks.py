"""`breachdesk playbooks check`: every problem in the playbook files, with file and line."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app


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
