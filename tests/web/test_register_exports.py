"""The DPO downloads the whole register from the register page; nobody else can."""

from __future__ import annotations

import csv
import io
import json

import pytest

from breachdesk.domain.vocabulary import Role
from tests.web.test_reporting import report

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")


def test_the_register_page_links_to_both_exports(app, login_as):
    dpo = login_as("dana", Role.DPO)
    page = dpo.get("/register/").get_data(as_text=True)
    assert 'href="/exports/register.csv"' in page
    assert 'href="/exports/register.json"' in page


def test_the_dpo_downloads_the_register_as_streamed_csv_and_json(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam)
    dpo = login_as("dana", Role.DPO)

    as_csv = dpo.get("/exports/register.csv")
    assert as_csv.is_streamed
    assert as_csv.headers["Content-Disposition"] == "attachment; filename=breach-register.csv"
    rows = list(csv.DictReader(io.StringIO(as_csv.get_data(as_text=True))))
    as_json = dpo.get("/exports/register.json")
    assert as_json.is_streamed
    document = json.loads(as_json.get_data(as_text=True))

    assert [r["Reference"] for r in rows] == ["BD-2026-0001"]
    assert document["incident_count"] == 1
    assert document["incidents"][0]["reference"] == "BD-2026-0001"


def test_only_the_dpo_exports_the_register(app, login_as):
    for name, role in (("sam", Role.STAFF), ("ivan", Role.IT)):
        user = login_as(name, role)
        assert user.get("/exports/register.csv").status_code == 403
        assert user.get("/exports/register.json").status_code == 403
