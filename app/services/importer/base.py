"""Shared machinery of the importer: the error type, the schema validator, dates, and the upsert helpers
every section builds on."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import (
    Tenant,
)
from app.services.common.money import MoneyError, parse_amount

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


# Model attributes named otherwise in the file (the rest are the file's camelCase of the snake_case name).
_FILE_NAMES = {"password_hash": "password", "price_amount": "price", "product_id": "product", "code_ci": "code"}


def file_name(attr: str) -> str:
    """The file's name of a model attribute, for the change report: `variant_id` -> `variant`, `min_order_total`
    -> `minOrderTotal`."""
    if attr in _FILE_NAMES:
        return _FILE_NAMES[attr]
    head, *rest = attr.removesuffix("_id").split("_")
    return head + "".join(w.capitalize() for w in rest)


@dataclass
class Change:
    """What an import does (or, dry, would do) to one record of the file."""

    tenant: str
    kind: str  # the file's section: offers, users, ...
    key: str  # external id, sku, email or code
    created: bool = False
    fields: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "created" if self.created else "updated" if self.fields else "unchanged"

    def changed(self, name: str) -> None:
        if not self.created and name not in self.fields:
            self.fields.append(name)

    def __str__(self) -> str:
        line = f"{self.status:<9} {self.kind} {self.tenant}/{self.key}"
        return f"{line}: {', '.join(self.fields)}" if self.fields else line


@dataclass
class StockConflict:
    path: str
    tenant: str
    offer: str
    stock: int
    moved_at: datetime


@dataclass
class ImportRun:
    """State shared by every tenant's section of one file."""

    now: datetime
    as_of: datetime | None = None  # the file's `asOf`: the moment its stock counts were taken
    changes: list[Change] = field(default_factory=list)
    conflicts: list[StockConflict] = field(default_factory=list)


def given(src: dict, **fields: str | tuple[str, Callable[[Any], Any]]) -> dict[str, Any]:
    """The attributes the file's record carries: `attr="fileKey"` or `attr=("fileKey", convert)`. A key the
    record omits gives no attribute, so an update leaves that column as it is."""
    out: dict[str, Any] = {}
    for attr, spec in fields.items():
        key, convert = (spec, None) if isinstance(spec, str) else spec
        if key in src:
            out[attr] = convert(src[key]) if convert else src[key]
    return out


class ImportBase:
    """Upserts one tenant's section. `_ref()` resolves external ids to row ids or fails with the path."""

    def __init__(self, session: AsyncSession, tenant: Tenant, data: dict, base: str, run: ImportRun) -> None:
        self.s = session
        self.t = tenant
        self.data = data
        self.base = base
        self.run_state = run
        self.now = run.now
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

    def _date(self, key: str, path: str) -> tuple[str, Callable[[Any], Any]]:
        """`given()`'s spec of an optional date field of the record at `path`."""
        return key, lambda v: parse_date(v, self.now, f"{path}.{key}")

    def _amount(self, key: str, path: str) -> tuple[str, Callable[[Any], Any]]:
        """`given()`'s spec of an optional amount field of the record at `path`."""
        return key, lambda v: money(parse_amount, v, f"{path}.{key}")

    def _change(self, kind: str, key: str, *, created: bool = False) -> Change:
        change = Change(self.t.external_id, kind, key, created)
        self.run_state.changes.append(change)
        return change

    def _upsert(
        self,
        kind: str,
        table: dict,
        key: Any,
        model,  # noqa: ANN001
        values: dict[str, Any],
        defaults: dict[str, Any] | None = None,
        label: str | None = None,
    ) -> tuple[Any, Change]:
        """Create the row from `defaults` and `values`, or set on the existing row only `values` (what the file
        carries): defaults apply on creation only, an omitted field keeps its value."""
        obj = table.get(key)
        change = self._change(kind, label or str(key), created=obj is None)
        if obj is None:
            obj = model(**((defaults or {}) | values))
            self.s.add(obj)
            table[key] = obj
            return obj, change
        for attr, value in values.items():
            if getattr(obj, attr) != value:
                setattr(obj, attr, value)
                change.changed(file_name(attr))
        return obj, change

    async def _links(
        self,
        change: Change,
        name: str,
        model,  # noqa: ANN001
        parent: Any,
        child: Any,
        parent_id: str,
        wanted: Iterable[str],
    ) -> None:
        """Make the link rows of one parent (`parent` and `child` are the link model's two columns) exactly
        `wanted`; rewritten only when they differ, and reported as the parent's field `name`."""
        wanted_set = set(wanted)
        current = set(await self.s.scalars(select(child).where(parent == parent_id)))
        if current == wanted_set:
            return
        await self.s.execute(delete(model).where(parent == parent_id))
        self.s.add_all(model(**{parent.key: parent_id, child.key: c}) for c in sorted(wanted_set))
        change.changed(name)
