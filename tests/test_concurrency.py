"""Real concurrent HTTP requests against the app (SQLite and PostgreSQL): no oversell, no lost update,
one order per idempotency key."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from app.models import IdempotencyRecord, Offer, Order
from tests.support.documents import ADD, CREATE, PLACE, create_draft, offer_ids, ready_draft
from tests.support.gateway import Gateway
from tests.support.users import extra_buyers


async def test_no_oversell_when_12buyers_place_5_staplers(gw: Gateway) -> None:
    buyers = await extra_buyers(gw, 12)
    offers = await offer_ids(gw, buyers[0])
    drafts = [await ready_draft(gw, h, offers, "STAPLER", 1) for h in buyers]
    results = await asyncio.gather(*(gw.data(PLACE, {"id": d["id"]}, h) for d, h in zip(drafts, buyers, strict=True)))
    payloads = [r["placeDraftOrder"] for r in results]
    placed = [p for p in payloads if p["errors"] == [] and p["order"]["status"] == "PLACED"]
    refused = [p for p in payloads if [e["code"] for e in p["errors"]] == ["INSUFFICIENT_STOCK"]]
    assert (len(placed), len(refused)) == (5, 7)
    async with gw.session_factory() as s:
        assert await s.scalar(select(Offer.stock).where(Offer.id == offers["STAPLER"])) == 0
        assert await s.scalar(select(func.count()).select_from(Order).where(Order.status == "PLACED")) == 5


async def test_concurrent_adds_with_same_expected_version(gw: Gateway) -> None:
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    d = (await create_draft(gw, acme))["draftOrder"]
    lines = [{"offerId": offers["NOTEBOOK"], "quantity": 1}]
    results = await asyncio.gather(
        *(gw.data(ADD, {"id": d["id"], "lines": lines, "v": d["version"]}, acme) for _ in range(10))
    )
    codes = sorted(tuple(e["code"] for e in r["addDraftOrderLines"]["errors"]) for r in results)
    assert codes == [()] + [("VERSION_CONFLICT",)] * 9
    final = max(results, key=lambda r: r["addDraftOrderLines"]["draftOrder"]["version"])
    assert final["addDraftOrderLines"]["draftOrder"]["lines"][0]["quantity"] == 1


async def test_concurrent_adds_without_version_lose_nothing(gw: Gateway) -> None:
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    d = (await create_draft(gw, acme))["draftOrder"]
    results = await asyncio.gather(
        *(
            gw.data(ADD, {"id": d["id"], "lines": [{"offerId": offers["NOTEBOOK"], "quantity": q}]}, acme)
            for q in range(1, 11)
        )
    )
    assert all(r["addDraftOrderLines"]["errors"] == [] for r in results)
    final = max(results, key=lambda r: r["addDraftOrderLines"]["draftOrder"]["version"])["addDraftOrderLines"]
    assert final["draftOrder"]["lines"][0]["quantity"] == sum(range(1, 11))
    assert final["draftOrder"]["version"] == d["version"] + 10


async def test_one_idempotency_key_sent_10_times_at_once(gw: Gateway) -> None:
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    d = await ready_draft(gw, acme, offers, "STAPLER", 1)
    results = await asyncio.gather(
        *(gw.data(PLACE, {"id": d["id"], "input": {"idempotencyKey": "retry-me"}}, acme) for _ in range(10))
    )
    ids = {r["placeDraftOrder"]["order"]["id"] for r in results}
    assert ids == {d["id"]}
    assert all(r["placeDraftOrder"]["errors"] == [] for r in results)
    async with gw.session_factory() as s:
        assert await s.scalar(select(Offer.stock).where(Offer.id == offers["STAPLER"])) == 4  # reserved once
        assert await s.scalar(select(func.count()).select_from(IdempotencyRecord)) == 1
        assert await s.scalar(select(func.count()).select_from(Order).where(Order.status == "PLACED")) == 1


async def test_create_draft_with_one_key_10_times_at_once(gw: Gateway) -> None:
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    inp = {"idempotencyKey": "new-draft-1", "lines": [{"offerId": offers["NOTEBOOK"], "quantity": 2}]}
    results = await asyncio.gather(*(gw.data(CREATE, {"input": inp}, acme) for _ in range(10)))
    ids = {r["createDraftOrder"]["draftOrder"]["id"] for r in results}
    assert len(ids) == 1
    async with gw.session_factory() as s:
        assert await s.scalar(select(func.count()).select_from(Order)) == 1
    other = await gw.data(CREATE, {"input": {**inp, "notes": "different"}}, acme)
    assert [e["code"] for e in other["createDraftOrder"]["errors"]] == ["IDEMPOTENCY_KEY_REUSED"]
    # keys are per account: another account may use the same key
    globex = await gw.as_user("buyer@globex.example")
    mine = await gw.data(CREATE, {"input": {"idempotencyKey": "new-draft-1"}}, globex)
    assert mine["createDraftOrder"]["draftOrder"]["id"] not in ids


async def test_draft_from_operation_with_a_key(gw: Gateway) -> None:
    acme = await gw.as_user("buyer@acme.example")
    q = """mutation($k: String, $full: Boolean!) { createDraftOrderFromOperation(operationId: "OP-BACK-TO-SCHOOL",
      full: $full, idempotencyKey: $k) { draftOrder { id } errors { code } } }"""
    results = await asyncio.gather(*(gw.data(q, {"k": "op-1", "full": True}, acme) for _ in range(5)))
    assert len({r["createDraftOrderFromOperation"]["draftOrder"]["id"] for r in results}) == 1
    reused = await gw.data(q, {"k": "op-1", "full": False}, acme)
    assert [e["code"] for e in reused["createDraftOrderFromOperation"]["errors"]] == ["IDEMPOTENCY_KEY_REUSED"]
