"""The data version is pushed to the API process by PostgreSQL; without a live channel it is read."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from service.db import data_version
from service.db.data_version import CHANNEL, DataVersions
from service.db.dsn import asyncpg_dsn
from service.db.engine import create_engine, migrate
from tests.support.databases import drop_postgres_database, new_database
from tests.support.waiting import eventually


@pytest.fixture
async def pg_engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    url, name = await new_database("postgresql", tmp_path)
    engine = create_engine(url)
    await migrate(engine)
    yield engine
    await engine.dispose()
    if name:
        await drop_postgres_database(name)


async def commit_a_change(engine: AsyncEngine) -> int:
    """What a worker does last when it stores a report: bump, in a transaction of its own."""
    async with engine.begin() as connection:
        await data_version.bump(connection)
    return await data_version.current(engine)


async def test_a_change_committed_elsewhere_is_pushed(pg_engine: AsyncEngine) -> None:
    versions = DataVersions(pg_engine)
    try:
        before = await versions.current()
        await asyncio.wait_for(versions.listening.wait(), 10)
        assert versions.pushed == before
        writer = create_engine(str(pg_engine.url.render_as_string(hide_password=False)))
        try:
            after = await commit_a_change(writer)
        finally:
            await writer.dispose()
        assert after == before + 1
        await eventually(lambda: _equal(versions.pushed, after), timeout=5, interval=0.005)
    finally:
        await versions.aclose()


async def _equal(value: object, expected: object) -> bool:
    return value == expected


async def test_without_the_channel_every_version_is_read(pg_engine: AsyncEngine) -> None:
    async def refused() -> asyncpg.Connection:
        raise OSError("the push channel is down")

    versions = DataVersions(pg_engine, connect=refused)
    try:
        first = await versions.current()
        assert versions.pushed is None
        assert await versions.current() == first  # read, not remembered
        after = await commit_a_change(pg_engine)
        assert await versions.current() == after  # at once: no push needed
    finally:
        await versions.aclose()


async def test_a_lost_channel_falls_back_until_it_is_live_again(pg_engine: AsyncEngine) -> None:
    url = asyncpg_dsn(pg_engine.url)
    allowed = asyncio.Event()
    allowed.set()

    async def connect() -> asyncpg.Connection:
        if not allowed.is_set():
            raise OSError("the push channel is down")
        return await asyncpg.connect(url, server_settings={"application_name": CHANNEL})

    versions = DataVersions(pg_engine, connect=connect, heartbeat_seconds=0.05)
    try:
        await versions.current()
        await asyncio.wait_for(versions.listening.wait(), 10)
        allowed.clear()
        admin = await asyncpg.connect(url)
        try:
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = $1 AND datname = current_database()",
                CHANNEL,
            )
        finally:
            await admin.close()
        await eventually(lambda: _equal(versions.pushed, None), timeout=5, interval=0.01)
        changed = await commit_a_change(pg_engine)
        assert await versions.current() == changed  # read while the channel is down
        allowed.set()
        await asyncio.wait_for(versions.listening.wait(), 10)
        assert versions.pushed == changed
    finally:
        await versions.aclose()


async def test_sqlite_reads_every_time(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
    await migrate(engine)
    versions = DataVersions(engine)
    try:
        first = await versions.current()
        assert versions.pushed is None
        assert await versions.current() == first
        assert await commit_a_change(engine) == await versions.current() == first + 1
    finally:
        await versions.aclose()
        await engine.dispose()


async def test_the_listener_ignores_the_engine_s_own_url_options(pg_engine: AsyncEngine) -> None:
    """asyncpg's DSN refuses SQLAlchemy's options (a URL made for the engine must still listen)."""
    url = pg_engine.url.update_query_dict({"prepared_statement_cache_size": "100"})
    engine = create_engine(url.render_as_string(hide_password=False))
    versions = DataVersions(engine)
    try:
        await versions.read()  # starts the listener
        await asyncio.wait_for(versions.listening.wait(), 10)
    finally:
        await versions.aclose()
        await engine.dispose()
