"""What a frontend team runs, against a real gateway process: the typed clients generated with
graphql-codegen (TypeScript) and ariadne-codegen (Python) complete the storefront flow; graphql-http's
GraphQL-over-HTTP audit passes every MUST and SHOULD; GraphiQL renders, introspects and runs `viewer` in
headless Chromium with the network cut off (screenshot in test-artifacts/); Apollo Client's InMemoryCache and
urql's Graphcache, configured with examples/cache/ (checked to be current with schema.graphql), follow a draft to
its placed order from the payloads alone, without a warning, in production and development builds; Relay's
@refetchable fragments on orders compile and refetch through node(id:).

Node.js (with npm) and Chromium are needed: without them these tests skip with the reason, except in CI
(GATEWAY_TEST_REQUIRE_TOOLS=1), where they fail. The tests install what they need themselves: `npm ci` in
each Node project whose node_modules is missing or older than its lock file, and examples/python/.venv from
its lock file.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.node import JS, ROOT, last_json, missing, npm_project, run_tool, say

# Node.js tools: kept on one xdist worker, so their projects are installed and built once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("node")]

TS = ROOT / "examples" / "typescript"
PY = ROOT / "examples" / "python"
CACHE = ROOT / "examples" / "cache"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLOW = [
    *("unauthenticated", "token", "catalog", "draft", "lines", "issues", "addresses", "placement", "orders"),
    *("quote draft", "cart checkout"),
]


@pytest.fixture(scope="session")
def typescript_client() -> Path:
    """Generated code up to date with schema.graphql and the documents, compiled with tsc --strict."""
    npm_project(TS)
    check = run_tool(["node_modules/.bin/graphql-codegen", "--config", "codegen.ts", "--check"], TS)
    assert check.returncode == 0, "examples/typescript/src/gql is stale: run `npm run codegen` there\n" + check.stdout
    build = run_tool(["node_modules/.bin/tsc", "-p", "tsconfig.json", "--strict"], TS)
    assert build.returncode == 0, build.stdout + build.stderr
    return TS / "dist" / "flow.js"


@pytest.fixture(scope="session")
def python_client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/python/.venv from its lock file; the checked-in generated client equals a fresh generation."""
    venv = PY / ".venv"
    python = venv / "bin" / "python"
    marker = venv / "installed.lock"
    lock = (PY / "requirements.lock").read_text()
    if not marker.exists() or marker.read_text() != lock:
        run = run_tool([sys.executable, "-m", "venv", str(venv)], PY)
        assert run.returncode == 0, run.stderr
        run = run_tool([str(python), "-m", "pip", "install", "--quiet", "-r", "requirements.lock"], PY)
        if run.returncode != 0:
            missing(f"cannot install examples/python/requirements.lock: {run.stderr[-500:]}")
        marker.write_text(lock)
    # Regenerate in a copy laid out like the repository (the config names ../../schema.graphql).
    copy = tmp_path_factory.mktemp("codegen") / "examples" / "python"
    copy.mkdir(parents=True)
    for name in ("pyproject.toml", "queries.graphql"):
        shutil.copy(PY / name, copy / name)
    shutil.copy(ROOT / "schema.graphql", copy.parents[1] / "schema.graphql")
    run = run_tool([str(venv / "bin" / "ariadne-codegen")], copy)
    assert run.returncode == 0, run.stdout + run.stderr
    fresh, committed = copy / "storefront_client", PY / "storefront_client"
    names = sorted(p.name for p in fresh.glob("*.py"))
    assert names == sorted(p.name for p in committed.glob("*.py")), "generated modules differ"
    _, mismatch, errors = filecmp.cmpfiles(fresh, committed, names, shallow=False)
    assert not mismatch and not errors, (
        f"examples/python/storefront_client is stale ({mismatch + errors}): run ariadne-codegen"
    )
    return python


@pytest.fixture(scope="session")
def js_checks() -> Path:
    npm_project(JS)
    return JS


