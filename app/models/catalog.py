"""Suppliers, products, variants, offers, offer prices with tiers, and catalog views."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, created_at, pk


class Supplier(Base):
    __tablename__ = "suppliers"
    __table_args__ = (UniqueConstraint("tenant_id", "external_id"),)
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("tenant_id", "external_id"),)
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at = created_at()


class Variant(Base):
    __tablename__ = "variants"
    __table_args__ = (UniqueConstraint("tenant_id", "sku"),)
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    sku: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Offer(Base):
    __tablename__ = "offers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "external_id"),
        # Last line of defence against overselling; the reservation itself is a conditional update.
        CheckConstraint("stock >= 0", name="stock_not_negative"),
    )
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str] = mapped_column(String(100))
    variant_id: Mapped[str] = mapped_column(ForeignKey("variants.id", ondelete="CASCADE"), index=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id", ondelete="RESTRICT"), index=True)
    stock: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # When an order last reserved or released this stock: an imported count taken before it would undo sales.
    stock_moved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OfferPrice(Base):
    """Price of an offer for a target: PUBLIC, an account GROUP, or one ACCOUNT. Amounts in minor units."""

    __tablename__ = "offer_prices"
    __table_args__ = (
        CheckConstraint("min_quantity >= 1", name="min_positive"),
        CheckConstraint("pack_size >= 1", name="pack_positive"),
    )
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(100))
    offer_id: Mapped[str] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    target: Mapped[str] = mapped_column(String(10), default="PUBLIC")  # PUBLIC | GROUP | ACCOUNT
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[str | None] = mapped_column(ForeignKey("account_groups.id", ondelete="CASCADE"))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    unit_amount: Mapped[int] = mapped_column(BigInteger)
    # Tax rate in basis points: 2000 = 20.00 %.
    tax_rate_bp: Mapped[int] = mapped_column(Integer, default=0)
    min_quantity: Mapped[int] = mapped_column(Integer, default=1)
    max_quantity: Mapped[int | None] = mapped_column(Integer)
    pack_size: Mapped[int] = mapped_column(Integer, default=1)


class PriceTier(Base):
    """Degressive price: from `min_quantity` units on, the unit price is `unit_amount`."""

    __tablename__ = "price_tiers"
    __table_args__ = (UniqueConstraint("price_id", "min_quantity"),)
    id: Mapped[str] = pk()
    price_id: Mapped[str] = mapped_column(ForeignKey("offer_prices.id", ondelete="CASCADE"), index=True)
    min_quantity: Mapped[int] = mapped_column(Integer)
    unit_amount: Mapped[int] = mapped_column(BigInteger)


class CatalogView(Base):
    __tablename__ = "catalog_views"
    __table_args__ = (UniqueConstraint("tenant_id", "external_id"),)
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))


class CatalogViewProduct(Base):
    __tablename__ = "catalog_view_products"
    view_id: Mapped[str] = mapped_column(ForeignKey("catalog_views.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), primary_key=True, index=True)


class CatalogViewAccount(Base):
    __tablename__ = "catalog_view_accounts"
    view_id: Mapped[str] = mapped_column(ForeignKey("catalog_views.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True, index=True)
