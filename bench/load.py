"""Load test: concurrent clients query the running API while reports are uploaded.

    .venv/bin/python bench/load.py [--clients 200] [--seconds 20] [--uploads 20]

Starts uvicorn (service.app:app) and one arq worker on loopback, on a fresh SQLite file unless
DATABASE_URL is set, against REDIS_URL (or a bundled redis-server). Every request goes to
127.0.0.1 only; the run is bounded in time and stops by itself. Prints throughput, p50/p99
latency, errors and lost uploads (uploads that did not end SUCCEEDED).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.embedded_redis import free_port, redis_answers, start_redis  # noqa: E402

SEED = ROOT / "service" / "data" / "sample_report.txt"
QUERY = """query($fy: Int!) { observations(indicator: "onestop.consultations", fiscalYear: $fy) {
  prefecture { code name area { code } } value cumulative shareOfNational rank } }"""
TOKEN = "load-test-token"


def reports(count: int) -> list[bytes]:
    """Distinct reports: the seed's figures under ``count`` different fiscal years (西暦 titles)."""
    text = SEED.read_text(encoding="utf-8")
    return [text.replace("令和8年度", f"{2026 - n}年度", 1).encode() for n in range(count)]


async def upload(client: httpx.AsyncClient, content: bytes, name: str) -> str:
    operations = {
        "query": "mutation($f: Upload!) { uploadReport(file: $f) { id } }",
        "variables": {"f": None},
    }
    response = await client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.f"]})},
        files={"0": (name, content)},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    report_id: str = response.json()["data"]["uploadReport"]["id"]
    return report_id


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


async def run(base: str, clients: int, seconds: float, uploads: int) -> dict[str, object]:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        await client.post("/graphql", json={"query": QUERY, "variables": {"fy": 2026}})  # warm-up
        latencies: list[float] = []
        errors: list[str] = []
        until = time.monotonic() + seconds
        load = [asyncio.create_task(querying(client, until, latencies, errors)) for _ in range(clients)]
        ids = []
        for number, content in enumerate(reports(uploads)):
            ids.append(await upload(client, content, f"load-{number}.txt"))
            await asyncio.sleep(seconds / (uploads + 1))
        await asyncio.gather(*load)
        deadline = time.monotonic() + 120
        statuses: dict[str, str] = {}
        while time.monotonic() < deadline:
            for report_id in ids:
                response = await client.post(
                    "/graphql", json={"query": f'{{ report(id: "{report_id}") {{ status }} }}'}
                )
                statuses[report_id] = response.json()["data"]["report"]["status"]
            if all(status in ("SUCCEEDED", "FAILED") for status in statuses.values()):
                break
            await asyncio.sleep(1)
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "throughput_rps": len(latencies) / seconds,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[int(len(ordered) * 0.99) - 1] * 1000,
        "errors": len(errors),
        "uploads": len(ids),
        "lost_uploads": sum(1 for s in statuses.values() if s != "SUCCEEDED"),
        "first_errors": sorted(set(errors))[:3],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--uploads", type=int, default=20)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="yorozu-load-"))
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite+aiosqlite:///{workdir / 'load.db'}")
    env["API_TOKENS"] = f"load:{TOKEN}"
    env["QUEUE_NAME"] = f"yorozu:load:{workdir.name}"
    env["SAMPLE_DATA"] = "0"
    env["LOG_LEVEL"] = "WARNING"
    children: list[subprocess.Popen[bytes]] = []
    env.setdefault("REDIS_URL", "redis://localhost:6379/0")
    if not redis_answers(env["REDIS_URL"]):
        server, env["REDIS_URL"] = start_redis()
        children.append(server)
    port = free_port()
    log = (workdir / "processes.log").open("w")
    children.append(
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "service.app:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    )
    try:
        for _ in range(100):
            if redis_answers(env["REDIS_URL"]):
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
            time.sleep(0.2)
        children.append(
            subprocess.Popen(
                [sys.executable, "-m", "arq", "workers.WorkerSettings"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        result = asyncio.run(run(f"http://127.0.0.1:{port}", args.clients, args.seconds, args.uploads))
    finally:
        for child in reversed(children):
            child.terminate()
            child.wait(20)
    print(f"clients={args.clients} seconds={args.seconds:g} database={env['DATABASE_URL'].split(':')[0]}")
    for key, value in result.items():
        print(f"{key:>15}: {value:,.1f}" if isinstance(value, float) else f"{key:>15}: {value}")


if __name__ == "__main__":
    main()
