"""Refunds (issue 21, scopes 5, 6, 8, 9), over real TCP with the sandbox provider called and calling back, on
both databases: refundOrder equals refundProposal to the cent, refunds settle by the signed callback (or fail
and give their amount back), cancellations refund or void, refused refunds and callbacks leave nothing behind
but their record, and statement counts do not grow with the lines."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select

from app.models import OutboxEvent, Voucher
from app.services.payments.signing import sign
from app.settings import DEV_SANDBOX_SECRET
from tests.support.catalog import extra_offers
from tests.support.documents import PLACE, create_draft, offer_ids
from tests.support.gateway import OTHER_KEY, Gateway
from tests.support.metrics import samples
from tests.support.payments import PAY, cart_with, checkout, decide, served
from tests.support.ports import free_port
from tests.support.refunds import (
    CANCEL,
    PROPOSAL,
    RECORD,
    REFUND,
    REFUND_CALLBACK,
    ledger_rows,
    line_of,
    money,
    no_pending_refund,
    paid_order,
    refund_callback,
    stock_of,
    until,
    wired_order,
)
from tests.support.servers import gateways


def amounts(part: dict) -> dict:
    return {k: (v["amount"] if isinstance(v, dict) else v) for k, v in part.items()}


async def test_a_partial_refund_of_a_discounted_line_with_a_voucher_is_the_proposal_to_the_cent(
    live_refunds: Gateway,
) -> None:
    gw = live_refunds
    acme = await gw.as_user("buyer@acme.example")
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    offers = await offer_ids(gw, acme)
    # PEN-BLUE has a 10 % product promotion (PENS-10); WELCOME10 takes 10 % off the order
    order = await paid_order(gw, acme, offers, {"PEN-BLUE": 30, "NOTEBOOK": 10}, voucher="WELCOME10")
    assert order["paymentStatus"] == "PAID"
    pen = line_of(order, "PEN-BLUE")
    asked = {"id": order["reference"], "lines": [{"lineId": pen, "quantity": 7}]}
    proposal = (await gw.data(PROPOSAL, asked, operator))["refundProposal"]
    assert proposal["errors"] == [], proposal
    p = proposal["proposal"]
    [part] = p["lines"]
    got = amounts(part)
    print(f"proposal for 7 of 30 pens: {got}, total {p['total']['amount']}")
    # docs/payments.md's worked example shows these figures
    assert order["total"]["amount"] == "72.39"
    assert (got["quantity"], got["firstUnit"], got["unitPrice"], got["gross"]) == (7, 1, "1.20", "8.40")
    assert (got["promotion"], got["voucher"], got["orderPromotion"], got["tax"]) == ("0.84", "0.76", "0.00", "1.36")
    assert Decimal(got["amount"]) == (
        Decimal(got["gross"])
        - Decimal(got["promotion"])
        - Decimal(got["voucher"])
        - Decimal(got["orderPromotion"])
        + Decimal(got["tax"])
    )
    assert p["total"]["amount"] == got["amount"] and p["shipping"]["amount"] == "0.00"
    assert p["refundable"]["amount"] == order["total"]["amount"]

    refund = {"orderId": order["id"], "lines": asked["lines"], "reason": "7 pens broken", "idempotencyKey": "r1"}
    done = (await gw.data(REFUND, {"input": refund}, operator))["refundOrder"]
    assert done["errors"] == [], done
    tx = done["transaction"]
    assert (tx["kind"], tx["status"], tx["amount"]["amount"]) == ("REFUND", "PENDING", p["total"]["amount"])
    assert tx["refundLines"] == [{"lineId": pen, "quantity": 7, "amount": {"amount": got["amount"]}}]

    settled = await until(gw, operator, order["id"], no_pending_refund)
    assert settled["paymentStatus"] == "PARTIALLY_REFUNDED"
    assert settled["refundedAmount"]["amount"] == p["total"]["amount"]
    assert [e["type"] for e in settled["events"]][-2:] == ["REFUND_REQUESTED", "REFUND_SUCCEEDED"]
    # the next units follow on from the 7th
    nxt = await gw.data(PROPOSAL, {"id": order["id"], "lines": [{"lineId": pen, "quantity": 23}]}, operator)
    rest = nxt["refundProposal"]["proposal"]["lines"][0]
    assert (rest["firstUnit"], rest["amount"]["amount"]) == (8, "26.83")  # 8.16 + 26.83: the line's 34.99


async def _outbox(gw: Gateway, order_id: str) -> list[str]:
    async with gw.session_factory() as s:
        rows = await s.scalars(
            select(OutboxEvent.event_type).where(OutboxEvent.aggregate_id == order_id).order_by(OutboxEvent.created_at)
        )
        return list(rows)


async def _voucher_uses(gw: Gateway, code: str) -> int:
    async with gw.session_factory() as s:
        return await s.scalar(select(Voucher.used_count).where(Voucher.code == code))


async def test_a_paid_order_canceled_is_refunded_by_the_signed_callback(live_refunds: Gateway) -> None:
    gw = live_refunds
    acme = await gw.as_user("buyer@acme.example")
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    offers = await offer_ids(gw, acme)
    before = await stock_of(gw, offers["NOTEBOOK"])
    uses = await _voucher_uses(gw, "WELCOME10")
    order = await paid_order(gw, acme, offers, {"NOTEBOOK": 10, "PEN-BLUE": 20}, voucher="WELCOME10")
    assert await _voucher_uses(gw, "WELCOME10") == uses + 1
    canceled = (await gw.data(CANCEL, {"id": order["id"]}, operator))["cancelOrder"]
    assert canceled["errors"] == [], canceled
    # CANCELED at once; the money is on its way back (PENDING until the provider's callback)
    assert canceled["order"] == {"status": "CANCELED", "paymentStatus": "PAID"}
    assert await stock_of(gw, offers["NOTEBOOK"]) == before
    assert await _voucher_uses(gw, "WELCOME10") == uses

    seen = await until(gw, acme, order["id"], no_pending_refund)  # the buyer sees it too
    total = order["total"]["amount"]
    assert (seen["status"], seen["paymentStatus"]) == ("CANCELED", "REFUNDED")
    assert seen["refundedAmount"]["amount"] == total and seen["canceledAmount"]["amount"] == total
    assert seen["outstandingAmount"]["amount"] == "0.00"
    [refund] = [t for t in seen["transactions"] if t["kind"] == "REFUND"]
    assert (refund["status"], refund["amount"]["amount"]) == ("SUCCEEDED", total)
    assert refund["shippingAmount"]["amount"] == order["shippingTotal"]["amount"] == "5.00"
    assert sorted((r["lineId"], r["quantity"]) for r in refund["refundLines"]) == sorted(
        (ln["id"], ln["quantity"]) for ln in order["lines"]
    )
    assert {lo["paymentStatus"] for lo in seen["logisticOrders"]} == {"REFUNDED"}
    assert await _outbox(gw, order["id"]) == ["order.placed", "order.paid", "order.canceled", "payment.refunded"]
    # nothing is left to give back
    again = await gw.data(
        REFUND, {"input": {"orderId": order["id"], "amount": "0.01", "idempotencyKey": "x"}}, operator
    )
    assert [e["code"] for e in again["refundOrder"]["errors"]] == ["REFUND_EXCEEDS_CAPTURED"]


async def test_a_fully_refunded_order_gives_its_voucher_back(live_refunds: Gateway) -> None:
    gw = live_refunds
    acme = await gw.as_user("buyer@acme.example")
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    offers = await offer_ids(gw, acme)
    uses = await _voucher_uses(gw, "WELCOME10")
    order = await paid_order(gw, acme, offers, {"NOTEBOOK": 10}, voucher="WELCOME10")
    notebook = line_of(order, "NOTEBOOK")
    part = {"orderId": order["id"], "lines": [{"lineId": notebook, "quantity": 4}], "idempotencyKey": "a"}
    assert (await gw.data(REFUND, {"input": part}, operator))["refundOrder"]["errors"] == []
    await until(gw, operator, order["id"], no_pending_refund)
    assert await _voucher_uses(gw, "WELCOME10") == uses + 1  # a partial refund keeps it
    rest = {"orderId": order["id"], "lines": [{"lineId": notebook, "quantity": 6}], "shipping": True}
    assert (await gw.data(REFUND, {"input": {**rest, "idempotencyKey": "b"}}, operator))["refundOrder"]["errors"] == []
    seen = await until(gw, operator, order["id"], no_pending_refund)
    assert (seen["status"], seen["paymentStatus"]) == ("PLACED", "REFUNDED")
    assert seen["refundedAmount"]["amount"] == order["total"]["amount"]
    assert await _voucher_uses(gw, "WELCOME10") == uses


async def test_an_authorized_order_canceled_is_voided(live_refunds: Gateway) -> None:
    gw = live_refunds
    acme = await gw.as_user("buyer@acme.example")
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    offers = await offer_ids(gw, acme)
    order = await paid_order(gw, acme, offers, {"NOTEBOOK": 10}, method="card-authorize")
    assert order["paymentStatus"] == "AUTHORIZED"
    canceled = (await gw.data(CANCEL, {"id": order["id"]}, operator))["cancelOrder"]
    assert canceled["errors"] == [] and canceled["order"] == {"status": "CANCELED", "paymentStatus": "VOIDED"}
    seen = await money(gw, acme, order["id"])
    total = order["total"]["amount"]
    assert [(t["kind"], t["status"], t["amount"]["amount"]) for t in seen["transactions"]] == [
        ("AUTHORIZATION", "SUCCEEDED", total),
        ("VOID", "SUCCEEDED", total),
    ]
    assert (seen["capturedAmount"]["amount"], seen["refundedAmount"]["amount"]) == ("0.00", "0.00")
    assert "PAYMENT_VOIDED" in [e["type"] for e in seen["events"]]
    assert (await _outbox(gw, order["id"]))[-2:] == ["order.canceled", "payment.voided"]


async def test_a_failed_refund_gives_its_amount_and_units_back(live_refunds: Gateway) -> None:
    gw = live_refunds
    acme = await gw.as_user("buyer@acme.example")
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    offers = await offer_ids(gw, acme)
    order = await paid_order(gw, acme, offers, {"NOTEBOOK": 10})
    notebook, total = line_of(order, "NOTEBOOK"), order["total"]["amount"]
    asked = {"orderId": order["id"], "lines": [{"lineId": notebook, "quantity": 10}], "shipping": True}
    failing = {**asked, "reason": "sandbox-fail: card closed", "idempotencyKey": "f"}
    first = (await gw.data(REFUND, {"input": failing}, operator))["refundOrder"]
    assert first["errors"] == [] and first["transaction"]["amount"]["amount"] == total
    seen = await until(gw, operator, order["id"], no_pending_refund)
    [failed] = [t for t in seen["transactions"] if t["kind"] == "REFUND"]
    assert failed["status"] == "FAILED" and "sandbox" in failed["failure"]
    assert (seen["paymentStatus"], seen["refundedAmount"]["amount"]) == ("PAID", "0.00")
    assert [e["type"] for e in seen["events"]][-2:] == ["REFUND_REQUESTED", "REFUND_FAILED"]
    assert (await _outbox(gw, order["id"]))[-1] == "payment.refund_failed"
    # everything is refundable again, units and shipping included
    again = await gw.data(PROPOSAL, {"id": order["id"], "lines": asked["lines"], "shipping": True}, operator)
    assert again["refundProposal"]["proposal"]["total"]["amount"] == total
    retry = (await gw.data(REFUND, {"input": {**asked, "idempotencyKey": "g"}}, operator))["refundOrder"]
    assert retry["errors"] == []
    seen = await until(gw, operator, order["id"], no_pending_refund)
    assert (seen["paymentStatus"], seen["refundedAmount"]["amount"]) == ("REFUNDED", total)


async def test_refund_callbacks_forged_replayed_wrong_or_unknown_are_refused_and_recorded(database_url: str) -> None:
    # the sandbox's own callback would come in an hour: the test delivers the signed callbacks itself
    async with served(database_url, sandbox_refund_delay_seconds=3600) as gw:
        acme = await gw.as_user("buyer@acme.example")
        operator = await gw.as_user("operator@demo.example", client="OPERATOR")
        offers = await offer_ids(gw, acme)
        order = await paid_order(gw, acme, offers, {"NOTEBOOK": 10})
        refund = {"orderId": order["id"], "amount": "5.00", "idempotencyKey": "cb"}
        tx = (await gw.data(REFUND, {"input": refund}, operator))["refundOrder"]["transaction"]
        assert tx["status"] == "PENDING"
        rows = await ledger_rows(gw, order["id"])
        metrics_before = (await gw.client.get("/metrics")).text

        async def post(body: bytes, headers: dict) -> tuple[int, dict]:
            answer = await gw.client.post(REFUND_CALLBACK, content=body, headers=headers)
            return answer.status_code, answer.json()

        key = order["reference"]
        forged = refund_callback(tx["id"], key, "5.00", secret="not-the-secret")
        assert (await post(*forged))[0] == 401
        assert (await post(b'{"type": "refund"}', refund_callback(tx["id"], key, "5.00")[1]))[0] == 401  # not its body
        assert (await post(*_signed(b'{"type": "refund", "amount": "50.0E-1"}')))[0] == 400  # malformed
        assert (await post(*refund_callback("nosuchrefund", key, "5.00")))[0] == 404
        assert (await post(*refund_callback(tx["id"], key, "50.00")))[0] == 400  # another amount
        assert (await post(*refund_callback(tx["id"], "ORD-000000-OTHER", "5.00")))[0] == 400  # another order key
        pending = await money(gw, operator, order["id"])
        assert pending["refundedAmount"]["amount"] == "0.00" and pending["paymentStatus"] == "PAID"

        assert await post(*refund_callback(tx["id"], key, "5.00")) == (
            200,
            {"refundId": tx["id"], "status": "SUCCEEDED", "message": "processed"},
        )
        settled = await money(gw, operator, order["id"])
        assert (settled["paymentStatus"], settled["refundedAmount"]["amount"]) == ("PARTIALLY_REFUNDED", "5.00")
        replay = await post(*refund_callback(tx["id"], key, "5.00"))
        assert replay == (200, {"refundId": tx["id"], "status": "SUCCEEDED", "message": "already processed"})
        assert (await post(*refund_callback(tx["id"], key, "5.00", status="FAILED")))[0] == 409  # the other outcome

        after = await money(gw, operator, order["id"])
        assert after["refundedAmount"]["amount"] == "5.00" and after["transactions"] == settled["transactions"]
        refused = [e["detail"] for e in after["events"] if e["type"] == "REFUND_CALLBACK_REFUSED"]
        assert len(refused) == 3 and all(tx["id"] in d for d in refused)
        txs, lines, events = await ledger_rows(gw, order["id"])
        assert (txs, lines, events) == (rows[0], rows[1], rows[2] + 3 + 1)  # the refusals, REFUND_SUCCEEDED
        exposed = (await gw.client.get("/metrics")).text

        def delta(outcome: str) -> float:
            name = "gateway_refunds_total"
            return samples(exposed, name, outcome=outcome) - samples(metrics_before, name, outcome=outcome)

        assert [delta(o) for o in ("CALLBACK_FORGED", "CALLBACK_MALFORMED", "CALLBACK_UNKNOWN")] == [2, 1, 1]
        assert [delta(o) for o in ("CALLBACK_REFUSED", "CALLBACK_REPLAYED", "SUCCEEDED")] == [3, 1, 1]


def _signed(body: bytes) -> tuple[bytes, dict]:
    return body, {"content-type": "application/json", "x-sandbox-signature": sign(DEV_SANDBOX_SECRET, body)}


async def test_refusals_write_nothing_and_the_proposal_refuses_alike(database_url: str) -> None:
    async with served(database_url, sandbox_refund_delay_seconds=3600) as gw:  # refunds stay pending
        await _refusals(gw)


async def _refusals(gw: Gateway) -> None:
    acme = await gw.as_user("buyer@acme.example")
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    offers = await offer_ids(gw, acme)
    order = await paid_order(gw, acme, offers, {"NOTEBOOK": 10})
    other = await paid_order(gw, acme, offers, {"PEN-BLUE": 10})
    notebook, total = line_of(order, "NOTEBOOK"), Decimal(order["total"]["amount"])
    rows = await ledger_rows(gw, order["id"])

    async def refused(asked: dict, field: list[str] | None = None) -> list[str]:
        """refundOrder's codes for `asked`, checking that refundProposal answers the same and nothing changed."""
        done = await gw.data(REFUND, {"input": {"orderId": order["id"], **asked, "idempotencyKey": "no"}}, operator)
        errors = done["refundOrder"]["errors"]
        assert done["refundOrder"]["transaction"] is None and done["refundOrder"]["order"] is None
        variables = {"id": order["id"], **{k: v for k, v in asked.items() if k != "reason"}}
        proposed = (await gw.data(PROPOSAL, variables, operator))["refundProposal"]
        assert proposed["proposal"] is None
        assert [e["code"] for e in proposed["errors"]] == [e["code"] for e in errors]
        if field is not None:
            assert errors[0]["field"] == ["input", *field] and proposed["errors"][0]["field"] == field
        assert await ledger_rows(gw, order["id"]) == rows
        return [e["code"] for e in errors]

    assert await refused({"amount": str(total + Decimal("0.01"))}, ["amount"]) == ["REFUND_EXCEEDS_CAPTURED"]
    assert await refused({"lines": [{"lineId": notebook, "quantity": 11}]}, ["lines", "0", "quantity"]) == [
        "REFUND_EXCEEDS_ORDERED"
    ]
    assert await refused({"lines": [{"lineId": "nope", "quantity": 1}]}, ["lines", "0", "lineId"]) == ["NOT_FOUND"]
    foreign = line_of(other, "PEN-BLUE")  # a line of another order of the same account
    assert await refused({"lines": [{"lineId": foreign, "quantity": 1}]}) == ["NOT_FOUND"]
    assert await refused({"lines": [{"lineId": notebook, "quantity": 1}], "amount": "99.00"}, ["amount"]) == [
        "REFUND_AMOUNT_MISMATCH"
    ]
    assert await refused({}) == ["INVALID_INPUT"]
    assert await refused({"amount": "1e2"}, ["amount"]) == ["INVALID_INPUT"]
    assert await refused({"lines": [{"lineId": notebook, "quantity": 0}, {"lineId": "nope", "quantity": 1}]}) == [
        "INVALID_INPUT",
        "NOT_FOUND",
    ]

    # 9 units and the shipping, then what is left of the units and the amount (pending refunds count)
    nine = {"lines": [{"lineId": notebook, "quantity": 9}], "shipping": True}
    first = await gw.data(REFUND, {"input": {"orderId": order["id"], **nine, "idempotencyKey": "k1"}}, operator)
    tx = first["refundOrder"]["transaction"]
    assert first["refundOrder"]["errors"] == [] and tx["status"] == "PENDING"
    rows = await ledger_rows(gw, order["id"])
    assert await refused({"lines": [{"lineId": notebook, "quantity": 2}]}) == ["REFUND_EXCEEDS_ORDERED"]
    assert await refused({"shipping": True}, ["shipping"]) == ["REFUND_EXCEEDS_ORDERED"]
    left = total - Decimal(tx["amount"]["amount"])
    assert await refused({"amount": str(left + Decimal("0.01"))}) == ["REFUND_EXCEEDS_CAPTURED"]

    # the key: the same input answers the first result, another input is refused
    replay = await gw.data(REFUND, {"input": {"orderId": order["reference"], **nine, "idempotencyKey": "k1"}}, operator)
    assert replay["refundOrder"]["errors"] == [] and replay["refundOrder"]["transaction"]["id"] == tx["id"]
    reused = await gw.data(
        REFUND, {"input": {"orderId": order["id"], "amount": "1.00", "idempotencyKey": "k1"}}, operator
    )
    assert [e["code"] for e in reused["refundOrder"]["errors"]] == ["IDEMPOTENCY_KEY_REUSED"]
    assert await ledger_rows(gw, order["id"]) == rows
    body, headers = refund_callback(tx["id"], order["reference"], tx["amount"]["amount"])
    assert (await gw.client.post(REFUND_CALLBACK, content=body, headers=headers)).status_code == 200
    seen = await money(gw, operator, order["id"])
    assert seen["paymentStatus"] == "PARTIALLY_REFUNDED"
    assert Decimal(seen["refundedAmount"]["amount"]) == total - left


