"""The clocks of an incident, from its rows to the domain's deadlines.

The ICO clock (UK GDPR Art. 33(1)) runs 72 elapsed hours from awareness. It stops when the
ICO was told (the earliest ICO notice) or when the decision in force is not to notify; a
decision taken back restarts it from the original awareness, so changing one's mind never
buys time.

Telling the people (Art. 34(1)) has no deadline in law, only "without undue delay". Where the
profile promises no time (``people_notice_hours`` absent), the desk shows the time since the
first decision that they must be told (a ``Wait``), with no deadline at all. Where it promises
one (Sunray Vision: 72 hours), that promise runs from awareness, like the ICO clock, and a
first decision to tell that leaves it broken or nearly so is flagged. Either stops at the
earliest people notice or a decision in force not to tell them.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select

from breachdesk.desk import get_profile
from breachdesk.domain import clock
from breachdesk.domain import people_notice
from breachdesk.extensions import db
from breachdesk.models import Assessment
from breachdesk.models import Audience
from breachdesk.models import Incident
from breachdesk.models import IncidentStatus
from breachdesk.models import NoticeRecord
from breachdesk.services.incident_rows import rows_of

#: Decisions that mean the people must be told: each person, or a public notice (Art. 34(3)(c)).
TELL_PEOPLE = frozenset({"yes", "public"})

# Statuses that imply a stopped ICO clock even before a notice or decision row exists.
_STOPPED_WITHOUT_ROWS = frozenset({IncidentStatus.NOTIFIED, IncidentStatus.NOT_NOTIFIABLE})

#: What the clocks of an incident follow from, read in bulk by the sweep and the lists.
CLOCK_COLUMNS = (
    Incident.id,
    Incident.aware_at,
    Incident.status,
    Incident.closed_at,
    Incident.recorded_late_at,
)
#: Why the clocks of a past breach, entered long after the deadlines, do not run.
RECORDED_LATE = "recorded late"

# SQLite caps the number of bound parameters; query many incidents in slices.
_SLICE = 500


@dataclass(frozen=True)
class ClockInputs:
    """What the clocks of one incident depend on, loaded in bulk."""

    incident_id: int
    aware_at: datetime
    status: IncidentStatus
    closed_at: datetime | None
    notify_ico: bool | None = None  # the decision in force; None when none was taken
    notify_people: str | None = None
    decided_at: datetime | None = None
    first_tell_people_at: datetime | None = None
    ico_told_at: datetime | None = None
    people_told_at: datetime | None = None
    recorded_late_at: datetime | None = None  # a past breach entered long after: no countdown

    @classmethod
    def from_row(cls, row) -> ClockInputs:
        """From an incident, or a row of its ``CLOCK_COLUMNS``; decisions and notices to come."""
        status = IncidentStatus(row.status)
        return cls(
            row.id, row.aware_at, status, row.closed_at, recorded_late_at=row.recorded_late_at
        )


@dataclass(frozen=True)
class IncidentClocks:
    """The clocks of an incident. Until a decision says to tell the people, only the ICO's.

    Once one does: with a promised time, ``people`` counts down to it (and ``late_decision``
    says if the decision left it broken or nearly so); without one, ``people_wait`` counts
    the time since the decision and there is no people's deadline.
    """

    ico: clock.ClockState
    people: clock.ClockState | None
    ico_deadline: clock.Deadline
    people_deadline: clock.Deadline | None
    people_wait: people_notice.WaitState | None = None
    late_decision: people_notice.LateDecision | None = None
    #: The decision in force on telling the people ("yes", "public", "no"); None if none yet.
    people_decision: str | None = None


def ico_deadline_for(inputs: ClockInputs, now: datetime) -> clock.Deadline:
    """The ICO clock as the rows say: running, told, decided not notifiable, or closed."""
    deadline = clock.Deadline.for_ico(inputs.aware_at)
    if inputs.ico_told_at is not None:
        return deadline.stop(inputs.ico_told_at, "ICO told")
    if inputs.notify_ico is False and inputs.decided_at is not None:
        return deadline.stop(inputs.decided_at, "decided not notifiable")
    if inputs.status is IncidentStatus.CLOSED:
        return deadline.stop(inputs.closed_at or now, "incident closed")
    if inputs.recorded_late_at is not None:
        return deadline.stop(inputs.recorded_late_at, RECORDED_LATE)
    if inputs.notify_ico is None and inputs.status in _STOPPED_WITHOUT_ROWS:
        # A status set before any decision row exists (older data): stop it where it stands.
        return deadline.stop(now, f"incident {inputs.status.label.lower()}")
    return deadline


def people_deadline_for(inputs: ClockInputs, hours: int | None) -> clock.Deadline | None:
    """The promise to tell the people, from awareness; None if none was made or decided."""
    if inputs.first_tell_people_at is None or hours is None:
        return None
    return _stopped_as_the_rows_say(clock.Deadline.for_people(inputs.aware_at, hours), inputs)


def people_wait_for(inputs: ClockInputs, hours: int | None) -> people_notice.Wait | None:
    """With no promised time, the wait since the first decision to tell; else None."""
    if inputs.first_tell_people_at is None or hours is not None:
        return None
    return _stopped_as_the_rows_say(people_notice.Wait(inputs.first_tell_people_at), inputs)


_Running = TypeVar("_Running", clock.Deadline, people_notice.Wait)


def _stopped_as_the_rows_say(running: _Running, inputs: ClockInputs) -> _Running:
    if inputs.people_told_at is not None:
        return running.stop(inputs.people_told_at, "people told")
    if inputs.notify_people not in TELL_PEOPLE and inputs.decided_at is not None:
        return running.stop(inputs.decided_at, "decided not to tell people")
    if inputs.status is IncidentStatus.CLOSED and inputs.closed_at is not None:
        return running.stop(inputs.closed_at, "incident closed")
    if inputs.recorded_late_at is not None:
        return running.stop(inputs.recorded_late_at, RECORDED_LATE)
    return running


def late_decision_of(inputs: ClockInputs, hours: int | None) -> people_notice.LateDecision | None:
    """Whether the first decision to tell came too late to keep the promised time."""
    if inputs.first_tell_people_at is None or hours is None:
        return None
    return people_notice.late_decision(inputs.aware_at, inputs.first_tell_people_at, hours)


def deadlines_from_inputs(
    inputs: ClockInputs, now: datetime, people_hours: int | None
) -> tuple[clock.Deadline, clock.Deadline | None]:
    """The ICO deadline and any promised people's one, without the words (for the sweep)."""
    return ico_deadline_for(inputs, now), people_deadline_for(inputs, people_hours)


