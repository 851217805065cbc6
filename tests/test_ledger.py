"""The payment ledger (issue 21, scopes 1, 3 and the ledger side of 4), over real TCP with the sandbox provider
calling back, on both databases: what an approval writes, the amounts computed from it, and money received
for direct orders (recordPayment: parts, replays, overpayment, who may call it)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select, update

from app.http.payments import payment_config
from app.models import OutboxEvent, PaymentTransaction, utcnow
from app.sweeper import void_stale_once
from tests.support.gateway import Gateway
from tests.support.metrics import samples
from tests.support.payments import ORDER, PAY, cart_with, checkout, decide

LEDGER = """query($id: ID!) { order(id: $id) { id reference status paymentStatus total { amount }
  authorizedAmount { amount } capturedAmount { amount } refundedAmount { amount } outstandingAmount { amount }
  transactions { kind status amount { amount currency } reference } payments { status amount { amount } } } }"""
RECORD = """mutation($input: RecordPaymentInput!) { recordPayment(input: $input) {
  order { paymentStatus capturedAmount { amount } outstandingAmount { amount } }
  transaction { id kind status amount { amount } reference } errors { code field message } } }"""


def amounts(order: dict) -> tuple[str, ...]:
    names = ("authorizedAmount", "capturedAmount", "refundedAmount", "outstandingAmount")
    return tuple(order[n]["amount"] for n in names)


async def _ledger_rows(gw: Gateway, order_id: str) -> int:
    async with gw.session_factory() as s:
        return await s.scalar(
            select(func.count()).select_from(PaymentTransaction).where(PaymentTransaction.order_id == order_id)
        )


async def _event_types(gw: Gateway, order_id: str) -> list[str]:
    async with gw.session_factory() as s:
        rows = await s.scalars(
            select(OutboxEvent.event_type).where(OutboxEvent.aggregate_id == order_id).order_by(OutboxEvent.created_at)
        )
        return list(rows)


async def test_an_approved_card_payment_is_authorized_and_captured_in_the_ledger(
    live: Gateway, live_acme: dict, live_offers: dict
) -> None:
    await cart_with(live, live_acme, live_offers, {"NOTEBOOK": 10})
    order = (await checkout(live, live_acme))["result"]
    await decide(order["nextStep"], "approve")
    seen = (await live.data(LEDGER, {"id": order["order"]["id"]}, live_acme))["order"]
    total = seen["total"]["amount"]
    assert (seen["status"], seen["paymentStatus"]) == ("PLACED", "PAID")
    assert amounts(seen) == (total, total, "0.00", "0.00")
    assert [(t["kind"], t["status"], t["amount"]["amount"]) for t in seen["transactions"]] == [
        ("AUTHORIZATION", "SUCCEEDED", total),
        ("CAPTURE", "SUCCEEDED", total),
    ]
    assert all(t["reference"] and t["reference"].startswith("SBX-") for t in seen["transactions"])


async def test_a_manual_capture_method_only_authorizes(live: Gateway, live_acme: dict, live_offers: dict) -> None:
    await cart_with(live, live_acme, live_offers, {"NOTEBOOK": 10})
    order = (await checkout(live, live_acme, paymentMethodId="card-authorize"))["result"]
    await decide(order["nextStep"], "approve")
    seen = (await live.data(LEDGER, {"id": order["order"]["id"]}, live_acme))["order"]
    total = seen["total"]["amount"]
    assert (seen["status"], seen["paymentStatus"]) == ("PLACED", "AUTHORIZED")
    # held, not taken: the whole total is still to be collected
    assert amounts(seen) == (total, "0.00", "0.00", total)
    assert [t["kind"] for t in seen["transactions"]] == ["AUTHORIZATION"]
    assert await _event_types(live, seen["id"]) == ["order.placed", "payment.authorized"]


async def test_a_bank_wire_received_in_two_parts(
    live: Gateway, live_acme: dict, live_offers: dict, live_operator: dict
) -> None:
    await cart_with(live, live_acme, live_offers, {"NOTEBOOK": 10})
    placed = (await checkout(live, live_acme, paymentMethodId="bank-wire"))["result"]["order"]
    total = Decimal((await live.data(LEDGER, {"id": placed["id"]}, live_acme))["order"]["total"]["amount"])
    first_part = (total * Decimal("0.4")).quantize(Decimal("0.01"))
    assert (str(total), str(first_part)) == ("41.00", "16.40")  # the figures of docs/payments.md
    rest = total - first_part

    def wire(amount: Decimal, key: str, reference: str = "WIRE-1") -> dict:
        return {
            "orderId": placed["reference"].lower(),
            "amount": str(amount),
            "reference": reference,
            "idempotencyKey": key,
        }

    metric = ("gateway_payment_transactions_total", {"kind": "MANUAL", "status": "SUCCEEDED"})
    before = samples((await live.client.get("/metrics")).text, metric[0], **metric[1])
    first = (await live.data(RECORD, {"input": wire(first_part, "w1")}, live_operator))["recordPayment"]
    assert first["errors"] == [], first
    assert first["order"]["paymentStatus"] == "PARTIALLY_PAID"
    assert first["order"]["outstandingAmount"]["amount"] == str(rest)
    assert (first["transaction"]["kind"], first["transaction"]["status"]) == ("MANUAL", "SUCCEEDED")

    # a retry with the same key answers the first result and writes nothing
    again = (await live.data(RECORD, {"input": wire(first_part, "w1")}, live_operator))["recordPayment"]
    assert again["errors"] == [] and again["transaction"]["id"] == first["transaction"]["id"]
    assert await _ledger_rows(live, placed["id"]) == 1
    # the same key for another amount is refused
    reused = (await live.data(RECORD, {"input": wire(rest, "w1")}, live_operator))["recordPayment"]
    assert [e["code"] for e in reused["errors"]] == ["IDEMPOTENCY_KEY_REUSED"]
    # more than what is outstanding is refused, and nothing is written
    over = (await live.data(RECORD, {"input": wire(rest + Decimal("0.01"), "w2")}, live_operator))["recordPayment"]
    assert [(e["code"], e["field"]) for e in over["errors"]] == [("OVERPAYMENT", ["input", "amount"])]
    assert over["order"] is None and await _ledger_rows(live, placed["id"]) == 1

    second = (await live.data(RECORD, {"input": wire(rest, "w3", "WIRE-2")}, live_operator))["recordPayment"]
    assert second["errors"] == [], second
    # two entries written: the replay and the refusals count none
    assert samples((await live.client.get("/metrics")).text, metric[0], **metric[1]) == before + 2
    seen = (await live.data(LEDGER, {"id": placed["id"]}, live_acme))["order"]  # the buyer sees it too
    assert seen["paymentStatus"] == "PAID"
    assert amounts(seen) == (str(total), str(total), "0.00", "0.00")
    assert [(t["kind"], t["amount"]["amount"], t["reference"]) for t in seen["transactions"]] == [
        ("MANUAL", str(first_part), "WIRE-1"),
        ("MANUAL", str(rest), "WIRE-2"),
    ]
    assert [p["status"] for p in seen["payments"]] == ["APPROVED"]  # the direct attempt waited for this money
    assert await _event_types(live, placed["id"]) == [
        "order.placed",
        "payment.received",
        "payment.received",
        "order.paid",
    ]
    # nothing more can be received
    done = (await live.data(RECORD, {"input": wire(Decimal("0.01"), "w4")}, live_operator))["recordPayment"]
    assert [e["code"] for e in done["errors"]] == ["OVERPAYMENT"]


async def test_record_payment_is_for_operators_and_their_tenant_s_placed_orders(
    live: Gateway, live_acme: dict, live_offers: dict, live_operator: dict
) -> None:
    await cart_with(live, live_acme, live_offers, {"NOTEBOOK": 10})
    placed = (await checkout(live, live_acme, paymentMethodId="bank-wire"))["result"]["order"]
    given = {"orderId": placed["id"], "amount": "1.00", "idempotencyKey": "k"}
    refused = await live.gql(RECORD, {"input": given}, live_acme)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    unknown = (await live.data(RECORD, {"input": {**given, "orderId": "ORD-NOPE"}}, live_operator))["recordPayment"]
    assert [e["code"] for e in unknown["errors"]] == ["NOT_FOUND"]
    for bad in ("0", "-1.00", "1.005", "1e2", "abc"):
        answer = (await live.data(RECORD, {"input": {**given, "amount": bad}}, live_operator))["recordPayment"]
        assert [(e["code"], e["field"]) for e in answer["errors"]] == [("INVALID_INPUT", ["input", "amount"])], bad
    assert await _ledger_rows(live, placed["id"]) == 0


async def test_pay_order_after_a_part_was_received_asks_for_the_rest(
    live: Gateway, live_acme: dict, live_offers: dict, live_operator: dict
) -> None:
    await cart_with(live, live_acme, live_offers, {"NOTEBOOK": 10})
    placed = (await checkout(live, live_acme, paymentMethodId="bank-wire"))["result"]["order"]
    part = {"orderId": placed["id"], "amount": "10.00", "idempotencyKey": "cash"}
    assert (await live.data(RECORD, {"input": part}, live_operator))["recordPayment"]["errors"] == []
    paying = (await live.data(PAY, {"key": placed["reference"], "method": "card-redirect"}, live_acme))["payOrder"]
    assert paying["errors"] == [], paying
    await decide(paying["result"]["nextStep"], "approve")
    seen = (await live.data(LEDGER, {"id": placed["id"]}, live_acme))["order"]
    total = Decimal(seen["total"]["amount"])
    assert seen["payments"][-1]["amount"]["amount"] == str(total - Decimal("10.00"))
    assert seen["paymentStatus"] == "PAID" and amounts(seen) == (str(total), str(total), "0.00", "0.00")
    state = (await live.data(ORDER, {"id": placed["id"]}, live_acme))["order"]
    assert {lo["paymentStatus"] for lo in state["logisticOrders"]} == {"PAID"}


CAPTURE = """mutation($input: CapturePaymentInput!) { capturePayment(input: $input) {
  order { paymentStatus authorizedAmount { amount } capturedAmount { amount } outstandingAmount { amount } }
  transaction { id kind status amount { amount } reference } errors { code field message } } }"""


async def test_an_authorization_captured_in_two_parts(
    live: Gateway, live_acme: dict, live_offers: dict, live_operator: dict
) -> None:
    await cart_with(live, live_acme, live_offers, {"NOTEBOOK": 10})
    started = (await checkout(live, live_acme, paymentMethodId="card-authorize"))["result"]
    await decide(started["nextStep"], "approve")
    order_id = started["order"]["id"]
    total = Decimal(started["order"]["total"]["amount"])
    part = (total * Decimal("0.3")).quantize(Decimal("0.01"))

    def capture(key: str, amount: Decimal | None = None) -> dict:
        given = {"orderId": order_id, "idempotencyKey": key}
        return {"input": given if amount is None else {**given, "amount": str(amount)}}

    first = (await live.data(CAPTURE, capture("c1", part), live_operator))["capturePayment"]
    assert first["errors"] == [], first
    assert (first["transaction"]["kind"], first["transaction"]["status"]) == ("CAPTURE", "SUCCEEDED")
    assert first["transaction"]["reference"].startswith("CAP-")
    assert first["order"]["paymentStatus"] == "PARTIALLY_PAID"
    assert first["order"]["capturedAmount"]["amount"] == str(part)
    assert first["order"]["outstandingAmount"]["amount"] == str(total - part)
    replay = (await live.data(CAPTURE, capture("c1", part), live_operator))["capturePayment"]
    assert replay["transaction"]["id"] == first["transaction"]["id"]
    over = (await live.data(CAPTURE, capture("c2", total - part + Decimal("0.01")), live_operator))["capturePayment"]
    assert [(e["code"], e["field"]) for e in over["errors"]] == [("CAPTURE_EXCEEDS_AUTHORIZED", ["input", "amount"])]

    rest = (await live.data(CAPTURE, capture("c3"), live_operator))["capturePayment"]  # default: all that is held
    assert rest["errors"] == [] and rest["transaction"]["amount"]["amount"] == str(total - part)
    assert rest["order"]["paymentStatus"] == "PAID"
    assert amounts((await live.data(LEDGER, {"id": order_id}, live_acme))["order"]) == (
        str(total),
        str(total),
        "0.00",
        "0.00",
    )
    nothing = (await live.data(CAPTURE, capture("c4"), live_operator))["capturePayment"]
    assert [e["code"] for e in nothing["errors"]] == ["NOTHING_TO_CAPTURE"]
    assert await _event_types(live, order_id) == [
        "order.placed",
        "payment.authorized",
        "payment.captured",
        "payment.captured",
        "order.paid",
    ]


async def test_nothing_to_capture_on_an_automatic_or_unpaid_order(
    live: Gateway, live_acme: dict, live_offers: dict, live_operator: dict
) -> None:
    await cart_with(live, live_acme, live_offers, {"NOTEBOOK": 10})
    placed = (await checkout(live, live_acme, paymentMethodId="bank-wire"))["result"]["order"]
    answer = await live.data(CAPTURE, {"input": {"orderId": placed["id"], "idempotencyKey": "x"}}, live_operator)
    assert [e["code"] for e in answer["capturePayment"]["errors"]] == ["NOTHING_TO_CAPTURE"]
    refused = await live.gql(CAPTURE, {"input": {"orderId": placed["id"], "idempotencyKey": "x"}}, live_acme)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_sweep_voids_an_authorization_past_its_lifetime(
    live: Gateway, live_acme: dict, live_offers: dict
) -> None:
    await cart_with(live, live_acme, live_offers, {"NOTEBOOK": 10})
    started = (await checkout(live, live_acme, paymentMethodId="card-authorize"))["result"]
    await decide(started["nextStep"], "approve")
    order_id = started["order"]["id"]
    # as the sweep of `serve` runs it: no request, so no URL but the settings' (and the attempt's own page)
    config, lifetime = payment_config(live.settings, ""), timedelta(days=7)
    assert await void_stale_once(live.session_factory, config, lifetime) == 0  # authorized just now
    async with live.session_factory() as s, s.begin():
        await s.execute(
            update(PaymentTransaction)
            .where(PaymentTransaction.order_id == order_id)
            .values(created_at=utcnow() - timedelta(days=8))
        )
    assert await void_stale_once(live.session_factory, config, lifetime) == 1
    assert await void_stale_once(live.session_factory, config, lifetime) == 0  # nothing held any more
    seen = (await live.data(LEDGER, {"id": order_id}, live_acme))["order"]
    total = seen["total"]["amount"]
    assert (seen["status"], seen["paymentStatus"]) == ("PLACED", "VOIDED")
    assert [(t["kind"], t["status"], t["amount"]["amount"]) for t in seen["transactions"]] == [
        ("AUTHORIZATION", "SUCCEEDED", total),
        ("VOID", "SUCCEEDED", total),
    ]
    assert seen["transactions"][1]["reference"].startswith("VOID-")
    assert amounts(seen) == (total, "0.00", "0.00", total)  # still to be collected: the buyer may pay again
    assert await _event_types(live, order_id) == ["order.placed", "payment.authorized", "payment.voided"]
    again = (await live.data(PAY, {"key": seen["reference"], "method": "card-redirect"}, live_acme))["payOrder"]
    assert again["errors"] == [] and again["result"]["order"]["paymentStatus"] == "AUTHORIZATION_PENDING"
