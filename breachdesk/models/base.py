"""The declarative base, constraint naming and the UTC date-time column type."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: An instant before any other, meaning "look again at the next chance" (see Incident).
RECHECK = datetime(2000, 1, 1, tzinfo=UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Store naive UTC, return aware UTC; refuse naive input (SQLite drops the zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing a naive datetime: store aware UTC instants only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Bound to the app in breachdesk.extensions.init_app; the models subclass ``db.Model``.
db = SQLAlchemy(model_class=Base)
