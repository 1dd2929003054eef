"""The facts of a breach, as ``spec/assessment.md`` defines them, and their strict parsing.

Every field is checked (type, allowed values, range) and unknown fields are refused, so a
typo in a form or a file never silently changes a decision.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from enum import StrEnum
from typing import Any

from breachdesk.domain.date_limits import EARLIEST_WORDS
from breachdesk.domain.date_limits import within_range
from breachdesk.domain.vocabulary import ActingAs
from breachdesk.domain.vocabulary import BreachType
from breachdesk.domain.vocabulary import Cause
from breachdesk.domain.vocabulary import DataCategory
from breachdesk.domain.vocabulary import Exfiltration
from breachdesk.domain.vocabulary import Identifiability
from breachdesk.domain.vocabulary import Protection
from breachdesk.domain.vocabulary import Recipient


class FactsError(ValueError):
    """A fact is missing or malformed; ``str()`` is one line naming the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{_field_name(field)}: {message}")
        self.field = field
        self.message = message


_PLAIN_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def _field_name(field: str) -> str:
    """The field as typed, quoted and escaped when it is not a plain name: an unknown field
    may hold a newline or a control character, and the error must stay one readable line."""
    return field if _PLAIN_FIELD.fullmatch(field) else repr(field)


@dataclass(frozen=True, slots=True)
class Availability:
    """What an availability breach did: None means the reporter does not know yet."""

    backup_available: bool | None = None
    outage_hours: float | None = None
    permanent_loss: bool | None = None
    people_affected: bool | None = None


@dataclass(frozen=True, slots=True)
class Facts:
    """One breach, described in the terms the notifiability decision rests on."""

    breach_types: tuple[BreachType, ...]
    data_categories: tuple[DataCategory, ...]
    subjects_count: int
    cause: Cause = Cause.UNKNOWN
    records_count: int | None = None
    vulnerable_subjects: bool = False
    identifiability: Identifiability = Identifiability.DIRECT
    protection: Protection = Protection.NONE
    exfiltration: Exfiltration = Exfiltration.UNKNOWN
    recipient: Recipient = Recipient.UNKNOWN
    misuse_observed: bool = False
    data_recovered: bool = False
    availability: Availability | None = None
    mitigated: bool = False
    disproportionate_effort: bool = False
    became_aware_at: datetime | None = None
    acting_as: ActingAs = ActingAs.CONTROLLER


_REQUIRED = ("breach_types", "data_categories", "subjects_count")
_ENUMS: dict[str, type[StrEnum]] = {
    "cause": Cause,
    "identifiability": Identifiability,
    "protection": Protection,
    "exfiltration": Exfiltration,
    "recipient": Recipient,
    "acting_as": ActingAs,
}
_BOOLS = (
    "vulnerable_subjects",
    "misuse_observed",
    "data_recovered",
    "mitigated",
    "disproportionate_effort",
)
_KNOWN = frozenset(Facts.__dataclass_fields__)
_AVAILABILITY_BOOLS = ("backup_available", "permanent_loss", "people_affected")
_AVAILABILITY_KNOWN = frozenset(Availability.__dataclass_fields__)


def parse_facts(mapping: Any) -> Facts:
    """Turn a JSON-like mapping into Facts, or raise FactsError naming the first bad field."""
    if not isinstance(mapping, Mapping):
        raise FactsError("facts", f"must be a JSON object, got {_kind(mapping)}")
    for name in mapping:
        if name not in _KNOWN:
            raise FactsError(str(name), "is not a known field of the breach facts")
    for name in _REQUIRED:
        if name not in mapping:
            raise FactsError(name, "is required")
    values: dict[str, Any] = {
        "breach_types": _enum_list(mapping, "breach_types", BreachType, allow_empty=False),
        "data_categories": _enum_list(mapping, "data_categories", DataCategory, allow_empty=True),
        "subjects_count": _count("subjects_count", mapping["subjects_count"]),
    }
    for name, enum in _ENUMS.items():
        if name in mapping:
            values[name] = _enum(name, mapping[name], enum)
    for name in _BOOLS:
        if name in mapping:
            values[name] = _bool(name, mapping[name])
    if mapping.get("records_count") is not None:
        values["records_count"] = _count("records_count", mapping["records_count"])
    if mapping.get("availability") is not None:
        values["availability"] = _availability(mapping["availability"])
    if mapping.get("became_aware_at") is not None:
        values["became_aware_at"] = _instant("became_aware_at", mapping["became_aware_at"])
    return Facts(**values)


