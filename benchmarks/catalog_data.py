"""A generated catalog for W4 (issue 23), in the import format (docs/import.md), added to the demo tenant.

    python benchmarks/catalog_data.py --products 1000 -o /tmp/catalog.json   # then: commerce-gateway import

Deterministic for a given seed. Every product has 1 to 3 variants (some inactive), each variant 1 or 2
offers from 8 generated suppliers (some inactive, some out of stock); every offer has a PUBLIC EUR price
(a third with tiers, some with a pack size, a minimum or a maximum), a fifth an ACCOUNT price for ACME, and a
few only a price for GLOBEX (not listed to ACME). A catalog view `GLOBEX-BENCH` holds two generated products in
three (not those whose number is a multiple of 3) and is linked to GLOBEX, which then sees that view and the
demo's `GLOBEX-STANDARD`. A quarter of the product names contain `steel` (W4's search term: numbers that are
multiples of 4), so GLOBEX's search page is full too from 300 products on.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

TENANT = "demo"
SEARCH_TERM = "steel"
MATERIALS = ("steel", "oak", "recycled", "bamboo")  # "steel" is the searched one: a quarter of the names
THINGS = ("desk tray", "shelf", "binder", "lamp", "cabinet", "organiser", "stand", "box", "clip", "rack")
SUPPLIERS = 8


def _money(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


def generate(products: int = 1000, seed: int = 23) -> dict:
    rnd = random.Random(seed)
    suppliers = [{"externalId": f"SUP-BENCH-{k}", "name": f"Bench supplier {k}"} for k in range(SUPPLIERS)]
    items, offers, view = [], [], []
    for i in range(products):
        pid = f"P-BENCH-{i:05d}"
        material = MATERIALS[i % len(MATERIALS)]
        name = f"{THINGS[rnd.randrange(len(THINGS))].capitalize()}, {material} #{i:05d}"
        variants = []
        for j in range(rnd.randint(1, 3)):
            sku = f"BENCH-{i:05d}-{j}"
            variant = {"sku": sku, "name": f"{name} ({'SML'[j]})"}
            if rnd.random() < 0.05:
                variant["active"] = False
            variants.append(variant)
            for k in range(rnd.randint(1, 2)):
                base = rnd.randint(50, 50_000)
                public = {"target": "PUBLIC", "currency": "EUR", "amount": _money(base), "taxRate": "20.00"}
                roll = rnd.random()
                if roll < 0.33:
                    public["tiers"] = [
                        {"minQuantity": 10, "amount": _money(base * 9 // 10)},
                        {"minQuantity": 50, "amount": _money(base * 8 // 10)},
                    ][: rnd.randint(1, 2)]
                elif roll < 0.43:
                    public["packSize"] = 5
                elif roll < 0.50:
                    public["minQuantity"], public["maxQuantity"] = 2, 200
                prices = [public]
                if rnd.random() < 0.2:
                    prices.append(
                        {
                            "target": "ACCOUNT",
                            "account": "ACME",
                            "currency": "EUR",
                            "amount": _money(base * 85 // 100),
                            "taxRate": "5.50" if rnd.random() < 0.3 else "20.00",
                        }
                    )
                if rnd.random() < 0.03:  # priced for GLOBEX only: ACME does not see this offer
                    prices = [{"target": "ACCOUNT", "account": "GLOBEX", "currency": "EUR", "amount": _money(base)}]
                offer = {
                    "externalId": f"OFF-BENCH-{i:05d}-{j}-{k}",
                    "sku": sku,
                    "supplier": f"SUP-BENCH-{rnd.randrange(SUPPLIERS)}",
                    "stock": 0 if rnd.random() < 0.1 else rnd.randint(1, 5000),
                    "prices": prices,
                }
                if rnd.random() < 0.05:
                    offer["active"] = False
                offers.append(offer)
        items.append({"externalId": pid, "name": name, "variants": variants})
        if i % 3:
            view.append(pid)
    return {
        "tenants": [
            {
                "externalId": TENANT,
                "suppliers": suppliers,
                "products": items,
                "offers": offers,
                "catalogViews": [
                    {
                        "externalId": "GLOBEX-BENCH",
                        "name": "Globex bench catalog",
                        "products": view,
                        "accounts": ["GLOBEX"],
                    }
                ],
            }
        ]
    }


async def load(session_factory, products: int = 1000, seed: int = 23) -> dict[str, int]:  # noqa: ANN001
    """Import the generated catalog through the importer (one transaction), as `commerce-gateway import` does."""
    from app.services.importer import import_data

    async with session_factory() as session, session.begin():
        return await import_data(session, generate(products, seed))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()
    text = json.dumps(generate(args.products, args.seed), indent=1)
    if args.output:
        args.output.write_text(text)
    else:
        sys.stdout.write(text)
