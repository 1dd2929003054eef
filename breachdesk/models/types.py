"""Column helpers shared by the models."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum


def enum_column(enum_cls: type[StrEnum], length: int = 32) -> Enum:
    """A portable enum column: stored as its value, checked by a named constraint."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        name=enum_cls.__name__.lower(),
        validate_strings=True,
    )