def facts_to_dict(facts: Facts) -> dict[str, Any]:
    """Render Facts as the spec's JSON object; parse_facts() of it gives the same Facts."""
    out: dict[str, Any] = {
        "breach_types": [str(value) for value in facts.breach_types],
        "data_categories": [str(value) for value in facts.data_categories],
        "subjects_count": facts.subjects_count,
    }
    for name in _ENUMS:
        out[name] = str(getattr(facts, name))
    for name in _BOOLS:
        out[name] = getattr(facts, name)
    if facts.records_count is not None:
        out["records_count"] = facts.records_count
    if facts.availability is not None:
        out["availability"] = _availability_to_dict(facts.availability)
    if facts.became_aware_at is not None:
        out["became_aware_at"] = facts.became_aware_at.isoformat()
    return out


def _availability_to_dict(availability: Availability) -> dict[str, Any]:
    names = ("backup_available", "outage_hours", "permanent_loss", "people_affected")
    return {n: getattr(availability, n) for n in names if getattr(availability, n) is not None}


def _kind(value: Any) -> str:
    """Name a JSON value's type the way a person filling in a form would."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return repr(value)


def _choices(enum: type[StrEnum]) -> str:
    return ", ".join(str(member) for member in enum)


def _enum(field: str, value: Any, enum: type[StrEnum]) -> Any:
    if isinstance(value, str):
        try:
            return enum(value)
        except ValueError:
            pass
    raise FactsError(field, f"must be one of {_choices(enum)}, got {_kind(value)}")


def _enum_list(mapping: Mapping, field: str, enum: type[StrEnum], *, allow_empty: bool) -> tuple:
    value = mapping[field]
    if not isinstance(value, list | tuple):
        raise FactsError(field, f"must be a list of {_choices(enum)}, got {_kind(value)}")
    if not value and not allow_empty:
        raise FactsError(field, f"must name at least one of {_choices(enum)}")
    members = [_enum(field, item, enum) for item in value]
    return tuple(dict.fromkeys(members))  # a repeated value adds nothing; keep first order


#: More people or records than any UK breach has touched; well inside a database integer.
COUNT_LIMIT = 1_000_000_000
#: A century of outage: beyond it a figure is a typo, and date arithmetic would overflow.
HOURS_LIMIT = 876_600


def _count(field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FactsError(field, f"must be a whole number of 0 or more, got {_kind(value)}")
    if value > COUNT_LIMIT:
        raise FactsError(field, f"must be at most {COUNT_LIMIT:,}: check the number")
    return value


def _bool(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise FactsError(field, f"must be true or false, got {_kind(value)}")
    return value


def _hours(field: str, value: Any) -> float:
    valid = isinstance(value, int | float) and not isinstance(value, bool)
    if not valid or not math.isfinite(value) or value < 0:
        raise FactsError(field, f"must be a number of hours, 0 or more, got {_kind(value)}")
    if value > HOURS_LIMIT:
        raise FactsError(field, f"must be at most {HOURS_LIMIT:,} hours: check the number")
    return value


def _availability(value: Any) -> Availability:
    if not isinstance(value, Mapping):
        raise FactsError("availability", f"must be an object, got {_kind(value)}")
    values: dict[str, Any] = {}
    for name, item in value.items():
        field = f"availability.{name}"
        if name not in _AVAILABILITY_KNOWN:
            raise FactsError(field, "is not a known field of availability")
        if item is None:
            continue
        values[name] = _hours(field, item) if name == "outage_hours" else _bool(field, item)
    return Availability(**values)


def _instant(field: str, value: Any) -> datetime:
    example = "e.g. 2026-11-20T09:15:00+00:00"
    if not isinstance(value, str):
        raise FactsError(field, f"must be an ISO 8601 date-time with offset, {example}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise FactsError(
            field, f"must be an ISO 8601 date-time with offset ({example}), got {value!r}"
        ) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise FactsError(field, f"must include a UTC offset ({example}), got {value!r}")
    # Instants are kept in UTC; the offset given only locates the instant.
    try:
        instant = parsed.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 pushed past the calendar by its offset
        instant = None
    if instant is None or not within_range(instant):
        raise FactsError(field, f"must be from {EARLIEST_WORDS} on, got {value!r}")
    return instant
