"""With the database down, the commands that never use it still work, and a command that
needs it stops in one plain line (exit status 1, no traceback) before doing anything.

Each command runs in a fresh interpreter, as the ``breachdesk`` console script does,
configured from the environment the way a server sets it.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import REPO
from tests.support.console import BREACHDESK
from tests.support.console import run_python
from tests.support.reminders import free_port


@pytest.fixture(params=["postgres-port-closed", "sqlite-folder-missing"])
def unreachable(request, tmp_path) -> dict[str, str]:
    """The environment of a desk whose database cannot be reached."""
    if request.param == "postgres-port-closed":
        url = f"postgresql+psycopg://breachdesk@127.0.0.1:{free_port()}/breachdesk"
    else:
        url = f"sqlite:///{tmp_path / 'no-such-folder' / 'desk.sqlite'}"
    return {
        **os.environ,
        "BREACHDESK_DATABASE_URL": url,
        "BREACHDESK_SECRET_KEY": "database-down-test-secret",
        "BREACHDESK_INSTANCE_PATH": str(tmp_path / "instance"),
    }


def run(env: dict[str, str], *argv: str) -> tuple[int, str, str]:
    """The exit status, standard output and standard error of ``breachdesk ARGV``."""
    done = run_python(BREACHDESK, *argv, env=env)
    return done.returncode, done.stdout, done.stderr


def test_playbooks_check_works_with_the_database_down(unreachable):
    status, out, err = run(unreachable, "playbooks", "check")

    assert (status, err) == (0, "")
    assert out.endswith("playbooks, no problems.\n")


def test_assess_works_with_the_database_down(unreachable):
    status, out, err = run(
        unreachable, "assess", str(REPO / "docs" / "examples" / "ransomware.json")
    )

    assert (status, err) == (0, "")
    assert '"notify_ico": true' in out


def test_the_list_of_commands_and_their_help_need_no_database(unreachable):
    assert run(unreachable, "--help")[0] == 0
    status, out, err = run(unreachable, "db", "upgrade", "--help")

    assert (status, err) == (0, "")
    assert "Usage: breachdesk db upgrade" in out


@pytest.mark.parametrize("command", [["db", "upgrade"], ["demo"], ["users", "list"]])
def test_a_command_that_needs_the_database_stops_in_one_line(unreachable, command):
    status, out, err = run(unreachable, *command)

    assert status == 1
    assert out == ""
    assert "Traceback" not in err
    [line] = err.splitlines()
    assert line.startswith("breachdesk cannot start: The database")
    assert line.endswith(f"({unreachable['BREACHDESK_DATABASE_URL']})")
