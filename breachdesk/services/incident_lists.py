"""Lists of incidents a page at a time: filtered, searched, ordered and counted by the database.

The dashboard and the register hold every incident of years of work, so neither loads them
all: the database filters, orders on stored columns (see ``stored_clocks``), counts per
status with one GROUP BY, and returns one page. Every list costs the same few statements
whatever the number of incidents.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import Select
from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import raiseload

from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import IncidentAsset
from breachdesk.models import IncidentStatus
from breachdesk.timeutil import local_input_to_utc

PAGE_SIZE = 50
#: More words than this in a search are ignored: each one is a condition on every row.
MOST_WORDS = 8


class Decision(StrEnum):
    """The register's decision filter: the decision in force on telling the ICO."""

    NOTIFY = "notify"
    NOT_NOTIFIABLE = "not-notifiable"
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class IncidentFilter:
    """What the DPO asked to see; every part is optional."""

    words: tuple[str, ...] = ()  # each in the reference or the description
    status: IncidentStatus | None = None
    overdue: bool = False  # a clock still running past its deadline
    asset: str | None = None
    decision: Decision | None = None
    reported_from: date | None = None  # UK dates, both days included
    reported_to: date | None = None

    def __post_init__(self) -> None:
        if self.overdue and self.status is not None:
            raise ValueError("overdue is a state of its own: choose it or a status")

    @staticmethod
    def split_words(text: str) -> tuple[str, ...]:
        return tuple(text.split()[:MOST_WORDS])


@dataclass(frozen=True)
class StatusCounts:
    """How many incidents match the filter in each status, and how many are overdue."""

    by_status: dict[IncidentStatus, int] = field(default_factory=dict)
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


@dataclass(frozen=True)
class Page:
    """One page of a list: its incidents, which page it is, and how many match in all."""

    incidents: list[Incident]
    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first_shown(self) -> int:
        return (self.number - 1) * self.size + 1 if self.incidents else 0

    @property
    def last_shown(self) -> int:
        return (self.number - 1) * self.size + len(self.incidents)


class NoSuchPage(LookupError):
    """A page number past the end of the list; the message says how many there are."""

    def __init__(self, number: int, pages: int) -> None:
        super().__init__(f"There is no page {number}: this list has {pages} page(s).")
        self.pages = pages


def _conditions(wanted: IncidentFilter, now: datetime, with_status: bool = True) -> list:
    conditions = []
    for word in wanted.words:
        conditions.append(
            or_(
                Incident.reference.icontains(word, autoescape=True),
                Incident.description.icontains(word, autoescape=True),
            )
        )
    if with_status and wanted.status is not None:
        conditions.append(Incident.status == wanted.status)
    if with_status and wanted.overdue:
        conditions.append(_is_overdue(now))
    if wanted.asset:
        on_asset = select(IncidentAsset.incident_id).where(IncidentAsset.asset_id == wanted.asset)
        conditions.append(Incident.id.in_(on_asset))
    if wanted.decision is Decision.NOTIFY:
        conditions.append(Incident.notify_ico.is_(True))
    elif wanted.decision is Decision.NOT_NOTIFIABLE:
        conditions.append(Incident.notify_ico.is_(False))
    elif wanted.decision is Decision.UNDECIDED:
        conditions.append(Incident.notify_ico.is_(None))
    if wanted.reported_from is not None:
        conditions.append(Incident.reported_at >= _uk_midnight(wanted.reported_from))
    if wanted.reported_to is not None:
        next_day = wanted.reported_to + timedelta(days=1)
        conditions.append(Incident.reported_at < _uk_midnight(next_day))
    return conditions


def _is_overdue(now: datetime):
    return and_(Incident.clocks_stopped.is_(False), Incident.deadline_at < now)


def _uk_midnight(day: date) -> datetime:
    """The instant a day starts in the UK, in UTC (the register's dates are UK dates)."""
    return local_input_to_utc(datetime.combine(day, time()))


def status_counts(scope: list, wanted: IncidentFilter, now: datetime) -> StatusCounts:
    """Per-status and overdue counts of the incidents in ``scope`` matching all but the status."""
    query = (
        select(
            Incident.status,
            func.count(),
            func.sum(case((_is_overdue(now), 1), else_=0)),
        )
        .where(*scope, *_conditions(wanted, now, with_status=False))
        .group_by(Incident.status)
    )
    by_status: dict[IncidentStatus, int] = {}
    overdue = 0
    for status, count, late in db.session.execute(query):
        by_status[IncidentStatus(status)] = count
        overdue += late or 0
    return StatusCounts(by_status, overdue)


def _matching(counts: StatusCounts, wanted: IncidentFilter) -> int:
    """How many incidents the whole filter matches, read from the per-status counts."""
    if wanted.overdue:
        return counts.overdue
    if wanted.status is not None:
        return counts.by_status.get(wanted.status, 0)
    return counts.total


def _page(query: Select, total: int, number: int) -> Page:
    if number < 1 or (number > 1 and (number - 1) * PAGE_SIZE >= total):
        raise NoSuchPage(number, Page([], 1, total).pages)
    offset = (number - 1) * PAGE_SIZE
    incidents = list(db.session.scalars(query.limit(PAGE_SIZE).offset(offset)))
    return Page(incidents, number, total)


#: Lists show no assignments: not loaded, and an error if a template ever reached for them
#: (it would cost a query per row).
_LIST_LOADING = (raiseload(Incident.assignments),)

#: The open incidents, as the dashboard shows them.
OPEN = [Incident.status != IncidentStatus.CLOSED]


def open_page(wanted: IncidentFilter, number: int, now: datetime) -> tuple[Page, StatusCounts]:
    """A page of open incidents, running clocks first and the nearest deadline first."""
    counts = status_counts(OPEN, wanted, now)
    query = (
        select(Incident)
        .options(*_LIST_LOADING)
        .where(*OPEN, *_conditions(wanted, now))
        .order_by(Incident.clocks_stopped, Incident.deadline_at, Incident.id)
    )
    return _page(query, _matching(counts, wanted), number), counts


def register_page(wanted: IncidentFilter, number: int, now: datetime) -> tuple[Page, StatusCounts]:
    """A page of the register: every incident matching, newest report first."""
    counts = status_counts([], wanted, now)
    return _page(register_query(wanted, now), _matching(counts, wanted), number), counts


def register_query(wanted: IncidentFilter, now: datetime) -> Select:
    """Every incident matching, newest report first (the register and its CSV)."""
    return (
        select(Incident)
        .options(*_LIST_LOADING)
        .where(*_conditions(wanted, now))
        .order_by(Incident.reported_at.desc(), Incident.id.desc())
    )
