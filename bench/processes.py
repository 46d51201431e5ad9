"""The processes under test in one benchmark (``service.dev.processes`` starts them): the API,
workers, the floor.

The API runs as in production (``python -m service.server``: uvicorn with the client limits, one
process, no reload), with logs at WARNING and no access log; workers as ``arq workers.WorkerSettings``.
The floor is plain uvicorn on purpose: it measures what the framework costs under no service at all.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Awaitable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from service.dev import processes
from service.dev.embedded_redis import free_port

ROOT = Path(__file__).resolve().parent.parent
BENCH_TOKEN = "bench-secret-token"


@dataclass(frozen=True)
class ServiceEnv:
    """The environment of the service's processes in one benchmark."""

    database_url: str
    redis_url: str
    queue_name: str
    log_dir: Path

    def env(self) -> dict[str, str]:
        """``os.environ`` with the service's settings for this benchmark."""
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "QUEUE_NAME": self.queue_name,
            "API_TOKENS": f"bench:{BENCH_TOKEN}",
            "SAMPLE_DATA": "0",
            "LOG_LEVEL": "WARNING",
        }


def wait_http_post(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    """Wait until a POST of ``{ __typename }`` to ``url`` answers 200 (the floor ignores the query)."""

    def ask(client: httpx.AsyncClient, url: str) -> Awaitable[httpx.Response]:
        return client.post(url, json={"query": "{ __typename }", "variables": {}}, timeout=5)

    asyncio.run(processes.wait_healthy(url, process, log=log, timeout=timeout, ask=ask))


def uvicorn_argv(app: str, port: int) -> list[str]:
    """``uvicorn app`` as in production: one process, no reload, warnings only, no access log."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]


#: uvicorn options of the API under measurement: a log line per request would be measured too.
_QUIET = ("--log-level", "warning", "--no-access-log")


def api(service: ServiceEnv) -> AbstractContextManager[str]:
    """The API on a free loopback port; its base URL."""
    return processes.api(env=service.env(), log=service.log_dir / "api.log", options=_QUIET)


def workers(
    service: ServiceEnv, count: int, *, poll_delay: float | None = None
) -> AbstractContextManager[None]:
    """``count`` arq worker processes; ``poll_delay`` overrides WORKER_POLL_SECONDS when given."""
    env = service.env()
    if poll_delay is not None:
        env["WORKER_POLL_SECONDS"] = str(poll_delay)
    return processes.workers(count, env=env, log=lambda n: service.log_dir / f"worker-{n}.log")


@contextmanager
def floor(database_url: str, log_dir: Path) -> Iterator[str]:
    """The raw floor (``bench.floor:app``) over ``database_url`` on a free loopback port; its base URL."""
    port = free_port()
    log = log_dir / "floor.log"
    env = {**os.environ, "FLOOR_DATABASE_URL": database_url}
    process = processes.spawn(uvicorn_argv("bench.floor:app", port), env=env, log=log, cwd=ROOT)
    try:
        wait_http_post(f"http://127.0.0.1:{port}/graphql", process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        processes.stop(process)
