"""Faults injected for real: a worker SIGKILLed mid-report, Redis emptied with jobs queued.

An upload that returned an id must still end SUCCEEDED or FAILED, with no duplicated or partial
figures: the worker's sweep re-enqueues reports left QUEUED or PROCESSING.
"""

from __future__ import annotations

import signal
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from arq.constants import health_check_key_suffix
from sqlalchemy import func, select

from service.models import Observation
from tests.conftest import eventually, multipart, running_app, start_worker
from tests.reportgen import render_report, seed_values

TOKEN = "fault-token"


class Faulty:
    """The app in-process plus a worker process the test may kill and restart."""

    def __init__(self, client: httpx.AsyncClient, env: dict[str, str], log: Path, app: Any) -> None:
        self.client, self.env, self.log, self.app = client, env, log, app
        self.worker: subprocess.Popen[bytes] | None = None

    def start_worker(self) -> None:
        self.worker = start_worker(self.env, self.log)

    async def worker_polling(self) -> None:
        """Wait until the worker has started up (migrated) and polls: arq's health-check key is set."""
        redis = aioredis.from_url(self.env["REDIS_URL"])
        key = self.env["QUEUE_NAME"] + health_check_key_suffix
        try:
            await eventually(lambda: redis.exists(key), 60)
        finally:
            await redis.aclose()

    def kill_worker(self) -> None:
        assert self.worker is not None
        self.worker.send_signal(signal.SIGKILL)
        self.worker.wait(10)

    async def upload(self, content: bytes, name: str) -> str:
        query = "mutation($file: Upload!) { uploadReport(file: $file) { id } }"
        body = await multipart(self.client, query, content, name, token=TOKEN)
        report_id: str = body["data"]["uploadReport"]["id"]
        return report_id

    async def report(self, report_id: str) -> dict[str, Any]:
        response = await self.client.post(
            "/graphql", json={"query": f'{{ report(id: "{report_id}") {{ status valuesStored error }} }}'}
        )
        report: dict[str, Any] = response.json()["data"]["report"]
        return report

    async def finished(self, report_id: str) -> dict[str, Any]:
        async def done() -> dict[str, Any] | None:
            report = await self.report(report_id)
            return report if report["status"] in ("SUCCEEDED", "FAILED") else None

        try:
            result: dict[str, Any] = await eventually(done, 90)  # type: ignore[assignment]
        except AssertionError:
            raise AssertionError(self.log.read_text()[-3000:]) from None
        return result


def fault_env(redis_url: str, queue: str, database_url: str, **extra: str) -> dict[str, str]:
    """Settings for fault tests: a quick sweep, so lost jobs are found in seconds."""
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "QUEUE_NAME": queue,
        "API_TOKENS": f"tester:{TOKEN}",
        "SWEEP_INTERVAL_SECONDS": "1",
        "REQUEUE_AFTER_SECONDS": "3",
        **extra,
    }


@asynccontextmanager
async def faulty_app(env: dict[str, str], log: Path) -> AsyncIterator[Faulty]:
    """The app running under ``env``; the worker is the test's to start, kill and restart."""
    async with running_app(env, timeout=60) as running:
        stack = Faulty(running.client, env, log, running.app)
        try:
            yield stack
        finally:
            if stack.worker is not None and stack.worker.poll() is None:
                stack.worker.terminate()
                stack.worker.wait(20)


@pytest.fixture
async def faulty(redis_url: str, queue_name: str, tmp_path: Path) -> AsyncIterator[Faulty]:
    database = f"sqlite+aiosqlite:///{tmp_path / 'faults.db'}"
    env = fault_env(redis_url, f"{queue_name}:faults:{tmp_path.name}", database)
    async with faulty_app(env, tmp_path / "worker.log") as stack:
        yield stack


def year_of_figures() -> dict[tuple[str, str, int, str], int]:
    """Twelve months of every indicator: 7,896 values in one report."""
    april = seed_values()
    return {
        (indicator, pref, month, breakdown): value + (month if breakdown != "seconded" else 0)
        for (indicator, pref, _, breakdown), value in april.items()
        for month in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)
    }


async def stored_rows(faulty: Faulty) -> int:
    engine = faulty.app.state.services.engine
    async with engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(Observation))).scalar_one())


async def test_a_worker_killed_mid_report_is_finished_after_a_restart(faulty: Faulty) -> None:
    figures = year_of_figures()
    text = render_report(fiscal_year=2026, months=[4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3], values=figures)
    faulty.start_worker()
    report_id = await faulty.upload(text.encode(), "full-year.txt")

    async def processing() -> bool:
        return (await faulty.report(report_id))["status"] != "QUEUED"

    await eventually(processing, 60, interval=0.005)
    faulty.kill_worker()
    faulty.start_worker()
    report = await faulty.finished(report_id)
    assert report["status"] == "SUCCEEDED", report["error"]
    assert report["valuesStored"] == len(figures) == 7896
    assert await stored_rows(faulty) == 7896  # nothing twice, nothing missing


async def test_reports_queued_when_redis_is_emptied_still_complete(faulty: Faulty) -> None:
    ids = []
    for fiscal_year in (2023, 2024, 2025):
        text = render_report(fiscal_year=fiscal_year, months=[4], values=seed_values())
        ids.append(await faulty.upload(text.encode(), f"r{fiscal_year}.txt"))
    # The jobs are on the queue and no worker has seen them; Redis loses everything.
    client = aioredis.Redis.from_url(faulty.env["REDIS_URL"])
    await client.flushdb()
    await client.aclose()
    faulty.start_worker()
    for report_id in ids:
        assert (await faulty.finished(report_id))["status"] == "SUCCEEDED"
    assert await stored_rows(faulty) == 3 * 658
