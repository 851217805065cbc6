"""`commerce-gateway`: serve, dispatch, migrate, import, export-schema."""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
from pathlib import Path

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo.json"


async def _migrate() -> None:
    from app.db import make_engine
    from app.migrate import upgrade
    from app.settings import get_settings

    engine = make_engine(get_settings())
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


async def _import(
    path: Path, only_if_empty: bool = False, *, dry_run: bool = False, changes: list | None = None
) -> dict[str, int] | None:
    from sqlalchemy import func, select

    from app.db import make_engine, make_session_factory
    from app.models import Tenant
    from app.services.importer import import_file
    from app.settings import get_settings

    engine = make_engine(get_settings())
    try:
        factory = make_session_factory(engine)
        if only_if_empty:
            async with factory() as session:
                if await session.scalar(select(func.count()).select_from(Tenant)):
                    return None
        return await import_file(factory, path, dry_run=dry_run, changes=changes)
    finally:
        await engine.dispose()


async def _schema_is_current() -> bool:
    """Whether the database is at the newest migration (a dry run writes nothing, not even the schema)."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from app.db import make_engine
    from app.migrate import alembic_config
    from app.settings import get_settings

    engine = make_engine(get_settings())
    try:
        async with engine.connect() as conn:
            current = await conn.run_sync(lambda c: set(MigrationContext.configure(c).get_current_heads()))
    finally:
        await engine.dispose()
    return current == set(ScriptDirectory.from_config(alembic_config()).get_heads())


async def _stripe_refusal() -> str | None:
    """Why `serve` cannot start with the payment methods of its database: an active method names the provider
    `stripe` and its tenant's Stripe settings are missing (its own account's when the settings name one,
    GATEWAY_STRIPE_*__<TENANT>, else the deployment-wide ones), in one line, without any secret. Checked before
    migrating: a database without the table yet has no such method."""
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from app.db import make_engine
    from app.models import PaymentMethod, Tenant
    from app.settings import get_settings

    settings = get_settings()
    engine = make_engine(settings)
    stripe_methods = (
        select(Tenant.external_id, PaymentMethod.code)
        .join(Tenant, Tenant.id == PaymentMethod.tenant_id)
        .where(PaymentMethod.provider == "stripe", PaymentMethod.active)
        .order_by(Tenant.external_id, PaymentMethod.code)
    )
    try:
        async with engine.connect() as conn:
            methods = list((await conn.execute(stripe_methods)).all())
    except SQLAlchemyError:  # not migrated yet: no payment methods table
        return None
    finally:
        await engine.dispose()
    for tenant, code in methods:
        if missing := settings.stripe_missing(tenant):
            unset = f"{missing[0]} is" if len(missing) == 1 else f"{', '.join(missing)} are"
            return f"payment method {code!r} of tenant {tenant!r} uses Stripe, but {unset} not set"
    return None


def cmd_migrate(_args: argparse.Namespace) -> int:
    asyncio.run(_migrate())
    print("database schema is up to date")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from app.services.importer import Change, ImportFileError

    if not args.dry_run:
        asyncio.run(_migrate())
    elif not asyncio.run(_schema_is_current()):
        print("dry run refused: the database schema is not current: run `commerce-gateway migrate`", file=sys.stderr)
        return 2
    changes: list[Change] = []
    try:
        counts = asyncio.run(_import(Path(args.file), dry_run=args.dry_run, changes=changes))
    except ImportFileError as exc:
        refused = "dry run: the import would be refused" if args.dry_run else "import refused, nothing written"
        print(f"{refused}: {exc.path}: {exc.message}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    # A dry run lists every record of the file; an import, the records it created or updated.
    for change in changes:
        if args.dry_run or change.status != "unchanged":
            print(change)
    tally = {s: sum(c.status == s for c in changes) for s in ("created", "updated", "unchanged")}
    summary = ", ".join(f"{n} {s}" for s, n in tally.items())
    if args.dry_run:
        print(f"dry run, nothing written: the import would leave {summary}")
    else:
        print("imported: " + ", ".join(f"{k} {v}" for k, v in sorted((counts or {}).items())) + f" ({summary})")
    return 0


def cmd_export_schema(args: argparse.Namespace) -> int:
    from app.schema import schema

    sdl = schema.as_str() + "\n"
    if args.output:
        Path(args.output).write_text(sdl)
    else:
        sys.stdout.write(sdl)
    return 0


# Young-generation threshold: CPython's default (700 allocations) runs a collection every few hundred objects,
# dozens of times per GraphQL request; 10x fewer collections, each still over young objects only.
GC_GEN0_THRESHOLD = 7000


def tune_gc() -> None:
    """After start-up, in each serving process: move everything alive now (modules, the schema, SQLAlchemy's
    mappers and compiled caches) into the permanent generation, so no later collection walks it. A full
    collection used to traverse all of it (tens of ms, the p99 of light requests); now it only sees what
    requests allocate and keep."""
    gc.collect()
    gc.freeze()
    _gen0, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GC_GEN0_THRESHOLD, gen1, gen2)


def served_app():  # noqa: ANN201 - a Starlette app; uvicorn calls this factory in every worker process
    from app.asgi import create_app

    app = create_app()
    tune_gc()
    return app


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.observability.setup import prepare_process
    from app.settings import get_settings
    from app.trusted_documents import ManifestError, load_manifest

    if path := get_settings().trusted_documents:
        try:  # read here, once, so that an unusable manifest is one line, not a traceback per worker
            load_manifest(path)
        except ManifestError as exc:
            print(f"commerce-gateway serve: GATEWAY_TRUSTED_DOCUMENTS: {exc}", file=sys.stderr)
            return 2
    if refusal := asyncio.run(_stripe_refusal()):
        print(f"commerce-gateway serve: {refusal}", file=sys.stderr)
        return 2
    prepare_process(get_settings())  # logging, and the metrics directory shared by the workers
    asyncio.run(_migrate())
    if args.demo:
        counts = asyncio.run(_import(DEMO_FILE, only_if_empty=True))
        print("demo data loaded" if counts is not None else "database not empty: demo data not loaded again")
    settings = get_settings()
    uvicorn.run(
        "app.cli:served_app",
        factory=True,
        loop="uvloop",  # the event loop of libuv: less time per await, callback and socket event
        http="httptools",  # the HTTP parser of Node.js (C), instead of the pure-Python h11
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=settings.log_level,
        log_config=None,  # logging is configured by the app (structured lines, app.observability.logging)
        access_log=False,  # the app writes one line per request itself
    )
    return 0


def cmd_dispatch(_args: argparse.Namespace) -> int:
    import signal

    from app.db import make_engine, make_session_factory
    from app.dispatcher import Dispatcher
    from app.listener import Listener, listen_dsn
    from app.observability.setup import prepare_process
    from app.services.events import notify
    from app.settings import get_settings

    settings = get_settings()
    prepare_process(settings)

    async def run() -> None:
        engine = make_engine(settings)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        dsn = listen_dsn(settings)
        listener = Listener(dsn, (notify.OUTBOX,)) if dsn is not None else None
        listening = asyncio.create_task(listener.run(stop)) if listener is not None else None
        try:
            await Dispatcher(make_session_factory(engine), settings).run(stop, listener)
        finally:
            stop.set()
            if listening is not None:
                await listening
            await engine.dispose()

    asyncio.run(_migrate())
    asyncio.run(run())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="commerce-gateway", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="migrate the database and serve the API")
    serve.add_argument("--demo", action="store_true", help="load the demo data set into an empty database")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("dispatch", help="deliver webhooks (a dispatcher also runs inside serve)").set_defaults(
        func=cmd_dispatch
    )
    sub.add_parser("migrate", help="bring the database schema to the newest revision").set_defaults(func=cmd_migrate)
    imp = sub.add_parser("import", help="import (upsert) a JSON data file; see docs/import.md")
    imp.add_argument("file")
    imp.add_argument(
        "--dry-run", action="store_true", help="print what the import would change (per record) and write nothing"
    )
    imp.set_defaults(func=cmd_import)
    exp = sub.add_parser("export-schema", help="print the GraphQL SDL (or write it with --output)")
    exp.add_argument("--output", "-o")
    exp.set_defaults(func=cmd_export_schema)
    args = parser.parse_args(argv)
    from pydantic import ValidationError

    try:
        return args.func(args)
    except ValidationError as exc:  # the GATEWAY_* settings: one line saying what is wrong, no traceback
        reasons = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        print(f"commerce-gateway: invalid settings: {reasons}", file=sys.stderr)
        return 2
    except Exception as exc:
        from app.db import database_unreachable

        if not database_unreachable(exc):
            raise
        # Down, refused, out of connections or timed out: one line an operator can act on (the URL is left out,
        # it may hold a password), exit 1 so that a supervisor retries; not a traceback.
        print(
            f"commerce-gateway {args.command}: the database cannot be reached ({_reason(exc)}); "
            "check GATEWAY_DATABASE_URL and that the server accepts connections",
            file=sys.stderr,
        )
        return 1


def _reason(exc: BaseException) -> str:
    """The innermost error's class and message (a timeout's message is empty: its class says it)."""
    while (inner := exc.__cause__ or exc.__context__) is not None and inner is not exc:
        exc = inner
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


if __name__ == "__main__":
    raise SystemExit(main())
