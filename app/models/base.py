"""Declarative base, id generation and common column helpers."""

from __future__ import annotations

import itertools
import secrets
import time
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


_counter = itertools.count()


def _base36(n: int, width: int) -> str:
    out = ""
    for _ in range(width):
        n, r = divmod(n, 36)
        out = _ALPHABET[r] + out
    return out


def new_id() -> str:
    """Plain alphanumeric id, 20 chars: milliseconds (9) + a process counter (4) + random (7).

    Ids made by one process sort in creation order even within one millisecond (events of an order are
    listed by time, then id); the random part keeps processes from colliding.
    """
    return (
        _base36(int(time.time() * 1000), 9)
        + _base36(next(_counter) % 36**4, 4)
        + "".join(secrets.choice(_ALPHABET) for _ in range(7))
    )


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on SQLite (which stores naive text) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)  # a date-time without zone (API input) is read as UTC
        if value is not None and dialect.name == "sqlite":
            return value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):  # noqa: ANN001
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def pk() -> Mapped[str]:
    return mapped_column(String(32), primary_key=True, default=new_id)


def created_at() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), default=utcnow, nullable=False)
