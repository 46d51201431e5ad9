"""Readiness names what is missing: here, a queue no worker serves, and an unreachable Redis."""

from __future__ import annotations

from arq import create_pool
from arq.connections import ArqRedis, RedisSettings
from sqlalchemy.ext.asyncio import AsyncEngine

from service.db.engine import session_factory
from service.http.health import readiness
from service.runtime import Services
from service.settings import Settings


async def test_readiness_without_a_worker_or_redis(engine: AsyncEngine, redis_url: str) -> None:
    settings = Settings(_env_file=None, queue_name="yorozu:test:nobody-serves-this")  # type: ignore[call-arg]
    redis = await create_pool(RedisSettings.from_dsn(redis_url))
    try:
        services = Services(settings=settings, engine=engine, sessions=session_factory(engine), redis=redis)
        checks = await readiness(services)
        assert checks == {"database": "ok", "redis": "ok", "worker": "unavailable: LookupError"}
    finally:
        await redis.aclose()
    dead = ArqRedis(host="127.0.0.1", port=9, socket_connect_timeout=0.5)
    checks = await readiness(
        Services(settings=settings, engine=engine, sessions=session_factory(engine), redis=dead)
    )
    assert checks["redis"].startswith("unavailable") and checks["database"] == "ok"
    await dead.aclose()
