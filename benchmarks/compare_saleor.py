"""The comparison with Saleor (issue 23): W1-W4 interleaved against this gateway and a running Saleor.

    python benchmarks/compare_saleor.py --saleor 1w1c=http://127.0.0.1:8001 --saleor 2w16c=http://127.0.0.1:8002

The script sets nothing up on Saleor's side: each `--saleor CONFIG=URL` names a Saleor already served with
the workers that configuration needs (`1w1c`: one uvicorn worker, `2w16c`: two), prepared as
benchmarks/README.md says ("The comparison with Saleor"). For the gateway it does what benchmarks/suite.py
does: a fresh PostgreSQL database on the same server (migrations, demo data, W4's generated catalog of 1,000
products), `commerce-gateway serve` with production settings and the same number of workers.

The workloads, each the same operation on both (Saleor's in parentheses):

W1  +1 NOTEBOOK on the buyer's draft, read back with lines, prices, totals (`checkoutLinesAdd` +1 on the
    buyer's checkout, read back the same way). One request.
W2  a checkout flow: create with 3 lines -> addresses -> shipping method -> place (`checkoutCreate` with 3
    lines -> shipping and billing address -> `checkoutDeliveryMethodUpdate` -> `checkoutComplete`, unpaid).
    Four requests; rate in flows/s.
W3  an operator's `orders(first: 20)` with lines and prices (a staff user's `orders(first: 20)`, the same
    fields).
W4  the buyer's catalog page: `products(first: 50)` with every variant's availability, stock and price
    (`products(first: 50, channel)` with every variant's `quantityAvailable` and `pricing`).

Fairness: same machine, same PostgreSQL server, the same httpx client and closed loop (suite.run_cell), the
same number of units per client on both, rounds interleaved in ABBA order (gateway, Saleor, Saleor, gateway,
...) after a warm-up of each. The ratios are gateway / Saleor within this one run.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import suite  # noqa: E402
from benchmarks import workloads as wl  # noqa: E402

WORKLOADS = ("W1", "W2", "W3", "W4")
PER_FLOW = {"W2": 4}  # requests per unit

# --- Saleor's side of each workload -----------------------------------------------------------------------

S_TOKEN = (
    "mutation($e: String!, $p: String!) { tokenCreate(email: $e, password: $p) { token errors { code message } } }"
)
S_VARIANTS = "query($skus: [String!], $c: String) { productVariants(first: 10, filter: {sku: $skus}, channel: $c) { edges { node { id sku } } } }"  # noqa: E501
_S_CHECKOUT = (
    "id lines { id quantity variant { sku } unitPrice { gross { amount } } totalPrice { gross { amount } } } "
    "totalPrice { gross { amount } }"
)
_S_ERRORS = "errors { code message field }"
S_CREATE = (
    "mutation W2Create($input: CheckoutCreateInput!) { checkoutCreate(input: $input) "
    f"{{ checkout {{ {_S_CHECKOUT} }} {_S_ERRORS} }} }}"
)
S_W1_ADD = (
    "mutation W1($id: ID!, $lines: [CheckoutLineInput!]!) { checkoutLinesAdd(id: $id, lines: $lines) "
    f"{{ checkout {{ {_S_CHECKOUT} }} {_S_ERRORS} }} }}"
)
# The gateway sets both addresses in one request; Saleor has a mutation for each: one document, one request.
S_ADDRESSES = (
    "mutation W2Addresses($id: ID!, $a: AddressInput!) { "
    f"s: checkoutShippingAddressUpdate(id: $id, shippingAddress: $a) {{ checkout {{ {_S_CHECKOUT} "
    f"shippingMethods {{ id name }} }} {_S_ERRORS} }} "
    f"b: checkoutBillingAddressUpdate(id: $id, billingAddress: $a) {{ checkout {{ id }} {_S_ERRORS} }} }}"
)
S_SHIPPING = (
    "mutation W2Shipping($id: ID!, $m: ID!) { checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $m) "
    f"{{ checkout {{ {_S_CHECKOUT} shippingPrice {{ gross {{ amount }} }} }} {_S_ERRORS} }} }}"
)
S_PLACE = (
    "mutation W2Place($id: ID!) { checkoutComplete(id: $id) "
    f"{{ order {{ id number status total {{ gross {{ amount }} }} }} {_S_ERRORS} }} }}"
)
S_W3_ORDERS = (
    "query W3 { orders(first: 20) { edges { node { id number status total { gross { amount currency } } "
    "lines { productSku quantity unitPrice { gross { amount } } totalPrice { gross { amount } } } } } } }"
)
S_W4_CATALOG = (
    "query W4($c: String) { products(first: 50, channel: $c) { edges { node { id name isAvailableForPurchase "
    "variants { id sku name quantityAvailable pricing { onSale price { gross { amount currency } } "
    "priceUndiscounted { gross { amount } } } } } } } }"
)
# A US address Saleor's validation accepts; the warehouses of populatedb's default channel ship there.
S_ADDRESS = {
    "firstName": "Bench",
    "lastName": "Buyer",
    "streetAddress1": "11 Wall Street",
    "city": "New York",
    "postalCode": "10005",
    "country": "US",
    "countryArea": "NY",
    "phone": "+12125550100",
}


class SaleorSession(suite.Session):
    """suite.Session against Saleor's endpoint (`/graphql/`), raising on payload errors as well."""

    async def post(self, query: str, variables: dict | None = None, url: str | None = None) -> dict:
        body = await super().post(query, variables, url or self.bases[0] + "/graphql/")
        for payload in body["data"].values():
            if isinstance(payload, dict) and payload.get("errors"):
                raise RuntimeError(f"Saleor: {payload['errors']}")
        return body


