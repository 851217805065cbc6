"""One strict money parser for every amount: plain ASCII decimals, bounded so minor units fit the BIGINT
columns; quantities bounded likewise. Anything else is INVALID_INPUT (or INVALID_QUANTITY), never INTERNAL."""

from __future__ import annotations

import pytest

from app.services.common.money import MAX_MINOR, MAX_QUANTITY, MoneyError, parse_amount, parse_rate
from tests.support.documents import ADD, CREATE, offer_ids
from tests.support.gateway import Gateway

BAD_AMOUNTS = [
    "1e18",
    "99999999999999999999",
    "10000000000",
    "1_000",
    "٣.٥",
    " 2.50 ",
    "2.5e-999999999",
    "2.505",
    "",
    "-",
    ".5",
    "5.",
    "+1",
    "0x10",
    "NaN",
    "Infinity",
    "１２",
    "2,50",
    "-1",
]


def test_parser() -> None:
    assert [parse_amount(t) for t in ("0", "2.5", "2.50", "9999999999.99")] == [0, 250, 250, MAX_MINOR]
    assert parse_amount("-3.1", allow_negative=True) == -310
    assert [parse_rate(t) for t in ("0", "5.5", "20", "100")] == [0, 550, 2000, 10000]
    for text in BAD_AMOUNTS:
        with pytest.raises(MoneyError):
            parse_amount(text)
    for text in ("100.01", "-1", "1e1"):
        with pytest.raises(MoneyError):
            parse_rate(text)


CREATE_QUOTE = """mutation($input: CreateQuoteInput!) { createQuote(input: $input) {
  quote { id lines { quantity unitPrice { amount } } } errors { code field index message } } }"""


async def test_quote_unit_prices(gw: Gateway) -> None:
    buyer = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, buyer)
    account = (await gw.data("{ viewer { account { id } } }", headers=buyer))["viewer"]["account"]["id"]
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    offer = next(iter(offers.values()))

    async def quote(unit_price: str, quantity: int = 1) -> dict:
        line = {"offerId": offer, "quantity": quantity, "unitPrice": unit_price}
        body = await gw.data(CREATE_QUOTE, {"input": {"accountId": account, "lines": [line]}}, operator)
        return body["createQuote"]

    for text in BAD_AMOUNTS:
        payload = await quote(text)
        assert payload["quote"] is None, (text, payload)
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INVALID_INPUT", ["lines", "0", "unitPrice"])]
    top = await quote("9999999999.99", MAX_QUANTITY)
    assert top["errors"] == [] and top["quote"]["lines"][0]["unitPrice"]["amount"] == "9999999999.99", top
    too_many = await quote("1", MAX_QUANTITY + 1)
    assert [e["code"] for e in too_many["errors"]] == ["INVALID_INPUT"]


async def test_quantities_are_bounded(gw: Gateway) -> None:
    buyer = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, buyer)
    draft = (await gw.data(CREATE, {"input": {}}, buyer))["createDraftOrder"]["draftOrder"]
    for quantity in (MAX_QUANTITY + 1, 2**31 - 1):
        lines = [{"offerId": next(iter(offers.values())), "quantity": quantity}]
        payload = (await gw.data(ADD, {"id": draft["id"], "lines": lines}, buyer))["addDraftOrderLines"]
        assert [e["code"] for e in payload["errors"]] == ["INVALID_QUANTITY"], payload
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    create = "mutation($input: CreateOperationInput!) { createOperation(input: $input) { errors { code } } }"
    line = {"variantId": "v", "maxQuantity": 2**31 - 1}
    body = await gw.data(
        create, {"input": {"name": "x", "startsAt": "2026-01-01T00:00:00Z", "lines": [line]}}, operator
    )
    assert "INVALID_INPUT" in [e["code"] for e in body["createOperation"]["errors"]]  # and the unknown variant