@pytest.fixture
def live_gateway(database_url: str, tmp_path: Path) -> Iterator[str]:
    """`commerce-gateway serve` in its own process on a free port, over this test's database (demo data), in
    development mode (GraphiQL with the demo headers)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "GATEWAY_DATABASE_URL": database_url, "GATEWAY_ENV": "development", "GATEWAY_GRAPHIQL": "1"}
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
            assert proc.poll() is None, (tmp_path / "server.log").read_text()
        yield f"{url}/graphql"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def test_typescript_client_flow(live_gateway: str, typescript_client: Path, capsys: pytest.CaptureFixture) -> None:
    run = run_tool(["node", str(typescript_client), live_gateway], TS, timeout=120)
    report = last_json(run)
    assert run.returncode == 0, run.stderr
    assert report["steps"] == FLOW and report["order"].startswith("ORD-")
    say(capsys, f"typescript client flow: {len(report['steps'])}/{len(FLOW)} steps, order {report['order']}")


def test_python_client_flow(live_gateway: str, python_client: Path, capsys: pytest.CaptureFixture) -> None:
    run = run_tool([str(python_client), "flow.py", live_gateway], PY, timeout=120)
    report = last_json(run)
    assert run.returncode == 0, run.stderr
    assert report["steps"] == FLOW and report["order"].startswith("ORD-")
    say(capsys, f"python client flow: {len(report['steps'])}/{len(FLOW)} steps, order {report['order']}")


@pytest.fixture(scope="session")
def cache_configs(js_checks: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/cache/ equals a fresh generation from schema.graphql (graphql-codegen's fragment-matcher and
    introspection plugins, then the keys and type policies read from that introspection: tests/js/cache.mjs)."""
    fresh = tmp_path_factory.mktemp("cache")
    run = run_tool(["node", "cache.mjs", "generate", str(fresh)], js_checks)
    assert run.returncode == 0, run.stdout + run.stderr
    names = sorted(p.name for p in fresh.iterdir())
    assert names == sorted(p.name for p in CACHE.iterdir() if p.suffix == ".json"), names
    _, mismatch, errors = filecmp.cmpfiles(fresh, CACHE, names, shallow=False)
    assert not mismatch and not errors, f"examples/cache is stale ({mismatch + errors}): run `node cache.mjs generate "
    "../../examples/cache` in tests/js"
    return CACHE


def test_cache_configs_are_current(cache_configs: Path) -> None:
    possible = json.loads((cache_configs / "possible-types.json").read_text())["possibleTypes"]
    assert set(possible["CommercialOrder"]) == {"DraftOrder", "Order"} and "Product" in possible["Node"]
    keys = json.loads((cache_configs / "graphcache-keys.json").read_text())
    assert {"Money", "UserError", "PageInfo"} <= set(keys) and "DraftOrder" not in keys
    assert set(keys.values()) == {None}


@pytest.mark.parametrize("env", ["production", "development"])
def test_normalized_caches_follow_a_draft_to_its_order(
    live_gateway: str, cache_configs: Path, env: str, capsys: pytest.CaptureFixture
) -> None:
    """Apollo Client 4 (InMemoryCache with the generated possibleTypes and type policies) and urql (Graphcache
    with the generated schema and keys), in the production and the development build: a watched draftOrder(id)
    shows the added line and then the placement from the mutation payloads alone, and no client prints a
    warning (docs/clients.md, "Caches")."""
    run = subprocess.run(
        ["node", f"--conditions={env}", "cache.mjs", "run", live_gateway],
        cwd=JS,
        env={**os.environ, "NODE_ENV": env},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    report = last_json(run)
    assert report.get("failed") is None and report["findings"] == [], report
    steps = ["draft", "add line", "placed shown", "no refetch", "interface fragment"]
    assert report["apollo"] == steps and report["urql"] == steps and run.returncode == 0, run.stderr
    say(capsys, f"caches ({env}): apollo and urql follow draft -> line -> placed with no refetch, no warning")


def test_relay_refetches_orders_through_node(live_gateway: str, js_checks: Path, capsys: pytest.CaptureFixture) -> None:
    """relay-compiler compiles @refetchable fragments on Order and DraftOrder (the Node interface and node(id:));
    relay-runtime refetches a placed order and a draft with the generated queries."""
    run = run_tool(["node", "cache.mjs", "relay", live_gateway], js_checks, timeout=180)
    report = last_json(run)
    assert report["steps"] == ["compiled", "order refetched", "draft refetched"] and report["findings"] == []
    assert "node(id: $id)" in report["refetchQuery"] and run.returncode == 0, run.stderr
    say(capsys, "relay: @refetchable fragments on Order and DraftOrder compile and refetch through node(id:)")


def test_graphql_over_http_audit(live_gateway: str, js_checks: Path, capsys: pytest.CaptureFixture) -> None:
    run = run_tool(["node", "audit.mjs", live_gateway], js_checks, timeout=120)
    report = last_json(run)
    assert report["failures"] == [], report["failures"]  # every MUST, SHOULD and MAY passes: no warning at all
    assert run.returncode == 0
    counts = report["counts"]
    assert counts["MUST"]["ok"] > 0 and counts["SHOULD"]["ok"] > 0
    summary = ", ".join(f"{k} {v['ok']} ok/{v['warn']} warn/{v['error']} error" for k, v in sorted(counts.items()))
    say(capsys, f"graphql-http audit ({report['total']} audits): {summary}")


def test_graphiql_offline_in_chromium(
    live_gateway: str, js_checks: Path, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture
) -> None:
    if not Path(CHROMIUM).exists():
        missing(f"Chromium is needed at {CHROMIUM} (Debian package chromium; the CI installs it)")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"graphiql-{request.node.callspec.id}.png"
    shot.unlink(missing_ok=True)
    run = run_tool(["node", "graphiql.mjs", live_gateway, str(shot)], js_checks, timeout=180)
    report = last_json(run)
    assert report["failed"] is None, report
    assert all(report["checks"].values()) and report["external"] == [] and run.returncode == 0
    assert shot.stat().st_size > 10_000
    say(capsys, f"graphiql offline in chromium: {', '.join(report['checks'])}: ok; screenshot {shot}")