async def saleor_token(http: httpx.AsyncClient, base: str, email: str, password: str) -> str:
    s = SaleorSession(http, [base], 0, {})
    return (await s.post(S_TOKEN, {"e": email, "p": password}))["data"]["tokenCreate"]["token"]


class Saleor:
    """Saleor's drivers of W1-W4, for `clients` closed-loop clients."""

    def __init__(self, http: httpx.AsyncClient, base: str, args: argparse.Namespace, clients: int) -> None:
        self.http, self.base, self.args, self.clients = http, base, args, clients

    async def prepare(self) -> None:
        a = self.args
        buyer = {"Authorization": f"Bearer {await saleor_token(self.http, self.base, a.buyer, a.buyer_password)}"}
        staff = {"Authorization": f"Bearer {await saleor_token(self.http, self.base, a.staff, a.staff_password)}"}
        self.buyers = [SaleorSession(self.http, [self.base], i, buyer) for i in range(self.clients)]
        self.staff = [SaleorSession(self.http, [self.base], i, staff) for i in range(self.clients)]
        found = await self.buyers[0].post(S_VARIANTS, {"skus": a.skus, "c": a.channel})
        by_sku = {e["node"]["sku"]: e["node"]["id"] for e in found["data"]["productVariants"]["edges"]}
        missing = [sku for sku in a.skus if sku not in by_sku]
        if missing:
            raise SystemExit(f"Saleor has no variants {missing} in channel {a.channel!r}: see benchmarks/README.md")
        self.variants = [by_sku[sku] for sku in a.skus]
        # W1's checkout per client: its first line is the variant W1 adds to.
        self.checkouts = {}
        for s in self.buyers:
            body = await s.post(S_CREATE, self._create_input([(self.variants[0], 1)]))
            self.checkouts[s.index] = body["data"]["checkoutCreate"]["checkout"]["id"]

    def _create_input(self, lines: list[tuple[str, int]]) -> dict:
        return {
            "input": {
                "channel": self.args.channel,
                "email": self.args.buyer,
                "lines": [{"variantId": v, "quantity": q} for v, q in lines],
            }
        }

    async def w1(self, s: SaleorSession) -> None:
        await s.post(
            S_W1_ADD, {"id": self.checkouts[s.index], "lines": [{"variantId": self.variants[0], "quantity": 1}]}
        )

    async def w2(self, s: SaleorSession) -> None:
        lines = [(v, q) for v, (_sku, q) in zip(self.variants, wl.W2_LINES, strict=True)]
        created = await s.post(S_CREATE, self._create_input(lines))
        checkout = created["data"]["checkoutCreate"]["checkout"]["id"]
        addressed = await s.post(S_ADDRESSES, {"id": checkout, "a": S_ADDRESS})
        methods = addressed["data"]["s"]["checkout"]["shippingMethods"]
        if not methods:
            raise RuntimeError("Saleor offers no shipping method for the address")
        await s.post(S_SHIPPING, {"id": checkout, "m": methods[0]["id"]})
        await s.post(S_PLACE, {"id": checkout})

    async def w3(self, s: SaleorSession) -> None:
        await s.post(S_W3_ORDERS)

    async def w4(self, s: SaleorSession) -> None:
        await s.post(S_W4_CATALOG, {"c": self.args.channel})

    def steps(self) -> dict[str, tuple[list[SaleorSession], object]]:
        return {
            "W1": (self.buyers, self.w1),
            "W2": (self.buyers, self.w2),
            "W3": (self.staff, self.w3),
            "W4": (self.buyers, self.w4),
        }

    async def sizes(self) -> str:
        """What one W3 and one W4 answer holds (products, variants, orders, lines)."""
        w4 = (await self.buyers[0].post(S_W4_CATALOG, {"c": self.args.channel}))["data"]["products"]["edges"]
        w3 = (await self.staff[0].post(S_W3_ORDERS))["data"]["orders"]["edges"]
        return (
            f"W3 {len(w3)} orders / {sum(len(e['node']['lines']) for e in w3)} lines, "
            f"W4 {len(w4)} products / {sum(len(e['node']['variants']) for e in w4)} variants"
        )


