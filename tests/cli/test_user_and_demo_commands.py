"""The project's commands, as a script would use them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from breachdesk import create_app
from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import User
from tests.conftest import REPO
from tests.conftest import base_config


@pytest.fixture
def runner(sqlite_app):
    return sqlite_app.test_cli_runner()


def test_users_create_reads_the_password_from_stdin_and_never_prints_it(sqlite_app, runner):
    result = runner.invoke(
        args=["users", "create", "jo", "--role", "staff", "--role", "it", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "a long enough password" not in result.output
    listed = runner.invoke(args=["users", "list"])
    assert "jo" in listed.output
    assert "it,staff" in listed.output


def test_users_create_refuses_a_short_password_with_a_message(runner):
    result = runner.invoke(
        args=["users", "create", "jo", "--role", "staff", "--password-stdin"], input="short\n"
    )
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output


def test_users_disable_stops_sign_in(sqlite_app, runner):
    runner.invoke(
        args=["users", "create", "jo", "--role", "staff", "--password-stdin"],
        input="a long enough password\n",
    )
    result = runner.invoke(args=["users", "disable", "jo"])
    assert result.exit_code == 0
    assert "disabled" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "disable", "nobody"]).exit_code != 0


@pytest.mark.freeze_time("2026-11-20 12:00:00")
def test_demo_loads_users_and_incidents_once_and_prints_the_logins(sqlite_app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    for login in ("dpo", "deputy", "sam", "reliant"):
        assert login in first.output
    with sqlite_app.app_context():
        incidents = list(db.session.scalars(select(Incident)))
        assert len(incidents) == 4
        assert {i.status.value for i in incidents} >= {"reported", "closed"}
        hours = sorted((i.aware_at.hour, i.aware_at.day) for i in incidents)
        assert hours  # placed relative to now
    second = runner.invoke(args=["demo"])
    assert "already" in second.output
    with sqlite_app.app_context():
        assert len(list(db.session.scalars(select(User)))) == 4


def test_a_broken_profile_stops_the_start_naming_file_and_field(tmp_path):
    broken = tmp_path / "odl.toml"
    text = (REPO / "breachdesk" / "profiles" / "odl.toml").read_text()
    broken.write_text(text.replace('timezone = "Europe/London"', 'timezone = "Mars/Olympus"'))
    config = base_config(tmp_path, "sqlite://") | {"PROFILE_PATH": str(broken)}
    with pytest.raises(Exception, match=r"odl\.toml: organisation\.timezone: "):
        create_app(config)


def test_the_console_script_reports_a_broken_profile_in_one_message(tmp_path):
    broken = tmp_path / "odl.toml"
    broken.write_text("[organisation]\nname = 'ODL'\n")
    env = {"BREACHDESK_PROFILE_PATH": str(broken), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "breachdesk"), "users", "list"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 1
    assert "breachdesk cannot start" in result.stderr
    assert str(broken) in result.stderr
    assert "Traceback" not in result.stderr
