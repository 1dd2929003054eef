"""The breach clocks: deadlines, urgency, and how time left is said and shown.

Every instant is a timezone-aware datetime and all arithmetic happens in UTC, so that
72 hours are 72 elapsed hours across the change to and from summer time. Europe/London is
used only to show an instant. Python's arithmetic on a London-aware datetime is wall-clock
arithmetic (10:00 BST + 72h = 10:00 GMT, 73 elapsed hours), which is why we never do it.

The reminder schedule lives in ``reminders_schedule``; its names are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# UK GDPR Art. 33(1): notify the ICO "not later than 72 hours after having become aware".
ICO_WINDOW = timedelta(hours=72)

SOON_WITHIN = timedelta(hours=24)
URGENT_WITHIN = timedelta(hours=6)

# Overdue spans of this length or more are said in days and hours: minutes stop mattering.
DAYS_FROM = timedelta(hours=48)

# Own names, so the display never depends on the process locale.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class ClockKind(StrEnum):
    """Which clock: telling the ICO (Art. 33) or telling the people (Art. 34)."""

    ICO = "ico"
    PEOPLE = "people"


class Urgency(StrEnum):
    """How pressing a clock is, for ordering the incident list and colouring it."""

    CALM = "calm"  # more than 24 hours left
    SOON = "soon"  # 24 hours or less
    URGENT = "urgent"  # 6 hours or less
    OVERDUE = "overdue"
    STOPPED = "stopped"  # the notice went out: the clock no longer runs


def require_aware(dt: datetime, name: str = "datetime") -> datetime:
    """Return ``dt`` in UTC, refusing a naive datetime with ValueError."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {dt.isoformat()}")
    return dt.astimezone(UTC)


def default_awareness(noticed_at: datetime | None, reported_at: datetime) -> datetime:
    """Return the earliest of when the breach was noticed and when it was reported, in UTC."""
    # WP250 s.II.A.2: awareness is when the organisation is reasonably certain; until the DPO
    # says otherwise, take the earliest moment anyone knew, so the clock never starts late.
    reported = require_aware(reported_at, "reported_at")
    if noticed_at is None:
        return reported
    return min(require_aware(noticed_at, "noticed_at"), reported)


def ico_deadline(aware_at: datetime) -> datetime:
    """Return the instant (UTC) by which the ICO must be told: 72 elapsed hours after awareness."""
    # UK GDPR Art. 33(1); elapsed hours, so add in UTC, never on a London wall clock.
    return require_aware(aware_at, "aware_at") + ICO_WINDOW


def people_deadline(aware_at: datetime, hours: int) -> datetime:
    """Return when (UTC) an organisation's own promise to tell people within ``hours`` ends.

    Art. 34(1) sets no hours ("without undue delay"), so this exists only where the
    organisation promised a time (Sunray Vision: "notified within 72 hours"). The promise
    counts from when the breach became known to the organisation, as such words are read,
    not from its later decision to tell: deciding late must never move the promise.
    """
    if hours <= 0:
        raise ValueError(f"hours must be positive, got {hours}")
    return require_aware(aware_at, "aware_at") + timedelta(hours=hours)


def urgency(now: datetime, deadline: datetime, stopped: bool = False) -> Urgency:
    """Return how pressing the clock is at ``now``; exactly at the deadline is not yet overdue."""
    if stopped:
        return Urgency.STOPPED
    left = require_aware(deadline, "deadline") - require_aware(now, "now")
    if left < timedelta(0):
        return Urgency.OVERDUE
    if left <= URGENT_WITHIN:
        return Urgency.URGENT
    if left <= SOON_WITHIN:
        return Urgency.SOON
    return Urgency.CALM


