"""The schema documents itself, and one commercial order answers under one type in every list (issue 12)."""

from __future__ import annotations

from tests.support.documents import create_draft, offer_ids
from tests.support.gateway import Gateway

COVERAGE = """{ __schema { types { name kind description
  fields(includeDeprecated: true) { name description args { name description } }
  inputFields { name description } enumValues(includeDeprecated: true) { name description } } } }"""
BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}


async def test_every_element_of_the_schema_has_a_description(gw: Gateway) -> None:
    types = [t for t in (await gw.data(COVERAGE))["__schema"]["types"] if not t["name"].startswith("__")]
    counts: dict[str, list[int]] = {k: [0, 0] for k in ("types", "fields", "arguments", "inputFields", "enumValues")}
    missing: list[str] = []

    def count(kind: str, coordinate: str, description: str | None) -> None:
        counts[kind][1] += 1
        if description and description.strip():
            counts[kind][0] += 1
        else:
            missing.append(coordinate)

    for t in types:
        if t["name"] in BUILT_IN:
            continue
        count("types", t["name"], t["description"])
        for f in t["fields"] or []:
            count("fields", f"{t['name']}.{f['name']}", f["description"])
            for a in f["args"]:
                count("arguments", f"{t['name']}.{f['name']}({a['name']}:)", a["description"])
        for f in t["inputFields"] or []:
            count("inputFields", f"{t['name']}.{f['name']}", f["description"])
        for v in t["enumValues"] or []:
            count("enumValues", f"{t['name']}.{v['name']}", v["description"])
    print("description coverage:", {k: f"{done}/{total}" for k, (done, total) in counts.items()})
    assert missing == []
    assert all(total > 0 for _, total in counts.values())


async def test_error_codes_say_when_they_happen(gw: Gateway) -> None:
    body = await gw.data('{ __type(name: "ErrorCode") { enumValues { name description } } }')
    values = body["__type"]["enumValues"]
    assert len(values) > 30
    assert all(len(v["description"]) > 20 for v in values), values


async def test_decimal_and_datetime_are_specified(gw: Gateway) -> None:
    for name in ("Decimal", "DateTime"):
        body = await gw.data("query($n: String!) { __type(name: $n) { specifiedByURL } }", {"n": name})
        assert body["__type"]["specifiedByURL"].startswith("https://"), name


async def test_a_draft_answers_as_draft_order_everywhere(gw: Gateway) -> None:
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    draft_id = (await create_draft(gw, acme, [{"offerId": offers["NOTEBOOK"], "quantity": 1}]))["draftOrder"]["id"]

    drafts = await gw.data("{ draftOrders { edges { node { __typename id } } } }", headers=acme)
    listed = await gw.data(
        "{ orders(filter: {placed: false}) { edges { node { __typename id status "
        "... on DraftOrder { version issues { code } } } } } }",
        headers=acme,
    )
    as_draft = {e["node"]["id"]: e["node"]["__typename"] for e in drafts["draftOrders"]["edges"]}
    as_order = {e["node"]["id"]: e["node"]["__typename"] for e in listed["orders"]["edges"]}
    assert as_draft[draft_id] == as_order[draft_id] == "DraftOrder"
    node = next(e["node"] for e in listed["orders"]["edges"] if e["node"]["id"] == draft_id)
    assert node["status"] == "DRAFT" and node["version"] >= 1
    # order(id) is typed Order: a draft is not one, read it with draftOrder(id)
    assert (await gw.data("query($id: ID!) { order(id: $id) { id } }", {"id": draft_id}, acme))["order"] is None
