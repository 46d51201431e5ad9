"""The database unavailable for a while (PostgreSQL refusing connections): the API answers at once
with SERVICE_UNAVAILABLE, the job retries with backoff, and the report completes when it returns."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from tests.conftest import DEFAULT_PG, SEED, _admin, _drop_postgres_database, new_database
from tests.e2e.test_faults import fault_env, faulty_app


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
    env = fault_env(redis_url, f"{queue_name}:outage", url, REQUEUE_AFTER_SECONDS="60", JOB_MAX_TRIES="10")
    try:
        async with faulty_app(env, tmp_path / "worker.log") as faulty:
            faulty.start_worker()
            await faulty.worker_polling()
            assert faulty.worker is not None
            faulty.worker.send_signal(signal.SIGSTOP)
            report_id = await faulty.upload(SEED.read_bytes(), "seed.txt")
            await _allow_connections(name, False)
            started = time.monotonic()
            query = {"query": "{ reports { totalCount } }"}
            refused = (await faulty.client.post("/graphql", json=query)).json()
            assert refused["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE", refused
            assert time.monotonic() - started < 15
            faulty.worker.send_signal(signal.SIGCONT)
            await asyncio.sleep(4)  # the job meets the outage and is retried later
            await _allow_connections(name, True)
            report = await faulty.finished(report_id)
            assert report["status"] == "SUCCEEDED", report["error"]
            assert report["valuesStored"] == 658
            assert "report.retry" in faulty.log.read_text()
    finally:
        await _allow_connections(name, True)
        await _drop_postgres_database(name)
