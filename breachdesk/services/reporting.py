"""Reporting a suspected breach: save it first, tell the DPO in the app, start the playbooks."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError

from breachdesk.domain.clock import default_awareness
from breachdesk.domain.date_limits import REPORT_LOOKBACK
from breachdesk.domain.date_limits import ImplausibleDate
from breachdesk.domain.date_limits import check_instant
from breachdesk.domain.profile import Profile
from breachdesk.domain.vocabulary import NOT_SURE_ASSET
from breachdesk.domain.vocabulary import Role
from breachdesk.domain.vocabulary import Situation
from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import IncidentAsset
from breachdesk.models import IncidentCounter
from breachdesk.models import Notification
from breachdesk.models import Ongoing
from breachdesk.models import User
from breachdesk.services import accounts
from breachdesk.services import audit
from breachdesk.services.checklists import runs
from breachdesk.services.checklists.library import PlaybookLibrary
from breachdesk.timeutil import LONDON
from breachdesk.timeutil import utcnow

log = logging.getLogger(__name__)

#: The longest account of what happened a report, a correction or a past breach may hold.
DESCRIPTION_LIMIT = 20_000


@dataclass(frozen=True)
class ReportInput:
    """What a reporter said, already validated by the form."""

    description: str
    occurred_at: datetime | None
    noticed_at: datetime
    asset_ids: tuple[str, ...]
    data_categories: tuple[str, ...]
    data_notes: str
    people_count: int | None
    ongoing: Ongoing
    others_aware: str
    situation: Situation = Situation.NOT_SURE


class ReportError(ValueError):
    """A report that cannot be accepted; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_report(report: ReportInput, profile: Profile, now: datetime) -> None:
    """Apply the rules no form can be trusted to have applied."""
    known = set(profile.asset_ids) | {NOT_SURE_ASSET}
    unknown = [asset for asset in report.asset_ids if asset not in known]
    if unknown:
        raise ReportError("assets", f"Unknown place: {unknown[0]!r}. Choose from the list.")
    if not report.asset_ids:
        raise ReportError("assets", "Choose at least one place, or 'Something else / not sure'.")
    if report.noticed_at > now:
        raise ReportError("noticed_at", "The time you noticed it cannot be in the future.")
    if report.noticed_at < now - REPORT_LOOKBACK:
        raise ReportError(
            "noticed_at",
            "That is more than a year ago: check the date. A breach noticed that long ago is "
            "added to the breach register by the DPO, with the reason: tell them instead.",
        )
    if report.occurred_at is not None and report.occurred_at > report.noticed_at:
        raise ReportError(
            "occurred_at", "It cannot have happened after you noticed it: check both times."
        )
    if report.occurred_at is not None:
        try:
            check_instant(report.occurred_at, now, "When it happened")
        except ImplausibleDate as exc:
            raise ReportError("occurred_at", str(exc)) from None


@dataclass(frozen=True)
class Reported:
    """A saved report; ``checklist_started`` is False when the DPO was told it failed."""

    incident: Incident
    checklist_started: bool


def submit_report(
    reporter: User, report: ReportInput, profile: Profile, playbooks: PlaybookLibrary
) -> Reported:
    """Save the report under a new reference, alert every DPO, then start its checklists.

    The incident, its assets, the audit line and the alerts are one transaction, committed
    before the checklists are started: a checklist that fails to start never loses a report.
    """
    now = utcnow()
    check_report(report, profile, now)
    incident = _save(reporter, report, now)
    try:
        runs.start_checklists(incident, playbooks, profile)
    except Exception:
        log.exception("checklist for %s not started", incident.reference)
        runs.report_start_failure(incident)
        return Reported(incident, checklist_started=False)
    return Reported(incident, checklist_started=True)


def _save(reporter: User, report: ReportInput, now: datetime) -> Incident:
    # Read before the first write, so nothing pending is flushed by a query half-way.
    dpos = accounts.users_with_role(Role.DPO)
    attempts_left = _SAVE_ATTEMPTS
    while True:
        attempts_left -= 1
        try:
            incident = _new_incident(reporter, report, now, dpos)
            db.session.commit()
            return incident
        except IntegrityError:
            # Only a number given out by hand (not by the counter) can collide; the counter
            # moves past it on the next try.
            db.session.rollback()
            if not attempts_left:
                raise
        except BaseException:
            db.session.rollback()
            raise


_SAVE_ATTEMPTS = 3


def _new_incident(reporter: User, report: ReportInput, now: datetime, dpos: list[User]) -> Incident:
    incident = Incident(
        **numbered(now),
        reporter=reporter,
        description=report.description,
        occurred_at=report.occurred_at,
        noticed_at=report.noticed_at,
        reported_at=now,
        aware_at=default_awareness(report.noticed_at, now),
        data_categories=list(report.data_categories),
        data_notes=report.data_notes,
        people_count=report.people_count,
        ongoing=report.ongoing,
        others_aware=report.others_aware,
        situation=report.situation,
    )
    incident.asset_rows = asset_rows(report.asset_ids)
    db.session.add(incident)
    audit.record(incident, reporter, "reported", "Suspected breach reported")
    for dpo in dpos:
        db.session.add(
            Notification(
                user_id=dpo.id,
                incident=incident,
                message=f"New suspected breach {incident.reference} reported by "
                f"{reporter.display_name}.",
            )
        )
    return incident


def numbered(now: datetime) -> dict[str, int | str]:
    """The year, number and reference of an incident entered at ``now`` (this transaction's)."""
    year = now.astimezone(LONDON).year
    number = take_number(year)
    return {"year": year, "number": number, "reference": f"BD-{year}-{number:04d}"}


def asset_rows(asset_ids: tuple[str, ...]) -> list[IncidentAsset]:
    """Where the data was, in the order given."""
    return [IncidentAsset(asset_id=asset_id, position=i) for i, asset_id in enumerate(asset_ids)]


def take_number(year: int) -> int:
    """The next reference number of ``year``, in the current transaction.

    One UPDATE of the year's counter row: a second report waits on the row's lock (SQLite:
    on the write lock) until the first commits, so the two can never take the same number.
    The counter never falls behind a number already used, even one the demo gave by hand.
    """
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    db.session.execute(
        dialect.insert(IncidentCounter)
        .values(year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
    highest = (
        select(func.coalesce(func.max(Incident.number), 0))
        .where(Incident.year == year)
        .scalar_subquery()
    )
    last = IncidentCounter.last_number
    taken = db.session.execute(
        update(IncidentCounter)
        .where(IncidentCounter.year == year)
        .values(last_number=case((last >= highest, last), else_=highest) + 1)
        .returning(IncidentCounter.last_number)
        .execution_options(synchronize_session=False)
    )
    return taken.scalar_one()
