"""Cancellation against approval across two gateway processes (issue 21, scope 2's acceptance): an operator
cancels on one process while the buyer approves the card payment of the same order on the other, 20 times on
PostgreSQL (and SQLite). Whatever wins, an order never ends CANCELED with money kept: a canceled order has
captured nothing, or gives back everything it captured (a refund, pending or done)."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest
from sqlalchemy import select

from app.models import PaymentTransaction
from tests.support.documents import offer_ids
from tests.support.gateway import Gateway
from tests.support.payments import PAY, cart_with, checkout, decide, served
from tests.support.servers import gateways

RACES = 20
CANCEL = """mutation($id: ID!) { cancelOrder(id: $id, reason: "race") { order { status } errors { code } } }"""
STATE = "query($id: ID!) { order(id: $id) { status paymentStatus } }"


async def _money(gw: Gateway, order_id: str) -> tuple[int, int]:
    """(captured, refunded or being refunded) from the ledger's rows."""
    async with gw.session_factory() as s:
        rows = (await s.scalars(select(PaymentTransaction).where(PaymentTransaction.order_id == order_id))).all()
    captured = sum(t.amount for t in rows if t.kind in ("CAPTURE", "MANUAL") and t.status == "SUCCEEDED")
    returned = sum(t.amount for t in rows if t.kind == "REFUND" and t.status != "FAILED")
    return captured, returned


@pytest.mark.slow
async def test_cancel_and_approve_on_two_processes_never_keep_money_for_a_canceled_order(database_url: str) -> None:
    env = {"GATEWAY_ENV": "test", "GATEWAY_PAYMENT_SWEEP_SECONDS": "0", "GATEWAY_WEBHOOK_DISPATCH": "false"}
    outcomes: Counter[tuple[str, str]] = Counter()
    with gateways(database_url, 2, **env) as (buyer_side, operator_side):
        async with (
            httpx.AsyncClient(base_url=buyer_side, timeout=60) as a,
            httpx.AsyncClient(base_url=operator_side, timeout=60) as b,
            served(database_url) as reader,
        ):
            buyer_gw, operator_gw = Gateway(None, a, reader.settings), Gateway(None, b, reader.settings)
            # tokens from the in-process gateway (its log lines are the ones the secrets scan reads)
            acme = await reader.as_user("buyer@acme.example")
            operator = await reader.as_user("operator@demo.example", client="OPERATOR")
            offers = await offer_ids(buyer_gw, acme)
            for _ in range(RACES):
                await cart_with(buyer_gw, acme, offers, {"NOTEBOOK": 10})
                order = (await checkout(buyer_gw, acme, paymentMethodId="pay-on-delivery"))["result"]["order"]
                paying = await buyer_gw.data(PAY, {"key": order["reference"], "method": "card-redirect"}, acme)
                page = paying["payOrder"]["result"]["nextStep"]  # served by the buyer's process
                await asyncio.gather(operator_gw.gql(CANCEL, {"id": order["id"]}, operator), decide(page, "approve"))
                state = (await buyer_gw.data(STATE, {"id": order["id"]}, acme))["order"]
                outcomes[(state["status"], state["paymentStatus"])] += 1
                captured, returned = await _money(reader, order["id"])
                if state["status"] == "CANCELED":
                    assert returned == captured, (state, captured, returned)  # nothing kept
                else:
                    assert (state["status"], state["paymentStatus"], captured > 0) == ("PLACED", "PAID", True)
    print(f"cancel vs approve on two processes, {RACES} races: {dict(outcomes)}")
    assert sum(outcomes.values()) == RACES