# --- the gateway's side: benchmarks/suite.py's drivers ------------------------------------------------------


class Gateway:
    def __init__(self, http: httpx.AsyncClient, bases: list[str], clients: int) -> None:
        self.http, self.bases, self.clients = http, bases, clients

    async def prepare(self) -> None:
        buyer = wl.headers(await suite.token(self.http, self.bases[0], wl.BUYER))
        operator = wl.headers(await suite.token(self.http, self.bases[0], wl.OPERATOR), client="OPERATOR")
        self.buyers = [suite.Session(self.http, self.bases, i, buyer) for i in range(self.clients)]
        self.operators = [suite.Session(self.http, self.bases, i, operator) for i in range(self.clients)]
        self.offers = wl.offer_map((await self.buyers[0].post(wl.OFFERS))["data"])
        if len((await self.operators[0].post(wl.W3_ORDERS))["data"]["orders"]["edges"]) < 20:
            for _ in range(suite.SEED_ORDERS):
                await suite.w2_flow(self.buyers[0], self.offers)
        self.drafts = {}
        for s in self.buyers:
            body = await s.post(
                wl.W2_CREATE, {"input": {"lines": [{"offerId": self.offers[wl.W1_SKU], "quantity": 1}]}}
            )
            self.drafts[s.index] = body["data"]["createDraftOrder"]["draftOrder"]["id"]

    async def w1(self, s: suite.Session) -> None:
        body = await s.post(wl.W1_ADD, wl.w1_variables(self.drafts[s.index], self.offers))
        if suite._payload_errors(body):
            raise RuntimeError(f"W1: {suite._payload_errors(body)}")

    async def w2(self, s: suite.Session) -> None:
        await suite.w2_flow(s, self.offers)

    async def w3(self, s: suite.Session) -> None:
        await s.post(wl.W3_ORDERS)

    async def w4(self, s: suite.Session) -> None:
        await s.post(wl.W4_CATALOG)

    def steps(self) -> dict[str, tuple[list[suite.Session], object]]:
        return {
            "W1": (self.buyers, self.w1),
            "W2": (self.buyers, self.w2),
            "W3": (self.operators, self.w3),
            "W4": (self.buyers, self.w4),
        }

    async def sizes(self) -> str:
        w4 = (await self.buyers[0].post(wl.W4_CATALOG))["data"]["products"]["edges"]
        w3 = (await self.operators[0].post(wl.W3_ORDERS))["data"]["orders"]["edges"]
        return (
            f"W3 {len(w3)} orders / {sum(len(e['node']['lines']) for e in w3)} lines, "
            f"W4 {len(w4)} products / {sum(len(e['node']['variants']) for e in w4)} variants"
        )


# --- the interleaved run ----------------------------------------------------------------------------------


