"""LISTEN/NOTIFY (app/listener.py, services/events/notify.py): a real `commerce-gateway serve` process whose
poll periods are 30 s wakes on the NOTIFY of a transaction committed by another process (this test's own
in-process gateway), so a webhook reaches a real receiver, and a pending payment expires, within a small
fraction of the poll period. On SQLite there is no NOTIFY: the same cross-process scenario runs on polling
(short poll periods), the only mechanism there.

Each scenario runs twice: the first round may be picked up by the process's start-up look, the second comes
after the process went idle (its look found nothing and it waits for the next poll), so only a wake-up
explains a prompt answer. Delays are measured from the commit, and asserted as a ratio of the poll period.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx
import pytest
from sqlalchemy import select, text

from app.listener import APPLICATION_NAME, listen_dsn
from app.models import Payment, WebhookDelivery, utcnow
from app.settings import Settings
from tests.support import databases
from tests.support.documents import PLACE, offer_ids, ready_draft
from tests.support.gateway import Gateway
from tests.support.payments import pending, served
from tests.support.servers import gateways
from tests.support.webhook_receiver import receiver
from tests.support.webhooks import subscribe

pytestmark = pytest.mark.slow

POLL_SECONDS = 30.0  # the gateway process's poll periods on PostgreSQL: a wait for the poll would show
SQLITE_POLL_SECONDS = 0.3
WITHIN_RATIO = 0.2  # of POLL_SECONDS: a woken process answers well within it, even on a loaded machine


def is_pg(database_url: str) -> bool:
    return database_url.startswith("postgresql")


def process_env(database_url: str) -> dict[str, str]:
    if is_pg(database_url):
        poll = str(POLL_SECONDS)
        return {
            "GATEWAY_WEBHOOK_POLL_SECONDS": poll,
            "GATEWAY_LISTEN_POLL_SECONDS": poll,
            "GATEWAY_PAYMENT_SWEEP_SECONDS": poll,
            # the server itself, also when the run goes through PgBouncer (tests/support/databases.py)
            "GATEWAY_DATABASE_LISTEN_URL": databases.pg_url(database_url.rsplit("/", 1)[1]),
        }
    poll = str(SQLITE_POLL_SECONDS)
    return {"GATEWAY_WEBHOOK_POLL_SECONDS": poll, "GATEWAY_PAYMENT_SWEEP_SECONDS": poll}


async def until(predicate: Callable[[], Awaitable[bool]], within: float = 60) -> float:
    """Poll `predicate` (every 20 ms) until true; the monotonic time it became true."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await predicate():
            return time.monotonic()
        await asyncio.sleep(0.02)
    pytest.fail("condition not reached in time")


async def listener_pids(gw: Gateway) -> set[int]:
    look = text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = :name")
    async with gw.session_factory() as s:
        return set(await s.scalars(look, {"name": APPLICATION_NAME}))


async def listening(gw: Gateway, processes: int, *, not_before: set[int] = frozenset()) -> set[int]:
    """On PostgreSQL, wait until `processes` listener connections (none of the backends `not_before`) are up on
    the test's database; their backends' pids."""
    if not is_pg(gw.settings.database_url):
        assert listen_dsn(gw.settings) is None  # SQLite: no listener, polling only
        return set()

    async def up() -> bool:
        pids = await listener_pids(gw)
        return len(pids) == processes and not pids & not_before

    await until(up)
    return await listener_pids(gw)


def bound(database_url: str) -> float:
    return POLL_SECONDS * WITHIN_RATIO if is_pg(database_url) else 10 * SQLITE_POLL_SECONDS + 5


async def test_a_webhook_leaves_at_the_commit_not_at_the_next_poll(gw: Gateway) -> None:
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    drafts = [await ready_draft(gw, acme, offers, "NOTEBOOK", 1) for _ in range(2)]
    with receiver() as hooks:
        await subscribe(gw, operator, hooks.url, ["ORDER_PLACED"])
        # The gateway process delivers; this test's in-process gateway (no dispatcher: no lifespan) places.
        with gateways(gw.settings.database_url, 1, **process_env(gw.settings.database_url)):
            await listening(gw, 1)
            delays = []
            for draft in drafts:
                placed = await gw.data(PLACE, {"id": draft["id"]}, acme)
                committed = time.monotonic()  # the answer comes after the commit
                assert placed["placeDraftOrder"]["errors"] == [], placed

                async def delivered(order_id: str = draft["id"]) -> bool:
                    return any(e["data"]["order"]["id"] == order_id for e in hooks.events())

                delays.append(await until(delivered) - committed)

                async def recorded() -> bool:  # the process wrote DELIVERED: it goes idle next
                    async with gw.session_factory() as s:
                        return set(await s.scalars(select(WebhookDelivery.status))) == {"DELIVERED"}

                await until(recorded)
        assert len(hooks.calls) == 2
    assert delays[1] < bound(gw.settings.database_url), (delays, POLL_SECONDS)


