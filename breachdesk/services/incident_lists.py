"""Lists of incidents a page at a time: filtered, searched, ordered and counted by the database.

The dashboard and the register hold every incident of years of work, so neither loads them
all: the database filters, orders on stored columns (see ``stored_clocks``), counts (see
``incident_counts``) and returns one page, reached from the page next to it (see
``list_pages``). Every list costs the same few statements whatever the number of incidents.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from enum import Enum
from enum import StrEnum

from sqlalchemy import Select
from sqlalchemy import select
from sqlalchemy.orm import raiseload

from breachdesk.domain.vocabulary import Role
from breachdesk.models import Incident
from breachdesk.models import IncidentAsset
from breachdesk.models import IncidentAssignment
from breachdesk.models import IncidentStatus
from breachdesk.models import User
from breachdesk.services import word_search
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
        return word_search.split(text)


def _on_asset(asset: str | None) -> list:
    """The place as a list of ids, read first."""
    if not asset:
        return []
    at = select(IncidentAsset.incident_id).where(IncidentAsset.asset_id == asset)
    return [Incident.id.in_(at)]


def _at_asset(asset: str | None) -> list:
    """The place as a question asked of each incident in turn, which its index answers."""
    if not asset:
        return []
    at = select(IncidentAsset.incident_id).where(
        IncidentAsset.asset_id == asset, IncidentAsset.incident_id == Incident.id
    )
    return [at.exists()]


def _from_asset(asset: str | None) -> list:
    """The place as a join: the incidents read from its index one by one, none listed first."""
    if not asset:
        return []
    return [IncidentAsset.asset_id == asset, IncidentAsset.incident_id == Incident.id]


class Reading(Enum):
    """How the words and the place are written, for the way a statement is best read.

    Measured on SQLite at 100,000 incidents, where a place holds 10,000: listing that place's
    ids first cost 1.2 ms before a row was read, and walking a page in order while asking each
    incident whether it is at the place, 0.1 ms; counting from the place's index one
    incident at a time stopped at the cap in 0.65 ms.
    """

    #: A page of a list matching many: read in its own order, each incident asked whether it
    #: matches, and a page is soon full.
    WALK = "walk"
    #: A page of a list matching few: read from the incidents the indexes name.
    LOOKUP = "lookup"
    #: The counts: read from the word index's incidents (SQLite's) or the place's, up to the
    #: cap.
    COUNT = "count"


def _narrowing(wanted: IncidentFilter, reading: Reading) -> list:
    """The words and the place, written for ``reading``.

    On SQLite the word index names its incidents; each is then asked about the place. A
    search's words are counted only when they are rare (``word_search``), so those are few.
    """
    words = word_search.conditions(wanted.words)
    if reading is Reading.WALK:
        return [*_at_asset(wanted.asset), *words]
    found = word_search.found_by_index(wanted.words)
    if found is not None:
        return [Incident.id.in_(found), *_at_asset(wanted.asset), *words]
    place = _from_asset if reading is Reading.COUNT else _on_asset
    return [*place(wanted.asset), *words]


def _conditions(
    wanted: IncidentFilter,
    now: datetime,
    with_status: bool = True,
    reading: Reading = Reading.LOOKUP,
) -> list:
    conditions = _narrowing(wanted, reading)
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
    return conditions + _reported_within(wanted, Incident.reported_at)


def _reported_within(wanted: IncidentFilter, reported_at) -> list:
    """The report dates asked for, both days included, as bounds on ``reported_at``."""
    bounds = []
    if wanted.reported_from is not None:
        bounds.append(reported_at >= _uk_midnight(wanted.reported_from))
    if wanted.reported_to is not None:
        next_day = wanted.reported_to + timedelta(days=1)
        bounds.append(reported_at < _uk_midnight(next_day))
    return bounds


def _uk_midnight(day: date) -> datetime:
    """The instant a day starts in the UK, in UTC (the register's dates are UK dates)."""
    return local_input_to_utc(datetime.combine(day, time()))


def _counts(scope: Scope, wanted: IncidentFilter, now: datetime, with_overdue: bool):
    """Per-status and overdue counts of the incidents in ``scope`` matching all but the status;
    none for words too common to count (see ``word_search``)."""
    if wanted.words and word_search.are_common(wanted.words):
        return StatusCounts(words_in_more_than=word_search.COUNTED_WHEN_IN_AT_MOST)
    if _counted_at_the_place(scope, wanted, with_overdue):
        # From the copies of the incidents' states the place carries: its own index alone,
        # no incident read (at 100,000 incidents, 0.3 ms on SQLite for a place of 11,000).
        at_place = [IncidentAsset.asset_id == wanted.asset]
        return counted(scope, at_place, now, with_overdue, status=IncidentAsset.status)
    narrowing = _conditions(wanted, now, with_status=False, reading=Reading.COUNT)
    if narrowing:
        return counted(scope, narrowing, now, with_overdue)
    return tallied(scope, now, with_overdue)


def _counted_at_the_place(scope: Scope, wanted: IncidentFilter, with_overdue: bool) -> bool:
    """Whether the counts are of a place's incidents by state and nothing else (the state
    asked for is not counted on, being what the counts are by), which the place's copies of
    their states answer; they hold no clocks, so not when overdue is counted too."""
    others = (wanted.words, wanted.decision, wanted.reported_from, wanted.reported_to)
    return bool(wanted.asset) and not scope.conditions and not with_overdue and not any(others)


def _matching(counts: StatusCounts, wanted: IncidentFilter) -> int | None:
    """How many incidents the whole filter matches, read from the per-status counts; None
    where there were too many to count."""
    if not counts.known:
        return None
    if wanted.overdue:
        return counts.overdue
    if wanted.status is not None:
        return counts.by_status.get(wanted.status, 0)
    return counts.total


def _page_reading(counts: StatusCounts) -> Reading:
    """A page is walked when its list matches more than could be counted, else looked up."""
    return Reading.LOOKUP if counts.known else Reading.WALK


#: Lists show neither assignments nor the reporter: not loaded, and an error if a template
#: ever reached for them (it would cost a query per row).
_LIST_LOADING = (raiseload(Incident.assignments), raiseload(Incident.reporter))
#: The register's lines (``register.RegisterEntry``) read these columns as plain rows, with
#: the places, decisions and notices of the page's incidents read apart (``register``).
REGISTER_COLUMNS = (
    *CLOCK_COLUMNS,
    Incident.reference,
    Incident.reported_at,
    Incident.description,
    Incident.data_categories,
    Incident.people_count,
    Incident.recorded_late_reason,
)
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
#: The same order for one place (ix_incident_asset_newest), or one place in one state
#: (ix_incident_asset_register), from the copies the places carry: the same values, so a
#: page's links serve whichever way the next is read.
PLACE_NEWEST_REPORT = Ordering(
    (IncidentAsset.reported_at, IncidentAsset.incident_id), descending=True
)


def open_page(
    wanted: IncidentFilter, position: Position, now: datetime
) -> tuple[Page, StatusCounts]:
    """A page of open incidents, running clocks first and the nearest deadline first."""
    counts = _counts(OPEN, wanted, now, with_overdue=True)
    conditions = _conditions(wanted, now, reading=_page_reading(counts))
    query = select(*DASHBOARD_COLUMNS).where(*OPEN.conditions, *conditions)
    return read_page(query, URGENCY, position, _matching(counts, wanted)), counts


def register_page(
    wanted: IncidentFilter, position: Position, now: datetime
) -> tuple[Page, StatusCounts]:
    """A page of the register: every incident matching, newest report first."""
    counts = _counts(EVERY, wanted, now, with_overdue=False)
    reading, total = _page_reading(counts), _matching(counts, wanted)
    if _read_from_the_place(wanted, reading):
        return read_page(_place_register(wanted, now), PLACE_NEWEST_REPORT, position, total), counts
    query = select(*REGISTER_COLUMNS).where(*_conditions(wanted, now, reading=reading))
    return read_page(query, NEWEST_REPORT, position, total), counts


def _read_from_the_place(wanted: IncidentFilter, reading: Reading) -> bool:
    """Whether the register is read from the place's own index: a place is asked for, and
    no words rare enough for the word index to name fewer incidents."""
    return bool(wanted.asset) and (reading is Reading.WALK or not wanted.words)


def _place_register(wanted: IncidentFilter, now: datetime) -> Select:
    """The register of one place, from the copies of each incident's state and report time
    its places carry: the place's incidents (in the state asked for) newest first are one
    range of its index, and each is asked about the rest of the filter.

    At 100,000 incidents, a page of the lab server's notified incidents that mention "email"
    read 116 places and their incidents this way, against 1,139 notified incidents walked in
    order and each asked whether it is at the lab server (PostgreSQL: 0.5 ms against 1.9 ms;
    SQLite: 0.04 ms against 0.55 ms).
    """
    place = [IncidentAsset.asset_id == wanted.asset]
    if wanted.status is not None:
        place.append(IncidentAsset.status == wanted.status.value)
    place += _reported_within(wanted, IncidentAsset.reported_at)
    elsewhere = replace(wanted, asset=None, status=None, reported_from=None, reported_to=None)
    rest = _conditions(elsewhere, now, reading=Reading.WALK)
    return (
        select(*REGISTER_COLUMNS, IncidentAsset.incident_id)
        .join_from(IncidentAsset, Incident, IncidentAsset.incident_id == Incident.id)
        .where(*place, *rest)
    )


def register_query(wanted: IncidentFilter, now: datetime) -> Select:
    """Every incident matching, newest report first (the register's CSV)."""
    return (
        select(*REGISTER_COLUMNS)
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
