"""Payment and shipping methods, and the one rule of whether a method supports an order's content.

"Supports the content" is data, not code: a method excludes listed products and may cap the order total.
A payment method's cap applies to the order total (tax and shipping included); a shipping method's cap to
the goods (subtotal and tax, before shipping).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import (
    Order,
    OrderLine,
    PaymentMethod,
    PaymentMethodExclusion,
    ShippingMethod,
    ShippingMethodExclusion,
    Variant,
)
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem
from app.services.common.ids import valid_id
from app.services.common.money import to_decimal


@dataclass(frozen=True)
class Content:
    """What a method is checked against: the products of the order and the amount its cap applies to."""

    product_ids: frozenset[str]
    amount: int
    currency: str


def unsupported_reason(
    *, active: bool, excluded: frozenset[str], max_total: int | None, content: Content, name: str
) -> str | None:
    """Why a method cannot serve this content (None: it can)."""
    if not active:
        return f"{name} is not available"
    if excluded & content.product_ids:
        return f"{name} does not accept some products of this order"
    if max_total is not None and content.amount > max_total:
        return f"{name} accepts orders up to {to_decimal(max_total)} {content.currency}"
    return None


async def _exclusions(session: AsyncSession, model, method_ids: Iterable[str]) -> dict[str, frozenset[str]]:  # noqa: ANN001
    ids = list(set(method_ids))
    if not ids:
        return {}
    grouped: dict[str, set[str]] = defaultdict(set)
    for method_id, product_id in await session.execute(
        select(model.method_id, model.product_id).where(model.method_id.in_(ids))
    ):
        grouped[method_id].add(product_id)
    return {k: frozenset(v) for k, v in grouped.items()}


async def payment_exclusions(session: AsyncSession, ids: Iterable[str]) -> dict[str, frozenset[str]]:
    return await _exclusions(session, PaymentMethodExclusion, ids)


async def shipping_exclusions(session: AsyncSession, ids: Iterable[str]) -> dict[str, frozenset[str]]:
    return await _exclusions(session, ShippingMethodExclusion, ids)


async def active_payment_methods(session: AsyncSession, caller: Caller) -> list[PaymentMethod]:
    return list(
        await session.scalars(
            select(PaymentMethod)
            .where(PaymentMethod.tenant_id == caller.tenant_id, PaymentMethod.active.is_(True))
            .order_by(PaymentMethod.position, PaymentMethod.code)
        )
    )


async def active_shipping_methods(session: AsyncSession, caller: Caller) -> list[ShippingMethod]:
    return list(
        await session.scalars(
            select(ShippingMethod)
            .where(
                ShippingMethod.tenant_id == caller.tenant_id,
                ShippingMethod.active.is_(True),
                ShippingMethod.currency == caller.currency,
            )
            .order_by(ShippingMethod.position, ShippingMethod.code)
        )
    )


async def find_payment_method(session: AsyncSession, caller: Caller, id_or_code: str) -> PaymentMethod | None:
    """By id or code, active or not (the caller of this decides what an inactive one answers)."""
    if not valid_id(id_or_code):
        return None
    return await session.scalar(
        select(PaymentMethod).where(
            PaymentMethod.tenant_id == caller.tenant_id,
            or_(PaymentMethod.id == id_or_code, PaymentMethod.code == id_or_code),
        )
    )


async def find_shipping_method(session: AsyncSession, caller: Caller, id_or_code: str) -> ShippingMethod | None:
    if not valid_id(id_or_code):
        return None
    return await session.scalar(
        select(ShippingMethod).where(
            ShippingMethod.tenant_id == caller.tenant_id,
            or_(ShippingMethod.id == id_or_code, ShippingMethod.code == id_or_code),
        )
    )


def payment_reason(method: PaymentMethod, excluded: frozenset[str], content: Content) -> str | None:
    return unsupported_reason(
        active=method.active, excluded=excluded, max_total=method.max_order_total, content=content, name=method.name
    )


def shipping_reason(method: ShippingMethod, excluded: frozenset[str], content: Content) -> str | None:
    if method.currency != content.currency:
        return f"{method.name} does not ship orders in {content.currency}"
    return unsupported_reason(
        active=method.active, excluded=excluded, max_total=method.max_order_total, content=content, name=method.name
    )


async def supporting_payment_methods(
    session: AsyncSession, methods: Sequence[PaymentMethod], content: Content
) -> list[PaymentMethod]:
    excluded = await payment_exclusions(session, [m.id for m in methods])
    return [m for m in methods if payment_reason(m, excluded.get(m.id, frozenset()), content) is None]


async def supporting_shipping_methods(
    session: AsyncSession, methods: Sequence[ShippingMethod], content: Content
) -> list[ShippingMethod]:
    excluded = await shipping_exclusions(session, [m.id for m in methods])
    return [m for m in methods if shipping_reason(m, excluded.get(m.id, frozenset()), content) is None]


PAYMENT_FIELD = ("input", "paymentMethodId")
SHIPPING_FIELD = ("input", "shippingMethodId")


async def usable_payment_method(
    session: AsyncSession, caller: Caller, id_or_code: str, content: Content | None, *, field=PAYMENT_FIELD
) -> tuple[PaymentMethod | None, Problem | None]:
    """The payment method, or why it cannot pay this content (content None: checked later)."""
    method = await find_payment_method(session, caller, id_or_code)
    if method is None:
        return None, Problem(ErrorCode.PAYMENT_METHOD_UNAVAILABLE, f"no payment method {id_or_code!r}", field=field)
    if method.requires_payment_terms and caller.is_buyer and "TERMS" not in caller.controls:
        reason = f"{method.name} is only for accounts with payment terms"
        return None, Problem(ErrorCode.PAYMENT_METHOD_UNAVAILABLE, reason, field=field)
    excluded = (await payment_exclusions(session, [method.id])).get(method.id, frozenset())
    if content is None:  # the content is checked once the order is priced
        reason = None if method.active else f"{method.name} is not available"
    else:
        reason = payment_reason(method, excluded, content)
    if reason:
        return None, Problem(ErrorCode.PAYMENT_METHOD_UNAVAILABLE, reason, field=field)
    return method, None


async def usable_shipping_method(
    session: AsyncSession, caller: Caller, id_or_code: str, *, field=SHIPPING_FIELD
) -> tuple[ShippingMethod | None, Problem | None]:
    """An active shipping method (whether it carries the content is an issue of the draft)."""
    method = await find_shipping_method(session, caller, id_or_code)
    if method is None or not method.active:
        return None, Problem(
            ErrorCode.SHIPPING_METHOD_UNAVAILABLE, f"shipping method {id_or_code!r} is not available", field=field
        )
    return method, None


async def placed_content(session: AsyncSession, order: Order) -> Content:
    """The content of an order whose amounts are frozen: its lines' products and its stored total."""
    products = await session.scalars(
        select(Variant.product_id)
        .join(OrderLine, OrderLine.variant_id == Variant.id)
        .where(OrderLine.order_id == order.id)
    )
    return Content(frozenset(products), order.total_amount, order.currency)
