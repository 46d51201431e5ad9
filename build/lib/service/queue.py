"""The Redis job queue both processes use: one job per report, referring to it by id."""

from __future__ import annotations

from datetime import datetime

from arq import create_pool
from arq.connections import ArqRedis, RedisSettings

from service.settings import Settings

PROCESS_REPORT = "process_report"


def redis_settings(settings: Settings) -> RedisSettings:
    """arq's connection settings from ``REDIS_URL``; short timeouts so an outage fails fast."""
    redis = RedisSettings.from_dsn(settings.redis_url)
    redis.conn_timeout = 2
    redis.conn_retries = 1
    return redis


async def connect(settings: Settings) -> ArqRedis:
    """A connection pool to the queue's Redis."""
    return await create_pool(redis_settings(settings), default_queue_name=settings.queue_name)


def job_id(report_id: int, uploaded_at: datetime, generation: int) -> str:
    """The job id of a report's ``generation``-th enqueue; arq ignores a repeat of a known id.

    The upload time keeps ids unique when a database is recreated (ids start again at 1)
    while Redis still remembers the old jobs' results.
    """
    stamp = int(uploaded_at.timestamp() * 1_000_000)
    return f"yorozu:report:{report_id}:{stamp}:{generation}"


async def enqueue_report(
    redis: ArqRedis, report_id: int, uploaded_at: datetime, *, generation: int = 0
) -> bool:
    """Put the processing of ``report_id`` on the queue; False when that job id is already known."""
    job = await redis.enqueue_job(
        PROCESS_REPORT, report_id, _job_id=job_id(report_id, uploaded_at, generation)
    )
    return job is not None
