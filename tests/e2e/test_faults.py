"""Faults injected for real: a worker SIGKILLed mid-report, Redis emptied with jobs queued, Redis
stopped and started again.

An upload that returned an id must still end SUCCEEDED or FAILED, with no duplicated or partial
figures: the worker's sweep re-enqueues reports left QUEUED or PROCESSING.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
import yaml
from arq.constants import health_check_key_suffix
from sqlalchemy import func, select

from service.db.engine import create_engine
from service.db.models import Observation
from service.dev.embedded_redis import start_redis
from tests.conftest import SEED, eventually, multipart, running_app, serving, start_worker
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


async def test_workers_and_uploads_ride_out_a_redis_restart(queue_name: str, tmp_path: Path) -> None:
    """Real uvicorn and worker on a Redis of this test's own, stopped and started again on its port.

    The upload made while Redis is down is recorded and answers QUEUED; the worker waits the
    outage out (nothing restarts it here) and, with the sweep enqueueing what never reached
    Redis, both reports end SUCCEEDED, each stored once.
    """
    server, url = start_redis()
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    database = f"sqlite+aiosqlite:///{tmp_path / 'restart.db'}"
    env = fault_env(url, f"{queue_name}:restart", database, REQUEUE_AFTER_SECONDS="60")
    try:
        async with serving(env, tmp_path / "log.txt") as base, httpx.AsyncClient(base_url=base) as client:
            faulty = Faulty(client, env, tmp_path / "log.txt", app=None)
            before = await faulty.upload(year_report(2024), "before.txt")
            assert (await faulty.finished(before))["status"] == "SUCCEEDED"
            server.terminate()
            server.wait(10)
            query = "mutation($file: Upload!) { uploadReport(file: $file) { id status } }"
            body = await multipart(client, query, year_report(2025), "during.txt", token=TOKEN)
            assert "errors" not in body, body
            assert body["data"]["uploadReport"]["status"] == "QUEUED"
            during = body["data"]["uploadReport"]["id"]
            await asyncio.sleep(3)  # the worker meets the outage: it must wait, not exit
            server, _ = start_redis(port)
            for report_id in (before, during):
                report = await faulty.finished(report_id)
                assert report["status"] == "SUCCEEDED", report["error"]
                assert report["valuesStored"] == 658
            listed = await client.post("/graphql", json={"query": "{ reports { totalCount } }"})
            assert listed.json()["data"]["reports"]["totalCount"] == 2
        engine = create_engine(database)
        async with engine.connect() as connection:
            stored = (await connection.execute(select(func.count()).select_from(Observation))).scalar_one()
        await engine.dispose()
        assert stored == 2 * 658  # nothing twice, nothing missing
    finally:
        server.terminate()
        server.wait(10)


def year_report(fiscal_year: int) -> bytes:
    """April of ``fiscal_year`` with the seed's figures."""
    return render_report(fiscal_year=fiscal_year, months=[4], values=seed_values()).encode()


def test_compose_restarts_every_service_unless_stopped() -> None:
    """What the workers cannot wait out themselves (a crash, an OOM kill), the container policy covers."""
    compose = yaml.safe_load((Path(__file__).resolve().parents[2] / "compose.yaml").read_text())
    assert {name: spec.get("restart") for name, spec in compose["services"].items()} == {
        name: "unless-stopped" for name in ("postgres", "redis", "api", "worker")
    }


async def test_a_poison_file_beside_the_seed_fails_alone(
    redis_url: str, queue_name: str, tmp_path: Path
) -> None:
    """A page of 20,000 nested tables (minutes for a naive reader) and the seed, on one real worker:
    the seed SUCCEEDS while the poison is killed at PARSE_TIMEOUT_SECONDS (or refused as too deeply
    nested) and ends FAILED saying why; it is not retried."""
    database = f"sqlite+aiosqlite:///{tmp_path / 'poison.db'}"
    env = fault_env(redis_url, f"{queue_name}:poison", database, PARSE_TIMEOUT_SECONDS="5")
    async with faulty_app(env, tmp_path / "worker.log") as faulty:
        faulty.start_worker()
        depth = 20_000
        poison = ("<html><body>" + "<table><tr><td>" * depth + "x" + "</td></tr></table>" * depth).encode()
        poison_id = await faulty.upload(poison, "poison.html")
        seed_id = await faulty.upload(SEED.read_bytes(), "seed.txt")
        seed = await faulty.finished(seed_id)
        assert (seed["status"], seed["valuesStored"]) == ("SUCCEEDED", 658)
        report = await faulty.finished(poison_id)
        assert report["status"] == "FAILED"
        assert "took longer than 5 s to read" in report["error"] or "nest" in report["error"]
        assert await stored_rows(faulty) == 658
