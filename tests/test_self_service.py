"""Buyer self-service (issue 25, scope 4) over HTTP, on both databases: a buyer completes its profile,
keeps its account's address book, and gives up a redirect payment in progress (docs/payments.md,
docs/checkout.md)."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Offer, Payment, PaymentEvent
from tests.support.documents import DRAFT, offer_ids, ready_draft
from tests.support.gateway import Gateway
from tests.support.payments import (
    CART,
    PAY,
    cart_with,
    checkout,
    codes,
    decide,
    served,
    signed_callback,
    snapshot,
)

PROFILE = """mutation($input: UpdateProfileInput!) { updateProfile(input: $input) {
  user { email firstName lastName profileCompleted } errors { code field message } } }"""
ADDRESS_FIELDS = "id externalId fullName street city postalCode country phone isShipping isBilling isDefault"
CREATE_ADDRESS = f"""mutation($input: CreateAddressInput!) {{ createAddress(input: $input) {{
  address {{ {ADDRESS_FIELDS} }} errors {{ code field message }} }} }}"""
UPDATE_ADDRESS = f"""mutation($id: ID!, $input: UpdateAddressInput!) {{ updateAddress(id: $id, input: $input) {{
  address {{ {ADDRESS_FIELDS} }} errors {{ code field message }} }} }}"""
DELETE_ADDRESS = "mutation($id: ID!) { deleteAddress(id: $id) { deletedId errors { code field message } } }"
DEFAULT_ADDRESS = f"""mutation($id: ID!) {{ setDefaultAddress(id: $id) {{
  address {{ {ADDRESS_FIELDS} }} errors {{ code field message }} }} }}"""
BOOK = f"{{ viewer {{ user {{ profileCompleted }} account {{ addresses {{ {ADDRESS_FIELDS} }} }} }} }}"
ORDER_ADDRESSES = """query($id: ID!) { order(id: $id) { id status
  shippingAddress { id street city externalId } billingAddress { id street } } }"""
CANCEL = """mutation($key: String!) { cancelPayment(orderKey: $key) {
  order { __typename id reference status paymentStatus ... on DraftOrder { isCart version } }
  payment { id status } errors { code field message } } }"""
APPLY = """mutation($id: ID!, $code: String!) { applyVoucher(draftOrderId: $id, code: $code) {
  draftOrder { voucher { code } } errors { code } } }"""
NEW_ADDRESS = {"fullName": "ACME Lab", "street": "7 Rue des Essais", "city": "Grenoble", "postalCode": "38000"}


async def _book(gw: Gateway, headers: dict) -> list[dict]:
    return (await gw.data(BOOK, headers=headers))["viewer"]["account"]["addresses"]


async def _stock(gw: Gateway, offer_id: str) -> int:
    async with gw.session_factory() as s:
        return await s.scalar(select(Offer.stock).where(Offer.id == offer_id))


async def test_a_buyer_completes_its_profile_then_checks_out(gw: Gateway) -> None:
    buyer = await gw.as_user("incomplete@acme.example")
    offers = await offer_ids(gw, buyer)
    await cart_with(gw, buyer, offers, {"NOTEBOOK": 10})
    assert codes(await checkout(gw, buyer, paymentMethodId="bank-wire")) == ["PROFILE_INCOMPLETE"]

    # refused input changes nothing: an empty or too long name
    p = (await gw.data(PROFILE, {"input": {"firstName": "  ", "lastName": "x" * 101}}, buyer))["updateProfile"]
    assert p["user"] is None and codes(p) == ["INVALID_INPUT", "INVALID_INPUT"]
    assert sorted(e["field"][-1] for e in p["errors"]) == ["firstName", "lastName"]
    # one name is not enough
    p = (await gw.data(PROFILE, {"input": {"firstName": " Ines "}}, buyer))["updateProfile"]
    assert p["errors"] == [] and p["user"]["firstName"] == "Ines" and p["user"]["profileCompleted"] is False
    assert codes(await checkout(gw, buyer, paymentMethodId="bank-wire")) == ["PROFILE_INCOMPLETE"]
    # both names: completed, and checkout places the cart
    p = (await gw.data(PROFILE, {"input": {"lastName": "Complete"}}, buyer))["updateProfile"]
    assert p["errors"] == [] and p["user"] == {
        "email": "incomplete@acme.example",
        "firstName": "Ines",
        "lastName": "Complete",
        "profileCompleted": True,
    }
    assert (await gw.data(BOOK, headers=buyer))["viewer"]["user"]["profileCompleted"] is True
    done = await checkout(gw, buyer, paymentMethodId="bank-wire")
    assert done["errors"] == [] and done["result"]["order"]["status"] == "PLACED", done

    # operators get FORBIDDEN, like every buyer field
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    body = await gw.gql(PROFILE, {"input": {"firstName": "Olga"}}, operator)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_new_address_is_used_at_checkout(gw: Gateway) -> None:
    buyer = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, buyer)
    # validation: a country code, a missing city, an address for nothing; nothing is created
    bad = {**NEW_ADDRESS, "country": "FR", "city": " ", "isShipping": False, "isBilling": False}
    p = (await gw.data(CREATE_ADDRESS, {"input": bad}, buyer))["createAddress"]
    assert p["address"] is None and codes(p) == ["COUNTRY_NAME_NOT_FULL", "INVALID_INPUT", "INVALID_INPUT"]
    assert "France" in next(e["message"] for e in p["errors"] if e["code"] == "COUNTRY_NAME_NOT_FULL")
    assert len(await _book(gw, buyer)) == 2

    p = await gw.data(CREATE_ADDRESS, {"input": {**NEW_ADDRESS, "country": "France", "isDefault": True}}, buyer)
    created = p["createAddress"]
    assert created["errors"] == [], created
    address = created["address"]
    assert (address["country"], address["isDefault"], address["isShipping"], address["isBilling"]) == (
        "France",
        True,
        True,
        True,
    )
    book = await _book(gw, buyer)
    assert [a["id"] for a in book][0] == address["id"]  # the default comes first
    # another account never sees it, nor may use it
    globex = await gw.as_user("buyer@globex.example")
    assert address["id"] not in [a["id"] for a in await _book(gw, globex)]
    p = (await gw.data(DEFAULT_ADDRESS, {"id": address["id"]}, globex))["setDefaultAddress"]
    assert codes(p) == ["ADDRESS_NOT_FOUND"]

    await cart_with(gw, buyer, offers, {"NOTEBOOK": 10})
    done = await checkout(gw, buyer, addressId=address["id"], paymentMethodId="bank-wire")
    assert done["errors"] == [], done
    placed = (await gw.data(ORDER_ADDRESSES, {"id": done["result"]["order"]["id"]}, buyer))["order"]
    assert placed["shippingAddress"]["id"] == placed["billingAddress"]["id"] == address["id"]
    assert placed["shippingAddress"]["street"] == "7 Rue des Essais"

    # the default moves: one default per account
    p = (await gw.data(DEFAULT_ADDRESS, {"id": "ACME-HQ"}, buyer))["setDefaultAddress"]
    assert p["errors"] == [] and p["address"]["isDefault"] is True
    assert [(a["externalId"], a["isDefault"]) for a in await _book(gw, buyer) if a["isDefault"]] == [("ACME-HQ", True)]


async def test_deleting_or_changing_an_address_keeps_it_on_placed_orders(gw: Gateway) -> None:
    buyer = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, buyer)
    address = (await gw.data(CREATE_ADDRESS, {"input": {**NEW_ADDRESS, "country": "France"}}, buyer))["createAddress"][
        "address"
    ]
    await cart_with(gw, buyer, offers, {"NOTEBOOK": 10})
    placed = await checkout(gw, buyer, addressId=address["id"], paymentMethodId="bank-wire")
    order_id = placed["result"]["order"]["id"]
    draft = await ready_draft(gw, buyer, offers, "NOTEBOOK", 10, address=address["id"])
    assert draft["issues"] == []

    p = (await gw.data(DELETE_ADDRESS, {"id": address["id"]}, buyer))["deleteAddress"]
    assert p == {"deletedId": address["id"], "errors": []}
    # gone from the book and from checkout...
    assert address["id"] not in [a["id"] for a in await _book(gw, buyer)]
    await cart_with(gw, buyer, offers, {"NOTEBOOK": 10})
    assert codes(await checkout(gw, buyer, addressId=address["id"], paymentMethodId="bank-wire")) == [
        "ADDRESS_NOT_FOUND"
    ]
    # ...kept, unchanged, on the placed order
    kept = (await gw.data(ORDER_ADDRESSES, {"id": order_id}, buyer))["order"]
    assert kept["shippingAddress"]["id"] == kept["billingAddress"]["id"] == address["id"]
    assert kept["shippingAddress"]["street"] == "7 Rue des Essais"
    # the draft that names it gets issues, not a failure
    issues = (await gw.data(DRAFT, {"id": draft["id"]}, buyer))["draftOrder"]["issues"]
    assert sorted(i["code"] for i in issues) == ["BILLING_ADDRESS_REQUIRED", "SHIPPING_ADDRESS_REQUIRED"]
    # deleted once: a second delete finds nothing
    assert codes((await gw.data(DELETE_ADDRESS, {"id": address["id"]}, buyer))["deleteAddress"]) == [
        "ADDRESS_NOT_FOUND"
    ]

    # changing ACME-HQ after an order was placed with it: the order keeps the old one, the book the new one,
    # and the account's drafts follow the new one
    acme_order = await checkout(gw, buyer, paymentMethodId="bank-wire")  # ACME-HQ
    acme_order_id = acme_order["result"]["order"]["id"]
    old_id = (await gw.data(ORDER_ADDRESSES, {"id": acme_order_id}, buyer))["order"]["shippingAddress"]["id"]
    hq_draft = await ready_draft(gw, buyer, offers, "NOTEBOOK", 10)
    p = await gw.data(UPDATE_ADDRESS, {"id": "ACME-HQ", "input": {"street": "2 Industrial Way", "phone": ""}}, buyer)
    changed = p["updateAddress"]
    assert changed["errors"] == [], changed
    assert changed["address"]["id"] != old_id and changed["address"]["externalId"] == "ACME-HQ"
    assert (changed["address"]["street"], changed["address"]["phone"], changed["address"]["city"]) == (
        "2 Industrial Way",
        None,
        "Lyon",
    )
    still = (await gw.data(ORDER_ADDRESSES, {"id": acme_order_id}, buyer))["order"]["shippingAddress"]
    assert (still["id"], still["street"]) == (old_id, "1 Industrial Way")
    followed = (await gw.data(DRAFT, {"id": hq_draft["id"]}, buyer))["draftOrder"]
    assert followed["shippingAddress"]["externalId"] == "ACME-HQ" and followed["issues"] == []
    assert [a["id"] for a in await _book(gw, buyer) if a["externalId"] == "ACME-HQ"] == [changed["address"]["id"]]
    # an address no placed order names changes in place
    wh = (await gw.data(UPDATE_ADDRESS, {"id": "ACME-WH", "input": {"country": "Germany"}}, buyer))["updateAddress"]
    assert wh["errors"] == [] and wh["address"]["country"] == "Germany"
    assert (await gw.data(UPDATE_ADDRESS, {"id": "ACME-WH", "input": {"country": "DE"}}, buyer))["updateAddress"][
        "errors"
    ][0]["code"] == "COUNTRY_NAME_NOT_FULL"


async def test_cancel_payment_releases_stock_and_gives_the_cart_back(database_url: str) -> None:
    async with served(database_url) as gw:
        acme = await gw.as_user("buyer@acme.example")
        offers = await offer_ids(gw, acme)
        before = await _stock(gw, offers["NOTEBOOK"])
        cart = await cart_with(gw, acme, offers, {"NOTEBOOK": 10})
        assert (await gw.data(APPLY, {"id": cart["id"], "code": "ONCE5"}, acme))["applyVoucher"]["errors"] == []
        started = await checkout(gw, acme)
        assert started["errors"] == [], started
        key, next_step = started["result"]["orderKey"], started["result"]["nextStep"]
        assert await _stock(gw, offers["NOTEBOOK"]) == before - 10

        p = (await gw.data(CANCEL, {"key": key}, acme))["cancelPayment"]
        assert p["errors"] == [] and p["payment"]["status"] == "CANCELED", p
        order = p["order"]
        assert (order["__typename"], order["status"], order["paymentStatus"], order["isCart"]) == (
            "DraftOrder",
            "DRAFT",
            "NOT_REQUIRED",
            True,
        )
        assert await _stock(gw, offers["NOTEBOOK"]) == before
        back = (await gw.data(CART, headers=acme))["cart"]
        assert back["id"] == cart["id"] and [ln["quantity"] for ln in back["lines"]] == [10]

        # twice: the same state, no error, nothing moves
        state = await snapshot(gw)
        again = (await gw.data(CANCEL, {"key": key}, acme))["cancelPayment"]
        assert again["errors"] == [] and again["order"] == order and again["payment"] == p["payment"]
        assert await snapshot(gw) == state

        # the buyer still approves on the provider's page: its callback is refused (409), nothing changes
        page = await decide(next_step, "approve")
        assert page.status_code == 303 and "status=CANCELED" in page.headers["location"]
        returned = await gw.client.get(page.headers["location"])
        assert "Your payment was canceled." in returned.text
        async with gw.session_factory() as s:
            attempt = await s.scalar(select(Payment).where(Payment.id == p["payment"]["id"]))
            events = list(await s.scalars(select(PaymentEvent.type).where(PaymentEvent.payment_id == attempt.id)))
        assert attempt.status == "CANCELED" and "CALLBACK_AFTER_END" in events
        body, headers = signed_callback(attempt.id, key, "APPROVED", f"{attempt.amount / 100:.2f}")
        late = await gw.client.post("/payments/sandbox/callback", content=body, headers=headers)
        assert late.status_code == 409 and late.json()["status"] == "CANCELED"
        assert await snapshot(gw) == state

        # the voucher was given back: the cart checks out again with it (ONCE5 is once per customer)
        done = await checkout(gw, acme, paymentMethodId="bank-wire")
        assert done["errors"] == [] and done["result"]["order"]["status"] == "PLACED", done
        assert await _stock(gw, offers["NOTEBOOK"]) == before - 10


async def test_cancel_payment_of_a_placed_order_makes_it_payable_again(database_url: str) -> None:
    async with served(database_url) as gw:
        acme = await gw.as_user("buyer@acme.example")
        offers = await offer_ids(gw, acme)
        await cart_with(gw, acme, offers, {"NOTEBOOK": 10})
        saved = await gw.data(
            "mutation { createOrderFromCart(input: {action: SAVE_ORDER}) { order { reference } errors { code } } }",
            headers=acme,
        )
        key = saved["createOrderFromCart"]["order"]["reference"]
        # nothing to cancel yet
        assert codes((await gw.data(CANCEL, {"key": key}, acme))["cancelPayment"]) == ["PAYMENT_NOT_PENDING"]
        paying = (await gw.data(PAY, {"key": key, "method": "card-redirect"}, acme))["payOrder"]
        assert paying["errors"] == [], paying

        p = (await gw.data(CANCEL, {"key": key}, acme))["cancelPayment"]
        assert p["errors"] == [] and p["payment"]["status"] == "CANCELED"
        assert (p["order"]["__typename"], p["order"]["status"], p["order"]["paymentStatus"]) == (
            "Order",
            "PLACED",
            "AWAITING_PAYMENT",
        )
        # its page's answer comes too late; a new payment approves it
        await decide(paying["result"]["nextStep"], "approve")
        again = (await gw.data(PAY, {"key": key, "method": "card-redirect"}, acme))["payOrder"]
        assert again["errors"] == [], again
        await decide(again["result"]["nextStep"], "approve")
        paid = (await gw.data(CANCEL, {"key": key}, acme))["cancelPayment"]
        assert codes(paid) == ["PAYMENT_NOT_PENDING"] and paid["order"] is None

        # another account's order answers as absent; operators may not
        globex = await gw.as_user("buyer@globex.example")
        assert codes((await gw.data(CANCEL, {"key": key}, globex))["cancelPayment"]) == ["NOT_FOUND"]
        operator = await gw.as_user("operator@demo.example", client="OPERATOR")
        body = await gw.gql(CANCEL, {"key": key}, operator)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
