"""A number of people in words that agree with it: "1 person is", "about 6,250 people are".

Counts of people are mostly estimates, so large ones are said "about"; none or one is
counted, not estimated, and is never "about 1 people".
"""

from __future__ import annotations

UNKNOWN = "an unknown number of people"


def people(count: int | None, *, about: bool = False) -> str:
    """E.g. "1 person", "0 people", "about 6,250 people"; None is an unknown number."""
    if count is None:
        return UNKNOWN
    if count == 1:
        return "1 person"
    return f"{'about ' if about and count > 1 else ''}{count:,} people"


def people_are(count: int | None, *, about: bool = False) -> str:
    """The number with its verb: "1 person is", "about 40 people are"."""
    return f"{people(count, about=about)} {'is' if count == 1 else 'are'}"
