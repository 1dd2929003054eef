"""One page of a list at a time, reached from its neighbour rather than counted from the top.

A page is read after (or before) the last (first) row of the page next to it: the order's
index goes straight there, so page 2,000 costs what page 2 costs. ``OFFSET`` would read and
throw away every row before the page, so a page asked for by its number alone (a bookmark,
an address typed by hand) is served only among the first few; further on, Next and Previous
carry a cursor: the sort key of the row at the edge of the page they came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from sqlalchemy import Select
from sqlalchemy import literal
from sqlalchemy import tuple_
from sqlalchemy.orm import InstrumentedAttribute

from breachdesk.extensions import db

#: Rows a list page shows: the most urgent (or newest) screenful, with search and filters
#: for the rest, and a page that costs the same whatever the size of the register.
PAGE_SIZE = 25
#: Pages served by their number alone: further on, OFFSET would read too many rows.
MOST_PAGES_BY_NUMBER = 20

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class NoSuchPage(LookupError):
    """A page that cannot be shown; the message says why, in plain words."""


class PastTheEnd(NoSuchPage):
    def __init__(self, number: int, pages: int) -> None:
        super().__init__(f"There is no page {number}: this list has {pages} page(s).")


class TooFarByNumber(NoSuchPage):
    def __init__(self, number: int) -> None:
        super().__init__(
            f"Page {number} cannot be opened by its number: go on with Next from an earlier "
            "page, or narrow the list with the search and the filters."
        )


class BadCursor(ValueError):
    """A page link that was changed or cut short."""

    def __init__(self) -> None:
        super().__init__("This page link is not complete: start again from the first page.")


@dataclass(frozen=True)
class Ordering:
    """A list's order: stored columns, all ascending or all descending, the last unique."""

    columns: tuple[InstrumentedAttribute, ...]
    descending: bool = False

    def order_by(self, backwards: bool = False) -> list:
        down = self.descending != backwards
        return [c.desc() if down else c.asc() for c in self.columns]

    def beyond(self, key: tuple, backwards: bool = False):
        """Rows after ``key`` in this order (before it, ``backwards``): one index range."""
        down = self.descending != backwards
        columns = tuple_(*self.columns)
        # Each value bound as its column's type: UTC instants stored as the column stores them.
        values = tuple_(*(literal(v, c.type) for v, c in zip(key, self.columns, strict=True)))
        return columns < values if down else columns > values

    def key_of(self, row) -> tuple:
        return tuple(getattr(row, c.key) for c in self.columns)

    def encode(self, key: tuple) -> str:
        """A short, address-safe cursor: ``0.1763640000000000.42``."""
        return ".".join(_encode_value(value) for value in key)

    def decode(self, cursor: str) -> tuple:
        parts = cursor.split(".")
        if len(parts) != len(self.columns):
            raise BadCursor
        try:
            return tuple(
                _decode_value(part, _kind(column))
                for part, column in zip(parts, self.columns, strict=True)
            )
        except (ValueError, OverflowError):
            raise BadCursor from None


def _kind(column: InstrumentedAttribute) -> type:
    """The Python type of a column's values (through a decorated type such as UTCDateTime)."""
    column_type = column.type
    return getattr(column_type, "impl_instance", column_type).python_type


def _encode_value(value) -> str:
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, datetime):
        return str((value - _EPOCH) // timedelta(microseconds=1))
    return str(value)


def _decode_value(text: str, kind: type):
    if not text.isdigit() or len(text) > 20:
        raise ValueError(text)
    number = int(text)
    if kind is bool:
        if number > 1:
            raise ValueError(text)
        return bool(number)
    if kind is datetime:
        return _EPOCH + timedelta(microseconds=number)
    if number > 2**63 - 1:
        raise ValueError(text)
    return number


@dataclass(frozen=True)
class Position:
    """Which page is asked for: its number, and the cursor of the neighbour it came from."""

    number: int = 1
    after: str | None = None  # the key of the last row of the page before
    before: str | None = None  # the key of the first row of the page after


def _count_pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


@dataclass(frozen=True)
class Page:
    """One page of a list: its incidents, which page it is, and the cursors to its neighbours."""

    incidents: list
    number: int
    total: int | None  # None where not counted (the API; a filter past the count cap)
    next_cursor: str | None = None
    previous_cursor: str | None = None
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return _count_pages(self.total or 0, self.size)

    @property
    def first_shown(self) -> int:
        return (self.number - 1) * self.size + 1 if self.incidents else 0

    @property
    def last_shown(self) -> int:
        return (self.number - 1) * self.size + len(self.incidents)


def read_page(
    query: Select,
    ordering: Ordering,
    position: Position,
    total: int | None,
    size: int = PAGE_SIZE,
) -> Page:
    """The page of ``query`` at ``position``: one statement, one index range, ``size`` rows.

    ``total`` is how many rows the query matches (the lists know it from their counts); the
    API, which does not count, and a list whose filter matched more than it counts pass None
    and are given an empty page past the end.
    """
    if position.after and position.before:
        raise BadCursor
    number, cursor = position.number, position.after or position.before
    backwards = position.before is not None
    counted = total is not None
    if number < 1 or (counted and cursor is None and number > 1 and (number - 1) * size >= total):
        raise PastTheEnd(number, _count_pages(total or 0, size))
    if cursor is None:
        if number > MOST_PAGES_BY_NUMBER:
            raise TooFarByNumber(number)
        query = query.order_by(*ordering.order_by()).offset((number - 1) * size)
    else:
        beyond = ordering.beyond(ordering.decode(cursor), backwards)
        query = query.where(beyond).order_by(*ordering.order_by(backwards))
    result = db.session.execute(query.limit(size + 1))
    # A list of whole incidents, or of plain rows where a list needs only a few columns.
    rows = list(result.scalars() if len(result.keys()) == 1 else result)
    more = len(rows) > size  # one row past the page: there is another page that way
    rows = rows[:size]
    if backwards:
        rows.reverse()
    if counted and not rows and (number > 1 or cursor is not None):
        raise PastTheEnd(number, _count_pages(total, size))
    if position.after:
        number = max(number, 2)  # a page after another is never the first
    has_next = more if not backwards else True
    has_previous = more if backwards else (cursor is not None or number > 1)
    return Page(
        rows,
        number,
        total,
        next_cursor=_cursor_of(ordering, rows[-1:]) if has_next else None,
        previous_cursor=_cursor_of(ordering, rows[:1]) if has_previous else None,
        size=size,
    )


def _cursor_of(ordering: Ordering, rows: list) -> str | None:
    return ordering.encode(ordering.key_of(rows[0])) if rows else None
