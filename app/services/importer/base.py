"""Shared machinery of the importer: the error type, the schema validator, dates, and the upsert helpers
every section builds on."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import (
    Tenant,
)
from app.services.common.money import MoneyError

SCHEMA_FILE = Path(__file__).resolve().parent.parent.parent / "data" / "import-schema.json"
_RELATIVE = re.compile(r"^now(?:([+-])(\d+)([dhm]))?$")


class ImportFileError(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@lru_cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text()))


def _path(parts: Any) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def validate_import(data: object) -> None:
    """Raise ImportFileError for the first schema violation (in document order)."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        first = errors[0]
        raise ImportFileError(_path(first.absolute_path), first.message)


def money(parse: Callable[[object], int], value: object, path: str) -> int:
    """An amount or rate of the file through the API's one money parser; a bad one fails with its path."""
    try:
        return parse(value)
    except MoneyError as exc:
        raise ImportFileError(path, str(exc)) from None


def parse_date(value: str | None, now: datetime, path: str) -> datetime | None:
    if value is None:
        return None
    m = _RELATIVE.match(value)
    if m:
        if not m.group(1):
            return now
        unit = {"d": "days", "h": "hours", "m": "minutes"}[m.group(3)]
        delta = timedelta(**{unit: int(m.group(2))})
        return now + delta if m.group(1) == "+" else now - delta
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ImportFileError(path, f"not a date: {value!r}") from exc
    return parsed.astimezone(UTC)


class ImportBase:
    """Upserts one tenant's section. `ref()` resolves external ids to row ids or fails with the path."""

    def __init__(self, session: AsyncSession, tenant: Tenant, data: dict, base: str, now: datetime) -> None:
        self.s = session
        self.t = tenant
        self.data = data
        self.base = base
        self.now = now
        self.counts: dict[str, int] = {}

    def _count(self, kind: str, n: int = 1) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + n

    async def _existing(self, model, key: str = "external_id") -> dict[str, Any]:  # noqa: ANN001
        rows = await self.s.scalars(select(model).where(model.tenant_id == self.t.id))
        return {getattr(r, key): r for r in rows}

    @staticmethod
    def _ref(table: dict[str, Any], key: str, path: str, what: str) -> Any:
        if key not in table:
            raise ImportFileError(path, f"unknown {what} {key!r}")
        return table[key]

    @staticmethod
    def _set(obj: Any, **values: Any) -> None:
        for k, v in values.items():
            setattr(obj, k, v)

    async def _upsert(self, table: dict, key: str, model, **values: Any) -> Any:  # noqa: ANN001
        obj = table.get(key)
        if obj is None:
            obj = model(**values)
            self.s.add(obj)
            table[key] = obj
        else:
            self._set(obj, **values)
        return obj
