"""The import format: the demo file validates and imports idempotently; bad files are refused with the path
of the first error and nothing written; an upsert changes only the fields a record carries (stock included);
a stock count older than a sale is refused; a dry run writes nothing and lists the changes. Also the CLI
commands, as a user runs them."""

from __future__ import annotations

import asyncio
import copy
import json
import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text

from app.cli import DEMO_FILE
from app.db import make_engine, make_session_factory
from app.migrate import upgrade
from app.models import Account, Base, Membership, Offer, OfferPrice, Product, User, Variant
from app.services.importer import Change, ImportFileError, import_data, validate_import
from app.settings import Settings
from tests.support.documents import PLACE, offer_ids, ready_draft
from tests.support.gateway import Gateway

DEMO = json.loads(DEMO_FILE.read_text())
CLI = [sys.executable, "-m", "app.cli"]


async def _counts(factory) -> dict[str, int]:  # noqa: ANN001
    async with factory() as s:
        return {t.name: await s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


@pytest.fixture
async def factory(tmp_path: Path):  # noqa: ANN201
    engine = make_engine(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'imp.db'}"))
    await upgrade(engine)
    yield make_session_factory(engine)
    await engine.dispose()


async def test_demo_imports_idempotently(factory) -> None:  # noqa: ANN001
    async with factory() as s, s.begin():
        counts = await import_data(s, copy.deepcopy(DEMO))
    # ACME gained buyer2, approver and viewer (issue 28)
    assert counts["tenants"] == 2 and counts["offers"] == 7 and counts["users"] == 8
    first = await _counts(factory)
    async with factory() as s, s.begin():
        await import_data(s, copy.deepcopy(DEMO))
    assert await _counts(factory) == first
    assert first["products"] == 7 and first["offer_prices"] == 8 and first["price_tiers"] == 2


@pytest.mark.parametrize(
    "mutate, path",
    [
        (
            lambda d: d["tenants"][0]["offers"][0]["prices"][0].__setitem__("amount", "4.2.0"),
            "$.tenants[0].offers[0].prices[0].amount",
        ),
        (lambda d: d["tenants"][0]["offers"][1].__setitem__("colour", "blue"), "$.tenants[0].offers[1]"),
        (lambda d: d["tenants"][0]["offers"][2].__setitem__("sku", "NO-SUCH-SKU"), "$.tenants[0].offers[2].sku"),
        (
            lambda d: d["tenants"][0]["quotes"][0].__setitem__("expiresAt", "tomorrow"),
            "$.tenants[0].quotes[0].expiresAt",
        ),
        (
            lambda d: d["tenants"][0]["catalogViews"][0]["accounts"].append("NOBODY"),
            "$.tenants[0].catalogViews[0].accounts[1]",
        ),
    ],
)
async def test_bad_file_is_refused_with_path_and_nothing_written(factory, mutate, path) -> None:  # noqa: ANN001
    data = copy.deepcopy(DEMO)
    mutate(data)
    before = await _counts(factory)
    with pytest.raises(ImportFileError) as err:
        async with factory() as s, s.begin():
            await import_data(s, data)
    assert err.value.path == path, err.value
    assert await _counts(factory) == before


def test_schema_rejects_float_money() -> None:
    data = copy.deepcopy(DEMO)
    data["tenants"][0]["offers"][0]["prices"][0]["amount"] = 5.0
    with pytest.raises(ImportFileError):
        validate_import(data)


def _env(tmp_path: Path, name: str) -> dict[str, str]:
    return {**os.environ, "GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / name}"}


def test_cli_import_refuses_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"tenants": [{"externalId": "t", "offers": [{"externalId": "o"}]}]}')
    run = subprocess.run([*CLI, "import", str(bad)], env=_env(tmp_path, "cli.db"), capture_output=True, text=True)
    assert run.returncode == 2 and "$.tenants[0].offers[0]" in run.stderr and "nothing written" in run.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{nope")
    run = subprocess.run([*CLI, "import", str(broken)], env=_env(tmp_path, "cli.db"), capture_output=True, text=True)
    assert run.returncode == 2 and "not JSON" in run.stderr
    ok = subprocess.run([*CLI, "import", str(DEMO_FILE)], env=_env(tmp_path, "cli.db"), capture_output=True, text=True)
    assert ok.returncode == 0 and "offers 7" in ok.stdout, ok.stderr


def test_serve_demo_answers_the_readme_query(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [*CLI, "serve", "--demo", "--port", str(port)],
        env=_env(tmp_path, "serve.db"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                if httpx.get(f"{url}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        headers = {"dj-api-key": "demo-tenant-key", "dj-client": "ACCOUNT"}
        token = httpx.post(
            f"{url}/graphql",
            headers=headers,
            json={
                "query": 'mutation { createToken(email: "buyer@acme.example", password: "demo-password") { token } }'
            },
        ).json()
        headers["Authorization"] = f"Bearer {token['data']['createToken']['token']}"
        body = httpx.post(f"{url}/graphql", headers=headers, json={"query": "{ products(first: 10) { totalCount } }"})
        assert body.json() == {"data": {"products": {"totalCount": 6}}}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# A catalog feed as an ERP sends it: prices only, no stock; and records carrying their keys and required fields only.
PRICE_ONLY = {
    "tenants": [
        {
            "externalId": "demo",
            "products": [
                {"externalId": "P-PAPER-A4", "name": "Copy paper A4 (500 sheets)", "variants": [{"sku": "PAPER-A4"}]}
            ],
            "offers": [
                {
                    "externalId": "OFF-PAPER-A4",
                    "sku": "PAPER-A4",
                    "supplier": "SUP-NORD",
                    "prices": [{"target": "PUBLIC", "amount": "5.50", "taxRate": "20.00", "packSize": 5}],
                }
            ],
            "accounts": [{"externalId": "ACME", "name": "ACME Corporation"}],
            "users": [{"email": "buyer@acme.example", "password": "demo-password"}],
        }
    ]
}


async def _import(gw: Gateway, data: dict, changes: list[Change] | None = None) -> dict[str, int]:
    async with gw.session_factory() as s, s.begin():
        return await import_data(s, copy.deepcopy(data), changes=changes)


async def _offer(gw: Gateway, external_id: str) -> Offer:
    async with gw.session_factory() as s:
        return await s.scalar(select(Offer).where(Offer.external_id == external_id))


async def test_an_upsert_keeps_every_field_the_record_omits(gw: Gateway) -> None:
    # Values other than the defaults first, so that a default written over them would show.
    await _import(
        gw,
        {
            "tenants": [
                {
                    "externalId": "demo",
                    "products": [
                        {
                            "externalId": "P-PAPER-A4",
                            "name": "Copy paper A4 (500 sheets)",
                            "description": "Recycled, 80 g",
                            "active": False,
                            "variants": [{"sku": "PAPER-A4", "name": "A4 ream", "active": False}],
                        }
                    ],
                    "offers": [
                        {"externalId": "OFF-PAPER-A4", "sku": "PAPER-A4", "supplier": "SUP-NORD", "active": False}
                    ],
                    "users": [{"email": "buyer@acme.example", "password": "demo-password", "role": "OPERATOR"}],
                }
            ]
        },
    )
    async with gw.session_factory() as s:
        before_prices = await s.scalar(select(func.count()).select_from(OfferPrice))
        acme = await s.scalar(select(Account).where(Account.external_id == "ACME"))
        acme_group = acme.group_id
    changes: list[Change] = []
    await _import(gw, PRICE_ONLY, changes)
    async with gw.session_factory() as s:
        offer = await s.scalar(select(Offer).where(Offer.external_id == "OFF-PAPER-A4"))
        assert offer.stock == 10000 and offer.active is False  # the price-only feed kept the stock (was: 0)
        prices = list(await s.scalars(select(OfferPrice).where(OfferPrice.offer_id == offer.id)))
        assert [(p.target, p.unit_amount) for p in prices] == [("PUBLIC", 550)]
        assert await s.scalar(select(func.count()).select_from(OfferPrice)) == before_prices - 1
        product = await s.scalar(select(Product).where(Product.external_id == "P-PAPER-A4"))
        assert (product.description, product.active) == ("Recycled, 80 g", False)
        variant = await s.scalar(select(Variant).where(Variant.sku == "PAPER-A4"))
        assert (variant.name, variant.active) == ("A4 ream", False)
        acme = await s.scalar(select(Account).where(Account.external_id == "ACME"))
        assert acme.group_id == acme_group
        user = await s.scalar(select(User).where(User.email == "buyer@acme.example"))
        assert (user.role, user.first_name, user.last_name, user.profile_completed) == ("OPERATOR", "Ada", "Acme", True)
        assert user.default_account_id == acme.id
        assert list(await s.scalars(select(Membership.account_id).where(Membership.user_id == user.id))) == [acme.id]
    report = {(c.kind, c.key): (c.status, c.fields) for c in changes}
    assert report[("offers", "OFF-PAPER-A4")] == ("updated", ["prices"])
    assert report[("products", "P-PAPER-A4")] == ("unchanged", [])
    assert report[("variants", "PAPER-A4")] == ("unchanged", [])
    assert report[("accounts", "ACME")] == ("unchanged", [])
    assert report[("users", "buyer@acme.example")] == ("unchanged", [])


async def test_a_stock_count_older_than_a_sale_is_refused(gw: Gateway) -> None:
    before_sale = datetime.now(UTC) - timedelta(seconds=1)
    acme = await gw.as_user("buyer@acme.example")
    offers = await offer_ids(gw, acme)
    draft = await ready_draft(gw, acme, offers, "STAPLER", 1)
    placed = (await gw.data(PLACE, {"id": draft["id"]}, acme))["placeDraftOrder"]
    assert placed["errors"] == [], placed
    moved = (await _offer(gw, "OFF-STAPLER")).stock_moved_at
    assert moved is not None and moved > before_sale
    feed = {
        "asOf": before_sale.isoformat(),
        "tenants": [
            {
                "externalId": "demo",
                "suppliers": [{"externalId": "SUP-SUD", "name": "Renamed by the stale file"}],
                "offers": [
                    {"externalId": "OFF-STAPLER", "sku": "STAPLER", "supplier": "SUP-SUD", "stock": 5},
                    {"externalId": "OFF-CHAIR-ERGO", "sku": "CHAIR-ERGO", "supplier": "SUP-SUD", "stock": 90},
                ],
            }
        ],
    }
    with pytest.raises(ImportFileError) as err:
        await _import(gw, feed)
    # The whole file is refused, naming the offer whose sale it would undo (not the unmoved chair).
    assert err.value.path == "$.tenants[0].offers[0].stock"
    assert "demo/OFF-STAPLER (stock 4" in err.value.message and "CHAIR" not in err.value.message
    assert (await _offer(gw, "OFF-STAPLER")).stock == 4 and (await _offer(gw, "OFF-CHAIR-ERGO")).stock == 100
    async with gw.session_factory() as s:
        assert (
            await s.scalar(text("SELECT name FROM suppliers WHERE external_id = 'SUP-SUD'"))
            != "Renamed by the stale file"
        )
    # Without asOf, a count is as old as can be: refused too for an offer orders have moved.
    with pytest.raises(ImportFileError, match="no asOf"):
        await _import(gw, {"tenants": feed["tenants"]})
    # The same count unchanged is no overwrite: accepted, whatever the date.
    stale_same = copy.deepcopy(feed)
    stale_same["tenants"][0]["offers"] = [
        {"externalId": "OFF-STAPLER", "sku": "STAPLER", "supplier": "SUP-SUD", "stock": 4}
    ]
    await _import(gw, stale_same)
    # A count taken after the sale applies (the chair, never moved, takes its count either way).
    fresh = copy.deepcopy(feed) | {"asOf": datetime.now(UTC).isoformat().replace("+00:00", "Z")}
    changes: list[Change] = []
    await _import(gw, fresh, changes)
    assert (await _offer(gw, "OFF-STAPLER")).stock == 5 and (await _offer(gw, "OFF-CHAIR-ERGO")).stock == 90
    assert [(c.key, c.fields) for c in changes if c.kind == "offers"] == [
        ("OFF-STAPLER", ["stock"]),
        ("OFF-CHAIR-ERGO", ["stock"]),
    ]


async def test_as_of_in_the_future_is_refused(gw: Gateway) -> None:
    future = {"asOf": (datetime.now(UTC) + timedelta(days=1)).isoformat(), "tenants": [{"externalId": "demo"}]}
    with pytest.raises(ImportFileError) as err:
        await _import(gw, future)
    assert err.value.path == "$.asOf" and "future" in err.value.message


async def _dump(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    engine = make_engine(Settings(database_url=url))
    try:
        async with engine.connect() as conn:
            out = {}
            for table in Base.metadata.sorted_tables:
                rows = await conn.execute(select(table))
                out[table.name] = sorted((tuple(r) for r in rows), key=repr)
            return out
    finally:
        await engine.dispose()


async def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """The CLI as a user runs it, off the event loop."""
    return await asyncio.to_thread(subprocess.run, [*CLI, *args], env=env, capture_output=True, text=True)


async def test_dry_run_changes_nothing_and_lists_the_changes(database_url: str, tmp_path: Path) -> None:
    feed = copy.deepcopy(PRICE_ONLY)
    feed["tenants"][0]["products"].append(
        {"externalId": "P-NEW", "name": "New product", "variants": [{"sku": "NEW-1"}]}
    )
    feed["tenants"][0]["offers"][0]["stock"] = 9000  # no order moved it: the import would apply it
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed))
    before = await _dump(database_url)
    env = {**os.environ, "GATEWAY_DATABASE_URL": database_url}
    run = await _cli(env, "import", "--dry-run", str(path))
    assert run.returncode == 0, run.stderr
    assert await _dump(database_url) == before
    lines = run.stdout.splitlines()
    assert "updated   offers demo/OFF-PAPER-A4: stock, prices" in lines
    assert "created   products demo/P-NEW" in lines and "created   variants demo/NEW-1" in lines
    assert "unchanged users demo/buyer@acme.example" in lines and "unchanged tenants demo/demo" in lines
    assert lines[-1] == "dry run, nothing written: the import would leave 2 created, 1 updated, 5 unchanged"
    # The real import then does what the dry run said.
    done = await _cli(env, "import", str(path))
    assert done.returncode == 0, done.stderr
    assert "updated   offers demo/OFF-PAPER-A4: stock, prices" in done.stdout.splitlines()
    after = await _dump(database_url)
    assert len(after["products"]) == len(before["products"]) + 1
