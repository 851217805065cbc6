"""The logistic order state machine (SPEC section 6) as an explicit, forward-only transition table."""

from __future__ import annotations

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "ORDER_CREATED": ("WAITING_SUPPLIER_APPROVAL", "CANCELED"),
    "WAITING_SUPPLIER_APPROVAL": ("ACCEPTED_BY_SUPPLIER", "DECLINED_BY_SUPPLIER", "CANCELED"),
    "ACCEPTED_BY_SUPPLIER": ("WAITING_SHIPMENT", "CANCELED"),
    "WAITING_SHIPMENT": ("PARTIALLY_SHIPPED", "SHIPPED", "CANCELED"),
    "PARTIALLY_SHIPPED": ("SHIPPED",),
    "SHIPPED": ("COMPLETED",),
    "DECLINED_BY_SUPPLIER": (),
    "COMPLETED": (),
    "CANCELED": (),
}

# Before any of these, nothing has left the warehouse: the order can still be canceled.
BEFORE_SHIPMENT = ("ORDER_CREATED", "WAITING_SUPPLIER_APPROVAL", "ACCEPTED_BY_SUPPLIER", "WAITING_SHIPMENT")


def next_statuses(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())
