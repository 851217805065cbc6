"""Tenants, their API keys, stores and store views."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, created_at, pk


class Tenant(Base):
    __tablename__ = "tenants"
    id: Mapped[str] = pk()
    external_id: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Feature flags, e.g. ["OPERATIONS", "STOCK_CHECK"].
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    default_store_id: Mapped[str | None] = mapped_column(String(32))
    created_at = created_at()


class ApiKey(Base):
    __tablename__ = "api_keys"
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    # sha256 hex of the key: keys are long random secrets, so a fast hash is enough.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(100))
    created_at = created_at()


class Store(Base):
    __tablename__ = "stores"
    __table_args__ = (UniqueConstraint("tenant_id", "external_id"),)
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")


class StoreView(Base):
    __tablename__ = "store_views"
    __table_args__ = (UniqueConstraint("store_id", "external_id"),)
    id: Mapped[str] = pk()
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(20))
    currency: Mapped[str | None] = mapped_column(String(3))
