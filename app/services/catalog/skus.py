"""SKUs as buyers type or paste them (quick order, requisition lists): which variant a SKU names.

A SKU is unique in a tenant's catalog. Surrounding spaces are ignored; a SKU that matches nothing as given is
tried in upper case, so a pasted `paper-a4` finds `PAPER-A4` (an exact match always wins). Visibility is not
decided here: a SKU of a product outside the caller's catalog views is found, and the line rules answer
PRODUCT_NOT_VISIBLE for it, as they do for an offer id.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Variant
from app.services.common.caller import Caller

MAX_SKU = 100  # the column's length: a longer text names no SKU


def clean_sku(text: str) -> str:
    return text.strip()


def shown_sku(text: str) -> str:
    """A SKU as a message quotes it: a text too long to be one is cut."""
    return repr(text if len(text) <= MAX_SKU else text[:MAX_SKU] + "...")


async def variants_by_sku(session: AsyncSession, caller: Caller, skus: Iterable[str]) -> dict[str, Variant]:
    """Each SKU as given -> its variant (exact, else upper case); SKUs naming nothing are left out. One
    statement for any number of SKUs."""
    given = {s: clean_sku(s) for s in skus}
    wanted = {c for c in given.values() if c and len(c) <= MAX_SKU} | {
        c.upper() for c in given.values() if c and len(c) <= MAX_SKU
    }
    if not wanted:
        return {}
    found = {
        v.sku: v
        for v in await session.scalars(
            select(Variant).where(Variant.tenant_id == caller.tenant_id, Variant.sku.in_(sorted(wanted)))
        )
    }
    out: dict[str, Variant] = {}
    for asked, sku in given.items():
        variant = found.get(sku) or found.get(sku.upper())
        if variant is not None:
            out[asked] = variant
    return out
