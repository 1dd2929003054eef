"""Typed reading of a hand-edited profile table, with errors that name file and field.

A DPO edits the profile by hand, so every mistake must say where it is
(``assets[2].groups[0].count``) and what is wrong, in words they can act on.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from collections.abc import Mapping
from enum import StrEnum
from typing import Any
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)

#: Ids are used in URLs, file names and the API, so keep them to a safe shape.
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class _Required:
    """Marker for a field with no default."""


REQUIRED: Any = _Required()


class ProfileError(Exception):
    """A profile that cannot be used: names the file, the field path and what is wrong."""

    def __init__(self, source: str, field: str, message: str) -> None:
        super().__init__(f"{source}: {field}: {message}")
        self.source = source
        self.field = field
        self.message = message

    def __reduce__(self) -> tuple[type[ProfileError], tuple[str, str, str]]:
        # Keeps the error intact when it crosses a process boundary (a spawned server).
        return (type(self), (self.source, self.field, self.message))


class FieldReader:
    """One table of the profile, read field by field with its path for error messages."""

    def __init__(self, data: Mapping[str, Any], source: str, path: str = "") -> None:
        self.data = data
        self.source = source
        self.path = path

    def at(self, key: str) -> str:
        """Return the dotted path of ``key`` inside this table."""
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str, message: str) -> ProfileError:
        """Build the error for ``key``; the caller raises it."""
        return ProfileError(self.source, self.at(key), message)

    def only(self, allowed: Iterable[str]) -> None:
        """Reject keys this table does not know, so a typo is never silently ignored."""
        allowed = sorted(allowed)
        for key in self.data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f"did you mean '{close[0]}'?" if close else "expected " + ", ".join(allowed)
                raise self.error(str(key), f"unknown key; {hint}")

    def raw(self, key: str, default: Any = REQUIRED, missing: str = "is required") -> Any:
        """Return the value of ``key`` as written, or ``default`` when it is absent."""
        if key in self.data:
            return self.data[key]
        if default is REQUIRED:
            raise self.error(key, missing)
        return default

    def text(self, key: str, default: Any = REQUIRED) -> str:
        """Return a text field; a required one must not be blank."""
        value = self.raw(key, default)
        if not isinstance(value, str):
            raise self.error(key, f"must be text in quotes, got {value!r}")
        if default is REQUIRED and not value.strip():
            raise self.error(key, "must not be empty")
        return value.strip()

    def optional_text(self, key: str) -> str | None:
        """Return a text field, or None when it is absent or blank."""
        value = self.text(key, default="")
        return value or None

    def slug(self, key: str) -> str:
        """Return an id: lower-case letters, digits and single hyphens."""
        value = self.text(key)
        if not _SLUG.match(value):
            message = "must be lower-case letters, digits and hyphens, like 'lab-server'"
            raise self.error(key, f"{message}, got {value!r}")
        return value

    def email(self, key: str, default: Any = REQUIRED) -> str:
        """Return an email address; an optional one may be left empty."""
        value = self.text(key, default)
        if value and not _EMAIL.match(value):
            raise self.error(key, f"must be an email address, got {value!r}")
        return value

    def flag(self, key: str, default: Any = REQUIRED) -> bool:
        """Return a true/false field; "yes" or 1 are refused so intent is never guessed."""
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, got {value!r}")
        return value

    def whole(self, key: str, minimum: int = 0, default: Any = REQUIRED) -> int:
        """Return a whole number of at least ``minimum``."""
        return self.check_whole(self.at(key), self.raw(key, default), minimum)

    def check_whole(self, path: str, value: Any, minimum: int) -> int:
        """Check one whole number found at ``path``."""
        # TOML's true/false are ints to Python; a count of "true" is a mistake, not 1.
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ProfileError(
                self.source, path, f"must be a whole number of {minimum} or more, got {value!r}"
            )
        return value

    def choice(self, key: str, kind: type[E], default: Any = REQUIRED) -> E:
        """Return one of the values of the enum ``kind``."""
        return self.check_choice(self.at(key), self.raw(key, default), kind, "")

    def check_choice(self, path: str, value: Any, kind: type[E], what: str) -> E:
        """Check one enum value found at ``path``; ``what`` names it in the message."""
        try:
            return kind(value)
        except ValueError:
            options = ", ".join(member.value for member in kind)
            prefix = f"unknown {what} {value!r}; use" if what else f"got {value!r}; must be"
            raise ProfileError(self.source, path, f"{prefix} one of {options}") from None

    def items(self, key: str, default: Any = REQUIRED) -> list[tuple[str, Any]]:
        """Return the entries of a list field, each with its own path."""
        value = self.raw(key, default)
        if not isinstance(value, list | tuple):
            raise self.error(key, f"must be a list in square brackets, got {value!r}")
        return [(f"{self.at(key)}[{index}]", item) for index, item in enumerate(value)]

    def texts(self, key: str, default: Any = REQUIRED) -> tuple[str, ...]:
        """Return a list of non-empty texts."""
        found = []
        for path, item in self.items(key, default):
            if not isinstance(item, str) or not item.strip():
                raise ProfileError(self.source, path, f"must be text in quotes, got {item!r}")
            found.append(item.strip())
        return tuple(found)

    def table(self, key: str, missing: str = "is required") -> FieldReader:
        """Return the sub-table ``[key]``."""
        value = self.raw(key, missing=missing)
        if not isinstance(value, Mapping):
            raise self.error(key, f"must be a table ([{self.at(key)}]), got {value!r}")
        return FieldReader(value, self.source, self.at(key))

    def optional_table(self, key: str) -> FieldReader:
        """Return the sub-table ``[key]``, empty when absent, so its defaults apply."""
        return self.table(key) if key in self.data else FieldReader({}, self.source, self.at(key))

    def tables(self, key: str, default: Any = REQUIRED) -> list[FieldReader]:
        """Return the entries of an array of tables ``[[key]]``."""
        readers = []
        for path, item in self.items(key, default):
            if not isinstance(item, Mapping):
                raise ProfileError(self.source, path, f"must be a table ([[...]]), got {item!r}")
            readers.append(FieldReader(item, self.source, path))
        return readers