def clocks_from_inputs(
    inputs: ClockInputs, now: datetime, people_hours: int | None
) -> IncidentClocks:
    """The clocks of one incident at ``now``, from already loaded inputs."""
    ico, people = deadlines_from_inputs(inputs, now, people_hours)
    wait = people_wait_for(inputs, people_hours)
    return IncidentClocks(
        ico=clock.clock_state(now, ico),
        people=clock.clock_state(now, people) if people else None,
        ico_deadline=ico,
        people_deadline=people,
        people_wait=people_notice.wait_state(now, wait) if wait else None,
        late_decision=late_decision_of(inputs, people_hours),
        people_decision=inputs.notify_people,
    )


def clocks_for(incidents: Iterable[Incident], now: datetime) -> dict[int, IncidentClocks]:
    """Both clocks of many incidents, keyed by incident id, in a few queries."""
    base = [ClockInputs.from_row(i) for i in incidents if i.id is not None]
    hours = get_profile().people_notice_hours
    return {
        inputs.incident_id: clocks_from_inputs(inputs, now, hours) for inputs in load_inputs(base)
    }


def incident_clocks(incident: Incident, now: datetime) -> IncidentClocks:
    """Both clocks of one incident."""
    return clocks_from_inputs(inputs_of(incident), now, get_profile().people_notice_hours)


def inputs_of(incident: Incident) -> ClockInputs:
    """One incident's inputs, from its decisions and notices as this request read them (the
    incident page shows both beside the clocks: they are read once, see ``incident_rows``)."""
    return inputs_from_rows(
        incident, rows_of(Assessment, incident.id), rows_of(NoticeRecord, incident.id)
    )


def inputs_from_rows(incident, decisions: Iterable, notices: Iterable) -> ClockInputs:
    """An incident's inputs from decisions and notices its caller has read for other uses."""
    decisions = sorted(decisions, key=lambda a: (a.decided_at, a.id))
    notices = sorted(notices, key=lambda n: (n.told_at, n.id))
    return _with_rows(ClockInputs.from_row(incident), decisions, _first_told(notices))


