"""Load test: concurrent clients query the running API while reports are uploaded, with faults.

    .venv/bin/python bench/load.py [--clients 200] [--seconds 20] [--uploads 20]
        [--kill-worker-at 6] [--restart-redis-at 12]

Starts the API (python -m service.server) and one arq worker on loopback, on a fresh SQLite file unless
DATABASE_URL is set, against REDIS_URL (or a bundled redis-server). ``--kill-worker-at S``
SIGKILLs the worker S seconds into the run and starts a new one; ``--restart-redis-at S`` stops
Redis S seconds in and starts it again on its port two seconds later (always a redis-server of
the run's own, never REDIS_URL's). Every request goes to 127.0.0.1 only; the run is bounded in
time and stops by itself. Prints throughput, p50/p99 latency, errors, uploads refused, lost
(accepted but not SUCCEEDED) and duplicated (reports or figures stored more than once).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.client import Client, ServiceError  # noqa: E402
from service.dev import processes as dev  # noqa: E402
from service.dev.embedded_redis import redis_answers, start_redis  # noqa: E402

SEED = ROOT / "service" / "data" / "sample_report.txt"
QUERY = """query($fy: Int!) { observations(indicator: "onestop.consultations", fiscalYear: $fy) {
  prefecture { code name area { code } } value cumulative shareOfNational rank } }"""
TOKEN = "load-test-token"


def reports(count: int) -> list[bytes]:
    """Distinct reports: the seed's figures under ``count`` different fiscal years (西暦 titles)."""
    text = SEED.read_text(encoding="utf-8")
    return [text.replace("令和8年度", f"{2026 - n}年度", 1).encode() for n in range(count)]


async def upload(client: httpx.AsyncClient, content: bytes, name: str) -> str | None:
    """The new report's id; None when the API refused the upload (an error saying nothing was stored)."""
    try:
        report = await Client(client, token=TOKEN).upload(content, name)
    except ServiceError as error:
        print("upload refused:", str(error)[:300], file=sys.stderr)
        return None
    report_id: str = report["id"]
    return report_id


@dataclass
class Fault:
    """Something done to the running service ``at`` seconds into the load."""

    at: float
    name: str
    act: Callable[[], Awaitable[None]]


async def inject(fault: Fault, done: list[str]) -> None:
    await asyncio.sleep(fault.at)
    await fault.act()
    done.append(f"{fault.name} at {fault.at:g} s")


async def querying(
    client: httpx.AsyncClient, until: float, latencies: list[float], errors: list[str]
) -> None:
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            response = await client.post("/graphql", json={"query": QUERY, "variables": {"fy": 2026}})
            body = response.json()
            if response.status_code != 200 or body.get("errors"):
                errors.append(str(body)[:200])
        except httpx.HTTPError as error:
            errors.append(repr(error))
        latencies.append(time.perf_counter() - started)


async def run(
    base: str, clients: int, seconds: float, uploads: int, faults: list[Fault]
) -> dict[str, object]:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        await client.post("/graphql", json={"query": QUERY, "variables": {"fy": 2026}})  # warm-up
        latencies: list[float] = []
        errors: list[str] = []
        until = time.monotonic() + seconds
        load = [asyncio.create_task(querying(client, until, latencies, errors)) for _ in range(clients)]
        injected: list[str] = []
        chaos = [asyncio.create_task(inject(fault, injected)) for fault in faults]
        ids, refused = [], 0
        for number, content in enumerate(reports(uploads)):
            report_id = await upload(client, content, f"load-{number}.txt")
            if report_id is None:
                refused += 1
            else:
                ids.append(report_id)
            await asyncio.sleep(seconds / (uploads + 1))
        await asyncio.gather(*load, *chaos)
        deadline = time.monotonic() + 180
        statuses: dict[str, str] = {}
        values: dict[str, int] = {}
        while time.monotonic() < deadline:
            for report_id in ids:
                response = await client.post(
                    "/graphql",
                    json={"query": f'{{ report(id: "{report_id}") {{ status valuesStored }} }}'},
                )
                report = response.json()["data"]["report"]
                statuses[report_id] = report["status"]
                values[report_id] = report["valuesStored"]
            if all(status in ("SUCCEEDED", "FAILED") for status in statuses.values()):
                break
            await asyncio.sleep(1)
        listed = await client.post("/graphql", json={"query": "{ reports { totalCount } }"})
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "throughput_rps": len(latencies) / seconds,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[int(len(ordered) * 0.99) - 1] * 1000,
        "errors": len(errors),
        "uploads": len(ids),
        "uploads_refused": refused,
        "lost_uploads": sum(1 for s in statuses.values() if s != "SUCCEEDED"),
        "reports_listed": listed.json()["data"]["reports"]["totalCount"],
        "values_reported": sum(values.values()),
        "faults": ", ".join(injected) or "none",
        "first_errors": sorted(set(errors))[:3],
    }


