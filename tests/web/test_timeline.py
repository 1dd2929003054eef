"""One chronological record per incident, on the page and as Markdown and CSV files."""

from __future__ import annotations

import csv
import io
from datetime import UTC
from datetime import datetime

import pytest
from sqlalchemy import select

from breachdesk.domain.vocabulary import Exfiltration
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Assessment
from breachdesk.models import Audience
from breachdesk.models import ChecklistItem
from breachdesk.models import Finding
from breachdesk.models import Incident
from breachdesk.models import NoticeRecord
from breachdesk.models import User
from breachdesk.services import audit
from breachdesk.web.checklists.exports import safe_cell
from tests.web.test_reporting import report

REF = "BD-2026-0001"
DETAIL = f"/incidents/{REF}"
CHECKLIST = f"{DETAIL}/checklist"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def step_id(app, step: str) -> int:
    with app.app_context():
        return db.session.scalar(select(ChecklistItem.id).where(ChecklistItem.step_id == step))


def add_rows(app, moment: str, *, finding_event: bool) -> None:
    """A finding (with or without its audit event), a decision and a notice, at ``moment``."""
    with app.app_context():
        incident = db.session.scalar(select(Incident))
        dana = db.session.scalar(select(User).where(User.username == "dana"))
        when = at(moment)
        db.session.add(
            Finding(
                incident_id=incident.id,
                author_id=dana.id,
                created_at=when,
                summary="Bitdefender logs show no upload",
                systems_affected="Lab server",
                exfiltration=Exfiltration.RULED_OUT,
            )
        )
        if finding_event:
            audit.record(incident, dana, "finding-added", "Technical finding added: logs", at=when)
        db.session.add(
            Assessment(
                incident_id=incident.id,
                decided_at=when,
                decided_by_id=dana.id,
                facts={},
                recommendation={},
                engine_version="1",
                risk="high",
                notify_ico=True,
                notify_people="yes",
            )
        )
        db.session.add(
            NoticeRecord(
                incident_id=incident.id,
                audience=Audience.ICO,
                told_at=when,
                recorded_at=when,
                reference="IC-123456-A1B2",
                channel="ICO online form",
                recorded_by_id=dana.id,
            )
        )
        db.session.commit()


@pytest.fixture
def dpo(app, login_as, freezer):
    freezer.move_to("2026-11-20 12:00:00")
    sam = login_as("sam", Role.STAFF)
    assert report(sam).status_code == 200
    return login_as("dana", Role.DPO)


def rows_of(page: str) -> list[str]:
    return [part.split("</tr>")[0] for part in page.split('<tr class="entry-')[1:]]


def test_the_timeline_lists_everything_in_order_of_time(app, dpo, freezer):
    freezer.move_to("2026-11-20 12:10:00")
    dpo.post(f"/incidents/{REF}/steps/{step_id(app, 'call-reliant')}/done", form_url=CHECKLIST)
    freezer.move_to("2026-11-20 12:20:00")
    dpo.post(
        f"/incidents/{REF}/steps/{step_id(app, 'call-reliant')}/note",
        {"text": "Reliant ticket 4411"},
        form_url=CHECKLIST,
    )
    freezer.move_to("2026-11-20 12:30:00")
    add_rows(app, "2026-11-20T12:30:00", finding_event=True)
    freezer.move_to("2026-11-20 12:40:00")
    dpo.post(
        f"{DETAIL}/awareness",
        {"aware_at": "2026-11-20T11:00", "reason": "The lab manager saw it at 11."},
        form_url=DETAIL,
    )
    freezer.move_to("2026-11-20 12:50:00")
    dpo.post(f"{DETAIL}/status", {"status": "triage", "note": ""}, form_url=DETAIL)

    page = dpo.get(f"{DETAIL}/timeline").get_data(as_text=True)

    order = [row.split('"')[0] for row in rows_of(page)]
    assert order == [
        "report",
        "step",
        "step",
        "finding",
        "assessment",
        "notice",
        "awareness",
        "status",
    ]
    assert "Fri 20 Nov 2026, 12:00 GMT" in page
    assert "Reliant ticket 4411" in page
    assert "The lab manager saw it at 11." in page
    assert "Data copied out: ruled out" in page  # the finding's row enriches its event
    assert "reference IC-123456-A1B2" in page


def test_a_row_and_its_audit_event_appear_once_and_a_row_without_one_still_appears(app, dpo):
    add_rows(app, "2026-11-20T12:00:30", finding_event=True)
    add_rows(app, "2026-11-20T12:05:00", finding_event=False)

    page = dpo.get(f"{DETAIL}/timeline").get_data(as_text=True)

    kinds = [row.split('"')[0] for row in rows_of(page)]
    assert kinds.count("finding") == 2
    assert kinds.count("assessment") == 2
    assert kinds.count("notice") == 2


def test_the_markdown_export_is_a_download_in_uk_time(app, dpo, freezer):
    freezer.move_to("2026-11-20 12:10:00")
    dpo.post(f"/incidents/{REF}/steps/{step_id(app, 'call-reliant')}/done", form_url=CHECKLIST)

    response = dpo.get(f"{DETAIL}/timeline.md")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (f'attachment; filename="{REF}-timeline.md"')
    text = response.get_data(as_text=True)
    assert text.startswith(f"# Timeline of {REF}")
    lines = [line for line in text.splitlines() if line.startswith("- **")]
    assert lines[0].startswith("- **Fri 20 Nov 2026, 12:00 GMT** · Report")
    assert lines[1].startswith("- **Fri 20 Nov 2026, 12:10 GMT** · Checklist · Step done")


def test_the_csv_export_gives_uk_and_utc_times_and_defuses_formulas(app, login_as, freezer):
    freezer.move_to("2026-07-01 12:00:00")
    sam = login_as("sam", Role.STAFF)
    report(sam, noticed_at="2026-07-01T12:30", occurred_at=None)
    dana = login_as("dana", Role.DPO)
    note = f"/incidents/{REF}/steps/{step_id(app, 'call-reliant')}/note"
    for text in ('=HYPERLINK("http://evil.example","x")', "+1+2", "-3", "@SUM(A1)"):
        dana.post(note, {"text": text}, form_url=CHECKLIST)

    response = dana.get(f"{DETAIL}/timeline.csv")

    assert response.headers["Content-Disposition"] == f'attachment; filename="{REF}-timeline.csv"'
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0]["time_uk"] == "Wed 1 Jul 2026, 13:00 BST"
    assert rows[0]["time_utc"] == "2026-07-01T12:00:00+00:00"
    details = [row["detail"] for row in rows if row["kind"] == "step-note"]
    assert details == ['\'=HYPERLINK("http://evil.example","x")', "'+1+2", "'-3", "'@SUM(A1)"]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


def test_staff_have_no_timeline_even_of_their_own_report(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam)
    for page in ("/timeline", "/timeline.md", "/timeline.csv"):
        assert sam.get(f"{DETAIL}{page}").status_code == 403


def test_safe_cell_leaves_ordinary_text_alone():
    assert safe_cell("Reliant ticket 4411") == "Reliant ticket 4411"
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("") == ""