async def measure(
    workload: str, sides: dict[str, Gateway | Saleor], config: suite.Config, requests: int, rounds: int
) -> dict[str, suite.Result]:
    """About `requests` requests on each side (W2: a quarter as many flows), the same count on both, split
    over the clients and into `rounds` rounds in ABBA order, after a short warm-up of each."""
    results = {name: suite.Result("postgresql", config.name, workload) for name in sides}
    order = list(sides)
    units = requests // PER_FLOW.get(workload, 1)
    per_round = max(1, round(units / config.clients / rounds))  # per client
    for name in order:  # warm-up, not counted
        sessions, step = sides[name].steps()[workload]
        await suite.run_cell(f"{workload} {name} warm-up", sessions, step, 0, max(1, per_round // 4))
    for i in range(rounds):
        for name in order if i % 2 == 0 else reversed(order):
            sessions, step = sides[name].steps()[workload]
            done, took, lat, failed = await suite.run_cell(f"{workload} {name}", sessions, step, 0, per_round)
            r = results[name]
            r.units, r.seconds, r.failures = r.units + done, r.seconds + took, r.failures + failed
            r.latencies += lat
    return results


def row(config: str, workload: str, g: suite.Result, s: suite.Result) -> str:
    unit = "flows/s" if workload == "W2" else "req/s"
    fail = "".join(f" **{r.failures} failed ({n})**" for n, r in (("gateway", g), ("Saleor", s)) if r.failures)
    g99, s99 = g.quantile(99) * 1000, s.quantile(99) * 1000
    return (
        f"| {config} | {workload} | {g.units} | {g.rate:.1f} | {s.rate:.1f} {unit} "
        f"| {g.rate / s.rate if s.rate else 0:.1f} | {g99:.1f} | {s99:.1f} | {g99 / s99 if s99 else 0:.3f} |{fail}"
    )


HEADER = (
    "| config | workload | units each | gateway rate | Saleor rate | gateway / Saleor | gateway p99 ms | Saleor p99 ms "
    "| p99 gateway / Saleor |\n|---|---|---|---|---|---|---|---|---|"
)


async def main(args: argparse.Namespace) -> int:
    rows: list[str] = []
    failures = 0
    async with suite.database("postgresql") as url:
        print("building the gateway's database ...", flush=True)
        await suite.build(url, args.products)
        for config_name, saleor_url in args.saleor:
            config = suite.CONFIGS[config_name]
            with suite.servers(url, config) as (gateways, _raw):
                limits = suite.CLIENT_LIMITS
                async with httpx.AsyncClient(timeout=120, limits=limits) as http:
                    sides: dict[str, Gateway | Saleor] = {
                        "gateway": Gateway(http, gateways, config.clients),
                        "Saleor": Saleor(http, saleor_url.rstrip("/"), args, config.clients),
                    }
                    for side in sides.values():
                        await side.prepare()
                    for name, side in sides.items():
                        print(f"{config_name} {name}: {await side.sizes()}", flush=True)
                    for workload in args.workload:
                        res = await measure(workload, sides, config, args.requests, args.rounds)
                        g, s = res["gateway"], res["Saleor"]
                        failures += g.failures + s.failures
                        rows.append(row(config_name, workload, g, s))
                        print(rows[-1], flush=True)
    print()
    print(f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: `python benchmarks/compare_saleor.py "
          f"{' '.join(sys.argv[1:])}`")  # fmt: skip
    print()
    print(HEADER)
    print("\n".join(rows))
    return 1 if failures else 0


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--saleor",
        action="append",
        required=True,
        metavar="CONFIG=URL",
        help="a running Saleor for a configuration (1w1c or 2w16c), e.g. 1w1c=http://127.0.0.1:8001",
    )
    parser.add_argument("--workload", action="append", choices=WORKLOADS, help="only these (default W1-W4)")
    parser.add_argument(
        "--requests", type=int, default=96, help="requests per workload and configuration on each side (W2: flows x 4)"
    )
    parser.add_argument("--rounds", type=int, default=4, help="ABBA rounds the units are split into")
    parser.add_argument("--products", type=int, default=1000, help="the gateway's generated catalog (W4)")
    parser.add_argument("--channel", default="default-channel", help="Saleor's channel slug")
    parser.add_argument(
        "--skus",
        nargs=3,
        metavar="SKU",
        default=["128223580", "328223580", "218223580"],
        help="Saleor's variants standing for NOTEBOOK, PAPER-A4, PEN-BLUE (populatedb's; see benchmarks/README.md)",
    )
    parser.add_argument("--buyer", default="buyer@example.com", help="Saleor's customer (W1, W2, W4)")
    parser.add_argument("--buyer-password", default="password")
    parser.add_argument("--staff", default="admin@example.com", help="Saleor's staff user (W3)")
    parser.add_argument("--staff-password", default="admin")
    args = parser.parse_args(argv)
    pairs = []
    for item in args.saleor:
        name, sep, url = item.partition("=")
        if not sep or name not in ("1w1c", "2w16c"):
            parser.error(f"--saleor {item!r}: expected 1w1c=URL or 2w16c=URL")
        pairs.append((name, url))
    args.saleor = pairs
    args.workload = args.workload or list(WORKLOADS)
    return args


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(parse())))