async def figures_stored(database_url: str) -> int:
    """Monthly values in the database, every report's (current or not): one row per value stored."""
    from sqlalchemy import func, select

    from service.db.engine import create_engine
    from service.db.models import Observation

    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(select(func.count()).select_from(Observation))).scalar_one())
    finally:
        await engine.dispose()


class Processes:
    """The run's redis-server (when it is its own), uvicorn and worker, which faults may replace."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.redis: subprocess.Popen[bytes] | None = None
        self.api: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None

    def start_worker(self) -> None:
        self.worker = dev.spawn_worker(env=self.env, log=self.log)

    async def kill_worker(self) -> None:
        """SIGKILL the worker (mid-job, as a crash would) and start a new one."""
        assert self.worker is not None
        self.worker.send_signal(signal.SIGKILL)
        self.worker.wait(10)
        self.start_worker()

    async def restart_redis(self) -> None:
        """Stop the run's own Redis (everything in it is lost) and start it again on its port."""
        assert self.redis is not None
        self.redis.terminate()
        self.redis.wait(10)
        await asyncio.sleep(2)
        self.redis, _ = start_redis(int(urlparse(self.env["REDIS_URL"]).port or 6379))

    def stop(self) -> None:
        for child in (self.worker, self.api, self.redis):
            if child is not None:
                dev.stop(child)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument(
        "--kill-worker-at", type=float, help="SIGKILL the worker S seconds in (and restart it)"
    )
    parser.add_argument("--restart-redis-at", type=float, help="stop Redis S seconds in, start it 2 s later")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="yorozu-load-"))
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite+aiosqlite:///{workdir / 'load.db'}")
    env["API_TOKENS"] = f"load:{TOKEN}"
    env["QUEUE_NAME"] = f"yorozu:load:{workdir.name}"
    env["SAMPLE_DATA"] = "0"
    env["LOG_LEVEL"] = "WARNING"
    if args.kill_worker_at is not None or args.restart_redis_at is not None:
        # Rescues found in seconds rather than minutes, so the run's 180 s wait covers them.
        env.setdefault("SWEEP_INTERVAL_SECONDS", "2")
        env.setdefault("REQUEUE_AFTER_SECONDS", "15")
    processes = Processes(env, workdir / "processes.log")
    env.setdefault("REDIS_URL", "redis://localhost:6379/0")
    if args.restart_redis_at is not None or not redis_answers(env["REDIS_URL"]):
        # A Redis of the run's own: restarting it must never touch anyone else's.
        processes.redis, env["REDIS_URL"] = start_redis()
    faults = [
        Fault(at, name, act)
        for at, name, act in (
            (args.kill_worker_at, "worker killed", processes.kill_worker),
            (args.restart_redis_at, "Redis restarted", processes.restart_redis),
        )
        if at is not None
    ]
    base, processes.api = dev.spawn_api(env=env, log=processes.log, options=("--no-access-log",))
    try:
        asyncio.run(dev.wait_healthy(base, processes.api, log=processes.log))
        processes.start_worker()
        result = asyncio.run(run(base, args.clients, args.seconds, args.uploads, faults))
        result["figures_stored"] = asyncio.run(figures_stored(env["DATABASE_URL"]))
    finally:
        processes.stop()
    print(f"clients={args.clients} seconds={args.seconds:g} database={env['DATABASE_URL'].split(':')[0]}")
    for key, value in result.items():
        print(f"{key:>18}: {value:,.1f}" if isinstance(value, float) else f"{key:>18}: {value}")
    print(f"log: {workdir / 'processes.log'}")


if __name__ == "__main__":
    main()
