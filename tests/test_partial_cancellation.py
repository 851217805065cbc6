"""Partial cancellations (issue 21, scope 6), over real TCP with the sandbox provider on both databases: a
supplier declining (or an operator canceling) one of two logistic orders refunds exactly its share when the
money was captured, voids it when it was only authorized, takes it off what is due when nothing was paid;
its stock goes back and the rest of the order stays live."""

from __future__ import annotations

from decimal import Decimal

from tests.support.documents import offer_ids
from tests.support.gateway import Gateway
from tests.support.payments import cart_with, checkout
from tests.support.refunds import (
    PROPOSAL,
    RECORD,
    REFUND,
    TRANSITION,
    line_of,
    money,
    no_pending_refund,
    paid_order,
    stock_of,
    until,
)

# NOTEBOOK comes from SUP-NORD, PEN-BLUE (10 % off with PENS-10) from SUP-SUD: one logistic order each
LINES = {"NOTEBOOK": 10, "PEN-BLUE": 20}


def _logistic(order: dict, sku: str) -> dict:
    return next(lo for lo in order["logisticOrders"] if sku in {ln["sku"] for ln in lo["lines"]})


async def _end(gw: Gateway, operator: dict, logistic_id: str, to: str) -> dict:
    steps = ["WAITING_SUPPLIER_APPROVAL", to] if to == "DECLINED_BY_SUPPLIER" else [to]
    for step in steps:
        moved = (await gw.data(TRANSITION, {"id": logistic_id, "to": step}, operator))["transitionLogisticOrder"]
        assert moved["errors"] == [], moved
    return moved["logisticOrder"]


async def test_a_supplier_declining_one_of_two_logistic_orders_refunds_exactly_its_share(
    live_refunds: Gateway,
) -> None:
    gw = live_refunds
    acme = await gw.as_user("buyer@acme.example")
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    offers = await offer_ids(gw, acme)
    pens_before = await stock_of(gw, offers["PEN-BLUE"])
    order = await paid_order(gw, acme, offers, LINES, voucher="WELCOME10")
    assert len(order["logisticOrders"]) == 2 and order["paymentStatus"] == "PAID"
    pen, sud, nord = line_of(order, "PEN-BLUE"), _logistic(order, "PEN-BLUE"), _logistic(order, "NOTEBOOK")
    # what the pens are worth, as refundProposal values them (the other logistic order keeps the shipping)
    asked = {"id": order["id"], "lines": [{"lineId": pen, "quantity": 20}]}
    share = (await gw.data(PROPOSAL, asked, operator))["refundProposal"]["proposal"]
    # docs/payments.md's worked example shows these figures
    assert (share["total"]["amount"], order["total"]["amount"]) == ("23.33", "60.73")

    declined = await _end(gw, operator, sud["id"], "DECLINED_BY_SUPPLIER")
    assert declined["status"] == "DECLINED_BY_SUPPLIER"
    assert await stock_of(gw, offers["PEN-BLUE"]) == pens_before  # its stock is back
    seen = await until(gw, operator, order["id"], no_pending_refund)
    [refund] = [t for t in seen["transactions"] if t["kind"] == "REFUND"]
    assert (refund["status"], refund["amount"]["amount"], refund["logisticOrderId"]) == (
        "SUCCEEDED",
        share["total"]["amount"],
        sud["id"],
    )
    assert refund["shippingAmount"]["amount"] == "0.00"
    assert refund["refundLines"] == [{"lineId": pen, "quantity": 20, "amount": share["lines"][0]["amount"]}]
    assert (seen["status"], seen["paymentStatus"]) == ("PLACED", "PARTIALLY_REFUNDED")
    assert seen["canceledAmount"]["amount"] == seen["refundedAmount"]["amount"] == share["total"]["amount"]
    assert seen["outstandingAmount"]["amount"] == "0.00"
    assert {lo["id"]: lo["status"] for lo in seen["logisticOrders"]} == {
        sud["id"]: "DECLINED_BY_SUPPLIER",
        nord["id"]: "ORDER_CREATED",
    }
    assert "LOGISTIC_SHARE_CANCELED" in [e["type"] for e in seen["events"]]
    # its lines are settled: refundOrder refuses them
    again = {"orderId": order["id"], "lines": asked["lines"], "idempotencyKey": "again"}
    refused = (await gw.data(REFUND, {"input": again}, operator))["refundOrder"]
    assert [e["code"] for e in refused["errors"]] == ["LINE_CANCELED"]

    # the last logistic order canceled: its share and the shipping, and the order is canceled
    await _end(gw, operator, nord["id"], "CANCELED")
    done = await until(gw, operator, order["id"], no_pending_refund)
    total = order["total"]["amount"]
    assert (done["status"], done["paymentStatus"]) == ("CANCELED", "REFUNDED")
    assert done["refundedAmount"]["amount"] == done["canceledAmount"]["amount"] == total
    last = [t for t in done["transactions"] if t["kind"] == "REFUND"][-1]
    assert (last["logisticOrderId"], last["shippingAmount"]["amount"]) == (nord["id"], "5.00")


