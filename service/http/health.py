"""Readiness checks of the backing services, each bounded in time."""

from __future__ import annotations

import asyncio

from arq.constants import health_check_key_suffix
from sqlalchemy import text

from service.runtime import Services

_TIMEOUT_SECONDS = 3


async def _database(services: Services) -> None:
    async with services.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def _redis(services: Services) -> None:
    await services.redis.ping()


async def _worker(services: Services) -> None:
    # arq sets this key (with an expiry) on every health check, so it exists while a worker lives.
    key = services.settings.queue_name + health_check_key_suffix
    if not await services.redis.exists(key):
        raise LookupError("no worker heartbeat")


async def readiness(services: Services) -> dict[str, str]:
    """``{"database": …, "redis": …, "worker": …}``, each ``ok`` or why not."""
    results: dict[str, str] = {}
    for name, check in (("database", _database), ("redis", _redis), ("worker", _worker)):
        try:
            await asyncio.wait_for(check(services), _TIMEOUT_SECONDS)
            results[name] = "ok"
        except Exception as error:  # any failure means not ready; report its type
            results[name] = f"unavailable: {type(error).__name__}"
    return results
