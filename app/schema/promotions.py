"""Promotions and vouchers (operators read them with their usage) and createOrderFromCart."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum

import strawberry

from app import models
from app.schema.common import Node, PageInfo, UserError
from app.schema.drafts import DraftOrder
from app.schema.orders import Order
from app.services.common.money import to_decimal


@strawberry.type(
    description="A discount: product- or order-level, percentage or fixed, automatic or unlocked by a voucher."
)
class Promotion(Node):
    code: str
    name: str
    level: str = strawberry.field(description="PRODUCT (per line) or ORDER.")
    kind: str = strawberry.field(description="PERCENT or FIXED.")
    value: Decimal = strawberry.field(description="Percent (10.00 = 10 %) or amount (per unit, or off the order).")
    active: bool
    requires_voucher: bool
    starts_at: datetime | None
    ends_at: datetime | None
    min_order_total: Decimal | None
    customer_group: str = strawberry.field(description="ALL, or FIRST_TIME (accounts with no placed order).")
    max_discount_total: Decimal | None = strawberry.field(description="Budget; the promotion stops at it.")
    discount_used: Decimal = strawberry.field(description="What placed orders took from it so far.")
    products: list[str] = strawberry.field(description="External ids of the products it is limited to (none: all).")

    @classmethod
    def of(cls, p: models.Promotion, products: list[str]) -> Promotion:
        def dec(v: int | None) -> Decimal | None:
            return to_decimal(v) if v is not None else None

        return cls(
            id=strawberry.ID(p.id),
            code=p.code,
            name=p.name,
            level=p.level,
            kind=p.kind,
            value=to_decimal(p.value),
            active=p.active,
            requires_voucher=p.requires_voucher,
            starts_at=p.starts_at,
            ends_at=p.ends_at,
            min_order_total=dec(p.min_order_total),
            customer_group=p.customer_group,
            max_discount_total=dec(p.max_discount_total),
            discount_used=to_decimal(p.discount_used),
            products=products,
        )


@strawberry.type(description="A voucher code, the promotion it unlocks, and how much it was used.")
class Voucher(Node):
    code: str
    promotion: str
    usage: str = strawberry.field(description="SINGLE, MULTIPLE (up to maxUses) or ONCE_PER_CUSTOMER.")
    max_uses: int | None
    used_count: int
    active: bool
    starts_at: datetime | None
    ends_at: datetime | None

    @classmethod
    def of(cls, v: models.Voucher, promotion_code: str) -> Voucher:
        return cls(
            id=strawberry.ID(v.id),
            code=v.code,
            promotion=promotion_code,
            usage=v.usage,
            max_uses=v.max_uses,
            used_count=v.used_count,
            active=v.active,
            starts_at=v.starts_at,
            ends_at=v.ends_at,
        )


@strawberry.type
class PromotionEdge:
    cursor: str
    node: Promotion


@strawberry.type
class PromotionConnection:
    edges: list[PromotionEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class VoucherEdge:
    cursor: str
    node: Voucher


@strawberry.type
class VoucherConnection:
    edges: list[VoucherEdge]
    page_info: PageInfo
    total_count: int


@strawberry.enum(description="What createOrderFromCart does after saving the order.")
class CartOrderAction(Enum):
    CHECKOUT = "CHECKOUT"
    SAVE_ORDER = "SAVE_ORDER"


@strawberry.input(description="A postal address; the country is a full country name such as 'Canada'.")
class AddressInput:
    street: str
    city: str
    country: str
    full_name: str | None = None
    postal_code: str | None = None
    state: str | None = None
    phone: str | None = None


@strawberry.input
class CreateOrderFromCartInput:
    action: CartOrderAction
    billing_address: AddressInput | None = strawberry.field(
        default=None, description="Default: the account's saved billing address."
    )
    payment_method_id: strawberry.ID | None = strawberry.field(
        default=None, description="CHECKOUT: default the store's first active redirect method."
    )
    idempotency_key: str | None = None
    return_url: str | None = None


@strawberry.type
class CreateOrderFromCartPayload:
    order: Order | None
    next_step: str | None = strawberry.field(description="CHECKOUT with a redirect method: the payment page.")
    errors: list[UserError]
    draft_order: DraftOrder | None = strawberry.field(
        default=None,
        description="The cart this call turned into the order, under its DraftOrder type, as it now is: a cache "
        "holding `DraftOrder:<id>` (the `cart` query's answer) shows it placed without a refetch. Null when refused.",
    )
    client_secret: str | None = strawberry.field(
        default=None,
        description="A Stripe method: the PaymentIntent's client secret the storefront confirms with Stripe.js "
        "(as ClientSecretPayment.clientSecret); null otherwise.",
    )
    publishable_key: str | None = strawberry.field(
        default=None, description="A Stripe method: the publishable key for Stripe.js; null otherwise."
    )
