"""When to remind people about a running clock: a plan of instants with stable keys.

The plan is pure data. The service stores each entry as a row keyed by (incident, key), so a
recomputation (say, the DPO corrects the awareness time) moves a reminder instead of adding
one, and a restart or a missed sweep only makes a reminder late, never lost or doubled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from breachdesk.domain.clock import ClockKind
from breachdesk.domain.clock import describe_span
from breachdesk.domain.clock import describe_time_left
from breachdesk.domain.clock import require_aware

DEFAULT_HOURS_AFTER = (24, 48, 60, 68)
DEFAULT_OVERDUE_EVERY_HOURS = 12

# Where no time was promised the people (Art. 34(1): "without undue delay"), a nudge goes a
# day after the decision to tell them and daily after that while they are still not told.
NUDGE_EVERY = timedelta(hours=24)

# Both clocks run from awareness; the people's is the organisation's promise, and says so.
_TIME_LEFT_FOR = {
    ClockKind.ICO: "",
    ClockKind.PEOPLE: " to keep the promise to tell the people",
}
_DEADLINE_LABELS = {
    ClockKind.ICO: "ICO deadline now",
    ClockKind.PEOPLE: "The time promised for telling the people ends now",
}


@dataclass(frozen=True)
class PlannedReminder:
    """One reminder to send: a key unique per incident clock, when it is due, and what it says."""

    key: str
    due_at: datetime
    label: str


def _progress_reminders(
    kind: ClockKind, start: datetime, deadline: datetime, hours_after: Iterable[int]
) -> list[PlannedReminder]:
    """Reminders at fixed hours after the start, dropping any at or after the deadline."""
    planned = []
    for hours in sorted(set(hours_after)):
        if hours <= 0:
            raise ValueError(f"reminder hours must be positive, got {hours}")
        due = start + timedelta(hours=hours)
        if due >= deadline:
            continue  # the deadline entry covers it
        since = f"{hours} hour" if hours == 1 else f"{hours} hours"
        left = describe_time_left(due, deadline) + _TIME_LEFT_FOR[kind]
        label = f"{since} since awareness: {left}"
        planned.append(PlannedReminder(f"{kind}:+{hours}h", due, label))
    return planned


def _overdue_reminders(
    kind: ClockKind, deadline: datetime, every_hours: int | None, until: datetime
) -> list[PlannedReminder]:
    """Reminders every ``every_hours`` after the deadline, up to and including ``until``."""
    if not every_hours:
        return []
    if every_hours < 0:
        raise ValueError(f"overdue_every_hours must be positive, got {every_hours}")
    every = timedelta(hours=every_hours)
    planned = []
    n = 1
    while deadline + every * n <= until:
        planned.append(_overdue_entry(kind, deadline, every, n))
        n += 1
    return planned


def _overdue_label(kind: ClockKind, late_by: timedelta) -> str:
    if kind is ClockKind.PEOPLE:
        return f"The promise to tell the people was broken {describe_span(late_by)} ago"
    return f"Overdue by {describe_span(late_by)}"


def overdue_around(
    kind: ClockKind | str, deadline: datetime, every_hours: int | None, now: datetime
) -> tuple[PlannedReminder | None, PlannedReminder | None]:
    """The latest "still overdue" reminder due by ``now`` and the one after it.

    The same entries ``reminder_schedule`` plans, found by arithmetic: a clock years overdue
    has thousands of past intervals, and only the latest of them is ever sent.
    """
    if not every_hours:
        return None, None
    clock = ClockKind(kind)
    due = require_aware(deadline, "deadline")
    every = timedelta(hours=every_hours)
    passed = max(int((require_aware(now, "now") - due) / every), 0)
    latest = _overdue_entry(clock, due, every, passed) if passed else None
    return latest, _overdue_entry(clock, due, every, passed + 1)


def _overdue_entry(clock: ClockKind, deadline: datetime, every: timedelta, n: int):
    due = deadline + every * n
    return PlannedReminder(f"{clock}:overdue:{n}", due, _overdue_label(clock, due - deadline))


def not_told_around(
    decided_at: datetime, now: datetime
) -> tuple[PlannedReminder | None, PlannedReminder]:
    """The latest "still not told" nudge due by ``now``, and the one after it.

    For telling the people where no time was promised: a day after the decision to tell
    them, then daily. Keyed by their count, so one nudge is never sent twice; said as time
    since the decision, never as a deadline missed, since the law sets none.
    """
    decided = require_aware(decided_at, "decided_at")
    passed = max(int((require_aware(now, "now") - decided) / NUDGE_EVERY), 0)
    latest = _not_told_entry(decided, passed) if passed else None
    return latest, _not_told_entry(decided, passed + 1)


def _not_told_entry(decided_at: datetime, n: int) -> PlannedReminder:
    since = NUDGE_EVERY * n
    label = f"Decided to tell the people {describe_span(since)} ago: still not told"
    return PlannedReminder(f"{ClockKind.PEOPLE}:not-told:{n}", decided_at + since, label)


def reminder_schedule(
    aware_at: datetime,
    deadline: datetime,
    hours_after: Iterable[int] = DEFAULT_HOURS_AFTER,
    overdue_every_hours: int | None = DEFAULT_OVERDUE_EVERY_HOURS,
    *,
    until: datetime,
    kind: ClockKind | str = ClockKind.ICO,
) -> list[PlannedReminder]:
    """Plan a clock's reminders, ordered by time.

    Args:
        aware_at: when the clock started, awareness for both the ICO clock and a promise to
            tell people; ``hours_after`` count from here.
        deadline: when the clock is due.
        hours_after: hours after the start to remind at; any at or after the deadline are
            dropped, because the deadline reminder covers them.
        overdue_every_hours: after the deadline, remind this often (None or 0: never).
        until: plan overdue reminders up to this instant (inclusive), e.g. now plus a day.
        kind: the key prefix and wording: "ico", or "people" for a promise to tell them.

    Returns:
        Reminders keyed "<kind>:+24h", "<kind>:deadline", "<kind>:overdue:1", ...: the keys
        depend only on the offsets, never on the instants, so they are stable when the
        awareness time is corrected.
    """
    clock = ClockKind(kind)
    start = require_aware(aware_at, "aware_at")
    due = require_aware(deadline, "deadline")
    if due <= start:
        raise ValueError("the deadline must come after the clock's start")
    planned = _progress_reminders(clock, start, due, hours_after)
    planned.append(PlannedReminder(f"{clock}:deadline", due, _DEADLINE_LABELS[clock]))
    planned += _overdue_reminders(clock, due, overdue_every_hours, require_aware(until, "until"))
    return planned


def due_reminders(schedule: Iterable[PlannedReminder], now: datetime) -> list[PlannedReminder]:
    """Return the planned reminders due at or before ``now``, in schedule order."""
    cutoff = require_aware(now, "now")
    return [reminder for reminder in schedule if reminder.due_at <= cutoff]
