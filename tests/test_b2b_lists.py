"""Reorder, requisition lists and quick order by SKU or pasted text (issue 28, scope 5; docs/b2b.md), over HTTP
on the demo data, SQLite and PostgreSQL: every skip rule and code, who sees which list, and statement counts that
do not grow with the lines or lists."""

from __future__ import annotations

from sqlalchemy import select, update

from app.models import Offer, OfferPrice, PriceTier
from app.services.importer import import_data
from tests.support.catalog import extra_offers
from tests.support.documents import ADD, DRAFT, PAYLOAD, PLACE, create_draft, offer_ids, ready_draft
from tests.support.gateway import Gateway
from tests.support.users import extra_buyers

REORDER = f"mutation($id: ID!) {{ createDraftOrderFromOrder(orderId: $id) {{ {PAYLOAD} }} }}"
FROM_LIST = f"mutation($id: ID!) {{ createDraftOrderFromRequisitionList(requisitionListId: $id) {{ {PAYLOAD} }} }}"
LIST_FIELDS = "id name shared ownedByViewer items { sku quantity variant { sku offers { id price { amount } } } }"
LIST_PAYLOAD = f"requisitionList {{ {LIST_FIELDS} }} errors {{ code message field index }}"
CREATE_LIST = f"""mutation($input: CreateRequisitionListInput!) {{
  createRequisitionList(input: $input) {{ {LIST_PAYLOAD} }} }}"""
RENAME_LIST = f"mutation($id: ID!, $n: String!) {{ renameRequisitionList(id: $id, name: $n) {{ {LIST_PAYLOAD} }} }}"
SHARE_LIST = f"mutation($id: ID!, $s: Boolean!) {{ shareRequisitionList(id: $id, shared: $s) {{ {LIST_PAYLOAD} }} }}"
ADD_ITEMS = f"""mutation($id: ID!, $items: [RequisitionListItemInput!]!) {{
  addRequisitionListItems(id: $id, items: $items) {{ {LIST_PAYLOAD} }} }}"""
UPDATE_ITEMS = f"""mutation($id: ID!, $items: [RequisitionListItemInput!]!) {{
  updateRequisitionListItems(id: $id, items: $items) {{ {LIST_PAYLOAD} }} }}"""
REMOVE_ITEMS = f"""mutation($id: ID!, $skus: [String!]!) {{
  removeRequisitionListItems(id: $id, skus: $skus) {{ {LIST_PAYLOAD} }} }}"""
DELETE_LIST = "mutation($id: ID!) { deleteRequisitionList(id: $id) { deletedId errors { code } } }"
LISTS = f"{{ requisitionLists(first: 50) {{ totalCount edges {{ node {{ {LIST_FIELDS} }} }} }} }}"
ONE_LIST = f"query($id: ID!) {{ requisitionList(id: $id) {{ {LIST_FIELDS} }} }}"
FROM_TEXT = """mutation($id: ID!, $text: String!, $v: Int) {
  addDraftOrderLinesFromText(draftOrderId: $id, text: $text, expectedVersion: $v) {
    draftOrder { id version lines { id sku quantity unitPrice { amount } } }
    lines { lineNumber text result sku quantity draftLineId problems { code message index field } }
    errors { code message index field } } }"""


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["errors"]]


def lines_of(draft: dict) -> list[tuple[str, int, str]]:
    return [(ln["sku"], ln["quantity"], ln["unitPrice"]["amount"]) for ln in draft["lines"]]


async def _place(gw: Gateway, headers: dict, lines: list[dict], address: str) -> dict:
    d = await create_draft(gw, headers, lines, shippingAddressId=address, billingAddressId=address)
    assert d["errors"] == [], d
    placed = (await gw.data(PLACE, {"id": d["draftOrder"]["id"]}, headers))["placeDraftOrder"]
    assert placed["errors"] == [], placed
    return placed["order"]


async def _import(gw: Gateway, **tenant: object) -> None:
    async with gw.session_factory() as s, s.begin():
        await import_data(s, {"tenants": [{"externalId": "demo", "name": "Demo", **tenant}]})


# --- reorder ---------------------------------------------------------------------------------------------------