async def test_buyers_cannot_refund_and_another_tenant_s_order_is_not_found(live_refunds: Gateway) -> None:
    gw = live_refunds
    acme = await gw.as_user("buyer@acme.example")
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    offers = await offer_ids(gw, acme)
    order = await paid_order(gw, acme, offers, {"NOTEBOOK": 10})
    asked = {"orderId": order["id"], "amount": "1.00", "idempotencyKey": "b"}
    for document, variables in ((REFUND, {"input": asked}), (PROPOSAL, {"id": order["id"], "amount": "1.00"})):
        body = await gw.gql(document, variables, acme)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # an order of the other tenant, placed by its buyer
    initech = gw.headers(await gw.token("buyer@initech.example", key=OTHER_KEY), key=OTHER_KEY)
    widget = (await offer_ids(gw, initech))["INITECH-WIDGET"]
    draft = await create_draft(
        gw, initech, [{"offerId": widget, "quantity": 1}], shippingAddressId="INITECH-HQ", billingAddressId="INITECH-HQ"
    )
    placed = (await gw.data(PLACE, {"id": draft["draftOrder"]["id"]}, initech))["placeDraftOrder"]["order"]
    for key in (placed["id"], placed["reference"]):
        foreign = (await gw.data(REFUND, {"input": {**asked, "orderId": key}}, operator))["refundOrder"]
        assert [(e["code"], e["field"]) for e in foreign["errors"]] == [("NOT_FOUND", ["orderId"])]
        proposed = (await gw.data(PROPOSAL, {"id": key, "amount": "1.00"}, operator))["refundProposal"]
        assert [e["code"] for e in proposed["errors"]] == ["NOT_FOUND"]
    assert await ledger_rows(gw, order["id"]) == await ledger_rows(gw, order["id"])


