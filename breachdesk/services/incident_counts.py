"""How many incidents a list holds in each status, and how many are overdue.

With no filter but the status, the counts come from the tally the database keeps (a dozen
rows, see ``IncidentTally``), whatever the number of incidents. Overdue is a matter of time,
not of any write, so it is not kept: it is every running clock less those whose deadline is
still ahead, and the index on the deadline reaches those few directly. With a search or a
filter, the matching incidents are counted, the indexes having narrowed them first.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import select

from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import IncidentStatus
from breachdesk.models import IncidentTally


@dataclass(frozen=True)
class Scope:
    """Which incidents a list holds at all: their statuses, and the same as SQL."""

    statuses: frozenset[IncidentStatus]
    conditions: tuple = ()


#: The dashboard's incidents: the open ones (``!=``, so the order's index serves the page).
OPEN = Scope(
    frozenset(IncidentStatus) - {IncidentStatus.CLOSED},
    (Incident.status != IncidentStatus.CLOSED,),
)
#: The register's: every incident.
EVERY = Scope(frozenset(IncidentStatus))


@dataclass(frozen=True)
class StatusCounts:
    """How many incidents match the filter in each status, and how many are overdue."""

    by_status: dict[IncidentStatus, int] = field(default_factory=dict)
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def is_overdue(now: datetime):
    return and_(Incident.clocks_stopped.is_(False), Incident.deadline_at < now)


def tallied(scope: Scope, now: datetime, with_overdue: bool) -> StatusCounts:
    """Every incident in ``scope``, counted from the tally; one statement."""
    columns = [IncidentTally.status, IncidentTally.clocks_stopped, IncidentTally.incidents]
    if with_overdue:
        ahead = select(func.count()).where(
            Incident.clocks_stopped.is_(False), Incident.deadline_at >= now, *scope.conditions
        )
        columns.append(ahead.scalar_subquery())
    by_status: dict[IncidentStatus, int] = {}
    running = still_ahead = 0
    for row in db.session.execute(select(*columns)):
        status = IncidentStatus(row[0])
        if status not in scope.statuses:
            continue
        by_status[status] = by_status.get(status, 0) + row.incidents
        running += 0 if row.clocks_stopped else row.incidents
        still_ahead = row[3] if with_overdue else 0
    return StatusCounts(by_status, running - still_ahead if with_overdue else 0)


def counted(scope: Scope, conditions: list, now: datetime, with_overdue: bool) -> StatusCounts:
    """The incidents in ``scope`` matching ``conditions``, counted; one GROUP BY."""
    columns = [Incident.status, func.count()]
    if with_overdue:
        columns.append(func.sum(case((is_overdue(now), 1), else_=0)))
    query = select(*columns).where(*scope.conditions, *conditions).group_by(Incident.status)
    by_status: dict[IncidentStatus, int] = {}
    overdue = 0
    for row in db.session.execute(query):
        by_status[IncidentStatus(row[0])] = row[1]
        overdue += (row[2] or 0) if with_overdue else 0
    return StatusCounts(by_status, overdue)
