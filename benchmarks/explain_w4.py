"""The plans and timings of W4's statements (issue 23) on the generated catalog: the page, its variants and
their offers, as the gateway runs them for ACME's buyer (`products(first: 50)`), with the rows each returns,
before and after the database's statistics are gathered (`ANALYZE`). PostgreSQL: EXPLAIN (ANALYZE); SQLite:
EXPLAIN QUERY PLAN; both: the median of timed runs.

    python benchmarks/explain_w4.py [--db postgresql] [--products 1000] [--runs 30] [--plans]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db import make_engine  # noqa: E402
from app.models import Account, User  # noqa: E402
from app.services.catalog import listing  # noqa: E402
from app.services.catalog.products import page_parameters, page_statement  # noqa: E402
from app.services.common.paging import Window  # noqa: E402
from app.settings import Settings  # noqa: E402
from benchmarks import suite  # noqa: E402
from benchmarks import workloads as wl  # noqa: E402


async def main(db: str, products: int, runs: int, plans: bool, analyze_first: bool) -> None:
    async with suite.database(db) as url:
        await suite.build(url, products, analyze=analyze_first)
        engine = make_engine(Settings(database_url=url))
        async with engine.connect() as conn:
            await report(conn, db, runs, plans, "as built" if not analyze_first else "as built (analyzed)")
            await conn.rollback()
            await conn.exec_driver_sql("ANALYZE")
            await conn.commit()
            await report(conn, db, runs, plans, "after ANALYZE")
        await engine.dispose()


async def report(conn, db: str, runs: int, plans: bool, label: str) -> None:  # noqa: ANN001
    user = (await conn.execute(select(User).where(User.email == wl.BUYER))).one()
    account = (await conn.execute(select(Account).where(Account.id == user.default_account_id))).one()
    params = page_parameters(account.tenant_id, account.id, None, Window(size=50, cursor=None, backward=False))
    page = page_statement(views=True, search=False, cursor=False, backward=False)
    ids = [p.id for p in (await conn.execute(page, params)).all()][:50]
    variants = listing.variants_statement(True)
    variant_ids = [v.id for v in (await conn.execute(variants, {"ids": ids})).all()]
    offers = listing.offers_statement(True, True, bool(account.group_id))
    offer_params = {"ids": variant_ids, "currency": "EUR", "account": account.id}
    if account.group_id:
        offer_params["group"] = account.group_id
    print(f"### {db}, {label}")
    for name, statement, p in (("page", page, params), ("variants", variants, {"ids": ids}),
                               ("offers", offers, offer_params)):  # fmt: skip
        rows = (await conn.execute(statement, p)).all()
        took = []
        for _ in range(runs):
            start = time.perf_counter()
            (await conn.execute(statement, p)).all()
            took.append(time.perf_counter() - start)
        print(f"- {name}: {len(rows)} rows, median {statistics.median(took) * 1000:.2f} ms over {runs} runs")
        state = statement.compile(dialect=conn.dialect).construct_expanded_state(p)
        explain = "EXPLAIN (ANALYZE) " if db == "postgresql" else "EXPLAIN QUERY PLAN "
        for line in (await conn.exec_driver_sql(explain + state.statement, tuple(state.positional_parameters))).all():
            text = " | ".join(str(c) for c in line)
            if plans or "Execution Time" in text or db == "sqlite":
                print("      " + (text if len(text) < 200 else text[:200] + " ..."))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--plans", action="store_true", help="print the whole plans")
    parser.add_argument("--analyzed", action="store_true", help="build as the suite does (with ANALYZE)")
    args = parser.parse_args()
    asyncio.run(main(args.db, args.products, args.runs, args.plans, args.analyzed))