async def test_money_received_is_paid_back_at_once_and_a_mixed_order_splits(live_refunds: Gateway) -> None:
    gw = live_refunds
    acme = await gw.as_user("buyer@acme.example")
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    offers = await offer_ids(gw, acme)
    wired = await wired_order(gw, acme, offers, {"NOTEBOOK": 10}, operator)
    part = {"orderId": wired["id"], "amount": "10.00", "reason": "late delivery", "idempotencyKey": "w1"}
    done = (await gw.data(REFUND, {"input": part}, operator))["refundOrder"]
    assert done["errors"] == [] and done["transaction"]["status"] == "SUCCEEDED"  # the shop pays it back itself
    assert done["order"]["paymentStatus"] == "PARTIALLY_REFUNDED"

    # 10.00 received by wire, the rest paid by card: card money goes back first, the wire's last
    await cart_with(gw, acme, offers, {"NOTEBOOK": 10})
    placed = (await checkout(gw, acme, paymentMethodId="bank-wire"))["result"]["order"]
    wire = {"orderId": placed["id"], "amount": "10.00", "idempotencyKey": "w"}
    assert (await gw.data(RECORD, {"input": wire}, operator))["recordPayment"]["errors"] == []
    paying = (await gw.data(PAY, {"key": placed["reference"], "method": "card-redirect"}, acme))["payOrder"]
    await decide(paying["result"]["nextStep"], "approve")
    mixed = await money(gw, acme, placed["id"])
    assert mixed["paymentStatus"] == "PAID"
    every = {"lines": [{"lineId": line_of(mixed, "NOTEBOOK"), "quantity": 10}], "shipping": True}
    card = next(p["id"] for p in mixed["payments"] if p["status"] == "APPROVED")
    total = Decimal(mixed["total"]["amount"])
    proposal = (await gw.data(PROPOSAL, {"id": placed["id"], **every}, operator))["refundProposal"]["proposal"]
    assert proposal["sources"] == [
        {"paymentId": card, "amount": {"amount": str(total - Decimal("10.00"))}},
        {"paymentId": None, "amount": {"amount": "10.00"}},
    ]
    done = await gw.data(REFUND, {"input": {"orderId": placed["id"], **every, "idempotencyKey": "all"}}, operator)
    parts = done["refundOrder"]["transactions"]
    assert [(t["status"], t["amount"]["amount"]) for t in parts] == [
        ("PENDING", str(total - Decimal("10.00"))),
        ("SUCCEEDED", "10.00"),
    ]
    seen = await until(gw, operator, placed["id"], no_pending_refund)
    assert (seen["paymentStatus"], seen["refundedAmount"]["amount"]) == ("REFUNDED", str(total))
    refunds = [t for t in seen["transactions"] if t["kind"] == "REFUND"]
    assert [len(t["refundLines"]) for t in refunds] == [0, 1]  # the lines on the part that cannot fail
    assert sum(Decimal(t["amount"]["amount"]) for t in refunds) == total


