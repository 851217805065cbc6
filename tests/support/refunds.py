"""Documents and steps of the refund tests (issue 21, scopes 5 and 6): an order paid through the sandbox, the
refund documents, and waiting for the sandbox's delayed refund callback by polling the order."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable

from sqlalchemy import func, select

from app.models import Offer, OrderEvent, PaymentTransaction, RefundLine
from app.services.payments.signing import sign
from app.settings import DEV_SANDBOX_SECRET
from tests.support.gateway import Gateway
from tests.support.payments import cart_with, checkout, decide

MONEY = """query($id: ID!) { order(id: $id) { id reference status paymentStatus
  total { amount } shippingTotal { amount } canceledAmount { amount } authorizedAmount { amount }
  capturedAmount { amount } refundedAmount { amount } outstandingAmount { amount }
  lines { id sku quantity }
  logisticOrders { id reference status paymentStatus total { amount } lines { id sku } }
  payments { id status }
  transactions { id kind status amount { amount } shippingAmount { amount } reason failure logisticOrderId
    refundLines { lineId quantity amount { amount } } }
  events { type detail } } }"""
REFUND = """mutation($input: RefundOrderInput!) { refundOrder(input: $input) {
  order { id paymentStatus refundedAmount { amount } }
  transaction { id kind status amount { amount } shippingAmount { amount } reason
    refundLines { lineId quantity amount { amount } } }
  transactions { id status amount { amount } }
  errors { code field message lineId } } }"""
PROPOSAL = """query($id: ID!, $lines: [RefundLineInput!], $shipping: Boolean, $amount: Decimal) {
  refundProposal(orderId: $id, lines: $lines, shipping: $shipping, amount: $amount) {
    proposal { total { amount } shipping { amount } refundable { amount } sources { paymentId amount { amount } }
      lines { lineId quantity firstUnit unitPrice { amount } gross { amount } promotion { amount }
        voucher { amount } orderPromotion { amount } tax { amount } amount { amount } } }
    errors { code field message lineId } } }"""
CANCEL = """mutation($id: ID!) { cancelOrder(id: $id, reason: "customer called") {
  order { status paymentStatus } errors { code message } } }"""
TRANSITION = """mutation($id: ID!, $to: LogisticOrderStatus!) { transitionLogisticOrder(id: $id, to: $to) {
  logisticOrder { id status paymentStatus } errors { code message } } }"""
APPLY_VOUCHER = """mutation($id: ID!, $code: String!) { applyVoucher(draftOrderId: $id, code: $code) {
  errors { code message } } }"""
RECORD = """mutation($input: RecordPaymentInput!) { recordPayment(input: $input) {
  order { paymentStatus } errors { code message } } }"""
REFUND_CALLBACK = "/payments/sandbox/refund-callback"


async def paid_order(
    gw: Gateway,
    buyer: dict,
    offers: dict[str, str],
    lines: dict[str, int],
    *,
    voucher: str | None = None,
    method: str = "card-redirect",
) -> dict:
    """The buyer's cart with `lines` (and `voucher`), checked out with a sandbox method and approved on its
    page: the order as MONEY reads it."""
    cart = await cart_with(gw, buyer, offers, lines)
    if voucher is not None:
        applied = (await gw.data(APPLY_VOUCHER, {"id": cart["id"], "code": voucher}, buyer))["applyVoucher"]
        assert applied["errors"] == [], applied
    result = (await checkout(gw, buyer, paymentMethodId=method))["result"]
    answer = await decide(result["nextStep"], "approve")
    assert "status=APPROVED" in answer.headers["location"], answer.headers
    return await money(gw, buyer, result["order"]["id"])


async def wired_order(gw: Gateway, buyer: dict, offers: dict[str, str], lines: dict[str, int], operator: dict) -> dict:
    """The buyer's cart with `lines` checked out with bank-wire, its total received (recordPayment): PAID with
    money received outside a provider."""
    await cart_with(gw, buyer, offers, lines)
    placed = (await checkout(gw, buyer, paymentMethodId="bank-wire"))["result"]["order"]
    total = (await money(gw, buyer, placed["id"]))["total"]["amount"]
    wire = {"orderId": placed["id"], "amount": total, "reference": "WIRE", "idempotencyKey": "wire"}
    received = (await gw.data(RECORD, {"input": wire}, operator))["recordPayment"]
    assert received["errors"] == [] and received["order"]["paymentStatus"] == "PAID", received
    return await money(gw, buyer, placed["id"])


async def money(gw: Gateway, headers: dict, order_id: str) -> dict:
    return (await gw.data(MONEY, {"id": order_id}, headers))["order"]


async def until(
    gw: Gateway, headers: dict, order_id: str, done: Callable[[dict], bool], *, seconds: float = 30
) -> dict:
    """Poll the order until `done(order)` (the sandbox settles a refund with a delayed callback), then read it
    once more: one read's statements may straddle the callback's commit on PostgreSQL (READ COMMITTED), the
    order row from before it and the ledger from after."""
    deadline = time.monotonic() + seconds
    while True:
        order = await money(gw, headers, order_id)
        if done(order):
            return await money(gw, headers, order_id)
        assert time.monotonic() < deadline, f"not settled in {seconds} s: {order['transactions']}"
        await asyncio.sleep(0.05)


def no_pending_refund(order: dict) -> bool:
    return not any(t["kind"] == "REFUND" and t["status"] == "PENDING" for t in order["transactions"])


def line_of(order: dict, sku: str) -> str:
    return next(ln["id"] for ln in order["lines"] if ln["sku"] == sku)


async def ledger_rows(gw: Gateway, order_id: str) -> tuple[int, int, int]:
    """(ledger entries, refund lines, order events) of the order: what a refused call must leave unchanged."""
    async with gw.session_factory() as s:
        txs = await s.scalar(
            select(func.count()).select_from(PaymentTransaction).where(PaymentTransaction.order_id == order_id)
        )
        lines = await s.scalar(
            select(func.count())
            .select_from(RefundLine)
            .join(PaymentTransaction, PaymentTransaction.id == RefundLine.transaction_id)
            .where(PaymentTransaction.order_id == order_id)
        )
        events = await s.scalar(select(func.count()).select_from(OrderEvent).where(OrderEvent.order_id == order_id))
        return txs, lines, events


async def stock_of(gw: Gateway, offer_id: str) -> int:
    async with gw.session_factory() as s:
        return await s.scalar(select(Offer.stock).where(Offer.id == offer_id))


def refund_callback(
    refund_id: str, order_key: str, amount: str, *, status: str = "SUCCEEDED", secret: str = DEV_SANDBOX_SECRET
) -> tuple[bytes, dict]:
    """A refund callback as the sandbox signs it (app/http/sandbox_psp.py `_settle_refund`)."""
    body = json.dumps(
        {
            "type": "refund",
            "refundId": refund_id,
            "reference": "RFD-TEST",
            "orderKey": order_key,
            "status": status,
            "failure": None if status == "SUCCEEDED" else "refused in a test",
            "amount": amount,
            "currency": "EUR",
            "timestamp": int(time.time()),
        }
    ).encode()
    return body, {"content-type": "application/json", "x-sandbox-signature": sign(secret, body)}
