"""What a placed order shows that is derived rather than stored (app/services/orders/views.py), called as plain
functions: no database, no HTTP. The schema answers `OrderLine.unitPriceAfterDiscount` and `Order.voucher` with
them as they are."""

from __future__ import annotations

from types import SimpleNamespace

from app import models
from app.services.orders.views import FrozenVoucher, frozen_voucher, unit_price_after_discount


def line(quantity: int, unit: int, total: int) -> SimpleNamespace:
    # A listing's line is a plain column row: only these attributes are read.
    return SimpleNamespace(quantity=quantity, unit_amount=unit, total_amount=total)


def test_unit_price_after_discount_is_the_frozen_total_over_the_quantity_half_up() -> None:
    assert unit_price_after_discount(line(3, 400, 1000)) == 333  # 333.33
    assert unit_price_after_discount(line(2, 600, 1001)) == 501  # 500.5: half up
    assert unit_price_after_discount(line(4, 250, 1000)) == 250  # no discount: the unit price
    assert unit_price_after_discount(line(10, 120, 1080)) == 108  # 10 % off


def test_unit_price_after_discount_of_a_line_without_quantity_is_its_unit_price() -> None:
    assert unit_price_after_discount(line(0, 480, 0)) == 480


def test_unit_price_after_discount_reads_an_orm_line_too() -> None:
    orm = models.OrderLine(quantity=3, unit_amount=500, discount_amount=150, tax_amount=270, total_amount=1350)
    assert unit_price_after_discount(orm) == 450


def voucher(vid: str = "v1", code: str = "WELCOME10") -> models.Voucher:
    return models.Voucher(id=vid, code=code, code_ci=code.lower(), usage="MULTIPLE")


def order(voucher_id: str | None, discount: int) -> SimpleNamespace:
    return SimpleNamespace(voucher_id=voucher_id, voucher_discount_amount=discount)


def test_frozen_voucher_shows_the_code_and_the_discount_frozen_with_the_order() -> None:
    # The discount is the order's frozen amount, whatever the voucher would give today.
    assert frozen_voucher(order("v1", 1234), voucher()) == FrozenVoucher(code="WELCOME10", discount=1234)
    # Applied but not qualifying at placement: shown, with nothing off.
    assert frozen_voucher(order("v1", 0), voucher()) == FrozenVoucher(code="WELCOME10", discount=0)


def test_an_order_without_a_voucher_shows_none() -> None:
    assert frozen_voucher(order(None, 0), None) is None
    assert frozen_voucher(order(None, 0), voucher()) is None


def test_a_voucher_whose_row_is_gone_shows_no_invented_code() -> None:
    # The order keeps the voucher's id only: with the row gone there is no code to show (formerly "?").
    assert frozen_voucher(order("v1", 500), None) is None


def test_a_voucher_row_of_another_id_is_not_taken_for_the_orders() -> None:
    assert frozen_voucher(order("v1", 500), voucher(vid="v2", code="OTHER")) is None