async def test_statement_counts_of_proposal_and_refund_do_not_grow_with_lines(gw: Gateway, acme: dict) -> None:
    await extra_offers(gw, 50)
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    catalog = await offer_ids(gw, acme)
    counts: dict[int, tuple[int, int]] = {}
    for n in (5, 50):
        skus = [sku for sku in sorted(catalog) if sku.startswith("SC-")][:n]
        # money received outside a provider: its refunds settle at once, in the same request
        order = await wired_order(gw, acme, catalog, dict.fromkeys(skus, 1), operator)
        every = [{"lineId": ln["id"], "quantity": ln["quantity"]} for ln in order["lines"]]
        assert len(every) == n
        counter = gw.count_statements()
        proposal = await gw.data(PROPOSAL, {"id": order["id"], "lines": every, "shipping": True}, operator)
        gw.stop_counting(counter)
        assert len(proposal["refundProposal"]["proposal"]["lines"]) == n
        proposed = counter.count
        asked = {"orderId": order["id"], "lines": every, "shipping": True, "idempotencyKey": f"all-{n}"}
        counter = gw.count_statements()
        done = (await gw.data(REFUND, {"input": asked}, operator))["refundOrder"]
        gw.stop_counting(counter)
        assert done["errors"] == [] and len(done["transaction"]["refundLines"]) == n
        assert done["order"]["paymentStatus"] == "REFUNDED"
        counts[n] = (proposed, counter.count)
    print(f"statements: refundProposal / refundOrder of 5 lines = {counts[5]}, of 50 lines = {counts[50]}")
    assert counts[5] == counts[50]


