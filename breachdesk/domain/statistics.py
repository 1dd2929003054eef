"""Figures about the register, and the geometry of the bar charts that show them.

Pure arithmetic: the services count, this module summarises and lays out. A chart is drawn
as SVG by a template from the bars here, with the same figures in a table beside it, so it
reads without colour, in print, and with a screen reader.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta
from statistics import median
from zoneinfo import ZoneInfo

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Durations:
    """How long something took across incidents, in hours; None where nothing was measured."""

    count: int
    median_hours: float | None
    worst_hours: float | None


def durations(spans: Iterable[timedelta]) -> Durations:
    hours = [span.total_seconds() / 3600 for span in spans]
    if not hours:
        return Durations(0, None, None)
    return Durations(len(hours), round(median(hours), 1), round(max(hours), 1))


def month_label(first_day: date) -> str:
    return f"{_MONTHS[first_day.month - 1]} {first_day.year}"


def per_month(
    instants: Iterable[datetime], last: date, months: int, zone: ZoneInfo
) -> list[tuple[str, int]]:
    """How many instants fall in each of the ``months`` calendar months up to ``last``'s."""
    counts = Counter((i.astimezone(zone).year, i.astimezone(zone).month) for i in instants)
    year, month = last.year, last.month
    keys = []
    for _ in range(months):
        keys.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return [(month_label(date(y, m, 1)), counts.get((y, m), 0)) for y, m in reversed(keys)]


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class BarChart:
    """Vertical bars in a ``width`` x ``height`` box, with room below for the labels."""

    bars: tuple[Bar, ...]
    width: int
    height: int
    baseline: float
    top: int


def bar_chart(items: Sequence[tuple[str, int]], width: int = 640, height: int = 240) -> BarChart:
    label_room, value_room = 40, 18
    baseline = height - label_room
    top = max((value for _, value in items), default=0) or 1
    slot = width / max(len(items), 1)
    bar_width = slot * 0.7
    bars = []
    for n, (label, value) in enumerate(items):
        bar_height = (baseline - value_room) * value / top
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(n * slot + (slot - bar_width) / 2, 1),
                y=round(baseline - bar_height, 1),
                width=round(bar_width, 1),
                height=round(bar_height, 1),
            )
        )
    return BarChart(bars=tuple(bars), width=width, height=height, baseline=baseline, top=top)
