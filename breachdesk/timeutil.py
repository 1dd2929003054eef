"""The one place breachdesk reads the clock, and conversions at the edges."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    """Now, as an aware UTC instant (tests freeze this with freezegun)."""
    return datetime.now(UTC)


def local_input_to_utc(value: datetime, zone: ZoneInfo = LONDON) -> datetime:
    """Read a naive wall-clock time typed in a form as local time, and return it in UTC."""
    return value.replace(tzinfo=zone).astimezone(UTC)


def utc_to_local_input(value: datetime, zone: ZoneInfo = LONDON) -> str:
    """Format an instant for a ``datetime-local`` input in local time."""
    return value.astimezone(zone).strftime("%Y-%m-%dT%H:%M")