@pytest.mark.slow
async def test_twenty_refunds_at_once_on_two_processes_never_exceed_the_capture(database_url: str) -> None:
    """20 refunds of 10 % of the total each, at once, spread over two `serve` processes, with 5 of their keys
    sent twice: exactly 10 go through, the others answer REFUND_EXCEEDS_CAPTURED, both calls of a key answer
    the same, and once the sandbox's callbacks are in, the refunds add up to what was captured."""
    if not database_url.startswith("postgresql"):
        pytest.skip("two processes on one database: the row locks under test are PostgreSQL's")
    async with served(database_url) as gw:
        acme = await gw.as_user("buyer@acme.example")
        operator = await gw.as_user("operator@demo.example", client="OPERATOR")
        offers = await offer_ids(gw, acme)
        order = await paid_order(gw, acme, offers, {"NOTEBOOK": 10})
        total = Decimal(order["total"]["amount"])
        tenth = total / 10
        assert tenth == tenth.quantize(Decimal("0.01")), total
        keys = [f"r{i}" for i in range(20)] + [f"r{i}" for i in range(5)]  # 5 replays
        env = {
            "GATEWAY_ENV": "test",
            "GATEWAY_SANDBOX_PAYMENT_SECRET": DEV_SANDBOX_SECRET,
            "GATEWAY_PAYMENT_SWEEP_SECONDS": "0",
            "GATEWAY_SANDBOX_REFUND_DELAY_SECONDS": "0.2",
        }
        with gateways(database_url, 2, **env) as urls:
            async with httpx.AsyncClient(timeout=60) as client:

                async def refund(i: int, key: str) -> dict:
                    asked = {"orderId": order["id"], "amount": str(tenth), "idempotencyKey": key}
                    body = {"query": REFUND, "variables": {"input": asked}}
                    answer = await client.post(f"{urls[i % 2]}/graphql", json=body, headers=operator)
                    assert answer.status_code == 200, answer.text
                    return answer.json()["data"]["refundOrder"]

                answers = await asyncio.gather(*(refund(i, key) for i, key in enumerate(keys)))
                by_key: dict[str, list[tuple]] = {}
                for key, a in zip(keys, answers, strict=True):
                    tx = a["transaction"]["id"] if a["transaction"] else None
                    by_key.setdefault(key, []).append((tx, tuple(e["code"] for e in a["errors"])))
                firsts = [calls[0] for calls in by_key.values()]
                assert sum(1 for tx, codes in firsts if tx and not codes) == 10
                assert sum(1 for tx, codes in firsts if codes == ("REFUND_EXCEEDS_CAPTURED",)) == 10
                assert all(len(set(calls)) == 1 for calls in by_key.values()), by_key  # a replay: the first result
                settled = await until(gw, operator, order["id"], no_pending_refund)
    refunds = [t for t in settled["transactions"] if t["kind"] == "REFUND"]
    assert len(refunds) == 10 and {t["status"] for t in refunds} == {"SUCCEEDED"}
    assert sum(Decimal(t["amount"]["amount"]) for t in refunds) == total
    assert settled["refundedAmount"]["amount"] == settled["capturedAmount"]["amount"] == str(total)
    assert settled["paymentStatus"] == "REFUNDED"


