"""The Redis job queue both processes use: one job per report, referring to it by id."""

from __future__ import annotations

from datetime import datetime

from arq import create_pool
from arq.connections import ArqRedis, RedisSettings
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from service.settings import Settings

PROCESS_REPORT = "process_report"
#: The longest wait between two attempts to reach Redis again (seconds).
_BACKOFF_CAP = 5.0


class QueueUnavailable(ConnectionError):
    """Redis could not be reached (or answered with an error) to enqueue a job.

    A ``ConnectionError`` (redis-py's errors are not), so callers catch one built-in type.
    """


def redis_settings(settings: Settings, *, ride_out_outages: bool = False) -> RedisSettings:
    """arq's connection settings from ``REDIS_URL``.

    The API's fail fast (short timeouts, no retries): an upload must not hang on an outage,
    the sweep enqueues its job later. A worker's (``ride_out_outages``) retry every command
    without end, backing off up to ``_BACKOFF_CAP`` seconds, so a Redis restart pauses the
    worker instead of ending it (arq's worker exits on the first error that reaches it).
    """
    redis = RedisSettings.from_dsn(settings.redis_url)
    redis.conn_timeout = 2
    redis.conn_retries = 1
    if ride_out_outages:
        redis.retry_on_timeout = True
        redis.retry_on_error = [RedisConnectionError, RedisTimeoutError, ConnectionError, OSError]
        redis.retry = Retry(ExponentialWithJitterBackoff(cap=_BACKOFF_CAP, base=0.1), retries=-1)
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
    """Put the processing of ``report_id`` on the queue; False when that job id is already known.

    Raises ``QueueUnavailable`` when Redis cannot be reached.
    """
    try:
        job = await redis.enqueue_job(
            PROCESS_REPORT, report_id, _job_id=job_id(report_id, uploaded_at, generation)
        )
    except (RedisError, OSError) as error:
        raise QueueUnavailable(f"the queue's Redis is unavailable: {error}") from error
    return job is not None
