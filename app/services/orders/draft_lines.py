"""Line edits of a draft: add (merging into the line of the same offer), set quantities, remove, sync.

Each requested line is checked on its own: the valid ones are applied, each rejected one comes back as an
error naming its input index. When at least one was applied the draft is re-priced and its version bumped
(the outcome commits with the per-line errors); when none was, nothing changes (refused).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, OrderLine
from app.services.catalog.offers import OfferInfo, best_offer_for_variants, offer_infos
from app.services.catalog.quantity_rules import ExtraLimits, check_line
from app.services.catalog.skus import shown_sku, variants_by_sku
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.ids import valid_id
from app.services.common.outcome import Outcome, service
from app.services.orders.editing import locked_draft, reprice
from app.services.pricing.snapshot import source_limits

MAX_LINES_PER_CALL = 200


@dataclass
class LineRequest:
    """A line to add, naming exactly one of an offer, a variant or a SKU (a variant's and a SKU's offer is
    the one `best_offer_for_variants` chooses: the cheapest sellable offer in stock, else the cheapest)."""

    offer_id: str | None
    variant_id: str | None
    quantity: int
    sku: str | None = None


@dataclass
class Applied:
    count: int = 0
    errors: list[Problem] = field(default_factory=list)
    infos: dict[str, OfferInfo] = field(default_factory=dict)  # offers read for the caller: reprice reuses them
    lines: dict[int, OrderLine] = field(default_factory=dict)  # request index -> the line it created or increased


def new_line(order_id: str, info: OfferInfo, quantity: int, position: int, *, agreed: int | None = None) -> OrderLine:
    """A line for a sellable offer, at the agreed unit price when there is one (quote lines), else today's."""
    assert info.price is not None
    return OrderLine(
        order_id=order_id,
        offer_id=info.offer.id,
        variant_id=info.variant.id,
        supplier_id=info.offer.supplier_id,
        quantity=quantity,
        unit_amount=agreed if agreed is not None else info.price.unit_for(quantity),
        agreed_unit_amount=agreed,
        tax_rate_bp=info.price.tax_rate_bp,
        position=position,
    )


def _too_many(n: int, name: str) -> None:
    if n > MAX_LINES_PER_CALL:
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, f"at most {MAX_LINES_PER_CALL} lines per call", field=(name,)))


async def _finish(session: AsyncSession, caller: Caller, order: Order, applied: Applied) -> Outcome[Order]:
    if applied.count == 0:
        return Outcome.refused(*applied.errors, value=order)
    await session.flush()
    await reprice(session, caller, order, infos=applied.infos)
    return Outcome.done(order, errors=applied.errors)


async def add(
    session: AsyncSession,
    caller: Caller,
    order: Order,
    requests: Sequence[LineRequest],
    limits: dict[str, ExtraLimits] | None = None,
) -> Applied:
    """Apply each valid request to the (locked) order; report each invalid one by index. Not re-priced."""
    _too_many(len(requests), "lines")
    by_sku = await variants_by_sku(session, caller, {r.sku for r in requests if r.sku and not r.offer_id})
    variant_of = [
        r.variant_id if r.variant_id else (by_sku[r.sku].id if r.sku and r.sku in by_sku else None) for r in requests
    ]
    variant_offers = await best_offer_for_variants(
        session, caller, [v for r, v in zip(requests, variant_of, strict=True) if v and not r.offer_id and valid_id(v)]
    )
    offer_ids = [r.offer_id or variant_offers.get(v or "") for r, v in zip(requests, variant_of, strict=True)]
    infos = await offer_infos(session, caller, [o for o in offer_ids if valid_id(o)])
    existing = {
        ln.offer_id: ln for ln in await session.scalars(select(OrderLine).where(OrderLine.order_id == order.id))
    }
    position = max((ln.position for ln in existing.values()), default=-1) + 1
    stock_check = caller.has_flag("STOCK_CHECK")
    applied = Applied(infos=infos)
    for index, (req, offer_id) in enumerate(zip(requests, offer_ids, strict=True)):
        where = ("lines", str(index))
        if sum(1 for named in (req.offer_id, req.variant_id, req.sku) if named) != 1:
            applied.errors.append(
                Problem(
                    ErrorCode.INVALID_INPUT, "give exactly one of offerId, variantId and sku", index=index, field=where
                )
            )
            continue
        if req.sku and req.sku not in by_sku:
            unknown = f"no product has the SKU {shown_sku(req.sku)}"
            applied.errors.append(Problem(ErrorCode.SKU_NOT_FOUND, unknown, index=index, field=where))
            continue
        info = infos.get(offer_id or "")
        if info is None and not req.offer_id:
            sold = f"{req.sku}: no offer" if req.sku else "no offer of this variant"
            applied.errors.append(
                Problem(ErrorCode.OFFER_UNAVAILABLE, f"{sold} can be sold to you", index=index, field=where)
            )
            continue
        current = existing.get(offer_id or "")
        quantity = req.quantity + (current.quantity if current else 0) if req.quantity > 0 else req.quantity
        extra = (limits or {}).get(info.variant.id) if info else None
        problems = check_line(info, quantity, stock_check=stock_check, extra=extra, index=index, field=where)
        if problems:
            applied.errors += problems
            continue
        assert info is not None and info.price is not None
        applied.count += 1
        if current is not None:
            current.quantity = quantity
            applied.lines[index] = current
            continue
        line = new_line(order.id, info, quantity, position)
        position += 1
        session.add(line)
        existing[info.offer.id] = line
        applied.lines[index] = line
    await session.flush()
    return applied