async def test_an_authorized_order_s_logistic_order_canceled_voids_its_share(live_refunds: Gateway) -> None:
    gw = live_refunds
    acme = await gw.as_user("buyer@acme.example")
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    offers = await offer_ids(gw, acme)
    order = await paid_order(gw, acme, offers, LINES, method="card-authorize")
    assert order["paymentStatus"] == "AUTHORIZED"
    pen, sud, nord = line_of(order, "PEN-BLUE"), _logistic(order, "PEN-BLUE"), _logistic(order, "NOTEBOOK")
    value = (await gw.data(PROPOSAL, {"id": order["id"], "lines": [{"lineId": pen, "quantity": 20}]}, operator))[
        "refundProposal"
    ]
    assert [e["code"] for e in value["errors"]] == ["REFUND_EXCEEDS_CAPTURED"]  # nothing captured to refund
    await _end(gw, operator, sud["id"], "CANCELED")
    seen = await money(gw, operator, order["id"])
    [void] = [t for t in seen["transactions"] if t["kind"] == "VOID"]
    assert (void["status"], void["logisticOrderId"]) == ("SUCCEEDED", sud["id"])
    assert (seen["status"], seen["paymentStatus"]) == ("PLACED", "AUTHORIZED")
    total, share = Decimal(order["total"]["amount"]), Decimal(void["amount"]["amount"])
    assert seen["canceledAmount"]["amount"] == str(share)
    assert seen["outstandingAmount"]["amount"] == str(total - share)  # the rest is held, to capture at shipment
    await _end(gw, operator, nord["id"], "CANCELED")
    seen = await money(gw, operator, order["id"])
    assert (seen["status"], seen["paymentStatus"]) == ("CANCELED", "VOIDED")
    voids = [Decimal(t["amount"]["amount"]) for t in seen["transactions"] if t["kind"] == "VOID"]
    assert sum(voids) == total and seen["capturedAmount"]["amount"] == "0.00"


async def test_an_unpaid_order_s_logistic_order_canceled_is_no_longer_due(live_refunds: Gateway) -> None:
    gw = live_refunds
    acme = await gw.as_user("buyer@acme.example")
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    offers = await offer_ids(gw, acme)
    await cart_with(gw, acme, offers, LINES)
    placed = (await checkout(gw, acme, paymentMethodId="bank-wire"))["result"]["order"]
    order = await money(gw, acme, placed["id"])
    total = Decimal(order["total"]["amount"])
    part = {"orderId": order["id"], "amount": "10.00", "idempotencyKey": "deposit"}
    assert (await gw.data(RECORD, {"input": part}, operator))["recordPayment"]["errors"] == []
    pen, sud = line_of(order, "PEN-BLUE"), _logistic(order, "PEN-BLUE")
    await _end(gw, operator, sud["id"], "DECLINED_BY_SUPPLIER")
    seen = await money(gw, operator, order["id"])
    share = Decimal(seen["canceledAmount"]["amount"])
    assert 0 < share < total
    # the deposit does not exceed what the rest costs: nothing to give back, less to collect
    assert [t["kind"] for t in seen["transactions"]] == ["MANUAL"]
    assert seen["outstandingAmount"]["amount"] == str(total - share - Decimal("10.00"))
    assert seen["paymentStatus"] == "PARTIALLY_PAID"
    rest = {"orderId": order["id"], "amount": seen["outstandingAmount"]["amount"], "idempotencyKey": "rest"}
    paid = (await gw.data(RECORD, {"input": rest}, operator))["recordPayment"]
    assert paid["errors"] == [] and paid["order"]["paymentStatus"] == "PAID"
    # the declined pens were never paid for: they cannot be refunded
    asked = {"orderId": order["id"], "lines": [{"lineId": pen, "quantity": 1}], "idempotencyKey": "pen"}
    refused = (await gw.data(REFUND, {"input": asked}, operator))["refundOrder"]
    assert [(e["code"], e["lineId"]) for e in refused["errors"]] == [("LINE_CANCELED", pen)]
