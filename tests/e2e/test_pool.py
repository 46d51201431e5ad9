"""The PostgreSQL pool is sized by settings, and a burst of clients queues for it instead of failing."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy.pool import QueuePool

from service.db.engine import create_engine
from service.settings import Settings
from tests.support.app import running_app
from tests.support.databases import drop_postgres_database, new_database

QUERY = (
    '{ reports(first: 5) { totalCount } observations(indicator: "onestop.consultations", '
    "fiscalYear: 2026) { value } }"
)


def test_the_pool_follows_the_settings() -> None:
    settings = Settings(_env_file=None, db_pool_size=3, db_max_overflow=2, db_pool_timeout_seconds=7)  # type: ignore[call-arg]
    engine = create_engine("postgresql+asyncpg://postgres@127.0.0.1:5432/test", settings)
    pool = engine.sync_engine.pool
    assert isinstance(pool, QueuePool)
    assert (pool.size(), pool._max_overflow, pool._timeout) == (3, 2, 7)


async def test_64_clients_on_one_connection_all_get_answers(redis_url: str, tmp_path: Path) -> None:
    url, name = await new_database("postgresql", tmp_path)
    assert name is not None
    env = {
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "SAMPLE_DATA": "false",
        "DB_POOL_SIZE": "1",
        "DB_MAX_OVERFLOW": "0",
        "RESPONSE_CACHE_BYTES": "0",  # every request goes to the database
    }
    try:
        async with running_app(env, timeout=60) as running:
            responses = await asyncio.gather(
                *(running.client.post("/graphql", json={"query": QUERY}) for _ in range(64))
            )
        assert all(response.status_code == 200 for response in responses)
        assert all("errors" not in response.json() for response in responses), responses[0].text
    finally:
        await drop_postgres_database(name)
