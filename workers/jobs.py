"""arq jobs: thin wrappers that load a report, call parsing and ingestion, record the outcome."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import structlog
from arq import Retry
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from service import queue, runtime, status_events
from service.db import data_version
from service.db.engine import is_unavailable
from service.db.models import Report, ReportFile, ReportStatus, utcnow
from service.settings import get_settings
from workers import sandbox
from workers.ingest import ReportGone, ingest
from workers.parsing import ParseError
from workers.storable import read_storable

log = structlog.get_logger("workers.jobs")
_REPORT = Report.__table__  # type: ignore[attr-defined]
_FILE = ReportFile.__table__  # type: ignore[attr-defined]


async def startup(ctx: dict[str, Any]) -> None:
    """Start the worker's services (``service.runtime``) on arq's Redis, waiting for a database
    that is unavailable rather than ending the worker; the parser's sandbox is warmed up."""
    services = await runtime.start(redis=ctx["redis"], wait_for_database=True, warm_up=sandbox.warm_up)
    ctx["services"] = services
    ctx["engine"] = services.engine  # what the jobs use


async def shutdown(ctx: dict[str, Any]) -> None:
    """Close what ``startup`` opened; arq closes its Redis itself."""
    services: runtime.Services | None = ctx.get("services")
    if services is not None:
        await runtime.stop(services, close_redis=False)


async def process_report(ctx: dict[str, Any], report_id: int) -> str:
    """Parse, validate and store one uploaded report; returns the status it ended in."""
    outcome = await _process(ctx, report_id)
    if outcome != "skipped":
        await _notify(ctx, report_id)
    return outcome


async def _notify(ctx: dict[str, Any], report_id: int) -> None:
    if ctx.get("redis") is not None:
        await status_events.publish(ctx["redis"], report_id)


async def _process(ctx: dict[str, Any], report_id: int) -> str:
    engine: AsyncEngine = ctx["engine"]
    bound = log.bind(report_id=report_id, job_try=ctx.get("job_try", 1))
    try:
        loaded = await _claim(engine, report_id)
        if loaded is None:
            bound.info("report.skipped", reason="not waiting for processing")
            return "skipped"
        if loaded is _EXHAUSTED:
            bound.warning("report.gave_up", attempts=get_settings().max_attempts)
            return ReportStatus.FAILED.value
        filename, content, fiscal_year = loaded
        await _notify(ctx, report_id)  # now PROCESSING
        try:
            parsed = await read_storable(content, filename=filename, fiscal_year=fiscal_year)
        except ParseError as error:
            await _finish_failed(engine, report_id, str(error), error_ja=error.message_ja)
            bound.info("report.failed", error=str(error))
            return ReportStatus.FAILED.value
        async with engine.begin() as connection:
            stored = await ingest(connection, report_id, parsed)
    except ReportGone:
        bound.info("report.skipped", reason="finished by another job or deleted")
        return "skipped"
    except Exception as error:
        if not is_unavailable(error):
            # A bug or figures the database refuses: end the report rather than retry forever.
            bound.exception("report.internal_error")
            await _finish_failed(
                engine,
                report_id,
                f"the report could not be stored ({type(error).__name__}); see the worker log",
                error_ja=f"報告を保存できませんでした（{type(error).__name__}）。ワーカーのログを確認してください",
            )
            return ReportStatus.FAILED.value
        tries = int(ctx.get("job_try", 1))
        bound.warning("report.retry", error=repr(error))
        if tries < get_settings().job_max_tries:
            raise Retry(defer=timedelta(seconds=min(2**tries, 60))) from error
        # Still PROCESSING: the sweep enqueues it again once the outage is over.
        raise
    bound.info("report.succeeded", values=stored, warnings=len(parsed.warnings))
    return ReportStatus.SUCCEEDED.value


#: ``_claim``'s answer for a report that has used up its attempts (and is now FAILED).
_EXHAUSTED: tuple[str, bytes, int | None] = ("", b"", None)


