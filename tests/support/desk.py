"""A desk with ``n`` incidents of every kind, built through the services as users would."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from breachdesk.desk import get_desk
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Ongoing
from breachdesk.services import accounts
from breachdesk.services import reporting
from breachdesk.services.checklists import assignments
from breachdesk.services.checklists import runs as checklists
from breachdesk.services.checklists import steps
from breachdesk.services.notices import record_notice
from tests.support.reminders import decide

ASSETS = ("lab-server", "email", "parcels")


def build_desk(n: int, now: datetime) -> dict[str, str]:
    """Users of every role and ``n`` incidents; returns the first incident's reference.

    Every third incident is told to the ICO, every third is worked by IT with a step done
    and a note, every third is decided not notifiable; all have their playbook's steps.
    """
    desk = get_desk()
    users = {
        role: accounts.create_user(f"{role.value}-user", f"{role.value}-password-1", [role])
        for role in (Role.DPO, Role.STAFF, Role.IT)
    }
    db.session.commit()
    references = []
    for i in range(n):
        report = reporting.ReportInput(
            description=f"Incident number {i}: a ransom note on the screen.",
            occurred_at=None,
            noticed_at=now - timedelta(hours=i + 1),
            asset_ids=(ASSETS[i % 3],),
            data_categories=("basic_identity", "health"),
            data_notes="",
            people_count=10 + i,
            ongoing=Ongoing.NO,
            others_aware="",
        )
        reported = reporting.submit_report(users[Role.STAFF], report, desk.profile, desk.playbooks)
        incident = reported.incident
        items = checklists.checklist(incident)
        references.append(incident.reference)
        if i % 3 == 0:
            decide(incident, now - timedelta(minutes=30), notify_ico=True, notify_people="yes")
            dpo = users[Role.DPO]
            record_notice(incident, "ico", now, "ICO-1", "online form", "ICO", None, dpo)
        elif i % 3 == 1:
            assignments.assign(incident, users[Role.IT], users[Role.DPO])
            it_step = next(item for item in items if item.role is Role.IT)
            steps.tick(incident, it_step, users[Role.IT])
            steps.annotate(incident, it_step, users[Role.IT], "Unplugged at 10:05.")
        else:
            decide(incident, now - timedelta(minutes=10), notify_ico=False)
    return {"first": references[0], "last": references[-1]}


NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
