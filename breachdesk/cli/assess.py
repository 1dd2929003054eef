"""`breachdesk assess FILE|-`: print the decision for a facts file, without the web stack.

Imports only the standard library, click and the pure domain, so it starts in a few tens of
milliseconds and never loads Flask or the database layer.
"""

from __future__ import annotations

import json
import sys
from typing import Any
from typing import TextIO

import click

from breachdesk.domain.assessment import FactsError
from breachdesk.domain.assessment import assess
from breachdesk.domain.assessment import decision_to_dict
from breachdesk.domain.assessment import parse_facts

USAGE = "usage: breachdesk assess FACTS.json   (or '-' to read the facts from standard input)"


class _InputError(Exception):
    """The facts could not be read; the message is the one line shown to the user."""


def main(
    argv: list[str],
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    stderr: TextIO = sys.stderr,
) -> int:
    """Assess one facts file and print the decision as JSON: 0 on success, 2 on bad input."""
    args = list(argv)
    if args[:1] == ["assess"] and len(args) == 2:
        args = args[1:]  # also accept the command name, as `breachdesk assess FILE` has it
    if args in (["-h"], ["--help"]):
        print(USAGE, file=stdout)
        return 0
    if len(args) != 1:
        print(USAGE, file=stderr)
        return 2
    try:
        decision = assess(parse_facts(_load(args[0], stdin)))
    except (_InputError, FactsError) as error:
        print(_one_line(str(error)), file=stderr)
        return 2
    print(json.dumps(decision_to_dict(decision), indent=2, ensure_ascii=False), file=stdout)
    return 0


def _load(source: str, stdin: TextIO) -> Any:
    name = "standard input" if source == "-" else source
    try:
        text = stdin.read() if source == "-" else _read(source)
    except UnicodeDecodeError:
        raise _InputError(f"{name}: is not UTF-8 text") from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise _InputError(f"{name}: cannot read the facts file: {reason}") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise _InputError(f"{name}: invalid JSON at {where}: {error.msg}") from None
    except ValueError as error:
        raise _InputError(f"{name}: invalid JSON: {error}") from None


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _reject_constant(name: str) -> Any:
    """JSON has no NaN or Infinity; Python's parser accepts them unless told not to."""
    raise ValueError(f"{name} is not a JSON value")


def _one_line(message: str) -> str:
    return " ".join(message.split())


@click.command("assess", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def assess_command(args) -> None:
    """Decide whether FACTS.json (or - for stdin) is notifiable; print the decision as JSON."""
    raise SystemExit(main(list(args)))
