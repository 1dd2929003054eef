"""Telling the people affected (UK GDPR Art. 34): no deadline in law, perhaps one promised.

Art. 34(1) asks for the people to be told "without undue delay" and sets no hours. Unless the
organisation has promised a time of its own there is no deadline to count down to, and none
is invented: what is shown, and nudged about, is how long ago the decision to tell them was
taken (``Wait``). Where the organisation did promise a time (Sunray Vision's privacy notice:
"notified within 72 hours"), the promise runs from awareness (``clock.people_deadline``), and
a decision to tell that comes too late to keep it is flagged at once (``late_decision``), so
that the people are told now and the notice explains the delay.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from breachdesk.domain.clock import LONDON
from breachdesk.domain.clock import describe_hours
from breachdesk.domain.clock import describe_span
from breachdesk.domain.clock import format_local
from breachdesk.domain.clock import people_deadline
from breachdesk.domain.clock import require_aware

#: A decision to tell leaving less than this before the promised time is flagged: telling
#: people takes hours (addresses, wording, sending), so the promise is already in danger.
PROMISE_MARGIN = timedelta(hours=12)

WITHOUT_UNDUE_DELAY = "the law asks for this without undue delay (UK GDPR Art. 34(1))"


@dataclass(frozen=True)
class Wait:
    """The time since the decision to tell the people, where no time was promised them."""

    decided_at: datetime
    stopped_at: datetime | None = None
    stopped_reason: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "decided_at", require_aware(self.decided_at, "decided_at"))
        if self.stopped_at is not None:
            object.__setattr__(self, "stopped_at", require_aware(self.stopped_at, "stopped_at"))

    @property
    def stopped(self) -> bool:
        """Whether the wait is over: the people were told, or telling them is no longer decided."""
        return self.stopped_at is not None

    def stop(self, at: datetime, reason: str | None = None) -> Wait:
        """Return this wait ended at ``at``, e.g. when the people were told."""
        return replace(self, stopped_at=at, stopped_reason=reason)


@dataclass(frozen=True)
class WaitState:
    """Everything a page needs to show the wait at one moment: never a deadline."""

    decided_at: datetime
    local_decided: str
    elapsed: timedelta  # from the decision to now, or to the stop
    words: str  # the sentence for the incident page
    short: str  # the few words for a list
    stopped: bool


def wait_state(now: datetime, wait: Wait, tz: ZoneInfo = LONDON) -> WaitState:
    """How long ago the decision to tell the people was taken, in words, at ``now``."""
    end = wait.stopped_at if wait.stopped_at is not None else require_aware(now, "now")
    elapsed = max(end - wait.decided_at, timedelta(0))
    decided = format_local(wait.decided_at, tz)
    if wait.stopped_at is None:
        ago = _ago(elapsed)
        words = f"Decided to tell the people {ago}; {WITHOUT_UNDUE_DELAY}"
        short = f"Decided {ago}; not told yet"
    else:
        reason = wait.stopped_reason or "stopped"
        stopped = format_local(wait.stopped_at, tz)
        later = "at once" if elapsed < timedelta(minutes=1) else f"{describe_span(elapsed)} later"
        words = f"Decided to tell the people {decided}; {reason} {stopped}, {later}"
        short = f"{reason[:1].upper()}{reason[1:]} {stopped}"
    return WaitState(wait.decided_at, decided, elapsed, words, short, wait.stopped)


def _ago(span: timedelta) -> str:
    return "just now" if span < timedelta(minutes=1) else f"{describe_span(span)} ago"


@dataclass(frozen=True)
class LateDecision:
    """A decision to tell the people that leaves the organisation's promise broken or nearly so."""

    hours: int  # the promise
    after_awareness: timedelta  # when the decision came
    left: timedelta  # time left to keep the promise; negative when already broken
    decided: bool = True  # False: a decision not yet taken, were it taken now

    @property
    def broken(self) -> bool:
        """Whether the promised time had already passed when the decision came."""
        return self.left < timedelta(0)

    @property
    def words(self) -> str:
        after = describe_hours(self.after_awareness)
        if self.decided:
            came = f"The decision to tell the people came {after} after awareness"
        else:
            came = f"A decision now to tell the people comes {after} after awareness"
        if self.broken:
            return (
                f"{came}: the {self.hours}-hour promise is already broken. Tell them now, "
                "and explain the delay in the notice."
            )
        return (
            f"{came}, with only {describe_hours(self.left)} left to keep the {self.hours}-hour "
            "promise. Tell them now; if the promise is missed, explain the delay in the notice."
        )


def late_decision(
    aware_at: datetime,
    decided_at: datetime,
    hours: int,
    margin: timedelta = PROMISE_MARGIN,
    *,
    decided: bool = True,
) -> LateDecision | None:
    """The warning for a decision to tell taken at ``decided_at``; None if the promise is safe.

    Exactly ``margin`` left is safe; anything less is flagged, and a decision after the
    promised time is a broken promise (exactly at it, the promise can still just be kept).
    """
    aware = require_aware(aware_at, "aware_at")
    when = require_aware(decided_at, "decided_at")
    left = people_deadline(aware, hours) - when
    if left >= margin:
        return None
    after = max(when - aware, timedelta(0))
    return LateDecision(hours=hours, after_awareness=after, left=left, decided=decided)
