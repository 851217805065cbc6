"""Commercial orders (drafts and placed), their lines and metadata, logistic orders, events and
idempotency records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, created_at, pk, utcnow


class Order(Base):
    """One commercial order: a `DraftOrder` while editable, an `Order` once placed."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("tenant_id", "reference"),
        Index("ix_orders_scope", "tenant_id", "store_id", "account_id"),
        # One cart per user, account and store, even under concurrent first calls of `cart`.
        Index(
            "uq_orders_cart",
            "user_id",
            "account_id",
            "store_id",
            unique=True,
            sqlite_where=text("is_cart"),
            postgresql_where=text("is_cart"),
        ),
    )
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reference: Mapped[str] = mapped_column(String(40))
    # Lower-cased reference: case-insensitive sort and search with a plain index on both databases.
    reference_ci: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(20), default="DRAFT")
    payment_status: Mapped[str] = mapped_column(String(30), default="NOT_REQUIRED")
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_cart: Mapped[bool] = mapped_column(Boolean, default=False)
    source_type: Mapped[str | None] = mapped_column(String(20))
    source_id: Mapped[str | None] = mapped_column(String(32), index=True)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    shipping_address_id: Mapped[str | None] = mapped_column(ForeignKey("addresses.id", ondelete="SET NULL"))
    billing_address_id: Mapped[str | None] = mapped_column(ForeignKey("addresses.id", ondelete="SET NULL"))
    shipping_type: Mapped[str | None] = mapped_column(String(50))
    customer_reference: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    payment_method_id: Mapped[str | None] = mapped_column(String(32))
    shipping_method_id: Mapped[str | None] = mapped_column(ForeignKey("shipping_methods.id", ondelete="SET NULL"))
    voucher_id: Mapped[str | None] = mapped_column(ForeignKey("vouchers.id", ondelete="SET NULL"))
    voucher_discount_amount: Mapped[int] = mapped_column(BigInteger, default=0)  # frozen with the order
    # Totals in minor units: kept current on every edit of a draft, frozen at placement.
    subtotal_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    shipping_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    tax_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    discount_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    total_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    # What cancellations took off the order's total (a canceled logistic order's share, or all of it): the
    # order is due total - canceled (payments/ledger.py).
    canceled_amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    # B2B (docs/b2b.md): the cost centre whose budget the order is charged to, and when payment terms make it due.
    cost_centre: Mapped[str | None] = mapped_column(String(50))
    payment_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    placed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (UniqueConstraint("order_id", "offer_id"),)
    id: Mapped[str] = pk()
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    offer_id: Mapped[str] = mapped_column(ForeignKey("offers.id"))
    variant_id: Mapped[str] = mapped_column(ForeignKey("variants.id"))
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"))
    logistic_order_id: Mapped[str | None] = mapped_column(
        ForeignKey("logistic_orders.id", ondelete="SET NULL"), index=True
    )
    quantity: Mapped[int] = mapped_column(Integer)
    # Unit price seen when the line was last priced (add, update, sync); frozen at placement.
    unit_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    # Price agreed in a quote: overrides the price list for this line.
    agreed_unit_amount: Mapped[int | None] = mapped_column(BigInteger)
    tax_rate_bp: Mapped[int] = mapped_column(Integer, default=0)
    discount_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    tax_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    total_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    promotion_code: Mapped[str | None] = mapped_column(String(50))  # the promotion frozen with the line
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at = created_at()


class OrderMetadata(Base):
    __tablename__ = "order_metadata"
    __table_args__ = (Index("ix_order_metadata_kv", "key", "value"),)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(String(1000))


class LogisticOrder(Base):
    __tablename__ = "logistic_orders"
    __table_args__ = (UniqueConstraint("tenant_id", "reference"),)
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"))
    reference: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(40), default="ORDER_CREATED")
    payment_status: Mapped[str] = mapped_column(String(30), default="AWAITING_PAYMENT")
    incident: Mapped[bool] = mapped_column(Boolean, default=False)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    total_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at = created_at()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class OrderEvent(Base):
    __tablename__ = "order_events"
    id: Mapped[str] = pk()
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    logistic_order_id: Mapped[str | None] = mapped_column(String(32))
    type: Mapped[str] = mapped_column(String(50))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str | None] = mapped_column(String(254))
    detail: Mapped[str | None] = mapped_column(Text)


class IdempotencyRecord(Base):
    """First result of a keyed mutation that creates an order or starts a payment, per account."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("tenant_id", "account_id", "key"),)
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    operation: Mapped[str] = mapped_column(String(50))
    request_hash: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    # The first call's errors and warnings (JSON), replayed with its order.
    outcome: Mapped[str | None] = mapped_column(Text)
    created_at = created_at()
