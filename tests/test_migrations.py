"""The migrations are the only source of the database schema: they must describe exactly the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.db import make_engine
from app.migrate import upgrade
from app.models import Base
from app.settings import Settings


async def test_migrations_match_the_models(database_url: str) -> None:
    engine = make_engine(Settings(database_url=database_url))
    try:
        await upgrade(engine)  # already at head: a no-op

        def diff(conn) -> list:  # noqa: ANN001
            return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)

        async with engine.connect() as conn:
            changes = await conn.run_sync(diff)
    finally:
        await engine.dispose()
    assert changes == [], f"models and migrations differ; add a revision: {changes}"
