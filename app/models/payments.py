"""Payment and shipping methods (what content they support is data: excluded products and a maximum order
total), payment attempts and what happened to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, created_at, pk, utcnow


class PaymentMethod(Base):
    __tablename__ = "payment_methods"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # REDIRECT | DIRECT
    provider: Mapped[str] = mapped_column(String(50))  # sandbox | direct | an adapter's name
    # AUTOMATIC: the approval takes the money; MANUAL: it only authorizes, capturePayment takes it later.
    capture_mode: Mapped[str] = mapped_column(String(20), default="AUTOMATIC", server_default="AUTOMATIC")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Supports an order only up to this total (minor units, tax and shipping included); None: no cap.
    max_order_total: Mapped[int | None] = mapped_column(BigInteger)
    # Usable only by accounts with payment terms (the demo's `invoice`).
    requires_payment_terms: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    position: Mapped[int] = mapped_column(default=0)


class PaymentMethodExclusion(Base):
    """A product a payment method does not accept."""

    __tablename__ = "payment_method_exclusions"
    method_id: Mapped[str] = mapped_column(ForeignKey("payment_methods.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), primary_key=True)


class ShippingMethod(Base):
    __tablename__ = "shipping_methods"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    price_amount: Mapped[int] = mapped_column(BigInteger)  # net, minor units
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    max_order_total: Mapped[int | None] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(default=0)


class ShippingMethodExclusion(Base):
    """A product a shipping method does not carry."""

    __tablename__ = "shipping_method_exclusions"
    method_id: Mapped[str] = mapped_column(ForeignKey("shipping_methods.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), primary_key=True)


class Payment(Base):
    """A payment attempt of an order; a linked payment blocks deleting the draft."""

    __tablename__ = "payments"
    __table_args__ = (Index("ix_payments_pending", "status", "expires_at"),)
    id: Mapped[str] = pk()
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="RESTRICT"), index=True)
    method_id: Mapped[str | None] = mapped_column(ForeignKey("payment_methods.id", ondelete="SET NULL"))
    method_code: Mapped[str] = mapped_column(String(50))
    provider: Mapped[str | None] = mapped_column(String(50))
    provider_reference: Mapped[str | None] = mapped_column(String(200))
    # The provider account the attempt lives in (Stripe: a tenant's own account, by its settings' name,
    # app/settings.py stripe_account_name); NULL: the deployment-wide one. Every later call and webhook uses it.
    provider_account: Mapped[str | None] = mapped_column(String(100))
    # An attempt ended early (canceled, expired, replaced, refused) whose provider still has something open
    # (a Stripe PaymentIntent to cancel): due since then; cleared once released (services/payments/releases.py).
    release_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # PENDING, APPROVED, REFUSED, EXPIRED (services/payments/states.py)
    status: Mapped[str] = mapped_column(String(30))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    next_step: Mapped[str | None] = mapped_column(Text)
    # A client-confirmed attempt (Stripe): the PaymentIntent's client secret the buyer's Stripe.js confirms
    # with; answered to the buyer only (ClientSecretPayment), never logged.
    client_secret: Mapped[str | None] = mapped_column(Text)
    # What the attempt pays, hence what a failure returns to: CART (checkoutCart: back to DRAFT, the cart again),
    # DRAFT (placeDraftOrder: back to DRAFT), ORDER (payOrder: the placed order stays, its payment status moves).
    purpose: Mapped[str] = mapped_column(String(20), default="CART")
    # The method's capture mode when the attempt started (a later change of the method does not apply to it).
    capture_mode: Mapped[str] = mapped_column(String(20), default="AUTOMATIC", server_default="AUTOMATIC")
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at = created_at()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @property
    def waits_for_buyer(self) -> bool:
        """An attempt the buyer completes at the provider (a redirect page, Stripe.js), not a direct one that
        waits for money moved outside the gateway."""
        return self.next_step is not None or self.client_secret is not None


class PaymentEvent(Base):
    """What happened to an attempt: started, callbacks (accepted or refused, with the reason), expiry."""

    __tablename__ = "payment_events"
    id: Mapped[str] = pk()
    payment_id: Mapped[str] = mapped_column(ForeignKey("payments.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(50))
    detail: Mapped[str | None] = mapped_column(Text)
    at = created_at()


class ProviderEvent(Base):
    """A provider's webhook event (Stripe's `evt_...`), recorded once by its id: a redelivery or a replay finds
    it here and changes nothing. `outcome` says what the event did (or why it did nothing)."""

    __tablename__ = "provider_events"
    __table_args__ = (UniqueConstraint("provider", "event_id"),)
    id: Mapped[str] = pk()
    provider: Mapped[str] = mapped_column(String(50))
    event_id: Mapped[str] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(100))
    payment_id: Mapped[str | None] = mapped_column(ForeignKey("payments.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(Text)
    received_at = created_at()


class PaymentTransaction(Base):
    """One entry of an order's payment ledger (services/payments/ledger.py): money held, taken, released,
    given back or received. The order's authorized, captured, refunded and outstanding amounts are sums over
    these rows, computed in one place and never stored elsewhere."""

    __tablename__ = "payment_transactions"
    __table_args__ = (UniqueConstraint("order_id", "kind", "idempotency_key"),)
    id: Mapped[str] = pk()
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="RESTRICT"), index=True)
    # The attempt it belongs to (None for money received outside a provider).
    payment_id: Mapped[str | None] = mapped_column(ForeignKey("payments.id", ondelete="RESTRICT"), index=True)
    # The logistic order whose share it is, when it is one (a capture at shipment, a declined supplier's refund).
    logistic_order_id: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(20))  # TransactionKind
    status: Mapped[str] = mapped_column(String(20))  # TransactionStatus
    amount: Mapped[int] = mapped_column(BigInteger)  # minor units, always positive
    currency: Mapped[str] = mapped_column(String(3))
    shipping_amount: Mapped[int] = mapped_column(BigInteger, default=0)  # refunds: the shipping part of amount
    provider_reference: Mapped[str | None] = mapped_column(String(200))
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    reason: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(254))
    failure: Mapped[str | None] = mapped_column(Text)  # why the provider said no
    # A refund request may be paid back from several sources (payments/refunds.py): its transactions share
    # the id of the first (`request_id`); `request_hash` fingerprints the request's input, so that a replay of
    # its idempotency key is told from a reuse with another input.
    request_id: Mapped[str | None] = mapped_column(String(32))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    # A refundOrder refund: when it succeeds, its amount goes back to the order's budgets (docs/b2b.md). A
    # cancellation's refund does not: the cancellation gave its share back already.
    releases_budget: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RefundLine(Base):
    """The units of one order line a refund gives back, and the amount that is for them (tax included)."""

    __tablename__ = "refund_lines"
    transaction_id: Mapped[str] = mapped_column(
        ForeignKey("payment_transactions.id", ondelete="CASCADE"), primary_key=True
    )
    order_line_id: Mapped[str] = mapped_column(ForeignKey("order_lines.id", ondelete="RESTRICT"), primary_key=True)
    quantity: Mapped[int] = mapped_column()
    amount: Mapped[int] = mapped_column(BigInteger)
