"""How many incidents a list holds in each status, and how many are overdue.

With no filter but the status, the counts come from the tally the database keeps (a dozen
rows, see ``IncidentTally``), whatever the number of incidents. Overdue is a matter of time,
not of any write, so it is not kept: it is every running clock less those whose deadline is
still ahead, and the index on the deadline reaches those few directly. With a search or a
filter, the matching incidents are counted, the indexes having narrowed them first, up to
``COUNTED_UP_TO``: past that, the list says "more than 1,000" rather than read every match,
so a broad filter costs what a narrow one does however large the register grows.
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


#: A search or filter counts its matches up to this many.
COUNTED_UP_TO = 1000


@dataclass(frozen=True)
class StatusCounts:
    """How many incidents match the filter in each status, and how many are overdue.

    ``more_than`` is set instead when a filter matched more than that many, and
    ``words_in_more_than`` when a search's words are too common to count (``word_search``):
    the counts by status are then not known.
    """

    by_status: dict[IncidentStatus, int] = field(default_factory=dict)
    overdue: int = 0
    more_than: int | None = None
    words_in_more_than: int | None = None

    @property
    def known(self) -> bool:
        return self.more_than is None and self.words_in_more_than is None

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


def counted(
    scope: Scope, conditions: list, now: datetime, with_overdue: bool, status=Incident.status
) -> StatusCounts:
    """The incidents in ``scope`` matching ``conditions``, counted up to ``COUNTED_UP_TO``;
    one statement, which stops reading one match past it. ``status`` is the column their
    state is read from: the incident's own, or a copy of it (``IncidentAsset.status``)."""
    columns = [status.label("status")]
    if with_overdue:
        columns.append(case((is_overdue(now), 1), else_=0).label("overdue"))
    found = (
        select(*columns).where(*scope.conditions, *conditions).limit(COUNTED_UP_TO + 1).subquery()
    )
    totals = [found.c.status, func.count()]
    if with_overdue:
        totals.append(func.sum(found.c.overdue))
    by_status: dict[IncidentStatus, int] = {}
    overdue = 0
    for row in db.session.execute(select(*totals).group_by(found.c.status)):
        by_status[IncidentStatus(row[0])] = row[1]
        overdue += (row[2] or 0) if with_overdue else 0
    if sum(by_status.values()) > COUNTED_UP_TO:
        return StatusCounts(more_than=COUNTED_UP_TO)
    return StatusCounts(by_status, overdue)
