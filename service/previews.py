"""An upload's preview (確認): the answer a worker gives (``Preview``, the contract between the
preview job in ``workers.preview`` and the API), and asking a worker for it with a deadline.

arq carries the answer pickled, so both processes must build it from these classes alone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from arq.connections import ArqRedis
from arq.constants import health_check_key_suffix
from redis.exceptions import RedisError

from service.settings import Settings

PREVIEW_REPORT = "preview_report"
#: How often the API looks for the worker's answer (arq's default, 0.5 s, would be most of the wait).
_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class TablePreview:
    """One table as read: its indicator, title as printed and how many monthly values it gives."""

    indicator_code: str
    catalogued: bool
    section: str
    number: str
    title: str
    name: str
    months: tuple[int, ...]
    line: int
    value_count: int


@dataclass(frozen=True)
class ChangedFigure:
    """A current figure the report would change (修正): its key, the value now and the report's."""

    indicator_code: str
    prefecture_code: str
    fiscal_year: int
    month: int
    breakdown: str
    old_value: int
    new_value: int


@dataclass(frozen=True)
class Preview:
    """What storing the file would give: its reading, or the error that would fail it.

    Parameters:
        filename: the file's name.
        error, error_ja: why the file would fail (English, Japanese); None when it would be stored.
        title, fiscal_year, months: the report's title, fiscal year (年度) and months, as read.
        tables: each table read, in report order.
        warnings, warnings_ja: the warnings it would carry (English, Japanese).
        changes: current figures it would change (修正).
    """

    filename: str
    error: str | None = None
    error_ja: str | None = None
    title: str | None = None
    fiscal_year: int | None = None
    months: tuple[int, ...] = ()
    tables: tuple[TablePreview, ...] = ()
    warnings: tuple[str, ...] = ()
    warnings_ja: tuple[str, ...] = ()
    changes: tuple[ChangedFigure, ...] = ()

    @property
    def value_count(self) -> int:
        """The number of monthly values it would store."""
        return sum(table.value_count for table in self.tables)


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