async def test_an_unreachable_provider_refuses_refunds_and_cancellations_with_nothing_written(
    live_refunds: Gateway, database_url: str
) -> None:
    gw = live_refunds
    acme = await gw.as_user("buyer@acme.example")
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    offers = await offer_ids(gw, acme)
    order = await paid_order(gw, acme, offers, {"NOTEBOOK": 10})
    rows, stock = await ledger_rows(gw, order["id"]), await stock_of(gw, offers["NOTEBOOK"])
    # the same database, served by a gateway whose payment service does not answer
    async with served(database_url, sandbox_psp_url=f"http://127.0.0.1:{free_port()}") as broken:
        asked = {"orderId": order["id"], "amount": "1.00", "idempotencyKey": "down"}
        refused = (await broken.data(REFUND, {"input": asked}, operator))["refundOrder"]
        assert [e["code"] for e in refused["errors"]] == ["PAYMENT_SERVICE_UNAVAILABLE"]
        canceled = (await broken.data(CANCEL, {"id": order["id"]}, operator))["cancelOrder"]
        assert [e["code"] for e in canceled["errors"]] == ["PAYMENT_SERVICE_UNAVAILABLE"]
        assert samples((await broken.client.get("/metrics")).text, "gateway_refunds_total", outcome="UNAVAILABLE") >= 1
    seen = await money(gw, operator, order["id"])
    assert (seen["status"], seen["paymentStatus"]) == ("PLACED", "PAID")
    assert await ledger_rows(gw, order["id"]) == rows and await stock_of(gw, offers["NOTEBOOK"]) == stock
    # the same key, once the provider answers again: a new refund, not a replay of the refusal
    done = (await gw.data(REFUND, {"input": asked}, operator))["refundOrder"]
    assert done["errors"] == [] and done["transaction"]["status"] == "PENDING"
