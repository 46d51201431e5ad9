"""arq's WorkerSettings (``arq workers.WorkerSettings``): jobs, the cron sweep, Redis, queue."""

from __future__ import annotations

from typing import Any, ClassVar

from arq import cron, func
from arq.connections import RedisSettings

from service.queue import redis_settings
from service.settings import get_settings
from workers import jobs, preview

_settings = get_settings()


def _sweep_seconds() -> set[int]:
    interval = max(1, min(_settings.sweep_interval_seconds, 60))
    return set(range(0, 60, interval))


class WorkerSettings:
    """The worker process: processes uploaded reports and periodically sweeps for lost ones."""

    functions: ClassVar[list[Any]] = [
        jobs.process_report,
        # A preview is read once by the API that waits for it, and is never worth a retry.
        func(
            preview.preview_report,
            timeout=_settings.preview_timeout_seconds,
            keep_result=max(_settings.preview_timeout_seconds, 60),
            max_tries=1,
        ),
    ]
    cron_jobs: ClassVar[list[Any]] = [
        cron(jobs.sweep, second=_sweep_seconds(), run_at_startup=True, unique=True)
    ]
    on_startup = jobs.startup
    on_shutdown = jobs.shutdown
    redis_settings: RedisSettings = redis_settings(_settings)
    queue_name: str = _settings.queue_name
    job_timeout: int = _settings.job_timeout_seconds
    max_tries: int = _settings.job_max_tries
    keep_result: int = 3600
    health_check_interval: int = 10
    allow_abort_jobs: bool = True
    #: How often an idle worker looks for jobs (arq's default, 0.5 s, would be most of an upload's wait).
    poll_delay: float = _settings.worker_poll_seconds