async def test_a_retry_leaves_at_its_time_not_at_the_next_poll(gw: Gateway) -> None:
    """A receiver that fails the first call: the retry is due about 1 s later (GATEWAY_WEBHOOK_RETRY_BASE_SECONDS),
    no NOTIFY announces it, and the idle dispatcher, which knows the next due time, wakes for it instead of
    waiting for its 30 s poll."""
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 1)
    env = {**process_env(gw.settings.database_url), "GATEWAY_WEBHOOK_RETRY_BASE_SECONDS": "1"}
    with receiver() as hooks:
        hooks.respond = lambda _event_id, n: 500 if n == 0 else 200
        await subscribe(gw, operator, hooks.url, ["ORDER_PLACED"])
        with gateways(gw.settings.database_url, 1, **env):
            await listening(gw, 1)
            placed = await gw.data(PLACE, {"id": draft["id"]}, acme)
            assert placed["placeDraftOrder"]["errors"] == [], placed

            def calls(n: int) -> Callable[[], Awaitable[bool]]:
                async def made() -> bool:
                    return len(hooks.calls) >= n

                return made

            first = await until(calls(1))
            second = await until(calls(2))

            async def recorded() -> bool:
                async with gw.session_factory() as s:
                    return list(await s.scalars(select(WebhookDelivery.attempts))) == [2]

            await until(recorded)
        assert {c.headers["webhook-id"] for c in hooks.calls} == {hooks.calls[0].headers["webhook-id"]}
    # the backoff (0.8-1 s) plus a wake-up, far from the poll period
    assert 0.5 < second - first < 1 + bound(gw.settings.database_url), (second - first, POLL_SECONDS)


async def test_a_pending_payment_expires_at_its_deadline_not_at_the_next_sweep(database_url: str) -> None:
    """A redirect payment started by another process with a 1 s expiry: the gateway process's sweep learns the
    deadline from the NOTIFY of the commit that started it and expires the attempt then (nothing touches the
    buyer's cart or order meanwhile, which would expire it too)."""
    async with served(database_url, payment_timeout_seconds=1) as gw:
        acme = await gw.as_user("buyer@acme.example")
        offers = await offer_ids(gw, acme)
        with gateways(database_url, 1, **process_env(database_url)):
            await listening(gw, 1)
            lateness = []
            for _ in range(2):
                payment_id, _key, _amount = await pending(gw, acme, offers)
                async with gw.session_factory() as s:
                    expires_at = await s.scalar(select(Payment.expires_at).where(Payment.id == payment_id))
                deadline = time.monotonic() + (expires_at - utcnow()).total_seconds()

                async def expired(pid: str = payment_id) -> bool:
                    async with gw.session_factory() as s:
                        return await s.scalar(select(Payment.status).where(Payment.id == pid)) == "EXPIRED"

                lateness.append(await until(expired) - deadline)
    assert lateness[1] < bound(database_url), (lateness, POLL_SECONDS)


async def test_no_listener_behind_a_transaction_pooler_without_a_listen_url() -> None:
    """LISTEN needs the server's own session: behind GATEWAY_DB_POOLER=pgbouncer it goes to
    GATEWAY_DATABASE_LISTEN_URL, or is off (the dispatcher and the sweep poll)."""
    url = "postgresql+asyncpg://gw:secret@pooler:6432/shop"
    plain = {"listen": True, "database_listen_url": None, "db_pooler": "none"}  # whatever the environment says
    pooler = {"host": "pooler", "port": 6432, "database": "shop", "user": "gw", "password": "secret"}
    assert listen_dsn(Settings(database_url=url, **plain)) == pooler
    assert listen_dsn(Settings(database_url=url, **{**plain, "db_pooler": "pgbouncer"})) is None
    direct = "postgresql+asyncpg://gw:secret@db:5432/shop"
    behind = Settings(database_url=url, **{**plain, "db_pooler": "pgbouncer", "database_listen_url": direct})
    assert listen_dsn(behind) == {**pooler, "host": "db", "port": 5432}
    assert listen_dsn(Settings(database_url=url, **{**plain, "listen": False})) is None
    assert listen_dsn(Settings(database_url="sqlite+aiosqlite:///x.db", **plain)) is None
    # a multi-host URL (failover, docs/deployment.md): every host, tried for the one that accepts writes
    pair = "postgresql+asyncpg://gw@/shop?host=a:5432&host=b:5433&target_session_attrs=read-write"
    assert listen_dsn(Settings(database_url=pair, **plain)) == {
        "host": ["a", "b"],
        "port": [5432, 5433],
        "database": "shop",
        "user": "gw",
        "target_session_attrs": "read-write",
    }


async def test_the_listener_reconnects_after_its_connection_is_killed(gw: Gateway) -> None:
    """The listening backend killed (pg_terminate_backend, as a server restart or failover would end it): the
    process listens again, and a webhook committed afterwards still leaves at the commit."""
    if not is_pg(gw.settings.database_url):
        assert listen_dsn(gw.settings) is None
        return
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 1)
    kill = text(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = current_database() AND application_name = :name"
    )
    with receiver() as hooks:
        await subscribe(gw, operator, hooks.url, ["ORDER_PLACED"])
        with gateways(gw.settings.database_url, 1, **process_env(gw.settings.database_url)) as urls:
            before = await listening(gw, 1)
            async with gw.session_factory() as s:
                assert await s.scalar(kill, {"name": APPLICATION_NAME}) == 1
                await s.commit()
            await listening(gw, 1, not_before=before)  # a new backend: the listener reconnected
            placed = await gw.data(PLACE, {"id": draft["id"]}, acme)
            committed = time.monotonic()
            assert placed["placeDraftOrder"]["errors"] == [], placed

            async def delivered() -> bool:
                return len(hooks.events()) == 1

            delay = await until(delivered) - committed
            async with httpx.AsyncClient() as client:  # the process served throughout
                assert (await client.get(f"{urls[0]}/health")).status_code == 200
    assert delay < bound(gw.settings.database_url), delay
