"""The app in-process with a worker the test may kill and restart, for the fault and outage tests."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import redis.asyncio as aioredis
from arq.constants import health_check_key_suffix

from tests.support.app import running_app
from tests.support.multipart import multipart
from tests.support.processes import start_worker
from tests.support.waiting import eventually

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