def _count(n: int, unit: str) -> str:
    """Say a count with its unit, singular or plural; nothing for zero, so zero parts drop."""
    if n == 0:
        return ""
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def describe_span(span: timedelta) -> str:
    """Say a non-negative span in words, minutes floored; days and hours from 48 hours on.

    Below a minute: "less than a minute". Below 48 hours: hours and minutes, always in hours
    ("71 hours 59 minutes"), dropping a zero part. From 48 hours: days and hours
    ("3 days 2 hours"), because only a span that long has stopped being a countdown.
    """
    if span < timedelta(0):
        raise ValueError(f"span must not be negative, got {span}")
    if span < DAYS_FROM:
        return describe_hours(span)
    days, hours = divmod(int(span.total_seconds()) // 3600, 24)
    return _join(_count(days, "day"), _count(hours, "hour"))


def describe_hours(span: timedelta) -> str:
    """Say a non-negative span in hours and minutes only, minutes floored (the countdown)."""
    minutes = int(span.total_seconds()) // 60
    if minutes == 0:
        return "less than a minute"
    hours, minutes = divmod(minutes, 60)
    return _join(_count(hours, "hour"), _count(minutes, "minute"))


def describe_time_left(now: datetime, deadline: datetime) -> str:
    """Say the time left, e.g. "71 hours 59 minutes left" or "overdue by 3 days 2 hours".

    Counting down is always in hours and minutes (floored), never days, so the 72-hour
    window reads the same from start to end. Overdue uses ``describe_span``.
    """
    left = require_aware(deadline, "deadline") - require_aware(now, "now")
    if left >= timedelta(0):
        return f"{describe_hours(left)} left"
    return f"overdue by {describe_span(-left)}"


def to_local(dt: datetime, tz: ZoneInfo = LONDON) -> datetime:
    """Return ``dt`` in the given zone (Europe/London by default); refuse naive datetimes."""
    return require_aware(dt).astimezone(tz)


def zone_name(dt: datetime, tz: ZoneInfo = LONDON) -> str:
    """Return the zone abbreviation in force at ``dt``: "GMT" or "BST" for London."""
    return to_local(dt, tz).tzname() or str(tz)


def format_local(dt: datetime, tz: ZoneInfo = LONDON) -> str:
    """Show an instant on the local clock, e.g. "Tue 27 Oct 2026, 09:00 GMT"."""
    try:
        local = to_local(dt, tz)
    except OverflowError:  # a year-1 instant stored before dates were checked
        utc = require_aware(dt)
        return f"{utc.date().isoformat()} {utc:%H:%M} UTC"
    day, month = _DAYS[local.weekday()], _MONTHS[local.month - 1]
    return f"{day} {local.day} {month} {local.year}, {local:%H:%M} {local.tzname() or tz}"


@dataclass(frozen=True)
class Deadline:
    """One clock of an incident: when it is due and, once the notice went out, when it stopped."""

    kind: ClockKind
    due_at: datetime
    stopped_at: datetime | None = None
    stopped_reason: str | None = None

    def __post_init__(self) -> None:
        # Normalise once here so every comparison below is between UTC instants.
        object.__setattr__(self, "kind", ClockKind(self.kind))
        object.__setattr__(self, "due_at", require_aware(self.due_at, "due_at"))
        if self.stopped_at is not None:
            object.__setattr__(self, "stopped_at", require_aware(self.stopped_at, "stopped_at"))
        elif self.stopped_reason is not None:
            raise ValueError("a stopped_reason needs a stopped_at")

    @classmethod
    def for_ico(cls, aware_at: datetime) -> Deadline:
        """Return the running ICO clock for an awareness instant."""
        return cls(ClockKind.ICO, ico_deadline(aware_at))

    @classmethod
    def for_people(cls, aware_at: datetime, hours: int) -> Deadline:
        """Return the running clock of a promise to tell people within ``hours`` of awareness."""
        return cls(ClockKind.PEOPLE, people_deadline(aware_at, hours))

    @property
    def stopped(self) -> bool:
        """Whether the clock has been stopped."""
        return self.stopped_at is not None

    @property
    def was_late(self) -> bool:
        """Whether the clock was stopped after its deadline (Art. 33(1): give reasons for delay)."""
        return self.stopped_at is not None and self.stopped_at > self.due_at

    def is_late(self, now: datetime) -> bool:
        """Whether the deadline is missed at ``now``: stopped late, or still running past due."""
        if self.stopped_at is not None:
            return self.was_late
        return require_aware(now, "now") > self.due_at

    def stop(self, at: datetime, reason: str | None = None) -> Deadline:
        """Return this clock stopped at ``at``, e.g. when the notice was sent."""
        return replace(self, stopped_at=at, stopped_reason=reason)


@dataclass(frozen=True)
class ClockState:
    """Everything a page needs to show one clock at one moment."""

    due_at: datetime
    remaining: timedelta  # negative when overdue; frozen at the stop when stopped
    words: str
    urgency: Urgency
    late: bool
    stopped: bool
    tz: ZoneInfo = LONDON

    # Said only where a page shows them: a list of clocks need not format every date.
    @property
    def local_due(self) -> str:
        return format_local(self.due_at, self.tz)

    @property
    def zone(self) -> str:
        return zone_name(self.due_at, self.tz)


def _stopped_words(deadline: Deadline, stopped_at: datetime, tz: ZoneInfo) -> str:
    """Say when a clock stopped and how that stood against the deadline."""
    head = f"stopped: {deadline.stopped_reason}" if deadline.stopped_reason else "stopped"
    # The people's clock is the organisation's own promise, never called a legal deadline.
    end = "the deadline" if deadline.kind is ClockKind.ICO else "the promised time"
    gap = deadline.due_at - stopped_at
    if gap > timedelta(0):
        against = f"{describe_hours(gap)} before {end}"
    elif gap < timedelta(0):
        against = f"{describe_span(-gap)} after {end}"
    else:
        against = f"at {end}"
    return f"{head} {format_local(stopped_at, tz)}, {against}"


def clock_state(now: datetime, deadline: Deadline, tz: ZoneInfo = LONDON) -> ClockState:
    """Return how the clock stands at ``now``: time left, words, urgency and local display."""
    if deadline.stopped_at is not None:
        remaining = deadline.due_at - deadline.stopped_at
        words = _stopped_words(deadline, deadline.stopped_at, tz)
    else:
        remaining = deadline.due_at - require_aware(now, "now")
        words = describe_time_left(now, deadline.due_at)
    return ClockState(
        due_at=deadline.due_at,
        remaining=remaining,
        words=words,
        urgency=urgency(now, deadline.due_at, stopped=deadline.stopped),
        late=deadline.is_late(now),
        stopped=deadline.stopped,
        tz=tz,
    )


def step_due_at(started_at: datetime, within: timedelta | None) -> datetime | None:
    """Return when a playbook step is due (UTC), or None when it has no time limit."""
    if within is None:
        return None
    return require_aware(started_at, "started_at") + within


def is_step_overdue(
    now: datetime, started_at: datetime, within: timedelta | None, done: bool
) -> bool:
    """Whether a playbook step with a time limit is still not done after that limit."""
    due = step_due_at(started_at, within)
    if done or due is None:
        return False
    return require_aware(now, "now") > due