async def _claim(engine: AsyncEngine, report_id: int) -> tuple[str, bytes, int | None] | None:
    """Mark the report PROCESSING and load its bytes (and the fiscal year given with them),
    unless it is finished (or gone).

    A report already PROCESSING is claimed again: that is a retry or a rescued job. Two jobs
    on one report are harmless, since ingestion only stores into a report still PROCESSING
    and its row lock lets one of them do so. A report taken up MAX_ATTEMPTS times already
    (each attempt ended by a kill, a timeout or an outage) ends FAILED: ``_EXHAUSTED``.
    """
    max_attempts = get_settings().max_attempts
    async with engine.begin() as connection:
        claimed = await connection.execute(
            update(_REPORT)
            .where(
                _REPORT.c.id == report_id,
                _REPORT.c.status.in_([ReportStatus.QUEUED, ReportStatus.PROCESSING]),
                _REPORT.c.attempts < max_attempts,
            )
            .values(
                status=ReportStatus.PROCESSING,
                status_changed_at=utcnow(),
                attempts=_REPORT.c.attempts + 1,
            )
        )
        if claimed.rowcount != 1:
            return _EXHAUSTED if await _give_up_waiting(connection, report_id) else None
        await data_version.bump(connection)
        row = (
            await connection.execute(
                select(_REPORT.c.filename, _FILE.c.content, _REPORT.c.given_fiscal_year)
                .join(_FILE, _FILE.c.report_id == _REPORT.c.id)
                .where(_REPORT.c.id == report_id)
            )
        ).one()
    return row.filename, row.content, row.given_fiscal_year


async def _give_up_waiting(connection: AsyncConnection, report_id: int | None = None) -> int:
    """End as FAILED the waiting reports (or this one) that used up their attempts; how many."""
    max_attempts = get_settings().max_attempts
    chosen = [] if report_id is None else [_REPORT.c.id == report_id]
    ended = await connection.execute(
        update(_REPORT)
        .where(
            *chosen,
            _REPORT.c.status.in_([ReportStatus.QUEUED, ReportStatus.PROCESSING]),
            _REPORT.c.attempts >= max_attempts,
        )
        .values(
            status=ReportStatus.FAILED,
            status_changed_at=utcnow(),
            processed_at=utcnow(),
            error=_exhausted_message(max_attempts),
            values_stored=0,
        )
    )
    if ended.rowcount:
        await data_version.bump(connection)
    return int(ended.rowcount)


def _exhausted_message(max_attempts: int) -> str:
    return (
        f"gave up after {max_attempts} attempts (MAX_ATTEMPTS): each was cut short before the "
        "report was stored (the worker stopped or timed out while reading it); nothing was stored"
    )


async def _finish_failed(
    engine: AsyncEngine, report_id: int, error: str, *, error_ja: str | None = None
) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            update(_REPORT)
            .where(_REPORT.c.id == report_id, _REPORT.c.status == ReportStatus.PROCESSING)
            .values(
                status=ReportStatus.FAILED,
                status_changed_at=utcnow(),
                processed_at=utcnow(),
                error=error,
                error_ja=error_ja,
                values_stored=0,
            )
        )
        await data_version.bump(connection)


async def sweep(ctx: dict[str, Any]) -> int:
    """Enqueue what waits without a job: reports whose upload could not enqueue one (Redis was
    away) or whose job Redis lost, and reports left QUEUED or PROCESSING too long (a killed
    worker); reports that used up their attempts end FAILED instead. Returns the jobs enqueued.
    """
    settings = get_settings()
    engine: AsyncEngine = ctx["engine"]
    stale = utcnow() - timedelta(seconds=settings.requeue_after_seconds)
    async with engine.begin() as connection:
        rows = (
            await connection.execute(
                select(_REPORT.c.id, _REPORT.c.uploaded_at, _REPORT.c.status, _REPORT.c.status_changed_at)
                .where(
                    _REPORT.c.status.in_([ReportStatus.QUEUED, ReportStatus.PROCESSING]),
                    _REPORT.c.attempts < settings.max_attempts,
                )
                .order_by(_REPORT.c.id)
            )
        ).all()
        ended = await _give_up_waiting(connection)
    if ended:
        log.warning("sweep.gave_up", reports=ended)
    requeued = 0
    for row in rows:
        if row.status_changed_at < stale:
            # A new generation per sweep: the old job id may still be remembered by arq.
            generation = int(utcnow().timestamp()) // max(settings.sweep_interval_seconds, 1)
        elif row.status == ReportStatus.QUEUED:
            # The upload's own job id: arq refuses it while that job waits, runs or has a result,
            # so this enqueues only a job that never reached Redis or that Redis lost.
            generation = 0
        else:
            continue
        if await queue.enqueue_report(ctx["redis"], row.id, row.uploaded_at, generation=generation):
            requeued += 1
    if requeued:
        log.info("sweep.requeued", reports=requeued)
    return requeued
