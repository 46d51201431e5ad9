"""The database unavailable for a while (PostgreSQL refusing connections): the API answers at once
with SERVICE_UNAVAILABLE, the job retries with backoff, and the report completes when it returns."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy.engine import make_url

from service.app import create_app
from service.settings import get_settings
from tests.conftest import DEFAULT_PG, SEED, _admin, _drop_postgres_database, new_database
from tests.e2e.test_faults import TOKEN, Faulty


async def _allow_connections(name: str, allowed: bool) -> None:
    admin = await _admin(make_url(os.environ.get("TEST_DATABASE_URL", DEFAULT_PG)))
    try:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}')
        if not allowed:
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
            )
    finally:
        await admin.close()


async def test_jobs_wait_out_a_database_outage(redis_url: str, queue_name: str, tmp_path: Path) -> None:
    url, name = await new_database("postgresql", tmp_path)
    assert name is not None
    env = {
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "QUEUE_NAME": f"{queue_name}:outage",
        "API_TOKENS": f"tester:{TOKEN}",
        "SWEEP_INTERVAL_SECONDS": "1",
        "REQUEUE_AFTER_SECONDS": "60",
        "JOB_MAX_TRIES": "10",
    }
    try:
        with pytest.MonkeyPatch.context() as patch:
            for key, value in env.items():
                patch.setenv(key, value)
            get_settings.cache_clear()
            app = create_app()
            async with LifespanManager(app) as manager:
                transport = httpx.ASGITransport(app=manager.app)
                async with httpx.AsyncClient(
                    transport=transport, base_url="http://testserver", timeout=60
                ) as client:
                    faulty = Faulty(client, env, tmp_path / "worker.log", app)
                    faulty.start_worker()
                    await asyncio.sleep(3)  # the worker has migrated and is polling
                    assert faulty.worker is not None
                    faulty.worker.send_signal(signal.SIGSTOP)
                    report_id = await faulty.upload(SEED.read_bytes(), "seed.txt")
                    await _allow_connections(name, False)
                    started = time.monotonic()
                    refused = (
                        await client.post("/graphql", json={"query": "{ reports { totalCount } }"})
                    ).json()
                    assert refused["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE", refused
                    assert time.monotonic() - started < 15
                    faulty.worker.send_signal(signal.SIGCONT)
                    await asyncio.sleep(4)  # the job meets the outage and is retried later
                    await _allow_connections(name, True)
                    report = await faulty.finished(report_id)
                    assert report["status"] == "SUCCEEDED", report["error"]
                    assert report["valuesStored"] == 658
                    assert "report.retry" in faulty.log.read_text()
                    faulty.worker.terminate()
                    faulty.worker.wait(20)
    finally:
        get_settings.cache_clear()
        await _allow_connections(name, True)
        await _drop_postgres_database(name)
