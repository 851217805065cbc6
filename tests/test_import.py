"""The import format: the demo file validates and imports idempotently; bad files are refused with the path
of the first error and nothing written. Also the CLI commands, as a user runs them."""

from __future__ import annotations

import copy
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from app.cli import DEMO_FILE
from app.db import make_engine, make_session_factory
from app.migrate import upgrade
from app.models import Base
from app.services.importer import ImportFileError, import_data, validate_import
from app.settings import Settings

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
    assert counts["tenants"] == 2 and counts["offers"] == 7 and counts["users"] == 5
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
