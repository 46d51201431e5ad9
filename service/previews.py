"""Asking a worker for an upload's preview (確認) and waiting for its answer, with a deadline."""

from __future__ import annotations

import uuid
from datetime import timedelta

from arq.connections import ArqRedis
from arq.constants import health_check_key_suffix
from redis.exceptions import RedisError

from service.domain.previews import Preview
from service.settings import Settings

PREVIEW_REPORT = "preview_report"
#: How often the API looks for the worker's answer (arq's default, 0.5 s, would be most of the wait).
_POLL_SECONDS = 0.05


class NoWorker(Exception):
    """No worker is running on the queue (none has recorded its health check lately)."""


class PreviewTimedOut(Exception):
    """A worker is running but did not answer within ``PREVIEW_TIMEOUT_SECONDS``."""


class QueueUnavailable(Exception):
    """Redis did not answer, so the preview could not be asked for."""


async def request_preview(
    redis: ArqRedis, settings: Settings, *, content: bytes, filename: str, fiscal_year: int | None
) -> Preview:
    """The worker's preview of ``content``; NoWorker, PreviewTimedOut or QueueUnavailable otherwise.

    The job expires when the wait does, so a worker that starts later does not do work no one
    waits for (and Redis does not keep the file).
    """
    timeout = settings.preview_timeout_seconds
    try:
        job = await redis.enqueue_job(
            PREVIEW_REPORT,
            content,
            filename,
            fiscal_year,
            _job_id=f"yorozu:preview:{uuid.uuid4().hex}",
            _expires=timedelta(seconds=timeout),
        )
        assert job is not None  # a fresh id is never a known job
        try:
            preview: Preview = await job.result(timeout=timeout, poll_delay=_POLL_SECONDS)
        except TimeoutError:
            if await redis.exists(settings.queue_name + health_check_key_suffix):
                raise PreviewTimedOut(
                    f"no worker finished the preview within {timeout:g} s (PREVIEW_TIMEOUT_SECONDS); "
                    "the workers may be busy: try again shortly"
                ) from None
            raise NoWorker(
                f"no worker is running on queue {settings.queue_name!r}, so the file cannot be "
                "previewed; start one (make worker) and try again"
            ) from None
    except (RedisError, OSError) as error:
        raise QueueUnavailable(
            f"the job queue (Redis) is unavailable ({type(error).__name__}); try again shortly"
        ) from None
    return preview
