"""The incident file an auditor is handed, and the register's statistics."""

from __future__ import annotations

import re
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from breachdesk.domain import statistics
from breachdesk.domain.vocabulary import Role
from tests.web.test_register import decide_not_to_notify
from tests.web.test_reporting import report

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

URL = "/incidents/BD-2026-0001"


def test_durations_give_the_median_and_the_worst_in_hours():
    spans = [timedelta(hours=h) for h in (2, 10, 80)]
    assert statistics.durations(spans) == statistics.Durations(3, 10.0, 80.0)
    assert statistics.durations([]) == statistics.Durations(0, None, None)


def test_months_are_counted_in_uk_time_and_empty_months_shown():
    london = ZoneInfo("Europe/London")
    instants = [
        datetime(2026, 10, 31, 23, 30, tzinfo=UTC),  # 31 Oct in UK time (GMT)
        datetime(2026, 6, 30, 23, 30, tzinfo=UTC),  # 1 Jul in UK time (BST)
    ]
    months = statistics.per_month(instants, date(2026, 11, 20), 6, london)
    assert months == [
        ("Jun 2026", 0),
        ("Jul 2026", 1),
        ("Aug 2026", 0),
        ("Sep 2026", 0),
        ("Oct 2026", 1),
        ("Nov 2026", 0),
    ]


def test_bars_are_as_tall_as_their_share_of_the_largest():
    chart = statistics.bar_chart([("a", 4), ("b", 2), ("c", 0)], width=300, height=240)
    a, b, c = chart.bars
    assert b.height == pytest.approx(a.height / 2)
    assert c.height == 0
    assert a.y + a.height == chart.baseline


def test_the_incident_file_holds_the_whole_record(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam)
    dpo = login_as("dana", Role.DPO)
    dpo.post(
        f"{URL}/correct",
        {
            "description": "Ransomware on the lab server.",
            "noticed_at": "2026-11-20T11:40",
            "occurred_at": "2026-11-20T11:00",
            "assets": ["lab-server"],
            "data_categories": ["basic_identity", "health"],
            "people_count": "6500",
            "reason": "Counted by Reliant.",
        },
    )
    dpo.post(f"{URL}/close", {"summary": "Restored; ICO told.", "lessons": "Patch."}, form_url=URL)

    page = dpo.get(f"{URL}/file").get_data(as_text=True)

    assert "Incident file BD-2026-0001" in page
    assert "Ransomware on the lab server." in page
    assert "As first reported" in page
    assert "A ransom note is on the lab server screen" in page
    assert "Counted by Reliant." in page
    assert re.search(r"<td>people_count</td><td>6000</td><td>6500</td>", page)
    assert "Restored; ICO told." in page
    assert "Timeline" in page
    assert 'href="/incidents/BD-2026-0001/file"' in dpo.get(URL).get_data(as_text=True)


def test_only_the_dpo_prints_the_incident_file(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam)
    assert sam.get(f"{URL}/file").status_code == 403


def test_the_statistics_page_draws_charts_with_the_figures_beside_them(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam)
    report(sam, assets=["email"])
    dpo = login_as("dana", Role.DPO)
    decide_not_to_notify(app, "BD-2026-0001")

    page = dpo.get("/stats/").get_data(as_text=True)

    assert page.count("<svg") == 2
    assert "<td>Nov 2026</td><td>2</td>" in page
    assert "<td>Lab server (Transactor and Sage)</td><td>1</td>" in page
    assert "0% (0 of 1 decided)" in page
    assert sam.get("/stats/").status_code == 403
