"""The sandbox payment service locked down (issue 27, scope 5): not mounted in production, refused at start
there unless forced, and it signs or calls nothing for anyone but the gateway itself: unsigned sessions and
money requests are refused, and so are callback URLs outside the gateway's own /payments/."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

from app.services.payments.signing import sign
from app.settings import DEV_SANDBOX_SECRET
from tests.support.gateway import Gateway, app_client
from tests.support.webhook_receiver import receiver


def _session(callback: str) -> bytes:
    return json.dumps(
        {
            "paymentId": "p1",
            "orderKey": "ORD-1",
            "amount": "10.00",
            "currency": "EUR",
            "returnUrl": "https://shop.example/done",
            "callbackUrl": callback,
        }
    ).encode()


def _signed(body: bytes) -> dict:
    return {"content-type": "application/json", "x-sandbox-signature": sign(DEV_SANDBOX_SECRET, body)}


async def test_production_does_not_serve_the_sandbox(gw: Gateway) -> None:
    async with app_client(gw, env="production", sandbox_payment_secret="deployment-secret") as c:
        for path in ("/payments/sandbox/sessions", "/payments/sandbox/captures", "/payments/sandbox/refunds"):
            assert (await c.post(path, content=b"{}")).status_code == 404, path
        assert (await c.get("/payments/sandbox/pay/anything")).status_code == 404
    async with app_client(
        gw, env="production", sandbox_payment_secret="s", sandbox_psp=True, sandbox_psp_force=True
    ) as c:
        assert (await c.post("/payments/sandbox/sessions", content=b"{}")).status_code == 401  # forced: served


def test_production_refuses_to_start_with_the_sandbox_on_unless_forced(tmp_path) -> None:
    env = {
        **os.environ,
        "GATEWAY_ENV": "production",
        "GATEWAY_SANDBOX_PSP": "true",
        "GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db",
        "GATEWAY_SANDBOX_PAYMENT_SECRET": "s",
    }
    run = subprocess.run(
        [sys.executable, "-m", "app.cli", "migrate"], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "GATEWAY_SANDBOX_PSP_FORCE" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


async def test_unsigned_or_foreign_callback_sessions_are_refused_and_nothing_is_sent(gw: Gateway) -> None:
    with receiver() as attacker_server:
        attacker = attacker_server.url
        await _refusals(gw, attacker)
        assert attacker_server.calls == []


async def _refusals(gw: Gateway, attacker: str) -> None:
    async with app_client(gw) as c:
        body = _session(f"{attacker}/steal")
        assert (await c.post("/payments/sandbox/sessions", content=body)).status_code == 401  # unsigned
        forged = {"content-type": "application/json", "x-sandbox-signature": "0" * 64}
        assert (await c.post("/payments/sandbox/sessions", content=body, headers=forged)).status_code == 401
        refused = await c.post("/payments/sandbox/sessions", content=body, headers=_signed(body))
        assert refused.status_code == 400 and "callbackUrl" in refused.text
        # a refund whose callback is the attacker's: refused before anything is scheduled
        refund = json.dumps(
            {
                "id": "t1",
                "paymentReference": "SBX-1",
                "orderKey": "ORD-1",
                "amount": "1.00",
                "currency": "EUR",
                "callbackUrl": f"{attacker}/steal",
            }
        ).encode()
        assert (await c.post("/payments/sandbox/refunds", content=refund)).status_code == 401
        assert (await c.post("/payments/sandbox/refunds", content=refund, headers=_signed(refund))).status_code == 400
        own = _session("http://gateway.test/payments/sandbox/callback")
        assert (await c.post("/payments/sandbox/sessions", content=own, headers=_signed(own))).status_code == 201
        await asyncio.sleep(0.3)  # a refund callback, had one been scheduled, would have been sent by now
