"""A draft from a requisition list (createDraftOrderFromRequisitionList): every item at its quantity, at the
offer a SKU gets (the cheapest sellable offer in stock, else the cheapest), at today's price, re-validated with
the rules every draft source follows (sources/revalidation.py): an item that cannot be bought now is skipped
with a warning naming its SKU; when none is left, NO_LINES_AVAILABLE. The list is unchanged and may feed any
number of drafts; the draft's source is the list (REQUISITION_LIST)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order
from app.services.catalog.offers import best_offer_for_variants, offer_infos
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem
from app.services.common.idempotency import run_once
from app.services.common.outcome import Outcome, service
from app.services.requisitions.lists import get_list, items_by_list
from app.services.sources.revalidation import SourceLine, draft_with_lines, refuse_if_empty, revalidate

SOURCE = "REQUISITION_LIST"


@service
async def create_draft_from_list(
    session: AsyncSession, caller: Caller, list_id: str, *, idempotency_key: str | None = None
) -> Outcome[Order]:
    return await run_once(
        session,
        caller,
        idempotency_key,
        "createDraftOrderFromRequisitionList",
        {"requisitionListId": list_id},
        lambda: _draft_from_list(session, caller, list_id),
    )


async def _draft_from_list(session: AsyncSession, caller: Caller, list_id: str) -> Outcome[Order]:
    lst = await get_list(session, caller, list_id)
    if lst is None:
        return Outcome.refused(Problem(ErrorCode.NOT_FOUND, "requisition list not found"))
    rows = (await items_by_list(session, [lst.id]))[lst.id]
    chosen = await best_offer_for_variants(session, caller, [variant.id for _, variant in rows])
    infos = await offer_infos(session, caller, chosen.values())
    asked = [
        SourceLine(info=infos.get(chosen.get(variant.id, "")), sku=variant.sku, quantity=item.quantity)
        for item, variant in rows
    ]
    kept, warnings = revalidate(asked, stock_check=caller.has_flag("STOCK_CHECK"))
    refuse_if_empty(kept, warnings, ErrorCode.NO_LINES_AVAILABLE, "no item of this list can be bought now")
    return Outcome.done(await draft_with_lines(session, caller, kept, source=(SOURCE, lst.id)), warnings=warnings)
