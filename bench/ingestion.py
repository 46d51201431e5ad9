"""Ingestion benchmarks: upload → SUCCEEDED latency of the seed, and a batch of monthly reports.

Reports go through the real path: the upload mutation over HTTP (API process), the Redis
queue, ``arq workers.WorkerSettings`` processes. Progress is read from the database directly
(a cheap ``SELECT`` every few milliseconds), so watching does not load the API.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.generate import SEED, monthly_reports, store_report
from bench.processes import BENCH_TOKEN, ServiceEnv, api, workers
from service.client import Client, ServiceError
from service.db.engine import create_engine, migrate
from service.db.models import Report, ReportStatus

_REPORT = Report.__table__  # type: ignore[attr-defined]
_FINISHED = (ReportStatus.SUCCEEDED.value, ReportStatus.FAILED.value)


@dataclass
class SeedLatency:
    """Upload → SUCCEEDED of distinct copies of the seed, one at a time."""

    uploads: int
    p50_ms: float
    max_ms: float
    failed: int
    poll_delay: float | None


@dataclass
class Batch:
    """Monthly reports all queued before the workers start, processed by ``workers`` workers."""

    reports: int
    workers: int
    total_seconds: float
    startup_seconds: float
    reports_per_second: float
    failed: int


def seed_copies(count: int) -> list[bytes]:
    """``count`` distinct reports: the seed's figures under other fiscal years (西暦 titles)."""
    text = SEED.read_text(encoding="utf-8")
    return [text.replace("令和8年度", f"{2026 - n}年度", 1).encode() for n in range(count)]


async def upload(client: httpx.AsyncClient, content: bytes, name: str) -> int:
    """Upload a report through the GraphQL multipart mutation; its number (the database id)."""
    try:
        report = await Client(client, token=BENCH_TOKEN).upload(content, name)
    except ServiceError as error:
        raise RuntimeError(f"upload of {name} failed: {str(error)[:300]}") from error
    return int(report["number"])


async def _status(engine: AsyncEngine, report_id: int) -> str:
    async with engine.connect() as connection:
        return str(
            (await connection.execute(select(_REPORT.c.status).where(_REPORT.c.id == report_id))).scalar_one()
        )


async def _finished_count(engine: AsyncEngine) -> tuple[int, int]:
    """(reports finished, of which FAILED)."""
    async with engine.connect() as connection:
        result = await connection.execute(select(_REPORT.c.status, func.count()).group_by(_REPORT.c.status))
        rows: dict[str, int] = {str(status): int(count) for status, count in result}
    return sum(int(rows.get(s, 0)) for s in _FINISHED), int(rows.get(ReportStatus.FAILED.value, 0))


async def _seed_latency(base_url: str, database_url: str, count: int) -> tuple[list[float], int]:
    engine = create_engine(database_url)
    latencies: list[float] = []
    failed = 0
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
            for number, content in enumerate(seed_copies(count)):
                started = time.perf_counter()
                report_id = await upload(client, content, f"seed-{number}.txt")
                deadline = time.monotonic() + 60
                while (status := await _status(engine, report_id)) not in _FINISHED:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"report {report_id} still {status} after 60 s")
                    await asyncio.sleep(0.005)
                latencies.append(time.perf_counter() - started)
                failed += int(status != ReportStatus.SUCCEEDED.value)
    finally:
        await engine.dispose()
    return latencies, failed


def seed_latency(service: ServiceEnv, count: int, *, poll_delay: float | None = None) -> SeedLatency:
    """Upload ``count`` seed copies one after another, each waited for; API and one worker running."""
    asyncio.run(_migrate(service.database_url))
    with api(service) as base_url, workers(service, 1, poll_delay=poll_delay):
        # The worker's start-up is not part of an upload's latency: one upload first, unmeasured.
        asyncio.run(_seed_latency(base_url, service.database_url, 1))
        latencies, failed = asyncio.run(_seed_latency(base_url, service.database_url, count + 1))
    measured = latencies[1:]  # the first copy repeats the warm-up's bytes: answered without a job
    return SeedLatency(
        uploads=len(measured),
        p50_ms=statistics.median(measured) * 1000,
        max_ms=max(measured) * 1000,
        failed=failed,
        poll_delay=poll_delay,
    )


async def _migrate(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate(engine)
    finally:
        await engine.dispose()


async def _upload_all(base_url: str, years: list[int], latest_month: int) -> int:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        reports = list(monthly_reports(years, latest_month=latest_month))
        for report in reports:
            await upload(client, report.content, report.filename)
    return len(reports)


async def _watch(database_url: str, reports: int, started: float, timeout: float) -> tuple[float, float, int]:
    """Poll until ``reports`` are finished: (start-up seconds, total seconds, failed)."""
    engine = create_engine(database_url)
    startup = 0.0
    try:
        while True:
            finished, failed = await _finished_count(engine)
            if not startup and finished:
                startup = time.perf_counter() - started
            if finished >= reports:
                return startup, time.perf_counter() - started, failed
            if time.perf_counter() - started > timeout:
                raise RuntimeError(f"only {finished} of {reports} reports finished in {timeout:g} s")
            await asyncio.sleep(0.02)
    finally:
        await engine.dispose()


def batch(
    service: ServiceEnv, years: list[int], worker_count: int, *, latest_month: int = 3, timeout: float = 300
) -> Batch:
    """Queue every monthly report of ``years`` (to ``latest_month`` of the latest) with no worker running,
    then start the workers.

    ``total_seconds`` runs from the workers' spawn to the last report finished; ``startup_seconds``
    to the first report finished (process start, imports, migration check, first report).
    """
    asyncio.run(_migrate(service.database_url))
    with api(service) as base_url:
        count = asyncio.run(_upload_all(base_url, years, latest_month))
        started = time.perf_counter()
        with workers(service, worker_count):
            startup, total, failed = asyncio.run(_watch(service.database_url, count, started, timeout))
    return Batch(
        reports=count,
        workers=worker_count,
        total_seconds=total,
        startup_seconds=startup,
        reports_per_second=count / total,
        failed=failed,
    )


async def _statement_profile(database_url: str, years: list[int], top: int) -> dict[str, Any]:
    engine = create_engine(database_url)
    try:
        await migrate(engine)
        reports = list(monthly_reports(years))
        for report in reports[:-1]:
            await store_report(engine, report)
        seconds: dict[str, float] = {}
        started: dict[int, float] = {}

        def before(*args: Any) -> None:
            started[id(args[4])] = time.perf_counter()

        def after(*args: Any) -> None:
            words = " ".join(str(args[2]).split()[:3])[:60]
            seconds[words] = seconds.get(words, 0.0) + time.perf_counter() - started.pop(id(args[4]))

        event.listen(engine.sync_engine, "before_cursor_execute", before)
        event.listen(engine.sync_engine, "after_cursor_execute", after)
        begun = time.perf_counter()
        await store_report(engine, reports[-1])
        total = time.perf_counter() - begun
    finally:
        await engine.dispose()
    ordered = sorted(seconds.items(), key=lambda item: -item[1])[:top]
    return {"total_ms": total * 1000, "statements_ms": {sql: s * 1000 for sql, s in ordered}}


def statement_profile(database_url: str, years: list[int], *, top: int = 5) -> dict[str, Any]:
    """Where the last monthly report of ``years`` spends its ingestion (parse excluded): SQL by statement.

    The earlier reports are stored first (parse + ingest, no queue), so the last one meets a full year.
    """
    return asyncio.run(_statement_profile(database_url, years, top))
