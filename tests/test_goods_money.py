"""The money that moves with the goods (issue 21, scopes 4 and 7), over real TCP with the sandbox provider on
both databases: with the tenant flag CAPTURE_ON_SHIPMENT a `card-authorize` order is captured, logistic order
by logistic order, for exactly each one's share when it ships (the shipping with the first, the rest of what
is due with the last), a declined one is voided; a return with `refund: true` restocks and refunds its units
as refundOrder would, idempotently by key, and a refused refund refuses the return."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select, update

from app.models import Return, Tenant
from tests.support.documents import offer_ids
from tests.support.gateway import Gateway
from tests.support.refunds import (
    PROPOSAL,
    TRANSITION,
    ledger_rows,
    line_of,
    money,
    no_pending_refund,
    paid_order,
    stock_of,
    until,
)

LINES = {"NOTEBOOK": 10, "PEN-BLUE": 20}  # one logistic order each (SUP-NORD, SUP-SUD)
TO_SHIPMENT = ("WAITING_SUPPLIER_APPROVAL", "ACCEPTED_BY_SUPPLIER", "WAITING_SHIPMENT")
SHIP = """mutation($input: CreateShipmentInput!) { createShipment(input: $input) {
  shipment { id } logisticOrder { id status paymentStatus } errors { code message } } }"""
RETURN = """mutation($input: CreateReturnInput!) { createReturn(input: $input) {
  return { id lines { lineId quantity restock } } order { id paymentStatus refundedAmount { amount } }
  refundTransactions { id kind status amount { amount } refundLines { lineId quantity amount { amount } } }
  errors { code message field } } }"""


async def _flag(gw: Gateway, *flags: str) -> None:
    async with gw.session_factory() as s, s.begin():
        tenant = await s.scalar(select(Tenant).where(Tenant.external_id == "demo"))
        assert tenant is not None
        await s.execute(update(Tenant).where(Tenant.id == tenant.id).values(flags=sorted({*tenant.flags, *flags})))


def _logistic(order: dict, sku: str) -> dict:
    return next(lo for lo in order["logisticOrders"] if sku in {ln["sku"] for ln in lo["lines"]})


async def _move(gw: Gateway, operator: dict, lo_id: str, *steps: str) -> dict:
    for to in steps:
        moved = (await gw.data(TRANSITION, {"id": lo_id, "to": to}, operator))["transitionLogisticOrder"]
        assert moved["errors"] == [], moved
    return moved["logisticOrder"]


async def _ship_all(gw: Gateway, operator: dict, order: dict, sku: str) -> dict:
    lo = _logistic(order, sku)
    lines = [
        {"lineId": line_of(order, s), "quantity": LINES[s]} for s in LINES if s in {ln["sku"] for ln in lo["lines"]}
    ]
    inp = {"logisticOrderId": lo["id"], "lines": lines, "carrier": "DHL", "trackingNumber": "TRK-1"}
    return (await gw.data(SHIP, {"input": inp}, operator))["createShipment"]


async def _value(gw: Gateway, operator: dict, twin: dict, sku: str, *, shipping: bool) -> Decimal:
    """What the logistic order of `sku` is worth, as refundProposal values its units (and the shipping) on a
    captured twin of the order (the same lines and voucher, priced alike): nothing is captured to propose on an
    authorized order."""
    order = twin
    asked = {"id": order["id"], "lines": [{"lineId": line_of(order, sku), "quantity": LINES[sku]}]}
    proposal = (await gw.data(PROPOSAL, {**asked, "shipping": shipping}, operator))["refundProposal"]
    assert proposal["errors"] == [], proposal
    return Decimal(proposal["proposal"]["total"]["amount"])


async def test_captured_at_shipment_of_the_first_logistic_order_for_its_share_the_second_declined_and_voided(
    live_refunds: Gateway,
) -> None:
    gw = live_refunds
    await _flag(gw, "CAPTURE_ON_SHIPMENT")
    acme = await gw.as_user("buyer@acme.example")
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    offers = await offer_ids(gw, acme)
    twin = await paid_order(gw, acme, offers, LINES, voucher="WELCOME10")
    order = await paid_order(gw, acme, offers, LINES, method="card-authorize", voucher="WELCOME10")
    assert order["paymentStatus"] == "AUTHORIZED" and order["capturedAmount"]["amount"] == "0.00"
    assert order["total"] == twin["total"]
    nord, sud = _logistic(order, "NOTEBOOK"), _logistic(order, "PEN-BLUE")

    # NOTEBOOK's logistic order ships first: its units and the shipping are captured, nothing more
    await _move(gw, operator, nord["id"], *TO_SHIPMENT)
    share = await _value(gw, operator, twin, "NOTEBOOK", shipping=True)
    shipped = await _ship_all(gw, operator, order, "NOTEBOOK")
    assert shipped["errors"] == [] and shipped["logisticOrder"]["status"] == "SHIPPED", shipped
    assert shipped["logisticOrder"]["paymentStatus"] == "PARTIALLY_PAID"
    seen = await money(gw, operator, order["id"])
    [capture] = [t for t in seen["transactions"] if t["kind"] == "CAPTURE"]
    assert (capture["status"], Decimal(capture["amount"]["amount"]), capture["logisticOrderId"]) == (
        "SUCCEEDED",
        share,
        nord["id"],
    )
    total = Decimal(order["total"]["amount"])
    assert Decimal(seen["capturedAmount"]["amount"]) == share
    assert Decimal(seen["outstandingAmount"]["amount"]) == total - share
    assert seen["paymentStatus"] == "PARTIALLY_PAID"

    # the supplier of the pens declines: the rest of the authorization is voided, the order is paid for what ships
    await _move(gw, operator, sud["id"], "WAITING_SUPPLIER_APPROVAL", "DECLINED_BY_SUPPLIER")
    done = await money(gw, operator, order["id"])
    [void] = [t for t in done["transactions"] if t["kind"] == "VOID"]
    assert (void["status"], void["logisticOrderId"], Decimal(void["amount"]["amount"])) == (
        "SUCCEEDED",
        sud["id"],
        total - share,
    )
    assert (done["status"], done["paymentStatus"]) == ("PLACED", "PAID")
    assert Decimal(done["canceledAmount"]["amount"]) == total - share
    assert done["outstandingAmount"]["amount"] == "0.00"
    assert Decimal(done["authorizedAmount"]["amount"]) == total
    assert [t["kind"] for t in done["transactions"]].count("CAPTURE") == 1


async def test_the_last_logistic_order_to_ship_captures_the_rest_and_the_captures_add_up_to_the_total(
    live_refunds: Gateway,
) -> None:
    gw = live_refunds
    await _flag(gw, "CAPTURE_ON_SHIPMENT")
    acme = await gw.as_user("buyer@acme.example")
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    offers = await offer_ids(gw, acme)
    twin = await paid_order(gw, acme, offers, LINES, voucher="WELCOME10")
    order = await paid_order(gw, acme, offers, LINES, method="card-authorize", voucher="WELCOME10")
    sud, nord = _logistic(order, "PEN-BLUE"), _logistic(order, "NOTEBOOK")
    pens = await _value(gw, operator, twin, "PEN-BLUE", shipping=True)

    # the pens ship first this time, by a plain move to SHIPPED (no createShipment): they take the shipping
    await _move(gw, operator, sud["id"], *TO_SHIPMENT, "SHIPPED")
    first = await money(gw, operator, order["id"])
    assert Decimal(first["capturedAmount"]["amount"]) == pens
    await _move(gw, operator, nord["id"], *TO_SHIPMENT)
    assert (await _ship_all(gw, operator, order, "NOTEBOOK"))["errors"] == []
    done = await money(gw, operator, order["id"])
    captures = [t for t in done["transactions"] if t["kind"] == "CAPTURE"]
    assert [c["logisticOrderId"] for c in captures] == [sud["id"], nord["id"]]
    assert sum(Decimal(c["amount"]["amount"]) for c in captures) == Decimal(order["total"]["amount"])
    assert (done["paymentStatus"], done["outstandingAmount"]["amount"]) == ("PAID", "0.00")


async def test_without_the_flag_or_without_an_authorization_shipping_captures_nothing(live_refunds: Gateway) -> None:
    gw = live_refunds
    acme = await gw.as_user("buyer@acme.example")
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    offers = await offer_ids(gw, acme)
    order = await paid_order(gw, acme, offers, {"NOTEBOOK": 2}, method="card-authorize")
    await _move(gw, operator, order["logisticOrders"][0]["id"], *TO_SHIPMENT, "SHIPPED")
    seen = await money(gw, operator, order["id"])
    assert (seen["paymentStatus"], seen["capturedAmount"]["amount"]) == ("AUTHORIZED", "0.00")

    await _flag(gw, "CAPTURE_ON_SHIPMENT")  # an automatic capture holds nothing more to capture
    paid = await paid_order(gw, acme, offers, {"NOTEBOOK": 2})
    await _move(gw, operator, paid["logisticOrders"][0]["id"], *TO_SHIPMENT, "SHIPPED")
    after = await money(gw, operator, paid["id"])
    assert [t["kind"] for t in after["transactions"]] == [t["kind"] for t in paid["transactions"]]
    assert after["paymentStatus"] == "PAID"


async def test_a_return_refunded_now_restocks_and_refunds_what_the_proposal_shows(live_refunds: Gateway) -> None:
    gw = live_refunds
    acme = await gw.as_user("buyer@acme.example")
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    offers = await offer_ids(gw, acme)
    order = await paid_order(gw, acme, offers, LINES, voucher="WELCOME10")
    pen = line_of(order, "PEN-BLUE")
    await _move(gw, operator, _logistic(order, "PEN-BLUE")["id"], *TO_SHIPMENT)
    assert (await _ship_all(gw, operator, order, "PEN-BLUE"))["errors"] == []
    stock_before = await stock_of(gw, offers["PEN-BLUE"])
    asked = {"id": order["id"], "lines": [{"lineId": pen, "quantity": 5}]}
    proposal = (await gw.data(PROPOSAL, asked, operator))["refundProposal"]["proposal"]

    inp = {
        "orderId": order["reference"],
        "lines": [{"lineId": pen, "quantity": 5, "restock": True}],
        "reason": "wrong colour",
        "refund": True,
        "idempotencyKey": "rma-1",
    }
    first = (await gw.data(RETURN, {"input": inp}, operator))["createReturn"]
    assert first["errors"] == [], first
    [refund] = first["refundTransactions"]
    assert (refund["kind"], refund["amount"]["amount"]) == ("REFUND", proposal["total"]["amount"])
    assert refund["refundLines"] == [{"lineId": pen, "quantity": 5, "amount": proposal["lines"][0]["amount"]}]
    assert await stock_of(gw, offers["PEN-BLUE"]) == stock_before + 5

    settled = await until(gw, operator, order["id"], no_pending_refund)
    assert settled["refundedAmount"]["amount"] == proposal["total"]["amount"]
    assert settled["paymentStatus"] == "PARTIALLY_REFUNDED"

    # a replay answers the first return and its refund, and writes nothing
    rows = await ledger_rows(gw, order["id"])
    again = (await gw.data(RETURN, {"input": inp}, operator))["createReturn"]
    assert again["errors"] == [] and again["return"]["id"] == first["return"]["id"]
    assert [t["id"] for t in again["refundTransactions"]] == [refund["id"]]
    assert await ledger_rows(gw, order["id"]) == rows
    assert await stock_of(gw, offers["PEN-BLUE"]) == stock_before + 5
    async with gw.session_factory() as s:
        assert len((await s.scalars(select(Return.id).where(Return.order_id == order["id"]))).all()) == 1


async def test_a_return_whose_refund_is_refused_is_not_recorded(live_refunds: Gateway) -> None:
    gw = live_refunds
    acme = await gw.as_user("buyer@acme.example")
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    offers = await offer_ids(gw, acme)
    order = await paid_order(gw, acme, offers, {"NOTEBOOK": 2}, method="card-authorize")  # nothing captured
    nb = line_of(order, "NOTEBOOK")
    await _move(gw, operator, order["logisticOrders"][0]["id"], *TO_SHIPMENT)
    ship = {"logisticOrderId": order["logisticOrders"][0]["id"], "lines": [{"lineId": nb, "quantity": 2}]}
    assert (await gw.data(SHIP, {"input": {**ship, "carrier": "UPS"}}, operator))["createShipment"]["errors"] == []
    stock_before = await stock_of(gw, offers["NOTEBOOK"])
    rows = await ledger_rows(gw, order["id"])
    inp = {"orderId": order["id"], "lines": [{"lineId": nb, "quantity": 1, "restock": True}], "refund": True}
    no_key = (await gw.data(RETURN, {"input": inp}, operator))["createReturn"]
    assert [(e["code"], e["field"]) for e in no_key["errors"]] == [("INVALID_INPUT", ["input", "idempotencyKey"])]
    refused = (await gw.data(RETURN, {"input": {**inp, "idempotencyKey": "rma-2"}}, operator))["createReturn"]
    assert [e["code"] for e in refused["errors"]] == ["REFUND_EXCEEDS_CAPTURED"]
    assert refused["return"] is None and refused["refundTransactions"] == []
    assert await ledger_rows(gw, order["id"]) == rows
    assert await stock_of(gw, offers["NOTEBOOK"]) == stock_before
    async with gw.session_factory() as s:
        assert (await s.scalars(select(Return.id).where(Return.order_id == order["id"]))).all() == []
    # without a refund the same return is recorded (the refund can follow with refundOrder once captured)
    kept = (await gw.data(RETURN, {"input": {**inp, "refund": False}}, operator))["createReturn"]
    assert kept["errors"] == [] and kept["refundTransactions"] == []
    assert await stock_of(gw, offers["NOTEBOOK"]) == stock_before + 1
