"""The API over HTTP (ASGI, lifespan run) on a fresh SQLite and PostgreSQL database holding the seed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from service.db.engine import create_engine, migrate
from tests.support.app import Api, running_app
from tests.support.ingested import store
from tests.support.paths import SEED
from workers.parsing import parse_report


@pytest.fixture
async def api(database_url: str, redis_url: str, queue_name: str) -> AsyncIterator[Api]:
    """The app on a fresh database of each kind into which the seed report was ingested."""
    engine = create_engine(database_url)
    await migrate(engine)
    content = SEED.read_bytes()
    await store(engine, parse_report(content, filename="seed.txt"), content)
    await engine.dispose()
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "QUEUE_NAME": f"{queue_name}:graphql",
        "SAMPLE_DATA": "false",
        "MAX_BATCH_SIZE": "3",
    }
    async with running_app(env) as running:
        yield Api(running.client, database_url)
