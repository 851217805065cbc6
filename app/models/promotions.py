"""Promotions (product- or order-level discounts, automatic or unlocked by a voucher) and vouchers, with what
was used of them: voucher redemptions and promotion budget usage, per order, so a cancellation gives back
exactly what the order took."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, created_at, pk


class Promotion(Base):
    __tablename__ = "promotions"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))  # PRODUCT | ORDER
    kind: Mapped[str] = mapped_column(String(20))  # PERCENT | FIXED
    # PERCENT: basis points (1000 = 10 %); FIXED: minor units off each unit (PRODUCT) or off the order (ORDER)
    value: Mapped[int] = mapped_column(BigInteger)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    requires_voucher: Mapped[bool] = mapped_column(Boolean, default=False)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    min_order_total: Mapped[int | None] = mapped_column(BigInteger)  # net subtotal after line discounts
    customer_group: Mapped[str] = mapped_column(String(20), default="ALL")  # ALL | FIRST_TIME
    max_discount_total: Mapped[int | None] = mapped_column(BigInteger)  # budget; None: no cap
    discount_used: Mapped[int] = mapped_column(BigInteger, default=0)


class PromotionProduct(Base):
    """A product a promotion is limited to (none listed: every product)."""

    __tablename__ = "promotion_products"
    promotion_id: Mapped[str] = mapped_column(ForeignKey("promotions.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), primary_key=True)


class Voucher(Base):
    __tablename__ = "vouchers"
    __table_args__ = (UniqueConstraint("tenant_id", "code_ci"),)
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(50))
    code_ci: Mapped[str] = mapped_column(String(50))  # codes are case-insensitive
    promotion_id: Mapped[str] = mapped_column(ForeignKey("promotions.id", ondelete="CASCADE"))
    usage: Mapped[str] = mapped_column(String(30))  # SINGLE | MULTIPLE | ONCE_PER_CUSTOMER
    max_uses: Mapped[int | None] = mapped_column(Integer)  # MULTIPLE: None is unlimited
    used_count: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class VoucherRedemption(Base):
    """One use of a voucher by a placed order. `customer_key` is the user for ONCE_PER_CUSTOMER vouchers
    (the unique constraint is the once-per-customer rule), the order otherwise."""

    __tablename__ = "voucher_redemptions"
    __table_args__ = (UniqueConstraint("voucher_id", "customer_key"),)
    id: Mapped[str] = pk()
    voucher_id: Mapped[str] = mapped_column(ForeignKey("vouchers.id", ondelete="CASCADE"))
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    customer_key: Mapped[str] = mapped_column(String(32))
    created_at = created_at()


class PromotionUsage(Base):
    """The discount an order took from a budget-capped promotion."""

    __tablename__ = "promotion_usages"
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    promotion_id: Mapped[str] = mapped_column(ForeignKey("promotions.id", ondelete="CASCADE"), primary_key=True)
    amount: Mapped[int] = mapped_column(BigInteger)
