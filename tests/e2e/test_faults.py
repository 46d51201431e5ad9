"""Faults injected for real: a worker SIGKILLed mid-report, Redis emptied with jobs queued.

An upload that returned an id must still end SUCCEEDED or FAILED, with no duplicated or partial
figures: the worker's sweep re-enqueues reports left QUEUED or PROCESSING.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from asgi_lifespan import LifespanManager
from sqlalchemy import func, select

from service.app import create_app
from service.models import Observation
from service.settings import get_settings
from tests.conftest import ROOT, eventually
from tests.reportgen import render_report, seed_values

TOKEN = "fault-token"


class Faulty:
    """The app in-process plus a worker process the test may kill and restart."""

    def __init__(self, client: httpx.AsyncClient, env: dict[str, str], log: Path, app: Any) -> None:
        self.client, self.env, self.log, self.app = client, env, log, app
        self.worker: subprocess.Popen[bytes] | None = None

    def start_worker(self) -> None:
        with self.log.open("a") as log:
            self.worker = subprocess.Popen(
                [sys.executable, "-m", "arq", "workers.WorkerSettings"],
                cwd=ROOT,
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def kill_worker(self) -> None:
        assert self.worker is not None
        self.worker.send_signal(signal.SIGKILL)
        self.worker.wait(10)

    async def upload(self, content: bytes, name: str) -> str:
        operations = {
            "query": "mutation($f: Upload!) { uploadReport(file: $f) { id } }",
            "variables": {"f": None},
        }
        response = await self.client.post(
            "/graphql",
            data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.f"]})},
            files={"0": (name, content)},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        report_id: str = response.json()["data"]["uploadReport"]["id"]
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


@pytest.fixture
async def faulty(redis_url: str, queue_name: str, tmp_path: Path) -> AsyncIterator[Faulty]:
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'faults.db'}",
        "REDIS_URL": redis_url,
        "QUEUE_NAME": f"{queue_name}:faults:{tmp_path.name}",
        "API_TOKENS": f"tester:{TOKEN}",
        "SWEEP_INTERVAL_SECONDS": "1",
        "REQUEUE_AFTER_SECONDS": "3",
    }
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        get_settings.cache_clear()
        app = create_app()
        async with LifespanManager(app) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://testserver", timeout=30
            ) as client:
                stack = Faulty(client, env, tmp_path / "worker.log", app)
                try:
                    yield stack
                finally:
                    if stack.worker is not None and stack.worker.poll() is None:
                        stack.worker.terminate()
                        stack.worker.wait(20)
    get_settings.cache_clear()


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
