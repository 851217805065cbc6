#!/usr/bin/env python3
"""Wait until the README's demo gateway answers, then prove it serves the demo data (SPEC section 12).

`check_demo.py PID [BASE_URL] [TIMEOUT_SECONDS]`: polls BASE_URL/health (default http://127.0.0.1:8000) until it
answers 200, failing at once when process PID (the README's serve command, still installing at first) exits,
and after TIMEOUT_SECONDS (default 900: the command installs before it serves). Then signs in as the demo
buyer and lists products as the README's first query does. Stdlib only: it runs before any venv exists.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request

HEADERS = {"content-type": "application/json", "dj-api-key": "demo-tenant-key", "dj-client": "ACCOUNT"}
SIGN_IN = 'mutation { createToken(email: "buyer@acme.example", password: "demo-password") { token errors { code } } }'
BROWSE = "{ viewer { account { name } } products(first: 10) { totalCount edges { node { variants { sku } } } } }"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def health(base: str) -> int | None:
    try:
        with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def graphql(base: str, query: str, token: str | None = None) -> dict:
    headers = HEADERS | ({"Authorization": f"Bearer {token}"} if token else {})
    request = urllib.request.Request(f"{base}/graphql", json.dumps({"query": query}).encode(), headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.load(response)
    if body.get("errors"):
        raise SystemExit(f"GraphQL errors: {body['errors']}")
    return body["data"]


def main(argv: list[str]) -> int:
    pid = int(argv[0])
    base = argv[1] if len(argv) > 1 else "http://127.0.0.1:8000"
    deadline = time.monotonic() + (float(argv[2]) if len(argv) > 2 else 900)
    while (status := health(base)) != 200:
        if not alive(pid):
            print("the README's serve command exited before /health answered 200", file=sys.stderr)
            return 1
        if time.monotonic() > deadline:
            print(f"/health did not answer 200 in time (last: {status})", file=sys.stderr)
            return 1
        time.sleep(1)
    token = graphql(base, SIGN_IN)["createToken"]["token"]
    if not token:
        print("the demo buyer could not sign in", file=sys.stderr)
        return 1
    data = graphql(base, BROWSE, token)
    skus = {v["sku"] for edge in data["products"]["edges"] for v in edge["node"]["variants"]}
    print(f"demo gateway: /health 200, {data['viewer']['account']['name']}, {data['products']['totalCount']} products")
    if "PAPER-A4" not in skus:
        print(f"the demo catalog is missing PAPER-A4: {sorted(skus)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
