"""The ``breachdesk`` console script."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run a breachdesk command; ``assess`` runs without loading the web stack."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["assess"]:
        from breachdesk.assess_cli import main as assess_main

        return assess_main(argv[1:])
    from flask.cli import FlaskGroup

    from breachdesk import create_app

    cli = FlaskGroup(name="breachdesk", create_app=_create_app_or_exit(create_app))
    return cli.main(args=argv, prog_name="breachdesk") or 0


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