async def test_reorder_skips_a_product_that_left_the_catalog_view_at_todays_prices(
    gw: Gateway, globex: dict, acme: dict
) -> None:
    offers = await offer_ids(gw, globex)
    order = await _place(
        gw,
        globex,
        [{"offerId": offers["PAPER-A4"], "quantity": 50}, {"offerId": offers["NOTEBOOK"], "quantity": 10}],
        "GLOBEX-HQ",
    )
    assert [(ln["sku"], ln["unitPrice"]["amount"]) for ln in order["lines"]] == [
        ("PAPER-A4", "4.00"),
        ("NOTEBOOK", "3.00"),
    ]
    # NOTEBOOK leaves GLOBEX's catalog view (an import replaces the view's products); PAPER-A4 gets cheaper
    await _import(
        gw,
        catalogViews=[
            {"externalId": "GLOBEX-STANDARD", "products": ["P-PAPER-A4", "P-PEN-BLUE", "P-STAPLER", "P-TONER-X"]}
        ],
    )
    async with gw.session_factory() as s, s.begin():
        public = select(OfferPrice.id).join(Offer, Offer.id == OfferPrice.offer_id)
        public = public.where(Offer.external_id == "OFF-PAPER-A4", OfferPrice.target == "PUBLIC")
        tier = update(PriceTier).where(PriceTier.price_id.in_(public), PriceTier.min_quantity == 50)
        await s.execute(tier.values(unit_amount=380))

    p = (await gw.data(REORDER, {"id": order["reference"].lower()}, globex))["createDraftOrderFromOrder"]
    assert p["errors"] == [], p
    d = p["draftOrder"]
    assert d["status"] == "DRAFT" and d["source"] == {"type": "ORDER", "id": order["id"]}
    assert lines_of(d) == [("PAPER-A4", 50, "3.80")]  # today's price, not the order's 4.00
    assert [w["code"] for w in p["warnings"]] == ["PRODUCT_NOT_VISIBLE"]
    assert p["warnings"][0]["message"].startswith("NOTEBOOK skipped")
    # the order's addresses come along
    assert d["shippingAddress"] == {"externalId": "GLOBEX-HQ"} and d["billingAddress"] == {"externalId": "GLOBEX-HQ"}
    assert [i["code"] for i in d["issues"] if i["blocking"]] == []
    # the order is unchanged and another account cannot reorder it (as if it did not exist)
    foreign = (await gw.data(REORDER, {"id": order["id"]}, acme))["createDraftOrderFromOrder"]
    assert codes(foreign) == ["NOT_FOUND"] and foreign["draftOrder"] is None


async def test_reorder_skips_out_of_stock_and_inactive_lines_and_needs_a_line_left(
    gw: Gateway, acme: dict, offers: dict
) -> None:
    order = await _place(
        gw,
        acme,
        [
            {"offerId": offers["STAPLER"], "quantity": 5},  # the whole stock: none left after placement
            {"offerId": offers["PEN-BLUE"], "quantity": 20},
            {"offerId": offers["PAPER-A4"], "quantity": 10},
        ],
        "ACME-HQ",
    )
    async with gw.session_factory() as s, s.begin():
        await s.execute(update(Offer).where(Offer.id == offers["PEN-BLUE"]).values(active=False))
    p = (await gw.data(REORDER, {"id": order["id"]}, acme))["createDraftOrderFromOrder"]
    d = p["draftOrder"]
    assert lines_of(d) == [("PAPER-A4", 10, "4.20")]
    assert sorted((w["code"], w["message"].split(" ")[0]) for w in p["warnings"]) == [
        ("INSUFFICIENT_STOCK", "STAPLER"),
        ("OFFER_UNAVAILABLE", "PEN-BLUE"),
    ]
    # reordered twice: two drafts, both from the order
    again = (await gw.data(REORDER, {"id": order["reference"]}, acme))["createDraftOrderFromOrder"]
    assert again["draftOrder"]["id"] != d["id"] and again["draftOrder"]["source"]["id"] == order["id"]
    # nothing left to buy: no draft, the skipped lines still told
    async with gw.session_factory() as s, s.begin():
        await s.execute(update(Offer).where(Offer.id == offers["PAPER-A4"]).values(active=False))
    none = (await gw.data(REORDER, {"id": order["id"]}, acme))["createDraftOrderFromOrder"]
    assert codes(none) == ["NO_LINES_AVAILABLE"] and none["draftOrder"] is None
    assert len(none["warnings"]) == 3
    # a draft is not an order to reorder
    draft = await create_draft(gw, acme, [{"sku": "NOTEBOOK", "quantity": 1}])
    assert codes((await gw.data(REORDER, {"id": draft["draftOrder"]["id"]}, acme))["createDraftOrderFromOrder"]) == [
        "NOT_FOUND"
    ]


