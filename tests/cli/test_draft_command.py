"""``breachdesk draft REF --kind ... --format ...`` for scripts and a DPO away from a browser."""

from __future__ import annotations

import email
import email.policy
import mailbox
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select

from breachdesk.extensions import db
from breachdesk.models import DraftDoc

REF = "BD-2026-0001"


@pytest.fixture
def runner(sqlite_app):
    sqlite_app.test_cli_runner().invoke(args=["demo"])
    return sqlite_app.test_cli_runner()


def draft(runner, *args: str):
    return runner.invoke(args=["draft", *args])


def test_draft_prints_the_ico_report_and_makes_it_only_once(sqlite_app, runner):
    first = draft(runner, REF, "--kind", "ico")
    assert first.exit_code == 0, first.output
    assert first.output.startswith("# Personal data breach report from ODL")
    assert "## Who the ICO should contact" in first.output
    assert "{{" not in first.output
    again = draft(runner, REF, "--kind", "ico", "--format", "md")
    assert again.output == first.output
    with sqlite_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DraftDoc)) == 1


@pytest.mark.parametrize("kind", ["ico", "people", "processors", "controllers", "staff"])
def test_every_kind_prints_as_text_with_no_markup_or_placeholder(runner, kind):
    result = draft(runner, REF, "--kind", kind, "--format", "txt")
    assert result.exit_code == 0, result.output
    assert "{{" not in result.output
    assert "\n## " not in result.output
    assert result.output.strip()


def test_one_draft_as_eml_is_an_email_message(runner):
    result = runner.invoke(args=["draft", REF, "--kind", "staff", "--format", "eml"])
    assert result.exit_code == 0, result.output
    message = email.message_from_string(result.output, policy=email.policy.default)
    assert message["Subject"].startswith("Internal only: data breach")
    assert message["From"] == "ODL <dpo@odl.example>"


def test_several_drafts_as_eml_come_as_one_mbox(runner, tmp_path):
    result = runner.invoke(args=["draft", REF, "--kind", "processors", "--format", "eml"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "out.mbox"
    path.write_text(result.output)
    box = mailbox.mbox(str(path))
    try:
        subjects = [m["Subject"] for m in box]
    finally:
        box.close()
    assert len(subjects) == 3  # Reliant, Solawinds and Transactor's supplier serve the lab server
    assert all(s.startswith("Confidential: personal data breach at ODL") for s in subjects)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([REF, "--kind", "police"], "unknown kind 'police'"),
        (["BD-1999-0042", "--kind", "ico"], "no incident 'BD-1999-0042'"),
        ([REF, "--kind", "ico", "--format", "pdf"], "unknown format 'pdf'"),
    ],
)
def test_a_bad_reference_kind_or_format_is_one_line_and_exit_2(runner, args, message):
    result = runner.invoke(args=["draft", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_console_script_prints_the_draft(sqlite_app, runner, tmp_path):
    """The one run through the installed script; every format is covered in-process above."""
    env = {
        "PATH": "/usr/bin:/bin",
        "BREACHDESK_DATABASE_URL": sqlite_app.config["SQLALCHEMY_DATABASE_URI"],
        "BREACHDESK_SECRET_KEY": "cli-test-secret",
    }
    script = Path(sys.executable).parent / "breachdesk"
    result = subprocess.run(
        [str(script), "draft", REF, "--kind", "ico", "--format", "txt"],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "{{" not in out
    assert "Personal data breach report from ODL" in out
