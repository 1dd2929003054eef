"""How far back a date typed into the desk may go, and that none is in the future.

A date in year 1 or 9999 is a slip of the keyboard or an attack: accepted, it would start
years of missed reminders or overflow a calculation. The floor is far enough back for an
attacker who sat in a network for years before anyone noticed.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

#: The earliest instant any date calculation here is asked to handle.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
EARLIEST_WORDS = "1 January 2000"

#: A staff report is about something noticed lately; older breaches go through the DPO.
REPORT_LOOKBACK = timedelta(days=365)


class ImplausibleDate(ValueError):
    """A date that cannot be right; the message says why in plain English."""


def check_instant(value: datetime, now: datetime, what: str) -> None:
    """Refuse ``value`` if it is in the future or before the floor; ``what`` names it."""
    if value > now:
        raise ImplausibleDate(f"{what} cannot be in the future.")
    if value < EARLIEST:
        raise ImplausibleDate(f"{what} cannot be before {EARLIEST_WORDS}: check the year.")


def within_range(value: datetime) -> bool:
    """True when every calculation on ``value`` (adding weeks, showing it in UK time) works."""
    return EARLIEST <= value <= datetime(9000, 1, 1, tzinfo=UTC)
