"""GraphQL documents of drafts and orders, and the small steps the order tests share."""

from __future__ import annotations

from tests.support.gateway import Gateway

DRAFT_FIELDS = """
  id reference status version source { type id }
  lines { id quantity sku unitPrice { amount } total { amount } tax { amount } offer { id } variant { sku } }
  issues { code message lineId blocking }
  shippingAddress { externalId } billingAddress { externalId }
  metadata { key value }
  subtotal { amount currency } taxTotal { amount } total { amount } amountSaved { amount }
"""
PAYLOAD = f"draftOrder {{ {DRAFT_FIELDS} }} errors {{ code message field index lineId }} warnings {{ code message }}"

CREATE = f"mutation($input: CreateDraftOrderInput) {{ createDraftOrder(input: $input) {{ {PAYLOAD} }} }}"
UPDATE = f"""mutation($id: ID!, $input: UpdateDraftOrderInput!, $v: Int) {{
  updateDraftOrder(id: $id, input: $input, expectedVersion: $v) {{ {PAYLOAD} }} }}"""
ADD = f"""mutation($id: ID!, $lines: [DraftOrderLineInput!]!, $v: Int) {{
  addDraftOrderLines(draftOrderId: $id, lines: $lines, expectedVersion: $v) {{ {PAYLOAD} }} }}"""
UPDATE_LINES = f"""mutation($id: ID!, $lines: [DraftOrderLineUpdateInput!]!, $v: Int) {{
  updateDraftOrderLines(draftOrderId: $id, lines: $lines, expectedVersion: $v) {{ {PAYLOAD} }} }}"""
REMOVE_LINES = f"""mutation($id: ID!, $ids: [ID!]!, $v: Int) {{
  removeDraftOrderLines(draftOrderId: $id, lineIds: $ids, expectedVersion: $v) {{ {PAYLOAD} }} }}"""
SYNC = f"mutation($id: ID!) {{ syncDraftOrder(id: $id) {{ {PAYLOAD} }} }}"
DELETE = "mutation($id: ID!) { deleteDraftOrder(id: $id) { deletedId errors { code message } } }"
PLACE = """mutation($id: ID!, $input: PlaceDraftOrderInput) { placeDraftOrder(id: $id, input: $input) {
  order { id reference status paymentStatus placedAt total { amount }
          lines { sku quantity unitPrice { amount } total { amount } }
          logisticOrders { id reference status nextStatuses supplier { externalId } total { amount } lines { sku } }
          events { type actor } }
  nextStep errors { code message field lineId } } }"""
DRAFT = f"query($id: ID!) {{ draftOrder(id: $id) {{ {DRAFT_FIELDS} }} }}"

OFFERS = "{ products(first: 100) { edges { node { variants { id sku offers { id } } } } } }"


async def offer_ids(gw: Gateway, headers: dict) -> dict[str, str]:
    """SKU -> offer id, as the given caller sees the catalog."""
    data = await gw.data(OFFERS, headers=headers)
    return {
        v["sku"]: v["offers"][0]["id"] for e in data["products"]["edges"] for v in e["node"]["variants"] if v["offers"]
    }


async def variant_ids(gw: Gateway, headers: dict) -> dict[str, str]:
    data = await gw.data(OFFERS, headers=headers)
    return {v["sku"]: v["id"] for e in data["products"]["edges"] for v in e["node"]["variants"]}


async def create_draft(gw: Gateway, headers: dict, lines: list[dict] | None = None, **fields) -> dict:  # noqa: ANN003
    inp = {**fields}
    if lines is not None:
        inp["lines"] = lines
    payload = (await gw.data(CREATE, {"input": inp}, headers))["createDraftOrder"]
    assert payload["draftOrder"] is not None, payload
    return payload


async def ready_draft(
    gw: Gateway, headers: dict, offers: dict[str, str], sku: str, quantity: int, address: str = "ACME-HQ"
) -> dict:
    """A placeable draft: one line and both addresses."""
    payload = await create_draft(
        gw,
        headers,
        [{"offerId": offers[sku], "quantity": quantity}],
        shippingAddressId=address,
        billingAddressId=address,
    )
    assert payload["errors"] == [], payload
    return payload["draftOrder"]
