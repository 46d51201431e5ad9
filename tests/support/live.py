"""A service for tests of pushed statuses: real uvicorn on a Redis of its own, and a worker the test
can pause, so that a status is seen QUEUED before the worker may move it on."""

from __future__ import annotations

import os
import signal
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import redis.asyncio as aioredis

from service.dev.embedded_redis import start_redis
from tests.support.multipart import multipart
from tests.support.processes import serving, start_worker
from tests.support.reportgen import render_report, seed_values

TOKEN = "live-secret"
STATUS = "subscription($id: ID!) { reportStatus(id: $id) { id status error valuesStored } }"


@dataclass
class Live:
    """The running service: its base URL, its Redis and its worker."""

    base: str
    redis_url: str
    worker: subprocess.Popen[bytes]
    log: Path

    @property
    def ws_url(self) -> str:
        return self.base.replace("http://", "ws://") + "/graphql"

    @contextmanager
    def paused(self) -> Iterator[None]:
        """The worker stopped (SIGSTOP) inside the block: what is uploaded stays QUEUED until it ends."""
        os.kill(self.worker.pid, signal.SIGSTOP)
        try:
            yield
        finally:
            os.kill(self.worker.pid, signal.SIGCONT)

    async def upload(self, content: bytes, name: str = "report.txt") -> str:
        """Upload through the API; the report's id."""
        query = "mutation($file: Upload!) { uploadReport(file: $file) { id status } }"
        async with httpx.AsyncClient(base_url=self.base, timeout=30) as client:
            body = await multipart(client, query, content, name, token=TOKEN)
        assert body["data"]["uploadReport"]["status"] == "QUEUED", body
        report_id: str = body["data"]["uploadReport"]["id"]
        return report_id

    async def redis_clients(self) -> int:
        """Connections to the service's Redis, this one excepted (``CLIENT LIST``)."""
        client = aioredis.from_url(self.redis_url)
        try:
            listed: list[Any] = await client.client_list()
        finally:
            await client.aclose()
        return len(listed) - 1


def fresh_report() -> bytes:
    """A report no other test uploaded (the same bytes would be the same report)."""
    values = seed_values()
    key = next(iter(values))
    values[key] = values[key] + 1 + uuid.uuid4().int % 1000
    return render_report(fiscal_year=2026, months=[4], values=values).encode("cp932")


@asynccontextmanager
async def live_service(workdir: Path, **settings: str) -> AsyncIterator[Live]:
    """uvicorn (SQLite) on a redis-server of its own, plus one worker; ``settings`` as environment."""
    server, redis_url = start_redis()
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'live.db'}",
        "REDIS_URL": redis_url,
        "API_TOKENS": f"live:{TOKEN}",
        "SAMPLE_DATA": "false",
        **settings,
    }
    log = workdir / "live.log"
    try:
        async with serving(env, log, worker=False) as base:
            worker = start_worker(env, log)
            try:
                yield Live(base=base, redis_url=redis_url, worker=worker, log=log)
            finally:
                os.kill(worker.pid, signal.SIGCONT)
                worker.terminate()
                worker.wait(20)
    finally:
        server.terminate()
        server.wait(10)
