"""Money that cannot be lost by crossing paths (issue 21, scopes 2 and 6), over real TCP with the sandbox provider
calling back, on both databases: a cancellation and an approval never leave an order CANCELED with its money
kept (an approval that comes first is refunded by the cancellation), a paid order canceled is refunded, at most
one attempt of an order is live, and a callback's amount goes through the one strict money parser."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from sqlalchemy import select

from app.models import OutboxEvent, Payment
from tests.support.documents import offer_ids
from tests.support.gateway import Gateway
from tests.support.payments import CALLBACK, ORDER, PAY, cart_with, checkout, decide, pending, served, signed_callback
from tests.support.refunds import money, no_pending_refund, until

CANCEL = """mutation($id: ID!) { cancelOrder(id: $id, reason: "customer called") {
  order { status paymentStatus } errors { code message } } }"""


async def _attempts(gw: Gateway, order_id: str) -> list[str]:
    async with gw.session_factory() as s:
        rows = await s.scalars(select(Payment.status).where(Payment.order_id == order_id).order_by(Payment.created_at))
        return list(rows)


async def _paid_events(gw: Gateway, order_id: str) -> int:
    async with gw.session_factory() as s:
        rows = await s.scalars(select(OutboxEvent.event_type).where(OutboxEvent.aggregate_id == order_id))
        return sum(1 for t in rows if t == "order.paid")


async def _placed_and_paying(gw: Gateway, acme: dict, offers: dict) -> tuple[dict, str]:
    """Placed with pay-on-delivery, then paid by card through payOrder: (the order, the card page's URL)."""
    await cart_with(gw, acme, offers, {"NOTEBOOK": 10})
    order = (await checkout(gw, acme, paymentMethodId="pay-on-delivery"))["result"]["order"]
    paying = (await gw.data(PAY, {"key": order["reference"], "method": "card-redirect"}, acme))["payOrder"]
    assert paying["errors"] == [], paying
    return order, paying["result"]["nextStep"]


async def test_an_approval_after_the_cancellation_never_makes_the_order_paid(database_url: str) -> None:
    async with served(database_url) as gw:
        acme = await gw.as_user("buyer@acme.example")
        operator = await gw.as_user("operator@demo.example", client="OPERATOR")
        offers = await offer_ids(gw, acme)
        order, page = await _placed_and_paying(gw, acme, offers)
        canceled = (await gw.data(CANCEL, {"id": order["id"]}, operator))["cancelOrder"]
        assert canceled["errors"] == [] and canceled["order"]["status"] == "CANCELED"
        await decide(page, "approve")  # the buyer, still on the page: the provider's approval comes in late
        state = (await gw.data(ORDER, {"id": order["id"]}, acme))["order"]
        assert (state["status"], state["paymentStatus"]) == ("CANCELED", "AWAITING_PAYMENT")
        # the direct attempt ended when the card attempt started, the card attempt with the order
        assert await _attempts(gw, order["id"]) == ["CANCELED", "CANCELED"]
        assert await _paid_events(gw, order["id"]) == 0


async def test_a_cancellation_racing_an_approval_never_ends_canceled_and_paid(database_url: str) -> None:
    outcomes: dict[tuple[str, str], int] = {}
    async with served(database_url) as gw:
        acme = await gw.as_user("buyer@acme.example")
        operator = await gw.as_user("operator@demo.example", client="OPERATOR")
        offers = await offer_ids(gw, acme)
        for _ in range(5):
            order, page = await _placed_and_paying(gw, acme, offers)
            await asyncio.gather(gw.gql(CANCEL, {"id": order["id"]}, operator), decide(page, "approve"))
            state = await money(gw, acme, order["id"])
            key = (state["status"], state["paymentStatus"])
            outcomes[key] = outcomes.get(key, 0) + 1
            # the cancellation first: nothing taken; the approval first: paid, then canceled and refunded
            assert key in {("CANCELED", "AWAITING_PAYMENT"), ("CANCELED", "PAID"), ("CANCELED", "REFUNDED")}, key
            refunds = [t for t in state["transactions"] if t["kind"] == "REFUND" and t["status"] != "FAILED"]
            assert sum(Decimal(t["amount"]["amount"]) for t in refunds) == Decimal(state["capturedAmount"]["amount"])
            assert (await _paid_events(gw, order["id"])) == (0 if key == ("CANCELED", "AWAITING_PAYMENT") else 1)
    print(f"cancel vs approve, 5 races: {outcomes}")


async def test_a_paid_order_canceled_is_refunded_in_full(database_url: str) -> None:
    async with served(database_url, sandbox_refund_delay_seconds=0.1) as gw:
        acme = await gw.as_user("buyer@acme.example")
        operator = await gw.as_user("operator@demo.example", client="OPERATOR")
        offers = await offer_ids(gw, acme)
        await cart_with(gw, acme, offers, {"NOTEBOOK": 10})
        result = (await checkout(gw, acme))["result"]
        await decide(result["nextStep"], "approve")
        canceled = (await gw.data(CANCEL, {"id": result["order"]["id"]}, operator))["cancelOrder"]
        assert canceled["errors"] == [] and canceled["order"]["status"] == "CANCELED"
        # the refund is asked for in the cancellation's unit of work and settled by the provider's signed callback
        state = await until(gw, acme, result["order"]["id"], no_pending_refund)
        total = state["total"]["amount"]
        assert (state["status"], state["paymentStatus"]) == ("CANCELED", "REFUNDED")
        assert state["refundedAmount"]["amount"] == state["capturedAmount"]["amount"] == total
        assert [(t["kind"], t["status"]) for t in state["transactions"]] == [
            ("AUTHORIZATION", "SUCCEEDED"),
            ("CAPTURE", "SUCCEEDED"),
            ("REFUND", "SUCCEEDED"),
        ]


async def test_a_new_attempt_ends_the_pending_ones(database_url: str) -> None:
    async with served(database_url) as gw:
        acme = await gw.as_user("buyer@acme.example")
        offers = await offer_ids(gw, acme)
        await cart_with(gw, acme, offers, {"NOTEBOOK": 10})
        order = (await checkout(gw, acme, paymentMethodId="bank-wire"))["result"]["order"]
        assert await _attempts(gw, order["id"]) == ["PENDING"]
        again = (await gw.data(PAY, {"key": order["reference"], "method": "pay-on-delivery"}, acme))["payOrder"]
        assert again["errors"] == []
        assert await _attempts(gw, order["id"]) == ["CANCELED", "PENDING"]  # two direct attempts: one live
        card = (await gw.data(PAY, {"key": order["reference"], "method": "card-redirect"}, acme))["payOrder"]
        assert card["errors"] == []
        assert await _attempts(gw, order["id"]) == ["CANCELED", "CANCELED", "PENDING"]
        await decide(card["result"]["nextStep"], "approve")
        assert await _attempts(gw, order["id"]) == ["CANCELED", "CANCELED", "APPROVED"]


async def test_a_callback_amount_with_an_exponent_is_refused(database_url: str) -> None:
    async with served(database_url) as gw:
        acme = await gw.as_user("buyer@acme.example")
        offers = await offer_ids(gw, acme)
        payment_id, key, amount = await pending(gw, acme, offers)
        units, cents = amount.split(".")
        exponent = f"{units}{cents}.00E-2"  # the same value, written with an exponent
        body, headers = signed_callback(payment_id, key, "APPROVED", exponent)
        resp = await gw.client.post(CALLBACK, content=body, headers=headers)
        assert resp.status_code == 400
        assert await _attempts(gw, (await gw.data(ORDER, {"id": key}, acme))["order"]["id"]) == ["PENDING"]
