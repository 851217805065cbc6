"""What the pricing of some orders needs to know of promotions, loaded in a fixed number of statements."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, Promotion, PromotionProduct, Voucher, VoucherRedemption
from app.services.pricing.promotion_rules import PromotionFacts
from app.services.rules.states import OrderStatus


@dataclass
class PromotionSnapshot:
    automatic: list[PromotionFacts] = field(default_factory=list)
    vouchers: dict[str, tuple[Voucher, PromotionFacts]] = field(default_factory=dict)
    placed_accounts: set[str] = field(default_factory=set)  # accounts with a placed order: not first-time
    used_once: set[tuple[str, str]] = field(default_factory=set)  # (voucher id, user id) of once-per-customer uses

    def first_time(self, account_id: str) -> bool:
        return account_id not in self.placed_accounts

    def used_by(self, voucher: Voucher, user_id: str | None) -> bool:
        return voucher.usage == "ONCE_PER_CUSTOMER" and (voucher.id, user_id or "") in self.used_once


async def load_promotions(session: AsyncSession, orders: Sequence[Order]) -> PromotionSnapshot:
    if not orders:
        return PromotionSnapshot()
    tenants = {o.tenant_id for o in orders}
    voucher_ids = {o.voucher_id for o in orders if o.voucher_id}
    vouchers = (
        {v.id: v for v in await session.scalars(select(Voucher).where(Voucher.id.in_(voucher_ids)))}
        if voucher_ids
        else {}
    )
    wanted = {v.promotion_id for v in vouchers.values()}
    # One statement: each promotion with the products it is limited to (outer join: none means all).
    rows = await session.execute(
        select(Promotion, PromotionProduct.product_id)
        .outerjoin(PromotionProduct, PromotionProduct.promotion_id == Promotion.id)
        .where(
            Promotion.tenant_id.in_(tenants),
            or_(and_(Promotion.requires_voucher.is_(False), Promotion.active.is_(True)), Promotion.id.in_(wanted)),
        )
    )
    by_id: dict[str, Promotion] = {}
    products: dict[str, set[str]] = defaultdict(set)
    for promotion, product_id in rows:
        by_id[promotion.id] = promotion
        if product_id is not None:
            products[promotion.id].add(product_id)
    promotions = list(by_id.values())
    facts = {p.id: PromotionFacts(p, frozenset(products[p.id]) if p.id in products else None) for p in promotions}
    placed: set[str] = set()
    if any(p.customer_group == "FIRST_TIME" for p in promotions):  # only then does it matter
        accounts = {o.account_id for o in orders}
        placed = set(
            await session.scalars(
                select(Order.account_id)
                .where(Order.account_id.in_(accounts), Order.status == OrderStatus.PLACED)
                .group_by(Order.account_id)
            )
        )
    once = [v.id for v in vouchers.values() if v.usage == "ONCE_PER_CUSTOMER"]
    used_once: set[tuple[str, str]] = set()
    if once:
        used_once = {
            (vid, key)
            for vid, key in await session.execute(
                select(VoucherRedemption.voucher_id, VoucherRedemption.customer_key).where(
                    VoucherRedemption.voucher_id.in_(once)
                )
            )
        }
    return PromotionSnapshot(
        automatic=[f for f in facts.values() if not f.promotion.requires_voucher],
        vouchers={vid: (v, facts[v.promotion_id]) for vid, v in vouchers.items() if v.promotion_id in facts},
        placed_accounts=placed,
        used_once=used_once,
    )
