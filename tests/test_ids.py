"""One id per thing, over HTTP on both databases: every argument that names an order (draft or placed) takes
its id or its reference in any case; a logistic order likewise; a quote or an operation its id or its
externalId. Enum-like filter values are enums: a wrong one is a validation error, not a filter that matches
everything."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Operation, Quote
from tests.support.documents import (
    ADD,
    DELETE,
    DRAFT,
    PAYLOAD,
    PLACE,
    REMOVE_LINES,
    SYNC,
    UPDATE,
    UPDATE_LINES,
    offer_ids,
    ready_draft,
)
from tests.support.gateway import Gateway

ORDER = "query($id: ID!) { order(id: $id) { id reference status } }"
CANCEL = """mutation($id: ID!) { cancelOrder(id: $id, reason: "by reference") {
  order { id status } errors { code } } }"""
PAY = """mutation($key: String!) { payOrder(orderKey: $key, paymentMethodId: "bank-wire") {
  result { __typename ... on DirectPayment { order { id paymentStatus } } } errors { code } } }"""
METHODS = "query($d: ID) { paymentMethods(draftOrderId: $d) { code } shippingMethods(draftOrderId: $d) { code } }"
APPLY = f"""mutation($id: ID!) {{ applyVoucher(draftOrderId: $id, code: "welcome10") {{ {PAYLOAD} }} }}"""
REMOVE_VOUCHER = f"mutation($id: ID!) {{ removeVoucher(draftOrderId: $id) {{ {PAYLOAD} }} }}"
LOGISTIC = "query($id: ID!) { logisticOrder(id: $id) { id reference status incident } }"
TRANSITION = """mutation($id: ID!, $to: LogisticOrderStatus!) { transitionLogisticOrder(id: $id, to: $to) {
  logisticOrder { id status } errors { code } } }"""
INCIDENT = """mutation($id: ID!, $on: Boolean!) { setLogisticOrderIncident(id: $id, incident: $on) {
  logisticOrder { id incident } errors { code } } }"""
QUOTE = "query($id: ID!) { quote(id: $id) { id externalId } }"
FROM_QUOTE = f"mutation($id: ID!) {{ createDraftOrderFromQuote(quoteId: $id) {{ {PAYLOAD} }} }}"
QUOTE_MOVE = "mutation($id: ID!) { %s(quoteId: $id) { quote { id status } errors { code } } }"
QUOTE_LINES = """mutation($id: ID!) { updateQuoteLines(quoteId: $id, lines: []) { quote { id } errors { code } } }"""
OPERATION = "query($id: ID!) { operation(id: $id) { id externalId } }"
FROM_OP = f"mutation($id: ID!) {{ createDraftOrderFromOperation(operationId: $id, full: false) {{ {PAYLOAD} }} }}"
SET_OP = """mutation($id: ID!, $s: OperationStatus!) { setOperationStatus(id: $id, status: $s) {
  operation { id status } errors { code } } }"""
UPDATE_OP = """mutation($id: ID!) { updateOperation(id: $id, input: {name: "Renamed"}) {
  operation { id name } errors { code } } }"""
DELETE_OP = "mutation($id: ID!) { deleteOperation(id: $id) { deletedId errors { code } } }"
FILTERED = "query($f: OrderFilter) { orders(filter: $f) { totalCount } }"


def forms(thing: dict) -> list[str]:
    """Every form an argument naming this order (or logistic order) accepts."""
    return [thing["id"], thing["reference"], thing["reference"].lower()]


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def _placed(gw: Gateway, headers: dict, offers: dict) -> dict:
    draft = await ready_draft(gw, headers, offers, "NOTEBOOK", 2)
    placed = (await gw.data(PLACE, {"id": draft["reference"].lower()}, headers))["placeDraftOrder"]
    assert placed["errors"] == [], placed
    return placed["order"]


async def test_draft_arguments_take_id_and_reference(gw: Gateway, acme: dict, globex: dict) -> None:
    offers = await offer_ids(gw, acme)
    draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 2)
    expected_methods = await gw.data(METHODS, {"d": draft["id"]}, acme)
    for n, key in enumerate(forms(draft)):
        assert (await gw.data(DRAFT, {"id": key}, acme))["draftOrder"]["id"] == draft["id"], key
        assert await gw.data(METHODS, {"d": key}, acme) == expected_methods, key
        payloads = [
            (await gw.data(UPDATE, {"id": key, "input": {"notes": f"note {n}"}}, acme))["updateDraftOrder"],
            (await gw.data(ADD, {"id": key, "lines": [{"offerId": offers["PAPER-A4"], "quantity": 5}]}, acme))[
                "addDraftOrderLines"
            ],
            (await gw.data(SYNC, {"id": key}, acme))["syncDraftOrder"],
            (await gw.data(APPLY, {"id": key}, acme))["applyVoucher"],
            (await gw.data(REMOVE_VOUCHER, {"id": key}, acme))["removeVoucher"],
        ]
        for p in payloads:
            assert p["errors"] == [] and p["draftOrder"]["id"] == draft["id"], (key, p)
        line = next(ln for ln in payloads[1]["draftOrder"]["lines"] if ln["sku"] == "PAPER-A4")
        changed = (await gw.data(UPDATE_LINES, {"id": key, "lines": [{"lineId": line["id"], "quantity": 10}]}, acme))[
            "updateDraftOrderLines"
        ]
        assert changed["errors"] == [] and changed["draftOrder"]["id"] == draft["id"], (key, changed)
        removed = (await gw.data(REMOVE_LINES, {"id": key, "ids": [line["id"]]}, acme))["removeDraftOrderLines"]
        assert removed["errors"] == [] and removed["draftOrder"]["id"] == draft["id"], (key, removed)
    # Another account's draft by its reference: as absent as by its id.
    assert (await gw.data(DRAFT, {"id": draft["reference"].lower()}, globex))["draftOrder"] is None
    deleted = (await gw.data(DELETE, {"id": draft["reference"]}, globex))["deleteDraftOrder"]
    assert codes(deleted) == ["NOT_FOUND"]
    # deleteDraftOrder by reference answers the draft's id; placeDraftOrder by reference (lower case): _placed.
    for lower in (False, True):
        other = await ready_draft(gw, acme, offers, "NOTEBOOK", 1)
        key = other["reference"].lower() if lower else other["reference"]
        assert (await gw.data(DELETE, {"id": key}, acme))["deleteDraftOrder"] == {
            "deletedId": other["id"],
            "errors": [],
        }
    placed = await _placed(gw, acme, offers)
    assert placed["status"] == "PLACED"
    # An idempotency key replays the same arguments only: the same draft named another way is another request.
    keyed = await ready_draft(gw, acme, offers, "NOTEBOOK", 1)
    first = (await gw.data(PLACE, {"id": keyed["id"], "input": {"idempotencyKey": "ids-1"}}, acme))["placeDraftOrder"]
    again = (await gw.data(PLACE, {"id": keyed["id"], "input": {"idempotencyKey": "ids-1"}}, acme))["placeDraftOrder"]
    assert first["errors"] == [] and again["order"]["id"] == first["order"]["id"] == keyed["id"]
    other_form = {"id": keyed["reference"], "input": {"idempotencyKey": "ids-1"}}
    assert codes((await gw.data(PLACE, other_form, acme))["placeDraftOrder"]) == ["IDEMPOTENCY_KEY_REUSED"]


async def test_order_arguments_take_id_and_reference(gw: Gateway, acme: dict, globex: dict, operator: dict) -> None:
    offers = await offer_ids(gw, acme)
    placed = await _placed(gw, acme, offers)
    for key in forms(placed):
        for who in (acme, operator):
            assert (await gw.data(ORDER, {"id": key}, who))["order"]["id"] == placed["id"], key
        assert (await gw.data(ORDER, {"id": key}, globex))["order"] is None, key
    # A logistic order's reference names no commercial order.
    assert (await gw.data(ORDER, {"id": placed["logisticOrders"][0]["reference"]}, acme))["order"] is None

    # payOrder: each form pays (a fresh unpaid order per form).
    for n in range(3):
        order = placed if n == 0 else await _placed(gw, acme, offers)
        key = forms(order)[n]
        paid = (await gw.data(PAY, {"key": key}, acme))["payOrder"]
        assert paid["errors"] == [] and paid["result"]["__typename"] == "DirectPayment", (key, paid)
        assert paid["result"]["order"]["id"] == order["id"], (key, paid)

    # cancelOrder: each form cancels (a fresh order per form); a foreign or unknown key is NOT_FOUND.
    for n in range(3):
        order = await _placed(gw, acme, offers)
        key = forms(order)[n]
        canceled = (await gw.data(CANCEL, {"id": key}, operator))["cancelOrder"]
        assert canceled == {"order": {"id": order["id"], "status": "CANCELED"}, "errors": []}, key
    for key in ("ORD-000000-NOPE00", placed["logisticOrders"][0]["reference"]):
        assert codes((await gw.data(CANCEL, {"id": key}, operator))["cancelOrder"]) == ["NOT_FOUND"], key


async def test_logistic_order_arguments_take_id_and_reference(gw: Gateway, acme: dict, operator: dict) -> None:
    offers = await offer_ids(gw, acme)
    placed = await _placed(gw, acme, offers)
    logistic = placed["logisticOrders"][0]
    assert logistic["reference"] == f"{placed['reference']}-1"
    for key in forms(logistic):
        for who in (acme, operator):
            found = (await gw.data(LOGISTIC, {"id": key}, who))["logisticOrder"]
            assert found is not None and found["id"] == logistic["id"], key
    statuses = ["WAITING_SUPPLIER_APPROVAL", "ACCEPTED_BY_SUPPLIER", "WAITING_SHIPMENT"]
    for key, to in zip(forms(logistic), statuses, strict=True):
        moved = (await gw.data(TRANSITION, {"id": key, "to": to}, operator))["transitionLogisticOrder"]
        assert moved == {"logisticOrder": {"id": logistic["id"], "status": to}, "errors": []}, key
    for key, on in zip(forms(logistic), (True, False, True), strict=True):
        flagged = (await gw.data(INCIDENT, {"id": key, "on": on}, operator))["setLogisticOrderIncident"]
        assert flagged == {"logisticOrder": {"id": logistic["id"], "incident": on}, "errors": []}, key
    # Names that are no logistic order: the commercial order's id or reference, another number, garbage.
    for key in (placed["id"], placed["reference"], f"{placed['reference']}-9", "-1", "-", "x-"):
        assert (await gw.data(LOGISTIC, {"id": key}, operator))["logisticOrder"] is None, key
        moved = (await gw.data(TRANSITION, {"id": key, "to": "SHIPPED"}, operator))["transitionLogisticOrder"]
        assert codes(moved) == ["NOT_FOUND"], key
    # Another account's buyer does not see it by reference either.
    globex = await gw.as_user("buyer@globex.example")
    assert (await gw.data(LOGISTIC, {"id": logistic["reference"]}, globex))["logisticOrder"] is None


async def _row_id(gw: Gateway, model, external_id: str) -> str:  # noqa: ANN001
    async with gw.session_factory() as s:
        return await s.scalar(select(model.id).where(model.external_id == external_id))


async def test_quote_arguments_take_id_and_external_id(gw: Gateway, acme: dict, operator: dict) -> None:
    quote_id = await _row_id(gw, Quote, "Q-ACME-1")
    for key in (quote_id, "Q-ACME-1"):
        for who in (acme, operator):
            assert (await gw.data(QUOTE, {"id": key}, who))["quote"] == {"id": quote_id, "externalId": "Q-ACME-1"}
    # External ids are the tenant's own and compared exactly.
    assert (await gw.data(QUOTE, {"id": "q-acme-1"}, acme))["quote"] is None
    first = (await gw.data(FROM_QUOTE, {"id": "Q-ACME-1"}, acme))["createDraftOrderFromQuote"]
    again = (await gw.data(FROM_QUOTE, {"id": quote_id}, acme))["createDraftOrderFromQuote"]
    assert first["errors"] == [] and again["errors"] == []
    assert again["draftOrder"]["id"] == first["draftOrder"]["id"]  # one live draft per quote, however named
    for key in (quote_id, "Q-ACME-1"):
        assert codes((await gw.data(QUOTE_LINES, {"id": key}, operator))["updateQuoteLines"]) == [
            "QUOTE_NOT_EDITABLE"
        ], key
        assert codes((await gw.data(QUOTE_MOVE % "sendQuote", {"id": key}, operator))["sendQuote"]) == [
            "INVALID_STATUS_TRANSITION"
        ], key
    declined = (await gw.data(QUOTE_MOVE % "declineQuote", {"id": "Q-ACME-1"}, operator))["declineQuote"]
    assert declined == {"quote": {"id": quote_id, "status": "DECLINED_BY_SUPPLIER"}, "errors": []}
    assert codes((await gw.data(QUOTE_MOVE % "sendQuote", {"id": "Q-NOPE"}, operator))["sendQuote"]) == ["NOT_FOUND"]


async def test_operation_arguments_take_id_and_external_id(gw: Gateway, acme: dict, operator: dict) -> None:
    op_id = await _row_id(gw, Operation, "OP-BACK-TO-SCHOOL")
    for key in (op_id, "OP-BACK-TO-SCHOOL"):
        for who in (acme, operator):
            found = (await gw.data(OPERATION, {"id": key}, who))["operation"]
            assert found == {"id": op_id, "externalId": "OP-BACK-TO-SCHOOL"}, key
        started = (await gw.data(FROM_OP, {"id": key}, acme))["createDraftOrderFromOperation"]
        assert started["errors"] == [] and started["draftOrder"]["source"] == {"type": "OPERATION", "id": op_id}
    assert (await gw.data(OPERATION, {"id": "op-back-to-school"}, acme))["operation"] is None
    for key, status in ((op_id, "INACTIVE"), ("OP-BACK-TO-SCHOOL", "ACTIVE")):
        moved = (await gw.data(SET_OP, {"id": key, "s": status}, operator))["setOperationStatus"]
        assert moved == {"operation": {"id": op_id, "status": status}, "errors": []}, key
    # Lines, accounts and name change only in DRAFT or INACTIVE; deletion only in DRAFT: a named refusal.
    for key in (op_id, "OP-BACK-TO-SCHOOL"):
        assert codes((await gw.data(UPDATE_OP, {"id": key}, operator))["updateOperation"]) != ["NOT_FOUND"], key
        assert codes((await gw.data(DELETE_OP, {"id": key}, operator))["deleteOperation"]) == [
            "OPERATION_DELETE_BLOCKED"
        ], key
    assert codes((await gw.data(DELETE_OP, {"id": "OP-NOPE"}, operator))["deleteOperation"]) == ["NOT_FOUND"]


async def test_source_types_filter_refuses_an_unknown_value(gw: Gateway, acme: dict) -> None:
    offers = await offer_ids(gw, acme)
    await gw.data(FROM_QUOTE, {"id": "Q-ACME-1"}, acme)
    await ready_draft(gw, acme, offers, "NOTEBOOK", 1)
    assert (await gw.data(FILTERED, {"f": {"sourceTypes": ["QUOTE"]}}, acme))["orders"]["totalCount"] == 1
    assert (await gw.data(FILTERED, {"f": {"sourceTypes": []}}, acme))["orders"]["totalCount"] == 2
    # As a variable: a coercion error; written in the document: a validation error. Either way no data.
    for query, variables in (
        (FILTERED, {"f": {"sourceTypes": ["NOPE"]}}),
        (FILTERED, {"f": {"sourceTypes": ["quote"]}}),
        ("{ orders(filter: {sourceTypes: [NOPE]}) { totalCount } }", None),
        ('{ orders(filter: {sourceTypes: ["QUOTE"]}) { totalCount } }', None),
    ):
        plain = await gw.post(query, variables, acme)
        assert plain.status_code == 200, plain.text
        assert plain.json()["data"] is None and plain.json()["errors"], plain.text
        graphql_response = await gw.post(query, variables, {**acme, "accept": "application/graphql-response+json"})
        assert graphql_response.status_code == 400, graphql_response.text
        assert "data" not in graphql_response.json() and graphql_response.json()["errors"]
    # Sort stays a list of strings whose malformed entries are ignored (SPEC 7).
    assert (await gw.data('{ orders(sort: ["bogus"]) { totalCount } }', None, acme))["orders"]["totalCount"] == 2
