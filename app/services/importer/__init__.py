"""Import of JSON data files (docs/import.md): validated against the packaged JSON Schema, then upserted
by external id (users by email) in the caller's transaction. An upsert sets only the fields a record carries.
A bad file raises ImportFileError with the path of the first error; the caller rolls back, so nothing is
written. A dry run is the same import rolled back: what it reports is exactly what the import would do."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.models import ApiKey, Tenant
from app.services.common.secrets import digest
from app.services.importer.base import Change, ImportFileError, ImportRun, StockConflict, validate_import
from app.services.importer.tenant import TenantImport

__all__ = ["Change", "ImportFileError", "import_data", "import_file", "validate_import"]

# An `asOf` later than this past the import's clock is refused: a file from the future would win every time.
AS_OF_SKEW = timedelta(minutes=5)


def _as_of(data: dict, now: datetime) -> datetime | None:
    if "asOf" not in data:
        return None
    try:
        as_of = datetime.fromisoformat(data["asOf"].replace("Z", "+00:00"))
    except ValueError:
        raise ImportFileError("$.asOf", f"not an ISO 8601 date-time: {data['asOf']!r}") from None
    as_of = as_of.replace(tzinfo=UTC) if as_of.tzinfo is None else as_of.astimezone(UTC)
    if as_of > now + AS_OF_SKEW:
        raise ImportFileError("$.asOf", f"{data['asOf']} is in the future (now is {now.isoformat()})")
    return as_of


def _refusal(conflicts: list[StockConflict], as_of: datetime | None) -> ImportFileError:
    offers = "; ".join(
        f"{c.tenant}/{c.offer} (stock {c.stock}, last moved by an order at {c.moved_at.isoformat()})" for c in conflicts
    )
    if as_of is None:
        why = "the file has no asOf, and orders have moved the stock of"
    else:
        why = f"orders have moved the stock since the file's asOf {as_of.isoformat()} for"
    return ImportFileError(
        conflicts[0].path,
        f"stock not overwritten: {why} {len(conflicts)} offer(s): {offers}. Leave `stock` out of these offers, "
        "or send counts taken after those movements with their `asOf` (docs/import.md)",
    )


async def import_data(
    session: AsyncSession, data: dict, *, now: datetime | None = None, changes: list[Change] | None = None
) -> dict[str, int]:
    """Validate and upsert `data` in the caller's transaction (not committed here). `changes`, when given,
    receives one entry per record of the file: created, updated (with the fields that change) or unchanged."""
    validate_import(data)
    now = now or datetime.now(UTC)
    run = ImportRun(now=now, as_of=_as_of(data, now))
    counts: dict[str, int] = {}
    existing = {t.external_id: t for t in await session.scalars(select(Tenant))}
    for i, td in enumerate(data["tenants"]):
        tenant = existing.get(td["externalId"])
        change = Change(td["externalId"], "tenants", td["externalId"], created=tenant is None)
        run.changes.append(change)
        if tenant is None:
            tenant = Tenant(external_id=td["externalId"], name=td.get("name", td["externalId"]), flags=[])
            session.add(tenant)
            existing[td["externalId"]] = tenant
        if "name" in td and tenant.name != td["name"]:
            tenant.name = td["name"]
            change.changed("name")
        if "flags" in td and list(tenant.flags or []) != sorted(set(td["flags"])):
            tenant.flags = sorted(set(td["flags"]))
            change.changed("flags")
        await session.flush()
        if "apiKeys" in td:
            known = set(await session.scalars(select(ApiKey.key_hash).where(ApiKey.tenant_id == tenant.id)))
            for key in td["apiKeys"]:
                if digest(key) not in known:
                    session.add(ApiKey(tenant_id=tenant.id, key_hash=digest(key)))
                    known.add(digest(key))
                    change.changed("apiKeys")
        default_store = tenant.default_store_id
        sub = await TenantImport(session, tenant, td, f"$.tenants[{i}]", run).run()
        if tenant.default_store_id != default_store:
            change.changed("defaultStore")
        counts["tenants"] = counts.get("tenants", 0) + 1
        for k, v in sub.items():
            counts[k] = counts.get(k, 0) + v
    if run.conflicts:
        raise _refusal(run.conflicts, run.as_of)
    await session.flush()
    if changes is not None:
        changes.extend(run.changes)
    return counts


async def import_file(
    session_factory: async_sessionmaker[AsyncSession],
    path: str | Path,
    *,
    dry_run: bool = False,
    changes: list[Change] | None = None,
) -> dict[str, int]:
    """Import the file in one transaction; with `dry_run`, the same work rolled back: nothing is written."""
    # A data file is read once, by the CLI, before any request is served: a blocking read is fine here.
    text = Path(path).read_text(encoding="utf-8")  # noqa: ASYNC240
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError("$", f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    if dry_run:
        async with session_factory() as session:
            try:
                return await import_data(session, data, changes=changes)
            finally:
                await session.rollback()
    async with session_factory() as session, session.begin():
        return await import_data(session, data, changes=changes)