# --- quick order by SKU ----------------------------------------------------------------------------------------


async def test_lines_by_sku(gw: Gateway, acme: dict, globex: dict, offers: dict) -> None:
    d = (await create_draft(gw, acme))["draftOrder"]
    lines = [
        {"sku": "paper-a4", "quantity": 10},  # any case
        {"sku": " NOTEBOOK ", "quantity": 3},  # surrounding spaces
        {"sku": "NOPE", "quantity": 1},
        {"sku": "PEN-BLUE", "offerId": offers["PEN-BLUE"], "quantity": 10},
        {"quantity": 1},
        {"sku": "PEN-BLUE", "quantity": 5},
    ]
    p = (await gw.data(ADD, {"id": d["id"], "lines": lines}, acme))["addDraftOrderLines"]
    assert [(e["code"], e["index"]) for e in p["errors"]] == [
        ("SKU_NOT_FOUND", 2),
        ("INVALID_INPUT", 3),
        ("INVALID_INPUT", 4),
        ("QUANTITY_BELOW_MIN", 5),
    ]
    assert lines_of(p["draftOrder"]) == [("PAPER-A4", 10, "4.20"), ("NOTEBOOK", 3, "3.00")]
    # the same SKU again merges into its line, as the same offer does
    more = await gw.data(ADD, {"id": d["id"], "lines": [{"sku": "NOTEBOOK", "quantity": 2}]}, acme)
    assert lines_of(more["addDraftOrderLines"]["draftOrder"])[1] == ("NOTEBOOK", 5, "3.00")
    # a SKU outside the account's catalog view
    g = (await create_draft(gw, globex))["draftOrder"]
    hidden = await gw.data(ADD, {"id": g["id"], "lines": [{"sku": "CHAIR-ERGO", "quantity": 1}]}, globex)
    assert codes(hidden["addDraftOrderLines"]) == ["PRODUCT_NOT_VISIBLE"]


async def test_a_sku_sold_by_two_suppliers_gets_the_cheapest_offer_in_stock(gw: Gateway, acme: dict) -> None:
    cheap = {
        "externalId": "OFF-NOTEBOOK-SUD",
        "sku": "NOTEBOOK",
        "supplier": "SUP-SUD",
        "stock": 4,
        "prices": [{"target": "PUBLIC", "currency": "EUR", "amount": "2.80", "taxRate": "20.00"}],
    }
    await _import(gw, offers=[cheap])
    d = (await create_draft(gw, acme, [{"sku": "NOTEBOOK", "quantity": 2}]))["draftOrder"]
    assert lines_of(d) == [("NOTEBOOK", 2, "2.80")]
    # out of stock, the cheaper offer is passed over for the one in stock
    await _import(gw, offers=[{**cheap, "stock": 0}])
    d = (await create_draft(gw, acme, [{"sku": "NOTEBOOK", "quantity": 2}]))["draftOrder"]
    assert lines_of(d) == [("NOTEBOOK", 2, "3.00")]


# --- pasted text -----------------------------------------------------------------------------------------------


