"""Draft orders: editable, priced and validated with today's rules on every read; their inputs and payloads."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy import Row

from app import models
from app.schema.catalog import Offer, Variant
from app.schema.common import AppliedVoucher, MetadataInput, Money, PageInfo, UserError, user_errors
from app.schema.order_parts import (
    CommercialOrder,
    CommercialOrderLine,
    PaymentStatus,
    logistic_orders_of,
)
from app.services.pricing.evaluation import Evaluation, PricedLine

# What placement payloads answer beside the order: the same id under DraftOrder (docs/clients.md).
_PLACED_DRAFT = (
    "The draft this call placed, under its DraftOrder type, as it now is (status PAYMENT_PENDING or PLACED, "
    "frozen amounts, no issues): a normalized cache holding `DraftOrder:<id>` shows it placed without a refetch "
    "or an eviction (the order itself is `Order:<id>`). Null when refused."
)


@strawberry.type
class DraftOrderLine(CommercialOrderLine):
    id: strawberry.ID
    quantity: int
    unit_price: Money
    discount: Money
    tax: Money
    total: Money = strawberry.field(description="Net line total: unit price x quantity - discount.")
    priced: strawberry.Private[PricedLine]

    @strawberry.field(description="The unit price before any promotion (same as unitPrice).")
    def original_unit_price(self) -> Money:
        return self.unit_price

    @strawberry.field(description="The unit price after the line's promotion: total / quantity, half up.")
    def unit_price_after_discount(self) -> Money:
        return Money.of(self.priced.amounts.unit_after_discount, self.unit_price.currency)

    @strawberry.field(description="Code of the promotion applied to this line (the best single one), if any.")
    def promotion(self) -> str | None:
        return self.priced.amounts.promotion

    @strawberry.field
    async def offer(self, info: strawberry.Info) -> Offer:
        # A line whose offer lost its price still shows one: its last unit price (the line has an
        # OFFER_UNAVAILABLE issue and the offer reads available: false).
        if self.priced.info is not None:
            return Offer.of(self.priced.info.offer, known=self.priced.info, fallback_price=self.unit_price)
        offer = await info.context.loaders.offer.load(self.priced.line.offer_id)
        return Offer.of(offer, fallback_price=self.unit_price)

    @strawberry.field
    async def variant(self, info: strawberry.Info) -> Variant:
        if self.priced.info is not None:
            return Variant.of(self.priced.info.variant)
        return Variant.of(await info.context.loaders.variant.load(self.priced.line.variant_id))

    @strawberry.field
    async def sku(self, info: strawberry.Info) -> str | None:
        # Priced for a caller who cannot buy the offer (an operator reading a buyer's draft, an offer gone):
        # the line still names its variant.
        if self.priced.info is not None:
            return self.priced.info.variant.sku
        return (await info.context.loaders.variant.load(self.priced.line.variant_id)).sku

    @classmethod
    def of(cls, pl: PricedLine, currency: str) -> DraftOrderLine:
        return cls(
            id=strawberry.ID(pl.line.id),
            quantity=pl.line.quantity,
            unit_price=Money.of(pl.unit_amount, currency),
            discount=Money.of(pl.discount, currency),
            tax=Money.of(pl.tax, currency),
            total=Money.of(pl.total, currency),
            priced=pl,
        )


@strawberry.type(
    description="A commercial order while it is a draft (DRAFT, or DRAFT_ON_HOLD from a quote): priced and "
    "validated with today's rules on every read. Placed, it answers as an Order under the same id."
)
class DraftOrder(CommercialOrder):
    version: int
    shipping_type: str | None
    is_cart: bool

    async def _ev(self, info: strawberry.Info) -> Evaluation:
        return await info.context.loaders.evaluation.load(self.model.id)

    @strawberry.field
    async def lines(self, info: strawberry.Info) -> list[DraftOrderLine]:
        ev = await self._ev(info)
        return [DraftOrderLine.of(pl, self.model.currency) for pl in ev.lines]

    @strawberry.field(description="NOT_REQUIRED until a payment is started.")
    def payment_status(self) -> PaymentStatus:
        return PaymentStatus(self.model.payment_status)

    @strawberry.field(description="Always null for a draft.")
    def placed_at(self) -> datetime | None:
        return self.model.placed_at

    # Described in a draft's words; the other shared fields are CommercialOrder's.
    logistic_orders = strawberry.field(
        resolver=logistic_orders_of, description="Empty for a draft: placement splits the order per supplier."
    )

    @strawberry.field(description="What blocks placement (blocking: true) and notes that do not (price changes).")
    async def issues(self, info: strawberry.Info) -> list[UserError]:
        return user_errors((await self._ev(info)).issues)

    @strawberry.field
    async def subtotal(self, info: strawberry.Info) -> Money:
        return Money.of((await self._ev(info)).totals.subtotal, self.model.currency)

    @strawberry.field
    async def shipping_total(self, info: strawberry.Info) -> Money:
        return Money.of((await self._ev(info)).totals.shipping, self.model.currency)

    @strawberry.field
    async def tax_total(self, info: strawberry.Info) -> Money:
        return Money.of((await self._ev(info)).totals.tax, self.model.currency)

    @strawberry.field
    async def discount_total(self, info: strawberry.Info) -> Money:
        return Money.of((await self._ev(info)).totals.discount, self.model.currency)

    @strawberry.field(description="The voucher on this draft and what it takes off now (0 when it does not qualify).")
    async def voucher(self, info: strawberry.Info) -> AppliedVoucher | None:
        ev = await self._ev(info)
        if ev.voucher is None:
            return None
        return AppliedVoucher(code=ev.voucher.code, discount=Money.of(ev.voucher_discount, self.model.currency))

    @strawberry.field(description="Line discounts plus order-level discounts (promotion and voucher): discountTotal.")
    async def amount_saved(self, info: strawberry.Info) -> Money:
        return Money.of((await self._ev(info)).totals.amount_saved, self.model.currency)

    @strawberry.field
    async def total(self, info: strawberry.Info) -> Money:
        return Money.of((await self._ev(info)).totals.total, self.model.currency)

    @classmethod
    def of(cls, o: models.Order | Row) -> DraftOrder:
        return cls.of_row(o, version=o.version, shipping_type=o.shipping_type, is_cart=o.is_cart)


@strawberry.type
class DraftOrderEdge:
    cursor: str
    node: DraftOrder


@strawberry.type
class DraftOrderConnection:
    edges: list[DraftOrderEdge]
    page_info: PageInfo
    total_count: int


@strawberry.input
class DraftOrderLineInput:
    offer_id: strawberry.ID | None = None
    variant_id: strawberry.ID | None = None
    sku: str | None = strawberry.field(
        default=None,
        description="The SKU to buy (or give offerId or variantId), any case, at the offer a variantId gets: the "
        "cheapest offer you can buy in stock, else the cheapest you can buy; to choose the supplier, give offerId. "
        "An unknown SKU is SKU_NOT_FOUND, one outside your catalog PRODUCT_NOT_VISIBLE.",
    )
    quantity: int


@strawberry.input
class DraftOrderLineUpdateInput:
    line_id: strawberry.ID
    quantity: int


@strawberry.input(
    description="Fields left out are unchanged; null clears. Metadata upserts by key; an empty value removes the key."
)
class UpdateDraftOrderInput:
    shipping_address_id: strawberry.ID | None = strawberry.UNSET
    billing_address_id: strawberry.ID | None = strawberry.UNSET
    shipping_type: str | None = strawberry.UNSET
    customer_reference: str | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET
    metadata: list[MetadataInput] | None = strawberry.UNSET
    shipping_method_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Id or code of an active shipping method; its price becomes the draft's shippingTotal.",
    )
    cost_centre: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The cost centre whose budget the order is charged to (at most 50 characters; null clears). "
        "Budgets of the account without a cost centre charge every order (docs/b2b.md).",
    )


@strawberry.input
class CreateDraftOrderInput(UpdateDraftOrderInput):
    lines: list[DraftOrderLineInput] | None = None
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Same key and same input: the first draft again; another input: IDEMPOTENCY_KEY_REUSED.",
    )


@strawberry.input
class PlaceDraftOrderInput:
    payment_method_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Pay with it: a DIRECT method places the order (AWAITING_PAYMENT); a REDIRECT method holds it "
        "(PAYMENT_PENDING) and answers nextStep, the payment page.",
    )
    idempotency_key: str | None = None
    expected_version: int | None = None
    return_url: str | None = strawberry.field(
        default=None, description="Where the payment page sends the buyer back (default: a gateway page)."
    )


@strawberry.type
class DraftOrderPayload:
    draft_order: DraftOrder | None
    errors: list[UserError]
    warnings: list[UserError]


@strawberry.type
class DeleteDraftOrderPayload:
    deleted_id: strawberry.ID | None
    errors: list[UserError]


@strawberry.type
class PlaceDraftOrderPayload:
    order: CommercialOrder | None = strawberry.field(
        description="The order placed (Order); a replay shows it as it is now, a DraftOrder again if its payment "
        "was refused since."
    )
    next_step: str | None
    errors: list[UserError]
    draft_order: DraftOrder | None = strawberry.field(default=None, description=_PLACED_DRAFT)
    client_secret: str | None = strawberry.field(
        default=None,
        description="A Stripe method: the PaymentIntent's client secret the storefront confirms with Stripe.js "
        "(as ClientSecretPayment.clientSecret); null otherwise.",
    )
    publishable_key: str | None = strawberry.field(
        default=None, description="A Stripe method: the publishable key for Stripe.js; null otherwise."
    )