@service
async def add_lines(
    session: AsyncSession,
    caller: Caller,
    order_id: str,
    requests: Sequence[LineRequest],
    expected_version: int | None,
) -> Outcome[Order]:
    order = await locked_draft(session, caller, order_id, expected_version, lines=True)
    if not requests:  # nothing to add: a re-price with today's prices, as any edit
        await reprice(session, caller, order)
        return Outcome.done(order)
    limits = (await source_limits(session, [order])).get(order.id)
    return await _finish(session, caller, order, await add(session, caller, order, requests, limits))


@service
async def update_lines(
    session: AsyncSession,
    caller: Caller,
    order_id: str,
    updates: Sequence[tuple[str, int]],
    expected_version: int | None,
) -> Outcome[Order]:
    """Set line quantities; 0 removes the line. Each update is checked on its own."""
    order = await locked_draft(session, caller, order_id, expected_version, lines=True)
    _too_many(len(updates), "lines")
    limits = (await source_limits(session, [order])).get(order.id) or {}
    lines = {ln.id: ln for ln in await session.scalars(select(OrderLine).where(OrderLine.order_id == order.id))}
    infos = await offer_infos(session, caller, [ln.offer_id for ln in lines.values()])
    stock_check = caller.has_flag("STOCK_CHECK")
    applied = Applied(infos=infos)
    for index, (line_id, quantity) in enumerate(updates):
        where = ("lines", str(index))
        line = lines.get(line_id)
        if line is None:
            applied.errors.append(
                Problem(ErrorCode.LINE_NOT_FOUND, f"no line {line_id!r} in this draft", index=index, field=where)
            )
            continue
        if quantity == 0:
            await session.delete(line)
            del lines[line_id]
            applied.count += 1
            continue
        found = check_line(
            infos.get(line.offer_id),
            quantity,
            stock_check=stock_check,
            extra=limits.get(line.variant_id),
            index=index,
            line_id=line_id,
            field=where,
        )
        if found:
            applied.errors += found
            continue
        line.quantity = quantity
        applied.count += 1
    return await _finish(session, caller, order, applied)


@service
async def remove_lines(
    session: AsyncSession, caller: Caller, order_id: str, line_ids: Sequence[str], expected_version: int | None
) -> Outcome[Order]:
    _too_many(len(line_ids), "lineIds")
    order = await locked_draft(session, caller, order_id, expected_version, lines=True)
    present = set(await session.scalars(select(OrderLine.id).where(OrderLine.order_id == order.id)))
    applied = Applied(
        errors=[
            Problem(ErrorCode.LINE_NOT_FOUND, f"no line {lid!r} in this draft", index=i, field=("lineIds", str(i)))
            for i, lid in enumerate(line_ids)
            if lid not in present
        ]
    )
    to_remove = [lid for lid in line_ids if lid in present]
    if to_remove:
        await session.execute(delete(OrderLine).where(OrderLine.id.in_(to_remove)))
        applied.count = len(to_remove)
    return await _finish(session, caller, order, applied)
