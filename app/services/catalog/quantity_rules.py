"""Today's rules for one line: sellable offer (catalog.offers.unavailability), quantity sign, min / max /
pack size, stock."""

from __future__ import annotations

from dataclasses import dataclass

from app.services.catalog.offers import OfferInfo, unavailability
from app.services.common.errors import ErrorCode, Problem
from app.services.common.money import MAX_QUANTITY


@dataclass(frozen=True)
class ExtraLimits:
    """Limits a start source adds on top of the offer's own (an operation line's min and max)."""

    min_quantity: int | None = None
    max_quantity: int | None = None


def check_line(
    info: OfferInfo | None,
    quantity: int,
    *,
    stock_check: bool,
    extra: ExtraLimits | None = None,
    index: int | None = None,
    line_id: str | None = None,
    field: tuple[str, ...] | None = None,
) -> list[Problem]:
    """Every problem that keeps this quantity of this offer from being bought now. Empty when fine."""

    def p(code: ErrorCode, message: str) -> Problem:
        return Problem(code, message, index=index, line_id=line_id, field=field)

    if quantity <= 0:
        return [p(ErrorCode.INVALID_QUANTITY, "quantity must be a positive integer")]
    if quantity > MAX_QUANTITY:  # keeps a line's total within the BIGINT minor-unit columns
        return [p(ErrorCode.INVALID_QUANTITY, f"quantity must be at most {MAX_QUANTITY}")]
    # Stock is checked below against the quantity, which says more than "out of stock".
    why = unavailability(info, stock_check=False)
    if why is not None:
        return [p(why.code, why.message)]
    assert info is not None and info.price is not None
    price = info.price
    problems: list[Problem] = []
    minimum = max(price.min_quantity, (extra.min_quantity or 0) if extra else 0)
    maxima = [m for m in (price.max_quantity, extra.max_quantity if extra else None) if m is not None]
    if quantity < minimum:
        problems.append(p(ErrorCode.QUANTITY_BELOW_MIN, f"{info.variant.sku}: at least {minimum} units"))
    if maxima and quantity > min(maxima):
        problems.append(p(ErrorCode.QUANTITY_ABOVE_MAX, f"{info.variant.sku}: at most {min(maxima)} units"))
    if quantity % price.pack_size:
        problems.append(
            p(ErrorCode.QUANTITY_NOT_PACK_MULTIPLE, f"{info.variant.sku}: sold by packs of {price.pack_size}")
        )
    if stock_check and quantity > info.offer.stock:
        problems.append(
            p(ErrorCode.INSUFFICIENT_STOCK, f"{info.variant.sku}: only {max(info.offer.stock, 0)} in stock")
        )
    return problems
