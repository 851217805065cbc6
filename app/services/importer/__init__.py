"""Import of JSON data files (docs/import.md): validated against the packaged JSON Schema, then upserted
by external id (users by email) in the caller's transaction. A bad file raises ImportFileError with the
path of the first error; the caller rolls back, so nothing is written."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.models import ApiKey, Tenant
from app.services.common.secrets import digest
from app.services.importer.base import ImportFileError, validate_import
from app.services.importer.tenant import TenantImport

__all__ = ["ImportFileError", "import_data", "import_file", "validate_import"]


async def import_data(session: AsyncSession, data: dict, *, now: datetime | None = None) -> dict[str, int]:
    """Validate and upsert `data` in the caller's transaction (not committed here)."""
    validate_import(data)
    now = now or datetime.now(UTC)
    counts: dict[str, int] = {}
    existing = {t.external_id: t for t in await session.scalars(select(Tenant))}
    for i, td in enumerate(data["tenants"]):
        tenant = existing.get(td["externalId"])
        if tenant is None:
            tenant = Tenant(external_id=td["externalId"], name=td.get("name", td["externalId"]), flags=[])
            session.add(tenant)
            existing[td["externalId"]] = tenant
        if "name" in td:
            tenant.name = td["name"]
        if "flags" in td:
            tenant.flags = sorted(set(td["flags"]))
        await session.flush()
        if "apiKeys" in td:
            known = set(await session.scalars(select(ApiKey.key_hash).where(ApiKey.tenant_id == tenant.id)))
            for key in td["apiKeys"]:
                if digest(key) not in known:
                    session.add(ApiKey(tenant_id=tenant.id, key_hash=digest(key)))
        sub = await TenantImport(session, tenant, td, f"$.tenants[{i}]", now).run()
        counts["tenants"] = counts.get("tenants", 0) + 1
        for k, v in sub.items():
            counts[k] = counts.get(k, 0) + v
    await session.flush()
    return counts


async def import_file(session_factory: async_sessionmaker[AsyncSession], path: str | Path) -> dict[str, int]:
    # A data file is read once, by the CLI, before any request is served: a blocking read is fine here.
    text = Path(path).read_text(encoding="utf-8")  # noqa: ASYNC240
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError("$", f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    async with session_factory() as session, session.begin():
        return await import_data(session, data)