async def test_pasted_lines_in_every_format(gw: Gateway, acme: dict) -> None:
    d = (await create_draft(gw, acme))["draftOrder"]
    text = (
        "Qty;Item\r\n"  # a header naming the columns, here quantity first
        "10;PAPER-A4\r\n"
        "\r\n"
        '"20";"pen-blue"\r\n'
        "3;NOTEBOOK\r\n"
        "2;notebook\r\n"  # the same SKU again: one line of 5
        "abc;STAPLER\r\n"
        ";STAPLER\r\n"
        "1;\r\n"
        "1,5;STAPLER\r\n"
    )
    p = (await gw.data(FROM_TEXT, {"id": d["id"], "text": text}, acme))["addDraftOrderLinesFromText"]
    answers = [(ln["lineNumber"], ln["result"], ln["sku"], ln["quantity"]) for ln in p["lines"]]
    assert answers == [
        (1, "IGNORED", None, None),
        (2, "ADDED", "PAPER-A4", 10),
        (4, "ADDED", "pen-blue", 20),
        (5, "ADDED", "NOTEBOOK", 3),
        (6, "ADDED", "notebook", 2),
        (7, "REFUSED", "STAPLER", None),
        (8, "REFUSED", "STAPLER", None),
        (9, "REFUSED", None, None),
        (10, "REFUSED", "STAPLER", None),
    ]
    assert [(e["code"], e["index"], e["field"]) for e in p["errors"]] == [
        ("INVALID_QUANTITY", 6, ["text", "7"]),
        ("INVALID_QUANTITY", 7, ["text", "8"]),
        ("INVALID_INPUT", 8, ["text", "9"]),
        ("INVALID_QUANTITY", 9, ["text", "10"]),
    ]
    assert lines_of(p["draftOrder"]) == [("PAPER-A4", 10, "4.20"), ("PEN-BLUE", 20, "1.20"), ("NOTEBOOK", 5, "3.00")]
    by_line = {ln["lineNumber"]: ln["draftLineId"] for ln in p["lines"]}
    assert by_line[5] == by_line[6] and by_line[2] != by_line[5]
    assert p["draftOrder"]["version"] == d["version"] + 1

    # commas and tabs, no header
    for text in ("STAPLER,1\nTONER-X,1\n", "STAPLER\t1\nTONER-X\t1"):
        p = (await gw.data(FROM_TEXT, {"id": d["id"], "text": text}, acme))["addDraftOrderLinesFromText"]
        assert [(ln["result"], ln["sku"]) for ln in p["lines"]] == [("ADDED", "STAPLER"), ("REFUSED", "TONER-X")]
        assert codes(p) == ["INSUFFICIENT_STOCK"] and p["errors"][0]["message"].startswith("line 2: TONER-X")

    # nothing can be added: nothing changes, every line answered
    before = (await gw.data(DRAFT, {"id": d["id"]}, acme))["draftOrder"]
    p = (await gw.data(FROM_TEXT, {"id": d["id"], "text": "NOPE;1\nPAPER-A4;3"}, acme))["addDraftOrderLinesFromText"]
    assert codes(p) == ["SKU_NOT_FOUND", "QUANTITY_NOT_PACK_MULTIPLE"]
    assert [ln["result"] for ln in p["lines"]] == ["REFUSED", "REFUSED"]
    assert p["draftOrder"]["version"] == before["version"]
    assert lines_of(p["draftOrder"]) == lines_of(before)

    # refused as a whole: a stale version, an empty text
    stale = await gw.data(FROM_TEXT, {"id": d["id"], "text": "NOTEBOOK;1", "v": 1}, acme)
    assert codes(stale["addDraftOrderLinesFromText"]) == ["VERSION_CONFLICT"]
    assert stale["addDraftOrderLinesFromText"]["lines"] == []
    assert stale["addDraftOrderLinesFromText"]["draftOrder"]["version"] == before["version"]
    empty = (await gw.data(FROM_TEXT, {"id": d["id"], "text": "\n \n"}, acme))["addDraftOrderLinesFromText"]
    assert codes(empty) == ["INVALID_INPUT"]
    # another account's draft does not exist for this buyer
    globex = await gw.as_user("buyer@globex.example")
    foreign = (await gw.data(FROM_TEXT, {"id": d["id"], "text": "NOTEBOOK;1"}, globex))["addDraftOrderLinesFromText"]
    assert codes(foreign) == ["NOT_FOUND"] and foreign["draftOrder"] is None


