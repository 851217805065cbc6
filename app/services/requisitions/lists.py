"""Requisition lists of an account: who sees them, and their edits.

- A list belongs to the buyer's account and to the user who created it. It is private to that user until
  shared (`shared`): a shared list is seen by every user of the account, in any store of it. A list the caller
  may not see answers NOT_FOUND, as if it did not exist.
- Only its creator changes a list (rename, share or unshare, items, delete); another user of the account who
  sees a shared list gets FORBIDDEN for a change, and may still read it and make drafts from it.
- Items are named by SKU (`catalog.skus`: any case), one item per variant; adding a SKU the list holds adds to
  its quantity. An item is accepted when a draft could take it now, stock aside: a known SKU (SKU_NOT_FOUND),
  visible to the account (PRODUCT_NOT_VISIBLE), with an offer sold to it (OFFER_UNAVAILABLE), a positive
  quantity within the offer's min, max and pack size (`check_line`). Each item is checked on its own: the
  valid ones apply, each refused one is an error naming its index; when none applies nothing changes.
- Every edit locks the list row first, so concurrent edits of one list serialize.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import RequisitionList, RequisitionListItem, Variant, utcnow
from app.services.catalog.offers import best_offer_for_variants, offer_infos
from app.services.catalog.quantity_rules import check_line
from app.services.catalog.skus import shown_sku, variants_by_sku
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.ids import valid_id
from app.services.common.outcome import Outcome, service

MAX_NAME = 200
MAX_ITEMS = 200  # per list, and per call: a list makes one draft, as many lines as addDraftOrderLines takes


@dataclass(frozen=True)
class ItemRequest:
    sku: str
    quantity: int


@dataclass
class _Applied:
    count: int = 0
    errors: list[Problem] = field(default_factory=list)


def visible_clause(caller: Caller):  # noqa: ANN201
    """The lists the caller sees: its account's shared lists and its own."""
    return and_(
        RequisitionList.tenant_id == caller.tenant_id,
        RequisitionList.account_id == (caller.account_id or ""),
        or_(RequisitionList.shared.is_(True), RequisitionList.owner_user_id == (caller.user_id or "")),
    )


async def get_list(
    session: AsyncSession, caller: Caller, list_id: str, *, lock: bool = False
) -> RequisitionList | None:
    if not valid_id(list_id):
        return None
    query = select(RequisitionList).where(RequisitionList.id == list_id, visible_clause(caller))
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(query)


async def list_lists(
    session: AsyncSession, caller: Caller, first: int, offset: int
) -> tuple[list[RequisitionList], int]:
    """The caller's lists, most recently changed first."""
    clause = visible_clause(caller)
    total = await session.scalar(select(func.count()).select_from(RequisitionList).where(clause))
    rows = await session.scalars(
        select(RequisitionList)
        .where(clause)
        .order_by(RequisitionList.updated_at.desc(), RequisitionList.id)
        .offset(offset)
        .limit(first)
    )
    return list(rows), int(total or 0)


async def items_by_list(
    session: AsyncSession, list_ids: Sequence[str]
) -> dict[str, list[tuple[RequisitionListItem, Variant]]]:
    """The items of some lists with their variants, in list order: one statement for any number of lists."""
    grouped: dict[str, list[tuple[RequisitionListItem, Variant]]] = defaultdict(list)
    rows = await session.execute(
        select(RequisitionListItem, Variant)
        .join(Variant, Variant.id == RequisitionListItem.variant_id)
        .where(RequisitionListItem.list_id.in_(list_ids))
        .order_by(RequisitionListItem.position, RequisitionListItem.id)
    )
    for item, variant in rows:
        grouped[item.list_id].append((item, variant))
    return grouped


def _name_problem(name: str) -> Problem | None:
    if not name.strip() or len(name) > MAX_NAME:
        return Problem(ErrorCode.INVALID_INPUT, f"a list name is 1 to {MAX_NAME} characters", field=("name",))
    return None


def _too_many(n: int, where: tuple[str, ...]) -> None:
    if n > MAX_ITEMS:
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, f"at most {MAX_ITEMS} items per call", field=where))


async def _own_list(session: AsyncSession, caller: Caller, list_id: str) -> RequisitionList:
    """The caller's list, locked, or a refusal: NOT_FOUND when it cannot see it, FORBIDDEN when it is not its
    creator."""
    found = await get_list(session, caller, list_id, lock=True)
    if found is None:
        raise Refusal(Problem(ErrorCode.NOT_FOUND, "requisition list not found"))
    if found.owner_user_id is None or found.owner_user_id != caller.user_id:
        raise Refusal(
            Problem(ErrorCode.FORBIDDEN, "only the user who created a requisition list changes it"), value=found
        )
    return found


