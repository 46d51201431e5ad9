"""Faults injected for real: a worker SIGKILLed mid-report, Redis emptied with jobs queued, Redis
stopped and started again.

An upload that returned an id must still end SUCCEEDED or FAILED, with no duplicated or partial
figures: the worker's sweep re-enqueues reports left QUEUED or PROCESSING.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import redis.asyncio as aioredis
import yaml
from sqlalchemy import func, select

from service.db.engine import create_engine
from service.db.models import Observation
from service.dev.embedded_redis import start_redis
from tests.support.faults import TOKEN, Faulty, fault_env, faulty_app
from tests.support.multipart import multipart
from tests.support.paths import SEED
from tests.support.processes import serving
from tests.support.reportgen import render_report, seed_values
from tests.support.waiting import eventually


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