async def test_a_pasted_list_of_200_lines_answers_per_line_in_constant_statements(gw: Gateway) -> None:
    await extra_offers(gw, 200)
    acme = await gw.as_user("buyer@acme.example")

    def pasted(good: int) -> tuple[str, set[int], set[int]]:
        """A header, `good` lines to add, 3 unknown SKUs and 2 pack-size violations spread among them."""
        rows = [f"SC-{i:03d};{1 + i % 3}" for i in range(good)]
        bad_skus, bad_packs = {2, good // 2, good + 1}, {5, good - 1}
        for at in sorted(bad_skus | bad_packs):
            rows.insert(at, f"NO-SUCH-{at};1" if at in bad_skus else f"PAPER-A4;{at % 5 + 1 if at % 5 != 4 else 3}")
        return "SKU;Quantity\n" + "\n".join(rows), bad_skus, bad_packs

    counts = {}
    for good in (15, 195):
        text, bad_skus, bad_packs = pasted(good)
        d = (await create_draft(gw, acme))["draftOrder"]
        counter = gw.count_statements()
        p = (await gw.data(FROM_TEXT, {"id": d["id"], "text": text}, acme))["addDraftOrderLinesFromText"]
        gw.stop_counting(counter)
        counts[good] = counter.count
        assert len(p["lines"]) == good + 6  # the header and every line
        data = p["lines"][1:]
        assert sum(ln["result"] == "ADDED" for ln in data) == good
        refused = {ln["lineNumber"] - 2: ln["problems"][0]["code"] for ln in data if ln["result"] == "REFUSED"}
        assert refused == {
            **{at: "SKU_NOT_FOUND" for at in bad_skus},
            **{at: "QUANTITY_NOT_PACK_MULTIPLE" for at in bad_packs},
        }
        assert sorted(e["index"] for e in p["errors"]) == sorted(at + 1 for at in refused)
        assert len(p["draftOrder"]["lines"]) == good
    print(f"statements: 20 pasted lines = {counts[15]}, 200 pasted lines = {counts[195]}")
    assert counts[15] == counts[195]


# --- requisition lists -----------------------------------------------------------------------------------------


async def test_a_shared_list_is_seen_by_the_account_a_private_one_only_by_its_creator(
    gw: Gateway, acme: dict, globex: dict
) -> None:
    [colleague] = await extra_buyers(gw, 1)
    private = (
        await gw.data(
            CREATE_LIST,
            {"input": {"name": "My desk", "items": [{"sku": "PEN-BLUE", "quantity": 20}]}},
            acme,
        )
    )["createRequisitionList"]
    assert private["errors"] == [] and private["requisitionList"]["shared"] is False
    shared = (
        await gw.data(
            CREATE_LIST,
            {
                "input": {
                    "name": "Office weekly",
                    "shared": True,
                    "items": [{"sku": "PAPER-A4", "quantity": 50}, {"sku": "notebook", "quantity": 10}],
                }
            },
            acme,
        )
    )["createRequisitionList"]["requisitionList"]
    assert [(i["sku"], i["quantity"]) for i in shared["items"]] == [("PAPER-A4", 50), ("NOTEBOOK", 10)]
    private_id, shared_id = private["requisitionList"]["id"], shared["id"]

    mine = (await gw.data(LISTS, headers=acme))["requisitionLists"]
    assert {e["node"]["name"] for e in mine["edges"]} == {"My desk", "Office weekly"} and mine["totalCount"] == 2
    theirs = (await gw.data(LISTS, headers=colleague))["requisitionLists"]
    assert [(e["node"]["name"], e["node"]["ownedByViewer"]) for e in theirs["edges"]] == [("Office weekly", False)]
    assert (await gw.data(ONE_LIST, {"id": private_id}, colleague))["requisitionList"] is None
    assert (await gw.data(LISTS, headers=globex))["requisitionLists"]["totalCount"] == 0
    assert (await gw.data(ONE_LIST, {"id": shared_id}, globex))["requisitionList"] is None

    # the colleague makes a draft of the shared list, not of the private one, and changes neither
    p = (await gw.data(FROM_LIST, {"id": shared_id}, colleague))["createDraftOrderFromRequisitionList"]
    assert p["errors"] == [] and p["draftOrder"]["source"] == {"type": "REQUISITION_LIST", "id": shared_id}
    assert lines_of(p["draftOrder"]) == [("PAPER-A4", 50, "4.20"), ("NOTEBOOK", 10, "3.00")]
    hidden = (await gw.data(FROM_LIST, {"id": private_id}, colleague))["createDraftOrderFromRequisitionList"]
    assert codes(hidden) == ["NOT_FOUND"]
    renamed = (await gw.data(RENAME_LIST, {"id": shared_id, "n": "Mine now"}, colleague))["renameRequisitionList"]
    assert codes(renamed) == ["FORBIDDEN"] and renamed["requisitionList"]["name"] == "Office weekly"
    assert codes((await gw.data(DELETE_LIST, {"id": private_id}, colleague))["deleteRequisitionList"]) == ["NOT_FOUND"]
    adding = await gw.data(ADD_ITEMS, {"id": shared_id, "items": [{"sku": "STAPLER", "quantity": 1}]}, colleague)
    assert codes(adding["addRequisitionListItems"]) == ["FORBIDDEN"]

    # unshared, it is private again; shared, the private one is seen
    await gw.data(SHARE_LIST, {"id": shared_id, "s": False}, acme)
    await gw.data(SHARE_LIST, {"id": private_id, "s": True}, acme)
    theirs = (await gw.data(LISTS, headers=colleague))["requisitionLists"]
    assert [e["node"]["name"] for e in theirs["edges"]] == ["My desk"]


async def test_list_items_by_sku_and_drafts_that_skip_what_cannot_be_bought(gw: Gateway, acme: dict) -> None:
    made = (await gw.data(CREATE_LIST, {"input": {"name": " Basics "}}, acme))["createRequisitionList"]
    lst = made["requisitionList"]
    assert lst["name"] == "Basics" and lst["items"] == [] and lst["ownedByViewer"] is True
    items = [
        {"sku": "PAPER-A4", "quantity": 10},
        {"sku": "NOPE", "quantity": 1},
        {"sku": "PAPER-A4", "quantity": 3},  # 13: not a multiple of 5
        {"sku": "TONER-X", "quantity": 2},  # out of stock: a list may hold it
        {"sku": "PEN-BLUE", "quantity": 0},
        {"sku": "STAPLER", "quantity": 2},
    ]
    p = (await gw.data(ADD_ITEMS, {"id": lst["id"], "items": items}, acme))["addRequisitionListItems"]
    assert [(e["code"], e["index"], e["field"]) for e in p["errors"]] == [
        ("SKU_NOT_FOUND", 1, ["items", "1"]),
        ("QUANTITY_NOT_PACK_MULTIPLE", 2, ["items", "2"]),
        ("INVALID_QUANTITY", 4, ["items", "4"]),
    ]
    assert [(i["sku"], i["quantity"]) for i in p["requisitionList"]["items"]] == [
        ("PAPER-A4", 10),
        ("TONER-X", 2),
        ("STAPLER", 2),
    ]
    p = await gw.data(ADD_ITEMS, {"id": lst["id"], "items": [{"sku": "paper-a4", "quantity": 5}]}, acme)
    assert p["addRequisitionListItems"]["requisitionList"]["items"][0]["quantity"] == 15  # adds up
    p = (
        await gw.data(
            UPDATE_ITEMS,
            {"id": lst["id"], "items": [{"sku": "STAPLER", "quantity": 0}, {"sku": "NOTEBOOK", "quantity": 4}]},
            acme,
        )
    )["updateRequisitionListItems"]
    assert codes(p) == ["NOT_FOUND"]  # the list holds no NOTEBOOK; STAPLER removed
    assert [i["sku"] for i in p["requisitionList"]["items"]] == ["PAPER-A4", "TONER-X"]
    p = await gw.data(UPDATE_ITEMS, {"id": lst["id"], "items": [{"sku": "PAPER-A4", "quantity": 50}]}, acme)
    assert p["updateRequisitionListItems"]["requisitionList"]["items"][0]["quantity"] == 50

    d = (await gw.data(FROM_LIST, {"id": lst["id"]}, acme))["createDraftOrderFromRequisitionList"]
    assert lines_of(d["draftOrder"]) == [("PAPER-A4", 50, "4.20")]
    assert [(w["code"], w["message"].split(" ")[0]) for w in d["warnings"]] == [("INSUFFICIENT_STOCK", "TONER-X")]

    p = await gw.data(REMOVE_ITEMS, {"id": lst["id"], "skus": ["PAPER-A4", "STAPLER"]}, acme)
    assert codes(p["removeRequisitionListItems"]) == ["NOT_FOUND"]
    assert [i["sku"] for i in p["removeRequisitionListItems"]["requisitionList"]["items"]] == ["TONER-X"]
    none = (await gw.data(FROM_LIST, {"id": lst["id"]}, acme))["createDraftOrderFromRequisitionList"]
    assert codes(none) == ["NO_LINES_AVAILABLE"] and none["draftOrder"] is None and len(none["warnings"]) == 1

    bad = (await gw.data(RENAME_LIST, {"id": lst["id"], "n": " "}, acme))["renameRequisitionList"]
    assert codes(bad) == ["INVALID_INPUT"] and bad["requisitionList"]["name"] == "Basics"
    assert (await gw.data(RENAME_LIST, {"id": lst["id"], "n": "Toner"}, acme))["renameRequisitionList"][
        "requisitionList"
    ]["name"] == "Toner"
    gone = (await gw.data(DELETE_LIST, {"id": lst["id"]}, acme))["deleteRequisitionList"]
    assert gone == {"deletedId": lst["id"], "errors": []}
    assert (await gw.data(ONE_LIST, {"id": lst["id"]}, acme))["requisitionList"] is None
    assert codes((await gw.data(DELETE_LIST, {"id": lst["id"]}, acme))["deleteRequisitionList"]) == ["NOT_FOUND"]


async def test_reading_lists_does_not_grow_with_lists_or_items(gw: Gateway) -> None:
    await extra_offers(gw, 40)
    buyers = await extra_buyers(gw, 2)
    counts = {}
    for n, headers in zip((1, 6), buyers, strict=True):
        for k in range(n):
            items = [{"sku": f"SC-{i:03d}", "quantity": 1} for i in range(k * 6, k * 6 + 6)]
            made = await gw.data(CREATE_LIST, {"input": {"name": f"L{k}", "items": items}}, headers)
            assert made["createRequisitionList"]["errors"] == []
        counter = gw.count_statements()
        data = await gw.data(LISTS, headers=headers)
        gw.stop_counting(counter)
        assert len(data["requisitionLists"]["edges"]) == n
        assert sum(len(e["node"]["items"]) for e in data["requisitionLists"]["edges"]) == 6 * n
        counts[n] = counter.count
    print(f"statements: requisitionLists with 1 list of 6 items = {counts[1]}, 6 lists of 6 items = {counts[6]}")
    assert counts[1] == counts[6]


async def test_a_draft_from_a_list_and_a_reorder_with_an_idempotency_key(gw: Gateway, acme: dict) -> None:
    made = (
        await gw.data(CREATE_LIST, {"input": {"name": "Keyed", "items": [{"sku": "NOTEBOOK", "quantity": 2}]}}, acme)
    )["createRequisitionList"]["requisitionList"]
    keyed = """mutation($id: ID!, $k: String) {
      a: createDraftOrderFromRequisitionList(requisitionListId: $id, idempotencyKey: $k) {
        draftOrder { id } errors { code } } }"""
    first = (await gw.data(keyed, {"id": made["id"], "k": "list-1"}, acme))["a"]
    again = (await gw.data(keyed, {"id": made["id"], "k": "list-1"}, acme))["a"]
    assert first["errors"] == [] and again["draftOrder"]["id"] == first["draftOrder"]["id"]
    order = await ready_draft(gw, acme, await offer_ids(gw, acme), "NOTEBOOK", 3)
    placed = (await gw.data(PLACE, {"id": order["id"]}, acme))["placeDraftOrder"]["order"]
    reorder = """mutation($id: ID!, $k: String) {
      r: createDraftOrderFromOrder(orderId: $id, idempotencyKey: $k) { draftOrder { id } errors { code } } }"""
    one = (await gw.data(reorder, {"id": placed["id"], "k": "re-1"}, acme))["r"]
    two = (await gw.data(reorder, {"id": placed["id"], "k": "re-1"}, acme))["r"]
    assert one["draftOrder"]["id"] == two["draftOrder"]["id"]
    reused = (await gw.data(reorder, {"id": placed["reference"], "k": "re-1"}, acme))["r"]
    assert codes(reused) == ["IDEMPOTENCY_KEY_REUSED"]
    # drafts from these sources list under their source types
    listed = await gw.data(
        "{ orders(filter: {sourceTypes: [ORDER, REQUISITION_LIST]}) { edges { node { source { type } } } } }",
        headers=acme,
    )
    assert sorted(e["node"]["source"]["type"] for e in listed["orders"]["edges"]) == ["ORDER", "REQUISITION_LIST"]
