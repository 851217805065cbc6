"""Quotes and operations over HTTP on the demo data: drafts from a source, every rule and code, and the
operator transitions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from app.models import Offer, Operation, Quote, Tenant
from tests.support.documents import ADD, PAYLOAD, PLACE, UPDATE, UPDATE_LINES, offer_ids, variant_ids
from tests.support.gateway import Gateway

FROM_QUOTE = f"mutation($id: ID!) {{ createDraftOrderFromQuote(quoteId: $id) {{ {PAYLOAD} }} }}"
FROM_OP = (
    f"mutation($id: ID!, $full: Boolean!) {{ createDraftOrderFromOperation(operationId: $id, full: $full) {{ "
    f"{PAYLOAD} }} }}"
)
QUOTES = "{ quotes { totalCount edges { node { id externalId status lines { quantity unitPrice { amount } } } } } }"
OPERATIONS = "{ operations { totalCount edges { node { externalId status type lines { variant { sku } } } } } }"
SET_OP_STATUS = """mutation($id: ID!, $s: OperationStatus!) { setOperationStatus(id: $id, status: $s) {
  operation { status } errors { code message } } }"""
CREATE_OP = """mutation($input: CreateOperationInput!) { createOperation(input: $input) {
  operation { id status lines { sku: variant { sku } minQuantity } } errors { code index } } }"""


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def _id(gw: Gateway, model, external_id: str) -> str:  # noqa: ANN001
    async with gw.session_factory() as s:
        return await s.scalar(select(model.id).where(model.external_id == external_id))


async def test_quote_to_locked_draft_that_places(gw: Gateway, acme: dict) -> None:
    p = (await gw.data(FROM_QUOTE, {"id": "Q-ACME-1"}, acme))["createDraftOrderFromQuote"]
    assert p["errors"] == []
    d = p["draftOrder"]
    assert d["status"] == "DRAFT_ON_HOLD" and d["source"]["type"] == "QUOTE"
    assert [(ln["sku"], ln["quantity"], ln["unitPrice"]["amount"]) for ln in d["lines"]] == [
        ("NOTEBOOK", 100, "2.50"),
        ("PAPER-A4", 50, "3.90"),
    ]
    assert [w["code"] for w in p["warnings"]] == ["INSUFFICIENT_STOCK"] and "TONER-X" in p["warnings"][0]["message"]
    # starting it again returns the same live draft
    again = (await gw.data(FROM_QUOTE, {"id": "Q-ACME-1"}, acme))["createDraftOrderFromQuote"]
    assert again["draftOrder"]["id"] == d["id"]
    # lines are locked; addresses and metadata are not
    offers = await offer_ids(gw, acme)
    add = await gw.data(ADD, {"id": d["id"], "lines": [{"offerId": offers["STAPLER"], "quantity": 1}]}, acme)
    assert codes(add["addDraftOrderLines"]) == ["ORDER_NOT_EDITABLE"]
    upd = await gw.data(UPDATE_LINES, {"id": d["id"], "lines": [{"lineId": d["lines"][0]["id"], "quantity": 1}]}, acme)
    assert codes(upd["updateDraftOrderLines"]) == ["ORDER_NOT_EDITABLE"]
    ok = await gw.data(
        UPDATE,
        {
            "id": d["id"],
            "input": {
                "shippingAddressId": "ACME-HQ",
                "billingAddressId": "ACME-HQ",
                "metadata": [{"key": "po", "value": "1"}],
            },
        },
        acme,
    )
    assert ok["updateDraftOrder"]["errors"] == []
    placed = (await gw.data(PLACE, {"id": d["id"]}, acme))["placeDraftOrder"]
    assert placed["errors"] == [] and placed["order"]["status"] == "PLACED"
    assert placed["order"]["total"]["amount"] == "534.00"  # (250.00 + 195.00) * 1.2
    async with gw.session_factory() as s:
        assert await s.scalar(select(Quote.status).where(Quote.external_id == "Q-ACME-1")) == "VALIDATED"


async def test_quote_eligibility(gw: Gateway, acme: dict, globex: dict) -> None:
    old = (await gw.data(FROM_QUOTE, {"id": "Q-ACME-OLD"}, acme))["createDraftOrderFromQuote"]
    assert codes(old) == ["QUOTE_NOT_ELIGIBLE"] and old["draftOrder"] is None
    foreign = (await gw.data(FROM_QUOTE, {"id": "Q-ACME-1"}, globex))["createDraftOrderFromQuote"]
    assert codes(foreign) == ["NOT_FOUND"]
    q = "query($id: ID!) { quote(id: $id) { externalId } }"
    assert (await gw.data(q, {"id": "Q-ACME-1"}, globex))["quote"] is None
    assert (await gw.data(q, {"id": await _id(gw, Quote, "Q-ACME-1")}, acme))["quote"] == {"externalId": "Q-ACME-1"}
    listed = (await gw.data(QUOTES, headers=acme))["quotes"]
    statuses = {e["node"]["externalId"]: e["node"]["status"] for e in listed["edges"]}
    assert statuses == {"Q-ACME-1": "WAITING_FOR_CUSTOMER", "Q-ACME-OLD": "EXPIRED"}
    assert (await gw.data(QUOTES, headers=globex))["quotes"]["totalCount"] == 0


async def test_quote_with_nothing_in_stock(gw: Gateway, acme: dict) -> None:
    async with gw.session_factory() as s, s.begin():
        await s.execute(update(Offer).values(stock=0))
    p = (await gw.data(FROM_QUOTE, {"id": "Q-ACME-1"}, acme))["createDraftOrderFromQuote"]
    assert codes(p) == ["NO_LINES_AVAILABLE"] and p["draftOrder"] is None
    assert [w["code"] for w in p["warnings"]] == ["INSUFFICIENT_STOCK"] * 3


async def test_operation_full_draft(gw: Gateway, acme: dict, globex: dict) -> None:
    g = (await gw.data(FROM_OP, {"id": "OP-BACK-TO-SCHOOL", "full": True}, globex))["createDraftOrderFromOperation"]
    assert g["errors"] == []
    assert [(ln["sku"], ln["quantity"]) for ln in g["draftOrder"]["lines"]] == [("NOTEBOOK", 50), ("PEN-BLUE", 20)]
    assert [w["code"] for w in g["warnings"]] == ["PRODUCT_NOT_VISIBLE"] and "CHAIR-ERGO" in g["warnings"][0]["message"]
    assert g["draftOrder"]["source"]["type"] == "OPERATION"
    a = (await gw.data(FROM_OP, {"id": "OP-BACK-TO-SCHOOL", "full": True}, acme))["createDraftOrderFromOperation"]
    assert [(ln["sku"], ln["quantity"]) for ln in a["draftOrder"]["lines"]] == [
        ("NOTEBOOK", 50),
        ("PEN-BLUE", 20),
        ("CHAIR-ERGO", 1),
    ]
    assert a["warnings"] == []
    # orders can filter on the source
    q = "query($f: OrderFilter) { orders(filter: $f) { totalCount } }"
    op_id = await _id(gw, Operation, "OP-BACK-TO-SCHOOL")
    assert (await gw.data(q, {"f": {"sourceTypes": ["OPERATION"], "sourceIds": [op_id]}}, acme))["orders"][
        "totalCount"
    ] == 1


async def test_operation_partial_draft_obeys_operation_limits(gw: Gateway, acme: dict) -> None:
    p = (await gw.data(FROM_OP, {"id": "OP-BACK-TO-SCHOOL", "full": False}, acme))["createDraftOrderFromOperation"]
    d = p["draftOrder"]
    assert p["errors"] == [] and d["lines"] == []
    variants = await variant_ids(gw, acme)
    too_many = (
        await gw.data(ADD, {"id": d["id"], "lines": [{"variantId": variants["NOTEBOOK"], "quantity": 201}]}, acme)
    )["addDraftOrderLines"]
    assert codes(too_many) == ["QUANTITY_ABOVE_MAX"]
    too_few = (
        await gw.data(ADD, {"id": d["id"], "lines": [{"variantId": variants["NOTEBOOK"], "quantity": 5}]}, acme)
    )["addDraftOrderLines"]
    assert codes(too_few) == ["QUANTITY_BELOW_MIN"]
    ok = (await gw.data(ADD, {"id": d["id"], "lines": [{"variantId": variants["NOTEBOOK"], "quantity": 200}]}, acme))[
        "addDraftOrderLines"
    ]
    assert ok["errors"] == []
    # placement re-checks the operation
    await gw.data(
        UPDATE, {"id": d["id"], "input": {"shippingAddressId": "ACME-HQ", "billingAddressId": "ACME-HQ"}}, acme
    )
    async with gw.session_factory() as s, s.begin():
        await s.execute(
            update(Operation)
            .where(Operation.external_id == "OP-BACK-TO-SCHOOL")
            .values(ends_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    refused = (await gw.data(PLACE, {"id": d["id"]}, acme))["placeDraftOrder"]
    assert codes(refused) == ["OPERATION_NOT_AVAILABLE"]


async def test_operation_availability(gw: Gateway, acme: dict, globex: dict) -> None:
    for op, headers in (("OP-ENDED", acme), ("OP-PRIVATE-GLOBEX", acme), ("nope", acme)):
        p = (await gw.data(FROM_OP, {"id": op, "full": True}, headers))["createDraftOrderFromOperation"]
        assert codes(p) == ["OPERATION_NOT_AVAILABLE"], op
    p = (await gw.data(FROM_OP, {"id": "OP-PRIVATE-GLOBEX", "full": True}, globex))["createDraftOrderFromOperation"]
    assert p["errors"] == []
    listed = {e["node"]["externalId"] for e in (await gw.data(OPERATIONS, headers=acme))["operations"]["edges"]}
    assert listed == {"OP-BACK-TO-SCHOOL"}
    listed = {e["node"]["externalId"] for e in (await gw.data(OPERATIONS, headers=globex))["operations"]["edges"]}
    assert listed == {"OP-BACK-TO-SCHOOL", "OP-PRIVATE-GLOBEX"}
    q = "query($id: ID!) { operation(id: $id) { externalId lines { variant { sku } } } }"
    seen = (await gw.data(q, {"id": "OP-BACK-TO-SCHOOL"}, globex))["operation"]
    assert [ln["variant"]["sku"] for ln in seen["lines"]] == ["NOTEBOOK", "PEN-BLUE"]
    assert (await gw.data(q, {"id": "OP-ENDED"}, acme))["operation"] is None


async def test_operations_feature_flag(gw: Gateway, acme: dict) -> None:
    async with gw.session_factory() as s, s.begin():
        await s.execute(update(Tenant).where(Tenant.external_id == "demo").values(flags=["STOCK_CHECK"]))
    p = (await gw.data(FROM_OP, {"id": "OP-BACK-TO-SCHOOL", "full": True}, acme))["createDraftOrderFromOperation"]
    assert codes(p) == ["FEATURE_DISABLED"]


async def test_operator_quote_flow_and_buyer_refusal(gw: Gateway, acme: dict, operator: dict) -> None:
    offers = await offer_ids(gw, acme)
    create = """mutation($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id status lines {
      quantity unitPrice { amount } } } errors { code index } } }"""
    body = await gw.gql(create, {"input": {"accountId": "ACME", "lines": []}}, acme)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    bad = (
        await gw.data(
            create,
            {
                "input": {
                    "accountId": "ACME",
                    "lines": [
                        {"offerId": offers["STAPLER"], "quantity": 0, "unitPrice": "1.00"},
                        {"offerId": offers["STAPLER"], "quantity": 1, "unitPrice": "x"},
                    ],
                }
            },
            operator,
        )
    )["createQuote"]
    assert [e["code"] for e in bad["errors"]] == ["INVALID_INPUT"]
    p = (
        await gw.data(
            create,
            {
                "input": {
                    "accountId": "ACME",
                    "name": "Q",
                    "expiresAt": "2099-01-01T00:00:00Z",
                    "lines": [{"offerId": offers["STAPLER"], "quantity": 3, "unitPrice": "12.00"}],
                }
            },
            operator,
        )
    )["createQuote"]
    assert p["errors"] == [] and p["quote"]["status"] == "NEW"
    qid = p["quote"]["id"]
    move = "mutation($id: ID!) { %s(quoteId: $id) { quote { status } errors { code } } }"
    assert (await gw.data(move % "sendQuote", {"id": qid}, operator))["sendQuote"]["quote"][
        "status"
    ] == "WAITING_FOR_CUSTOMER"
    assert codes((await gw.data(move % "sendQuote", {"id": qid}, operator))["sendQuote"]) == [
        "INVALID_STATUS_TRANSITION"
    ]
    lines = """mutation($id: ID!, $l: [QuoteLineInput!]!) { updateQuoteLines(quoteId: $id, lines: $l) {
      errors { code } } }"""
    assert codes((await gw.data(lines, {"id": qid, "l": []}, operator))["updateQuoteLines"]) == ["QUOTE_NOT_EDITABLE"]
    d = (await gw.data(FROM_QUOTE, {"id": qid}, acme))["createDraftOrderFromQuote"]
    assert d["draftOrder"]["lines"][0]["unitPrice"]["amount"] == "12.00"
    assert (await gw.data(move % "declineQuote", {"id": qid}, operator))["declineQuote"]["quote"][
        "status"
    ] == "DECLINED_BY_SUPPLIER"
    assert codes((await gw.data(move % "declineQuote", {"id": qid}, operator))["declineQuote"]) == [
        "INVALID_STATUS_TRANSITION"
    ]


async def test_operator_operation_transitions(gw: Gateway, acme: dict, operator: dict) -> None:
    variants = await variant_ids(gw, acme)
    now = datetime.now(UTC)
    bad_lines = [
        {"variantId": variants["NOTEBOOK"], "minQuantity": 10, "maxQuantity": 5},
        {"variantId": variants["PEN-BLUE"], "minQuantity": 1, "maxQuantity": 5, "recommendedQuantity": 9},
        {"variantId": variants["STAPLER"], "minQuantity": -1},
    ]
    bad = (
        await gw.data(CREATE_OP, {"input": {"name": "X", "startsAt": now.isoformat(), "lines": bad_lines}}, operator)
    )["createOperation"]
    assert [(e["code"], e["index"]) for e in bad["errors"]] == [
        ("INVALID_INPUT", 0),
        ("INVALID_INPUT", 1),
        ("INVALID_INPUT", 2),
    ]
    body = await gw.gql(CREATE_OP, {"input": {"name": "X", "startsAt": now.isoformat(), "lines": []}}, acme)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    good = (
        await gw.data(
            CREATE_OP,
            {
                "input": {
                    "name": "Flash",
                    "startsAt": (now - timedelta(hours=1)).isoformat(),
                    "endsAt": (now + timedelta(days=1)).isoformat(),
                    "lines": [
                        {
                            "variantId": variants["NOTEBOOK"],
                            "minQuantity": 1,
                            "maxQuantity": 5,
                            "recommendedQuantity": 2,
                        }
                    ],
                }
            },
            operator,
        )
    )["createOperation"]
    assert good["errors"] == [] and good["operation"]["status"] == "DRAFT"
    op_id = good["operation"]["id"]

    async def status(to: str) -> list[str]:
        return codes((await gw.data(SET_OP_STATUS, {"id": op_id, "s": to}, operator))["setOperationStatus"])

    update_op = """mutation($id: ID!, $input: UpdateOperationInput!) { updateOperation(id: $id, input: $input) {
      errors { code } } }"""
    lines = {"lines": [{"variantId": variants["NOTEBOOK"], "recommendedQuantity": 3}]}
    assert codes((await gw.data(update_op, {"id": op_id, "input": lines}, operator))["updateOperation"]) == []
    assert await status("DRAFT") == ["INVALID_STATUS_TRANSITION"]
    assert await status("ACTIVE") == []
    assert codes((await gw.data(update_op, {"id": op_id, "input": lines}, operator))["updateOperation"]) == [
        "OPERATION_NOT_EDITABLE"
    ]
    assert await status("ACTIVE") == ["INVALID_STATUS_TRANSITION"]
    assert await status("DRAFT") == ["INVALID_STATUS_TRANSITION"]
    assert await status("INACTIVE") == []
    assert await status("ACTIVE") == []
    assert await status("INACTIVE") == []
    # reactivation only before the end date
    async with gw.session_factory() as s, s.begin():
        await s.execute(update(Operation).where(Operation.id == op_id).values(ends_at=now - timedelta(minutes=1)))
    assert await status("ACTIVE") == ["INVALID_STATUS_TRANSITION"]
    delete = "mutation($id: ID!) { deleteOperation(id: $id) { deletedId errors { code } } }"
    assert codes((await gw.data(delete, {"id": op_id}, operator))["deleteOperation"]) == ["OPERATION_DELETE_BLOCKED"]
    draft_op = (
        await gw.data(CREATE_OP, {"input": {"name": "Tmp", "startsAt": now.isoformat(), "lines": []}}, operator)
    )["createOperation"]["operation"]["id"]
    assert (await gw.data(delete, {"id": draft_op}, operator))["deleteOperation"] == {
        "deletedId": draft_op,
        "errors": [],
    }


async def test_active_operation_past_end_reads_inactive(gw: Gateway, operator: dict) -> None:
    q = "query($id: ID!) { operation(id: $id) { status } }"
    assert (await gw.data(q, {"id": "OP-ENDED"}, operator))["operation"]["status"] == "INACTIVE"
    assert (await gw.data(q, {"id": "OP-BACK-TO-SCHOOL"}, operator))["operation"]["status"] == "ACTIVE"


OP_ALLOWED = {("DRAFT", "ACTIVE"), ("DRAFT", "INACTIVE"), ("ACTIVE", "INACTIVE"), ("INACTIVE", "ACTIVE")}


@pytest.mark.parametrize("start", ["DRAFT", "ACTIVE", "INACTIVE"])
async def test_every_operation_status_transition(gw: Gateway, operator: dict, start: str) -> None:
    op_id = await _id(gw, Operation, "OP-BACK-TO-SCHOOL")
    for target in ("DRAFT", "ACTIVE", "INACTIVE"):
        async with gw.session_factory() as s, s.begin():
            await s.execute(update(Operation).where(Operation.id == op_id).values(status=start))
        p = (await gw.data(SET_OP_STATUS, {"id": op_id, "s": target}, operator))["setOperationStatus"]
        if (start, target) in OP_ALLOWED:
            assert p["errors"] == [] and p["operation"]["status"] == target, (start, target)
        else:
            assert codes(p) == ["INVALID_STATUS_TRANSITION"], (start, target)


QUOTE_ALLOWED = {
    "sendQuote": {"NEW", "WAITING_FOR_SUPPLIER_INFORMATION"},
    "declineQuote": {"NEW", "WAITING_FOR_SUPPLIER_INFORMATION", "WAITING_FOR_CUSTOMER"},
}


@pytest.mark.parametrize("action", ["sendQuote", "declineQuote"])
async def test_every_quote_transition(gw: Gateway, operator: dict, action: str) -> None:
    quote_id = await _id(gw, Quote, "Q-ACME-1")
    move = f"mutation($id: ID!) {{ {action}(quoteId: $id) {{ quote {{ status }} errors {{ code }} }} }}"
    for start in (
        "NEW",
        "WAITING_FOR_SUPPLIER_INFORMATION",
        "WAITING_FOR_CUSTOMER",
        "DECLINED_BY_CUSTOMER",
        "DECLINED_BY_SUPPLIER",
        "VALIDATED",
        "EXPIRED",
    ):
        async with gw.session_factory() as s, s.begin():
            await s.execute(update(Quote).where(Quote.id == quote_id).values(status=start))
        p = (await gw.data(move, {"id": quote_id}, operator))[action]
        if start in QUOTE_ALLOWED[action]:
            assert p["errors"] == [], (action, start)
        else:
            assert codes(p) == ["INVALID_STATUS_TRANSITION"], (action, start)


async def test_quotes_page_by_cursor(gw: Gateway, acme: dict) -> None:
    q = """query($after: String) { quotes(first: 1, after: $after) { totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { externalId } } } }"""
    first = (await gw.data(q, {}, acme))["quotes"]
    second = (await gw.data(q, {"after": first["pageInfo"]["endCursor"]}, acme))["quotes"]
    names = [e["node"]["externalId"] for e in first["edges"] + second["edges"]]
    assert sorted(names) == ["Q-ACME-1", "Q-ACME-OLD"]
    assert first["pageInfo"]["hasNextPage"] and not second["pageInfo"]["hasNextPage"]
    assert second["pageInfo"]["hasPreviousPage"]
    bad = await gw.gql(q, {"after": "bm9wZQ"}, acme)
    assert bad["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
