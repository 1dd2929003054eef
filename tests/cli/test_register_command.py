"""`breachdesk register export` writes the whole register to a file or standard output."""

from __future__ import annotations

import csv
import json
from datetime import UTC
from datetime import datetime

from tests.support.reminders import add_incident

AWARE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def test_export_as_csv_to_a_file(sqlite_app, tmp_path):
    with sqlite_app.app_context():
        add_incident(AWARE, "Lost USB stick")
        add_incident(AWARE, "Email to the wrong practice")
    target = tmp_path / "register.csv"

    result = sqlite_app.test_cli_runner().invoke(
        args=["register", "export", "--format", "csv", "--output", str(target)]
    )

    assert result.exit_code == 0, result.output
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["What happened"] for r in rows] == ["Lost USB stick", "Email to the wrong practice"]


def test_export_as_json_to_standard_output(sqlite_app):
    with sqlite_app.app_context():
        add_incident(AWARE, "Lost USB stick")

    result = sqlite_app.test_cli_runner().invoke(args=["register", "export", "--format", "json"])

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [r["reference"] for r in document["incidents"]] == ["BD-2026-0001"]


def test_an_unknown_format_is_refused_with_the_choices(sqlite_app):
    result = sqlite_app.test_cli_runner().invoke(args=["register", "export", "--format", "xls"])
    assert result.exit_code == 2
    assert "'csv', 'json'" in result.output or "csv, json" in result.output
