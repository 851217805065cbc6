"""Shipments and returns over HTTP (issue 21, scope 7): createShipment moves a logistic order to PARTIALLY_SHIPPED
then SHIPPED and never ships more than ordered; createReturn takes back only shipped units and restocks exactly
what it says; a refused call writes nothing; buyers cannot call either, another tenant's order is NOT_FOUND;
the buyer sees shipments (tracking), returns and per-line quantities; `order.shipped` / `order.returned`
webhooks; statements per read do not grow with the orders."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook

from app.dispatcher import Dispatcher
from app.models import (
    LogisticOrder,
    Offer,
    OrderEvent,
    OutboxEvent,
    Return,
    ReturnLine,
    Shipment,
    ShipmentLine,
    WebhookDelivery,
)
from tests.support.documents import PLACE, create_draft, offer_ids
from tests.support.gateway import OTHER_KEY, Gateway
from tests.support.webhook_receiver import receiver
from tests.support.webhooks import subscribe

SHIPMENT_FIELDS = "id logisticOrderId carrier trackingNumber createdAt lines { lineId sku quantity }"
RETURN_FIELDS = "id logisticOrderId reason createdAt lines { lineId sku quantity restock }"
SHIP = f"""mutation($input: CreateShipmentInput!) {{ createShipment(input: $input) {{
  shipment {{ {SHIPMENT_FIELDS} }} logisticOrder {{ id status nextStatuses }}
  errors {{ code message field index lineId }} }} }}"""
RETURN = f"""mutation($input: CreateReturnInput!) {{ createReturn(input: $input) {{
  return {{ {RETURN_FIELDS} }} order {{ id status lines {{ id sku shippedQuantity returnedQuantity }} }}
  errors {{ code message field index lineId }} }} }}"""
ORDER = f"""query($id: ID!) {{ order(id: $id) {{ id reference status
  lines {{ id sku quantity shippedQuantity returnedQuantity }}
  logisticOrders {{ id reference status lines {{ id sku }} shipments {{ {SHIPMENT_FIELDS} }} }}
  shipments {{ {SHIPMENT_FIELDS} }} returns {{ {RETURN_FIELDS} }} events {{ type detail logisticOrderId }} }} }}"""
TRANSITION = """mutation($id: ID!, $to: LogisticOrderStatus!) { transitionLogisticOrder(id: $id, to: $to) {
  errors { code } } }"""
TO_SHIPMENT = ("WAITING_SUPPLIER_APPROVAL", "ACCEPTED_BY_SUPPLIER", "WAITING_SHIPMENT")


async def _place(gw: Gateway, buyer: dict, lines: dict[str, int], address: str = "ACME-HQ") -> str:
    offers = await offer_ids(gw, buyer)
    draft = await create_draft(
        gw,
        buyer,
        [{"offerId": offers[sku], "quantity": n} for sku, n in lines.items()],
        shippingAddressId=address,
        billingAddressId=address,
    )
    assert draft["errors"] == [], draft
    placed = (await gw.data(PLACE, {"id": draft["draftOrder"]["id"]}, buyer))["placeDraftOrder"]
    assert placed["errors"] == [], placed
    return placed["order"]["id"]


async def _read(gw: Gateway, headers: dict, order_id: str) -> dict:
    return (await gw.data(ORDER, {"id": order_id}, headers))["order"]


async def _advance(gw: Gateway, operator: dict, lo_id: str, steps: tuple[str, ...] = TO_SHIPMENT) -> None:
    for to in steps:
        assert (await gw.data(TRANSITION, {"id": lo_id, "to": to}, operator))["transitionLogisticOrder"]["errors"] == []


async def _ready(gw: Gateway, buyer: dict, operator: dict, lines: dict[str, int]) -> dict:
    """An order of `lines` whose logistic orders all wait for shipment, read by the operator."""
    order_id = await _place(gw, buyer, lines)
    order = await _read(gw, operator, order_id)
    for lo in order["logisticOrders"]:
        await _advance(gw, operator, lo["id"])
    return await _read(gw, operator, order_id)


def _line(order: dict, sku: str) -> str:
    return next(ln["id"] for ln in order["lines"] if ln["sku"] == sku)


async def _ship(gw: Gateway, operator: dict, lo_key: str, lines: list[tuple[str, int]], **extra) -> dict:  # noqa: ANN003
    inp = {"logisticOrderId": lo_key, "lines": [{"lineId": i, "quantity": q} for i, q in lines], "carrier": "DHL"}
    return (await gw.data(SHIP, {"input": {**inp, **extra}}, operator))["createShipment"]


async def _return(gw: Gateway, operator: dict, order_key: str, lines: list[tuple[str, int, bool]], **extra) -> dict:  # noqa: ANN003
    inp = {"orderId": order_key, "lines": [{"lineId": i, "quantity": q, "restock": r} for i, q, r in lines]}
    return (await gw.data(RETURN, {"input": {**inp, **extra}}, operator))["createReturn"]


async def _stock(gw: Gateway, offer_id: str) -> int:
    async with gw.session_factory() as s:
        return await s.scalar(select(Offer.stock).where(Offer.id == offer_id))


async def _snapshot(gw: Gateway) -> dict:
    """Everything a shipment or a return writes: row counts, logistic statuses, stock."""
    async with gw.session_factory() as s:
        counts = {
            model.__name__: await s.scalar(select(func.count()).select_from(model))
            for model in (Shipment, ShipmentLine, Return, ReturnLine, OrderEvent, OutboxEvent)
        }
        statuses = dict((await s.execute(select(LogisticOrder.id, LogisticOrder.status))).all())
        stock = dict((await s.execute(select(Offer.id, Offer.stock))).all())
    return {"counts": counts, "statuses": statuses, "stock": stock}


def _codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def test_partial_shipment_then_the_rest(gw: Gateway, acme: dict, operator: dict) -> None:
    order = await _ready(gw, acme, operator, {"NOTEBOOK": 5, "PAPER-A4": 10})
    (lo,) = order["logisticOrders"]  # one supplier: one logistic order with both lines
    notebook, paper = _line(order, "NOTEBOOK"), _line(order, "PAPER-A4")

    first = await _ship(gw, operator, lo["id"], [(notebook, 2), (paper, 10)], trackingNumber=" 1Z999 ")
    assert first["errors"] == []
    assert first["logisticOrder"] == {"id": lo["id"], "status": "PARTIALLY_SHIPPED", "nextStatuses": ["SHIPPED"]}
    assert (first["shipment"]["carrier"], first["shipment"]["trackingNumber"]) == ("DHL", "1Z999")
    assert {(ln["sku"], ln["quantity"]) for ln in first["shipment"]["lines"]} == {("NOTEBOOK", 2), ("PAPER-A4", 10)}

    # The rest, naming the logistic order by its reference in another case; no tracking number.
    rest = await _ship(gw, operator, lo["reference"].lower(), [(notebook, 3)], carrier="La Poste")
    assert rest["errors"] == []
    assert rest["logisticOrder"]["status"] == "SHIPPED" and rest["logisticOrder"]["nextStatuses"] == ["COMPLETED"]
    assert rest["shipment"]["trackingNumber"] is None

    seen = await _read(gw, acme, order["id"])  # the buyer sees it all
    assert [(s["carrier"], s["trackingNumber"]) for s in seen["shipments"]] == [("DHL", "1Z999"), ("La Poste", None)]
    assert seen["logisticOrders"][0]["shipments"] == seen["shipments"]
    assert seen["logisticOrders"][0]["status"] == "SHIPPED"
    assert {ln["sku"]: (ln["shippedQuantity"], ln["returnedQuantity"]) for ln in seen["lines"]} == {
        "NOTEBOOK": (5, 0),
        "PAPER-A4": (10, 0),
    }
    events = [(e["type"], e["detail"]) for e in seen["events"] if e["logisticOrderId"] == lo["id"]][-5:]
    ref = lo["reference"]
    assert events == [
        ("LOGISTIC_STATUS_CHANGED", f"{ref}: ACCEPTED_BY_SUPPLIER -> WAITING_SHIPMENT"),
        ("SHIPMENT_CREATED", f"{ref}: 12 units in 2 lines by DHL, tracking 1Z999"),
        ("LOGISTIC_STATUS_CHANGED", f"{ref}: WAITING_SHIPMENT -> PARTIALLY_SHIPPED"),
        ("SHIPMENT_CREATED", f"{ref}: 3 units in 1 lines by La Poste"),
        ("LOGISTIC_STATUS_CHANGED", f"{ref}: PARTIALLY_SHIPPED -> SHIPPED"),
    ]


async def test_one_shipment_of_everything_ships_it_at_once(gw: Gateway, acme: dict, operator: dict) -> None:
    order = await _ready(gw, acme, operator, {"NOTEBOOK": 2})
    p = await _ship(gw, operator, order["logisticOrders"][0]["id"], [(_line(order, "NOTEBOOK"), 2)])
    assert p["errors"] == [] and p["logisticOrder"]["status"] == "SHIPPED"
    seen = await _read(gw, operator, order["id"])
    moves = [e["detail"] for e in seen["events"] if e["type"] == "LOGISTIC_STATUS_CHANGED"][-1:]
    assert moves == [f"{order['logisticOrders'][0]['reference']}: WAITING_SHIPMENT -> SHIPPED"]


async def test_refused_shipments_write_nothing(gw: Gateway, acme: dict, operator: dict) -> None:
    order = await _ready(gw, acme, operator, {"NOTEBOOK": 5, "PAPER-A4": 10, "CHAIR-ERGO": 3})
    nord = next(lo for lo in order["logisticOrders"] if {ln["sku"] for ln in lo["lines"]} == {"NOTEBOOK", "PAPER-A4"})
    notebook, paper, chair = _line(order, "NOTEBOOK"), _line(order, "PAPER-A4"), _line(order, "CHAIR-ERGO")
    assert (await _ship(gw, operator, nord["id"], [(notebook, 2)]))["errors"] == []
    before = await _snapshot(gw)

    over = await _ship(gw, operator, nord["id"], [(paper, 10), (notebook, 4)])
    assert over["shipment"] is None and over["logisticOrder"] is None
    assert [(e["code"], e["index"], e["lineId"]) for e in over["errors"]] == [("SHIPMENT_EXCEEDS_ORDERED", 1, notebook)]
    assert over["errors"][0]["message"] == "NOTEBOOK: 5 ordered, 2 shipped already, 4 more asked"
    refusals = {
        "INVALID_QUANTITY": [(notebook, 0)],
        "INVALID_INPUT": [(notebook, 1), (notebook, 1)],  # the same line twice
        "NOT_FOUND": [(chair, 1)],  # a line of the order, but of the other logistic order
    }
    for code, lines in refusals.items():
        assert _codes(await _ship(gw, operator, nord["id"], lines)) == [code], code
    assert _codes(await _ship(gw, operator, nord["id"], [(notebook, 1)], carrier="  ")) == ["INVALID_INPUT"]
    assert _codes(await _ship(gw, operator, nord["id"], [])) == ["INVALID_INPUT"]
    assert _codes(await _ship(gw, operator, "nope", [(notebook, 1)])) == ["NOT_FOUND"]
    assert await _snapshot(gw) == before

    # Before WAITING_SHIPMENT: no shipment (ACCEPTED_BY_SUPPLIER moves to WAITING_SHIPMENT first).
    early_id = await _place(gw, acme, {"NOTEBOOK": 1})
    early = await _read(gw, operator, early_id)
    await _advance(gw, operator, early["logisticOrders"][0]["id"], TO_SHIPMENT[:2])
    before = await _snapshot(gw)
    refused = await _ship(gw, operator, early["logisticOrders"][0]["id"], [(_line(early, "NOTEBOOK"), 1)])
    assert _codes(refused) == ["INVALID_STATUS_TRANSITION"]
    assert "ACCEPTED_BY_SUPPLIER" in refused["errors"][0]["message"]
    assert await _snapshot(gw) == before


async def test_return_with_and_without_restock(gw: Gateway, acme: dict, operator: dict) -> None:
    order = await _ready(gw, acme, operator, {"NOTEBOOK": 5, "PAPER-A4": 10})
    notebook, paper = _line(order, "NOTEBOOK"), _line(order, "PAPER-A4")
    offers = await offer_ids(gw, acme)
    lo = order["logisticOrders"][0]
    assert (await _ship(gw, operator, lo["id"], [(notebook, 5), (paper, 10)]))["errors"] == []
    notebooks, papers = await _stock(gw, offers["NOTEBOOK"]), await _stock(gw, offers["PAPER-A4"])

    back = await _return(
        gw, operator, order["reference"].lower(), [(notebook, 2, True), (paper, 4, False)], reason="torn"
    )
    assert back["errors"] == []
    assert back["return"]["reason"] == "torn" and back["return"]["logisticOrderId"] == lo["id"]
    assert {(ln["sku"], ln["quantity"], ln["restock"]) for ln in back["return"]["lines"]} == {
        ("NOTEBOOK", 2, True),
        ("PAPER-A4", 4, False),
    }
    assert await _stock(gw, offers["NOTEBOOK"]) == notebooks + 2  # exactly the restocked units
    assert await _stock(gw, offers["PAPER-A4"]) == papers  # not restocked: unchanged

    again = await _return(gw, operator, order["id"], [(notebook, 1, False)])
    assert again["errors"] == []
    assert await _stock(gw, offers["NOTEBOOK"]) == notebooks + 2
    assert {ln["sku"]: ln["returnedQuantity"] for ln in again["order"]["lines"]} == {"NOTEBOOK": 3, "PAPER-A4": 4}

    seen = await _read(gw, acme, order["id"])  # the buyer sees the returns
    assert [r["id"] for r in seen["returns"]] == [back["return"]["id"], again["return"]["id"]]
    assert seen["logisticOrders"][0]["status"] == "SHIPPED"  # a return moves no status
    created = [e["detail"] for e in seen["events"] if e["type"] == "RETURN_CREATED"]
    assert created == [
        f"{lo['reference']}: 6 units in 2 lines, 2 back to stock: torn",
        f"{lo['reference']}: 1 units in 1 lines, 0 back to stock",
    ]


async def test_returns_beyond_shipped_are_refused_and_write_nothing(gw: Gateway, acme: dict, operator: dict) -> None:
    order = await _ready(gw, acme, operator, {"NOTEBOOK": 5, "PAPER-A4": 10, "CHAIR-ERGO": 3})
    notebook, paper, chair = _line(order, "NOTEBOOK"), _line(order, "PAPER-A4"), _line(order, "CHAIR-ERGO")
    nord = next(lo for lo in order["logisticOrders"] if notebook in {ln["id"] for ln in lo["lines"]})
    sud = next(lo for lo in order["logisticOrders"] if lo["id"] != nord["id"])
    assert (await _ship(gw, operator, nord["id"], [(notebook, 2)]))["errors"] == []
    assert (await _ship(gw, operator, sud["id"], [(chair, 3)]))["errors"] == []
    assert (await _return(gw, operator, order["id"], [(notebook, 1, True)]))["errors"] == []
    other = await _place(gw, acme, {"NOTEBOOK": 1})  # another order of the same account
    before = await _snapshot(gw)

    over = await _return(gw, operator, order["id"], [(notebook, 2, True)])
    assert over["return"] is None and over["order"] is None
    assert [(e["code"], e["index"], e["lineId"]) for e in over["errors"]] == [("RETURN_EXCEEDS_SHIPPED", 0, notebook)]
    assert over["errors"][0]["message"] == "NOTEBOOK: 2 shipped, 1 returned already, 2 more asked"
    assert _codes(await _return(gw, operator, order["id"], [(paper, 1, False)])) == ["RETURN_EXCEEDS_SHIPPED"]
    # Two logistic orders in one return: one return per supplier.
    two = await _return(gw, operator, order["id"], [(notebook, 1, True), (chair, 1, True)])
    assert _codes(two) == ["INVALID_INPUT"] and "one return per logistic order" in two["errors"][0]["message"]
    assert _codes(await _return(gw, operator, order["id"], [(chair, -1, True)])) == ["INVALID_QUANTITY"]
    assert _codes(await _return(gw, operator, order["id"], [(chair, 1, True)], reason="x" * 1001)) == ["INVALID_INPUT"]
    assert _codes(await _return(gw, operator, other, [(notebook, 1, True)])) == ["NOT_FOUND"]
    assert await _snapshot(gw) == before


async def test_buyers_cannot_record_shipments_or_returns(gw: Gateway, acme: dict, operator: dict) -> None:
    order = await _ready(gw, acme, operator, {"NOTEBOOK": 2})
    notebook, lo_id = _line(order, "NOTEBOOK"), order["logisticOrders"][0]["id"]
    assert (await _ship(gw, operator, lo_id, [(notebook, 1)]))["errors"] == []
    before = await _snapshot(gw)
    ship = {"input": {"logisticOrderId": lo_id, "lines": [{"lineId": notebook, "quantity": 1}], "carrier": "DHL"}}
    ret = {"input": {"orderId": order["id"], "lines": [{"lineId": notebook, "quantity": 1, "restock": True}]}}
    for doc, variables in ((SHIP, ship), (RETURN, ret)):
        body = await gw.gql(doc, variables, acme)  # the order's own buyer
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        anonymous = await gw.gql(doc, variables, gw.headers(client="OPERATOR"))
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await _snapshot(gw) == before


async def test_another_tenants_order_is_not_found(gw: Gateway, acme: dict, globex: dict, operator: dict) -> None:
    initech = await gw.as_user("buyer@initech.example", key=OTHER_KEY)
    foreign_id = await _place(gw, initech, {"INITECH-WIDGET": 2}, address="INITECH-HQ")
    foreign = await _read(gw, initech, foreign_id)
    async with gw.session_factory() as s, s.begin():  # ready to ship and shipped, as its own operators would
        lo = await s.get(LogisticOrder, foreign["logisticOrders"][0]["id"])
        lo.status = "WAITING_SHIPMENT"
        s.add(Shipment(tenant_id=lo.tenant_id, order_id=foreign_id, logistic_order_id=lo.id, carrier="UPS"))
        await s.flush()
        shipment_id = await s.scalar(select(Shipment.id).where(Shipment.order_id == foreign_id))
        s.add(ShipmentLine(shipment_id=shipment_id, order_line_id=foreign["lines"][0]["id"], quantity=1))
    widget, foreign_lo = foreign["lines"][0]["id"], foreign["logisticOrders"][0]
    before = await _snapshot(gw)
    for key in (foreign_lo["id"], foreign_lo["reference"]):
        assert _codes(await _ship(gw, operator, key, [(widget, 1)])) == ["NOT_FOUND"]
    for key in (foreign_id, foreign["reference"]):
        assert _codes(await _return(gw, operator, key, [(widget, 1, True)])) == ["NOT_FOUND"]
    assert await _snapshot(gw) == before
    assert (await gw.data(ORDER, {"id": foreign_id}, operator))["order"] is None

    # Another account's buyer of the same tenant sees nothing of ACME's shipments either.
    mine = await _ready(gw, acme, operator, {"NOTEBOOK": 1})
    assert (await _ship(gw, operator, mine["logisticOrders"][0]["id"], [(_line(mine, "NOTEBOOK"), 1)]))["errors"] == []
    assert (await gw.data(ORDER, {"id": mine["id"]}, globex))["order"] is None
    assert len((await _read(gw, acme, mine["id"]))["shipments"]) == 1


async def test_concurrent_shipments_and_returns_never_exceed(gw: Gateway, acme: dict, operator: dict) -> None:
    """Five operators at once, each shipping (then returning) 2 of 5 units: exactly two succeed each time; on
    PostgreSQL they really run at once and serialize on the locked rows."""
    offers = await offer_ids(gw, acme)
    order = await _ready(gw, acme, operator, {"NOTEBOOK": 5})
    notebook, lo_id = _line(order, "NOTEBOOK"), order["logisticOrders"][0]["id"]
    shipped = await asyncio.gather(*(_ship(gw, operator, lo_id, [(notebook, 2)]) for _ in range(5)))
    assert sorted(tuple(_codes(p)) for p in shipped) == [()] * 2 + [("SHIPMENT_EXCEEDS_ORDERED",)] * 3
    stock = await _stock(gw, offers["NOTEBOOK"])
    returned = await asyncio.gather(*(_return(gw, operator, order["id"], [(notebook, 2, True)]) for _ in range(5)))
    assert sorted(tuple(_codes(p)) for p in returned) == [()] * 2 + [("RETURN_EXCEEDS_SHIPPED",)] * 3
    assert await _stock(gw, offers["NOTEBOOK"]) == stock + 4
    seen = await _read(gw, operator, order["id"])
    assert [(ln["shippedQuantity"], ln["returnedQuantity"]) for ln in seen["lines"]] == [(4, 4)]
    assert seen["logisticOrders"][0]["status"] == "PARTIALLY_SHIPPED"


async def test_shipped_and_returned_webhooks(gw: Gateway, acme: dict, operator: dict) -> None:
    with receiver() as hooks:
        _, secret = await subscribe(
            gw, operator, hooks.url, ["ORDER_SHIPPED", "ORDER_RETURNED", "LOGISTIC_ORDER_STATUS_CHANGED"]
        )
        order = await _ready(gw, acme, operator, {"NOTEBOOK": 3})
        notebook, lo_id = _line(order, "NOTEBOOK"), order["logisticOrders"][0]["id"]
        shipment = (await _ship(gw, operator, lo_id, [(notebook, 3)], trackingNumber="1Z"))["shipment"]
        ret = (await _return(gw, operator, order["id"], [(notebook, 1, True)], reason="broken"))["return"]

        dispatcher = Dispatcher(gw.session_factory, gw.settings)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            await dispatcher.run_once()
            async with gw.session_factory() as s:
                if set(await s.scalars(select(WebhookDelivery.status))) == {"DELIVERED"}:
                    break
            await asyncio.sleep(0.02)
        else:
            pytest.fail("deliveries did not finish in time")
        calls = list(hooks.calls)
    for call in calls:
        Webhook(secret).verify(call.body, call.headers)
    events = [c.event for c in calls if c.event["data"]["order"]["id"] == order["id"]]
    moves = [e["data"]["previous"] for e in events if e["type"] == "logistic_order.status_changed"]
    assert moves == ["ORDER_CREATED", "WAITING_SUPPLIER_APPROVAL", "ACCEPTED_BY_SUPPLIER", "WAITING_SHIPMENT"]
    shipped = next(e for e in events if e["type"] == "order.shipped")["data"]
    assert shipped["order"]["logisticOrders"][0]["status"] == "SHIPPED"
    assert shipped["shipment"] == {
        "id": shipment["id"],
        "logisticOrderId": lo_id,
        "carrier": "DHL",
        "trackingNumber": "1Z",
        "createdAt": shipped["shipment"]["createdAt"],
        "lines": [{"lineId": notebook, "sku": "NOTEBOOK", "quantity": 3}],
    }
    returned = next(e for e in events if e["type"] == "order.returned")["data"]
    assert returned["return"]["id"] == ret["id"] and returned["return"]["reason"] == "broken"
    assert returned["return"]["lines"] == [{"lineId": notebook, "sku": "NOTEBOOK", "quantity": 1, "restock": True}]
    assert [e["type"] for e in events][-2:] == ["order.shipped", "order.returned"]


LISTING = f"""{{ orders(filter: {{placed: true}}, first: 50) {{ edges {{ node {{ ... on Order {{ id
  lines {{ sku shippedQuantity returnedQuantity }}
  logisticOrders {{ status shipments {{ {SHIPMENT_FIELDS} }} }}
  shipments {{ {SHIPMENT_FIELDS} }} returns {{ {RETURN_FIELDS} }} }} }} }} }} }}"""


async def test_reading_shipments_and_returns_does_not_grow_with_orders(gw: Gateway, acme: dict, operator: dict) -> None:
    counts = {}
    for n in (2, 5):
        while True:
            listed = (await gw.data(LISTING, headers=acme))["orders"]["edges"]
            if len(listed) >= n:
                break
            order = await _ready(gw, acme, operator, {"NOTEBOOK": 2, "PAPER-A4": 5})
            lo_id = order["logisticOrders"][0]["id"]
            assert (await _ship(gw, operator, lo_id, [(_line(order, "NOTEBOOK"), 2)]))["errors"] == []
            assert (await _ship(gw, operator, lo_id, [(_line(order, "PAPER-A4"), 5)]))["errors"] == []
            assert (await _return(gw, operator, order["id"], [(_line(order, "NOTEBOOK"), 1, True)]))["errors"] == []
        counter = gw.count_statements()
        listed = (await gw.data(LISTING, headers=acme))["orders"]["edges"]
        gw.stop_counting(counter)
        assert len(listed) == n
        assert all(len(e["node"]["shipments"]) == 2 and len(e["node"]["returns"]) == 1 for e in listed)
        counts[n] = counter.count
    print(f"statements: orders with shipments and returns, 2 orders = {counts[2]}, 5 orders = {counts[5]}")
    assert counts[2] == counts[5]
