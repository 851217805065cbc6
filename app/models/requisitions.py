"""Requisition lists: an account's saved lists of the usual items (SKU and quantity), turned into drafts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, created_at, pk, utcnow


class RequisitionList(Base):
    """A list of an account, made by one of its users: private to that user until shared with the account."""

    __tablename__ = "requisition_lists"
    __table_args__ = (Index("ix_requisition_lists_scope", "tenant_id", "account_id"),)
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    # Its creator, who alone changes it; a list whose creator is deleted stays readable if it was shared.
    owner_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at = created_at()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class RequisitionListItem(Base):
    """A variant (named by its SKU in the API) and a quantity; one item per variant in a list."""

    __tablename__ = "requisition_list_items"
    __table_args__ = (UniqueConstraint("list_id", "variant_id"),)
    id: Mapped[str] = pk()
    list_id: Mapped[str] = mapped_column(ForeignKey("requisition_lists.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[str] = mapped_column(ForeignKey("variants.id", ondelete="CASCADE"))
    quantity: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at = created_at()
