"""Lists of incidents a page at a time: filtered, searched, ordered and counted by the database.

The dashboard and the register hold every incident of years of work, so neither loads them
all: the database filters, orders on stored columns (see ``stored_clocks``), counts (see
``incident_counts``) and returns one page, reached from the page next to it (see
``list_pages``). Every list costs the same few statements whatever the number of incidents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import Select
from sqlalchemy import column
from sqlalchemy import intersect
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import table
from sqlalchemy.orm import raiseload

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import IncidentAsset
from breachdesk.models import IncidentAssignment
from breachdesk.models import IncidentStatus
from breachdesk.models import User
from breachdesk.models.derived import SEARCH_TABLE
from breachdesk.services.clocks import CLOCK_COLUMNS
from breachdesk.services.incident_counts import EVERY
from breachdesk.services.incident_counts import OPEN
from breachdesk.services.incident_counts import Scope
from breachdesk.services.incident_counts import StatusCounts
from breachdesk.services.incident_counts import counted
from breachdesk.services.incident_counts import is_overdue
from breachdesk.services.incident_counts import tallied
from breachdesk.services.list_pages import Ordering
from breachdesk.services.list_pages import Page
from breachdesk.services.list_pages import Position
from breachdesk.services.list_pages import read_page
from breachdesk.timeutil import local_input_to_utc

#: More words than this in a search are ignored: each one is a condition on every row.
MOST_WORDS = 8
#: The indexes hold every three characters: a shorter word cannot be looked up in them.
SHORTEST_INDEXED_WORD = 3

_SEARCH = table(SEARCH_TABLE, column("rowid"), column(SEARCH_TABLE))


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


def _words(words: tuple[str, ...]) -> list:
    """Each word anywhere in the reference or the description, any case, as LIKE finds it.

    The databases' trigram indexes (``models.derived``) look up each word of three
    characters or more: PostgreSQL's serve ILIKE itself; on SQLite the FTS5 table finds the
    candidates (``_found_by_words``), and LIKE, as before, decides, so both databases answer
    alike.
    """
    return [
        or_(
            Incident.reference.icontains(word, autoescape=True),
            Incident.description.icontains(word, autoescape=True),
        )
        for word in words
    ]


def _found_by_words(words: tuple[str, ...]) -> Select | None:
    """On SQLite, the ids of the incidents the FTS5 table finds with every indexable word."""
    indexed = [word for word in words if len(word) >= SHORTEST_INDEXED_WORD]
    if not indexed or db.session.get_bind().dialect.name != "sqlite":
        return None
    phrases = " AND ".join('"' + word.replace('"', '""') + '"' for word in indexed)
    return select(_SEARCH.c.rowid).where(_SEARCH.c[SEARCH_TABLE].match(phrases))


def _on_asset(asset: str | None) -> Select | None:
    if not asset:
        return None
    return select(IncidentAsset.incident_id).where(IncidentAsset.asset_id == asset)


def _candidates(wanted: IncidentFilter) -> list:
    """The incidents the indexes name (words, place): one set of ids, intersected first.

    SQLite reads each IN list apart and looks up every incident of the first; intersected
    first, only the incidents in both are looked up (half the time for a common word and a
    place at 100,000 incidents).
    """
    sets = [s for s in (_found_by_words(wanted.words), _on_asset(wanted.asset)) if s is not None]
    if not sets:
        return []
    return [Incident.id.in_(intersect(*sets) if len(sets) > 1 else sets[0])]


def _conditions(wanted: IncidentFilter, now: datetime, with_status: bool = True) -> list:
    conditions = [*_candidates(wanted), *_words(wanted.words)]
    if with_status and wanted.status is not None:
        conditions.append(Incident.status == wanted.status)
    if with_status and wanted.overdue:
        conditions.append(is_overdue(now))
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


def _uk_midnight(day: date) -> datetime:
    """The instant a day starts in the UK, in UTC (the register's dates are UK dates)."""
    return local_input_to_utc(datetime.combine(day, time()))


def _counts(scope: Scope, wanted: IncidentFilter, now: datetime, with_overdue: bool):
    """Per-status and overdue counts of the incidents in ``scope`` matching all but the status."""
    narrowing = _conditions(wanted, now, with_status=False)
    if narrowing:
        return counted(scope, narrowing, now, with_overdue)
    return tallied(scope, now, with_overdue)


def _matching(counts: StatusCounts, wanted: IncidentFilter) -> int | None:
    """How many incidents the whole filter matches, read from the per-status counts; None
    where there were too many to count."""
    if counts.more_than is not None:
        return None
    if wanted.overdue:
        return counts.overdue
    if wanted.status is not None:
        return counts.by_status.get(wanted.status, 0)
    return counts.total


#: Lists show neither assignments nor the reporter: not loaded, and an error if a template
#: ever reached for them (it would cost a query per row).
_LIST_LOADING = (raiseload(Incident.assignments), raiseload(Incident.reporter))
#: The dashboard shows a row's clocks, description, progress and status: it reads those
#: columns as plain rows (no reporter, no assets, nothing the ORM must track).
DASHBOARD_COLUMNS = (
    *CLOCK_COLUMNS,
    Incident.reference,
    Incident.description,
    Incident.clocks_stopped,
    Incident.deadline_at,
)

#: The dashboard's order: running clocks first, the nearest deadline first (its index:
#: ix_incident_urgency).
URGENCY = Ordering((Incident.clocks_stopped, Incident.deadline_at, Incident.id))
#: The register's: newest report first (ix_incident_reported).
NEWEST_REPORT = Ordering((Incident.reported_at, Incident.id), descending=True)


def open_page(
    wanted: IncidentFilter, position: Position, now: datetime
) -> tuple[Page, StatusCounts]:
    """A page of open incidents, running clocks first and the nearest deadline first."""
    counts = _counts(OPEN, wanted, now, with_overdue=True)
    query = select(*DASHBOARD_COLUMNS).where(*OPEN.conditions, *_conditions(wanted, now))
    return read_page(query, URGENCY, position, _matching(counts, wanted)), counts


def register_page(
    wanted: IncidentFilter, position: Position, now: datetime
) -> tuple[Page, StatusCounts]:
    """A page of the register: every incident matching, newest report first."""
    counts = _counts(EVERY, wanted, now, with_overdue=False)
    query = select(Incident).options(*_LIST_LOADING).where(*_conditions(wanted, now))
    return read_page(query, NEWEST_REPORT, position, _matching(counts, wanted)), counts


def register_query(wanted: IncidentFilter, now: datetime) -> Select:
    """Every incident matching, newest report first (the register's CSV)."""
    return (
        select(Incident)
        .options(*_LIST_LOADING)
        .where(*_conditions(wanted, now))
        .order_by(*NEWEST_REPORT.order_by())
    )


def workable_page(user: User, after: str | None, size: int) -> Page:
    """The open incidents ``user`` may add findings to, most urgent first, ``size`` at a time.

    The DPO may work on every open incident, an IT user on those assigned to them (the API's
    list; ``after`` is the cursor its previous page gave).
    """
    query = select(Incident).options(*_LIST_LOADING).where(*OPEN.conditions)
    if not user.has_role(Role.DPO):
        assigned = select(IncidentAssignment.incident_id).where(
            IncidentAssignment.user_id == user.id
        )
        query = query.where(Incident.id.in_(assigned))
    return read_page(query, URGENCY, Position(after=after), total=None, size=size)
