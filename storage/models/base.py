"""The declarative base every model shares: one naming convention for constraints (so
Alembic's names stay stable) and datetimes that are always aware and in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (naive storage) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        """On SQLite, parse the stored text straight into an aware UTC datetime in one
        step: status reads tens of thousands of these, and the general path (parse, then
        ``process_result_value``) was a quarter of `/lp status all`'s time."""
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        parse = datetime.fromisoformat

        def process(value: str | None) -> datetime | None:
            if value is None:
                return None
            # The offset parsed with the text: four times cheaper than ``replace``.
            try:
                moment = parse(value + "+00:00")
            except ValueError:  # the text had an offset of its own
                moment = None
            if moment is None or moment.tzinfo is not UTC:  # a date alone parses naive
                return parse(value).replace(tzinfo=UTC)
            return moment

        return process


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
