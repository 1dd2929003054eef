"""When personal data in a closed incident falls due for removal: pure date arithmetic."""

from __future__ import annotations

import calendar
from datetime import datetime

#: What goes when a closed incident's personal data is due, in the words the DPO reads.
REMOVED_ITEMS = (
    "the reporter's own words",
    "evidence files",
    "recipient lists",
    "mail-merge files",
)

REMOVED_TEXT = "Removed under the retention policy."


def add_months(instant: datetime, months: int) -> datetime:
    """The same day and time ``months`` later; the month's last day when it has no such day."""
    month_index = instant.month - 1 + months
    year, month = instant.year + month_index // 12, month_index % 12 + 1
    day = min(instant.day, calendar.monthrange(year, month)[1])
    return instant.replace(year=year, month=month, day=day)


def due_at(closed_at: datetime, months: int) -> datetime:
    """When a closed incident's personal data is due to go."""
    return add_months(closed_at, months)
