"""The reference storefront (examples/storefront: Vite + React + urql Graphcache, typed by graphql-codegen's client
preset) in headless Chromium against a served gateway, on SQLite and on PostgreSQL, and once more in
trusted-documents mode with the manifest its production build emitted: every journey clicked through
(examples/storefront/scripts/browser-test.mjs), what the page shows asserted, axe-core on every page (no serious
or critical violation), a screenshot of each step kept in test-artifacts/storefront-<case>/.

The builds check first that src/gql is current with schema.graphql (`graphql-codegen --check`) and that
`tsc --strict` passes. Node.js and Chromium are needed: without them these tests skip with the reason, except in
CI (GATEWAY_TEST_REQUIRE_TOOLS=1), where they fail.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.support.node import ROOT, last_json, missing, npm_project, run_tool, say

# Its own xdist group: built once per worker, and run beside the other Node.js tools (tests/js), not after them.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("storefront")]

APP = ROOT / "examples" / "storefront"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
JOURNEY = [
    *("signin-refused", "account-and-store", "catalog", "catalog-search", "pack-size-refused", "pack-size-fixed"),
    *("draft-with-issues", "line-pack-size-refused", "draft-ready", "placed-two-logistic-orders", "order-detail"),
    *("draft-from-quote", "draft-from-operation", "voucher-refused", "voucher-applied", "redirect-payment-pending"),
    *("sandbox-page-approve", "redirect-payment-approved", "sandbox-page-refuse", "redirect-payment-refused"),
    *("direct-payment", "sandbox-page-approve", "pay-order-approved", "order-history", "order-history-detail"),
]


@pytest.fixture(scope="session")
def storefront() -> dict[str, str]:
    """Both production builds: `dist` (trusted documents: ids only, with its manifest) and `dist-text` (document
    texts, for a gateway without a manifest). Each build first checks codegen is current and tsc --strict."""
    if not Path(CHROMIUM).exists():
        missing(f"Chromium is needed at {CHROMIUM} (Debian package chromium; the CI installs it)")
    npm_project(APP)
    sizes = {}
    for script, out in (("build", "dist"), ("build:text", "dist-text")):
        run = run_tool(["npm", "run", script], APP, timeout=600)
        assert run.returncode == 0, f"npm run {script}:\n{run.stdout[-4000:]}\n{run.stderr[-4000:]}"
        sizes[out] = next(line for line in run.stdout.splitlines() if line.startswith("bundle: "))
    return sizes


@contextmanager
def _gateway(database_url: str, tmp_path: Path, **env: str) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    full = {**os.environ, "GATEWAY_DATABASE_URL": database_url, "GATEWAY_ENV": "development", **env}
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port)], cwd=ROOT, env=full, stdout=log, stderr=log
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{url}/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
                assert proc.poll() is None, log_path.read_text()
            yield f"{url}/graphql"
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def _journey(gateway: str, case: str, dist: str, *flags: str) -> dict:
    shots = ARTIFACTS / f"storefront-{case}"
    run = run_tool(["node", "scripts/browser-test.mjs", gateway, str(shots), "--dist", dist, *flags], APP, timeout=600)
    report = last_json(run)
    assert report["failed"] is None, f"{report['failed']}\nscreenshots in {shots}\n{run.stderr[-2000:]}"
    assert run.returncode == 0 and report["steps"] == JOURNEY, report["steps"]
    assert all(Path(APP / s).stat().st_size > 5_000 for s in report["screenshots"])
    serious = [v for page in report["axe"].values() for v in page if v["impact"] in ("serious", "critical")]
    assert serious == [] and set(report["axe"]) == {s for s in JOURNEY if not s.startswith("sandbox-page")}
    return report


def test_storefront_journeys_in_chromium(
    database_url: str,
    tmp_path: Path,
    storefront: dict[str, str],
    request: pytest.FixtureRequest,
    capsys: pytest.CaptureFixture,
) -> None:
    """Every journey against a gateway without a manifest, on SQLite and PostgreSQL (the bundle sends texts)."""
    case = request.node.callspec.id
    with _gateway(database_url, tmp_path) as gateway:
        report = _journey(gateway, case, "dist-text")
    assert report["documentTexts"] == report["requests"] > 0
    say(
        capsys,
        f"storefront in chromium ({case}): {len(report['steps'])} steps in {report['seconds']} s, "
        f"axe {report['axeImpacts'] or 'no violation'}; {storefront['dist-text']}; "
        f"screenshots in test-artifacts/storefront-{case}",
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_storefront_in_trusted_documents_mode(
    database_url: str, tmp_path: Path, storefront: dict[str, str], capsys: pytest.CaptureFixture
) -> None:
    """The production build against a gateway run with the manifest that build emitted: the app sends ids only,
    every journey works, and the gateway refuses a document outside the manifest."""
    manifest = APP / "dist" / "persisted-documents.json"
    documents = json.loads(manifest.read_text())
    assert documents and all(key.startswith("sha256:") for key in documents)
    with _gateway(database_url, tmp_path, GATEWAY_TRUSTED_DOCUMENTS=str(manifest)) as gateway:
        report = _journey(gateway, "trusted", "dist", "--trusted")
    assert report["documentTexts"] == 0 and report["requests"] > 0 and report["outsideManifest"] == 400
    say(
        capsys,
        f"storefront in trusted-documents mode: {len(report['steps'])} steps in {report['seconds']} s, "
        f"{report['requests']} requests by id ({len(documents)} documents in the manifest), none by text; "
        f"axe {report['axeImpacts'] or 'no violation'}; {storefront['dist']}",
    )
