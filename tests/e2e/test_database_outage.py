"""The database unavailable for a while (PostgreSQL refusing connections): the API answers at once
with SERVICE_UNAVAILABLE, the job retries with backoff, and the report completes when it returns."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

from tests.support.databases import allow_connections, drop_postgres_database, new_database
from tests.support.faults import fault_env, faulty_app
from tests.support.paths import SEED


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
            await allow_connections(name, False)
            started = time.monotonic()
            query = {"query": "{ reports { totalCount } }"}
            refused = (await faulty.client.post("/graphql", json=query)).json()
            assert refused["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE", refused
            assert time.monotonic() - started < 15
            faulty.worker.send_signal(signal.SIGCONT)
            await asyncio.sleep(4)  # the job meets the outage and is retried later
            await allow_connections(name, True)
            report = await faulty.finished(report_id)
            assert report["status"] == "SUCCEEDED", report["error"]
            assert report["valuesStored"] == 658
            assert "report.retry" in faulty.log.read_text()
    finally:
        await allow_connections(name, True)
        await drop_postgres_database(name)
