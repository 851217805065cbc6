"""What left the warehouse and what came back: shipments of a logistic order and returns of shipped units.

A shipment belongs to one logistic order (one supplier ships it); a return too (the goods go back to the
supplier that shipped them). Their lines name order lines with a quantity; what was shipped or returned of a
line is the sum over these rows, never stored twice (app/services/shipping/).
"""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, created_at, pk


class Shipment(Base):
    __tablename__ = "shipments"
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    logistic_order_id: Mapped[str] = mapped_column(ForeignKey("logistic_orders.id", ondelete="CASCADE"), index=True)
    carrier: Mapped[str] = mapped_column(String(100))
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    created_at = created_at()
    actor: Mapped[str | None] = mapped_column(String(254))  # the operator's email, as on order events


class ShipmentLine(Base):
    __tablename__ = "shipment_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)
    shipment_id: Mapped[str] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"), primary_key=True)
    order_line_id: Mapped[str] = mapped_column(
        ForeignKey("order_lines.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    quantity: Mapped[int] = mapped_column(Integer)


class Return(Base):
    __tablename__ = "returns"
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    logistic_order_id: Mapped[str] = mapped_column(ForeignKey("logistic_orders.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    created_at = created_at()
    actor: Mapped[str | None] = mapped_column(String(254))


class ReturnLine(Base):
    __tablename__ = "return_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)
    return_id: Mapped[str] = mapped_column(ForeignKey("returns.id", ondelete="CASCADE"), primary_key=True)
    order_line_id: Mapped[str] = mapped_column(
        ForeignKey("order_lines.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    quantity: Mapped[int] = mapped_column(Integer)
    restock: Mapped[bool] = mapped_column(Boolean)  # whether the units went back to the offer's stock
