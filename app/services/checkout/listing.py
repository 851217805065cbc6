"""`paymentMethods` and `shippingMethods`: the active ones, or with a draft, those that support its content."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import PaymentMethod, ShippingMethod
from app.services.common.caller import Caller
from app.services.orders.drafts import get_draft
from app.services.orders.recording import content_of
from app.services.pricing.evaluation import evaluate
from app.services.rules.methods import (
    Content,
    active_payment_methods,
    active_shipping_methods,
    supporting_payment_methods,
    supporting_shipping_methods,
)


async def _draft_content(session: AsyncSession, caller: Caller, draft_id: str, *, goods: bool) -> Content | None:
    draft = await get_draft(session, caller, draft_id)
    if draft is None:
        return None
    ev = (await evaluate(session, caller, [draft]))[draft.id]
    return content_of(ev, goods=goods)


async def payment_methods(session: AsyncSession, caller: Caller, draft_id: str | None) -> list[PaymentMethod]:
    methods = await active_payment_methods(session, caller)
    if caller.is_buyer and "TERMS" not in caller.controls:  # `invoice`: only for accounts with payment terms
        methods = [m for m in methods if not m.requires_payment_terms]
    if draft_id is None:
        return methods
    content = await _draft_content(session, caller, draft_id, goods=False)
    return await supporting_payment_methods(session, methods, content) if content else []


async def shipping_methods(session: AsyncSession, caller: Caller, draft_id: str | None) -> list[ShippingMethod]:
    methods = await active_shipping_methods(session, caller)
    if draft_id is None:
        return methods
    content = await _draft_content(session, caller, draft_id, goods=True)
    if content is None:
        return []
    return await supporting_shipping_methods(session, methods, content)
