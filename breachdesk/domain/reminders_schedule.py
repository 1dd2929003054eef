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

# What each clock runs from, as said in a reminder.
_STARTS = {
    ClockKind.ICO: "awareness",
    ClockKind.PEOPLE: "the decision to tell people",
}
_DEADLINE_LABELS = {
    ClockKind.ICO: "ICO deadline now",
    ClockKind.PEOPLE: "Deadline to tell people now",
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
        label = f"{since} since {_STARTS[kind]}: {describe_time_left(due, deadline)}"
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
    planned = []
    n = 1
    while (due := deadline + timedelta(hours=every_hours * n)) <= until:
        label = f"Overdue by {describe_span(due - deadline)}"
        planned.append(PlannedReminder(f"{kind}:overdue:{n}", due, label))
        n += 1
    return planned


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
    return PlannedReminder(
        f"{clock}:overdue:{n}", due, f"Overdue by {describe_span(due - deadline)}"
    )


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
        aware_at: when the clock started (awareness for the ICO clock, the decision to tell
            people for the people's clock); ``hours_after`` count from here.
        deadline: when the clock is due.
        hours_after: hours after the start to remind at; any at or after the deadline are
            dropped, because the deadline reminder covers them.
        overdue_every_hours: after the deadline, remind this often (None or 0: never).
        until: plan overdue reminders up to this instant (inclusive), e.g. now plus a day.
        kind: the key prefix and wording: "ico" or "people".

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
