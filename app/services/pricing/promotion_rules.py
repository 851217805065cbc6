"""Which promotions apply, as pure functions over loaded values (no database).

- Automatic product-level promotions apply by themselves to every draft and cart; per line, the best single
  one applies (largest discount; ties: lowest code), on top of the account's resolved price. Quote lines keep
  their agreed price and get none.
- The best single automatic order-level promotion applies to the order, and the voucher's promotion (one
  voucher per order) on top of it.
- A promotion applies within its window, while active, to its customer group (ALL, or FIRST_TIME: an account
  with no placed order yet), while its budget (maxDiscountTotal) is not used up, and when the order's
  subtotal reaches its minimum.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from app.models import Promotion, Voucher
from app.services.common.errors import ErrorCode
from app.services.common.money import to_decimal
from app.services.pricing.steps import DiscountRule, OrderDiscountRule


@dataclass(frozen=True)
class PromotionFacts:
    promotion: Promotion
    product_ids: frozenset[str] | None  # None: every product


def in_window(starts_at: datetime | None, ends_at: datetime | None, now: datetime) -> bool:
    return (starts_at is None or starts_at <= now) and (ends_at is None or now < ends_at)


def promotion_live(facts: PromotionFacts, now: datetime, *, first_time: bool) -> bool:
    p = facts.promotion
    return (
        p.active
        and in_window(p.starts_at, p.ends_at, now)
        and (p.customer_group != "FIRST_TIME" or first_time)
        and (p.max_discount_total is None or p.discount_used < p.max_discount_total)
    )


def line_rule(facts: PromotionFacts) -> DiscountRule:
    p = facts.promotion
    return DiscountRule(
        p.code,
        percent_bp=p.value if p.kind == "PERCENT" else 0,
        amount_off_unit=p.value if p.kind == "FIXED" else 0,
        product_ids=facts.product_ids,
    )


def order_rule(facts: PromotionFacts) -> OrderDiscountRule:
    p = facts.promotion
    return OrderDiscountRule(
        p.code,
        percent_bp=p.value if p.kind == "PERCENT" else 0,
        amount_off=p.value if p.kind == "FIXED" else 0,
        product_ids=facts.product_ids if p.level == "PRODUCT" else None,
    )


def automatic_line_rules(promotions: Iterable[PromotionFacts], now: datetime, *, first_time: bool) -> list:
    return [
        line_rule(f)
        for f in promotions
        if f.promotion.level == "PRODUCT"
        and not f.promotion.requires_voucher
        and promotion_live(f, now, first_time=first_time)
    ]


def best_automatic_order_rule(
    promotions: Iterable[PromotionFacts], now: datetime, *, first_time: bool, lines: Sequence[tuple[str, int]]
) -> OrderDiscountRule | None:
    subtotal = sum(net for _, net in lines)
    candidates = [
        order_rule(f)
        for f in promotions
        if f.promotion.level == "ORDER"
        and not f.promotion.requires_voucher
        and promotion_live(f, now, first_time=first_time)
        and (f.promotion.min_order_total is None or subtotal >= f.promotion.min_order_total)
    ]
    return max(candidates, key=lambda r: (r.discount(lines), r.code), default=None)


@dataclass(frozen=True)
class VoucherCheck:
    code: ErrorCode
    message: str


def voucher_check(
    voucher: Voucher,
    facts: PromotionFacts,
    now: datetime,
    *,
    first_time: bool,
    lines: Sequence[tuple[str, int]],
    used_by_customer: bool,
) -> VoucherCheck | None:
    """Why this voucher gives nothing to these lines now (None: it applies). `lines`: (product id, net)."""
    p = facts.promotion
    if not voucher.active or not p.active or (p.customer_group == "FIRST_TIME" and not first_time):
        return VoucherCheck(ErrorCode.VOUCHER_INVALID, f"voucher {voucher.code} cannot be used")
    if not in_window(voucher.starts_at, voucher.ends_at, now) or not in_window(p.starts_at, p.ends_at, now):
        return VoucherCheck(ErrorCode.VOUCHER_EXPIRED, f"voucher {voucher.code} is not valid at this date")
    if (
        used_up(voucher)
        or used_by_customer
        or (p.max_discount_total is not None and p.discount_used >= p.max_discount_total)
    ):
        return VoucherCheck(ErrorCode.VOUCHER_USAGE_LIMIT, f"voucher {voucher.code} has no use left for you")
    subtotal = sum(net for _, net in lines)
    if p.min_order_total is not None and subtotal < p.min_order_total:
        minimum = to_decimal(p.min_order_total)
        return VoucherCheck(ErrorCode.VOUCHER_MIN_PURCHASE, f"voucher {voucher.code} needs an order of {minimum}")
    if facts.product_ids is not None and not any(pid in facts.product_ids for pid, _ in lines):
        return VoucherCheck(ErrorCode.VOUCHER_NOT_APPLICABLE, f"no line of this order is eligible for {voucher.code}")
    return None


def used_up(voucher: Voucher) -> bool:
    if voucher.usage == "SINGLE":
        return voucher.used_count >= 1
    if voucher.usage == "MULTIPLE":
        return voucher.max_uses is not None and voucher.used_count >= voucher.max_uses
    return False  # ONCE_PER_CUSTOMER: per customer (the caller checks)
