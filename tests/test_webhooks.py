"""Order events out to webhooks: outbox in the transaction, signed deliveries, retries, dead letters,
no loss when the gateway dies after commit, one delivery per event with two dispatchers."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook

from app.db import make_engine, make_session_factory
from app.dispatcher import Dispatcher
from app.models import OutboxEvent, Store, WebhookDelivery
from app.services.common import faults
from app.services.events import outbox
from app.settings import Settings
from tests.support.documents import DELETE, PLACE, create_draft, offer_ids, ready_draft
from tests.support.gateway import Gateway
from tests.support.ports import free_port
from tests.support.servers import stop, wait_healthy
from tests.support.webhook_receiver import receiver
from tests.support.webhooks import subscribe

DELIVERIES = """query($id: ID!) { webhookDeliveries(subscriptionId: $id) { edges { node {
  eventId eventType status attempts lastStatusCode lastError deliveredAt } } } }"""


async def deliveries(gw: Gateway, sub_id: str, operator: dict) -> list[dict]:
    page = (await gw.data(DELIVERIES, {"id": sub_id}, operator))["webhookDeliveries"]
    return [edge["node"] for edge in page["edges"]]


CANCEL = 'mutation($id: ID!) { cancelOrder(id: $id, reason: "out of paper") { errors { code } } }'


async def drain(dispatcher: Dispatcher, until, within: float = 20) -> None:  # noqa: ANN001
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        await dispatcher.run_once()
        if await until():
            return
        await asyncio.sleep(0.02)
    pytest.fail("deliveries did not finish in time")


def fast(settings: Settings, **kw) -> Settings:  # noqa: ANN003
    return settings.model_copy(update={"webhook_retry_base_seconds": 0.05, "webhook_retry_max_seconds": 0.2, **kw})


async def _statuses(gw: Gateway) -> list[str]:
    async with gw.session_factory() as s:
        return list(await s.scalars(select(WebhookDelivery.status)))


async def test_placed_and_canceled_order_are_signed_deliveries_in_order(gw: Gateway) -> None:
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    with receiver() as hooks:
        sub_id, secret = await subscribe(gw, operator, hooks.url)
        draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 2)
        placed = (await gw.data(PLACE, {"id": draft["id"]}, acme))["placeDraftOrder"]
        assert placed["errors"] == []
        assert (await gw.data(CANCEL, {"id": draft["id"]}, operator))["cancelOrder"]["errors"] == []
        other = (await create_draft(gw, acme))["draftOrder"]
        assert (await gw.data(DELETE, {"id": other["id"]}, acme))["deleteDraftOrder"]["errors"] == []

        dispatcher = Dispatcher(gw.session_factory, gw.settings)

        async def all_done() -> bool:
            return set(await _statuses(gw)) == {"DELIVERED"}

        await drain(dispatcher, all_done)
        calls = list(hooks.calls)
    for call in calls:  # each body verifies against its headers with the receiver's copy of the secret
        assert Webhook(secret).verify(call.body, call.headers)["id"] == call.headers["webhook-id"]
        assert call.headers["content-type"] == "application/json"
    order_events = [c.event for c in calls if c.event["data"]["order"]["id"] == draft["id"]]
    assert [e["type"] for e in order_events] == ["order.placed", "order.canceled"]
    assert order_events[0]["data"]["order"]["status"] == "PLACED"
    assert order_events[0]["data"]["order"]["logisticOrders"][0]["status"] == "ORDER_CREATED"
    assert order_events[1]["data"]["order"]["cancelReason"] == "out of paper"
    assert [c.event["type"] for c in calls if c.event["data"]["order"]["id"] == other["id"]] == ["draft_order.deleted"]
    tampered = dict(calls[0].headers, **{"webhook-signature": Webhook(secret).sign("x", time_now(), calls[0].body)})
    with pytest.raises(Exception, match="signature"):
        Webhook(secret).verify(calls[0].body, tampered)
    listed = await deliveries(gw, sub_id, operator)
    assert {(d["status"], d["attempts"]) for d in listed} == {("DELIVERED", 1)} and len(listed) == 3


def time_now():  # noqa: ANN201
    from datetime import UTC, datetime

    return datetime.now(UTC)


async def test_receiver_failing_twice_gets_three_attempts_then_delivered(gw: Gateway) -> None:
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    with receiver() as hooks:
        hooks.respond = lambda _event, n: 500 if n < 2 else 200
        sub_id, _ = await subscribe(gw, operator, hooks.url, ["ORDER_PLACED"])
        draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 1)
        assert (await gw.data(PLACE, {"id": draft["id"]}, acme))["placeDraftOrder"]["errors"] == []
        dispatcher = Dispatcher(gw.session_factory, fast(gw.settings))

        async def delivered() -> bool:
            return await _statuses(gw) == ["DELIVERED"]

        await drain(dispatcher, delivered)
        assert len(hooks.calls) == 3 and len({c.headers["webhook-id"] for c in hooks.calls}) == 1
    [d] = await deliveries(gw, sub_id, operator)
    assert (d["status"], d["attempts"], d["lastStatusCode"], d["lastError"]) == ("DELIVERED", 3, 200, None)


async def test_a_receiver_that_keeps_failing_ends_dead(gw: Gateway) -> None:
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    with receiver() as hooks:
        hooks.respond = lambda _event, _n: 503
        sub_id, _ = await subscribe(gw, operator, hooks.url, ["ORDER_PLACED"])
        draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 1)
        assert (await gw.data(PLACE, {"id": draft["id"]}, acme))["placeDraftOrder"]["errors"] == []
        dispatcher = Dispatcher(gw.session_factory, fast(gw.settings, webhook_max_attempts=3))

        async def dead() -> bool:
            return await _statuses(gw) == ["DEAD"]

        await drain(dispatcher, dead)
        assert len(hooks.calls) == 3
    [d] = await deliveries(gw, sub_id, operator)
    assert (d["status"], d["attempts"], d["lastError"]) == ("DEAD", 3, "HTTP 503")


async def test_a_rolled_back_change_emits_nothing(gw: Gateway) -> None:
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    await subscribe(gw, operator, "http://127.0.0.1:9/never")
    draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 1)

    async def boom() -> None:
        raise RuntimeError("crash before commit")

    faults.register("placement.before_commit", boom)
    try:
        resp = await gw.post(PLACE, {"id": draft["id"]}, acme)
    finally:
        faults.clear("placement.before_commit")
    assert resp.json()["errors"][0]["extensions"]["code"] == "INTERNAL"
    async with gw.session_factory() as s:
        assert await s.scalar(select(func.count()).select_from(OutboxEvent)) == 0
        assert await s.scalar(select(func.count()).select_from(WebhookDelivery)) == 0


def _serve(database_url: str, port: int, log: Path, **env: str) -> subprocess.Popen:
    with log.open("a") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
            env={**os.environ, "GATEWAY_DATABASE_URL": database_url, "GATEWAY_ENV": "production", **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _dispatch(database_url: str, log: Path) -> subprocess.Popen:
    with log.open("a") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "app.cli", "dispatch"],
            env={**os.environ, "GATEWAY_DATABASE_URL": database_url, "GATEWAY_ENV": "production"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )


async def _wait(predicate, within: float = 30) -> None:  # noqa: ANN001
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.1)
    pytest.fail("condition not reached in time")


@pytest.mark.slow
async def test_killed_after_commit_the_event_is_delivered_after_restart(gw: Gateway, tmp_path: Path) -> None:
    import threading

    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 1)
    port, log = free_port(), tmp_path / "serve.log"
    env = {"GATEWAY_WEBHOOK_LEASE_SECONDS": "2", "GATEWAY_WEBHOOK_POLL_SECONDS": "0.2"}
    with receiver() as hooks:
        hooks.hold = threading.Event()  # the first call hangs: the gateway dies with it in flight
        await subscribe(gw, operator, hooks.url, ["ORDER_PLACED"])
        proc = _serve(gw.settings.database_url, port, log, **env)
        try:
            await asyncio.to_thread(wait_healthy, f"http://127.0.0.1:{port}", proc)
            async with httpx.AsyncClient(timeout=30) as client:
                resp = await client.post(
                    f"http://127.0.0.1:{port}/graphql",
                    json={"query": PLACE, "variables": {"id": draft["id"]}},
                    headers=acme,
                )
            assert resp.json()["data"]["placeDraftOrder"]["errors"] == []  # committed

            async def in_flight() -> bool:
                return len(hooks.calls) == 1

            await _wait(in_flight)
            proc.send_signal(signal.SIGKILL)  # no shutdown, no chance to record anything
            proc.wait(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert await _statuses(gw) == ["PENDING"]
        hooks.hold.set()
        hooks.hold = None
        proc = _serve(gw.settings.database_url, port, log, **env)
        try:

            async def delivered() -> bool:
                return await _statuses(gw) == ["DELIVERED"]

            await _wait(delivered)
        finally:
            await asyncio.to_thread(stop, proc, log)
        ids = {c.headers["webhook-id"] for c in hooks.calls}
    assert len(ids) == 1 and len(hooks.calls) == 2  # at least once: the in-flight call, then the redelivery
    assert hooks.calls[-1].event["data"]["order"]["id"] == draft["id"]


@pytest.mark.slow
async def test_two_dispatchers_deliver_each_event_once(gw: Gateway, tmp_path: Path) -> None:
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    with receiver() as hooks:
        await subscribe(gw, operator, hooks.url, ["ORDER_PLACED"])
        engine = make_engine(gw.settings)
        factory = make_session_factory(engine)
        async with factory() as s, s.begin():
            store = await s.scalar(select(Store).where(Store.external_id == "main"))
            for i in range(40):
                await outbox.emit(
                    s,
                    tenant_id=store.tenant_id,
                    store_id=store.id,
                    event_type=outbox.ORDER_PLACED,
                    aggregate_id=f"agg{i % 7}",
                    payload={"order": {"id": f"synthetic-{i}"}},
                )
        await engine.dispose()
        logs = [tmp_path / "d1.log", tmp_path / "d2.log"]
        procs = [_dispatch(gw.settings.database_url, log) for log in logs]
        try:

            async def all_delivered() -> bool:
                return (await _statuses(gw)).count("DELIVERED") == 40

            await _wait(all_delivered, within=60)
        finally:
            for proc, log in zip(procs, logs, strict=True):
                await asyncio.to_thread(stop, proc, log)
        ids = [c.headers["webhook-id"] for c in hooks.calls]
    assert len(ids) == 40 and len(set(ids)) == 40
    per_aggregate: dict[str, list[str]] = {}
    for c in hooks.calls:
        per_aggregate.setdefault(f"agg{int(c.event['data']['order']['id'].split('-')[1]) % 7}", []).append(
            c.headers["webhook-id"]
        )
    assert all(v == sorted(v) for v in per_aggregate.values())  # in event order per order


async def test_an_order_placed_and_paid_is_delivered_in_order(database_url: str) -> None:
    """A cart checked out with the redirect method and approved on the sandbox page: `order.placed` then
    `order.paid`, signed; a refused one: `order.payment_refused`."""
    from tests.support.payments import cart_with, checkout, decide, served

    async with served(database_url) as gw:
        operator = await gw.as_user("operator@demo.example", client="OPERATOR")
        acme = await gw.as_user("buyer@acme.example")
        offers = await offer_ids(gw, acme)
        with receiver() as hooks:
            _, secret = await subscribe(gw, operator, hooks.url)
            await cart_with(gw, acme, offers, {"NOTEBOOK": 10})
            paid = (await checkout(gw, acme))["result"]
            await decide(paid["nextStep"], "approve")
            await cart_with(gw, acme, offers, {"NOTEBOOK": 5})
            refused = (await checkout(gw, acme))["result"]
            await decide(refused["nextStep"], "refuse")
            dispatcher = Dispatcher(gw.session_factory, gw.settings)

            async def all_done() -> bool:
                return bool(await _statuses(gw)) and set(await _statuses(gw)) == {"DELIVERED"}

            await drain(dispatcher, all_done)
            calls = list(hooks.calls)
    for call in calls:
        assert Webhook(secret).verify(call.body, call.headers)["id"] == call.headers["webhook-id"]

    def types_of(order_id: str) -> list[str]:
        return [c.event["type"] for c in calls if c.event["data"]["order"]["id"] == order_id]

    assert types_of(paid["order"]["id"]) == ["order.placed", "order.paid"]
    last = [c.event for c in calls if c.event["type"] == "order.paid"][-1]
    assert last["data"]["order"]["paymentStatus"] == "PAID"
    assert types_of(refused["order"]["id"]) == ["order.payment_refused"]
