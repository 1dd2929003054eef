"""The breach register lists every incident, notified or not, with the reasons."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Assessment
from breachdesk.models import Incident
from breachdesk.models import IncidentStatus
from breachdesk.models import User
from tests.web.test_reporting import report

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")


def decide_not_to_notify(app, reference: str) -> None:
    with app.app_context():
        incident = db.session.scalar(select(Incident).where(Incident.reference == reference))
        dpo = db.session.scalar(select(User).where(User.username == "dana"))
        db.session.add(
            Assessment(
                incident_id=incident.id,
                decided_by_id=dpo.id,
                facts={},
                engine_version="test",
                recommendation={
                    "reasons": [
                        {
                            "text": "The recipient is a trusted practice that deleted the email.",
                            "ref": "EDPB 01/2021",
                        }
                    ]
                },
                risk="unlikely",
                notify_ico=False,
                notify_people="no",
            )
        )
        incident.status = IncidentStatus.NOT_NOTIFIABLE
        db.session.commit()


def test_the_register_lists_every_incident_with_the_reasons_for_not_notifying(app, login_as):
    sam = login_as("sam", Role.STAFF)
    report(sam, description="Photos emailed to the wrong practice.")
    report(
        sam,
        description='=HYPERLINK("http://evil.example") a formula in the report',
        noticed_at="2026-11-10T09:00",
        occurred_at=None,
    )
    dpo = login_as("dana", Role.DPO)
    decide_not_to_notify(app, "BD-2026-0001")

    page = dpo.get("/register/").get_data(as_text=True)

    assert "BD-2026-0001" in page
    assert "BD-2026-0002" in page
    assert "trusted practice that deleted the email" in page
    assert "Late" in page  # the second was noticed ten days ago and nobody has told the ICO

    exported = dpo.get("/register/register.csv")
    assert exported.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    by_ref = {row["Reference"]: row for row in rows}
    assert by_ref["BD-2026-0001"]["Tell the ICO"] == "no"
    assert by_ref["BD-2026-0002"]["What happened"].startswith("'=HYPERLINK")
    assert by_ref["BD-2026-0002"]["Late"] == "yes"


@pytest.mark.parametrize("role", [Role.STAFF, Role.IT])
def test_only_the_dpo_reads_the_register(app, login_as, role):
    user = login_as("someone", role)
    assert user.get("/register/").status_code == 403
    assert user.get("/register/register.csv").status_code == 403
