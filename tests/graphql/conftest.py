"""The API over HTTP (ASGI, lifespan run) on a fresh SQLite and PostgreSQL database holding the seed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from service.db.engine import create_engine, migrate
from tests.conftest import SEED, running_app
from tests.test_ingest import store
from workers.parsing import parse_report


@dataclass
class Api:
    """A client of the app, and the ``graphql`` shorthand the tests use."""

    client: httpx.AsyncClient
    database_url: str

    async def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.client.post("/graphql", json={"query": query, "variables": variables or {}})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


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
