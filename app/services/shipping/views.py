"""A shipment or a return as it is shown and handed on: the row and its lines (with each order line's SKU), and
the input checks both share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.models import Return, Shipment
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.ids import valid_id
from app.services.common.inputs import too_many
from app.services.common.money import MAX_QUANTITY

MAX_LINES = 200  # lines per shipment or return: a logistic order rarely has more
MAX_LABEL = 100  # carrier, tracking number


@dataclass(frozen=True)
class PartLine:
    """A line of a shipment or a return: which order line, how many units; `restock` for a return's line."""

    order_line_id: str
    quantity: int
    sku: str
    restock: bool | None = None


@dataclass(frozen=True)
class ShipmentView:
    shipment: Shipment
    lines: list[PartLine]

    def payload(self) -> dict[str, Any]:
        """The `shipment` of the `order.shipped` webhook (docs/operations.md)."""
        s = self.shipment
        return {
            "id": s.id,
            "logisticOrderId": s.logistic_order_id,
            "carrier": s.carrier,
            "trackingNumber": s.tracking_number,
            "createdAt": s.created_at.isoformat(),
            "lines": [{"lineId": ln.order_line_id, "sku": ln.sku, "quantity": ln.quantity} for ln in self.lines],
        }


@dataclass(frozen=True)
class ReturnView:
    ret: Return
    lines: list[PartLine]

    def payload(self) -> dict[str, Any]:
        """The `return` of the `order.returned` webhook (docs/operations.md)."""
        r = self.ret
        return {
            "id": r.id,
            "logisticOrderId": r.logistic_order_id,
            "reason": r.reason,
            "createdAt": r.created_at.isoformat(),
            "lines": [
                {"lineId": ln.order_line_id, "sku": ln.sku, "quantity": ln.quantity, "restock": ln.restock}
                for ln in self.lines
            ],
        }


def check_lines(line_ids: Sequence[str], quantities: Sequence[int]) -> None:
    """The shape of the requested lines, before anything is read: some lines, each named once, each quantity
    positive (and within a line's bounds). Every problem is reported at once, by input index."""
    if not line_ids:
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, "at least one line", field=("input", "lines")))
    too_many(line_ids, MAX_LINES, "lines")
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, (line_id, quantity) in enumerate(zip(line_ids, quantities, strict=True)):
        if line_id in seen:
            problems.append(
                Problem(ErrorCode.INVALID_INPUT, "the line is named twice", ("input", "lines"), index, line_id)
            )
        seen.add(line_id)
        if not 0 < quantity <= MAX_QUANTITY:
            problems.append(
                Problem(
                    ErrorCode.INVALID_QUANTITY,
                    f"quantity must be between 1 and {MAX_QUANTITY}",
                    ("input", "lines", "quantity"),
                    index,
                    line_id if valid_id(line_id) else None,
                )
            )
    if problems:
        raise Refusal(*problems)


def label(value: str | None, name: str, *, required: bool) -> str | None:
    """A carrier or tracking number: trimmed, at most MAX_LABEL characters; blank is none."""
    text = (value or "").strip() or None
    if text is None and required:
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, f"{name} is required", field=("input", name)))
    if text is not None and len(text) > MAX_LABEL:
        raise Refusal(
            Problem(ErrorCode.INVALID_INPUT, f"{name} is limited to {MAX_LABEL} characters", field=("input", name))
        )
    return text


def unknown_lines(line_ids: Sequence[str], known: set[str], what: str) -> list[Problem]:
    """NOT_FOUND for each requested line that is not one of `known` (as an id that names nothing)."""
    return [
        Problem(
            ErrorCode.NOT_FOUND,
            f"line not found in this {what}",
            field=("input", "lines", "lineId"),
            index=index,
            line_id=line_id if valid_id(line_id) else None,
        )
        for index, line_id in enumerate(line_ids)
        if line_id not in known
    ]
