"""The SQLite writers' line (app/db.py write_gate): first come, first served within a process, a file lock
between processes, and a writer cancelled while waiting for another process never leaves the lock behind."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
from pathlib import Path

import pytest

from app.db import make_engine, write_gate
from app.settings import Settings


def _engine(tmp_path: Path):  # noqa: ANN202
    return make_engine(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/w.db"))


async def test_writers_of_a_process_enter_in_arrival_order(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    entered: list[int] = []

    async def writer(n: int) -> None:
        async with write_gate(engine):
            entered.append(n)
            await asyncio.sleep(0.002)  # holds the turn across event-loop iterations

    tasks = []
    for n in range(12):
        tasks.append(asyncio.create_task(writer(n)))
        await asyncio.sleep(0)  # arrives after the previous one
    await asyncio.gather(*tasks)
    assert entered == list(range(12))
    await engine.dispose()


async def test_a_writer_waits_for_another_process_and_a_cancelled_wait_leaves_no_lock(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    # Another process's writer: flock locks belong to an open file description, so a second descriptor in
    # this test stands for another process.
    other = os.open(tmp_path / "w.db.write-line", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(other, fcntl.LOCK_EX)

    async def enter() -> None:
        async with write_gate(engine):
            pass

    waiter = asyncio.create_task(enter())
    await asyncio.sleep(0.2)
    assert not waiter.done()  # waits while the other process writes
    waiter.cancel()  # the request's deadline
    with pytest.raises(asyncio.CancelledError):
        await waiter

    behind = asyncio.create_task(enter())  # the next writer of this process
    await asyncio.sleep(0.2)
    assert not behind.done()
    fcntl.flock(other, fcntl.LOCK_UN)
    async with asyncio.timeout(5):
        await behind  # got its turn once the cancelled wait's lock was given back
    fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # and nothing of this process holds the file now
    fcntl.flock(other, fcntl.LOCK_UN)
    os.close(other)
    await engine.dispose()


async def test_postgresql_writers_need_no_line() -> None:
    engine = make_engine(Settings(database_url="postgresql+asyncpg://postgres@127.0.0.1:5432/test"))
    assert isinstance(write_gate(engine), contextlib.nullcontext)  # rows are locked, not the database
    await engine.dispose()
