"""Where the time of one workload goes: pyinstrument over sequential requests, in process (ASGI transport),
production settings, SQLite, after 20 placed orders and a warm-up. Prints the share of sampled time per
library (a frame's own time is charged to the package its code lives in).

    pip install pyinstrument   # a profiling tool, not a dependency of the gateway
    python benchmarks/profile_workload.py W3 [--requests 150] [--tree]
    python benchmarks/profile_workload.py W3 --calls   # Python function calls per request (cProfile)
    python benchmarks/profile_workload.py catalog --calls --no-fast-execution   # GATEWAY_FAST_EXECUTION off

`--calls` counts the Python function calls one request makes (client side included), and for W3 those of
the raw reference in the same process and database: a measure of the work done that, unlike time, does not
drift with the load of a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import logging
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.asgi import create_app  # noqa: E402
from app.cli import DEMO_FILE, tune_gc  # noqa: E402
from app.db import make_engine, make_session_factory  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.services.importer import import_file  # noqa: E402
from app.settings import Settings, get_settings  # noqa: E402
from benchmarks import catalog_data  # noqa: E402
from benchmarks import workloads as wl  # noqa: E402

LIBRARIES = (
    "graphql", "strawberry", "sqlalchemy", "aiosqlite", "asyncpg", "starlette", "httpx", "httpcore", "structlog",
    "prometheus_client", "aiodataloader", "asyncio", "selectors", "json", "logging", "decimal", "pydantic",
)  # fmt: skip


def _library(path: str) -> str:
    if "/app/" in path:
        return "app/" + path.split("/app/", 1)[1].split("/")[0]
    return next((lib for lib in LIBRARIES if f"/{lib}/" in path or path.endswith(f"/{lib}.py")), "other")


def shares(root) -> list[tuple[str, float]]:  # noqa: ANN001 - a pyinstrument Frame
    totals: collections.Counter[str] = collections.Counter()

    def walk(frame, parent_path: str) -> None:  # noqa: ANN001
        own = frame.file_path or ""
        path = parent_path if not own or own.startswith("<") else own  # built-ins: charged to their caller's
        waiting = (frame.function or "").endswith("poll")  # the event loop idle: waiting for the database
        totals["waiting (poll)" if waiting else _library(path)] += frame.total_self_time
        for child in frame.children:
            walk(child, path)

    walk(root, "")
    whole = sum(totals.values()) or 1.0
    return [(lib, 100 * t / whole) for lib, t in totals.most_common()]


def _calls_per_request(stats_profile, requests: int) -> float:  # noqa: ANN001 - a cProfile.Profile
    import pstats

    return pstats.Stats(stats_profile).total_calls / requests


async def main(
    workload: str, requests: int, tree: bool, calls: bool, fast_execution: bool = True, products: int = 1000
) -> None:

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/p.db"
        settings = Settings(database_url=url, env="production", metrics=True, fast_execution=fast_execution)
        engine = make_engine(settings)
        await upgrade(engine)
        await import_file(make_session_factory(engine), DEMO_FILE)
        if workload.startswith("W4") and products:
            await catalog_data.load(make_session_factory(engine), products)
        await engine.dispose()
        app = create_app(settings)
        tune_gc()
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://profile") as client:

            async def post(query: str, variables: dict, headers: dict) -> dict:
                body = (
                    await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
                ).json()
                assert "errors" not in body, body
                return body["data"]

            async def token(email: str) -> str:
                return (await post(wl.TOKEN, {"e": email, "p": wl.PASSWORD}, wl.headers()))["createToken"]["token"]

            buyer = wl.headers(await token(wl.BUYER))
            globex = wl.headers(await token(wl.W4_SEARCH_BUYER))
            operator = wl.headers(await token(wl.OPERATOR), "OPERATOR")
            offers = wl.offer_map(await post(wl.OFFERS, {}, buyer))

            async def flow() -> None:
                draft = (await post(wl.W2_CREATE, wl.w2_create_variables(offers), buyer))["createDraftOrder"]
                for query, variables in wl.w2_steps(draft["draftOrder"]["id"]):
                    await post(query, variables, buyer)

            # The draft first: W3's page then holds placed orders only, as in the suite.
            draft = (await post(wl.W2_CREATE, wl.w2_create_variables(offers), buyer))["createDraftOrder"]["draftOrder"]
            for _ in range(20):
                await flow()
            steps = {
                "W1": lambda: post(wl.W1_ADD, wl.w1_variables(draft["id"], offers), buyer),
                "W2": flow,
                "W3": lambda: post(wl.W3_ORDERS, {}, operator),
                "catalog": lambda: post(wl.CATALOG, {}, buyer),  # a buyer's products(first: 50) with offers
                "W4": lambda: post(wl.W4_CATALOG, {}, buyer),
                "W4S": lambda: post(wl.W4_SEARCH, wl.w4_search_variables(), globex),
            }
            step = steps[workload]
            for _ in range(10):
                await step()
            if calls:
                await _count_calls(
                    step,
                    requests,
                    workload,
                    settings,
                    operator if workload == "W3" else (buyer if workload == "W4" else globex),
                )
                await app.state.engine.dispose()
                return
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005, async_mode="disabled")
            profiler.start()
            for _ in range(requests):
                await step()
            profiler.stop()
        await app.state.engine.dispose()
    if tree:
        print(profiler.output_text(unicode=False, color=False))
    for lib, share in shares(profiler.last_session.root_frame())[:14]:
        print(f"{lib:<20} {share:5.1f} %")


async def _count_calls(step, requests: int, workload: str, settings: Settings, operator: dict) -> None:  # noqa: ANN001
    import cProfile
    import os

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(requests):
        await step()
    profile.disable()
    gateway = _calls_per_request(profile, requests)
    if os.environ.get("PROFILE_TOP"):  # the functions called most often, per request
        import pstats

        stats = pstats.Stats(profile).stats
        top = sorted(stats.items(), key=lambda kv: -kv[1][1])[: int(os.environ["PROFILE_TOP"])]
        for (file, line, name), (_cc, nc, tt, _ct, _callers) in top:
            print(f"{nc / requests:8.0f} calls {tt * 1000 / requests:7.2f} ms  {name}  {file.split('/')[-2:]}:{line}")
    print(f"{workload}: {gateway:.0f} Python function calls per request")
    if workload not in ("W3", "W4", "W4S"):
        return
    path = "/raw/w3" if workload == "W3" else "/raw/w4"
    body = wl.w4_search_variables() if workload == "W4S" else {}
    os.environ["GATEWAY_DATABASE_URL"] = settings.database_url
    get_settings.cache_clear()  # the raw reference reads its settings from the environment
    from benchmarks.raw_reference import create_app as raw_app

    raw = raw_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=raw), base_url="http://raw") as client:
        for _ in range(10):
            (await client.post(path, json=body, headers=operator)).raise_for_status()
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(requests):
            (await client.post(path, json=body, headers=operator)).raise_for_status()
        profile.disable()
    reference = _calls_per_request(profile, requests)
    print(f"raw reference: {reference:.0f} per request; raw / GraphQL = {reference / gateway:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workload", choices=["W1", "W2", "W3", "W4", "W4S", "catalog"])
    parser.add_argument("--products", type=int, default=1000, help="W4: generated products (0: the demo's 6)")
    parser.add_argument("--requests", type=int, default=150)
    parser.add_argument("--tree", action="store_true", help="also print pyinstrument's call tree")
    parser.add_argument("--calls", action="store_true", help="count function calls per request (cProfile)")
    parser.add_argument(
        "--no-fast-execution", action="store_true", help="GATEWAY_FAST_EXECUTION off (app/schema/execution.py)"
    )
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the request log lines would drown the output
    asyncio.run(main(args.workload, args.requests, args.tree, args.calls, not args.no_fast_execution, args.products))
