"""Budgets reserved like stock across two gateway processes (issue 28, scope 3's acceptance): 20 buyers of one
account place at once against a budget that fits 7 of their orders, half on each process. Exactly 7 are placed,
13 answer BUDGET_EXCEEDED, and the budget's spent + reserved is the placed orders' totals; then 2 cancellations
and 1 refund give back exactly their amounts."""

from __future__ import annotations

import asyncio
from collections import Counter
from decimal import Decimal

import httpx
import pytest

from tests.support.documents import PLACE, create_draft, offer_ids
from tests.support.gateway import Gateway
from tests.support.payments import served
from tests.support.refunds import CANCEL, RECORD, REFUND
from tests.support.servers import gateways
from tests.support.users import extra_buyers

BUYERS, FITS = 20, 7
SET_BUDGET = """mutation($input: BudgetInput!) { setBudget(input: $input) { budget { id } errors { code } } }"""
BUDGETS = "{ budgets { costCentre spent { amount } reserved { amount } amount { amount } } }"


async def _race_budget(gw: Gateway, headers: dict) -> tuple[Decimal, Decimal]:
    (b,) = [b for b in (await gw.data(BUDGETS, headers=headers))["budgets"] if b["costCentre"] == "RACE"]
    return Decimal(b["spent"]["amount"]), Decimal(b["reserved"]["amount"])


@pytest.mark.slow
async def test_twenty_buyers_on_two_processes_never_overspend_a_budget(database_url: str) -> None:
    env = {"GATEWAY_ENV": "test", "GATEWAY_PAYMENT_SWEEP_SECONDS": "0", "GATEWAY_WEBHOOK_DISPATCH": "false"}
    async with served(database_url) as reader:
        buyers = await extra_buyers(reader, BUYERS)
        admin = await reader.as_user("buyer@acme.example")
        operator = await reader.as_user("operator@demo.example", client="OPERATOR")
        offers = await offer_ids(reader, admin)
        drafts = []
        for headers in buyers:
            d = await create_draft(
                reader,
                headers,
                [{"offerId": offers["NOTEBOOK"], "quantity": 10}],
                shippingAddressId="ACME-HQ",
                billingAddressId="ACME-HQ",
                costCentre="RACE",
            )
            assert d["errors"] == [], d
            drafts.append(d["draftOrder"])
        total = Decimal(drafts[0]["total"]["amount"])
        assert all(Decimal(d["total"]["amount"]) == total for d in drafts)
        limit = total * FITS + total / 2
        budget = {"accountId": "ACME", "costCentre": "RACE", "period": "MONTH", "amount": f"{limit:.2f}"}
        assert (await reader.data(SET_BUDGET, {"input": budget}, operator))["setBudget"]["errors"] == []

        with gateways(database_url, 2, **env) as (first, second):
            async with (
                httpx.AsyncClient(base_url=first, timeout=120) as a,
                httpx.AsyncClient(base_url=second, timeout=120) as b,
            ):
                sides = [Gateway(None, a, reader.settings), Gateway(None, b, reader.settings)]
                answers = await asyncio.gather(
                    *(
                        sides[i % 2].data(PLACE, {"id": d["id"]}, headers)
                        for i, (d, headers) in enumerate(zip(drafts, buyers, strict=True))
                    )
                )
        outcomes = Counter(
            "PLACED" if p["placeDraftOrder"]["errors"] == [] else p["placeDraftOrder"]["errors"][0]["code"]
            for p in answers
        )
        print(f"{BUYERS} buyers on two processes against a budget of {FITS} orders: {dict(outcomes)}")
        assert outcomes == {"PLACED": FITS, "BUDGET_EXCEEDED": BUYERS - FITS}
        placed = [p["placeDraftOrder"]["order"] for p in answers if p["placeDraftOrder"]["errors"] == []]
        assert sum(Decimal(o["total"]["amount"]) for o in placed) == total * FITS
        assert await _race_budget(reader, admin) == (total * FITS, Decimal("0.00"))

        # two cancellations give back exactly their totals
        for order in placed[:2]:
            canceled = (await reader.data(CANCEL, {"id": order["id"]}, operator))["cancelOrder"]
            assert canceled["errors"] == [], canceled
        assert await _race_budget(reader, admin) == (total * (FITS - 2), Decimal("0.00"))
        # a refund gives back exactly what it refunds
        refunded = placed[2]
        paid = {"orderId": refunded["id"], "amount": f"{total:.2f}", "idempotencyKey": "wire"}
        assert (await reader.data(RECORD, {"input": paid}, operator))["recordPayment"]["errors"] == []
        refund = {"orderId": refunded["id"], "amount": f"{total:.2f}", "idempotencyKey": "goodwill"}
        answer = (await reader.data(REFUND, {"input": refund}, operator))["refundOrder"]
        assert answer["errors"] == [], answer
        assert await _race_budget(reader, admin) == (total * (FITS - 3), Decimal("0.00"))