async def _set_items(
    session: AsyncSession,
    caller: Caller,
    lst: RequisitionList,
    items: Sequence[ItemRequest],
    *,
    add: bool,
    where: tuple[str, ...],
) -> _Applied:
    """Add to (add=True) or set (add=False: 0 removes) the quantity of each item; each checked on its own."""
    _too_many(len(items), where)
    rows = (await items_by_list(session, [lst.id]))[lst.id]
    held = {variant.id: item for item, variant in rows}
    by_sku = await variants_by_sku(session, caller, {i.sku for i in items})
    chosen = await best_offer_for_variants(session, caller, [v.id for v in by_sku.values()])
    infos = await offer_infos(session, caller, chosen.values())
    position = max((item.position for item, _ in rows), default=-1) + 1
    applied = _Applied()
    for index, req in enumerate(items):
        at = (*where, str(index))
        variant = by_sku.get(req.sku)
        if variant is None:
            applied.errors.append(
                Problem(ErrorCode.SKU_NOT_FOUND, f"no product has the SKU {shown_sku(req.sku)}", index=index, field=at)
            )
            continue
        current = held.get(variant.id)
        if not add and current is None:
            applied.errors.append(
                Problem(ErrorCode.NOT_FOUND, f"the list holds no {variant.sku}", index=index, field=at)
            )
            continue
        if not add and req.quantity == 0:
            assert current is not None
            await session.delete(current)
            del held[variant.id]
            applied.count += 1
            continue
        quantity = req.quantity + (current.quantity if current and add and req.quantity > 0 else 0)
        info = infos.get(chosen.get(variant.id, ""))
        if info is None and quantity > 0:
            applied.errors.append(
                Problem(ErrorCode.OFFER_UNAVAILABLE, f"{variant.sku}: no offer is sold to you", index=index, field=at)
            )
            continue
        problems = check_line(info, quantity, stock_check=False, index=index, field=at)
        if problems:
            applied.errors += problems
            continue
        if current is None and len(held) >= MAX_ITEMS:
            applied.errors.append(
                Problem(ErrorCode.INVALID_INPUT, f"a list holds at most {MAX_ITEMS} items", index=index, field=at)
            )
            continue
        applied.count += 1
        if current is not None:
            current.quantity = quantity
            continue
        item = RequisitionListItem(list_id=lst.id, variant_id=variant.id, quantity=quantity, position=position)
        position += 1
        session.add(item)
        held[variant.id] = item
    return applied


def _finish(lst: RequisitionList, applied: _Applied) -> Outcome[RequisitionList]:
    if applied.count == 0:
        return Outcome.refused(*applied.errors, value=lst)
    lst.updated_at = utcnow()
    return Outcome.done(lst, errors=applied.errors)


@service
async def create_list(
    session: AsyncSession, caller: Caller, name: str, shared: bool, items: Sequence[ItemRequest]
) -> Outcome[RequisitionList]:
    """A new list of the caller's account; its valid items are added, each refused one is an error."""
    bad = _name_problem(name)
    if bad:
        return Outcome.refused(replace(bad, field=("input", "name")))
    assert caller.account_id is not None
    lst = RequisitionList(
        tenant_id=caller.tenant_id,
        account_id=caller.account_id,
        owner_user_id=caller.user_id,
        name=name.strip(),
        shared=shared,
    )
    session.add(lst)
    await session.flush()
    applied = await _set_items(session, caller, lst, items, add=True, where=("input", "items")) if items else _Applied()
    return Outcome.done(lst, errors=applied.errors)


@service
async def rename_list(session: AsyncSession, caller: Caller, list_id: str, name: str) -> Outcome[RequisitionList]:
    lst = await _own_list(session, caller, list_id)
    bad = _name_problem(name)
    if bad:
        return Outcome.refused(bad, value=lst)
    lst.name = name.strip()
    return Outcome.done(lst)


@service
async def share_list(session: AsyncSession, caller: Caller, list_id: str, shared: bool) -> Outcome[RequisitionList]:
    """Share the list with every user of the account, or make it private to its creator again."""
    lst = await _own_list(session, caller, list_id)
    lst.shared = shared
    return Outcome.done(lst)


@service
async def delete_list(session: AsyncSession, caller: Caller, list_id: str) -> Outcome[str]:
    lst = await _own_list(session, caller, list_id)
    await session.execute(delete(RequisitionListItem).where(RequisitionListItem.list_id == lst.id))
    await session.delete(lst)
    return Outcome.done(lst.id)


@service
async def add_items(
    session: AsyncSession, caller: Caller, list_id: str, items: Sequence[ItemRequest]
) -> Outcome[RequisitionList]:
    """Add items; a SKU the list holds adds to its quantity."""
    lst = await _own_list(session, caller, list_id)
    return _finish(lst, await _set_items(session, caller, lst, items, add=True, where=("items",)))


@service
async def update_items(
    session: AsyncSession, caller: Caller, list_id: str, items: Sequence[ItemRequest]
) -> Outcome[RequisitionList]:
    """Set the quantity of items the list holds; 0 removes the item."""
    lst = await _own_list(session, caller, list_id)
    return _finish(lst, await _set_items(session, caller, lst, items, add=False, where=("items",)))


@service
async def remove_items(
    session: AsyncSession, caller: Caller, list_id: str, skus: Sequence[str]
) -> Outcome[RequisitionList]:
    lst = await _own_list(session, caller, list_id)
    _too_many(len(skus), ("skus",))
    rows = (await items_by_list(session, [lst.id]))[lst.id]
    by_sku = await variants_by_sku(session, caller, set(skus))
    held = {variant.id: item for item, variant in rows}
    applied = _Applied()
    gone: list[str] = []
    for index, sku in enumerate(skus):
        variant = by_sku.get(sku)
        item = held.pop(variant.id, None) if variant is not None else None
        if item is None:
            applied.errors.append(
                Problem(
                    ErrorCode.NOT_FOUND, f"the list holds no {shown_sku(sku)}", index=index, field=("skus", str(index))
                )
            )
            continue
        gone.append(item.id)
        applied.count += 1
    if gone:
        await session.execute(delete(RequisitionListItem).where(RequisitionListItem.id.in_(gone)))
    return _finish(lst, applied)