def ico_clock(incident: Incident, now: datetime) -> clock.ClockState:
    """The ICO clock: 72 elapsed hours from awareness (UK GDPR Art. 33(1))."""
    return incident_clocks(incident, now).ico


def people_clock(incident: Incident, now: datetime) -> clock.ClockState | None:
    """The countdown to the promised time for telling the people (Art. 34), once decided;
    None where no time is promised or no one decided they must be told."""
    return incident_clocks(incident, now).people


def promise_warning(incident: Incident, now: datetime) -> people_notice.LateDecision | None:
    """Whether deciding to tell the people leaves the promised time broken or nearly so.

    Judged by the first decision to tell them once there is one, else by a decision taken
    ``now`` (for the DPO about to decide). None without a promise or once they were told.
    """
    hours = get_profile().people_notice_hours
    if hours is None:
        return None
    inputs = inputs_of(incident)
    if inputs.people_told_at is not None:
        return None
    if inputs.first_tell_people_at is not None:
        return late_decision_of(inputs, hours)
    return people_notice.late_decision(incident.aware_at, now, hours, decided=False)


def load_inputs(base: Sequence[ClockInputs]) -> list[ClockInputs]:
    """Fill in each incident's decisions and first notices: two queries per 500 incidents."""
    filled: list[ClockInputs] = []
    for start in range(0, len(base), _SLICE):
        chunk = base[start : start + _SLICE]
        ids = [inputs.incident_id for inputs in chunk]
        decisions = _decisions(ids)
        notices = _first_notices(ids)
        for inputs in chunk:
            filled.append(_with_rows(inputs, decisions.get(inputs.incident_id, []), notices))
    return filled


def _with_rows(inputs: ClockInputs, decisions: list, notices: dict) -> ClockInputs:
    latest = decisions[-1] if decisions else None
    first_tell = next((d.decided_at for d in decisions if d.notify_people in TELL_PEOPLE), None)
    return ClockInputs(
        incident_id=inputs.incident_id,
        aware_at=inputs.aware_at,
        status=inputs.status,
        closed_at=inputs.closed_at,
        notify_ico=latest.notify_ico if latest else None,
        notify_people=latest.notify_people if latest else None,
        decided_at=latest.decided_at if latest else None,
        first_tell_people_at=first_tell,
        ico_told_at=notices.get((inputs.incident_id, Audience.ICO)),
        people_told_at=notices.get((inputs.incident_id, Audience.PEOPLE)),
        recorded_late_at=inputs.recorded_late_at,
    )


def _decisions(ids: list[int]) -> dict[int, list]:
    """Every decision of each incident, oldest first (the last is in force)."""
    query = (
        select(
            Assessment.incident_id,
            Assessment.decided_at,
            Assessment.notify_ico,
            Assessment.notify_people,
        )
        .where(Assessment.incident_id.in_(ids))
        .order_by(Assessment.decided_at, Assessment.id)
    )
    found: dict[int, list] = {}
    for row in db.session.execute(query):
        found.setdefault(row.incident_id, []).append(row)
    return found


def _first_notices(ids: list[int]) -> dict[tuple[int, Audience], datetime]:
    """When each incident's ICO and people were first told."""
    query = (
        select(NoticeRecord.incident_id, NoticeRecord.audience, NoticeRecord.told_at)
        .where(NoticeRecord.incident_id.in_(ids))
        .where(NoticeRecord.audience.in_(_CLOCK_AUDIENCES))
        .order_by(NoticeRecord.told_at, NoticeRecord.id)
    )
    return _first_told(db.session.execute(query))


#: Whose telling stops a clock.
_CLOCK_AUDIENCES = (Audience.ICO, Audience.PEOPLE)


def _first_told(notices: Iterable) -> dict[tuple[int, Audience], datetime]:
    """The first time the ICO and the people were told, from notices in the order given."""
    first: dict[tuple[int, Audience], datetime] = {}
    for row in notices:
        audience = Audience(row.audience)
        if audience in _CLOCK_AUDIENCES:
            first.setdefault((row.incident_id, audience), row.told_at)
    return first


def by_time_left(
    incidents: Iterable[Incident], clocks: dict[int, IncidentClocks]
) -> list[Incident]:
    """Running ICO clocks first, least time left first; stopped ones after, oldest first."""
    return sorted(
        incidents, key=lambda i: (clocks[i.id].ico.stopped, clocks[i.id].ico.due_at, i.id)
    )
